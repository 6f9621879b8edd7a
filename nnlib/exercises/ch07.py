"""Checkers for chapter 7, "The geometry of a layer".

The chapter writes a layer the mathematicians' way, with column vectors: a = W x + b, then
z = ReLU(a). Here W is a 2x2 matrix (units, inputs), the transpose of a Dense kernel.
The exercises are defined once, as data (rules.py): these checkers and the book's answer forms share them.

    >>> from nnlib.exercises import ch07
    >>> ch07.check_first_quadrant(W=[[1, 0], [0, 1]], b=[3, 3])     # doctest: +SKIP
    ✓ Right: ...
"""

import numpy as np

from . import not_yet
from .rules import Checks, Exercise, Matrix, NotYet, Right, Vector, chapter


def exercise_cloud():
    """The cloud of exercise 1: 30 points x (30, 2), spread around (-1, 0.5), the same every time."""
    rng = np.random.default_rng(2020)
    return rng.normal(loc=(-1.0, 0.5), scale=(0.5, 0.8), size=(30, 2)).round(2)


# Exercise 2: where does x land?  a = W x + b, z = ReLU(a).
LANDING_W = np.array([[1.0, -1.0], [2.0, 0.5]])
LANDING_B = np.array([0.5, -1.0])
LANDING_X = np.array([1.0, 2.0])

# Exercise 3: which of these matrices turn the plane over?
MATRICES = {
    "A": np.array([[2.0, 0.0], [0.0, 0.5]]),
    "B": np.array([[0.0, 1.0], [1.0, 0.0]]),
    "C": np.array([[0.0, -1.0], [1.0, 0.0]]),
    "D": np.array([[1.0, 2.0], [3.0, 4.0]]),
    "E": np.array([[-1.0, 0.0], [0.0, -1.0]]),
}


