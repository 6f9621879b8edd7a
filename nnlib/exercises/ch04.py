"""Checkers for chapter 4, "Reading the weights, computing by hand".

The chapter's 2-5-1 tanh network is the one trained in seed 001 (a Keras blog post); its
printed weights are kept here, as Keras printed them (float32), so that a checker can
compare the reader's hand computation with the network's own forward pass.

    h = tanh(W^T x + b)      W (2, 5), b (5,)     the hidden layer
    y = tanh(v^T h + c)      v (5, 1), c (1,)     the output neuron

    >>> from nnlib.exercises import ch04
    >>> ch04.seed_network().predict([0.3, 0.1])     # doctest: +SKIP
    array([0.9301591], dtype=float32)
"""

import numpy as np

from . import Feedback, not_yet, right

# The weights printed by get_weights() in seed 001, digit for digit.
SEED_W = np.array([[-1.08239257, 0.32482854, 0.95010394, 0.00501535, -0.47380614],
                   [-0.56682748, 1.15749049, 0.91618514, 0.37518814, -0.67639047]], dtype=np.float32)
SEED_B = np.array([-0.18290569, 0.21453567, 0.01353107, 0.27740911, 0.09604219], dtype=np.float32)
SEED_V = np.array([[-0.8775745], [1.09351909], [0.21981503], [1.31380796], [-0.10301871]], dtype=np.float32)
SEED_C = np.array([0.27410847], dtype=np.float32)

# The input of the hand-computation exercise (the chapter works through (0.3, 0.1)).
EXERCISE_INPUT = np.array([0.7, 0.2], dtype=np.float32)

# Enough points that a line that is off by a few hundredths misclassifies some of them.
_N_TEST_POINTS = 10_000


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


def check_hand_output(y, h=None):
    """Exercise: the seed network's output y (and, optionally, its hidden values h) for x = (0.7, 0.2).

    Hand computations keep four decimals, so anything within 0.0005 of the network's own
    values counts.
    """
    trace = seed_network().trace(EXERCISE_INPUT)
    hidden, output = trace[0].z.astype(np.float64), float(trace.output[0])
    tolerance = 5e-4
    if h is not None:
        h = _array("h", h, [(5,), (5, 1), (1, 5)]).reshape(5)
        off = np.abs(h - hidden)
        if off.max() > tolerance:
            i = int(np.argmax(off))
            return not_yet(f"h[{i}] = {h[i]:.4f}, but hidden neuron {i} outputs {hidden[i]:.4f}: "
                           f"recompute tanh(x0 W[0, {i}] + x1 W[1, {i}] + b[{i}]) (column {i} of W).")
    y = float(_array("y", y, [(), (1,), (1, 1)]).reshape(()))
    if abs(y - output) > tolerance:
        hint = ("did you forget the final tanh?" if abs(np.tanh(y) - output) <= tolerance or
                abs(y - np.arctanh(output)) <= tolerance else "check v^T h + c, then take tanh.")
        return not_yet(f"y = {y:.4f}, but the network outputs {output:.4f} for x = (0.7, 0.2): {hint}")
    return right(f"y = {y:.4f}, the network's own output is {output:.8f}. 0.7 + 0.2 > 0.5 and y > 0: "
                 "this time the network is right.")


def _line_checker(W, b, normal, offset, rule):
    """Is sign(x W + b) the rule sign(x . normal + offset) on [0, 1)^2? Exact when (W, b) = k (normal, offset), k > 0."""
    if np.asarray(W).shape == (1, 2):
        raise ValueError("W has shape (1, 2), PyTorch's (outputs, inputs) layout; a Keras/nnlib kernel is "
                         "(inputs, outputs) = (2, 1): pass W.T or write [[w0], [w1]]")
    w = _array("W", W, [(2, 1), (2,)]).reshape(2)
    bias = float(_array("b", b, [(), (1,)]).reshape(()))
    normal = np.asarray(normal, dtype=np.float64)
    scale = w @ normal / (normal @ normal)
    exact = (scale > 0 and np.allclose(w, scale * normal, rtol=1e-9, atol=1e-12)
             and np.isclose(bias, scale * offset, rtol=1e-9, atol=1e-12))

    points = np.random.default_rng(4).random((_N_TEST_POINTS, 2))
    truth = np.where(points @ normal + offset > 0, 1, -1)
    answer = np.sign(np.tanh(points @ w + bias))
    wrong = np.flatnonzero(answer != truth)
    if exact:
        return right(f"your line w0 x0 + w1 x1 + b = 0 is exactly the boundary of {rule}: all {_N_TEST_POINTS:,} "
                     "test points classified correctly.")
    if not np.any(w):
        return not_yet(f"W is all zeros, so the output is tanh({bias:g}) at every point and cannot depend on "
                       f"x: give the inputs weights so that the sign flips where {rule} switches.")
    if np.all(answer == -truth):
        return not_yet(f"every test point is wrong: your line is right but the sides are swapped; "
                       "multiply W and b by -1.")
    if len(wrong):
        x = points[wrong[0]]
        return not_yet(f"{len(wrong):,} of {_N_TEST_POINTS:,} test points wrong, e.g. x = ({x[0]:.3f}, {x[1]:.3f}) "
                       f"should be {truth[wrong[0]]:+d}. The output must change sign exactly where {rule} "
                       "switches.")
    return not_yet(f"all {_N_TEST_POINTS:,} test points right, but your line {w[0]:.4g} x0 + {w[1]:.4g} x1 "
                   f"+ {bias:.4g} = 0 is not exactly the boundary of {rule}; points close to it would be wrong.")


def check_sum_above_1_2(W, b):
    """Exercise: weights W (2, 1) and bias b (1,) of a Dense(1, "tanh") whose sign says whether x0 + x1 > 1.2."""
    return _line_checker(W, b, normal=(1.0, 1.0), offset=-1.2, rule="x0 + x1 > 1.2")


def check_x0_above_x1(W, b):
    """Exercise: weights W (2, 1) and bias b (1,) of a Dense(1, "tanh") whose sign says whether x0 > x1."""
    return _line_checker(W, b, normal=(1.0, -1.0), offset=0.0, rule="x0 > x1")


__all__ = ["Feedback", "SEED_W", "SEED_B", "SEED_V", "SEED_C", "EXERCISE_INPUT", "seed_network",
           "check_hand_output", "check_sum_above_1_2", "check_x0_above_x1"]
