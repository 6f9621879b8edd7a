"""What a reader who learnt Keras types works here and gives Keras' numbers (issue 17); training
stops when it diverges (issue 16). Expected values are computed independently in each test:
by hand, from the formulas, or from a second route through nnlib that shares no code path."""

import math
import re

import numpy as np
import pytest

from nnlib import Dense, Sequential, activations, losses, optimizers
from nnlib.datasets import sum_threshold
from nnlib.training import _parameters, gradients


def _model(seed=0, output="sigmoid"):
    return Sequential([Dense(3, "tanh", input_shape=(2,)), Dense(1, output)], seed=seed)


def _data(n=40, seed=1):
    x, t = sum_threshold(n, seed=seed)
    return x, (t[:, 0] + 1) / 2  # 0/1 labels (batch,)


# -- layers -----------------------------------------------------------------------------------------


def test_input_shape_as_keras():
    layer = Dense(3, input_shape=(2,))
    assert layer.built and layer.input_dim == 2 and layer.W.shape == (2, 3)
    assert Dense(3, input_dim=2, input_shape=(2,)).input_dim == 2
    with pytest.raises(ValueError, match=r"one number per sample, \(inputs,\)"):
        Dense(3, input_shape=(28, 28))
    with pytest.raises(ValueError, match="give one"):
        Dense(3, input_dim=3, input_shape=(2,))


def test_kernel_and_bias_are_w_and_b():
    layer = Dense(3, input_shape=(2,), seed=0)
    assert layer.kernel is layer.W and layer.bias is layer.b
    assert layer.kernel.shape == (2, 3) and layer.bias.shape == (3,)
    assert Dense(2, input_dim=2, use_bias=False).bias is None


@pytest.mark.parametrize(
    "name", ["softplus", "elu", "selu", "gelu", "swish", "silu", "leaky_relu", "hard_sigmoid", "exponential"]
)
def test_dense_takes_every_keras_activation_name(name):
    layer = Dense(2, name, input_dim=3, seed=0)
    x = np.array([[0.5, -1.0, 2.0]], dtype=np.float32)
    a = x @ layer.W + layer.b
    np.testing.assert_allclose(layer(x), activations.get(name)(a), rtol=1e-6)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_set_weights_refuses_nan_and_inf(bad):
    layer = Dense(2, input_dim=2, seed=0)
    before = layer.get_weights()
    W = np.ones((2, 2))
    W[1, 0] = bad
    with pytest.raises(ValueError, match=r"kernel holds 1 NaN or infinite value\(s\), the first at index \(1, 0\)"):
        layer.set_weights([W, np.zeros(2)])
    with pytest.raises(ValueError, match="bias holds 1 NaN or infinite"):
        layer.set_weights([np.ones((2, 2)), np.array([0.0, bad])])
    for w0, w1 in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(w0, w1)
    model = Sequential([Dense(2, input_dim=2), Dense(1)])
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.set_weights([np.ones((2, 2)), np.zeros(2), np.ones((2, 1)), np.array([bad])])


# -- predict, evaluate, metrics --------------------------------------------------------------------


def test_predict_takes_verbose():
    model = _model()
    x = np.array([[0.3, 0.1], [0.9, 0.5]])
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x))
    # extra: one 1-D sample gives one 1-D output
    np.testing.assert_array_equal(model.predict(x[0]), model.predict(x)[0])


def test_evaluate_returns_what_keras_returns():
    x, t = _data()
    model = _model()
    z = model.predict(x)[:, 0].astype(np.float64)
    p = np.clip(z, 1e-7, 1 - 1e-7)
    bce = float(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p))))
    accuracy = float(np.mean((z > 0.5) == (t > 0.5)))
    mae = float(np.mean(np.abs(z - t)))

    model.compile("adam", "binary_crossentropy", metrics=[])
    assert model.evaluate(x, t) == pytest.approx(bce, rel=1e-6)  # the loss alone, a float
    assert isinstance(model.evaluate(x, t, verbose=0), float)
    model.compile("adam", "binary_crossentropy", metrics=["accuracy", "mae"])
    loss_value, acc, mae_value = model.evaluate(x, t, batch_size=32, verbose=0)
    assert (loss_value, acc, mae_value) == (pytest.approx(bce, rel=1e-6), accuracy, pytest.approx(mae, rel=1e-6))
    assert list(model.evaluate(x, t, return_dict=True)) == ["loss", "accuracy", "mae"]
    with pytest.raises(RuntimeError, match="compile"):
        _model().evaluate(x, t)