def _as_array(name, value, shape):
    """value as a float array of `shape`, or None and a reason when it is not one."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"{name} must hold numbers, got {value!r}."
    if array.shape != shape:
        return None, f"{name} must have shape {shape}, got {array.shape}."
    if not np.all(np.isfinite(array)):
        return None, f"{name} must hold finite numbers, got {array.tolist()}."
    return array, None


FIRST_QUADRANT = Exercise(
    "ch07-quadrant",
    "ch07",
    "Exercise 1: no fold",
    [Matrix("W", 2, 2), Vector("b", 2)],
    constants={"CLOUD": exercise_cloud()},
    values={
        # the singular values (scales) of a 2x2 W: s1 s2 = |det W| and s1^2 + s2^2 = sum of squares
        "S": "sum(W * W)",
        "d": "abs(det(W))",
        "s1": "sqrt((S + sqrt(max(S * S - 4 * d * d, 0))) / 2)",
        "s2": "d / s1 if s1 > 0 else 0",
        "A": "CLOUD @ T(W) + b",  # a = W x + b for every point x (a row each)
        "folded": "(col(A, 0) < 0) + (col(A, 1) < 0) > 0",
        "n": "sum(folded)",
        "i": "argmax(folded)",
    },
    rules=[
        # A near-singular W would pass by crushing the cloud onto a line: keep the shape.
        NotYet(
            "s2 < 0.001 * max(1, s1)",
            "W squashes the cloud (scales {s1:.3g} and {s2:.3g}): choose an "
            "invertible W, so the layer keeps the cloud's shape.",
        ),
        NotYet(
            "n > 0",
            "{n:g} of {len(A)} points still have a negative coordinate, so ReLU would move them (e.g. "
            "a = ({A[i][0]:.2f}, {A[i][1]:.2f})). Shift further with b, or turn the cloud.",
        ),
        Right(
            None,
            "all {len(A)} points land in the first quadrant (smallest coordinate {min(A):.2f}): ReLU leaves "
            "them where they are, and the layer acts as a pure affine map.",
        ),
    ],
    solution="<p>Keep the shape (W = identity) and shift by a little more than the most negative coordinates: "
    "the cloud reaches down to x = -2.04 and y = -1.32, so <code>W = I, b = (2.14, 1.42)</code> works "
    "(any larger shift too, or a turn first).</p>",
    answers={"W[0, 0]": "1", "W[0, 1]": "0", "W[1, 0]": "0", "W[1, 1]": "1", "b[0]": "2.2", "b[1]": "1.5"},
    starter={"W[0, 0]": "1", "W[0, 1]": "0", "W[1, 0]": "0", "W[1, 1]": "1", "b[0]": "0", "b[1]": "0"},
    secrets=["b = (2.14, 1.42)"],
)

LANDING = Exercise(
    "ch07-landing",
    "ch07",
    "Exercise 2: where does it land?",
    [Vector("z", 2, label="z = ReLU(W x + b)")],
    constants={"W": LANDING_W, "B": LANDING_B, "H": LANDING_X},
    values={
        "a": "W @ H + B",
        "expected": "relu(a)",
        "row": "relu(H @ W + B)",
        "near": "all(abs(z - expected) <= 1e-6)",
    },
    rules=[
        Right(
            "near",
            "a = W x + b = ({a[0]:g}, {a[1]:g}) has a negative first coordinate, so ReLU drops it onto "
            "the second axis at z = ({expected[0]:g}, {expected[1]:g}).",
        ),
        NotYet(
            "all(abs(z - a) <= 1e-6)",
            "that is a = W x + b, the point before the fold. What does ReLU do to a negative coordinate?",
        ),
        NotYet(
            "all(abs(z - row) <= 1e-6)",
            "you computed x W + b (rows times W). In this chapter W acts on a "
            "column: the first coordinate of a is W[0, 0] x[0] + W[0, 1] x[1] + b[0].",
        ),
        NotYet(
            None,
            "z = ({z[0]:g}, {z[1]:g}) is not where x lands. First a = W x + b, then set every negative "
            "coordinate to 0 (see “ReLU folds the plane”).",
        ),
    ],
    solution="<p>a = W x + b = (1·1 - 1·2 + 0.5, 2·1 + 0.5·2 - 1) = (-0.5, 2); ReLU sets the negative coordinate "
    "to 0: <code>z = (0, 2)</code>.</p>",
    answers={"z[0]": "0", "z[1]": "2"},
    starter={"z[0]": "1", "z[1]": "1"},
    secrets=["z = (0, 2)"],
)

_FLIPS = [1.0 if np.linalg.det(W) < 0 else 0.0 for W in MATRICES.values()]
_FLIP_NAMES = [k for k, f in zip(MATRICES, _FLIPS) if f]
_DETS = ", ".join(f"det {k} = {np.linalg.det(MATRICES[k]):.3g}" for k in _FLIP_NAMES)
_HINT = " Hint: the sign of det W = ad - bc tells (see “A negative determinant is a reflection”)."
REFLECTIONS = Exercise(
    "ch07-reflections",
    "ch07",
    "Exercise 3: which ones turn the plane over?",
    [Checks("letters", [(k, k) for k in MATRICES], label="the reflections")],
    constants={"FLIPS": _FLIPS, "LETTERS": list(MATRICES)},
    values={"extra": "letters * (1 - FLIPS)", "missed": "(1 - letters) * FLIPS"},
    rules=[
        Right(
            "all(letters == FLIPS)",
            f"{' and '.join(_FLIP_NAMES)} turn the plane over ({_DETS}); the others only turn and stretch it.",
        ),
        NotYet(
            "sum(extra) > 0 and sum(missed) > 0",
            "{pick(extra, LETTERS)} {'keeps' if sum(extra) == 1 else 'keep'} the plane's orientation (det > 0); "
            "{sum(missed):g} {'reflection' if sum(missed) == 1 else 'reflections'} still missing." + _HINT,
        ),
        NotYet(
            "sum(extra) > 0",
            "{pick(extra, LETTERS)} {'keeps' if sum(extra) == 1 else 'keep'} the plane's "
            "orientation (det > 0)." + _HINT,
        ),
        NotYet(None, "{sum(missed):g} {'reflection' if sum(missed) == 1 else 'reflections'} still missing." + _HINT),
    ],
    solution="<p>det A = 1, det B = -1, det C = 1, det D = 4 - 6 = -2, det E = 1. A negative determinant is a "
    "mirror: <code>B and D</code>. E = -I is a half turn, not a mirror.</p>",
    answers={"letters": ["B", "D"]},
    starter={"letters": []},
    secrets=["B and D"],
)

EXERCISES = chapter(FIRST_QUADRANT, LANDING, REFLECTIONS)


def check_first_quadrant(W, b):
    """Exercise 1: W (2, 2) and b (2,) that carry `exercise_cloud()` into the first quadrant,
    so that ReLU has nothing to fold, without squashing the cloud (W must be invertible)."""
    W, problem = _as_array("W", W, (2, 2))
    if problem:
        return not_yet(problem)
    b, problem = _as_array("b", b, (2,))
    if problem:
        return not_yet(problem)
    return FIRST_QUADRANT.check(W=W, b=b)


def check_landing(z):
    """Exercise 2: z = ReLU(LANDING_W @ LANDING_X + LANDING_B), worked out by hand."""
    z, problem = _as_array("z", z, (2,))
    if problem:
        return not_yet(problem + " Give the two coordinates of the point after the fold, e.g. [1.0, 0.0].")
    return LANDING.check(z=z)


def check_reflections(letters):
    """Exercise 3: the letters of the MATRICES that turn the plane over (a reflection, det < 0)."""
    if isinstance(letters, str):
        letters = [c for c in letters.upper() if not c.isspace() and c != ","]
    try:
        chosen = {str(c).strip().upper() for c in letters}
    except TypeError:
        return not_yet(f"give the letters as a string or a list, e.g. 'AB' or ['A', 'B'], got {letters!r}.")
    unknown = sorted(chosen - set(MATRICES))
    if unknown:
        return not_yet(f"there is no matrix {', '.join(unknown)}; choose among {', '.join(MATRICES)}.")
    return REFLECTIONS.check(letters=np.array([1.0 if k in chosen else 0.0 for k in MATRICES]))
