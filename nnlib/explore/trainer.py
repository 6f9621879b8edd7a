"""TrainingExplorer: watch a small network learn a two-input task, TensorFlow-Playground style.

Both faces train the same network from the same starting weights with the same loss and optimiser:
- static face (the book, no kernel): nn.js's training section, nnlib's `fit` written once in JavaScript
  (tests/test_train_js.py holds its weights after 20 epochs to nnlib's at 1e-9), driven by train.js in
  slices per animation frame, with the page's own seeded batch order;
- live face (a kernel): the same page (js/train.js) in an anywidget, whose epochs nnlib itself trains in the
  kernel (`fit`, with numpy's seeded batch order) and sends back: the weights after them and the history.

Shown: the decision region (the output over the input plane) with the data, the loss curve (training and
validation), an epoch counter, and a small map of every hidden neuron's output over the plane (pick one to
draw its zero line, z = h(a) with a = 0, on the main plot). Controls: Train / Pause, Step one epoch, Reset,
learning rate, batch size, and, with several targets (chapter 3's AND, OR, NAND, XOR), a target menu.
"""

import copy
import html
import math

import numpy as np

from .. import losses as losses_module
from .. import optimizers as optimizers_module
from ..colors import CLASS_COLORS, DIVERGING_LUT, PALETTE, SEQUENTIAL_LUT, SUM_COLOR, neuron_color
from ..network import Sequential
from ..i18n import N_
from ._base import Explorer
from ._controls import controls_html
from ._face import (
    ASLEEP,
    bundled_face,
    BLOCK_STYLE,
    in_language,
    SVG_END,
    SVG_MARK,
    TITLE_STYLE,
    prerender_stills,
    run_note_html,
    still_img,
)
from ._jupyter import claim_live_id, live_model_id, to_json, view_class
from .contract import check_activation, check_loss, check_optimizer, loss_spec

GATE_LABELS = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "xor": [0, 1, 1, 0]}
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
DECIMALS = 4  # weights shown or shipped are rounded to this, so outputs do not depend on the CPU
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = (1, 2, 4, 8, 10, 16, 32, 64, 128)
NOTES = (
    N_(
        "Hidden neurons: each one's output z over the same plane, white where its sum a = 0. "
        "Press one to draw that line on the plot."
    ),
    N_("No hidden layer: the one neuron's line a = 0 is the boundary itself."),
)


# -- the explorers' data sets ------------------------------------------------------------------------
def gate_points(gate, per_corner=15, noise=0.12, seed=0):
    """Noisy copies of a logic gate's truth table: x (4 * per_corner, 2) float64, t (4 * per_corner, 1) of 0/1.

    Each corner (0, 0), (0, 1), (1, 0), (1, 1) gets `per_corner` points with Gaussian noise of standard
    deviation `noise`, labelled by the gate ("and", "or", "nand", "xor"). The rows come in a seeded random
    order, so a validation split (the LAST rows, as in Keras) holds every corner. The points depend only on
    `seed`, not on the gate: switching the target relabels the same cloud.
    """
    key = str(gate).strip().lower()
    if key not in GATE_LABELS:
        raise ValueError(f"unknown gate {gate!r}; choose one of {', '.join(map(repr, GATE_LABELS))}")
    if isinstance(per_corner, bool) or not isinstance(per_corner, (int, np.integer)) or per_corner < 1:
        raise ValueError(f"per_corner must be a positive whole number, got {per_corner!r}")
    rng = np.random.default_rng(seed)
    x = np.repeat(CORNERS, per_corner, axis=0) + rng.normal(0, noise, size=(4 * per_corner, 2))
    t = np.repeat(np.array(GATE_LABELS[key], dtype=np.float64), per_corner)[:, None]
    order = rng.permutation(len(x))
    return x[order], t[order]


