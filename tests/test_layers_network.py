"""Dense and Sequential: Keras' layout, the seeds' hand computations, trace, summary, bad input."""

import numpy as np
import pytest

from nnlib import Dense, Sequential, layers
from nnlib.exercises import ch05

# The three-layer network of "Deep Learning from Scratch", chapter 3 (seed 003): written once, in nnlib.
book_network = ch05.seed_network
BOOK_WEIGHTS = book_network().get_weights()

# The 2-5-1 tanh network whose weights seed 001 prints (Keras, float32, 8 digits).
SEED001_WEIGHTS = [
    np.array(
        [
            [-1.08239257, 0.32482854, 0.95010394, 0.00501535, -0.47380614],
            [-0.56682748, 1.15749049, 0.91618514, 0.37518814, -0.67639047],
        ],
        dtype=np.float32,
    ),
    np.array([-0.18290569, 0.21453567, 0.01353107, 0.27740911, 0.09604219], dtype=np.float32),
    np.array([[-0.8775745], [1.09351909], [0.21981503], [1.31380796], [-0.10301871]], dtype=np.float32),
    np.array([0.27410847], dtype=np.float32),
]


def test_book_three_layer_network():
    y = book_network().predict(np.array([1.0, 0.5]))
    np.testing.assert_allclose(y, [0.31682708, 0.69627909], atol=5e-9)
    assert y.dtype == np.float64


def test_trace_shows_every_stage_of_the_book_network():
    steps = book_network().trace([1.0, 0.5])
    assert len(steps) == 3
    np.testing.assert_allclose(steps[0].a, [0.3, 0.7, 1.1], atol=1e-15)
    np.testing.assert_allclose(steps[0].z, 1 / (1 + np.exp(-np.array([0.3, 0.7, 1.1]))), rtol=1e-15)
    np.testing.assert_allclose(steps[1].a, [0.51615984, 1.21402696], atol=5e-9)
    np.testing.assert_array_equal(steps[2].a, steps[2].z)
    np.testing.assert_array_equal(steps.output, book_network().predict([1.0, 0.5]))
    assert "a = x W + b = [0.3 0.7 1.1]" in repr(steps)


def test_seed001_hand_computation():
    model = Sequential([Dense(5, "tanh"), Dense(1, "tanh")])
    model.set_weights(SEED001_WEIGHTS)
    y = model.predict(np.array([[0.3, 0.1]], dtype=np.float32))
    assert y.shape == (1, 1) and y.dtype == np.float32
    # Keras printed 0.93015909; the weights it printed are rounded to 8 digits.
    assert abs(float(y[0, 0]) - 0.93015909) < 2e-7
    assert round(float(y[0, 0]), 4) == 0.9302
    # The same by hand: h = tanh(W^T x + b), y = tanh(v^T h + c), in float64.
    W, b, v, c = (w.astype(np.float64) for w in SEED001_WEIGHTS)
    x = np.array([0.3, 0.1])
    h = np.tanh(W.T @ x + b)
    np.testing.assert_allclose(h, [-0.5112, 0.4034, 0.3715, 0.3063, -0.1133], atol=5e-5)
    assert np.tanh(v[:, 0] @ h + c[0]) == pytest.approx(float(y[0, 0]), abs=1e-6)


def test_get_weights_layout_is_keras():
    layer = Dense(1, "sigmoid", input_dim=2, seed=0)
    W, b = layer.get_weights()
    assert W.shape == (2, 1) and b.shape == (1,)
    assert W.dtype == np.float32 and not b.any()
    assert layer.count_params() == 3
    W[0, 0] = 99.0  # a copy: changing it leaves the layer alone
    assert layer.W[0, 0] != 99.0


def test_glorot_uniform_is_seeded_and_bounded():
    a = Dense(50, input_dim=784, seed=3).W
    b = Dense(50, input_dim=784, seed=3).W
    np.testing.assert_array_equal(a, b)
    limit = np.sqrt(6 / (784 + 50))
    assert np.abs(a).max() <= limit and np.abs(a).max() > 0.95 * limit
    assert not np.array_equal(a, Dense(50, input_dim=784, seed=4).W)


