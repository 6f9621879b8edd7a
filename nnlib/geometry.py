"""The geometry of a layer: an affine map is rotate, scale, rotate, translate; ReLU folds.

A layer with two inputs and two units moves points of the plane. Written the way the
mathematics (and chapter 7) writes it, with column vectors,

    a = W h + b,        W: (units, inputs) = (2, 2),   h, b, a: (2,)

and the singular value decomposition W = U S V^T splits the move into four steps:

    h  --V^T-->  rotate   --S-->  scale along the axes  --U-->  rotate  --(+ b)-->  translate

U and V are orthogonal matrices and S = diag(s1, s2). This module chooses the signs so that
U and V are always rotations (determinant +1). When det W < 0 the map turns the plane over:
that reflection is then carried, explicitly, by a negative second scale s2 < 0 (a flip of
the second axis between the two rotations). When W is singular a scale is 0 and the plane
collapses onto a line (rank 1) or onto the point b (rank 0).

Layout: nnlib's `Dense` follows Keras and works with row vectors, a = x K + b with a kernel
K of shape (inputs, units). The two conventions describe the same map with

    W = K.T        (and a batch of points as rows: A = H @ W.T + b = H @ K + b)

so `decompose(layer.W.T, layer.b)`, or simply `decompose_layer(layer)`, describes a Dense
layer. Every function that takes points takes them as rows, (n_points, 2), batch first,
like the rest of nnlib.

ReLU then folds: z = max(0, a) leaves a point with both coordinates >= 0 where it is, moves
a point with one negative coordinate straight onto an axis, and a point with both negative
onto the origin. In N dimensions ReLU keeps only the positive orthant, 1/2^N of the space.

This module needs numpy only.
"""

from typing import NamedTuple

import numpy as np

STAGE_NAMES = ("input", "rotate", "scale", "rotate again", "translate", "ReLU fold")


# -- small builders ----------------------------------------------------------------------------
def rotation(degrees):
    """The 2x2 matrix that turns the plane counter-clockwise by `degrees`.

    R(theta) = [[cos theta, -sin theta],
                [sin theta,  cos theta]]
    """
    theta = np.deg2rad(float(degrees))
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


def compose(angle_in, scales, angle_out):
    """W = R(angle_out) diag(scales) R(angle_in): build a 2x2 matrix from its SVD parts.

    The inverse of `decompose` (up to the choice of signs `decompose` makes). A negative
    scale makes a reflection. Angles in degrees, counter-clockwise positive.
    """
    scales = _as_float_array("scales", scales)
    if scales.shape != (2,):
        raise ValueError(f"compose: scales must be two numbers (s1, s2), got shape {scales.shape}")
    return rotation(angle_out) @ np.diag(scales) @ rotation(angle_in)


def _as_float_array(name, x):
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {x.dtype}")
    x = x.astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return x


def _check_W_b(W, b):
    W = _as_float_array("W", W)
    if W.shape != (2, 2):
        raise ValueError(
            f"W must be a 2x2 matrix (a layer with 2 inputs and 2 units, column convention "
            f"a = W h + b), got shape {W.shape}"
        )
    b = np.zeros(2) if b is None else _as_float_array("b", b)
    if b.shape != (2,):
        raise ValueError(f"b must be a vector of 2 numbers, got shape {b.shape}")
    return W, b


def _check_points(points, dims=None):
    """points as a float (n_points, dims) array; one point (dims,) becomes (1, dims)."""
    p = _as_float_array("points", points)
    if p.ndim == 1:
        p = p[None, :]
    if p.ndim != 2 or (dims is not None and p.shape[1] != dims):
        need = f"(n_points, {dims})" if dims else "(n_points, dims)"
        raise ValueError(f"points must be an array of shape {need}, one point per row, got shape {np.shape(points)}")
    return p


def _angle(R):
    """The angle in degrees, in (-180, 180], of a 2x2 rotation matrix."""
    return float(np.degrees(np.arctan2(R[1, 0], R[0, 0])))


