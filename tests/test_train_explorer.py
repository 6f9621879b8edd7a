"""TrainingExplorer (nnlib/explore/trainer.py): both faces start from the same rounded weights, the live face trains
with nnlib.fit, the page's trainer (train.js on nn.js) reports what nnlib reports, and bad arguments are refused
with a clear message."""

import json
import re

import numpy as np
import pytest

from nnlib import Dense, Sequential, losses, optimizers, training
from nnlib.explore import TrainingExplorer
from nnlib.explore.trainer import gate_points, two_moons
from jsface import node_eval


def gates_explorer(**kwargs):
    x, _ = gate_points("and")
    targets = {g.upper(): gate_points(g)[1] for g in ("and", "or", "nand")}
    xor_net = Sequential([Dense(2, "sigmoid"), Dense(1, "sigmoid")], seed=1)
    xor_net.build(2)
    targets["XOR"] = (gate_points("xor")[1], xor_net)
    neuron = Sequential([Dense(1, "sigmoid", input_dim=2, seed=0)])
    return TrainingExplorer(
        neuron, x, targets=targets, learning_rate=0.1, batch_size=8, validation_split=0.25, **kwargs
    )


def config(explorer):
    return json.loads(re.search(r'class="nnx-config">(.*?)</script>', explorer.to_html()).group(1))


def test_the_start_is_the_model_rounded_to_4_decimals_in_float64_and_the_model_is_untouched():
    model = Sequential([Dense(3, "tanh"), Dense(1, "tanh")], seed=2)
    model.build(2)
    before = [w.copy() for w in model.get_weights()]
    x, t = gate_points("xor")
    explorer = TrainingExplorer(model, x, t * 2 - 1, loss="hinge", key="t-start")
    for w_start, w_model in zip(explorer.model.get_weights(), before):
        assert w_start.dtype == np.float64
        np.testing.assert_array_equal(w_start, np.round(w_model.astype(np.float64), 4))
    explorer.train(3)
    for w, w0 in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, w0)
    assert explorer.epoch == 3 and len(explorer.history["loss"]) == 4


def test_live_training_is_nnlib_fit_epoch_by_epoch():
    explorer = gates_explorer(key="t-live")
    twin = Sequential([Dense(1, "sigmoid")])
    twin.set_weights(explorer.model.get_weights())
    explorer.train(4)
    task = explorer.task
    optimizer = type(explorer._optimizer)(learning_rate=0.1)
    for epoch in range(4):
        training.fit(
            twin,
            task.x_train,
            task.t_train,
            "binary_crossentropy",
            optimizer,
            epochs=1,
            batch_size=8,
            seed=[0, epoch],
            verbose=False,
        )
    for a, b in zip(explorer.model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert explorer.history["loss"][-1] < explorer.history["loss"][0]


def test_target_menu_switches_network_and_resets():
    explorer = gates_explorer(key="t-menu")
    explorer.train(2)
    explorer.set(target="XOR")
    assert explorer.epoch == 0 and len(explorer.model.layers) == 2
    assert [c.name for c in explorer.controls] == ["target", "learning_rate", "batch_size"]


def test_the_pages_trainer_starts_and_steps_as_nnlib_reports():
    """Epoch 0's losses in the page equal nnlib's evaluate; one page epoch lowers the loss, Reset returns to it."""
    explorer = gates_explorer(key="t-js")
    cfg = config(explorer)
    got = node_eval(
        ["nn.js", "train.js"],
        """(TR, c) => {
      const tr = new TR.Trainer(c.tasks[0], {loss: c.loss, optimizer: c.optimizer, seed: c.seed,
                                             learning_rate: 0.1, batch_size: 8});
      const start = [tr.history.loss[0], tr.history.val_loss[0]];
      for (let i = 0; i < 30; i++) tr.stepEpoch();
      const after = tr.history.loss[30];
      tr.reset();
      return {start: start, after: after, again: tr.history.loss.slice(), epoch: tr.epoch};
    }""",
        [cfg],
    )[0]
    h = explorer.history
    np.testing.assert_allclose(got["start"], [h["loss"][0], h["val_loss"][0]], rtol=0, atol=1e-12)
    assert got["after"] < 0.5 * got["start"][0]
    assert got["again"] == [got["start"][0]] and got["epoch"] == 0


def test_static_face_has_labelled_controls_and_stable_ids():
    html_a, html_b = gates_explorer().to_html(), gates_explorer().to_html()
    key_a = re.search(r'id="(nnx-train-[0-9a-f]+)"', html_a).group(1)
    assert key_a in html_b  # the same explorer gets the same id (the second one a suffix)
    for act in ("train", "step", "reset"):
        assert f'data-act="{act}"' in html_a
    for name in ("target", "learning_rate", "batch_size"):
        assert re.search(rf'<label for="{key_a}-{name}"', html_a)
    assert 'aria-live="polite"' in html_a and "epoch 0: training loss" in html_a


def test_trained_numbers_in_the_config_are_rounded():
    cfg = config(gates_explorer(key="t-round"))
    for task in cfg["tasks"]:
        values = [v for layer in task["layers"] for v in np.ravel(layer["W"]).tolist() + layer["b"]]
        values += np.ravel(task["x_train"]).tolist()
        assert all(round(v, 4) == v for v in values)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(loss="categorical_crossentropy"), "not offered"),
        (dict(batch_size=0), "batch_size"),
        (dict(batch_size=500), "more than"),
        (dict(validation_split=1.0), "validation_split"),
        (dict(learning_rate=-1), "learning_rate"),
        (dict(target="AND"), "not one of the targets"),
        (dict(epochs_per_frame=0), "epochs_per_frame"),
    ],
)
def test_bad_arguments_are_refused_clearly(kwargs, message):
    x, t = two_moons(40)
    model = Sequential([Dense(2, "relu"), Dense(1, "sigmoid")], seed=0)
    model.build(2)
    with pytest.raises(ValueError, match=message):
        TrainingExplorer(model, x, t, **kwargs)


