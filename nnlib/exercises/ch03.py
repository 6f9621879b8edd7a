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
from . import Feedback
from .rules import Choice, Exercise, Matrix, NotYet, Number, Right, Vector, chapter

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


# What every truth-table exercise derives from the outputs y (4,) of the reader's neuron or network:
# an output of exactly 0.5 sits on the line, answers neither 0 nor 1, and counts as wrong.
_ROWS = {
    "answers": "where(y > 0.5, 1, where(y < 0.5, 0, -1))",
    "wrong": "answers != T",
    "n_wrong": "sum(wrong)",
    "i": "argmax(wrong)",
}
_FIRST_WRONG = (
    "{n_wrong:g} of 4 rows wrong: {pick(wrong, ROWS)}. For example ({INPUTS[i][0]:g}, "
    "{INPUTS[i][1]:g}) gives {y[i]:.3f} but {GATE} says {T[i]:g}"
)
_ROW_NAMES = ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]
_ALL_ROWS = "(0, 0) -> {y[0]:.3f}, (0, 1) -> {y[1]:.3f}, (1, 0) -> {y[2]:.3f}, (1, 1) -> {y[3]:.3f}"
_NEURON = [Number("w0"), Number("w1"), Number("b")]


def _gate_exercise(gate, id, title, solution, answers, starter, secrets):
    return Exercise(
        id,
        "ch03",
        title,
        _NEURON,
        constants={"INPUTS": INPUTS, "T": TRUTH_TABLES[gate], "GATE": gate, "ROWS": _ROW_NAMES},
        values={"a": "INPUTS @ [w0, w1] + b", "y": "sigmoid(a)", **_ROWS},
        rules=[
            NotYet(
                "n_wrong > 0",
                _FIRST_WRONG + " (weighted sum {a[i]:+.3f}, needs to be "
                "{'> 0' if T[i] == 1 else '< 0'}). The neuron answers 1 on the side of its "
                "line where w0 x0 + w1 x1 + b > 0 (see “The decision line”).",
            ),
            Right(
                "max(abs(y - T)) > 0.1",
                "your neuron computes {GATE} on all four rows: " + _ALL_ROWS + ". Tip: "
                "multiply all three numbers by 10 and the outputs move close to 0 and 1 without moving the line.",
            ),
            Right(None, "your neuron computes {GATE} on all four rows: " + _ALL_ROWS + "."),
        ],
        solution=solution,
        answers=answers,
        starter=starter,
        secrets=secrets,
    )


OR = _gate_exercise(
    "OR",
    "ch03-or",
    "OR by hand",
    "<p>The line x0 + x1 = 0.5 separates (0, 0) from the other three rows: w0 = w1 = 1, b = -0.5. Times 20, so the "
    "outputs come close to 0 and 1: <code>w0 = 20, w1 = 20, b = -10</code>.</p>",
    {"w0": "20", "w1": "20", "b": "-10"},
    {"w0": "0", "w1": "0", "b": "0"},
    ["b = -10"],
)

NAND = _gate_exercise(
    "NAND",
    "ch03-nand",
    "NAND by hand",
    "<p>Take the AND line x0 + x1 = 1.5 with its sides swapped: multiply all three numbers by -1, which keeps the "
    "line and flips the answers. Scaled by 20: <code>w0 = -20, w1 = -20, b = 30</code>.</p>",
    {"w0": "-20", "w1": "-20", "b": "30"},
    {"w0": "1", "w1": "1", "b": "-1.5"},
    ["b = 30"],
)

KERNEL_ENTRY = Exercise(
    "ch03-entry",
    "ch03",
    "Which entry?",
    [Number("row", integer=True), Number("column", integer=True)],
    rules=[
        Right(
            "row == 0 and column == 2",
            "W[0, 2]: row 0 is input x0, column 2 is output y2 (Keras' layout: the "
            "kernel of Dense(3) on two inputs has shape (2, 3)).",
        ),
        NotYet(
            "row == 2 and column == 0",
            "W[2, 0] would be row 2, but the kernel has only rows 0 and 1, one per "
            "input. That is PyTorch's reading (outputs as rows); in Keras and nnlib "
            "the kernel has one row per input.",
        ),
        NotYet("row == 0", "row 0 is input x0, right; which column belongs to output y2?"),
        NotYet(
            None,
            "W[{row:g}, {column:g}] is not it: in a Keras kernel of shape (inputs, units), which index "
            "counts the inputs? (see “What did it learn? Reading get_weights()”)",
        ),
    ],
    solution="<p>A Keras (and nnlib) kernel has shape (inputs, units): the row is the input, the column the "
    "output. A Dense(3) layer on two inputs has a (2, 3) kernel, and from x0 to y2 is "
    "<code>W[0, 2]</code>.</p>",
    answers={"row": "0", "column": "2"},
    starter={"row": "0", "column": "1"},
    secrets=["y2 is W[0, 2]"],
)

