"""Playground: build your own small network and train it, TensorFlow-Playground style, in the page or in Jupyter.

The reader picks a data set (chapter 3's AND and XOR, chapter 4's sum > 0.5, chapter 7's moons, circles, a
spiral) and its noise, 0 to 3 hidden layers of 1 to 8 neurons, their activation (every one nn.js computes,
contract.json), the learning rate and the batch size; then Train / Pause / Step / Reset. The figure shows the
network as a graph (each node a picture of what it computes over the input plane, each edge coloured and
thickened by its weight; an edge can be dragged, or focused and moved with the arrow keys), the decision
region with the data and the loss curves. Both faces draw with the same code (js/playground.js):

- the book (static face): nn.js trains (train.js's Trainer), from weights the page draws itself;
- Jupyter (live face): the page asks the kernel, and nnlib's `fit` trains the same network with the page's
  batch order, so the two faces show the same numbers.

Parity with a notebook: `to_code()` (and the page's Export button, from the same template) writes the nnlib
code that trains the same network from the same starting weights with the same optimiser, loss and batch
order: each epoch visits the rows in the page's seeded order (`page_batch_orders`, the page's generator
written in Python), passed to `fit` with shuffle=False. tests/test_playground_code.py holds nnlib's weights after
the exported code to nn.js's at 1e-9.
"""

import functools
import html
import json
import math
import re

import numpy as np

from .. import losses as losses_module
from .. import optimizers as optimizers_module
from ..colors import CLASS_COLORS, DIVERGING_LUT, PALETTE, SEQUENTIAL_LUT, SUM_COLOR
from ..layers import Dense
from ..network import Sequential
from ..i18n import N_
from ._controls import SUPPRESS_SHORTCUTS, Choice, label_html
from ._face import (
    ASLEEP,
    bundled_face,
    in_language,
    SVG_END,
    SVG_MARK,
    run_bundle,
    run_note_html,
    still_img,
)
from ._jupyter import claim_live_id, live_model_id, to_json, view_class
from .contract import check_training, contract
from .trainer import CORNERS, LEARNING_RATES, two_moons

# What the page offers.
DATA_SETS = {
    "and": N_("AND gate (ch. 3)"),
    "xor": N_("XOR gate (ch. 3)"),
    "sum": N_("x0 + x1 > 0.5 (ch. 4)"),
    "moons": N_("two moons (ch. 7)"),
    "circles": N_("circles"),
    "spiral": N_("spiral"),
}
NOISES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
MAX_LAYERS, MAX_UNITS = 3, 8
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128)
POINTS, VALIDATION = 160, 32  # every data set: 160 points, the last 32 held out for the validation curve
RESOLUTION = 32  # grid cells per side of the decision region
NODE_RESOLUTION = 16  # and of each node's small picture on the graph
DECIMALS = 4  # the starting weights, rounded (small pages, the same numbers on every CPU)
LOSS = "binary_crossentropy"  # the output is one sigmoid neuron: the probability of class 1
OUTPUT_ACTIVATION = "sigmoid"
DATA_SEED = 7
MENUS = ("data", "noise", "layers", "units1", "units2", "units3", "activation", "learning_rate", "batch_size")


# -- the page's generator, in Python: the same numbers as nn.js's NN.random and NN.permutation ---------------
def _imul(a, b):
    return (a * b) & 0xFFFFFFFF


def page_random(seed):
    """nn.js's `random(seed)` (mulberry32): a function returning the page's uniform numbers in [0, 1), in order.

    JavaScript works on 32-bit integers here; every step below is the same step modulo 2**32, so the numbers
    are the page's to the last bit (tests/test_playground_code.py compares them in Node).
    """
    s = int(seed) & 0xFFFFFFFF

    def rand():
        nonlocal s
        s = (s + 0x6D2B79F5) & 0xFFFFFFFF
        q = _imul(s ^ (s >> 15), 1 | s)
        q = ((q + _imul(q ^ (q >> 7), 61 | q)) & 0xFFFFFFFF) ^ q
        return (q ^ (q >> 14)) / 4294967296

    return rand


