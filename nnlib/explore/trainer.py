"""TrainingExplorer: watch a small network learn a two-input task, TensorFlow-Playground style.

Both faces train the same network from the same starting weights with the same loss and optimiser:
- static face (the book, no kernel): nn.js's training section, nnlib's `fit` written once in JavaScript
  (tests/test_train_js.py holds its weights after 20 epochs to nnlib's at 1e-9), driven by train.js in
  slices per animation frame, with the page's own seeded batch order;
- live face (a kernel): nnlib itself, one `fit` epoch per step, with numpy's seeded batch order.

Shown: the decision region (the output over the input plane) with the data, the loss curve (training and
validation), an epoch counter, and a small map of every hidden neuron's output over the plane (pick one to
draw its zero line, z = h(a) with a = 0, on the main plot). Controls: Train / Pause, Step one epoch, Reset,
learning rate, batch size, and, with several targets (chapter 3's AND, OR, NAND, XOR), a target menu.
"""

import copy
import hashlib
import html
import json
import math

import numpy as np

from .. import losses as losses_module
from .. import optimizers as optimizers_module
from ..colors import CLASS_COLORS, SUM_COLOR, neuron_color
from ..network import Sequential
from ._base import CSS_MARK, Explorer, _SEEN_KEYS, script_block, shared_css

GATE_LABELS = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0], "xor": [0, 1, 1, 0]}
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
DECIMALS = 4  # weights shown or shipped are rounded to this, so outputs do not depend on the CPU
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = (1, 2, 4, 8, 10, 16, 32, 64, 128)


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
    """A copy of the built `model` with float64 weights rounded to `decimals`: the start both faces share."""
    if not isinstance(model, Sequential) or not model.layers:
        raise ValueError(f"model must be an nnlib Sequential with layers, got {model!r}")
    if not model.built:
        raise ValueError("the model has no weights yet: give its first layer input_dim=2 or call model.build(2)")
    if model.layers[0].input_dim != 2:
        raise ValueError(f"the training explorer draws the input plane: the model must take 2 inputs, "
                         f"its first layer takes {model.layers[0].input_dim}")
    if any(not layer.use_bias for layer in model.layers):
        raise ValueError("the training explorer needs every Dense layer to have a bias (use_bias=True)")
    twin = copy.deepcopy(model)
    twin.set_weights([np.round(np.asarray(w, dtype=np.float64), decimals) for w in model.get_weights()])
    return twin


def layers_json(model):
    """[{W (inputs, units) nested, b, activation}] of a model, as nn.js's `layer` takes them."""
    return [{"W": layer.W.tolist(), "b": layer.b.tolist(), "activation": layer.activation.name}
            for layer in model.layers]