def test_models_the_plane_cannot_show_are_refused():
    x, t = two_moons(40)
    three = Sequential([Dense(2, "relu", input_dim=3)], seed=0)
    with pytest.raises(ValueError, match="2 inputs"):
        TrainingExplorer(three, x, t)
    unbuilt = Sequential([Dense(1, "sigmoid")], seed=0)
    explorer = TrainingExplorer(unbuilt, x, t)  # built in the explorer's copy, for 2 inputs
    assert not unbuilt.built and explorer.model.layers[0].input_dim == 2


# -- the chapters' training explorers, with the notebooks' arguments (tests/browser/test_train_explorers.py checks
# that the built pages carry exactly these configurations) --------------------------------------------------------
def chapter_explorers():
    """page -> a function building that page's TrainingExplorer as its notebook does."""
    from nnlib.datasets import sum_threshold

    def ch3():
        x_gates, _ = gate_points("and")
        targets = {gate.upper(): gate_points(gate)[1] for gate in ("and", "or", "nand")}
        targets["XOR"] = (gate_points("xor")[1], Sequential([Dense(2, "tanh"), Dense(1, "sigmoid")], seed=2))
        return TrainingExplorer(
            Sequential([Dense(1, "sigmoid", input_dim=2, seed=0)]),
            x_gates,
            targets=targets,
            learning_rate=0.1,
            batch_size=8,
            validation_split=0.25,
            title="Train a neuron on a gate (XOR: a 2-2-1 network)",
        )

    def ch4():
        x, t = sum_threshold(250, seed=0)
        fresh = Sequential([Dense(5, activation="tanh", input_dim=2, seed=0), Dense(1, activation="tanh", seed=1)])
        return TrainingExplorer(
            fresh,
            x,
            t,
            loss="hinge",
            optimizer="adam",
            learning_rate=0.001,
            batch_size=32,
            validation_split=0.2,
            xlim=(-1, 1.5),
            ylim=(-1, 1.5),
            epochs_per_frame=3,
            title="Train the 2-5-1 network on the sum > 0.5 points",
        )

    def ch7():
        x_moons, t_moons = two_moons()
        shuffled = np.random.default_rng(0).permutation(len(x_moons))
        net = Sequential([Dense(2, "relu") for _ in range(4)] + [Dense(1, "sigmoid")], seed=6)
        return TrainingExplorer(
            net,
            x_moons[shuffled],
            t_moons[shuffled],
            learning_rate=0.01,
            batch_size=16,
            validation_split=0.2,
            title="Train the folding network on the two moons",
        )

    def gallery():
        rng = np.random.default_rng(0)
        corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        points = np.repeat(corners, 15, axis=0) + rng.normal(0, 0.12, size=(60, 2))
        labels = np.repeat([0, 1, 1, 0], 15)
        shuffled = np.random.default_rng(1).permutation(len(points))
        net = Sequential([Dense(3, "tanh"), Dense(1, "sigmoid")], seed=0)
        return TrainingExplorer(
            net,
            points[shuffled],
            labels[shuffled],
            learning_rate=0.1,
            batch_size=8,
            validation_split=0.25,
            key="gallery-train",
        )

    return {
        "notebooks/03_dense_learns_and.html": ch3,
        "notebooks/04_reading_weights.html": ch4,
        "notebooks/07_geometry_of_a_layer.html": ch7,
        "notebooks/90_explorer_gallery.html": gallery,
    }