def test_compile_metrics_decide_the_history_keys():
    x, t = _data()
    args = dict(epochs=2, validation_split=0.25, seed=0, verbose=False)
    default = _model().compile("adam", "binary_crossentropy").fit(x, t, **args)
    assert list(default) == ["loss", "accuracy", "val_loss", "val_accuracy"]  # nnlib's compile default
    plain = _model().compile("adam", "binary_crossentropy", metrics=[]).fit(x, t, **args)
    assert list(plain) == ["loss", "val_loss"]
    assert plain["loss"] == default["loss"]  # metrics watch; they change no weight
    model = _model().compile("adam", "binary_crossentropy", metrics=["mae"])
    with_mae = model.fit(x, t, **args)
    assert list(with_mae) == ["loss", "mae", "val_loss", "val_mae"]
    z_val = model.predict(x[30:])[:, 0]
    assert with_mae["val_mae"][-1] == pytest.approx(np.mean(np.abs(z_val - t[30:])), rel=1e-6)
    with pytest.raises(ValueError, match="unknown metric 'precision'"):
        _model().compile("adam", "mse", metrics=["precision"])


def test_training_mae_is_the_batch_weighted_mean_of_the_batches():
    # One epoch, no shuffle, SGD with a zero-ish effect: batch values are those of fixed weights.
    x, t = _data(10)
    model = _model().compile(optimizers.SGD(learning_rate=1e-300), "mse", metrics=["mae"])
    z = model.predict(x)[:, 0].astype(np.float64)
    history = model.fit(x, t, batch_size=4, epochs=1, shuffle=False, verbose=False)
    assert history["mae"][0] == pytest.approx(np.mean(np.abs(z - t)), rel=1e-6)
    assert history["loss"][0] == pytest.approx(np.mean((z - t) ** 2), rel=1e-6)


# -- fit's Keras arguments ---------------------------------------------------------------------------


def test_validation_data_gives_what_a_validation_split_of_the_same_rows_gives():
    x, t = _data()
    split = (
        _model()
        .compile("adam", "binary_crossentropy")
        .fit(x, t, epochs=3, validation_split=0.25, seed=0, verbose=False)
    )
    data = (
        _model()
        .compile("adam", "binary_crossentropy")
        .fit(x[:30], t[:30], epochs=3, seed=0, verbose=False, validation_data=(x[30:], t[30:]))
    )
    assert data == split
    # validation_data overrides validation_split, as in Keras
    both = (
        _model()
        .compile("adam", "binary_crossentropy")
        .fit(x[:30], t[:30], epochs=3, seed=0, verbose=False, validation_split=0.5, validation_data=(x[30:], t[30:]))
    )
    assert both == split
    with pytest.raises(ValueError, match=r"validation_data must be a pair \(x_val, t_val\)"):
        _model().compile("adam", "mse").fit(x, t, validation_data=x, verbose=False)
    with pytest.raises(ValueError, match=r"validation_data: x has 10 samples but t has shape \(3,\)"):
        _model().compile("adam", "mse").fit(x, t, validation_data=(x[:10], t[:3]), verbose=False)


def test_batch_size_none_means_32_and_history_epoch_and_params():
    x, t = _data(100)
    none = _model().compile("adam", "mse").fit(x, t, batch_size=None, epochs=3, seed=0, verbose=False)
    explicit = _model().compile("adam", "mse").fit(x, t, batch_size=32, epochs=3, seed=0, verbose=False)
    assert none == explicit
    assert none.epoch == [0, 1, 2]
    assert none.params == {"verbose": 0, "epochs": 3, "steps": 4}  # ceil(100 / 32)
    assert _model().compile("adam", "mse").fit(x, t, epochs=1, verbose=0, validation_split=0.2).params["steps"] == 3


def test_rmsprop_by_name_trains():
    x, t = _data(100)
    model = _model().compile("rmsprop", "binary_crossentropy")
    history = model.fit(x, t, epochs=20, seed=0, verbose=False)
    assert isinstance(model.optimizer, optimizers.RMSprop)
    assert history["loss"][-1] < history["loss"][0]


