"""Activation functions: values, dtypes, stability at extreme inputs, lookup by name."""

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
    np.testing.assert_allclose(softmax(np.array([0.3, 2.9, 4.0])),
                               [0.01821127, 0.24519181, 0.73659691], atol=5e-9)
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


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "mish", "identity", "softmax"])
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
