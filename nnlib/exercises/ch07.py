"""Checkers for chapter 7, "The geometry of a layer".

The chapter writes a layer the mathematicians' way, with column vectors: a = W h + b, then
z = ReLU(a). Here W is a 2x2 matrix (units, inputs), the transpose of a Dense kernel.

    >>> from nnlib.exercises import ch07
    >>> ch07.check_first_quadrant(W=[[1, 0], [0, 1]], b=[3, 3])     # doctest: +SKIP
    ✓ Right: ...
"""

import numpy as np

from .. import geometry
from . import not_yet, right


def exercise_cloud():
    """The cloud of exercise 1: 30 points h (30, 2), spread around (-1, 0.5), the same every time."""
    rng = np.random.default_rng(2020)
    return rng.normal(loc=(-1.0, 0.5), scale=(0.5, 0.8), size=(30, 2)).round(2)


# Exercise 2: where does h land?  a = W h + b, z = ReLU(a).
LANDING_W = np.array([[1.0, -1.0], [2.0, 0.5]])
LANDING_B = np.array([0.5, -1.0])
LANDING_H = np.array([1.0, 2.0])

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


def check_first_quadrant(W, b):
    """Exercise 1: W (2, 2) and b (2,) that carry `exercise_cloud()` into the first quadrant,
    so that ReLU has nothing to fold, without squashing the cloud (W must be invertible)."""
    W, problem = _as_array("W", W, (2, 2))
    if problem:
        return not_yet(problem)
    b, problem = _as_array("b", b, (2,))
    if problem:
        return not_yet(problem)
    parts = geometry.decompose(W, b)
    # A near-singular W would pass by crushing the cloud onto a line: keep the shape.
    if parts.rank < 2 or abs(parts.scales[1]) < 1e-3 * max(1.0, parts.scales[0]):
        return not_yet(f"W squashes the cloud (scales {parts.scales[0]:.3g} and {parts.scales[1]:.3g}): "
                       "choose an invertible W, so the layer keeps the cloud's shape.")
    a = parts(exercise_cloud())
    folded = geometry.negative_counts(a)
    n = int(np.sum(folded > 0))
    if n:
        i = int(np.argmax(folded > 0))
        return not_yet(f"{n} of {len(a)} points still have a negative coordinate, so ReLU would move them "
                       f"(e.g. a = ({a[i, 0]:.2f}, {a[i, 1]:.2f})). Shift further with b, or turn the cloud.")
    return right(f"all {len(a)} points land in the first quadrant (smallest coordinate {a.min():.2f}): "
                 "ReLU leaves them where they are, and the layer acts as a pure affine map.")


def check_landing(z):
    """Exercise 2: z = ReLU(LANDING_W @ LANDING_H + LANDING_B), worked out by hand."""
    z, problem = _as_array("z", z, (2,))
    if problem:
        return not_yet(problem + " Give the two coordinates of the point after the fold, e.g. [1.0, 0.0].")
    a = LANDING_W @ LANDING_H + LANDING_B
    expected = geometry.relu_fold(a)
    if np.allclose(z, expected, atol=1e-6):
        return right(f"a = W h + b = ({a[0]:g}, {a[1]:g}) has a negative first coordinate, so ReLU drops it "
                     f"onto the second axis at z = ({expected[0]:g}, {expected[1]:g}).")
    if np.allclose(z, a, atol=1e-6):
        return not_yet("that is a = W h + b, the point before the fold. What does ReLU do to a negative coordinate?")
    row = geometry.relu_fold(LANDING_H @ LANDING_W + LANDING_B)
    if np.allclose(z, row, atol=1e-6):
        return not_yet("you computed h W + b (rows times W). In this chapter W acts on a column: "
                       "the first coordinate of a is W[0, 0] h[0] + W[0, 1] h[1] + b[0].")
    return not_yet(f"z = ({z[0]:g}, {z[1]:g}) is not where h lands. First a = W h + b, "
                   "then set every negative coordinate to 0.")


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
    flips = {k for k, W in MATRICES.items() if geometry.decompose(W).reflection}
    if chosen == flips:
        dets = ", ".join(f"det {k} = {np.linalg.det(MATRICES[k]):.3g}" for k in sorted(flips))
        return right(f"{' and '.join(sorted(flips))} turn the plane over ({dets}); the others only turn and stretch it.")
    missed, extra = sorted(flips - chosen), sorted(chosen - flips)
    parts = []
    if extra:
        parts.append(f"{', '.join(extra)} keep{'s' if len(extra) == 1 else ''} the plane's orientation (det > 0)")
    if missed:
        parts.append(f"{len(missed)} reflection{'s' if len(missed) > 1 else ''} still missing")
    return not_yet("; ".join(parts) + ". Hint: the sign of det W = ad - bc tells.")