XOR = Exercise(
    "ch03-xor",
    "ch03",
    "XOR with one neuron?",
    [
        *_NEURON,
        Choice(
            "claim",
            [("yes", "yes, some weights work"), ("no", "no weights can")],
            label="Can some w0, w1, b make one neuron compute XOR?",
            optional=True,
        ),
    ],
    constants={"INPUTS": INPUTS, "T": TRUTH_TABLES["XOR"], "GATE": "XOR", "ROWS": _ROW_NAMES},
    values={"a": "INPUTS @ [w0, w1] + b", "y": "sigmoid(a)", **_ROWS},
    rules=[
        Right(
            "claim == 'no'",
            "no weights can. Rows (0, 1) and (1, 0) need w0 + w1 + 2b > 0, rows (0, 0) and "
            "(1, 1) need w0 + w1 + 2b < 0; one number cannot be both. One straight line cannot "
            "separate XOR.",
        ),
        # Never fires: no weights pass (kept so that a wrong proof would show up in the tests).
        Right("n_wrong == 0", "your neuron computes XOR on all four rows: " + _ALL_ROWS + "."),
        NotYet(
            None,
            _FIRST_WRONG + " (weighted sum {a[i]:+.3f}, needs to be {'> 0' if T[i] == 1 else '< 0'}). "
            "Can other weights fix it? Add up what rows (0, 1) and (1, 0) need, then what (0, 0) and "
            "(1, 1) need (yours: w0 + w1 + 2b = {a[1] + a[2]:+.3f}).",
        ),
    ],
    solution="<p>No weights can. Rows (0, 1) and (1, 0) need w1 + b &gt; 0 and w0 + b &gt; 0, which add up to "
    "w0 + w1 + 2b &gt; 0. Rows (0, 0) and (1, 1) need b &lt; 0 and w0 + w1 + b &lt; 0, which add up to "
    "w0 + w1 + 2b &lt; 0. One number cannot be both: one straight line cannot separate XOR.</p>"
    "<p>A brute-force search agrees: of the 68,921 neurons with w0, w1 and b from -10 to 10 in steps of "
    "0.5, none computes XOR; 9,940 of them get 3 rows right, the rest fewer. (The notebook's solution cell "
    "runs the search and checks these counts.)</p>",
    answers={"w0": "1", "w1": "1", "b": "-0.5", "claim": "no"},
    starter={"w0": "1", "w1": "1", "b": "-0.5"},
    secrets=["cannot be both", "68,921"],
)

XOR_NETWORK = Exercise(
    "ch03-xor-net",
    "ch03",
    "XOR with two layers",
    [Matrix("W1", 2, 2), Vector("b1", 2), Matrix("W2", 2, 1), Vector("b2", 1)],
    constants={"INPUTS": INPUTS, "T": TRUTH_TABLES["XOR"], "GATE": "XOR", "ROWS": _ROW_NAMES},
    values={"H": "sigmoid(INPUTS @ W1 + b1)", "y": "col(sigmoid(H @ W2 + b2), 0)", **_ROWS},
    rules=[
        NotYet(
            "n_wrong > 0",
            _FIRST_WRONG + ". Hint: let one hidden neuron compute OR, the other NAND, and the "
            "output neuron AND of the two.",
        ),
        Right(
            None,
            "your network computes XOR on all four rows: " + _ALL_ROWS + ". Inside: (0, 0) -> hidden "
            "({H[0][0]:.2f}, {H[0][1]:.2f}), (0, 1) -> hidden ({H[1][0]:.2f}, {H[1][1]:.2f}), (1, 0) -> "
            "hidden ({H[2][0]:.2f}, {H[2][1]:.2f}), (1, 1) -> hidden ({H[3][0]:.2f}, {H[3][1]:.2f}).",
        ),
    ],
    solution="<p>Column 0 of W1 and b1[0]: the OR neuron (20, 20, -10). Column 1 and b1[1]: the NAND neuron "
    "(-20, -20, 30). On top, AND of the two: <code>W2 = [[20], [20]]</code>, <code>b2 = [-30]</code>. So "
    "<code>W1 = [[20, -20], [20, -20]]</code>, <code>b1 = [-10, 30]</code>.</p>",
    answers={
        "W1[0, 0]": "20",
        "W1[0, 1]": "-20",
        "W1[1, 0]": "20",
        "W1[1, 1]": "-20",
        "b1[0]": "-10",
        "b1[1]": "30",
        "W2[0, 0]": "20",
        "W2[1, 0]": "20",
        "b2[0]": "-30",
    },
    starter={
        k: "0"
        for k in ("W1[0, 0]", "W1[0, 1]", "W1[1, 0]", "W1[1, 1]", "b1[0]", "b1[1]", "W2[0, 0]", "W2[1, 0]", "b2[0]")
    },
    secrets=["b2 = [-30]"],
)