def _permutation(n, rand):
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = math.floor(rand() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def page_batch_orders(n, epochs, seed):
    """The order in which the page visits n training rows in each of `epochs` epochs: a list of index arrays.

    The page's trainer (train.js) draws one Fisher-Yates permutation per epoch from one generator seeded once
    at Reset; this is that sequence, for nnlib's `fit(x[order], t[order], shuffle=False, ...)`.
    """
    rand = page_random(seed)
    return [np.array(_permutation(int(n), rand)) for _ in range(int(epochs))]


def _round(v):
    # JavaScript's Math.round(v * 1e4) / 1e4: halves round up
    return math.floor(v * 10**DECIMALS + 0.5) / 10**DECIMALS


def initial_layers(hidden, activation, seed):
    """The page's starting weights for hidden layers `hidden` (units each) and one sigmoid output, as nn.js layers.

    Glorot-uniform as nnlib's Dense draws it, W ~ U(-r, r) with r = sqrt(6 / (inputs + units)), but from the
    page's generator (so the page can draw them for any architecture without a kernel), rounded to 4 decimals;
    biases 0. Returns [{"W": (inputs, units) nested lists, "b": [...], "activation": name}].
    """
    rand, layers, inputs = page_random(seed), [], 2
    for k, units in enumerate(list(hidden) + [1]):
        limit = math.sqrt(6 / (inputs + units))
        W = [[_round((2 * rand() - 1) * limit) for _ in range(units)] for _ in range(inputs)]
        act = activation if k < len(hidden) else OUTPUT_ACTIVATION
        layers.append({"W": W, "b": [0.0] * units, "activation": act})
        inputs = units
    return layers


# -- the data sets ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _clean_data():
    """{name: (clean points (160, 2), labels (160,) of 0/1)} and the unit noise (160, 2) every data set shares.

    The page builds x = clean + noise * unit_noise itself (one multiplication and one addition per number, the
    same in float64 in both faces), so the noise menu needs no kernel. Rows are in a seeded random order, so the
    last 32 (the validation rows) hold both classes.
    """
    rng = np.random.default_rng(DATA_SEED)
    n = POINTS
    sets = {}
    corners = np.repeat(CORNERS, n // 4, axis=0)
    sets["and"] = (corners, (corners[:, 0] * corners[:, 1]).astype(float))
    sets["xor"] = (corners, (corners[:, 0] != corners[:, 1]).astype(float))
    square = rng.random((n, 2))
    sets["sum"] = (square, (square.sum(axis=1) > 0.5).astype(float))
    moons, labels = two_moons(n, noise=0.0, seed=DATA_SEED)
    sets["moons"] = (moons * 1.5, labels)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(np.arange(n) % 2 == 0, rng.uniform(0, 0.5, n), rng.uniform(0.75, 1.0, n))
    sets["circles"] = (np.c_[radius * np.cos(angle), radius * np.sin(angle)], (np.arange(n) % 2 == 0).astype(float))
    turn = np.sqrt(rng.uniform(0.02, 1, n)) * 2.2 * np.pi
    arm = np.arange(n) % 2
    spiral = np.c_[turn * np.cos(turn + np.pi * arm), turn * np.sin(turn + np.pi * arm)] / (2.2 * np.pi) * 1.2
    sets["spiral"] = (spiral, arm.astype(float))
    unit = rng.normal(0, 1, (n, 2))
    out = {}
    for name, (x, t) in sets.items():
        order = rng.permutation(n)
        out[name] = (np.round(x[order], DECIMALS), t[order])
    return out, np.round(unit, DECIMALS)


def _plane(clean):
    """The input plane shown for a data set: its clean points with room for the largest noise."""
    pad = 0.25 + 2 * max(NOISES)
    lo, hi = clean.min(axis=0) - pad, clean.max(axis=0) + pad
    return [float(np.floor(lo[0] * 2) / 2), float(np.ceil(hi[0] * 2) / 2)], [
        float(np.floor(lo[1] * 2) / 2),
        float(np.ceil(hi[1] * 2) / 2),
    ]


def playground_data(name, noise=0.1):
    """The playground's data set `name` with `noise`: x_train (128, 2), t_train (128, 1), x_val (32, 2), t_val.

    x = clean points + noise * a fixed unit Gaussian noise, exactly as the page computes them; t is 1 for class 1.
    """
    name = _check_choice("data", name, DATA_SETS)
    noise = _check_choice("noise", noise, NOISES)
    sets, unit = _clean_data()
    clean, labels = sets[name]
    x = clean + noise * unit
    t = labels[:, None]
    cut = POINTS - VALIDATION
    return x[:cut], t[:cut], x[cut:], t[cut:]


def _check_choice(what, value, offered):
    if isinstance(value, str):
        value = value.strip().lower()
    elif isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{what} must be one of {', '.join(map(repr, offered))}, got {value!r}")
    for v in offered:
        if v == value:
            return v
    raise ValueError(
        f"{what}={value!r} is not offered by the playground; choose one of {', '.join(map(repr, offered))}"
    )


# The code the Export button shows and `to_code()` returns: one template, filled by the page (playground.js) and
# here alike ({name} fields; nothing else in it is replaced).
CODE_TEMPLATE = """\
# The playground's network, trained as the page trained it: {epochs} epochs.
import numpy as np
from nnlib import Dense, Sequential, training
from nnlib.optimizers import Adam
from nnlib.explore.playground import page_batch_orders, playground_data

x_train, t_train, x_val, t_val = playground_data({data}, noise={noise})
model = Sequential([{layers}])
model.build(2)
start = [  # the page's starting weights: W (inputs, units), b (units,) per layer
{weights}
]
model.set_weights([np.array(w, dtype=np.float64) for w in start])
optimizer = Adam(learning_rate={learning_rate})
# each epoch visits the training rows in the page's own seeded order, in batches of {batch_size}
for order in page_batch_orders(len(x_train), epochs={epochs}, seed={seed}):
    history = training.fit(model, x_train[order], t_train[order], "binary_crossentropy", optimizer, epochs=1,
                           batch_size={batch_size}, shuffle=False, validation_data=(x_val, t_val), verbose=False)
weights = model.get_weights()
"""


def _number(v):
    """A float as JavaScript's String(v) writes it for the playground's numbers (and Python reads back exactly)."""
    v = float(v)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v)}"
    text = repr(v)
    return text if "e" not in text else json.dumps(v)


