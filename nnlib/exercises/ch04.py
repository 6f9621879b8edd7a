"""Checkers for chapter 4, "Reading the weights, computing by hand".

The chapter's 2-5-1 tanh network is the one trained in seed 001 (a Keras blog post); its
printed weights are kept here, as Keras printed them (float32), so that a checker can
compare the reader's hand computation with the network's own forward pass.

    z = tanh(x W + b)        W (2, 5), b (5,)     the hidden layer, outputs z (the course's notation)
    y = tanh(z v + c)        v (5, 1), c (1,)     the output neuron

    >>> from nnlib.exercises import ch04
    >>> ch04.seed_network().predict([0.3, 0.1])     # doctest: +SKIP
    array([0.9301591], dtype=float32)
"""

import numpy as np

from . import Feedback
from .rules import Exercise, Matrix, NotYet, Number, Right, Vector, chapter

# The weights printed by get_weights() in seed 001, digit for digit.
SEED_W = np.array(
    [
        [-1.08239257, 0.32482854, 0.95010394, 0.00501535, -0.47380614],
        [-0.56682748, 1.15749049, 0.91618514, 0.37518814, -0.67639047],
    ],
    dtype=np.float32,
)
SEED_B = np.array([-0.18290569, 0.21453567, 0.01353107, 0.27740911, 0.09604219], dtype=np.float32)
SEED_V = np.array([[-0.8775745], [1.09351909], [0.21981503], [1.31380796], [-0.10301871]], dtype=np.float32)
SEED_C = np.array([0.27410847], dtype=np.float32)

# The input of the hand-computation exercise (the chapter works through (0.3, 0.1)).
EXERCISE_INPUT = np.array([0.7, 0.2], dtype=np.float32)


def seed_network():
    """The 2-5-1 tanh network of seed 001 with its printed weights; predict([0.3, 0.1]) -> 0.93015909."""
    from ..layers import Dense
    from ..network import Sequential

    model = Sequential([Dense(5, "tanh", name="hidden"), Dense(1, "tanh", name="output")])
    model.set_weights([SEED_W, SEED_B, SEED_V, SEED_C])
    return model


def _array(name, value, shapes):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers, got {value!r}") from None
    if array.shape not in shapes:
        wanted = " or ".join(str(s) for s in shapes)
        raise ValueError(f"{name} must have shape {wanted}, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers, got {value!r}")
    return array


def _hand_exercise():
    trace = seed_network().trace(EXERCISE_INPUT)
    # float32 forward pass, rounded to 6 decimals: above float32's last-digit differences between CPUs,
    # far finer than the 0.0005 tolerance of a hand computation
    hidden = np.round(trace[0].z.astype(np.float64), 6)
    output = round(float(trace.output[0]), 6)
    return Exercise(
        "ch04-hand",
        "ch04",
        "A forward pass by hand",
        [
            Number("y", close=("OUTPUT", 4)),
            Vector("z", 5, label="your hidden outputs z", optional=True, close=("HIDDEN", 4)),
        ],
        constants={
            "HIDDEN": hidden,
            "OUTPUT": output,
            "ATANH_OUTPUT": round(float(np.arctanh(output)), 6),
            "TOL": 5e-4,
        },
        values={"off": "abs(z - HIDDEN)", "i": "argmax(off)"},
        rules=[
            NotYet(
                "len(z) > 0 and max(off) > TOL",
                "z[{i}] = {z[i]:.4f} is not what hidden neuron {i} outputs: recompute "
                "tanh(x0 W[0, {i}] + x1 W[1, {i}] + b[{i}]) (column {i} of W).",
            ),
            NotYet(
                "abs(y - OUTPUT) > TOL and (abs(tanh(y) - OUTPUT) <= TOL or abs(y - ATANH_OUTPUT) <= TOL)",
                "y = {y:.4f} is not the network's output for x = (0.7, 0.2): did you forget the final tanh?",
            ),
            NotYet(
                "abs(y - OUTPUT) > TOL",
                "y = {y:.4f} is not the network's output for x = (0.7, 0.2): first the hidden layer "
                "z = tanh(x W + b), then y = tanh(z v + c), each in three steps (see “Three things per layer”).",
            ),
            Right(
                None,
                "y = {y:.4f}; the network's own output is {OUTPUT:.6f}. 0.7 + 0.2 > 0.5 and y > 0: this "
                "time the network is right.",
            ),
        ],
        solution=(
            "<p>The two layers written out, exactly as for (0.3, 0.1):</p><pre>x = np.array([0.7, 0.2], "
            "dtype=np.float32)\nz = np.tanh(x @ W_seed + b_seed)\ny = np.tanh(z @ v_seed + c_seed)"
            f"</pre><p>z = ({', '.join(f'{v:.4f}' for v in hidden)}) and <code>y = {output:.4f}</code>.</p>"
        ),
        answers={"y": f"{output:.4f}"},
        starter={"y": "0"},
        secrets=[f"{output:.4f}"],
    )


HAND_OUTPUT = _hand_exercise()


