"""Checkers for chapter 5, "From neurons to matrices".

    check_layer_shapes(W_shape, b_shape, output_shape)   shapes through one Dense layer
    check_layer_by_hand(a, z)                             one small layer computed by hand
    check_softmax_shift(y)                                softmax of large numbers without nan

Each returns a `Feedback` (one friendly line; truthy when right). The exercises are defined once, as
data (rules.py): these checkers and the book's answer forms share them.
"""

import numpy as np

from . import not_yet
from .rules import Exercise, NotYet, Right, Shape, Vector, chapter

# The chapter's three-layer network (seed 003, after "Deep Learning from Scratch", section 3.4) and its input.
SEED_X = np.array([1.0, 0.5])
SEED_WEIGHTS = (
    ((0.1, 0.3, 0.5), (0.2, 0.4, 0.6)),
    (0.1, 0.2, 0.3),
    ((0.1, 0.4), (0.2, 0.5), (0.3, 0.6)),
    (0.1, 0.2),
    ((0.1, 0.3), (0.2, 0.4)),
    (0.1, 0.2),
)  # tuples, so that no caller can change them: seed_network() makes fresh float64 arrays


def seed_network():
    """The chapter's 2-3-2-2 network (sigmoid, sigmoid, identity) with the seed's weights.

    W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,), W3 (2, 2), b3 (2,), float64; a new model on every call.
    seed_network().predict(SEED_X) -> [0.31682708 0.69627909], as the chapter prints it.
    """
    from ..layers import Dense
    from ..network import Sequential

    model = Sequential([Dense(3, "sigmoid", input_dim=2), Dense(2, "sigmoid"), Dense(2, "identity")])
    model.set_weights([np.array(w, dtype=np.float64) for w in SEED_WEIGHTS])
    return model


# Exercise 1: a batch of 4 samples with 3 features each goes into Dense(5).
SHAPES_BATCH, SHAPES_INPUTS, SHAPES_UNITS = 4, 3, 5

# Exercise 2: one layer of three ReLU neurons with two inputs, small enough to do on paper.
HAND_X = np.array([2.0, -1.0])
HAND_W = np.array([[0.5, -1.0, 1.5], [1.0, 2.0, 0.5]])
HAND_B = np.array([0.5, 1.0, -1.0])

# Exercise 3: logits so large that exp overflows in float64.
SOFTMAX_A = np.array([800.0, 801.0, 799.0])


SHAPES = Exercise(
    "ch05-shapes",
    "ch05",
    "Exercise 1: shapes",
    [Shape("W_shape", "shape of W"), Shape("b_shape", "shape of b"), Shape("output_shape", "shape of x @ W + b")],
    constants={"BATCH": SHAPES_BATCH, "INPUTS": SHAPES_INPUTS, "UNITS": SHAPES_UNITS},
    values={
        "W_ok": "len(W_shape) == 2 and W_shape[0] == INPUTS and W_shape[1] == UNITS",
        "W_torch": "len(W_shape) == 2 and W_shape[0] == UNITS and W_shape[1] == INPUTS",
        "b_ok": "len(b_shape) == 1 and b_shape[0] == UNITS",
        "out_ok": "len(output_shape) == 2 and output_shape[0] == BATCH and output_shape[1] == UNITS",
    },
    rules=[
        NotYet("W_torch", "that W is PyTorch's (units, inputs) layout; here x W needs one row per input."),
        NotYet("not W_ok", "W has one row per input and one column per neuron (see “A layer is a matrix product”)."),
        NotYet("not b_ok", "b holds one number per neuron, shared by every sample of the batch."),
        NotYet(
            "not out_ok",
            "in (n, k) @ (k, m) the inner dimensions meet and vanish; what is left? "
            "(see “The matrix product and its one rule”)",
        ),
        Right(
            None,
            "W ({INPUTS:g}, {UNITS:g}), b ({UNITS:g},), output ({BATCH:g}, {UNITS:g}): one row per sample, "
            "one column per neuron.",
        ),
    ],
    solution="<p>W has one row per input and one column per neuron: <code>(3, 5)</code>. b has one number per "
    "neuron: <code>(5,)</code>. (4, 3) @ (3, 5): the inner 3s meet and vanish, and b is added to every "
    "row: <code>(4, 5)</code>.</p>",
    answers={"W_shape": "(3, 5)", "b_shape": "(5,)", "output_shape": "(4, 5)"},
    starter={"W_shape": "(5, 3)", "b_shape": "(5,)", "output_shape": "(4, 5)"},
    secrets=["(3, 5)"],
)

