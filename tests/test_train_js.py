"""nn.js trains as nnlib.fit trains: from the same starting weights and batch order, the weights after 20 epochs
agree in float64 to 1e-9 (Node here; Chromium in tests/browser/test_train_js_chromium.py, with the same cases).

nnlib's fit draws each epoch's order from np.random.default_rng(seed).permutation(training rows); the cases
rebuild that order and pass it to the JavaScript, which then has to do exactly what nnlib does with it: the
same forward pass, loss gradient, back-propagation, optimiser step (bias correction, epsilon placement) and the
same epoch means. A wrong order or a wrong step moves the weights by far more than 1e-9 (see the last test).
"""

import math

import numpy as np
import pytest

from nnlib import Dense, Sequential, losses, optimizers, training
from nnlib.datasets import and_training_set, sum_threshold
from nnlib.explore.contract import loss_spec
from nnlib.explore.trainer import gate_points, two_moons
from jsface import node_eval

EPOCHS = 20


def _model(layers, seed):
    model = Sequential(layers, seed=seed)
    model.build(2)
    # float64 weights: the parity is exact arithmetic up to the order of additions
    model.set_weights([w.astype(np.float64) for w in model.get_weights()])
    return model


def _three_blobs(n=90, seed=3):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 1.0], [1.0, -0.5], [-1.0, -0.5]])
    labels = np.arange(n) % 3
    return centres[labels] + rng.normal(0, 0.4, (n, 2)), labels


def setups():
    """name -> (model, x, t, loss, optimizer config, batch_size, validation_split, seed): the chapters' setups."""
    x_and, t_and = and_training_set(1000)
    x_xor, t_xor = gate_points("xor")
    x_sum, t_sum = sum_threshold(250, seed=0)
    x_moons, t_moons = two_moons()
    x_blobs, t_blobs = _three_blobs()
    return {
        # chapter 3: the AND neuron as the chapter trains it (1000 rows, batches of 10, Adam's defaults)
        "ch3 AND": (
            _model([Dense(1, "sigmoid")], 0),
            x_and.astype(np.float64),
            t_and,
            "binary_crossentropy",
            {"name": "adam"},
            10,
            0.2,
            0,
        ),
        # chapter 3: XOR needs a hidden layer (the explorer's noisy corners)
        "ch3 XOR 2-2-1": (
            _model([Dense(2, "sigmoid"), Dense(1, "sigmoid")], 1),
            x_xor,
            t_xor,
            "binary_crossentropy",
            {"name": "adam", "learning_rate": 0.1},
            8,
            0.25,
            0,
        ),
        # chapter 4: the 2-5-1 tanh net on the sum > 0.5 points, hinge loss, Adam
        "ch4 2-5-1 tanh hinge": (
            _model([Dense(5, "tanh"), Dense(1, "tanh")], 0),
            x_sum,
            t_sum,
            "hinge",
            {"name": "adam"},
            32,
            0.2,
            0,
        ),
        # chapter 7: two moons, four ReLU layers of two and a sigmoid output
        "ch7 moons ReLU": (
            _model([Dense(2, "relu") for _ in range(4)] + [Dense(1, "sigmoid")], 6),
            x_moons,
            t_moons,
            "binary_crossentropy",
            {"name": "adam", "learning_rate": 0.01},
            16,
            0.2,
            6,
        ),
        # the other paths: SGD with momentum, MSE through a sigmoid (no shortcut), identity output
        "SGD momentum MSE": (
            _model([Dense(3, "tanh"), Dense(1, "sigmoid")], 2),
            x_xor,
            t_xor,
            "mse",
            {"name": "sgd", "learning_rate": 0.5, "momentum": 0.9},
            4,
            0.25,
            1,
        ),
        "SGD MSE identity": (
            _model([Dense(4, "relu"), Dense(1, "identity")], 4),
            x_sum,
            x_sum.sum(axis=1),
            "mean_squared_error",
            {"name": "sgd", "learning_rate": 0.05},
            25,
            0.0,
            2,
        ),
        # softmax + categorical cross-entropy, labels as integers (prepared to one-hot rows as nnlib does)
        "softmax CCE 3 classes": (
            _model([Dense(4, "tanh"), Dense(3, "softmax")], 5),
            x_blobs,
            t_blobs,
            "categorical_crossentropy",
            {"name": "adam", "learning_rate": 0.02},
            16,
            0.2,
            3,
        ),
        # what nn.js learned for issue 22: RMSprop (centered, momentum), every activation, from_logits, MAE, and
        # categorical cross-entropy on outputs that are not a softmax (divided by the row sum, clipped)
        "RMSprop centered gelu": (
            _model([Dense(3, "gelu"), Dense(1, "sigmoid")], 7),
            x_xor,
            t_xor,
            "binary_crossentropy",
            {"name": "rmsprop", "learning_rate": 0.01, "centered": True, "momentum": 0.5},
            8,
            0.25,
            4,
        ),
        "from_logits swish": (
            _model([Dense(3, "swish"), Dense(1, "identity")], 8),
            x_xor,
            t_xor,
            losses.BinaryCrossentropy(from_logits=True),
            {"name": "rmsprop", "rho": 0.8},
            8,
            0.25,
            5,
        ),
        "MAE elu selu": (
            _model([Dense(3, "elu"), Dense(2, "selu"), Dense(1, "hard_sigmoid")], 9),
            x_xor,
            t_xor,
            "mae",
            {"name": "sgd", "learning_rate": 0.3, "momentum": 0.5},
            4,
            0.25,
            6,
        ),
        "CCE sigmoid outputs": (
            _model([Dense(4, "leaky_relu"), Dense(3, "sigmoid")], 10),
            x_blobs,
            t_blobs,
            "categorical_crossentropy",
            {"name": "adam", "learning_rate": 0.02},
            16,
            0.2,
            7,
        ),
        "CCE from_logits mish": (
            _model([Dense(4, "mish"), Dense(3, "identity")], 11),
            x_blobs,
            t_blobs,
            losses.CategoricalCrossentropy(from_logits=True),
            {"name": "adam"},
            16,
            0.2,
            8,
        ),
    }


