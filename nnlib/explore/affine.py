"""AffineExplorer: a 2-unit layer moves a cloud of points stage by stage: rotate, scale, rotate, + b, ReLU."""

from types import SimpleNamespace

import numpy as np

from .. import geometry
from ..layers import Dense
from ..colors import CLASS_COLORS, neuron_color
from ..i18n import N_
from ._base import Explorer
from ._controls import Slider, check_range

MARKERS = {0: "c", 1: "t"}  # circle, triangle (shape as well as colour)


def default_cloud():
    """An 8 x 8 grid of points on [-1, 1]^2 (no point on an axis), (64, 2): straight rows show what a linear map keeps."""
    g = np.linspace(-1.0, 1.0, 8)
    xx, yy = np.meshgrid(g, g)
    return np.column_stack([xx.ravel(), yy.ravel()])


def quadrant(points):
    """0..3 for the quadrant each point starts in (counter-clockwise from the first, (+, +))."""
    p = np.asarray(points)
    right, up = p[:, 0] >= 0, p[:, 1] >= 0
    return np.where(up, np.where(right, 0, 1), np.where(right, 3, 2))


# The stages' names (nnlib.geometry.STAGE_NAMES), shown in the picture's legend and readout: for the catalogue.
_STAGE_WORDS = (N_("input"), N_("rotate"), N_("scale"), N_("rotate again"), N_("translate"), N_("ReLU fold"))


