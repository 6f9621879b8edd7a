"""Activation functions: values, dtypes, stability at extreme inputs, lookup by name."""

import math

import numpy as np
import pytest

from nnlib import activations
from nnlib.activations import identity, mish, relu, sigmoid, softmax, softplus, step, tanh

ELEMENTWISE = [step, sigmoid, tanh, relu, softplus, mish, identity]


def test_known_values():
    x = np.array([-1.0, 1.0, 2.0])
    # "Deep Learning from Scratch" prints these for sigmoid([-1, 1, 2]).
    np.testing.assert_allclose(sigmoid(x), [0.26894142, 0.73105858, 0.88079708], atol=5e-9)
    np.testing.assert_array_equal(step(np.array([-0.1, 0.0, 1.0])), [0, 0, 1])
    np.testing.assert_array_equal(relu(np.array([-2, 0, 5])), [0, 0, 5])
    np.testing.assert_allclose(tanh(0.5), np.tanh(0.5))
    np.testing.assert_allclose(softplus(np.array([0.0, 1.0])), [np.log(2), np.log1p(np.e)])
    np.testing.assert_allclose(mish(1.0), 1.0 * np.tanh(np.log1p(np.e)))


def test_sigmoid_matches_the_textbook_formula_where_that_is_safe():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15, atol=0)


def test_mish_minimum():
    # Mish dips below zero once: its minimum is about -0.3088 near a = -1.192.
    x = np.linspace(-3, 0, 300001)
    y = mish(x)
    assert y.min() == pytest.approx(-0.30884, abs=1e-5)
    assert x[y.argmin()] == pytest.approx(-1.1924, abs=1e-3)


def test_softmax_book_values_and_overflow():
    np.testing.assert_allclose(softmax(np.array([0.3, 2.9, 4.0])), [0.01821127, 0.24519181, 0.73659691], atol=5e-9)
    y = softmax(np.array([1010.0, 1000.0, 990.0]))
    np.testing.assert_allclose(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-7)
    assert y.sum() == pytest.approx(1.0)


def test_softmax_is_row_wise_on_a_batch():
    a = np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])
    y = softmax(a)
    np.testing.assert_allclose(y[0], softmax(a[0]))
    np.testing.assert_allclose(y[1], [1 / 3] * 3)
    np.testing.assert_allclose(y.sum(axis=1), [1.0, 1.0])


@pytest.mark.parametrize("f", ELEMENTWISE + [softmax], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_at_extremes_and_dtype_kept(f, dtype):
    # pytest turns RuntimeWarnings (overflow, invalid) into errors for the whole suite.
    x = np.array([[-1e4, -88.8, 0.0, 88.8, 1e4]], dtype=dtype)
    y = f(x)
    assert y.dtype == dtype
    assert y.shape == x.shape
    assert np.all(np.isfinite(y))


@pytest.mark.parametrize("f", ELEMENTWISE, ids=lambda f: f.__name__)
def test_scalars_1d_and_2d(f):
    assert np.ndim(f(0.5)) == 0
    assert f(np.zeros(3)).shape == (3,)
    assert f(np.zeros((2, 3))).shape == (2, 3)
    assert f(np.array([1, 2], dtype=np.int64)).dtype == np.float64


def test_limits():
    assert sigmoid(-1e4) == 0.0 and sigmoid(1e4) == 1.0
    assert softplus(1e4) == 1e4 and softplus(-1e4) == 0.0
    assert mish(-1e4) == 0.0 and mish(1e4) == 1e4


def test_non_numeric_input_is_refused():
    with pytest.raises(TypeError, match="numbers"):
        sigmoid(np.array(["a", "b"]))


def test_lookup_by_name_and_aliases():
    assert activations.get("ReLU").name == "relu"
    assert activations.get("linear").name == "identity"
    assert activations.get(None).name == "identity"
    assert activations.get("sigmoid")(0.0) == 0.5


def test_typo_lists_valid_names_and_the_closest():
    with pytest.raises(ValueError) as err:
        activations.get("sigmod")
    message = str(err.value)
    assert "Did you mean 'sigmoid'" in message
    for name in ["relu", "tanh", "mish", "softmax", "linear"]:
        assert name in message


KERAS_NAMES = ["softplus", "elu", "selu", "gelu", "swish", "silu", "leaky_relu", "hard_sigmoid", "exponential"]


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "mish", "identity", "softmax"] + KERAS_NAMES)
def test_backward_matches_finite_differences(name):
    act = activations.get(name)
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 4)) + 0.05  # keep ReLU away from its kink at 0
    dz = rng.normal(size=(3, 4))
    da = act.backward(a, act(a), dz)
    eps = 1e-6
    numeric = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        plus, minus = a.copy(), a.copy()
        plus[idx] += eps
        minus[idx] -= eps
        numeric[idx] = np.sum((act(plus) - act(minus)) * dz) / (2 * eps)
    np.testing.assert_allclose(da, numeric, rtol=1e-6, atol=1e-8)


# -- Keras' other activations: Keras 3's definitions and defaults, checked against the formulas
# written out here independently (math module, one value at a time) and against hand values.
SELU_SCALE, SELU_ALPHA = 1.0507009873554805, 1.6732632423543772


