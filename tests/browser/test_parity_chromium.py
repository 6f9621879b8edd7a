"""Parity that searches, in the browser that shows the book: a small sample of tests/test_parity_nn.py's properties
(the same strategies and checks, fewer examples) with nn.js running in headless Chromium instead of Node."""

import pytest
from hypothesis import given

import test_parity_nn as parity
from jsface import ChromiumSession
from parity import examples

# (property, its strategies, examples): about 8 s of calls on the course's machine (budget: 15 s)
SAMPLE = [
    ("test_activations_match", parity.ACTIVATION_ARGS, 60),
    ("test_softmax_matches", parity.SOFTMAX_ARGS, 30),
    ("test_losses_value_gradient_and_accuracy_match", parity.LOSS_ARGS, 60),
    ("test_back_propagation_through_random_networks_matches", parity.BACKPROP_ARGS, 50),
    ("test_optimiser_steps_match", parity.OPTIMIZER_ARGS, 50),
    ("test_format_prints_as_python", parity.FORMAT_ARGS, 120),
]


@pytest.fixture
def nn_js_in_chromium(blank_page, monkeypatch):
    session = ChromiumSession(blank_page, ["nn.js"])
    monkeypatch.setattr(parity, "js", session.call)
    return session


@pytest.mark.parametrize("name, strategies, count", SAMPLE, ids=[s[0] for s in SAMPLE])
def test_parity_sample_in_chromium(nn_js_in_chromium, name, strategies, count):
    examples(count)(given(**strategies)(getattr(parity, name).hypothesis.inner_test))()


def test_the_contract_in_chromium(nn_js_in_chromium):
    assert nn_js_in_chromium.call("(NN, c) => NN.contract()", 0) == parity.CONTRACT
