"""Checkers for chapter 1 (one neuron: weight, bias, activation).

Both exercises use the book's (and Keras') convention for one input:

    y = h(w x + b)

so the neuron "switches" where its weighted sum w x + b is zero, at x = -b / w.
"""

import numbers

import numpy as np

from .. import activations
from . import not_yet, right

SWITCH_AT = 2.0         # exercise 1: the sigmoid neuron should output 0.5 here ...
SWITCH_SLOPE = 1.0      # ... with this slope dy/dx there (the slope of sigmoid(w x + b) at its switch is w / 4)
RELU_KINK_AT = -1.0     # exercise 2: the ReLU neuron is zero left of here and positive right of it

_TOL = 1e-6


def _number(name, value):
    """value as a finite float, or a clear error that names the argument."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a single number such as 1.5, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _fmt(v):
    return f"{v:.4g}"


def check_switch_at_two(w, b):
    """Exercise 1: choose w and b so that y = sigmoid(w x + b) switches (y = 0.5) at x = 2 with slope 1 there.

    y = 0.5 exactly where w x + b = 0, i.e. at x = -b / w; the slope there is w * sigmoid'(0) = w / 4.
    """
    w, b = _number("w", w), _number("b", b)
    if w == 0:
        return not_yet("with w = 0 the neuron ignores x: its output is the constant "
                       f"sigmoid(b) = {_fmt(float(activations.sigmoid(b)))}. Give w a value first.")
    switch = -b / w
    slope = w / 4
    if abs(slope - SWITCH_SLOPE) > _TOL:
        direction = "rises" if w > 0 else "falls"
        return not_yet(f"your neuron {direction} with slope w/4 = {_fmt(slope)} at its switch point; the slope "
                       f"should be {_fmt(SWITCH_SLOPE)}, so w = {_fmt(4 * SWITCH_SLOPE)}.")
    if abs(switch - SWITCH_AT) > _TOL:
        return not_yet(f"the steepness is right, but your neuron switches at x = -b/w = {_fmt(switch)}, "
                       f"not at x = {_fmt(SWITCH_AT)}: move it with b: b = -{_fmt(SWITCH_AT)} w.")
    y = float(activations.sigmoid(w * SWITCH_AT + b))
    # The message does not repeat w and b: a hidden solution's output must not give the answer away.
    return right(f"your neuron outputs {_fmt(y)} at x = {_fmt(SWITCH_AT)} and rises with slope "
                 f"{_fmt(slope)} there: w sets the steepness, b then places the switch.")


def check_relu_zero_left_of_minus_one(w, b):
    """Exercise 2: choose w and b so that y = relu(w x + b) is 0 for x <= -1 and positive for x > -1."""
    w, b = _number("w", w), _number("b", b)
    if w == 0:
        state = "positive" if b > 0 else "zero"
        return not_yet(f"with w = 0 the output is relu(b), {state} everywhere; the kink needs a nonzero w.")
    kink = -b / w
    if w < 0:
        return not_yet(f"with a negative w the neuron is positive on the LEFT of x = {_fmt(kink)} and zero on "
                       "the right: flip the sign of w (and of b).")
    if abs(kink - RELU_KINK_AT) > _TOL:
        return not_yet(f"your neuron has its kink at x = -b/w = {_fmt(kink)}, it should be at x = "
                       f"{_fmt(RELU_KINK_AT)}: keep w and set b = {_fmt(-w * RELU_KINK_AT)}.")
    # Check on real points too, so the verdict is about the function, not just the formula.
    x = np.linspace(-5, 5, 1001)
    y = activations.relu(w * x + b)
    left, right_side = x <= RELU_KINK_AT + _TOL, x > RELU_KINK_AT + 1e-3
    if np.any(y[left] != 0) or np.any(y[right_side] <= 0):
        return not_yet("close, but on a grid of x values the output is not zero exactly left of -1.")
    return right("your ReLU neuron is 0 up to x = -1 and grows after it: the kink sits where w x + b = 0.")