def fill_code(values):
    """The template with its fields; values: {field: text}. (playground.js fills it the same way.)"""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), CODE_TEMPLATE)


def code_values(data, noise, hidden, activation, learning_rate, batch_size, seed, start, epochs):
    """The template's fields for one run (start: nn.js layers {W, b, activation}). playground.js: codeValues."""
    dense = [f'Dense({u}, "{activation}")' for u in hidden] + [f'Dense(1, "{OUTPUT_ACTIVATION}")']
    rows = []
    for k, layer in enumerate(start):
        W = "[" + ", ".join("[" + ", ".join(_number(v) for v in row) + "]" for row in layer["W"]) + "]"
        b = "[" + ", ".join(_number(v) for v in layer["b"]) + "]"
        rows.append(f"    {W},  # W{k + 1}\n    {b},  # b{k + 1}")
    return {
        "epochs": str(int(epochs)),
        "data": f'"{data}"',
        "noise": _number(noise),
        "layers": ", ".join(dense),
        "weights": "\n".join(rows),
        "learning_rate": _number(learning_rate),
        "batch_size": str(int(batch_size)),
        "seed": str(int(seed)),
    }


class Playground:
    """Build and train your own network on a two-input task: graph, pictures, decision region, loss curves.

    Playground(data="xor", noise=0.1, hidden=(4, 4), activation="tanh", learning_rate=0.03, batch_size=16,
               seed=0, model=None, title=None, key=None)

    data: one of DATA_SETS ("and", "xor", "sum", "moons", "circles", "spiral"); noise: one of NOISES.
    hidden: the hidden layers' units, 0 to 3 layers of 1 to 8; activation: theirs (any activation in
        contract.json); the output is Dense(1, "sigmoid") trained with binary cross-entropy and Adam.
    learning_rate: one of trainer.LEARNING_RATES; batch_size: one of BATCH_SIZES (at most 128).
    seed: the page's generator: the starting weights (Glorot-uniform, `initial_layers`) and the batch order.
    model: an nnlib Sequential to open instead (`from_model`): its layers set hidden and activation, and its
        weights (float64, rounded to 4 decimals) are the start. Anything the page cannot show or train is refused.

    `train(epochs)` trains with nnlib as the page does; `to_code()` is the code that reproduces it;
    `weights()` the current weights; `to_html()` the static face; in Jupyter, the live face (nnlib trains).
    """

    kind = "pg"  # the block's class nnx-pg (the live id and the stored stand-ins read the kind from it)
    title = N_("Playground: your own network")

    def __init__(
        self,
        data="xor",
        noise=0.1,
        hidden=(4, 4),
        activation="tanh",
        learning_rate=0.03,
        batch_size=16,
        seed=0,
        model=None,
        title=None,
        key=None,
    ):
        self.data = _check_choice("data", data, DATA_SETS)
        self.noise = _check_choice("noise", noise, NOISES)
        self.learning_rate = _check_choice("learning_rate", learning_rate, LEARNING_RATES)
        self.batch_size = _check_choice("batch_size", batch_size, BATCH_SIZES)
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
            raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed!r}")
        self.seed = int(seed)
        if model is not None:
            hidden, activation, start = _open_model(model)
        else:
            start = None
        self.hidden = _check_hidden(hidden)
        self.activation = _check_hidden_activation(activation)
        self.model_start = start  # a notebook's weights, or None: the page draws them from the seed
        if title is not None:
            self.title = str(title)
        if key is not None:
            key = str(key)
            if not key or not all(ch.isalnum() or ch in "-_" for ch in key):
                raise ValueError(f"key must be letters, digits, '-' or '_' (it becomes an HTML id), got {key!r}")
        self.key = key or "nnx-pg-" + _digest([self.data, self.noise, self.hidden, self.activation, self.seed, start])
        self._view = None
        self.reset()

    @classmethod
    def from_model(cls, model, data="xor", **options):
        """Open a notebook's Sequential in the playground: Playground(model=model, data=data, **options)."""
        return cls(model=model, data=data, **options)

    # -- one run, trained with nnlib ----------------------------------------------------------------------------
    def start_layers(self):
        """The run's starting weights as nn.js layers [{W, b, activation}]: the notebook's model, else the page's."""
        if self.model_start is not None:
            return self.model_start
        return initial_layers(self.hidden, self.activation, self.seed)

    def reset(self, start=None):
        """Back to the starting weights (or `start`, nn.js layers, e.g. after a dragged weight), epoch 0, fresh Adam."""
        self.start = start if start is not None else self.start_layers()
        self.model = _model_from_layers(self.start)
        self.optimizer = optimizers_module.Adam(learning_rate=self.learning_rate)
        self.loss = losses_module.get(LOSS)
        self.x_train, self.t_train, self.x_val, self.t_val = playground_data(self.data, self.noise)
        self.epoch = 0
        self._rand = page_random(self.seed)  # the page's generator, seeded at Reset: one permutation per epoch
        self.history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        self._record()
        return self

    def _record(self, train_loss=None, train_acc=None):
        """Append the epoch's numbers, as the page's trainer keeps them: the training loss and accuracy of the
        epoch (fit's means over its batches; before training, of the whole set), and the validation ones."""
        from .. import training

        if train_loss is None:
            train_loss, train_acc = training.evaluate(self.model, self.x_train, self.t_train, self.loss)
        self.history["loss"].append(float(train_loss))
        self.history["accuracy"].append(float(train_acc))
        val_loss, val_acc = training.evaluate(self.model, self.x_val, self.t_val, self.loss)
        self.history["val_loss"].append(float(val_loss))
        self.history["val_accuracy"].append(float(val_acc))

    def train(self, epochs=1):
        """Train `epochs` more epochs with nnlib's fit, in the page's batch order; returns self."""
        from .. import training

        for _ in range(int(epochs)):
            order = np.array(_permutation(len(self.x_train), self._rand))
            h = training.fit(
                self.model,
                self.x_train[order],
                self.t_train[order],
                self.loss,
                self.optimizer,
                epochs=1,
                batch_size=self.batch_size,
                shuffle=False,
                verbose=False,
            )
            self.epoch += 1
            self._record(h["loss"][0], h["accuracy"][0])
        return self

    def weights(self):
        """The current weights, as nnlib's get_weights: [W1, b1, W2, b2, ...] (float64)."""
        return self.model.get_weights()

    def to_code(self):
        """The nnlib code that builds this network and trains it to its current weights (the page's Export)."""
        return fill_code(
            code_values(
                self.data,
                self.noise,
                self.hidden,
                self.activation,
                self.learning_rate,
                self.batch_size,
                self.seed,
                self.start,
                self.epoch,
            )
        )

    # -- the page ---------------------------------------------------------------------------------------------
    def config(self):
        """The page's configuration: data sets, menus, colours, the code template and the starting state."""
        sets, unit = _clean_data()
        data = {}
        for name, (clean, labels) in sets.items():
            xlim, ylim = _plane(clean)
            data[name] = {"label": DATA_SETS[name], "clean": clean.tolist(), "classes": labels.astype(int).tolist()}
            data[name].update(xlim=xlim, ylim=ylim)
        return {
            "key": self.key,
            "data": data,
            "unit_noise": unit.tolist(),
            "validation": VALIDATION,
            "state": self.state(),
            "model_start": self.model_start,
            "loss": {"name": LOSS},
            "optimizer": {"name": "adam"},
            "output_activation": OUTPUT_ACTIVATION,
            "res": RESOLUTION,
            "node_res": NODE_RESOLUTION,
            "lut": SEQUENTIAL_LUT,
            "neuron_lut": DIVERGING_LUT,
            "class_colors": [CLASS_COLORS[0], CLASS_COLORS[1]],
            "line_color": SUM_COLOR,
            "curve_colors": [SUM_COLOR, PALETTE[1]],
            "code_template": CODE_TEMPLATE,
            "budget_ms": 8.0,
            "epochs_per_frame": 1,  # about 60 epochs a second: fast enough to watch, slow enough to see
            "loss_epochs": 50,
        }

    def state(self):
        """The menus' values: data, noise, layers, units1..3, activation, learning_rate, batch_size, seed."""
        units = list(self.hidden) + [4] * (MAX_LAYERS - len(self.hidden))
        return {
            "data": self.data,
            "noise": self.noise,
            "layers": len(self.hidden),
            **{f"units{k + 1}": units[k] for k in range(MAX_LAYERS)},
            "activation": self.activation,
            "learning_rate": self.learning_rate,
            "batch_size": self.batch_size,
            "seed": self.seed,
        }

    def description(self):
        net = "-".join(str(u) for u in [2, *self.hidden, 1])
        return N_(
            "A {net} network ({activation} hidden layers, sigmoid output) on the {data} data: the network as a graph "
            "whose nodes show what each neuron computes over the input plane and whose edges are coloured by weight "
            "(purple positive, orange negative, thicker for larger), the decision region with the data points, and "
            "the training and validation loss per epoch.",
            net=net,
            activation=self.activation,
            data=DATA_SETS[self.data],
        )

    def __repr__(self):
        return f"<Playground: {self.description()}>"

    def _controls(self):
        s = self.state()
        menus = [
            Choice("data", N_("data"), list(DATA_SETS.items()), s["data"], long=N_("data set")),
            Choice(
                "noise", N_("noise"), [(v, f"{v:g}") for v in NOISES], s["noise"], long=N_("noise added to the points")
            ),
            Choice("layers", N_("hidden layers"), [(k, str(k)) for k in range(MAX_LAYERS + 1)], s["layers"]),
        ]
        menus += [
            Choice(
                f"units{k}",
                N_("layer {k}", k=k),
                [(u, str(u)) for u in range(1, MAX_UNITS + 1)],
                s[f"units{k}"],
                long=N_("neurons in hidden layer {k}", k=k),
            )
            for k in range(1, MAX_LAYERS + 1)
        ]
        acts = [a for a in contract()["activations"]]
        menus += [
            Choice(
                "activation",
                N_("activation"),
                [(a, a) for a in acts],
                s["activation"],
                long=N_("activation of the hidden layers"),
            ),
            Choice(
                "learning_rate",
                N_("learning rate"),
                [(r, f"{r:g}") for r in LEARNING_RATES],
                s["learning_rate"],
                long=N_("learning rate of {optimizer}", optimizer="Adam"),
            ),
            Choice(
                "batch_size",
                N_("batch size"),
                [(b, str(b)) for b in BATCH_SIZES],
                s["batch_size"],
                long=N_("points per gradient step"),
            ),
        ]
        parts = []
        for c in menus:
            cid = f"{self.key}-{c.name}"
            hidden = c.name.startswith("units") and int(c.name[5:]) > s["layers"]
            asleep = f" {ASLEEP}" if hidden else ""  # display:none too, where `hidden` is dropped
            parts.append(f'<div class="nnx-ctl"{asleep}>{label_html(cid, c)}{c.html(cid, s[c.name])}</div>')
        return "".join(parts)

    def _block(self, pictures=None):
        """The block: menus, buttons, the three figures, the readout, the export panel; the same HTML in both faces.

        `pictures` ({graph, region, loss} SVG markup, the static face's): each figure shows as a still <img> (it
        survives an untrusted notebook's sanitizer, where an inline <svg> is dropped) until the script runs. The
        live parts (menus, buttons, the figures' <svg>s) start hidden and disabled, and a run note shows; the
        script's first act (js/wake.js) swaps them.
        """
        k, p = self.key, pictures or {}
        asleep = ASLEEP

        sleeping = ' style="display:none"'  # an <svg> has no `hidden` property for wake.js to clear

        def figure(name, w, h, label, role="img"):
            svg = (
                f'<svg class="nnx-pg-{name}{" nnx-awake" if name in p else ""}" viewBox="0 0 {w} {h}" role="{role}" '
                f'aria-label="{html.escape(label)}" data-i18n-attrs{sleeping if name in p else ""}></svg>'
            )
            if name not in p:
                return svg
            still = still_img(p[name], (w, h), label, cls=f"nnx-still nnx-pg-still nnx-pg-{name}-still")
            return f"{svg}{SVG_MARK}{still}{SVG_END}"

        button = f'<button type="button" {SUPPRESS_SHORTCUTS}="true" disabled'
        note = run_note_html(
            N_(
                "A still picture of the starting network. Run this cell (or open the page with JavaScript on) to "
                "train it, change the menus and drag its weights."
            )
        )
        return (
            f'<div class="nnx nnx-pg" id="{k}" role="group" aria-labelledby="{k}-h">'
            f'<p class="nnx-h" id="{k}-h" data-i18n>{html.escape(self.title)}</p>'
            f"{note}"
            f'<div class="nnx-controls nnx-pg-menus nnx-awake" {asleep}>{self._controls()}</div>'
            f'<div class="nnx-pg-buttons nnx-awake" {asleep}>{button} data-act="train" '
            f'aria-label="{N_("Train: run epochs until paused")}" data-i18n>{N_("Train")}</button>'
            f'{button} data-act="step" data-i18n>{N_("Step one epoch")}</button>'
            f'{button} data-act="reset" data-i18n>{N_("Reset")}</button>{button} data-act="export" aria-expanded="false" '
            f'aria-controls="{k}-code" data-i18n>{N_("Export as nnlib code")}</button>'
            f'<span class="nnx-pg-epoch" data-i18n>{N_("epoch {epoch}", epoch=0)}</span></div>'
            f'<div class="nnx-pg-fig">'
            f'<div class="nnx-pg-graphbox"><p class="nnx-pg-cap nnx-awake" {asleep} data-i18n>'
            + N_(
                "The network: drag an edge up or down, or focus it (Tab) and press the arrow keys, to change its weight."
            )
            + "</p>"
            + figure("graph", *GRAPH_SIZE, N_("The network as a graph.") + " " + self.description(), role="group")
            + "</div>"
            + '<div class="nnx-pg-plots">'
            + figure(
                "region",
                *REGION_SIZE,
                N_(
                    "Decision region: the network's output over the input plane, and the data "
                    "(circles class 0, triangles class 1)"
                ),
            )
            + figure("loss", *LOSS_SIZE, N_("Loss per epoch: training (solid) and validation (dashed)"))
            + "</div></div>"
            '<p class="nnx-pg-key"><span data-i18n>'
            + N_(
                "Colours: the region and the output node from dark blue (0) to yellow (1); each hidden node from "
                "orange (low) through white (where its sum is 0) to purple (high); edges purple for a positive "
                "weight, orange for a negative one, thicker the larger."
            )
            # the points' key on a line of its own, as a legend (no punctuation between its entries, and none
            # after the sentence above: each is translated on its own, and Japanese puts no space after a 。)
            + f"</span><br><span data-i18n>{N_('Points:')}</span> "
            f'<span style="color:{CLASS_COLORS[0]}">&#9679;</span> <span data-i18n>{N_("class 0")}</span>&emsp;'
            f'<span style="color:{CLASS_COLORS[1]}">&#9650;</span> <span data-i18n>{N_("class 1 (hollow: validation)")}</span>'
            "</p>"
            f'<p class="nnx-readout" aria-live="polite" data-i18n>{html.escape(self.readout())}</p>'
            f'<div class="nnx-pg-export" id="{k}-code" hidden><p data-i18n>'
            + N_("Run this in a notebook: nnlib trains the same network to the same weights.")
            + "</p><pre><code></code></pre></div>"
            "</div>"
        )

    def readout(self):
        h = self.history
        return N_(
            "epoch {epoch}: training loss {loss}, accuracy {accuracy}; validation loss {val_loss}, "
            "accuracy {val_accuracy}.",
            epoch=self.epoch,
            loss=f"{h['loss'][-1]:.4f}",
            accuracy=f"{h['accuracy'][-1]:.1%}",
            val_loss=f"{h['val_loss'][-1]:.4f}",
            val_accuracy=f"{h['val_accuracy'][-1]:.1%}",
        )

    def pictures(self):
        """The three figures' SVG markup for the starting state, drawn by the page's bundle in Node (None without)."""
        return _prerender(self.config())

    def to_html(self):
        """The static face: the block with the pictures of the start, its style, configuration and the bundle."""
        boot = "nnlibPlayground.boot(document.currentScript.parentNode);"
        return bundled_face(self._block(self.pictures()), self.config(), "playground.css", "playground-static.js", boot)

    # -- live face: the same page; nnlib trains in the kernel ---------------------------------------------------
    def widget(self):
        """The live face: the page's block in an anywidget; each run the view asks for, nnlib trains here."""
        if self._view is None or self._view.comm is None:
            model_id = live_model_id(self.kind, self.title, MENUS)
            self._view = claim_live_id(
                model_id,
                lambda mid: view_class("playground-live.js", ("explore.css", "playground.css"))(
                    self, face=in_language(self._block()), config=self.config(), model_id=mid
                ),
            )
        return self._view

    def _on_view(self, state):
        """The playground's view sends requests (`_on_request`), not states."""

    def _on_request(self, request):
        """{n, run: {data, noise, hidden, activation, learning_rate, batch_size, seed, start}, epochs}: train the run
        to `epochs` with nnlib (from its start if the run changed or went past them) and send the weights back."""
        run, target = request.get("run") or {}, int(request.get("epochs", 0))
        try:
            key = json.dumps(run, sort_keys=True)
            if key != getattr(self, "_run_key", None) or target < self.epoch:
                self.data = _check_choice("data", run["data"], DATA_SETS)
                self.noise = _check_choice("noise", run["noise"], NOISES)
                self.hidden = _check_hidden(run["hidden"])
                self.activation = _check_hidden_activation(run["activation"])
                self.learning_rate = _check_choice("learning_rate", run["learning_rate"], LEARNING_RATES)
                self.batch_size = _check_choice("batch_size", run["batch_size"], BATCH_SIZES)
                self.reset(start=run["start"])
                self._run_key = key
            self.train(max(0, min(target - self.epoch, 50)))
        except (KeyError, TypeError, ValueError) as err:
            self._view.view = {"n": request.get("n", 0), "error": str(err)}
            return
        self._view.view = {
            "n": request.get("n", 0),
            "epoch": self.epoch,
            "layers": _layers_json(self.model),
            "history": to_json(self.history),
        }

    def _repr_mimebundle_(self, include=None, exclude=None):
        from ._jupyter import WIDGET_VIEW, widget_view

        bundle = {"text/plain": repr(self), "text/html": self.to_html()}
        try:
            bundle[WIDGET_VIEW] = widget_view(self.widget())
        except ImportError:
            pass
        return bundle


