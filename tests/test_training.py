"""Training: back-propagation against finite differences, the seeds' experiments, fit's semantics and errors."""

import numpy as np
import pytest

from nnlib import Dense, Sequential, losses, optimizers
from nnlib.datasets import and_training_set, logic_gate, sum_threshold
from nnlib.training import History, evaluate, fit, gradients

# -- back-propagation against finite differences, every activation with every fitting loss ------

HIDDEN = ["sigmoid", "tanh", "relu", "mish", "identity", "softplus", "elu", "selu", "gelu", "swish", "leaky_relu"]
OUTPUT_AND_LOSS = [(out, "mse") for out in ("identity", "sigmoid", "tanh", "relu", "mish", "softmax")] + [
    ("sigmoid", "binary_crossentropy"),
    ("tanh", "hinge"),
    ("identity", "hinge"),
    ("softmax", "categorical_crossentropy"),
    ("softmax", "sparse_categorical_crossentropy"),
    ("sigmoid", "categorical_crossentropy"),  # no shortcut: the general chain rule -t/p through h'
    ("identity", "mae"),
    ("identity", losses.BinaryCrossentropy(from_logits=True)),
    ("identity", losses.CategoricalCrossentropy(from_logits=True)),
    ("identity", losses.CategoricalCrossentropy(sparse=True, from_logits=True)),
]


def _float64_network(hidden, output, units_out, seed):
    rng = np.random.default_rng(seed)
    model = Sequential([Dense(4, hidden), Dense(units_out, output)])
    # moderate weights and positive hidden biases: no saturated output, no dead ReLU
    model.set_weights(
        [
            rng.normal(0, 0.7, size=(3, 4)),
            rng.uniform(0.1, 0.5, size=4),
            rng.normal(0, 0.7, size=(4, units_out)),
            rng.normal(0, 0.3, size=units_out),
        ]
    )
    return model


def _targets(loss_name, units_out, rng, n):
    if loss_name == "hinge":
        return rng.choice([-1.0, 1.0], size=(n, units_out))
    if loss_name == "binary_crossentropy":
        return rng.integers(0, 2, size=(n, units_out)).astype(float)
    if "categorical" in loss_name:
        return rng.integers(0, units_out, size=n)
    return rng.normal(size=(n, units_out))


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output, loss_name", OUTPUT_AND_LOSS)
def test_backprop_matches_finite_differences(hidden, output, loss_name):
    loss = losses.get(loss_name)
    units_out = 1 if loss.name in ("binary_crossentropy", "hinge") else 3
    model = _float64_network(hidden, output, units_out, seed=len(hidden) + len(output))
    rng = np.random.default_rng(7)
    x = rng.normal(size=(5, 3))
    t = loss.prepare(_targets(loss.name, units_out, rng, 5), units_out)

    value, _, grads = gradients(model, x, t, loss)
    assert value == loss.value(model.predict(x), t)
    params = [p for layer in model.layers for p in (layer.W, layer.b)]
    h = 1e-6
    for p, g in zip(params, grads):
        assert g.shape == p.shape and g.dtype == np.float64
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            keep = p[i]
            p[i] = keep + h
            up = loss.value(model.predict(x), t)
            p[i] = keep - h
            down = loss.value(model.predict(x), t)
            p[i] = keep
            numeric[i] = (up - down) / (2 * h)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-8)
    # a real check: the loss actually depends on the weights here
    assert any(np.abs(g).max() > 1e-4 for g in grads)


def test_gradients_follow_dense_backward_layer_by_layer():
    rng = np.random.default_rng(11)
    model = Sequential([Dense(4, "tanh"), Dense(3, "relu"), Dense(2, "softmax")], seed=2).build(3)
    model.set_weights([w.astype(np.float64) for w in model.get_weights()])
    x, t = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, size=6)]
    loss = losses.get("categorical_crossentropy")
    _, _, grads = gradients(model, x, t, loss)
    steps = model.trace(x)
    # chain Dense.backward by hand from dL/dz of the output
    dz = loss.gradient(steps[-1].z, t)
    expected = []
    for step in reversed(steps):
        dz, dW, db = step.layer.backward(step.x, step.a, step.z, dz)
        expected = [dW, db] + expected
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