def two_moons(n=200, noise=0.12, seed=0):
    """Chapter 7's two moons: x (n, 2) float64, t (n,) of 0 (upper moon) and 1 (lower moon, shifted right)."""
    rng = np.random.default_rng(seed)
    t0 = rng.uniform(0, np.pi, n // 2)
    t1 = rng.uniform(0, np.pi, n - n // 2)
    upper = np.c_[np.cos(t0), np.sin(t0)]
    lower = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    x = np.r_[upper, lower] + rng.normal(0, noise, (n, 2)) - [0.5, 0.25]
    t = np.r_[np.zeros(n // 2), np.ones(n - n // 2)]
    return x, t


def rounded_copy(model, decimals=DECIMALS):
    """A copy of `model` with float64 weights rounded to `decimals`: the start both faces share.

    Layers without weights yet are built (for 2 inputs) in the copy; the model itself is not changed.
    """
    if not isinstance(model, Sequential) or not model.layers:
        raise ValueError(f"model must be an nnlib Sequential with layers, got {model!r}")
    if model.layers[0].built and model.layers[0].input_dim != 2:
        raise ValueError(
            f"the training explorer draws the input plane: the model must take 2 inputs, "
            f"its first layer takes {model.layers[0].input_dim}"
        )
    if any(not layer.use_bias for layer in model.layers):
        raise ValueError("the training explorer needs every Dense layer to have a bias (use_bias=True)")
    twin = copy.deepcopy(model)
    if not twin.built:  # layers still without weights draw them now, from their seeds, for 2 inputs
        twin.build(2)
    twin.set_weights([np.round(np.asarray(w, dtype=np.float64), decimals) for w in twin.get_weights()])
    return twin


def layers_json(model):
    """[{W (inputs, units) nested, b, activation}] of a model, as nn.js's `layer` takes them."""
    return [
        {"W": layer.W.tolist(), "b": layer.b.tolist(), "activation": layer.activation.name} for layer in model.layers
    ]


# The output range the region's colours span, and the output that separates the classes, per loss (and option:
# with from_logits the output is the logit a, whose boundary is a = 0, p = 0.5; the colours span p from 0.02 to 0.98).
OUTPUT_RANGES = {
    "hinge": (-1.0, 1.0),
    "binary_crossentropy": (0.0, 1.0),
    "mean_squared_error": (0.0, 1.0),
    "mean_absolute_error": (0.0, 1.0),
    "binary_crossentropy/from_logits": (-4.0, 4.0),
}
THRESHOLDS = {
    "hinge": 0.0,
    "binary_crossentropy": 0.5,
    "mean_squared_error": 0.5,
    "mean_absolute_error": 0.5,
    "binary_crossentropy/from_logits": 0.0,
}


def output_kind(loss):
    """The key of OUTPUT_RANGES and THRESHOLDS for an nnlib loss object: its name, "/from_logits" if it takes logits."""
    return loss.name + ("/from_logits" if getattr(loss, "from_logits", False) else "")


def target_threshold(loss):
    """The target value that separates the two classes: 0 for the hinge's -1/+1 labels, else 0.5."""
    return 0.0 if loss.name == "hinge" else 0.5


def hidden_neuron_colors(layers):
    """[[colour of unit j] for each hidden layer]: the hidden neurons numbered in reading order (layer by layer),
    neuron i coloured neuron_color(i), so no two neurons of a network share a colour (up to the palette's 7).
    Both faces take their colours from here: the page from the config, the live face directly."""
    colors, index = [], 0
    for layer in layers[:-1]:
        colors.append([neuron_color(index + j) for j in range(layer.units)])
        index += layer.units
    return colors


def _choices(name, offered, value, what):
    """The options of a menu: `offered` plus `value` if it is a new one, sorted."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive number ({what}), got {value!r}")
    values = sorted(set(offered) | {value})
    return values


def _minus(value):
    return f"{value:g}".replace("-", "\u2212")


class _Task:
    """One target: its own copy of the network (rounded start), targets in the loss's form, classes for drawing."""

    def __init__(self, name, model, x, t, loss, split_at):
        self.name = name
        self.start = rounded_copy(model)
        self.model = copy.deepcopy(self.start)
        units = self.start.layers[-1].units
        if units != 1:
            raise ValueError(
                f"the training explorer shows two classes: the model's last layer must have 1 unit, it has {units}"
            )
        t = loss.prepare(np.asarray(t), 1)
        if len(t) != len(x):
            raise ValueError(f"target {name!r}: x has {len(x)} points but t has {len(t)}; give one target per point")
        self.t = t
        self.x_train, self.t_train = x[:split_at], t[:split_at]
        self.x_val, self.t_val = x[split_at:], t[split_at:]
        self.classes = (t[:, 0] > target_threshold(loss)).astype(int)


class TrainingExplorer(Explorer):
    """Train a small network on a two-input task and watch it: region, loss curve, every hidden neuron.

    TrainingExplorer(model, x, t, loss="binary_crossentropy", optimizer="adam", learning_rate=0.01,
                     batch_size=16, validation_split=0.2, seed=0, targets=None, target=None,
                     xlim=None, ylim=None, resolution=48, epochs_per_frame=1, title=None, key=None)

    model: a built nnlib Sequential with 2 inputs and 1 output unit (Dense layers with biases). Its weights are
        copied, as float64 rounded to 4 decimals, and are the start both faces train from (the model itself is
        not changed).
    x (n, 2), t (n,) or (n, 1): the points and their targets in any form the loss accepts; the last
        `validation_split` of them are held out for the validation curve (Keras' rule; shuffle x beforehand).
    targets: {name: t} or {name: (t, model)} for a target menu over the same points (chapter 3's gates;
        a target with its own model, e.g. XOR with a hidden layer); `target` names the first one shown.
    loss: "binary_crossentropy" (a sigmoid output; BinaryCrossentropy(from_logits=True) for a linear one), "hinge"
        (tanh output, labels -1/+1), "mse" or "mae".
    optimizer: "adam", "rmsprop" or "sgd" (or an nnlib optimizer, whose other settings are kept); learning_rate and
        batch_size start the two menus.
    Every activation, loss option and optimiser setting must be one the page's nn.js computes
    (nnlib/explore/contract.json; today all of nnlib's): anything else is refused here, naming it.
    seed: the batch order. nnlib (live face) draws it from numpy, the page from its own generator.
    epochs_per_frame: the static face's speed (at most this many epochs per animation frame of ~16 ms).
    """

    kind = "train"
    title = N_("Train the network")
    # Per animation frame: training takes at most BUDGET_MS, and no more than what the last redraw left of
    # FRAME_MS, so that the frame's whole work stays inside the 16 ms of a 60 Hz display.
    BUDGET_MS, FRAME_MS = 6.0, 10.0  # margin under 16 ms for a garbage collection or a busy machine

    def __init__(
        self,
        model=None,
        x=None,
        t=None,
        *,
        loss="binary_crossentropy",
        optimizer="adam",
        learning_rate=0.01,
        batch_size=16,
        validation_split=0.2,
        seed=0,
        targets=None,
        target=None,
        xlim=None,
        ylim=None,
        resolution=48,
        epochs_per_frame=1,
        title=None,
        key=None,
    ):
        from ._base import Choice, check_range

        super().__init__(key=key)
        self.loss = losses_module.get(loss)
        check_loss(self.loss)  # what the page's nn.js can compute (contract.json)
        if output_kind(self.loss) not in OUTPUT_RANGES:
            raise ValueError(
                f"loss {self.loss!r} is not offered by the training explorer, which shows one output "
                f"over the plane; choose one of {', '.join(OUTPUT_RANGES)}"
            )
        self._output = output_kind(self.loss)
        opt = optimizers_module.get(optimizer)
        check_optimizer(opt)
        self.optimizer_config = {
            "name": type(opt).__name__.lower(),
            **{k: v for k, v in opt.get_config().items() if k != "learning_rate"},
        }
        x = np.round(np.asarray(x, dtype=np.float64), DECIMALS) if x is not None else None
        if x is None or x.ndim != 2 or x.shape[1] != 2 or len(x) < 2:
            raise ValueError(
                f"x must be the points of the plane, shape (n, 2) with n >= 2, got {None if x is None else x.shape}"
            )
        if not np.all(np.isfinite(x)):
            raise ValueError("x contains NaN or infinity")
        if isinstance(validation_split, bool) or not 0 <= validation_split < 1:
            raise ValueError(f"validation_split must be a fraction in [0, 1), got {validation_split!r}")
        split_at = math.floor(len(x) * (1 - validation_split)) if validation_split else len(x)
        if split_at < 1 or (validation_split and split_at == len(x)):
            raise ValueError(
                f"validation_split={validation_split} of {len(x)} points leaves {split_at} for "
                "training; both parts need at least one point"
            )
        self.x = x
        if targets is None:
            if t is None:
                raise ValueError("give the targets t (or a targets={name: t} menu)")
            targets = {"target": t}
        if not isinstance(targets, dict) or not targets:
            raise ValueError(f"targets must be a dict {{name: t}} or {{name: (t, model)}}, got {targets!r}")
        self.tasks = {}
        for name, spec in targets.items():
            t_i, model_i = spec if isinstance(spec, tuple) else (spec, model)
            if model_i is None:
                raise ValueError(f"target {name!r} has no model: pass model=... or targets={{{name!r}: (t, model)}}")
            self.tasks[name] = _Task(str(name), model_i, x, t_i, self.loss, split_at)
            for k, layer in enumerate(self.tasks[name].start.layers, start=1):
                check_activation(layer.activation, f"target {name!r}: layer {k} ({layer!r})")
        first = target if target is not None else next(iter(self.tasks))
        if first not in self.tasks:
            raise ValueError(f"target={target!r} is not one of the targets {', '.join(map(repr, self.tasks))}")
        if (
            isinstance(epochs_per_frame, bool)
            or not isinstance(epochs_per_frame, (int, np.integer))
            or not 1 <= epochs_per_frame <= 50
        ):
            raise ValueError(f"epochs_per_frame must be a whole number from 1 to 50, got {epochs_per_frame!r}")
        if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or not 8 <= resolution <= 96:
            raise ValueError(
                f"resolution (grid cells per side) must be a whole number from 8 to 96, got {resolution!r}"
            )
        self.epochs_per_frame, self.resolution, self.seed = int(epochs_per_frame), int(resolution), int(seed)
        pad = 0.25
        self.xlim = (
            check_range("xlim", xlim)
            if xlim is not None
            else (float(np.floor((x[:, 0].min() - pad) * 4) / 4), float(np.ceil((x[:, 0].max() + pad) * 4) / 4))
        )
        self.ylim = (
            check_range("ylim", ylim)
            if ylim is not None
            else (float(np.floor((x[:, 1].min() - pad) * 4) / 4), float(np.ceil((x[:, 1].max() + pad) * 4) / 4))
        )
        if title is not None:
            self.title = str(title)
        if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}")
        rates = _choices("learning_rate", LEARNING_RATES, float(learning_rate), "the optimiser's step size")
        sizes = [b for b in sorted(set(BATCH_SIZES) | {int(batch_size)}) if b <= split_at]
        if int(batch_size) > split_at:
            raise ValueError(f"batch_size={batch_size} is more than the {split_at} training points")
        self.controls = []
        if len(self.tasks) > 1:
            self.controls.append(
                Choice(
                    "target",
                    N_("target"),
                    [(n, n) for n in self.tasks],
                    first,
                    long=N_("what the network should learn"),
                )
            )
        self.controls += [
            Choice(
                "learning_rate",
                N_("learning rate"),
                [(r, f"{r:g}") for r in rates],
                float(learning_rate),
                long=N_("learning rate of {optimizer}", optimizer=self.optimizer_config["name"]),
            ),
            Choice(
                "batch_size",
                N_("batch size"),
                [(b, str(b)) for b in sizes],
                int(batch_size),
                long=N_("points per gradient step"),
            ),
        ]
        self._target = first
        self._optimizer = None
        self._finish_init()
        self.reset()

    # -- training with nnlib (the live face, and any code cell) ---------------------------------------------
    @property
    def task(self):
        return self.tasks[self._state.get("target", self._target)]

    @property
    def model(self):
        """The network being trained (nnlib), at its current epoch."""
        return self.task.model

    def reset(self):
        """Back to the starting weights, epoch 0, a fresh optimiser (the static face's Reset)."""
        from .. import training

        task = self.task
        task.model.set_weights(task.start.get_weights())
        self._optimizer = optimizers_module.get(self.optimizer_config["name"]).__class__(
            learning_rate=self._state["learning_rate"],
            **{k: v for k, v in self.optimizer_config.items() if k != "name"},
        )
        self.epoch = 0
        loss, acc = training.evaluate(task.model, task.x_train, task.t_train, self.loss)
        self.history = {"loss": [loss], "accuracy": [acc], "val_loss": [], "val_accuracy": []}
        self._record_validation()
        return self

    def _record_validation(self):
        from .. import training

        task = self.task
        if len(task.x_val):
            loss, acc = training.evaluate(task.model, task.x_val, task.t_val, self.loss)
            self.history["val_loss"].append(loss)
            self.history["val_accuracy"].append(acc)

    def train(self, epochs=1):
        """Train `epochs` more epochs with nnlib.fit (each epoch's order from numpy, seeded by (seed, epoch)).

        history["loss"][0] is the loss before training, as the loss curve starts; then one value per epoch.
        """
        from .. import training

        task = self.task
        self._optimizer.learning_rate = float(self._state["learning_rate"])
        for _ in range(int(epochs)):
            h = training.fit(
                task.model,
                task.x_train,
                task.t_train,
                self.loss,
                self._optimizer,
                epochs=1,
                batch_size=int(self._state["batch_size"]),
                seed=[self.seed, self.epoch],
                verbose=False,
            )
            self.epoch += 1
            self.history["loss"].append(h["loss"][0])
            self.history["accuracy"].append(h["accuracy"][0])
            self._record_validation()
        if self._view is not None and not getattr(self, "_answering", False):
            self._send(moved=False)
        return self

    def set(self, **values):
        old_target = self._state.get("target")
        super().set(**values)
        if self._state.get("target") != old_target:
            self.reset()
        return self

    # -- what the figure shows ------------------------------------------------------------------------------
    def grid(self):
        """The cell centres of the plane: x0 (G,), x1 (G,) with x1 from top to bottom, and the points (G*G, 2)."""
        G = self.resolution
        gx = self.xlim[0] + (np.arange(G) + 0.5) / G * (self.xlim[1] - self.xlim[0])
        gy = self.ylim[1] - (np.arange(G) + 0.5) / G * (self.ylim[1] - self.ylim[0])
        return gx, gy, np.column_stack([np.tile(gx, G), np.repeat(gy, G)])

    def compute(self, **state):
        task = self.tasks[state.get("target", self._target)]
        G = self.resolution
        _, _, points = self.grid()
        steps = task.model.trace(points)
        return {
            "output": steps[-1].z[:, 0].reshape(G, G),
            "hidden": [(s.a.reshape(G, G, -1), s.z.reshape(G, G, -1)) for s in steps[:-1]],
            "epoch": getattr(self, "epoch", 0),
        }

    def readout(self, result=None):
        h, last = self.history, len(self.history["loss"]) - 1
        values = dict(epoch=self.epoch, loss=f"{h['loss'][last]:.4f}", accuracy=f"{h['accuracy'][last]:.1%}")
        if not h["val_loss"]:
            return N_("epoch {epoch}: training loss {loss}, accuracy {accuracy}.", **values)
        return N_(
            "epoch {epoch}: training loss {loss}, accuracy {accuracy}; validation loss {val_loss}, "
            "accuracy {val_accuracy}.",
            val_loss=f"{h['val_loss'][last]:.4f}",
            val_accuracy=f"{h['val_accuracy'][last]:.1%}",
            **values,
        )

    def description(self):
        task = self.task
        hidden = [layer.units for layer in task.model.layers[:-1]]
        net = "-".join(str(u) for u in [2] + hidden + [1])
        values = dict(
            net=net,
            task=task.name,
            loss=self.loss.name,
            optimizer=self.optimizer_config["name"],
            threshold=f"{THRESHOLDS[self._output]:g}",
        )
        if len(self.tasks) > 1:
            return N_(
                "A {net} network learning {task} ({loss}, {optimizer}): the plane of inputs x0, x1 coloured by the "
                "network's output, the boundary where it crosses {threshold}, the training points (filled) and "
                "validation points (hollow), circles for class 0 and triangles for class 1.",
                **values,
            )
        return N_(
            "A {net} network ({loss}, {optimizer}): the plane of inputs x0, x1 coloured by the network's output, the "
            "boundary where it crosses {threshold}, the training points (filled) and validation points (hollow), "
            "circles for class 0 and triangles for class 1.",
            **values,
        )

    # -- static face ----------------------------------------------------------------------------------------
    def _key_text(self):
        """The figure's key in words and symbols (HTML: it reflows on a phone, and a screen reader reads it)."""
        lo, hi = OUTPUT_RANGES[self._output]
        dot = '<span style="color:{}" aria-hidden="true">{}</span>'
        rest = N_(
            "(filled: training, hollow: validation); colour: the output y from {lo} (dark blue) to {hi} (yellow); "
            "black line: the boundary y = {threshold}.",
            lo=_minus(lo),
            hi=_minus(hi),
            threshold=_minus(THRESHOLDS[self._output]),
        )
        return (
            f"{dot.format(CLASS_COLORS[0], '&#9679;')} <span data-i18n>{N_('class 0')}</span>, "
            f"{dot.format(CLASS_COLORS[1], '&#9650;')} <span data-i18n>{N_('class 1')}</span> "
            f"<span data-i18n>{html.escape(rest)}</span>"
        )

    def _config(self):
        tasks = []
        for name, task in self.tasks.items():
            tasks.append(
                {
                    "name": name,
                    "layers": layers_json(task.start),
                    "neuron_colors": hidden_neuron_colors(task.start.layers),
                    "x_train": task.x_train.tolist(),
                    "t_train": task.t_train.tolist(),
                    "x_val": task.x_val.tolist(),
                    "t_val": task.t_val.tolist(),
                    "classes": task.classes.tolist(),
                }
            )
        return {
            "tasks": tasks,
            "loss": loss_spec(self.loss),
            "optimizer": self.optimizer_config,
            "seed": self.seed,
            "res": self.resolution,
            "xlim": list(self.xlim),
            "ylim": list(self.ylim),
            "out_range": list(OUTPUT_RANGES[self._output]),
            "threshold": THRESHOLDS[self._output],
            "lut": SEQUENTIAL_LUT,
            "neuron_lut": DIVERGING_LUT,
            "class_colors": [CLASS_COLORS[0], CLASS_COLORS[1]],
            "edges": ["#fff", "#222"],
            "line_color": SUM_COLOR,
            "curve_colors": [SUM_COLOR, PALETTE[1]],
            "epochs_per_frame": self.epochs_per_frame,
            "budget_ms": self.BUDGET_MS,
            "frame_ms": self.FRAME_MS,
            "loss_epochs": 50,
            "notes": list(NOTES),
        }

    def _block(self, still=""):
        """The block (figure canvases, key, readout, buttons, menus): the same HTML in both faces.

        The live parts (canvases, buttons, menus) start hidden, and `still` (the static face's pictures and run
        note) shows instead; the script's first act (js/wake.js) swaps them.
        """
        k = self.key
        desc = html.escape(self.description())
        controls = controls_html(k, self.controls, self._state)
        nojs = N_("This figure is drawn and trained by JavaScript: run the cell, or open the page in a browser.")
        asleep = ASLEEP
        return (
            f'<div class="nnx nnx-train" id="{k}" role="group" aria-labelledby="{k}-h" style="{BLOCK_STYLE}">'
            f'<p class="nnx-h" id="{k}-h" style="{TITLE_STYLE}" data-i18n>{html.escape(self.title)}</p>'
            f"{still}"
            f'<div class="nnx-train-fig nnx-awake" {asleep}>'
            f'<canvas class="nnx-train-region" width="400" height="400" role="img" aria-label="{desc}" data-i18n-attrs>'
            f'<p class="nnx-nojs" data-i18n>{nojs}</p></canvas>'
            f'<div class="nnx-train-side">'
            f'<canvas class="nnx-train-loss" width="400" height="190" role="img" '
            f'aria-label="{N_("Loss per epoch: training (solid line) and validation (dashed line)")}" '
            f"data-i18n-attrs></canvas>"
            f'<p class="nnx-train-note" data-i18n>{html.escape(NOTES[len(self.task.start.layers) < 2])}</p>'
            f'<div class="nnx-train-neurons"></div></div></div>'
            f'<p class="nnx-train-key">{self._key_text()}</p>'
            f'<p class="nnx-readout nnx-awake" aria-live="polite" {asleep} data-i18n>{html.escape(self.readout())}</p>'
            f'<div class="nnx-controls nnx-train-controls nnx-awake" {asleep}>'
            f'<div class="nnx-train-buttons"><button type="button" data-act="train" '
            f'aria-label="{N_("Train: run epochs until paused")}" data-i18n>{N_("Train")}</button>'
            f'<button type="button" data-act="step" data-i18n>{N_("Step one epoch")}</button>'
            f'<button type="button" data-act="reset" data-i18n>{N_("Reset")}</button>'
            f'<span class="nnx-train-epoch" data-i18n>{N_("epoch {epoch}", epoch=self.epoch)}</span></div>'
            f"{controls}</div></div>"
        )

    # The still pictures: the start and the network after this many epochs of the page's own training.
    STILL_EPOCHS = 50

    def stills(self):
        """{"start": ..., "trained": ...}: the figure at epoch 0 and after STILL_EPOCHS epochs, each {region, loss
        (SVG markup), readout, epoch, loss_value}, drawn by the page's trainer and drawing code (train.js) in Node;
        None without Node."""
        return prerender_stills(self.config(), self.STILL_EPOCHS)

    def _still_html(self):
        """The static face's pictures for readers whose page or notebook runs no script: start and trained."""
        drawn = self.stills()
        if drawn is None:
            return run_note_html(
                N_(
                    "This figure is drawn and trained by JavaScript: run this cell, or open the page with JavaScript on."
                )
            )
        start, trained = drawn["start"], drawn["trained"]
        what = self.description()
        fig = "display:inline-block;vertical-align:top;width:400px;max-width:100%;margin:0 14px 10px 0"
        cap = "margin:2px 0 0;font-size:13px"

        def figure(markup, size, alt, caption):
            return (
                f'<figure style="{fig}">{still_img(markup, size, alt, cls="nnx-train-still")}'
                f'<figcaption style="{cap}" data-i18n>{html.escape(caption)}</figcaption></figure>'
            )

        n = trained["epoch"]
        return (
            run_note_html(
                N_("Still pictures: the network at its start and after {n} epochs of the page's own training.", n=n)
                + " "
                + N_("Run this cell (or open the page with JavaScript on) to train it yourself.")
            )
            + '<div class="nnx-still">'
            + figure(
                start["region"],
                (400, 400),
                N_("At the start (epoch 0).") + " " + what,
                N_("Start: {readout}", readout=start["readout"]),
            )
            + figure(
                trained["region"],
                (400, 400),
                N_("After {n} epochs.", n=n) + " " + what,
                N_("Trained: {readout}", readout=trained["readout"]),
            )
            + figure(
                trained["loss"],
                (400, 190),
                N_(
                    "Loss per epoch over the first {n} epochs: training (solid) and validation (dashed), from "
                    "{first} at epoch 0 to {last} at epoch {n}.",
                    n=n,
                    first=f"{start['loss_value']:.4f}",
                    last=f"{trained['loss_value']:.4f}",
                ),
                N_(
                    "Loss per epoch: {first} at epoch 0, {last} at epoch {n}.",
                    n=n,
                    first=f"{start['loss_value']:.4f}",
                    last=f"{trained['loss_value']:.4f}",
                ),
            )
            + "</div>"
        )

    def to_html(self):
        """The static face: the block, its style, its configuration and the page's trainer (dist/train-static.js)."""
        block = self._block(f"{SVG_MARK}{self._still_html()}{SVG_END}")
        boot = "nnlibTrain.boot(document.currentScript.parentNode);"
        return bundled_face(block, self.config(), "train.css", "train-static.js", boot)

    # -- live face: the same page; nnlib trains in the kernel ---------------------------------------------
    def widget(self):
        """The live face: the page's block and drawing in an anywidget; each epoch it asks for, nnlib trains here."""
        if self._view is None or self._view.comm is None:
            model_id = live_model_id(self.kind, self.title, [c.name for c in self.controls])
            self._view = claim_live_id(
                model_id,
                lambda mid: view_class("train-live.js", ("explore.css", "train.css"))(
                    self, face=in_language(self._block()), config=self.config(), model_id=mid
                ),
            )
            self._send(moved=False)
        return self._view

    def _send(self, moved, n=0):
        task_name = self._state.get("target", self._target)
        self._view.view = {
            "n": n,
            "target": task_name,
            "epoch": self.epoch,
            "layers": layers_json(self.model),
            "history": to_json(self.history),
        }

    def _on_view(self, state):
        """The trainer's view sends actions (`_on_request`), not states."""

    def _on_request(self, request):
        """An action from the view: {n, action: "train" (epochs), "reset", "set" or "task", ...}; answers with view."""
        action, n = request.get("action"), int(request.get("n", 0))
        values = {k: request[k] for k in ("learning_rate", "batch_size") if k in request}
        if action == "task" and "target" in self._by_name and request.get("target") in self.tasks:
            values["target"] = request["target"]
        try:
            values = {k: self._by_name[k].check(v) for k, v in values.items()}
        except ValueError:
            values = {}
        old_target = self._state.get("target")
        self._state.update(values)
        if self._state.get("target") != old_target:
            self.reset()
        if action == "reset":
            self.reset()
        elif action == "train":
            self._answering = True  # one answer per request, below
            try:
                self.train(max(1, min(int(request.get("epochs", 1)), 50)))
            finally:
                self._answering = False
        self._send(moved=False, n=n)