def test_built_on_first_call_and_one_sample_or_batch():
    model = Sequential([Dense(4, "relu"), Dense(3, "softmax")], seed=1)
    assert not model.built
    y = model.predict(np.ones((5, 2), dtype=np.float32))
    assert y.shape == (5, 3) and y.dtype == np.float32
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(model.predict(np.ones(2, dtype=np.float32)), y[0])
    assert model.count_params() == 2 * 4 + 4 + 4 * 3 + 3
    assert repr(model) == "Sequential of [Dense(2 -> 4, relu), Dense(4 -> 3, softmax)]"


def test_zero_row_batch():
    model = book_network()
    assert model.predict(np.zeros((0, 2))).shape == (0, 2)
    assert model.trace(np.zeros((0, 2)))[0].a.shape == (0, 3)


def test_use_bias_false():
    layer = Dense(2, input_dim=3, use_bias=False)
    assert len(layer.get_weights()) == 1 and layer.count_params() == 6
    with pytest.raises(ValueError, match="use_bias=False"):
        layer.set_weights([np.zeros((3, 2)), np.zeros(2)])


def test_pytorch_layout_gets_a_transpose_hint():
    layer = Dense(3, input_dim=2)
    with pytest.raises(ValueError, match=r"PyTorch.*W\.T"):
        layer.set_weights([np.zeros((3, 2)), np.zeros(3)])


def test_bad_weights_leave_the_network_unchanged():
    model = book_network()
    before = model.get_weights()
    with pytest.raises(ValueError, match="needs 6 arrays"):
        model.set_weights(BOOK_WEIGHTS[:4])
    bad = [w.copy() for w in BOOK_WEIGHTS]
    bad[5] = np.zeros(3)  # last bias of the wrong size
    with pytest.raises(ValueError, match=r"bias has shape \(3,\), needs \(units,\) = \(2,\)"):
        model.set_weights(bad)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_wrong_input_width_names_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r"layer 'dense_1' expects 2 inputs per sample, got shape \(4, 3\)"):
        book_network().predict(np.zeros((4, 3)))


def test_non_numeric_input():
    with pytest.raises(TypeError, match="numbers"):
        book_network().predict(np.array(["x", "y"]))


@pytest.mark.parametrize("units", [0, -1, 2.5, True, "3"])
def test_bad_units(units):
    with pytest.raises(ValueError, match="positive whole number"):
        Dense(units)


def test_summary_is_keras_like(capsys):
    model = Sequential([Dense(50, "sigmoid", input_dim=784), Dense(100, "sigmoid"), Dense(10, "softmax")])
    model.build()
    model.summary()
    out = capsys.readouterr().out
    assert "Output Shape" in out and "Param #" in out
    assert "(None, 50)" in out and "39,250" in out and "5,100" in out and "1,010" in out
    assert "Total params: 45,360" in out and "Trainable params: 45,360" in out


def test_fit_needs_compile():
    with pytest.raises(RuntimeError, match="compile"):
        book_network().fit(np.zeros((1, 2)), np.zeros((1, 2)))


def test_sequential_seed_decides_layers_built_from_input_dim():
    def make():
        return Sequential([Dense(3, "tanh", input_dim=2), Dense(2)], seed=1)

    first, second = make(), make()
    assert first.built
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    # A layer's own seed, or weights set by hand, are kept.
    own = Dense(3, input_dim=2, seed=7)
    kept = own.get_weights()[0]
    Sequential([own, Dense(1)], seed=1).predict(np.zeros(2))
    np.testing.assert_array_equal(own.W, kept)


def test_summary_builds_later_layers_once_the_input_size_is_known(capsys):
    model = Sequential([Dense(5, "tanh", input_dim=2), Dense(1, "tanh")])
    model.summary()
    assert "Total params: 21" in capsys.readouterr().out
    assert model.count_params() == 2 * 5 + 5 + 5 + 1


