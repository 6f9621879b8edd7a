"""The playground (nnlib/explore/playground.py, js/playground.js): the page's network and the exported nnlib code
train to the same weights, the two faces share data, starting weights and batch order, and what the page cannot
do is refused at construction with a message naming it.

The parity test runs the page's own code in Node (dist/playground-static.js: the run the menus make, train.js's
Trainer on nn.js, Step one epoch N times), then executes the code the Export button shows (the same template,
filled by the page) with nnlib, and compares the weights in float64.
"""

import json
import re
from urllib.parse import unquote

import numpy as np
import pytest

from nnlib import Dense, Sequential, activations
from nnlib.explore.contract import contract
from nnlib.explore.playground import (
    DATA_SETS,
    Playground,
    initial_layers,
    page_batch_orders,
    page_random,
    playground_data,
)
from jsface import node_eval

BUNDLE = "dist/playground-static.js"


def page_config(playground):
    return json.loads(re.search(r'class="nnx-config">(.*?)</script>', playground.to_html()).group(1))


# -- the page's generator, data and starting weights, in Python -------------------------------------------------
def test_page_random_and_batch_orders_are_the_pages_to_the_last_bit():
    cases = [{"seed": s, "n": n, "epochs": 3} for s, n in ((0, 128), (1, 5), (2**32 - 1, 40), (12345, 1))]
    page = node_eval(
        ["nn.js"],
        """(NN, c) => { const r = NN.random(c.seed), u = [r(), r(), r()]; const r2 = NN.random(c.seed), orders = [];
            for (let e = 0; e < c.epochs; e++) orders.push(NN.permutation(c.n, r2)); return {u, orders}; }""",
        cases,
    )
    for case, got in zip(cases, page):
        rand = page_random(case["seed"])
        assert [rand(), rand(), rand()] == got["u"]
        orders = page_batch_orders(case["n"], case["epochs"], case["seed"])
        assert [o.tolist() for o in orders] == got["orders"]


def test_starting_weights_and_data_are_the_pages():
    pg = Playground(data="moons", noise=0.2, hidden=(3, 5), activation="relu", seed=9, key="t-start")
    cases = [{"cfg": page_config(pg)}]
    got = node_eval(
        [BUNDLE],
        "(P, c) => { const run = P.runOf(c.cfg, c.cfg.state); const t = P.taskOf(c.cfg, run); "
        "return {start: run.start, x: t.x_train.concat(t.x_val), init: P.initialLayers([8, 1, 2], 'gelu', 'sigmoid', 3)}; }",
        cases,
    )[0]
    assert got["start"] == initial_layers((3, 5), "relu", 9)
    assert got["init"] == initial_layers((8, 1, 2), "gelu", 3)
    x_train, _, x_val, _ = playground_data("moons", 0.2)
    assert np.array_equal(np.array(got["x"]), np.r_[x_train, x_val])


# -- parity: the page's weights after N epochs == nnlib running the exported code ----------------------------------
RUNS = [
    # data, noise, hidden, activation, learning rate, batch size, seed, epochs
    ("xor", 0.1, (4, 4), "tanh", 0.03, 16, 0, 12),
    ("and", 0.0, (), "sigmoid", 0.1, 8, 1, 10),
    ("moons", 0.15, (8, 3, 2), "relu", 0.01, 32, 2, 8),
    ("spiral", 0.05, (6, 6), "gelu", 0.003, 1, 3, 2),
    ("circles", 0.3, (5,), "mish", 0.3, 128, 4, 15),
    ("sum", 0.2, (2, 2), "elu", 0.001, 4, 5, 5),
]