class AffineExplorer(Explorer):
    """A layer with two inputs and two units, seen as a map of the plane, one stage at a time.

    AffineExplorer(W=((1, 0), (0, 1)), b=(0, 0), mode="matrix", parts=None, points=None,
                   labels=None, lim=None, matrix_range=(-3, 3), bias_range=(-3, 3), step=0.1,
                   angle_step=5, scale_range=(-2.5, 2.5), stage=5, title=None, key=None)

    W = U Sigma V^T (nnlib.geometry.decompose) splits x -> ReLU(W x + b) into stages:
    0 the points x, 1 rotate by V^T, 2 scale by Sigma (a negative scale reflects), 3 rotate by U
    (now W x), 4 add b, 5 ReLU. A stage slider (and, in the page, a play button that animates
    from stage to stage) shows the cloud after any stage, over the input cloud in grey.

    Column-vector convention of chapter 7: a = W x + b with W (2, 2) = (units, inputs). nnlib's
    Dense computes the same map on rows with kernel W.T: A = P W^T + b for points P (n, 2).

    mode="matrix": sliders for the four entries of W and the two of b.
    mode="matrix": the stages use W's decomposition (explore.js holds the same closed form).
    mode="svd": sliders for W = R(angle_out) diag(s1, s2) R(angle_in) (nnlib.geometry.compose):
    first rotate by angle_in, scale the axes by s1 and s2 (a negative scale reflects), rotate by
    angle_out, then translate by b; the stages use these parts as they are. parts=(angle_in, s1,
    s2, angle_out) sets the start; given W instead, it is decomposed and rounded to the sliders' grid.

    points: (n, 2) cloud (default: an 8 x 8 grid on [-1, 1]^2, coloured by the quadrant it starts
    in); labels: optional (n,) 0/1 or -1/+1 classes, drawn as blue circles / vermilion triangles.
    lim: the plot shows [-lim, lim]^2; None (the default) follows the cloud through every stage, in
    1-2-5 steps with hysteresis (js/plot.js: followRange), so b = (3, 3) stays in view.

    `compute(**state)` returns dict(points (n, 2), stages (6, n, 2) the cloud after each stage,
    affine (n, 2) = W x + b (stage 4), folded (n, 2) = ReLU(affine) (stage 5), W (2, 2), b (2,),
    parts (angle_in, s1, s2, angle_out), det, counts = (untouched, onto an axis, onto the origin)).
    """

    kind = "affine"
    figsize = (6.4, 4.6)
    svg_size = (640, 460)

    def __init__(
        self,
        W=((1.0, 0.0), (0.0, 1.0)),
        b=(0.0, 0.0),
        mode="matrix",
        parts=None,
        points=None,
        labels=None,
        lim=None,
        matrix_range=(-3, 3),
        bias_range=(-3, 3),
        step=0.1,
        angle_step=5,
        scale_range=(-2.5, 2.5),
        stage=5,
        title=None,
        key=None,
    ):
        super().__init__(key)
        if mode not in ("matrix", "svd"):
            raise ValueError(
                f"mode must be 'matrix' (sliders for W's entries) or 'svd' (rotate, scale, rotate), got {mode!r}"
            )
        self.mode = mode
        W = np.asarray(W, dtype=np.float64)
        if W.shape != (2, 2):
            raise ValueError(f"W must be a 2 x 2 matrix (units, inputs), got shape {W.shape}")
        b = np.asarray(b, dtype=np.float64)
        if b.shape != (2,):
            raise ValueError(f"b must be two numbers (b1, b2), got shape {b.shape}")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise ValueError("W and b must be finite")
        P = default_cloud() if points is None else np.asarray(points, dtype=np.float64)
        if P.ndim != 2 or P.shape[1] != 2 or not 1 <= len(P) <= 400:
            raise ValueError(f"points must have shape (n, 2) with 1 <= n <= 400, got {P.shape}")
        if not np.all(np.isfinite(P)):
            raise ValueError("points must be finite")
        self.P = np.array([float(f"{v:.6g}") for v in P.ravel()]).reshape(P.shape)
        if labels is None:
            self.classes = None
        else:
            t = np.asarray(labels).ravel()
            if t.shape != (len(P),) or not (np.all(np.isin(t, (0, 1))) or np.all(np.isin(t, (-1, 1)))):
                raise ValueError(f"labels must be {len(P)} values, all 0/1 or all -1/+1")
            self.classes = (t > 0).astype(int)
        self.lim = None if lim is None else float(lim)
        if self.lim is not None and (not np.isfinite(self.lim) or self.lim <= 0):
            raise ValueError(f"lim must be a positive number or None (follow the cloud), got {lim!r}")
        bias_range = check_range("bias_range", bias_range)
        if mode == "matrix":
            if parts is not None:
                raise ValueError("parts= is for mode='svd'; in mode='matrix' pass W")
            matrix_range = check_range("matrix_range", matrix_range)
            self.controls = [
                Slider(
                    f"w{i}{j}",
                    f"W[{i},{j}]",
                    *matrix_range,
                    step,
                    W[i, j],
                    long=N_("matrix entry row {i} column {j}", i=i, j=j),
                    group="W",
                )
                for i in range(2)
                for j in range(2)
            ]
        else:
            scale_range = check_range("scale_range", scale_range)
            if parts is None:
                d = geometry.decompose(W)
                s = np.round(np.asarray(d.scales, dtype=float) / step) * step
                parts = (
                    round(d.angle_in / angle_step) * angle_step,
                    s[0],
                    s[1],
                    round(d.angle_out / angle_step) * angle_step,
                )
            try:
                a_in, s1, s2, a_out = (float(v) for v in parts)
            except (TypeError, ValueError):
                raise ValueError(f"parts must be four numbers (angle_in, s1, s2, angle_out), got {parts!r}") from None
            a_in, a_out = ((a + 180) % 360 - 180 for a in (a_in, a_out))
            self.controls = [
                Slider(
                    "angle_in",
                    N_("V\u1d40 turn (\u00b0)"),
                    -180,
                    180,
                    angle_step,
                    a_in,
                    group="W",
                    long=N_("first rotation angle in degrees"),
                ),
                Slider(
                    "s1",
                    N_("\u03a3 scale s\u2080"),
                    *scale_range,
                    step,
                    s1,
                    group="W",
                    long=N_("scale along the first axis"),
                ),
                Slider(
                    "s2",
                    N_("\u03a3 scale s\u2081"),
                    *scale_range,
                    step,
                    s2,
                    group="W",
                    long=N_("scale along the second axis"),
                ),
                Slider(
                    "angle_out",
                    N_("U turn (\u00b0)"),
                    -180,
                    180,
                    angle_step,
                    a_out,
                    group="W",
                    long=N_("second rotation angle in degrees"),
                ),
            ]
        self.controls += [
            Slider("b0", "b[0]", *bias_range, step, b[0], long=N_("bias, coordinate 0"), group="b"),
            Slider("b1", "b[1]", *bias_range, step, b[1], long=N_("bias, coordinate 1"), group="b"),
            Slider(
                "stage",
                N_("stage"),
                0,
                5,
                1,
                stage,
                integer=True,
                long=N_("stage: 0 input, 1 rotate, 2 scale, 3 rotate, 4 add b, 5 ReLU"),
            ),
        ]
        self.title = title or N_("A layer moves the plane, stage by stage: W x + b, then ReLU")
        self._finish_init()

    def group_columns(self, group, n):
        return 2  # W's sliders laid out like the matrix; b's side by side

    def group_label(self, group):
        if group == "b":
            return N_("bias b")
        return N_("matrix W") if self.mode == "matrix" else N_("W by parts")

    def matrix(self, **state):
        """W (2, 2) for a state (the current one by default)."""
        s = {**self._state, **state}
        if self.mode == "matrix":
            return np.array([[s["w00"], s["w01"]], [s["w10"], s["w11"]]])
        return geometry.compose(s["angle_in"], (s["s1"], s["s2"]), s["angle_out"])

    def parts(self, **state):
        """The stages' parts: an object with Vt, scales, U, angle_in, angle_out (decompose(W), or the sliders)."""
        s = {**self._state, **state}
        if self.mode == "matrix":
            return geometry.decompose(self.matrix(**s))
        return SimpleNamespace(
            Vt=geometry.rotation(s["angle_in"]),
            U=geometry.rotation(s["angle_out"]),
            scales=np.array([s["s1"], s["s2"]]),
            angle_in=s["angle_in"],
            angle_out=s["angle_out"],
        )

    def compute(self, **state):
        W = self.matrix(**state)
        b = np.array([state["b0"], state["b1"]])
        parts = self.parts(**state)
        stages = np.array([st.points for st in geometry.stages(self.P, W, b, parts=parts)])
        layer = Dense(2, activation="identity")
        layer.set_weights([W.T, b])  # Dense's kernel is (inputs, units) = W^T: stage 4 is the layer's a
        A = layer(self.P)
        negatives = np.sum(A < 0, axis=1)
        counts = tuple(int(np.sum(negatives == k)) for k in range(3))
        return {
            "points": self.P,
            "stages": stages,
            "affine": A,
            "folded": geometry.relu_fold(A),
            "W": W,
            "b": b,
            "parts": np.array([parts.angle_in, parts.scales[0], parts.scales[1], parts.angle_out]),
            "det": float(W[0, 0] * W[1, 1] - W[0, 1] * W[1, 0]),
            "counts": counts,
        }

    def description(self):
        colour = N_("coloured by class") if self.classes is not None else N_("coloured by the quadrant they start in")
        stage = self._state["stage"]
        return (
            N_(
                "{n} points, {colour}, after stage {stage} of the layer ({name}), over the input cloud in grey.",
                n=len(self.P),
                colour=colour,
                stage=stage,
                name=geometry.STAGE_NAMES[stage],
            )
            + " "
            + N_(
                "The stages: rotate by V transposed, scale each axis (a negative scale reflects), rotate by U, which "
                "makes W x, add b, then ReLU, which moves every negative coordinate to 0 so the cloud lands in the "
                "first quadrant."
            )
        )

    def _point_style(self):
        """Per point: (colour, marker)."""
        if self.classes is not None:
            return [CLASS_COLORS[c] for c in self.classes], [MARKERS[c] for c in self.classes]
        q = quadrant(self.P)
        return [neuron_color(int(i)) for i in q], ["c"] * len(self.P)

    # -- static face ---------------------------------------------------------------------------
    def _config(self):
        colors, markers = self._point_style()
        return {
            "mode": self.mode,
            "lim": self.lim,
            "P": self.P.ravel().tolist(),
            "colors": colors,
            "markers": markers,
            "stage_names": list(geometry.STAGE_NAMES),
        }