def test_submodules_and_loaders_are_reachable_from_the_package():
    import subprocess
    import sys

    code = (
        "import sys, nnlib; assert 'matplotlib' not in sys.modules; "
        "x, t = nnlib.datasets.sum_threshold(4, seed=0); print(x.shape, nnlib.losses.get('mse'), "
        "callable(nnlib.load_mnist)); assert 'matplotlib' not in sys.modules"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(4, 2) MeanSquaredError() True"
    with pytest.raises(AttributeError, match="no attribute 'dataset'"):
        import nnlib

        _ = nnlib.dataset


# -- issue 24: weights checked for NaN and inf after the cast to the layer's dtype -----------------------------


def test_set_weights_refuses_a_bias_that_overflows_the_kernels_dtype():
    layer = Dense(2, input_dim=2)
    before = layer.get_weights()
    W = np.ones((2, 2), np.float16)
    with pytest.raises(
        ValueError,
        match=r"layer 'dense' bias holds 1 value\(s\) too large for float16 \(the "
        r"first, .*100000.* at index \(1,\); float16 holds at most 65504\)",
    ):
        layer.set_weights([W, np.array([1.0, 1e5])])
    for old, now in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(old, now)
    with pytest.raises(ValueError, match="bias holds 1 NaN or infinite value"):
        layer.set_weights([W, np.array([1.0, np.inf])])


def test_network_from_params_names_the_weight_a_narrow_dtype_cannot_hold():
    from nnlib import weights

    params = {"W1": np.array([[1.0, 2.0e5]]), "b1": np.zeros(2)}
    with pytest.raises(ValueError, match=r"W1 holds 1 value\(s\) too large for float16") as info:
        weights.network_from_params(params, ("relu",), dtype=np.float16)
    assert "NaN" not in str(info.value)
    assert weights.network_from_params(params, ("relu",), dtype=np.float32).layers[0].W.dtype == np.float32


def test_forward_pass_refuses_an_input_its_dtype_cannot_hold_but_lets_callers_nan_through():
    # 1e300 is a finite float64; cast into a float32 layer it becomes inf and the output silently NaN/inf.
    model = Sequential([Dense(2, "relu", input_dim=2)])
    with pytest.raises(
        ValueError,
        match=r"input of layer 'dense(_\d+)?' holds 1 value\(s\) too large for float32 \(the first, 1e\+300 at "
        r"index \(1, 0\); float32 holds at most 3.40282e\+38\): they would become infinite. Use a wider dtype \(float64\)",
    ):
        model.predict(np.array([[1.0, 2.0], [1e300, 0.0]]), verbose=0)
    with pytest.raises(ValueError, match="too large for float32"):
        model.trace(np.array([[1e300, 0.0]]))
    # What the caller passed as NaN stays the caller's NaN (numpy's rule), only the cast's overflow is refused.
    assert np.isnan(model.predict(np.array([[np.nan, 0.0]]), verbose=0)).any()
    assert np.isfinite(model.predict(np.array([[1e30, 0.0]]), verbose=0)).all()


class _FlagRaisingFactor:
    """A factor whose product sets the CPU's "invalid" flag yet comes out finite, as OpenBLAS kernels can."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)

    def __matmul__(self, other):
        np.subtract(np.array(np.inf), np.array(np.inf))  # raises the flag; the result is thrown away
        return self.values @ other


def test_matmul_ignores_a_flag_left_by_blas_on_a_finite_product():
    product = layers.matmul(_FlagRaisingFactor([[1.0, 2.0]]), np.array([[3.0], [4.0]]))
    np.testing.assert_array_equal(product, [[11.0]])


def test_matmul_warns_when_the_product_makes_a_nan_and_not_when_it_carries_one():
    with pytest.warns(RuntimeWarning, match="invalid value encountered in matmul"):
        product = layers.matmul(np.array([[np.inf, np.inf]]), np.array([[1.0], [-1.0]]))
    assert np.isnan(product).all()
    carried = layers.matmul(np.array([[np.nan, 1.0]]), np.array([[1.0], [1.0]]))  # numpy does not warn here either
    assert np.isnan(carried).all()
    with np.errstate(invalid="ignore"):  # the caller's choice holds, as for numpy's own warnings
        assert np.isnan(layers.matmul(np.array([[np.inf]]), np.array([[0.0]]))).all()
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError, match="invalid value"):
        layers.matmul(np.array([[np.inf]]), np.array([[0.0]]))
