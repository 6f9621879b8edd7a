"""Checkers for chapter 3, "A Dense layer learns AND".

A single sigmoid neuron y = sigmoid(w0 x0 + w1 x1 + b) on two inputs answers 1 where its
output is above 0.5, that is where the weighted sum w0 x0 + w1 x1 + b is positive. The
checkers evaluate the reader's neuron (or small network) on the four rows of a truth table
and name every row it gets wrong.

    >>> from nnlib.exercises import ch03
    >>> ch03.check_or(w0=2.0, w1=2.0, b=-1.0)        # doctest: +SKIP
    ✓ Right: ...
"""

import numpy as np

from ..activations import sigmoid
from . import Feedback, not_yet, right

# The four input rows (x0, x1) of every two-input truth table, in the chapter's order.
INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)

TRUTH_TABLES = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}


def _number(name, value):
    """value as a finite float, or a ValueError that says which argument was wrong."""
    try:
        number = float(np.asarray(value, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be one number, got {value!r}") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _row(x):
    return f"({int(x[0])}, {int(x[1])})"


def _judge(gate, outputs, explain_sum=None, who="neuron"):
    """Compare outputs (4,) with the truth table of `gate`; one line naming each wrong row."""
    targets = TRUTH_TABLES[gate]
    # An output of exactly 0.5 sits on the line: it answers neither 0 nor 1, so it counts as wrong.
    answers = np.where(outputs > 0.5, 1, np.where(outputs < 0.5, 0, -1))
    wrong = [i for i in range(4) if answers[i] != targets[i]]
    if not wrong:
        shown = ", ".join(f"{_row(INPUTS[i])} -> {outputs[i]:.3f}" for i in range(4))
        return right(f"your {who} computes {gate} on all four rows: {shown}.")
    details = []
    for i in wrong:
        detail = f"{_row(INPUTS[i])} gives {outputs[i]:.3f} but {gate} says {targets[i]}"
        if explain_sum is not None:
            detail += f" (weighted sum {explain_sum[i]:+.3f}, needs to be {'> 0' if targets[i] else '< 0'})"
        details.append(detail)
    return not_yet(f"{len(wrong)} of 4 rows wrong: " + "; ".join(details) + ".")


def neuron_outputs(w0, w1, b):
    """The outputs sigmoid(w0 x0 + w1 x1 + b) on the four rows (0,0), (0,1), (1,0), (1,1)."""
    w = np.array([_number("w0", w0), _number("w1", w1)])
    a = INPUTS @ w + _number("b", b)
    return sigmoid(a), a


def _check_gate(gate, w0, w1, b):
    outputs, a = neuron_outputs(w0, w1, b)
    verdict = _judge(gate, outputs, explain_sum=a)
    if verdict and np.max(np.abs(outputs - TRUTH_TABLES[gate])) > 0.1:
        verdict = right(verdict.message + " Tip: multiply all three numbers by 10 and the outputs "
                        "move close to 0 and 1 without moving the line.")
    return verdict


def check_or(w0, w1, b):
    """Exercise: a sigmoid neuron that computes OR (1 unless both inputs are 0)."""
    return _check_gate("OR", w0, w1, b)


def check_nand(w0, w1, b):
    """Exercise: a sigmoid neuron that computes NAND (0 only when both inputs are 1)."""
    return _check_gate("NAND", w0, w1, b)


def check_xor(w0, w1, b):
    """Exercise: try to make one neuron compute XOR. No weights can; the answer says which row fails and why.

    Output 1 on (1, 0) and (0, 1) needs w0 + b > 0 and w1 + b > 0, which add up to
    w0 + w1 + 2b > 0. Output 0 on (0, 0) and (1, 1) needs b < 0 and w0 + w1 + b < 0, which
    add up to w0 + w1 + 2b < 0. Both cannot hold: one straight line cannot put (0, 1) and
    (1, 0) on one side and (0, 0) and (1, 1) on the other.
    """
    outputs, a = neuron_outputs(w0, w1, b)
    verdict = _judge("XOR", outputs, explain_sum=a)
    if verdict:  # pragma: no cover - impossible, kept so a wrong proof would show up in the tests
        return verdict
    pair_12 = a[1] + a[2]   # w0 + w1 + 2b, which is also a[0] + a[3]
    return not_yet(verdict.message + f" No weights can fix this: rows (0, 1) and (1, 0) need "
                   f"w0 + w1 + 2b > 0, rows (0, 0) and (1, 1) need w0 + w1 + 2b < 0; one number cannot be both "
                   f"(yours is {pair_12:+.3f}). One straight line cannot separate XOR.")


def check_xor_network(W1, b1, W2, b2):
    """Exercise: a 2-2-1 sigmoid network, weights set by hand, that computes XOR.

    W1 (2, 2) and b1 (2,): the hidden layer (one column per hidden neuron, Keras' layout);
    W2 (2, 1) and b2 (1,): the output neuron.
    """
    from ..layers import Dense
    from ..network import Sequential

    model = Sequential([Dense(2, "sigmoid", name="hidden"), Dense(1, "sigmoid", name="output")])
    arrays = []
    for name, value in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)):
        array = np.asarray(value, dtype=np.float64)
        if array.dtype.kind != "f" or not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must hold finite numbers, got {value!r}")
        arrays.append(array)
    shapes = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
    for (name, shape), array in zip(shapes.items(), arrays):
        if array.shape != shape:
            hint = " Write it as a column: [[v0], [v1]]." if name == "W2" and array.shape in ((2,), (1, 2)) else ""
            raise ValueError(f"{name} must have shape {shape}, got {array.shape}.{hint}")
    model.set_weights(arrays)
    trace = model.trace(INPUTS)
    hidden = trace[0].z
    verdict = _judge("XOR", trace.output[:, 0], who="network")
    if verdict:
        rows = ", ".join(f"{_row(INPUTS[i])} -> hidden ({hidden[i, 0]:.2f}, {hidden[i, 1]:.2f})"
                         for i in range(4))
        return right(verdict.message + f" Inside: {rows}.")
    return not_yet(verdict.message + " Hint: let one hidden neuron compute OR, the other NAND, "
                   "and the output neuron AND of the two.")


def check_kernel_entry(row, column):
    """Exercise: in a Dense(2) kernel on inputs (x0, x1), which entry W[row, column] connects x1 to y0?"""
    row, column = int(row), int(column)
    if (row, column) == (1, 0):
        return right("W[1, 0] is w10: row 1 is input x1, column 0 is output y0 (Keras' layout).")
    if (row, column) == (0, 1):
        return not_yet("W[0, 1] connects x0 to y1. That is PyTorch's reading (outputs as rows); "
                       "in Keras and nnlib the rows are the inputs.")
    return not_yet(f"W[{row}, {column}] is not it: the rows of a Keras kernel are inputs, the columns outputs.")


__all__ = ["Feedback", "INPUTS", "TRUTH_TABLES", "neuron_outputs", "check_or", "check_nand", "check_xor",
           "check_xor_network", "check_kernel_entry"]