# The three figures' viewBoxes (playground.js draws in them): text of 12-16 units stays >= 11 px at 390 px.
GRAPH_SIZE, REGION_SIZE, LOSS_SIZE = (460, 330), (330, 320), (330, 222)


def _digest(value):
    import hashlib

    return hashlib.sha1(json.dumps(value, sort_keys=True).encode()).hexdigest()[:8]


def _check_hidden(hidden):
    try:
        hidden = [int(u) if not isinstance(u, bool) and float(u) == int(u) else None for u in hidden]
    except (TypeError, ValueError):
        raise ValueError(f"hidden must be a list of units per hidden layer, e.g. (4, 4), got {hidden!r}") from None
    if len(hidden) > MAX_LAYERS or any(u is None or not 1 <= u <= MAX_UNITS for u in hidden):
        raise ValueError(
            f"the playground draws 0 to {MAX_LAYERS} hidden layers of 1 to {MAX_UNITS} neurons, got {hidden!r}"
        )
    return tuple(hidden)


def _check_hidden_activation(activation):
    from .. import activations

    name = activations.get(activation).name  # a clear error for an unknown name
    if name not in contract()["activations"]:
        raise ValueError(f"activation {name!r}: the page's nn.js cannot compute it (contract.json)")
    return name


def _layers_json(model):
    return [
        {"W": layer.W.tolist(), "b": layer.b.tolist(), "activation": layer.activation.name} for layer in model.layers
    ]