# -- the decomposition ---------------------------------------------------------------------------
class AffineDecomposition:
    """The map h -> W h + b as rotate (V^T), scale (S), rotate (U), translate (b).

    Attributes (column convention, see the module docstring):
        W (2, 2), b (2,)      the map itself
        Vt (2, 2)             first rotation, V^T, det +1
        scales (2,)           s1 >= |s2| >= 0; s2 < 0 exactly when det W < 0 (the reflection)
        U (2, 2)              second rotation, det +1
        angle_in, angle_out   the two rotation angles in degrees (counter-clockwise positive)
        reflection            True when det W < 0: the map turns the plane over
        rank                  2, or 1 (the plane collapses onto a line), or 0 (onto the point b)

    W == U @ S @ Vt to rounding error (about 1e-16 times the largest entry), with
    S = diag(scales).
    """

    def __init__(self, W, b, U, scales, Vt, rank):
        self.W, self.b = W, b
        self.U, self.scales, self.Vt = U, scales, Vt
        self.rank = rank

    @property
    def S(self):
        """diag(scales): the scaling (and, when s2 < 0, the flip) between the two rotations."""
        return np.diag(self.scales)

    @property
    def angle_in(self):
        return _angle(self.Vt)

    @property
    def angle_out(self):
        return _angle(self.U)

    @property
    def det(self):
        """det W = s1 * s2 (rotations have determinant 1): the factor by which areas change, with a sign."""
        with np.errstate(over="ignore", under="ignore"):  # 1e200 * 1e200 is honestly inf
            return float(self.scales[0] * self.scales[1])

    @property
    def reflection(self):
        return bool(self.scales[1] < 0)

    def recompose(self):
        """U S V^T: the parts multiplied back together, equal to W up to rounding."""
        return self.U @ self.S @ self.Vt

    def __call__(self, points):
        """W h + b for every row h of points: (n_points, 2) -> (n_points, 2)."""
        return _check_points(points, 2) @ self.W.T + self.b

    def stages(self, points):
        """The cloud after each step; see `stages`."""
        return stages(points, self.W, self.b, parts=self)

    def __repr__(self):
        s1, s2 = self.scales
        flip = f"      (s2 < 0: flips the second axis, a reflection; det W = {self.det:.4g})" if self.reflection else ""
        collapse = {
            2: "",
            1: "  (rank 1: the plane collapses onto a line)",
            0: "  (rank 0: everything lands on the point b)",
        }[self.rank]
        b = f"({_fmt(self.b[0])}, {_fmt(self.b[1])})"
        lines = [
            "AffineDecomposition of h -> W h + b, W = U S V^T",
            f"  1. rotate    V^T: {_fmt_angle(self.angle_in)}",
            f"  2. scale     S:   x by {_fmt(s1)}, y by {_fmt(s2)}{collapse}",
        ]
        if flip:
            lines.append(flip)
        lines += [
            f"  3. rotate    U:   {_fmt_angle(self.angle_out)}",
            f"  4. translate b:   by {b}",
            f"  reflection: {'yes' if self.reflection else 'no'}",
        ]
        return "\n".join(lines)


def _fmt(x):
    return f"{0.0 if x == 0 else x:.4g}"


def _fmt_angle(deg):
    """ "20.00 deg clockwise": the size of the turn and its direction (a signed angle with "clockwise" would
    read as a double negative)."""
    deg = 0.0 if abs(deg) < 5e-10 else deg
    turn = "counter-clockwise" if deg > 0 else "clockwise" if deg < 0 else "(no turn)"
    return f"{abs(deg):.2f} deg {turn}"


def decompose(W, b=None):
    """Split h -> W h + b into rotate, scale, rotate, translate by the SVD W = U S V^T.

    W: (2, 2) in the column convention a = W h + b (for a Dense kernel K, pass K.T);
    b: (2,) or None (no translation). Returns an `AffineDecomposition`.

    Choices that make the answer unique and readable (the SVD alone is not unique):
    - U and V are rotations (det +1). numpy's SVD may return reflections; flipping the sign
      of a column of U (or of V) and of the matching scale keeps U S V^T unchanged, so
      after the fix s2 carries the sign of det W: negative exactly for a reflection.
    - The first rotation lies in (-90, 90] degrees: U -> -U together with V -> -V (both a
      half turn) changes nothing in the product.
    - When s1 == s2 (W is a scaled rotation or reflection) any first rotation works; the
      first is then taken as 0 so a pure rotation reads "turn 0, scale 1, turn theta".
    - A singular W gets s2 = 0 (rank 1) and no reflection; W = 0 gets U = V = I.
    """
    W, b = _check_W_b(W, b)
    U, s, Vt = np.linalg.svd(W)
    s = s.astype(np.float64)
    # numpy's matrix_rank tolerance: singular values this small are rounding noise.
    tol = (s[0] if s[0] > 0 else 0.0) * 2 * np.finfo(np.float64).eps
    rank = int(np.sum(s > tol))
    if rank == 0:
        return AffineDecomposition(W, b, np.eye(2), np.zeros(2), np.eye(2), 0)
    if rank == 1:
        s[1] = 0.0
    if abs(s[0] - s[1]) <= 8 * np.finfo(np.float64).eps * s[0]:
        # W = s1 Q with Q orthogonal: no preferred axes, so no first rotation.
        sign = 1.0 if np.linalg.slogdet(W)[0] >= 0 else -1.0  # slogdet: no overflow at 1e200
        scales = np.array([s[0], sign * s[0]])
        Vt = np.eye(2)
        U = W @ np.diag(1.0 / scales)  # = Q diag(1, sign), a rotation
        return AffineDecomposition(W, b, U, scales, Vt, rank)
    if np.linalg.det(U) < 0:
        U[:, 1] *= -1
        s[1] *= -1
    if np.linalg.det(Vt) < 0:
        Vt[1, :] *= -1
        s[1] *= -1
    if s[1] == 0:
        s[1] = 0.0  # no "-0.0" in the repr
    if not -90.0 < _angle(Vt) <= 90.0:
        U, Vt = -U, -Vt
    return AffineDecomposition(W, b, U, s, Vt, rank)