def _keras_formula(name, a):
    """Keras 3's documented definition of each activation, one float at a time."""
    sig = 1 / (1 + math.exp(-a))
    return {
        "softplus": math.log(math.exp(a) + 1),
        "elu": a if a > 0 else math.exp(a) - 1,
        "selu": SELU_SCALE * (a if a > 0 else SELU_ALPHA * (math.exp(a) - 1)),
        "gelu": 0.5 * a * (1 + math.erf(a / math.sqrt(2))),
        "swish": a * sig,
        "silu": a * sig,
        "leaky_relu": a if a > 0 else 0.2 * a,
        "hard_sigmoid": min(max(a + 3, 0), 6) / 6,
        "exponential": math.exp(a),
    }[name]


@pytest.mark.parametrize("name", KERAS_NAMES)
def test_keras_activations_follow_keras_formulas(name):
    a = np.linspace(-6, 6, 97)
    expected = [_keras_formula(name, float(v)) for v in a]
    np.testing.assert_allclose(activations.get(name)(a), expected, rtol=1e-12, atol=1e-15)
    # float32 in, float32 out, within float32's precision of the same numbers
    z32 = activations.get(name)(a.astype(np.float32))
    assert z32.dtype == np.float32
    np.testing.assert_allclose(z32, expected, rtol=2e-6, atol=1e-6)


def test_keras_activations_hand_values():
    get = activations.get
    # gelu(1) = Phi(1) = 0.8413447460685429 (the normal table); Keras 3 default approximate=False
    assert get("gelu")(1.0) == pytest.approx(0.8413447460685429, rel=1e-15)
    assert get("leaky_relu")(-1.0) == pytest.approx(-0.2)  # Keras 3: negative_slope=0.2
    np.testing.assert_allclose(
        get("hard_sigmoid")(np.array([-4.0, -3.0, 0.0, 1.5, 3.0, 9.0])), [0, 0, 0.5, 0.75, 1, 1]
    )  # relu6(a + 3) / 6, not Keras 2's 0.2 a + 0.5
    assert get("selu")(-1.0) == pytest.approx(SELU_SCALE * SELU_ALPHA * (math.exp(-1) - 1))
    assert get("swish")(2.0) == pytest.approx(2 / (1 + math.exp(-2)))
    assert get("silu") is get("swish")
    assert get("elu")(-1e4) == -1.0


@pytest.mark.parametrize("name", [n for n in KERAS_NAMES if n != "exponential"] + ["mish"])
def test_keras_activations_and_gradients_at_infinity(name):
    # Limits: every one of these grows like a (or a constant) at +inf and tends to a constant at -inf.
    act = activations.get(name)
    a = np.array([[-np.inf, np.inf]])
    z = act(a)
    dz = act.gradient(a, z)
    expected_z = {
        "softplus": [0, np.inf],
        "elu": [-1, np.inf],
        "selu": [-SELU_SCALE * SELU_ALPHA, np.inf],
        "leaky_relu": [-np.inf, np.inf],
        "hard_sigmoid": [0, 1],
    }.get(name, [0, np.inf])
    expected_dz = {"leaky_relu": [0.2, 1], "hard_sigmoid": [0, 0], "selu": [0, SELU_SCALE]}.get(name, [0, 1])
    np.testing.assert_allclose(z[0], expected_z)
    np.testing.assert_allclose(dz[0], expected_dz)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", KERAS_NAMES)
def test_keras_activations_at_extremes(name, dtype):
    act = activations.get(name)
    a = np.array([[-1e4, -88.8, 0.0, 88.8, 1e4]], dtype=dtype)
    z = act(a)
    assert z.dtype == dtype and act.gradient(a, z).dtype == dtype
    if name == "exponential":  # exp(1e4) is inf, as in Keras, without a warning
        assert z[0, 0] == 0 and z[0, -1] == np.inf
    else:
        assert np.all(np.isfinite(z)) and np.all(np.isfinite(act.gradient(a, z)))


def test_mish_at_infinity():
    np.testing.assert_array_equal(mish(np.array([-np.inf, np.inf])), [0.0, np.inf])
    act = activations.get("mish")
    a = np.array([-np.inf, np.inf], dtype=np.float32)
    np.testing.assert_array_equal(act.gradient(a, act(a)), [0.0, 1.0])


def test_softmax_with_infinite_entries_and_float32_extremes():
    np.testing.assert_array_equal(softmax(np.array([np.inf, 0.0])), [1.0, 0.0])
    np.testing.assert_array_equal(softmax(np.array([np.inf, np.inf, -np.inf])), [0.5, 0.5, 0.0])
    big = np.finfo(np.float32).max
    y = softmax(np.array([[big, -big], [-big, big], [big, big]], dtype=np.float32))
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, [[1, 0], [0, 1], [0.5, 0.5]])
    tiny = np.finfo(np.float32).tiny
    np.testing.assert_allclose(softmax(np.array([tiny, 0], dtype=np.float32)), [0.5, 0.5])


@pytest.mark.parametrize("shape", [(7,), (0, 10), (5, 1), (1000, 10), (50, 32), (50, 33), (3, 100)])
def test_softmax_row_maximum_is_numpys_exactly(shape):
    # softmax takes the maximum of a few columns elementwise (fast); it must be np.max's, NaN included
    x = np.random.default_rng(0).normal(scale=30, size=shape).astype(np.float32)
    if x.size:
        x.flat[3 % x.size] = np.nan
    np.testing.assert_array_equal(activations._row_max(x), np.max(x, axis=-1, keepdims=True))
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    np.testing.assert_array_equal(softmax(x), e / np.sum(e, axis=-1, keepdims=True))