# -- seed 000: one sigmoid neuron learns AND ------------------------------------------------------


def test_dense_learns_and_as_in_seed_000():
    # Seed 000 trains Dense(1, sigmoid) on 1,000 repeated truth-table rows, batch 10, 100 epochs,
    # validation_split 0.2. Its compile line is not shown; adam + binary cross-entropy is Keras'
    # usual choice for a sigmoid output with 0/1 targets.
    x, t = and_training_set()
    model = Sequential([Dense(1, "sigmoid")], seed=0)
    model.compile("adam", "binary_crossentropy")
    history = model.fit(x, t, batch_size=10, epochs=100, validation_split=0.2, seed=0, verbose=False)
    gate_x, gate_t = logic_gate("and")
    y = model.predict(gate_x)[:, 0]
    np.testing.assert_array_equal(y > 0.5, gate_t == 1)
    assert history["val_accuracy"][-1] == 1.0 and history["accuracy"][-1] == 1.0
    assert history["loss"][-1] < history["loss"][0] / 2
    # the separating line w0 x0 + w1 x1 + b = 0 passes between (1, 1) and the other corners
    (w0, w1), b = model.layers[0].W[:, 0], model.layers[0].b[0]
    assert b < 0 and w0 + b < 0 and w1 + b < 0 and w0 + w1 + b > 0


# -- seed 001: 2-5-1 tanh network, hinge loss, Adam, 150 epochs -----------------------------------


def _seed_001_run():
    x, t = sum_threshold(250, seed=1)
    model = Sequential([Dense(5, "tanh"), Dense(1, "tanh")], seed=1)
    model.compile("adam", "hinge")
    return model, model.fit(x, t, epochs=150, validation_split=0.2, seed=1, verbose=False)


def test_seed_001_network_reaches_its_accuracy():
    model, history = _seed_001_run()
    print("seed 001 run:", history)
    # Keras' default batch of 32; 200 training and 50 validation points (the last 50).
    # The article's Keras run got about 85%; ours, with these seeds, gets exactly these
    # fractions (174 of 200, 45 of 50) -- computed once, fixed here so a change shows.
    assert history["accuracy"][-1] == 174 / 200
    assert history["val_accuracy"][-1] == 45 / 50
    assert history["loss"][-1] == pytest.approx(0.2538, abs=1e-4)
    assert 0.75 <= history["accuracy"][-1] <= 1.0
    assert history["loss"][-1] < history["loss"][0]
    # the last val numbers are the model's loss and accuracy on the last 50 points now
    x, t = sum_threshold(250, seed=1)
    assert evaluate(model, x[200:], t[200:], "hinge") == (history["val_loss"][-1], history["val_accuracy"][-1])