def _optimizer(config):
    kwargs = {k: v for k, v in config.items() if k != "name"}
    return optimizers.get(config["name"]).__class__(**kwargs)


def case(name, epochs=EPOCHS):
    """The JSON case for one setup: starting weights, the prepared data split as fit splits it, the orders."""
    model, x, t, loss, opt, batch_size, validation_split, seed = setups()[name]
    t_prepared = losses.get(loss).prepare(np.asarray(t), model.layers[-1].units)
    n = len(x)
    split_at = math.floor(n * (1 - validation_split)) if validation_split else n
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(split_at) for _ in range(epochs)]
    c = {
        "name": name,
        "loss": loss_spec(losses.get(loss)),
        "optimizer": opt,
        "batch_size": batch_size,
        "orders": orders,
        "layers": [{"W": layer.W, "b": layer.b, "activation": layer.activation.name} for layer in model.layers],
        "x_train": x[:split_at],
        "t_train": t_prepared[:split_at],
    }
    if validation_split:
        c.update(x_val=x[split_at:], t_val=t_prepared[split_at:])
    return c


def expected(name, epochs=EPOCHS):
    """nnlib.fit's weights and history after `epochs` epochs of the setup."""
    model, x, t, loss, opt, batch_size, validation_split, seed = setups()[name]
    history = training.fit(
        model,
        x,
        t,
        loss,
        _optimizer(opt),
        epochs=epochs,
        batch_size=batch_size,
        validation_split=validation_split,
        seed=seed,
        verbose=False,
    )
    return model.get_weights(), history


NAMES = list(setups())

FIT_JS = """(NN, c) => {
  const layers = c.layers.map(l => NN.layer(l.W, l.b, l.activation));
  const options = {loss: c.loss, optimizer: c.optimizer, batchSize: c.batch_size, orders: c.orders};
  if (c.x_val) options.validation = NN.dataset(c.x_val, c.t_val);
  const history = NN.fit(layers, NN.dataset(c.x_train, c.t_train), options);
  return {history: history, weights: layers.map(L => [L.W, L.b])};
}"""