@pytest.mark.parametrize("run", RUNS, ids=[f"{r[0]}-{'-'.join(map(str, r[2])) or 'none'}-{r[3]}" for r in RUNS])
def test_the_exported_code_trains_in_nnlib_to_the_pages_weights(run):
    data, noise, hidden, activation, lr, batch, seed, epochs = run
    pg = Playground(
        data=data,
        noise=noise,
        hidden=hidden,
        activation=activation,
        learning_rate=lr,
        batch_size=batch,
        seed=seed,
        key="t-parity",
    )
    cfg = page_config(pg)
    page = node_eval(
        [BUNDLE],
        """(P, c) => { const run = P.runOf(c.cfg, c.cfg.state), tr = P.pageTrainer(P.taskOf(c.cfg, run), run, c.cfg);
            for (let e = 0; e < c.epochs; e++) tr.stepEpoch();
            return {weights: tr.layers.map((L) => [Array.from(L.W), Array.from(L.b)]),
                    code: P.fillCode(c.cfg.code_template, P.codeValues(run, tr.epoch, c.cfg.output_activation)),
                    loss: tr.history.loss}; }""",
        [{"cfg": cfg, "epochs": epochs}],
    )[0]
    # the page's Export and Python's to_code write the same code for the same run
    pg.train(epochs)
    assert page["code"] == pg.to_code()
    scope = {}
    exec(page["code"], scope)  # noqa: S102 - the code a reader would paste into a notebook
    weights = scope["weights"]
    assert all(w.dtype == np.float64 for w in weights)
    page_weights = [np.array(v) for pair in page["weights"] for v in pair]
    assert len(page_weights) == len(weights)
    for ours, theirs in zip(weights, page_weights):
        np.testing.assert_allclose(ours.ravel(), theirs, rtol=0, atol=1e-9)
    # and the live face (Playground.train, nnlib) is where the page is too
    for ours, theirs in zip(pg.weights(), page_weights):
        np.testing.assert_allclose(ours.ravel(), theirs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(pg.history["loss"], page["loss"], rtol=0, atol=1e-9)
    # training moved the weights: a parity of untouched starts would prove nothing
    start = [np.array(v, dtype=float).ravel() for layer in pg.start for v in (layer["W"], layer["b"])]
    assert max(np.abs(w.ravel() - s).max() for w, s in zip(weights, start)) > 1e-3


def test_a_dragged_weight_starts_a_run_the_code_reproduces():
    pg = Playground(data="xor", hidden=(2,), activation="tanh", key="t-drag")
    start = json.loads(json.dumps(pg.start))
    start[0]["W"][1][0] = 2.35  # as the page does when an edge is dragged: the shown weights become the start
    pg.reset(start=start).train(4)
    scope = {}
    exec(pg.to_code(), scope)  # noqa: S102
    assert "2.35" in pg.to_code()
    for ours, theirs in zip(scope["weights"], pg.weights()):
        np.testing.assert_array_equal(ours, theirs)


# -- opening a notebook's Sequential ----------------------------------------------------------------------------
def test_a_notebooks_model_opens_with_its_own_weights_rounded():
    model = Sequential([Dense(3, "relu"), Dense(2, "relu"), Dense(1, "sigmoid")], seed=4)
    model.build(2)
    pg = Playground.from_model(model, data="circles")
    assert pg.hidden == (3, 2) and pg.activation == "relu"
    for k, layer in enumerate(model.layers):
        np.testing.assert_array_equal(pg.start[k]["W"], np.round(layer.W.astype(np.float64), 4))
    cfg = page_config(pg)
    assert cfg["model_start"] == pg.start and cfg["state"]["layers"] == 2
    got = node_eval([BUNDLE], "(P, c) => P.runOf(c.cfg, c.cfg.state).start", [{"cfg": cfg}])[0]
    assert got == pg.start  # the page starts from the notebook's weights, not its own draw
    unbuilt = Playground(model=Sequential([Dense(2, "tanh"), Dense(1, "sigmoid")], seed=1))
    assert unbuilt.hidden == (2,)


@pytest.mark.parametrize(
    "model, message",
    [
        (Sequential([Dense(2, "tanh", input_dim=3), Dense(1, "sigmoid")]), "must take 2 inputs"),
        (Sequential([Dense(2, "tanh"), Dense(2, "softmax")]), "one sigmoid neuron"),
        (Sequential([Dense(2, "tanh"), Dense(1, "relu")]), "one sigmoid neuron"),
        (Sequential([Dense(2, "tanh"), Dense(2, "relu"), Dense(1, "sigmoid")]), "one activation"),
        (Sequential([Dense(2, "tanh", use_bias=False), Dense(1, "sigmoid")]), "use_bias=True"),
        (Sequential([Dense(9, "tanh"), Dense(1, "sigmoid")]), "1 to 8 neurons"),
        (Sequential([Dense(2, "tanh") for _ in range(4)] + [Dense(1, "sigmoid")]), "0 to 3 hidden layers"),
        ("not a model", "nnlib Sequential"),
    ],
    ids=["3 inputs", "2 outputs", "relu output", "mixed", "no bias", "9 units", "4 layers", "not a model"],
)
def test_what_the_page_cannot_show_is_refused(model, message):
    with pytest.raises(ValueError, match=message):
        Playground(model=model)


def test_a_custom_activation_object_is_refused_by_the_contract():
    own = activations.get("tanh")
    custom = activations.Activation("tanh", lambda a: np.tanh(a), own.gradient)
    model = Sequential([Dense(2, custom), Dense(1, "sigmoid")])
    with pytest.raises(ValueError, match="custom Activation object"):
        Playground(model=model)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"data": "mnist"}, "data='mnist' is not offered"),
        ({"noise": 0.7}, "noise=0.7 is not offered"),
        ({"hidden": (4, 4, 4, 4)}, "0 to 3 hidden layers"),
        ({"hidden": (0,)}, "1 to 8 neurons"),
        ({"hidden": 4}, "list of units"),
        ({"activation": "nope"}, "nope"),
        ({"learning_rate": 0.5}, "learning_rate=0.5 is not offered"),
        ({"batch_size": 3}, "batch_size=3 is not offered"),
        ({"seed": -1}, "seed must be"),
        ({"key": "a b"}, "key must be"),
    ],
)
def test_bad_options_are_refused_naming_them(options, message):
    with pytest.raises(ValueError, match=message):
        Playground(**options)