def test_same_seed_same_history_bit_for_bit():
    model_a, history_a = _seed_001_run()
    model_b, history_b = _seed_001_run()
    assert history_a == history_b
    for wa, wb in zip(model_a.get_weights(), model_b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    x, t = sum_threshold(250, seed=1)
    model_c = Sequential([Dense(5, "tanh"), Dense(1, "tanh")], seed=1)
    history_c = fit(model_c, x, t, "hinge", "adam", epochs=3, seed=2, verbose=False)
    model_d = Sequential([Dense(5, "tanh"), Dense(1, "tanh")], seed=1)
    history_d = fit(model_d, x, t, "hinge", "adam", epochs=3, seed=3, verbose=False)
    assert history_c["loss"] != history_d["loss"]  # another seed, another order of batches


# -- fit's semantics ----------------------------------------------------------------------------------


def _tiny_model(seed=0, units=1, activation="sigmoid"):
    return Sequential([Dense(3, "tanh"), Dense(units, activation)], seed=seed)


def test_validation_split_holds_out_the_last_rows_before_shuffling():
    rng = np.random.default_rng(0)
    x = rng.random((7, 2))
    t = np.array([0, 1, 1, 0, 1, 0, 1])
    # floor(7 * 0.5) = 3 rows train; the last 4 only measure
    held = fit(
        _tiny_model(),
        x,
        t,
        "binary_crossentropy",
        "adam",
        epochs=4,
        batch_size=2,
        validation_split=0.5,
        seed=5,
        verbose=False,
    )
    alone = fit(
        model := _tiny_model(),
        x[:3],
        t[:3],
        "binary_crossentropy",
        "adam",
        epochs=4,
        batch_size=2,
        seed=5,
        verbose=False,
    )
    assert held["loss"] == alone["loss"] and held["accuracy"] == alone["accuracy"]
    assert (held["val_loss"][-1], held["val_accuracy"][-1]) == evaluate(model, x[3:], t[3:], "binary_crossentropy")
    # and the held-out rows never move the weights: change their targets, same training
    t_other = t.copy()
    t_other[3:] = 1 - t_other[3:]
    held_other = fit(
        _tiny_model(),
        x,
        t_other,
        "binary_crossentropy",
        "adam",
        epochs=4,
        batch_size=2,
        validation_split=0.5,
        seed=5,
        verbose=False,
    )
    assert held_other["loss"] == held["loss"] and held_other["val_loss"] != held["val_loss"]


def test_shuffle_false_visits_rows_in_order():
    x, t = and_training_set(8)
    a = fit(_tiny_model(), x, t, "mse", "sgd", epochs=2, batch_size=3, shuffle=False, seed=1, verbose=False)
    b = fit(_tiny_model(), x, t, "mse", "sgd", epochs=2, batch_size=3, shuffle=False, seed=2, verbose=False)
    assert a == b


def test_history_shape_and_repr():
    x, t = and_training_set(20)
    history = fit(
        _tiny_model(), x, t, "binary_crossentropy", "adam", epochs=3, validation_split=0.25, seed=0, verbose=False
    )
    assert isinstance(history, History) and history.history is history
    assert list(history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert all(len(v) == 3 for v in history.values()) and history.epochs == 3
    assert repr(history).startswith("History(3 epochs; last: loss=")
    plain = fit(_tiny_model(), x, t, "binary_crossentropy", "adam", epochs=2, seed=0, verbose=False)
    assert list(plain) == ["loss", "accuracy"]


def test_float32_stays_float32_and_model_fit_delegates():
    x, t = and_training_set(40)
    model = _tiny_model()
    model.compile(optimizers.SGD(learning_rate=0.5, momentum=0.9), "mse")
    via_model = model.fit(x, t, epochs=2, batch_size=8, seed=4, verbose=False)
    direct = fit(
        _tiny_model(),
        x,
        t,
        "mse",
        optimizers.SGD(learning_rate=0.5, momentum=0.9),
        epochs=2,
        batch_size=8,
        seed=4,
        verbose=False,
    )
    assert via_model == direct
    assert all(w.dtype == np.float32 for w in model.get_weights())


def test_progress_bar_only_when_verbose(capsys):
    x, t = and_training_set(8)
    fit(_tiny_model(), x, t, "mse", "adam", epochs=2, verbose=False)
    assert capsys.readouterr().err == ""
    fit(_tiny_model(), x, t, "mse", "adam", epochs=2, verbose=True)
    assert "2/2" in capsys.readouterr().err


def test_softmax_network_learns_integer_labels():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(150, 2))
    t = np.argmax(x @ np.array([[1.0, -1.0, 0.0], [0.0, 1.0, -1.0]]), axis=1)
    model = Sequential([Dense(8, "relu"), Dense(3, "softmax")], seed=0)
    history = fit(
        model, x, t, "sparse_categorical_crossentropy", optimizers.Adam(0.01), epochs=30, seed=0, verbose=False
    )
    assert history["accuracy"][-1] > 0.9 and history["loss"][-1] < history["loss"][0] / 2


# -- bad input and empty data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(x=np.zeros(4)), ValueError, r"2-D array \(samples, inputs\), got shape \(4,\)"),
        (dict(x=np.zeros((4, 3))), ValueError, r"takes 2 inputs per sample.*\(4, 3\)"),
        (dict(x=np.array([["a", "b"]] * 4)), TypeError, "must hold numbers"),
        (dict(x=np.full((4, 2), np.nan)), ValueError, "NaN"),
        (dict(x=np.zeros((0, 2)), t=np.zeros(0)), ValueError, "0 samples"),
        (dict(t=np.zeros(3)), ValueError, "4 samples but t has shape"),
        (dict(t=np.array([0, 1, 2, 1])), ValueError, "0 or 1"),
        (dict(loss="hinj"), ValueError, "Did you mean 'hinge'"),
        (dict(epochs=0), ValueError, "epochs must be a positive whole number"),
        (dict(batch_size=0), ValueError, "batch_size must be a positive whole number"),
        (dict(batch_size=2.5), ValueError, "batch_size"),
        (dict(validation_split=1.0), ValueError, r"validation_split must be a fraction in \[0, 1\)"),
        (dict(validation_split=0.9), ValueError, "leaves 0 for training and 4 for validation"),
        (dict(validation_split=1e-20), ValueError, "leaves 4 for training and 0 for validation"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, error, message):
    args = dict(x=np.zeros((4, 2)), t=np.array([0, 1, 1, 0]), loss="binary_crossentropy", optimizer="adam")
    args.update(kwargs)
    model = _tiny_model().build(2)
    before = model.get_weights()
    with pytest.raises(error, match=message):
        fit(model, args.pop("x"), args.pop("t"), args.pop("loss"), args.pop("optimizer"), verbose=False, **args)
    for w0, w1 in zip(before, model.get_weights()):
        np.testing.assert_array_equal(w0, w1)  # nothing half-done


def test_hinge_labels_are_checked_before_training():
    x, t = sum_threshold(10, seed=0)
    with pytest.raises(ValueError, match=r"-1 or \+1"):
        fit(_tiny_model(activation="tanh"), x, t * 3, "hinge", "adam", verbose=False)
    # 0/1 labels are converted to -1/+1, as in Keras
    a = fit(_tiny_model(activation="tanh"), x, (t + 1) / 2, "hinge", "adam", epochs=2, seed=0, verbose=False)
    b = fit(_tiny_model(activation="tanh"), x, t, "hinge", "adam", epochs=2, seed=0, verbose=False)
    assert a == b


def test_compile_before_fit_and_zero_row_prediction():
    model = _tiny_model()
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.zeros((2, 2)), np.zeros(2))
    # a batch of 0 rows is a valid input to predict: 0 rows out
    assert model.predict(np.zeros((0, 2), dtype=np.float32)).shape == (0, 1)
    with pytest.raises(ValueError, match="0 samples"):
        evaluate(model, np.zeros((0, 2)), np.zeros(0), "mse")
    # a batch larger than the data set is one batch of all rows
    x, t = and_training_set(4)
    one = fit(_tiny_model(), x, t, "mse", "sgd", epochs=1, batch_size=1000, seed=0, verbose=False)
    full = fit(_tiny_model(), x, t, "mse", "sgd", epochs=1, batch_size=4, seed=0, verbose=False)
    assert one == full