def decompose_layer(layer):
    """`decompose` for a Dense layer with 2 inputs and 2 units: W = kernel.T, b = bias."""
    W = getattr(layer, "W", None)
    if W is None:
        raise ValueError("decompose_layer needs a built Dense layer (call it once, or give it input_dim=2)")
    b = layer.b if getattr(layer, "b", None) is not None else None
    return decompose(np.asarray(W).T, b)


# -- the cloud, stage by stage -------------------------------------------------------------------
class Stage(NamedTuple):
    """One step of a layer applied to a cloud: its name, the formula, the points after it (n_points, 2)."""

    name: str
    formula: str
    points: np.ndarray


def stages(points, W, b=None, parts=None):
    """The cloud after every step of z = ReLU(W h + b), the SVD parts applied one at a time.

    points: (n_points, 2) rows h;  W: (2, 2) column convention;  b: (2,).
    Returns six `Stage`s: input h, rotate V^T h, scale S V^T h, rotate U S V^T h = W h,
    translate W h + b = a, fold ReLU(a) = z. Each holds an (n_points, 2) array.
    (Rows multiply from the left, so M h for every row h is points @ M.T.)
    """
    W, b = _check_W_b(W, b)
    p = _check_points(points, 2)
    parts = parts if parts is not None else decompose(W, b)
    p1 = p @ parts.Vt.T
    p2 = p1 * parts.scales
    p3 = p2 @ parts.U.T
    p4 = p3 + b
    p5 = relu_fold(p4)
    formulas = ("h", "V^T h", "S V^T h", "U S V^T h = W h", "W h + b = a", "ReLU(a) = z")
    return [Stage(n, f, q) for n, f, q in zip(STAGE_NAMES, formulas, (p, p1, p2, p3, p4, p5))]


# -- ReLU, seen as a fold --------------------------------------------------------------------------
def relu_fold(points):
    """ReLU applied to every coordinate: max(0, a).   points: (n_points, dims) -> same shape.

    Geometrically a projection onto the positive orthant: a point with some negative
    coordinates drops straight onto the face where those coordinates are 0 (in the plane: onto
    an axis), a point with all coordinates negative drops onto the origin.
    """
    p = _check_points(points)
    out = np.maximum(p, 0.0)
    out[out == 0] = 0.0  # -0.0 would print as "-0."
    return out if np.ndim(points) == 2 else out[0]


def negative_counts(points):
    """How many coordinates of each point ReLU sets to 0: (n_points, dims) -> (n_points,) ints.

    In the plane: 0 = the point stays (first quadrant or its border), 1 = it lands on an axis,
    2 = it lands on the origin.
    """
    return np.sum(_check_points(points) < 0, axis=1)


def orthant_fraction(dims):
    """The share of N-dimensional space ReLU leaves untouched, the positive orthant: 1 / 2**dims.

    Every coordinate is independently positive or negative, so of the 2**N orthants only one
    is kept: 1/2 on a line, 1/4 in the plane, 1/8 in space, about 1e-236 for 784 pixels.
    """
    if isinstance(dims, bool) or not isinstance(dims, (int, np.integer)) or dims < 1:
        raise ValueError(f"dims must be a positive whole number of dimensions, got {dims!r}")
    return 0.5 ** int(dims)


def untouched_fraction(points):
    """The share of points ReLU leaves where they are (every coordinate >= 0): a number in [0, 1].

    For points spread symmetrically around the origin this approaches `orthant_fraction(dims)`.
    An empty cloud gives nan-free 0.0.
    """
    p = _check_points(points)
    if len(p) == 0:
        return 0.0
    return float(np.mean(np.all(p >= 0, axis=1)))