def test_every_contract_activation_and_data_set_is_offered():
    html = Playground(key="t-menus").to_html()
    for name in contract()["activations"]:
        assert f'<option value="{name}"' in html
    for name in DATA_SETS:
        assert f'<option value="{name}"' in html
    for name in contract()["activations"]:
        Playground(activation=name, hidden=(2,), key="t-act").train(1)


def test_the_static_face_holds_the_pictures_of_the_start():
    # each figure a still <img> (an untrusted notebook's sanitizer drops inline SVG) with a text alternative,
    # beside its empty live <svg>, hidden until the script wakes the block
    html = Playground(key="t-static").to_html()
    drawn = {}
    for figure in ("graph", "region", "loss"):
        assert re.search(rf'<svg class="nnx-pg-{figure} nnx-awake"[^>]* style="display:none"></svg>', html), figure
        img = re.search(rf'<img class="[^"]*nnx-pg-{figure}-still" src="data:image/svg\+xml,([^"]*)"[^>]*>', html)
        assert img and len(re.search(r'alt="([^"]*)"', img.group(0)).group(1).split()) > 5, figure
        drawn[figure] = unquote(img.group(1))
        assert len(drawn[figure]) > 500, figure
    assert drawn["graph"].count("<image") == 2 + 4 + 4 + 1  # every node's picture
    assert drawn["graph"].count("role='slider'") == 2 * 4 + 4 * 4 + 4  # every weight an edge
    # nothing that looks live before the script runs: every control disabled, and a note saying what brings it to life
    controls = re.findall(r"<(?:select|button)\b[^>]*>", html)
    assert controls and all(" disabled" in c for c in controls)
    assert "Run this cell" in html and 'class="nnx-runnote"' in html


# -- the live face: the view asks for a run and a number of epochs, nnlib trains it -------------------------------
class _View:
    comm = object()
    view = None


def test_the_live_face_trains_the_pages_run_with_nnlib_to_the_pages_weights():
    pg = Playground(key="t-live")
    pg._view = _View()
    cfg = page_config(pg)
    cfg["state"].update(data="circles", layers=2, units1=5, units2=3, activation="swish", batch_size=8)
    page = node_eval(
        [BUNDLE],
        """(P, c) => { const run = P.runOf(c.cfg, c.cfg.state), tr = P.pageTrainer(P.taskOf(c.cfg, run), run, c.cfg);
            for (let e = 0; e < 5; e++) tr.stepEpoch();
            return {run, weights: tr.layers.map((L) => [Array.from(L.W), Array.from(L.b)])}; }""",
        [{"cfg": cfg}],
    )[0]
    pg._on_request({"n": 1, "run": page["run"], "epochs": 3})
    pg._on_request({"n": 2, "run": page["run"], "epochs": 5})  # continues the same run
    answer = pg._view.view
    assert answer["n"] == 2 and answer["epoch"] == 5 and len(answer["history"]["loss"]) == 6
    assert pg.hidden == (5, 3) and pg.activation == "swish" and pg.data == "circles"
    for layer, (W, b) in zip(answer["layers"], page["weights"]):
        np.testing.assert_allclose(np.ravel(layer["W"]), W, rtol=0, atol=1e-9)
        np.testing.assert_allclose(layer["b"], b, rtol=0, atol=1e-9)
    pg._on_request({"n": 3, "run": page["run"], "epochs": 0})  # Reset: back to the start
    assert pg._view.view["epoch"] == 0
    pg._on_request({"n": 4, "run": dict(page["run"], hidden=[9]), "epochs": 1})
    assert "1 to 8 neurons" in pg._view.view["error"]
