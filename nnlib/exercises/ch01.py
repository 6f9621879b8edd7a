"""Exercises of chapter 1 (one neuron: weight, bias, activation).

Both exercises use the book's (and Keras') convention for one input:

    y = h(w x + b)

so the neuron "switches" where its weighted sum w x + b is zero, at x = -b / w. Each exercise is
defined once, as data (nnlib/exercises/rules.py): the checker functions below and the book's answer
forms use the same rules.
"""

import numbers

import numpy as np

from .rules import Exercise, Number, NotYet, Right, chapter

SWITCH_AT = 2.0  # exercise 1: the sigmoid neuron should output 0.5 here ...
SWITCH_SLOPE = 1.0  # ... with this slope dy/dx there (the slope of sigmoid(w x + b) at its switch is w / 4)
RELU_KINK_AT = -1.0  # exercise 2: the ReLU neuron is zero left of here and positive right of it

_TOL = 1e-6

SWITCH = Exercise(
    "ch01-switch",
    "ch01",
    "Exercise 1: a sigmoid neuron that switches at x = 2",
    [Number("w"), Number("b")],
    constants={"SWITCH_AT": SWITCH_AT, "SWITCH_SLOPE": SWITCH_SLOPE, "TOL": _TOL},
    values={"switch": "(0 - b) / w", "slope": "w / 4"},
    rules=[
        NotYet(
            "w == 0",
            "with w = 0 the neuron ignores x: its output is the same for every input. "
            "Give w a value first (see “What the weight does”).",
        ),
        NotYet(
            "abs(slope - SWITCH_SLOPE) > TOL",
            "your neuron {'rises' if w > 0 else 'falls'} with slope w/4 = {slope:.4g} at its switch point; "
            "the slope should be {SWITCH_SLOPE:.4g} (see “What the weight does”).",
        ),
        NotYet(
            "abs(switch - SWITCH_AT) > TOL",
            "the steepness is right, but your neuron switches at x = -b/w = {switch:.4g}, not at "
            "x = {SWITCH_AT:.4g}: the bias places the switch, where w x + b = 0 (see “What the bias does”).",
        ),
        Right(
            None,
            "your neuron outputs {sigmoid(w * SWITCH_AT + b):.4g} at x = {SWITCH_AT:.4g} and rises with "
            "slope {slope:.4g} there: w sets the steepness, b then places the switch.",
        ),
    ],
    solution="<p>The slope of σ(w x + b) at its switch point is w/4, so w/4 = 1 gives <code>w = 4</code>. "
    "The switch is where w x + b = 0: 4 · 2 + b = 0 gives <code>b = -8</code>.</p>",
    answers={"w": "4", "b": "-8"},
    starter={"w": "1", "b": "-2"},
    secrets=["b = -8"],
)

RELU_KINK = Exercise(
    "ch01-relu",
    "ch01",
    "Exercise 2: a ReLU neuron that is zero left of x = -1",
    [Number("w"), Number("b")],
    constants={"KINK_AT": RELU_KINK_AT, "TOL": _TOL},
    values={"kink": "(0 - b) / w", "x": "linspace(-5, 5, 1001)", "y": "relu(w * x + b)"},
    rules=[
        NotYet(
            "w == 0",
            "with w = 0 the output is relu(b), {'positive' if b > 0 else 'zero'} everywhere; "
            "the kink needs a nonzero w.",
        ),
        NotYet(
            "w < 0",
            "with a negative w the neuron grows towards the LEFT and is zero on the right. Which sign "
            "of w makes it grow to the right? (see “What the weight does”)",
        ),
        NotYet(
            "abs(kink - KINK_AT) > TOL",
            "your neuron has its kink at x = -b/w = {kink:.4g}; it should be at x = {KINK_AT:.4g}. The kink "
            "sits where w x + b = 0 (see “What the bias does”).",
        ),
        NotYet(
            "any((x <= KINK_AT + TOL) * (y != 0)) or any((x > KINK_AT + 0.001) * (y <= 0))",
            "close, but on a grid of x values the output is not zero exactly left of -1.",
        ),
        Right(None, "your ReLU neuron is 0 up to x = -1 and grows after it: the kink sits where w x + b = 0."),
    ],
    solution="<p>A positive w makes the neuron grow to the right. The kink is where w x + b = 0, here at "
    "x = -1: -w + b = 0, so <code>b = w</code>. Any w &gt; 0 works, e.g. <code>w = 1, b = 1</code>.</p>",
    answers={"w": "1", "b": "1"},
    starter={"w": "-1", "b": "-1"},
    secrets=["b = w"],
)

EXERCISES = chapter(SWITCH, RELU_KINK)


def _number(name, value):
    """value as a finite float, or a clear error that names the argument."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a single number such as 1.5, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def check_switch_at_two(w, b):
    """Exercise 1: choose w and b so that y = sigmoid(w x + b) switches (y = 0.5) at x = 2 with slope 1 there.

    y = 0.5 exactly where w x + b = 0, i.e. at x = -b / w; the slope there is w * sigmoid'(0) = w / 4.
    """
    return SWITCH.check(w=_number("w", w), b=_number("b", b))


def check_relu_zero_left_of_minus_one(w, b):
    """Exercise 2: choose w and b so that y = relu(w x + b) is 0 for x <= -1 and positive for x > -1."""
    return RELU_KINK.check(w=_number("w", w), b=_number("b", b))