_A_TRUE = HAND_X @ HAND_W + HAND_B
LAYER_BY_HAND = Exercise(
    "ch05-hand",
    "ch05",
    "Exercise 2: a layer by hand",
    [Vector("a", 3, label="the sums a"), Vector("z", 3, label="the outputs z")],
    constants={"A_TRUE": _A_TRUE, "Z_TRUE": np.maximum(_A_TRUE, 0), "TOL": 1e-9},
    values={"a_off": "abs(a - A_TRUE) > TOL", "i": "argmax(a_off)"},
    rules=[
        NotYet("any(a_off)", "a[{i}] is off: it is x[0] * W[0, {i}] + x[1] * W[1, {i}] + b[{i}]."),
        NotYet(
            "any(abs(z - Z_TRUE) > TOL)",
            "the sums are right; now ReLU: keep a positive a, replace a negative one by 0.",
        ),
        Right(None, "a = {A_TRUE:g} and z = relu(a) = {Z_TRUE:g}."),
    ],
    solution="<p>a_j = x[0] W[0, j] + x[1] W[1, j] + b[j] = 2 W[0, j] - W[1, j] + b[j]: "
    "a = (1 - 1 + 0.5, -2 - 2 + 1, 3 - 0.5 - 1) = <code>(0.5, -3, 1.5)</code>; ReLU keeps the positive "
    "ones and sets the negative one to 0: <code>z = (0.5, 0, 1.5)</code>.</p>",
    answers={"a[0]": "0.5", "a[1]": "-3", "a[2]": "1.5", "z[0]": "0.5", "z[1]": "0", "z[2]": "1.5"},
    starter={"a[0]": "0", "a[1]": "0", "a[2]": "0", "z[0]": "0", "z[1]": "0", "z[2]": "0"},
    secrets=["(0.5, -3, 1.5)", "z = (0.5, 0, 1.5)"],
)

_SHIFTED = SOFTMAX_A - SOFTMAX_A.max()
SOFTMAX_SHIFT = Exercise(
    "ch05-softmax",
    "ch05",
    "Exercise 3: softmax without overflow",
    [Vector("y", 3, label="softmax([800, 801, 799])", close=("Y_TRUE", 4))],
    # Four decimals typed in a form are within 0.00005 of the exact values.
    constants={"Y_TRUE": np.exp(_SHIFTED) / np.exp(_SHIFTED).sum(), "TOL": 6e-5},
    values={"off": "any(abs(y - Y_TRUE) > TOL)"},
    rules=[
        NotYet(
            "off and abs(sum(y) - 1) <= 0.001",
            "your numbers sum to 1 but are not this softmax; compute exp(a - max(a)) and divide by its sum.",
        ),
        NotYet("off", "softmax outputs sum to 1; yours sum to {sum(y):.6g}."),
        Right(None, "softmax = {Y_TRUE:.8f}, the same as for [1, 2, 0]: only differences matter."),
    ],
    solution="<p>Subtract the largest entry first: a - max(a) = (-1, 0, -2); exp gives (0.3679, 1, 0.1353), which "
    "sum to 1.5032; divided by that: <code>(0.2447, 0.6652, 0.0900)</code>. The same as for [1, 2, 0], "
    "because softmax only sees differences.</p>",
    answers={"y[0]": "0.2447", "y[1]": "0.6652", "y[2]": "0.0900"},
    starter={"y[0]": "0.3333", "y[1]": "0.3333", "y[2]": "0.3333"},
    secrets=["0.6652"],
)

EXERCISES = chapter(SHAPES, LAYER_BY_HAND, SOFTMAX_SHIFT)


def _as_shape(value, what):
    try:
        return tuple(int(n) for n in value)
    except TypeError:
        raise TypeError(f"{what} is a shape, a tuple of whole numbers such as (3, 5); got {value!r}") from None


def check_layer_shapes(W_shape, b_shape, output_shape):
    """A batch x of shape (4, 3) goes through Dense(5): give the shapes of W, b and the output x W + b."""
    shapes = {
        name: np.array(_as_shape(value, name), dtype=np.float64)
        for name, value in (("W_shape", W_shape), ("b_shape", b_shape), ("output_shape", output_shape))
    }
    return SHAPES.check(**shapes)


def _vector3(value, what):
    array = np.asarray(value, dtype=float)
    if array.shape != (3,):
        return None, not_yet(f"{what}; you gave shape {array.shape}.")
    return array, None


def check_layer_by_hand(a, z):
    """x = [2, -1], W = HAND_W, b = HAND_B, ReLU: give the weighted sums a = x W + b and the outputs z = relu(a)."""
    a, problem = _vector3(a, "there are three neurons, so a has 3 numbers")
    if problem is not None:
        return problem
    z, problem = _vector3(z, "there are three neurons, so z has 3 numbers")
    if problem is not None:
        return problem
    return LAYER_BY_HAND.check(a=a, z=z)


def check_softmax_shift(y):
    """Give softmax([800, 801, 799]) as 3 finite numbers (no nan): subtract the maximum first."""
    y, problem = _vector3(y, "softmax returns one number per input, 3 here")
    if problem is not None:
        return problem
    if not np.all(np.isfinite(y)):
        return not_yet("there is nan or inf in your answer: exp(800) overflows; subtract the maximum first.")
    return SOFTMAX_SHIFT.check(y=y)
