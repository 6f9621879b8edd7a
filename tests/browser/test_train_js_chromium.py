"""nn.js's trainer in headless Chromium trains as nnlib.fit trains: the same case tables as tests/test_train_js.py
(Node), run by the browser that shows the book."""

import pytest

import test_train_js as cases
from jsface import chromium_eval


def test_js_fit_matches_nnlib_fit_for_20_epochs_in_chromium(blank_page):
    names = cases.NAMES
    cases.check_fit(names, chromium_eval(blank_page, ["nn.js"], cases.FIT_JS, [cases.case(name) for name in names]))


def test_seeded_permutations_in_chromium(blank_page):
    cases.check_shuffle(
        chromium_eval(blank_page, ["nn.js"], cases.SHUFFLE_JS, [{"seed": 7, "n": 10}, {"seed": 7, "n": 200}])
    )
    # the same generator in both engines: a page's training order does not depend on the browser
    from jsface import node_eval

    assert chromium_eval(blank_page, ["nn.js"], cases.SHUFFLE_JS, [{"seed": 3, "n": 50}]) == node_eval(
        ["nn.js"], cases.SHUFFLE_JS, [{"seed": 3, "n": 50}]
    )


def test_a_training_block_with_every_kind_of_option_trains_in_chromium(blank_page):
    """The issue's failing page, whole: RMSprop, a gelu layer, from_logits (and layers of 3 and 2 neurons). The page
    starts at nnlib's loss, steps without an error, and colours each hidden neuron as the config (and Jupyter) does."""
    from nnlib import Dense, Sequential, losses
    from nnlib.explore import TrainingExplorer
    from nnlib.explore.trainer import gate_points

    x, t = gate_points("xor")
    model = Sequential([Dense(3, "gelu"), Dense(2, "swish"), Dense(1, "identity")], seed=3)
    explorer = TrainingExplorer(
        model,
        x,
        t,
        loss=losses.BinaryCrossentropy(from_logits=True),
        optimizer="rmsprop",
        learning_rate=0.03,
        batch_size=8,
        key="chromium-contract",
    )
    blank_page.set_content(f"<!doctype html><html><body>{explorer.to_html()}</body></html>")
    root = blank_page.locator("#chromium-contract")
    assert float(root.get_attribute("data-loss")) == pytest.approx(explorer.history["loss"][0], abs=1e-12)
    for _ in range(5):
        root.locator("[data-act=step]").click()
    assert root.get_attribute("data-epoch") == "5"
    assert float(root.get_attribute("data-loss")) < explorer.history["loss"][0]
    colours = blank_page.eval_on_selector_all(
        "#chromium-contract .nnx-train-neuron", "els => els.map(e => e.style.getPropertyValue('--neuron'))"
    )
    from nnlib.explore.trainer import hidden_neuron_colors

    assert colours == [c for layer in hidden_neuron_colors(explorer.task.start.layers) for c in layer]
