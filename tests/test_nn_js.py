"""nn.js, the browser's copy of nnlib's formulas, computes what nnlib computes (Node here; Chromium in
tests/browser/test_nn_js_chromium.py, with the same cases).

The case tables live in this module, so both runners check the same numbers.
"""

import numpy as np
import pytest

import nnlib
from nnlib import activations
from jsface import node_eval

# Inputs from the everyday range to the extremes where naive formulas overflow.
A = np.concatenate([np.linspace(-6, 6, 49), [-1e4, -750.0, -40.0, -1e-300, 0.0, 1e-300, 40.0, 750.0, 1e4]])
ELEMENTWISE = ["step", "sigmoid", "tanh", "relu", "softplus", "mish", "identity"]


def activation_cases():
    return [{"name": name, "a": A} for name in ELEMENTWISE]


ACTIVATION_JS = """(NN, c) => {
  const act = NN.activations[c.name];
  const z = c.a.map(act.f);
  return {z: z, dz: c.a.map((a, i) => act.df(a, z[i]))};
}"""


def expected_activation(case):
    name, a = case["name"], np.asarray(case["a"])
    if name == "softplus":
        z = activations.softplus(a)
        return z, activations.sigmoid(a)
    act = activations.get(name)
    z = act(a)
    return z, act.gradient(a, z)


SOFTMAX_CASES = [[0.3, 2.9, 4.0], [1010.0, 1000.0, 990.0], [-1e4, 0.0, 1e4], [0.0, 0.0], [5.0], [3.4e38, -3.4e38, 0.0]]
SOFTMAX_JS = "(NN, c) => NN.softmax(c)"


def network_cases(count=20):
    """The book's 784-50-100-10 sigmoid network on `count` MNIST test images (float64 weights)."""
    net = nnlib.load_sample_network()
    (_, _), (x_test, _) = nnlib.load_mnist(normalize=True, flatten=True)
    layers = [
        {"W": layer.W.astype(np.float64), "b": layer.b.astype(np.float64), "activation": layer.activation.name}
        for layer in net.layers
    ]
    x = x_test[:count].astype(np.float64)
    return net, layers, x


TRACE_JS = """(NN, c) => {
  const layers = c.layers.map(l => NN.layer(l.W, l.b, l.activation));
  return c.xs.map(x => NN.trace(layers, x).map(s => ({a: s.a, z: s.z})));
}"""


def expected_trace(layers, xs):
    out = []
    for x in xs:
        steps, z = [], x
        for layer in layers:
            a = z @ layer["W"] + layer["b"]
            z = activations.get(layer["activation"])(a)
            steps.append({"a": a, "z": z})
        out.append(steps)
    return out


FORMAT_VALUES = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    0.125,
    0.375,
    2.5,
    1234.5678,
    -0.00012345,
    1e-5,
    123456789.0,
    0.93015909,
    0.9352,
    1 / 3,
    -2 / 3,
    1e21,
    5e-324,
    float("inf"),
    float("-inf"),
    float("nan"),
    0.9999999,
    9.9995,
    0.045,
    99.5,
]
FORMAT_SPECS = [".0f", ".2f", ".4f", "+.3f", ".4g", ".3g", "g", ".1%", ".2%"]
FORMAT_JS = "(NN, c) => NN.format(c.v, c.spec)"


def format_cases():
    return [{"v": v, "spec": s} for v in FORMAT_VALUES for s in FORMAT_SPECS]


def _encode_nonfinite(cases):
    # JSON has no inf/nan: send them as strings, and let the JavaScript turn them back.
    return [dict(c, v=str(c["v"])) if not np.isfinite(c["v"]) else c for c in cases]


FORMAT_JS_NONFINITE = "(NN, c) => NN.format(typeof c.v === 'string' ? Number(c.v.replace('inf', 'Infinity').replace('nan', 'NaN')) : c.v, c.spec)"


def check_activations(results):
    for case, got in zip(activation_cases(), results):
        z, dz = expected_activation(case)
        np.testing.assert_allclose(np.asarray(got["z"], float), z, rtol=1e-12, atol=1e-15, err_msg=case["name"])
        np.testing.assert_allclose(np.asarray(got["dz"], float), dz, rtol=1e-12, atol=1e-15, err_msg=case["name"])


def check_softmax(results):
    for case, got in zip(SOFTMAX_CASES, results):
        with np.errstate(over="raise"):
            want = activations.softmax(np.asarray(case, dtype=np.float64))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300, err_msg=str(case))


def check_format(results):
    for case, got in zip(format_cases(), results):
        assert got == format(case["v"], case["spec"]), case


def test_activations_and_their_derivatives_match_nnlib():
    check_activations(node_eval(["nn.js"], ACTIVATION_JS, activation_cases()))


def test_softmax_matches_nnlib_at_extremes():
    check_softmax(node_eval(["nn.js"], SOFTMAX_JS, SOFTMAX_CASES))


def test_softmax_of_an_infinite_entry_puts_all_mass_there():
    got = node_eval(["nn.js"], "(NN, c) => NN.softmax([Infinity, 0, -Infinity])", [0])[0]
    assert got == [1.0, 0.0, 0.0]


def test_trace_of_the_books_network_matches_nnlib_on_20_test_images():
    _, layers, x = network_cases()
    got = node_eval(["nn.js"], TRACE_JS, [{"layers": layers, "xs": x}])[0]
    for image, (js_steps, py_steps) in enumerate(zip(got, expected_trace(layers, x))):
        for k, (js, py) in enumerate(zip(js_steps, py_steps)):
            for key in ("a", "z"):
                np.testing.assert_allclose(
                    js[key], py[key], rtol=0, atol=1e-9, err_msg=f"image {image} layer {k} {key}"
                )


def test_forward_classifies_as_the_float32_network_does():
    net, layers, x = network_cases()
    js = node_eval(
        ["nn.js"],
        """(NN, c) => {
      const layers = c.layers.map(l => NN.layer(l.W, l.b, l.activation));
      return c.xs.map(x => NN.forward(layers, x));
    }""",
        [{"layers": layers, "xs": x}],
    )[0]
    assert np.array_equal(np.argmax(js, axis=1), np.argmax(net.predict(x.astype(np.float32)), axis=1))


def test_format_prints_numbers_as_python_does():
    check_format(node_eval(["nn.js"], FORMAT_JS_NONFINITE, _encode_nonfinite(format_cases())))


def test_a_layer_with_the_wrong_input_size_is_refused_with_the_sizes():
    with pytest.raises(RuntimeError, match="layer expects 2 inputs, got 3"):
        node_eval(["nn.js"], "(NN, c) => NN.forward([NN.layer([[1], [2]], [0], 'relu')], [1, 2, 3])", [0])


def test_an_unknown_activation_is_refused_by_name():
    with pytest.raises(RuntimeError, match='unknown activation "gelu2"'):
        node_eval(["nn.js"], "(NN, c) => NN.layer([[1]], [0], 'gelu2')", [0])