def check_fit(names, results):
    for name, got in zip(names, results):
        weights, history = expected(name)
        js = [np.asarray(w) for pair in got["weights"] for w in pair]
        assert len(js) == len(weights), name
        for i, (w_js, w_py) in enumerate(zip(js, weights)):
            assert w_py.dtype == np.float64
            np.testing.assert_allclose(w_js, w_py.ravel(), rtol=0, atol=1e-9, err_msg=f"{name}: parameter {i}")
        assert set(got["history"]) == set(history), name
        for key, values in history.items():
            np.testing.assert_allclose(got["history"][key], values, rtol=0, atol=1e-9, err_msg=f"{name}: {key}")
        # the training moved the weights (a parity of two untouched copies would prove nothing)
        start = [np.asarray(w).ravel() for layer in case(name)["layers"] for w in (layer["W"], layer["b"])]
        assert max(np.abs(a.ravel() - b).max() for a, b in zip(weights, start)) > 1e-3, name


@pytest.mark.parametrize("name", NAMES)
def test_js_fit_matches_nnlib_fit_for_20_epochs(name):
    check_fit([name], node_eval(["nn.js"], FIT_JS, [case(name)]))


def test_another_batch_order_gives_other_weights():
    """The parity is sensitive: the same training with each epoch's order reversed lands elsewhere."""
    name = "ch4 2-5-1 tanh hinge"
    c = case(name)
    c["orders"] = [order[::-1] for order in c["orders"]]
    got = node_eval(["nn.js"], FIT_JS, [c])[0]
    weights, _ = expected(name)
    assert np.abs(np.asarray(got["weights"][0][0]) - weights[0].ravel()).max() > 1e-6


SHUFFLE_JS = "(NN, c) => { const r = NN.random(c.seed); return [NN.permutation(c.n, r), NN.permutation(c.n, r)]; }"


def check_shuffle(results):
    for (first, second), n in zip(results, (10, 200)):
        assert sorted(first) == list(range(n)) and sorted(second) == list(range(n))
        assert first != second  # a fresh order each epoch


def test_seeded_permutations_are_permutations_and_repeatable():
    cases = [{"seed": 7, "n": 10}, {"seed": 7, "n": 200}]
    check_shuffle(node_eval(["nn.js"], SHUFFLE_JS, cases))
    assert node_eval(["nn.js"], SHUFFLE_JS, cases) == node_eval(["nn.js"], SHUFFLE_JS, cases)


def test_unknown_loss_and_optimizer_are_refused_with_the_choices():
    got = node_eval(
        ["nn.js"],
        """(NN, c) => { try { c === 0 ? NN.loss("hing") : NN.optimizer("adamw"); return "no error"; }
                                   catch (e) { return e.message; } }""",
        [0, 1],
    )
    assert "hinge" in got[0] and "binary_crossentropy" in got[0]
    assert "sgd, rmsprop, adam" in got[1]


@pytest.mark.parametrize(
    "call, words",
    [
        ("NN.optimizer('sgd', {nesterov: true})", ["SGD", '"nesterov"', "learning_rate, momentum"]),
        ("NN.optimizer('rmsprop', {rho: 1})", ["RMSprop rho", "[0, 1)", "got 1"]),
        ("NN.optimizer('adam', {learning_rate: 0})", ["Adam learning_rate", "(0, Infinity)", "got 0"]),
        ("NN.loss({name: 'hinge', from_logits: true})", ["hinge", '"from_logits"', "none"]),
        ("NN.loss({name: 'bce', label_smoothing: 0.1})", ['"label_smoothing"', "from_logits"]),
    ],
)
def test_options_nnlib_would_refuse_are_refused_by_name(call, words):
    got = node_eval(
        ["nn.js"], f"(NN, c) => {{ try {{ {call}; return 'no error'; }} catch (e) {{ return e.message; }} }}", [0]
    )[0]
    assert all(word in got for word in words), got