# Bytes of each training explorer's block: its own part (data, starting weights, markup) and the scripts it
# inlines (nn.js with its training section, and train.js), which every block carries. The scripts grew from 33 kB to
# 41 kB when nn.js learned everything nnlib's trainer does (every activation with erfc for gelu, RMSprop, MAE, the
# cross-entropies' from_logits and Keras' row-sum division) and described it (contract()).
# The still pictures for readers without the script (start, trained, loss curve; between the SVG markers) have a
# budget of their own: 200 training points drawn twice are most of them.
OWN_BUDGET, SCRIPT_BUDGET, STILLS_BUDGET = 30_000, 44_000, 48_000


@pytest.mark.parametrize("page", sorted(chapter_explorers()))
def test_payload_of_each_training_explorer(page):
    from nnlib.explore._face import SVG_END, SVG_MARK, asset

    html = chapter_explorers()[page]().to_html()
    scripts = len(asset("dist/train-static.js").encode())
    stills = len(html[html.index(SVG_MARK) : html.index(SVG_END)].encode())
    own = len(html.encode()) - scripts - stills
    assert own <= OWN_BUDGET, (page, own)
    assert scripts <= SCRIPT_BUDGET, scripts
    assert 10_000 <= stills <= STILLS_BUDGET, (page, stills)  # two pictures of the plane and the loss curve


def test_live_face_steps_resets_and_switches_target_with_nnlib():
    """The live face is the page's trainer in an anywidget: each action it asks for, nnlib trains in the kernel."""
    pytest.importorskip("anywidget")
    from nnlib.explore._face import asset

    explorer = gates_explorer(key="t-widget")
    widget = explorer.widget()
    assert widget._esm == asset("dist/train-live.js") and "<script" not in widget.face
    assert 'data-act="train"' in widget.face and widget.view["epoch"] == 0
    start = widget.view["layers"]
    widget.request = {"n": 1, "action": "train", "epochs": 1}  # Step one epoch
    assert explorer.epoch == 1 and widget.view["n"] == 1 and widget.view["epoch"] == 1
    assert widget.view["layers"] != start and len(widget.view["history"]["loss"]) == 2
    assert widget.view["history"]["loss"] == explorer.history["loss"]  # nnlib's numbers, as they are
    widget.request = {"n": 2, "action": "train", "epochs": 3}  # a frame of Train
    assert explorer.epoch == 4 and widget.view["n"] == 2
    widget.request = {"n": 3, "action": "reset"}
    assert explorer.epoch == 0 and widget.view["layers"] == start
    widget.request = {"n": 4, "action": "set", "learning_rate": 0.3}
    assert explorer.state["learning_rate"] == 0.3
    widget.request = {"n": 5, "action": "task", "target": "XOR", "learning_rate": 0.1, "batch_size": 8}
    assert len(explorer.model.layers) == 2 and explorer.epoch == 0 and widget.view["target"] == "XOR"
    assert [len(l["b"]) for l in widget.view["layers"]] == [2, 1]
    widget.request = {"n": 6, "action": "set", "batch_size": 7}  # not on the menu: refused, nothing changes
    assert explorer.state["batch_size"] == 8


# -- the contract: the page computes what the explorer was given, or the explorer refuses -------------------------
PAGE_JS = """(TR, c) => {
  const tr = new TR.Trainer(c.tasks[0], {loss: c.loss, optimizer: c.optimizer, seed: c.seed,
                                         learning_rate: c.state.learning_rate, batch_size: c.state.batch_size});
  const start = tr.history.loss[0];
  for (let i = 0; i < c.epochs; i++) tr.stepEpoch();
  return {start: start, after: tr.history.loss[c.epochs], accuracy: tr.history.accuracy[0]};
}"""


def page_training(explorer, epochs):
    cfg = dict(config(explorer), epochs=epochs)
    return node_eval(["nn.js", "train.js"], PAGE_JS, [cfg])[0]


