"""nn.js's trainer in headless Chromium trains as nnlib.fit trains: the same case tables as tests/test_train_js.py
(Node), run by the browser that shows the book."""

import numpy as np

import test_train_js as cases
from jsface import chromium_eval


def test_js_fit_matches_nnlib_fit_for_20_epochs_in_chromium(blank_page):
    names = cases.NAMES
    cases.check_fit(names, chromium_eval(blank_page, ["nn.js"], cases.FIT_JS, [cases.case(name) for name in names]))


def test_seeded_permutations_in_chromium(blank_page):
    cases.check_shuffle(chromium_eval(blank_page, ["nn.js"], cases.SHUFFLE_JS, [{"seed": 7, "n": 10}, {"seed": 7, "n": 200}]))
    # the same generator in both engines: a page's training order does not depend on the browser
    from jsface import node_eval
    assert chromium_eval(blank_page, ["nn.js"], cases.SHUFFLE_JS, [{"seed": 3, "n": 50}]) == \
        node_eval(["nn.js"], cases.SHUFFLE_JS, [{"seed": 3, "n": 50}])
