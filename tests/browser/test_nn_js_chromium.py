"""nn.js in headless Chromium computes what nnlib computes: the same case tables as tests/test_nn_js.py (Node)."""

import numpy as np

import test_nn_js as cases
from jsface import chromium_eval


def test_activations_and_their_derivatives_match_nnlib(blank_page):
    cases.check_activations(chromium_eval(blank_page, ["nn.js"], cases.ACTIVATION_JS, cases.activation_cases()))


def test_softmax_matches_nnlib_at_extremes(blank_page):
    cases.check_softmax(chromium_eval(blank_page, ["nn.js"], cases.SOFTMAX_JS, cases.SOFTMAX_CASES))


def test_trace_of_the_books_network_matches_nnlib_on_20_test_images(blank_page):
    _, layers, x = cases.network_cases()
    got = chromium_eval(blank_page, ["nn.js"], cases.TRACE_JS, [{"layers": layers, "xs": x}])[0]
    for image, (js_steps, py_steps) in enumerate(zip(got, cases.expected_trace(layers, x))):
        for k, (js, py) in enumerate(zip(js_steps, py_steps)):
            for key in ("a", "z"):
                np.testing.assert_allclose(
                    js[key], py[key], rtol=0, atol=1e-9, err_msg=f"image {image} layer {k} {key}"
                )


def test_format_prints_numbers_as_python_does(blank_page):
    cases.check_format(
        chromium_eval(blank_page, ["nn.js"], cases.FORMAT_JS_NONFINITE, cases._encode_nonfinite(cases.format_cases()))
    )