# -- the shipped pretrained network and the script that makes it -----------------------------------


def test_shipped_mnist_mlp_reaches_the_accuracy_of_its_training_run(data_root):
    import nnlib

    (_, _), (x_test, t_test) = nnlib.load_mnist(normalize=True, flatten=True)
    model = nnlib.pretrained("mnist-mlp")
    correct = int(np.sum(model.predict(x_test).argmax(axis=1) == t_test))
    # scripts/train_mnist_mlp.py printed "test accuracy 0.9819" when it wrote the file
    assert correct == 9819
    assert correct >= 9750  # the goal of issue 2, well above the book's 9,352


def _training_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "train_mnist_mlp.py"
    spec = importlib.util.spec_from_file_location("train_mnist_mlp", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_augmentation_shifts_each_image_by_at_most_one_pixel():
    shift_images = _training_script().shift_images
    images = np.zeros((200, 28, 28), dtype=np.float32)
    images[:, 10, 20] = 1.0  # one bright pixel per image
    shifted = shift_images(images.reshape(200, 784), np.random.default_rng(0)).reshape(200, 28, 28)
    assert shifted.dtype == np.float32 and np.all(shifted.sum(axis=(1, 2)) == 1.0)
    moves = {(int(r) - 10, int(c) - 20) for r, c in (np.argwhere(s)[0] for s in shifted)}
    assert moves == {(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
    # at the border the pixel that would leave the frame is dropped, nothing wraps around
    edge = np.zeros((50, 784), dtype=np.float32)
    edge[:, 0] = 1.0
    out = shift_images(edge, np.random.default_rng(1)).reshape(50, 28, 28)
    assert out[:, 27, :].sum() == 0 and out[:, :, 27].sum() == 0


def test_predict_in_blocks_agrees_with_one_batch_and_keeps_float32():
    # predict splits large batches into blocks of `block_rows` rows for speed (nnlib/network.py)
    rng = np.random.default_rng(5)
    model = Sequential([Dense(30, "sigmoid"), Dense(20, "relu"), Dense(10, "softmax")], seed=1).build(40)
    x = rng.random((2 * model.block_rows + 17, 40), dtype=np.float32)
    y = model.predict(x)
    assert y.shape == (len(x), 10) and y.dtype == np.float32
    np.testing.assert_allclose(y, model.trace(x).output, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(y[-17:], model.predict(x[-17:]))  # the last, short block
    assert model.predict(x[:0]).shape == (0, 10)


# -- issue 24: NaN/inf checks after the dtype cast; validation_split of any real type -------------------------


def test_fit_refuses_targets_that_overflow_the_models_dtype_before_training():
    model = Sequential([Dense(1, "linear")])
    x = np.ones((4, 2))
    t = np.array([[1.0], [2.0], [1e300], [3.0]])  # finite in float64, inf in the model's float32
    with pytest.raises(
        ValueError,
        match=r"fit: t \(the targets\) holds 1 value\(s\) too large for float32 "
        r"\(the first, .*1e\+300.* at index \(2, 0\)",
    ) as info:
        fit(model, x, t, "mse", "sgd", epochs=1, verbose=0)
    assert "learning rate" not in str(info.value)
    assert not model.built  # refused before anything changed
    with pytest.raises(ValueError, match="x holds 1 value"):
        fit(model, np.array([[1.0, 1e300]]), np.ones((1, 1)), "mse", "sgd", verbose=0)


def test_validation_split_accepts_any_real_number():
    x, t = and_training_set(40)
    model = Sequential([Dense(1, "sigmoid", input_dim=2)], seed=0)
    history = fit(model, x, t, "binary_crossentropy", "sgd", epochs=1, verbose=0, validation_split=np.float32(0.25))
    assert len(history["val_loss"]) == 1
    import fractions

    fit(model, x, t, "binary_crossentropy", "sgd", epochs=1, verbose=0, validation_split=fractions.Fraction(1, 4))
    for bad in (np.float64("nan"), np.True_, "0.25"):
        with pytest.raises(ValueError, match="validation_split must be a fraction in"):
            fit(model, x, t, "binary_crossentropy", "sgd", verbose=0, validation_split=bad)