EXERCISES = chapter(OR, NAND, KERNEL_ENTRY, XOR, XOR_NETWORK)


def neuron_outputs(w0, w1, b):
    """The outputs sigmoid(w0 x0 + w1 x1 + b) on the four rows (0,0), (0,1), (1,0), (1,1)."""
    w = np.array([_number("w0", w0), _number("w1", w1)])
    a = INPUTS @ w + _number("b", b)
    return sigmoid(a), a


def check_or(w0, w1, b):
    """Exercise: a sigmoid neuron that computes OR (1 unless both inputs are 0)."""
    return OR.check(w0=_number("w0", w0), w1=_number("w1", w1), b=_number("b", b))


def check_nand(w0, w1, b):
    """Exercise: a sigmoid neuron that computes NAND (0 only when both inputs are 1)."""
    return NAND.check(w0=_number("w0", w0), w1=_number("w1", w1), b=_number("b", b))


def check_xor(w0, w1, b, claim=""):
    """Exercise: try to make one neuron compute XOR. No weights can; the answer says which row fails and why.

    Output 1 on (1, 0) and (0, 1) needs w0 + b > 0 and w1 + b > 0, which add up to
    w0 + w1 + 2b > 0. Output 0 on (0, 0) and (1, 1) needs b < 0 and w0 + w1 + b < 0, which
    add up to w0 + w1 + 2b < 0. Both cannot hold: one straight line cannot put (0, 1) and
    (1, 0) on one side and (0, 0) and (1, 1) on the other.
    claim: "no" to answer that no weights can (the book's form asks it), "yes" or "" otherwise.
    """
    if claim not in ("", "yes", "no"):
        raise ValueError(f"claim must be 'yes', 'no' or '', got {claim!r}")
    return XOR.check(w0=_number("w0", w0), w1=_number("w1", w1), b=_number("b", b), claim=claim)


def check_xor_network(W1, b1, W2, b2):
    """Exercise: a 2-2-1 sigmoid network, weights set by hand, that computes XOR.

    W1 (2, 2) and b1 (2,): the hidden layer (one column per hidden neuron, Keras' layout);
    W2 (2, 1) and b2 (1,): the output neuron.
    """
    arrays = {}
    for name, value in (("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)):
        array = np.asarray(value, dtype=np.float64)
        if array.dtype.kind != "f" or not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must hold finite numbers, got {value!r}")
        arrays[name] = array
    shapes = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}
    for name, shape in shapes.items():
        if arrays[name].shape != shape:
            hint = (
                " Write it as a column: [[v0], [v1]]." if name == "W2" and arrays[name].shape in ((2,), (1, 2)) else ""
            )
            raise ValueError(f"{name} must have shape {shape}, got {arrays[name].shape}.{hint}")
    return XOR_NETWORK.check(**arrays)


def check_kernel_entry(row, column):
    """Exercise: in a Dense(3) kernel on inputs (x0, x1), which entry W[row, column] connects x0 to y2?"""
    return KERNEL_ENTRY.check(row=int(row), column=int(column))


__all__ = [
    "Feedback",
    "INPUTS",
    "TRUTH_TABLES",
    "neuron_outputs",
    "check_or",
    "check_nand",
    "check_xor",
    "check_xor_network",
    "check_kernel_entry",
    "EXERCISES",
]