def _line_exercise(id, title, normal, offset, rule, solution, answers, secrets):
    """Is sign(x W + b) the rule sign(x . normal + offset) > 0? Exactly when (W, b) = k (normal, offset), k > 0."""
    return Exercise(
        id,
        "ch04",
        title,
        [Matrix("W", 2, 1), Vector("b", 1)],
        constants={"NORMAL": normal, "OFFSET": offset, "RULE": rule},
        values={
            "w": "col(W, 0)",
            "bias": "b[0]",
            "k": "dot(w, NORMAL) / dot(NORMAL, NORMAL)",
            # W parallel to the rule's normal, and b the same multiple of its offset (to 1e-9, relative)
            "parallel": "abs(w[0] * NORMAL[1] - w[1] * NORMAL[0]) <= 1e-9 * max(abs(w[0]), abs(w[1]))",
            "placed": "abs(bias - k * OFFSET) <= 1e-12 + 1e-9 * abs(k * OFFSET)",
        },
        rules=[
            NotYet(
                "w[0] == 0 and w[1] == 0",
                "W is all zeros, so the output is tanh({bias:g}) at every point and cannot depend on x: give the "
                "inputs weights so that the sign flips where {RULE} switches.",
            ),
            Right(
                "parallel and placed and k > 0",
                "your line w0 x0 + w1 x1 + b = 0 is exactly the boundary of {RULE}, with the positive side where "
                "it holds.",
            ),
            NotYet(
                "parallel and placed",
                "your line is the boundary, but the sides are swapped: the output is positive where {RULE} is "
                "false (see “Where does the network say −1?”).",
            ),
            NotYet(
                "parallel",
                "your line is parallel to the boundary of {RULE} but sits in the wrong place: the bias moves it "
                "(see “The perfect model, without training”).",
            ),
            NotYet(
                None,
                "your line {w[0]:.4g} x0 {w[1]:+.4g} x1 {bias:+.4g} = 0 is not parallel to the boundary "
                "of {RULE}: write the rule as “something > 0”; the weights say how much each input counts "
                "in it (see “The perfect model, without training”).",
            ),
        ],
        solution=solution,
        answers=answers,
        starter={"W[0, 0]": "0", "W[1, 0]": "0", "b[0]": "0"},
        secrets=secrets,
    )


SUM_ABOVE = _line_exercise(
    "ch04-sum",
    "Weights for x0 + x1 > 1.2",
    (1.0, 1.0),
    -1.2,
    "x0 + x1 > 1.2",
    "<p>Write the rule as x0 + x1 - 1.2 &gt; 0: the weights are (1, 1) and the bias -1.2, "
    "<code>W = [[1], [1]]</code>, <code>b = [-1.2]</code>. Any positive multiple works too.</p>",
    {"W[0, 0]": "1", "W[1, 0]": "1", "b[0]": "-1.2"},
    ["b = [-1.2]"],
)

X0_ABOVE = _line_exercise(
    "ch04-diagonal",
    "Weights for x0 > x1",
    (1.0, -1.0),
    0.0,
    "x0 > x1",
    "<p>x0 &gt; x1 is x0 - x1 &gt; 0: the weights are (1, -1) and the bias 0, <code>W = [[1], [-1]]</code>, "
    "<code>b = [0]</code>; the boundary is the diagonal x0 = x1.</p>",
    {"W[0, 0]": "1", "W[1, 0]": "-1", "b[0]": "0"},
    ["W = [[1], [-1]]"],
)

EXERCISES = chapter(HAND_OUTPUT, SUM_ABOVE, X0_ABOVE)


def check_hand_output(y, z=None):
    """Exercise: the seed network's output y (and, optionally, its hidden outputs z) for x = (0.7, 0.2).

    Hand computations keep four decimals, so anything within 0.0005 of the network's own
    values counts.
    """
    hidden = np.zeros(0) if z is None else _array("z", z, [(5,), (5, 1), (1, 5)]).reshape(5)
    return HAND_OUTPUT.check(y=float(_array("y", y, [(), (1,), (1, 1)]).reshape(())), z=hidden)


def _line_answer(W, b):
    if np.asarray(W).shape == (1, 2):
        raise ValueError(
            "W has shape (1, 2), PyTorch's (outputs, inputs) layout; a Keras/nnlib kernel is "
            "(inputs, outputs) = (2, 1): pass W.T or write [[w0], [w1]]"
        )
    w = _array("W", W, [(2, 1), (2,)]).reshape(2, 1)
    bias = _array("b", b, [(), (1,)]).reshape(1)
    return {"W": w, "b": bias}


def check_sum_above_1_2(W, b):
    """Exercise: weights W (2, 1) and bias b (1,) of a Dense(1, "tanh") whose sign says whether x0 + x1 > 1.2."""
    return SUM_ABOVE.check(**_line_answer(W, b))


def check_x0_above_x1(W, b):
    """Exercise: weights W (2, 1) and bias b (1,) of a Dense(1, "tanh") whose sign says whether x0 > x1."""
    return X0_ABOVE.check(**_line_answer(W, b))


__all__ = [
    "Feedback",
    "SEED_W",
    "SEED_B",
    "SEED_V",
    "SEED_C",
    "EXERCISE_INPUT",
    "seed_network",
    "check_hand_output",
    "check_sum_above_1_2",
    "check_x0_above_x1",
    "EXERCISES",
]