@pytest.mark.parametrize(
    "layers, loss, optimizer",
    [
        # the cases: RMSprop and gelu threw on Train; from_logits trained another loss (3.3146 for 0.69)
        ([Dense(3, "gelu"), Dense(1, "sigmoid")], "binary_crossentropy", "rmsprop"),
        ([Dense(3, "swish"), Dense(1, "identity")], losses.BinaryCrossentropy(from_logits=True), "adam"),
        ([Dense(3, "elu"), Dense(1, "sigmoid")], "mae", optimizers.RMSprop(centered=True, momentum=0.5)),
        ([Dense(2, "selu"), Dense(2, "leaky_relu"), Dense(1, "hard_sigmoid")], "mse", optimizers.SGD(momentum=0.9)),
    ],
)
def test_the_page_trains_every_option_nnlib_accepts(layers, loss, optimizer):
    x, t = gate_points("xor")
    explorer = TrainingExplorer(
        Sequential(layers, seed=3),
        x,
        t,
        loss=loss,
        optimizer=optimizer,
        learning_rate=0.03,
        batch_size=8,
        key="t-contract",
    )
    got = page_training(explorer, 40)
    np.testing.assert_allclose(got["start"], explorer.history["loss"][0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(got["accuracy"], explorer.history["accuracy"][0], rtol=0, atol=1e-12)
    assert got["after"] < got["start"]  # the page trained


def test_from_logits_starts_where_nnlib_starts():
    """The issue's numbers: with from_logits the page's first loss read 3.3146, nnlib's about 0.69."""
    x, t = gate_points("and")
    explorer = TrainingExplorer(
        Sequential([Dense(1, "identity", input_dim=2, seed=0)]),
        x,
        t,
        loss=losses.BinaryCrossentropy(from_logits=True),
        key="t-logits",
    )
    assert config(explorer)["loss"] == {"name": "binary_crossentropy", "from_logits": True}
    assert abs(page_training(explorer, 0)["start"] - explorer.history["loss"][0]) < 1e-12


def _refused_with(monkeypatch, cut, build, *words):
    """Take `cut` out of the page's contract; building the explorer must then be refused, naming `words`."""
    from nnlib.explore import contract as contract_module

    reduced = json.loads(json.dumps(contract_module.contract()))
    cut(reduced)
    monkeypatch.setattr(contract_module, "contract", lambda: reduced)
    with pytest.raises(ValueError, match="nn.js cannot compute it") as error:
        build()
    for word in words:
        assert word in str(error.value)


def _moons_explorer(activation="relu", **kwargs):
    x, t = two_moons(40)
    model = Sequential([Dense(2, activation), Dense(1, "sigmoid")], seed=0)
    return TrainingExplorer(model, x, t, **kwargs)


def test_an_activation_the_page_lacks_is_refused_by_name(monkeypatch):
    _refused_with(
        monkeypatch, lambda c: c["activations"].remove("gelu"), lambda: _moons_explorer("gelu"), "'gelu'", "layer 1"
    )


def test_a_loss_option_the_page_lacks_is_refused_by_name(monkeypatch):
    _refused_with(
        monkeypatch,
        lambda c: c["losses"]["binary_crossentropy"]["options"].pop("from_logits"),
        lambda: _moons_explorer(loss=losses.BinaryCrossentropy(from_logits=True)),
        "from_logits=True",
    )


def test_an_optimiser_or_hyper_parameter_the_page_lacks_is_refused_by_name(monkeypatch):
    _refused_with(
        monkeypatch,
        lambda c: c["optimizers"]["rmsprop"]["hyper_parameters"].pop("centered"),
        lambda: _moons_explorer(optimizer="rmsprop"),
        "centered",
    )
    _refused_with(
        monkeypatch, lambda c: c["optimizers"].pop("rmsprop"), lambda: _moons_explorer(optimizer="rmsprop"), "RMSprop"
    )


def test_custom_activations_losses_and_optimisers_are_refused():
    from nnlib.activations import Activation

    x, t = two_moons(40)
    odd = Sequential([Dense(2, Activation("relu", lambda a: a * 2, lambda a, z: 2 + 0 * a)), Dense(1, "sigmoid")])
    with pytest.raises(ValueError, match="custom Activation object named 'relu'"):
        TrainingExplorer(odd, x, t)

    class Nesterov(optimizers.SGD):
        pass

    with pytest.raises(ValueError, match="not one of nnlib's own"):
        _moons_explorer(optimizer=Nesterov())

    class Smoothed(losses.BinaryCrossentropy):
        pass

    with pytest.raises(ValueError, match="not one of nnlib's own"):
        _moons_explorer(loss=Smoothed())


# -- neuron colours: one numbering, both faces -------------------------------------------------------------------
def test_hidden_neurons_are_coloured_in_reading_order_on_both_faces():
    """Neuron i of the hidden layers, counted layer by layer, has neuron_color(i). (The faces used j + 2k and
    j + k * units: with layers of 3 and 2, unit 0 of layer 2 took unit 2's colour of layer 1.) Both faces draw
    with the page's train.js from the same configuration, so the live view must carry the same list."""
    from nnlib.colors import neuron_color

    pytest.importorskip("anywidget")
    x, t = gate_points("xor")
    model = Sequential([Dense(3, "tanh"), Dense(2, "tanh"), Dense(1, "sigmoid")], seed=0)
    explorer = TrainingExplorer(model, x, t, key="t-colours")
    colors = config(explorer)["tasks"][0]["neuron_colors"]
    assert colors == [[neuron_color(0), neuron_color(1), neuron_color(2)], [neuron_color(3), neuron_color(4)]]
    assert explorer.widget().config["tasks"][0]["neuron_colors"] == colors