def _model_from_layers(layers):
    model = Sequential([Dense(len(layer["b"]), layer["activation"]) for layer in layers])
    model.build(2)
    weights = []
    for layer in layers:
        weights += [np.array(layer["W"], dtype=np.float64), np.array(layer["b"], dtype=np.float64)]
    model.set_weights(weights)
    return model


def _open_model(model):
    """(hidden units, activation, start layers) of a notebook's Sequential, or a ValueError naming what the page
    cannot do."""
    if not isinstance(model, Sequential) or not model.layers:
        raise ValueError(f"model must be an nnlib Sequential of Dense layers, got {model!r}")
    if any(not isinstance(layer, Dense) for layer in model.layers):
        raise ValueError("the playground draws Dense layers only; the model has " + repr(model.layers))
    first = model.layers[0]
    if first.built and first.input_dim != 2:
        raise ValueError(
            f"the playground draws the input plane: the model must take 2 inputs, its first layer takes "
            f"{first.input_dim}; build a model with input_dim=2"
        )
    if any(not layer.use_bias for layer in model.layers):
        raise ValueError("the playground needs every Dense layer to have a bias (use_bias=True)")
    last = model.layers[-1]
    if last.units != 1 or last.activation.name != OUTPUT_ACTIVATION:
        raise ValueError(
            f"the playground's output is one sigmoid neuron (the probability of class 1, binary cross-entropy): "
            f"the model's last layer is {last!r}; end the model with Dense(1, 'sigmoid')"
        )
    check_training(model, losses_module.get(LOSS), optimizers_module.Adam())
    hidden_layers = model.layers[:-1]
    names = {layer.activation.name for layer in hidden_layers}
    if len(names) > 1:
        raise ValueError(
            f"the playground gives every hidden layer one activation; the model's hidden layers have {sorted(names)}"
        )
    hidden = _check_hidden([layer.units for layer in hidden_layers])
    twin = Sequential([Dense(layer.units, layer.activation.name) for layer in model.layers])
    twin.build(2)
    if model.built:
        weights = model.get_weights()
    else:
        import copy

        built = copy.deepcopy(model)
        built.build(2)
        weights = built.get_weights()
    start = []
    for k, layer in enumerate(model.layers):
        W, b = (np.round(np.asarray(w, dtype=np.float64), DECIMALS) for w in weights[2 * k : 2 * k + 2])
        start.append({"W": W.tolist(), "b": b.tolist(), "activation": layer.activation.name})
    return hidden, (names.pop() if names else "tanh"), start


_PRERENDER_JS = """
const P = require(process.argv[1]);
const cfg = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(P.renderSVG(cfg)));
"""


def _prerender(config):
    """{graph, region, loss}: the SVG markup of the starting state, drawn by dist/playground-static.js in Node."""
    return run_bundle(_PRERENDER_JS, "playground-static.js", config, "the playground's pictures")