def test_from_logits_trains_the_same_network_as_a_sigmoid_output():
    # A linear last layer with from_logits=True is the sigmoid network with its sigmoid moved into
    # the loss: the gradients are the same (up to the clip, which does not act here).
    x, t = _data(40)
    logits = _model(output="linear").compile("sgd", losses.BinaryCrossentropy(from_logits=True))
    probs = _model(output="sigmoid").compile("sgd", "binary_crossentropy")
    a = logits.fit(x, t, epochs=3, seed=0, verbose=False)
    b = probs.fit(x, t, epochs=3, seed=0, verbose=False)
    np.testing.assert_allclose(a["loss"], b["loss"], rtol=1e-5)
    assert a["accuracy"] == b["accuracy"]
    for w0, w1 in zip(logits.get_weights(), probs.get_weights()):
        np.testing.assert_allclose(w0, w1, rtol=1e-5, atol=1e-6)


# -- training that diverges stops, and a failed fit changes nothing ------------------------------------


def test_fit_stops_when_the_loss_is_not_finite():
    x = np.linspace(-1, 1, 20)[:, None] * [1.0, 2.0]
    t = 1e3 * x[:, 0]
    model = Sequential([Dense(1, input_dim=2)], seed=0).compile(optimizers.SGD(learning_rate=1e3), "mse")
    with pytest.raises(FloatingPointError) as err:
        model.fit(x, t, epochs=50, batch_size=5, seed=0, verbose=False)
    message = str(err.value)
    assert "the loss is inf" in message
    assert "learning rate 1000" in message and "smaller learning rate" in message
    epoch, batch = (int(v) for v in re.search(r"epoch (\d+) of 50, batch (\d+) of 4", message).groups())
    # Replay the same run step by step without fit: every loss before that batch is finite, its own is not.
    replay = Sequential([Dense(1, input_dim=2)], seed=0)
    sgd, mse, rng = optimizers.SGD(learning_rate=1e3), losses.get("mse"), np.random.default_rng(0)
    seen = []
    with np.errstate(all="ignore"):
        for e in range(1, epoch + 1):
            order = rng.permutation(20)
            for b, start in enumerate(range(0, 20, 5), start=1):
                rows = order[start : start + 5]
                value, _, grads = gradients(replay, x[rows].astype(np.float32), t[rows, None].astype(np.float32), mse)
                seen.append(((e, b), math.isfinite(value)))
                sgd.update(_parameters(replay), grads)
    stop = seen.index(((epoch, batch), False))
    assert all(finite for _, finite in seen[:stop])


def test_fit_stops_when_a_weight_is_not_finite_even_if_the_loss_is():
    # A sigmoid output saturates: with weights at +-inf the clipped cross-entropy stays finite
    # (at most -log 1e-7 = 16.1), so only the weight check sees the divergence.
    class Overshoot(optimizers.SGD):
        def _step(self, i, p, g):
            p[...] = np.inf if self.iterations == 3 else p - self.learning_rate * g

    x, t = _data(20)
    model = _model().compile(Overshoot(learning_rate=0.1), "binary_crossentropy")
    with pytest.raises(
        FloatingPointError,
        match=r"a weight became NaN or infinite .* at epoch 1 of 2, "
        r"batch 3 of 3 \(learning rate 0.1\)",
    ):
        model.fit(x, t, epochs=2, batch_size=8, verbose=False)


def test_a_fit_that_fails_on_bad_targets_leaves_an_unbuilt_model_unbuilt():
    model = Sequential([Dense(3, "tanh"), Dense(1, "sigmoid")]).compile("adam", "binary_crossentropy")
    x = np.zeros((4, 2))
    for bad in (
        dict(t=np.array([0, 1, 2, 1])),
        dict(t=np.zeros(3)),
        dict(t=np.zeros(4), batch_size=0),
        dict(t=np.zeros(4), validation_data=(np.zeros((2, 2)), np.array([5, 5]))),
    ):
        with pytest.raises(ValueError):
            model.fit(x, verbose=False, **bad)
        assert not model.built and all(layer.W is None for layer in model.layers)
    model.fit(x, np.zeros(4), verbose=False)  # a good call then builds it
    assert model.built


def test_keras_names_in_the_library_tour():
    # the README's tour lists these; each resolves
    for name in ("softplus", "elu", "selu", "gelu", "swish", "silu", "leaky_relu", "hard_sigmoid", "exponential"):
        activations.get(name)
    assert isinstance(losses.get("mae"), losses.MeanAbsoluteError)
    assert isinstance(optimizers.get("rmsprop"), optimizers.RMSprop)
