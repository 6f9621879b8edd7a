"""DecisionBoundaryExplorer: a Dense(1) on two inputs, its line w0 x0 + w1 x1 + b = 0 and its output as a heat map."""

import numpy as np

from ..datasets import GATES, logic_gate
from ..layers import Dense
from ..colors import CLASS_COLORS, SEQUENTIAL_LUT, SUM_COLOR, neuron_color
from ..i18n import N_
from ._base import Explorer
from ._controls import ACTIVATION_LABELS, Choice, Slider, check_activation, check_range

AND_POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND_LABELS = np.array([0, 0, 0, 1])
# The target menu over the four gate inputs: each gate's truth table (nnlib.datasets.logic_gate).
GATE_LABELS = {g: g.upper() for g in GATES}
GATE_CLASSES = {g: [int(v) for v in logic_gate(g)[1]] for g in GATES}
THRESHOLDS = {"sigmoid": 0.5, "tanh": 0.0}
OUTPUT_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def _six_digits(a):
    # The static face carries the data with 6 significant digits; both faces compute with these values.
    return np.array([float(f"{v:.6g}") for v in np.asarray(a, dtype=np.float64).ravel()]).reshape(np.shape(a))


def _picture_weights(a):
    """Weights rounded to 4 decimals, the precision the picture needs; both faces compute with these values.

    Trained float32 weights differ in their last digits from one CPU's BLAS kernels to another's; rounded, the
    embedded page and the stored notebook output are the same on every machine (and 1e-4 moves no pixel).
    """
    return np.round(np.asarray(a, dtype=np.float64), 4) + 0.0  # + 0.0 turns -0.0 into 0.0


class DecisionBoundaryExplorer(Explorer):
    """A neuron on two inputs: sliders w0, w1, b; the data, the line w0 x0 + w1 x1 + b = 0, the output as a heat map.

    DecisionBoundaryExplorer(weights=(1, 1, -1.5), activation="sigmoid", data=None, labels=None,
                             target="and", model=None, hidden=None, output=None, weight_range=(-10, 10),
                             bias_range=(-10, 10), step=0.1, xlim=None, ylim=None, resolution=41,
                             class_labels=None, title=None, key=None)

    Without a hidden layer the output is y = f(x W + b) with a Dense(1) (Keras' layout:
    W = [[w0], [w1]] of shape (2, 1)), f sigmoid or tanh. A point is classified positive where
    y > 0.5 (sigmoid) or y > 0 (tanh), i.e. on the side of the line where w0 x0 + w1 x1 + b > 0.

    data: (n, 2) points (default: the four inputs of a logic gate), labels: (n,) in {0, 1} or
    {-1, +1}. Without data, a target menu picks the gate the points are scored against (AND, OR,
    NAND, XOR; `target` is where it starts): changing it relabels the points and rescores them.
    Class 0/-1 is drawn as blue circles, class 1/+1 as vermilion triangles; the legend names them
    class_labels (two strings), by default "class 0"/"class 1", or "class −1"/"class +1" for -1/+1 labels.
    The points are kept to 6 significant digits (what the static face carries).

    Hidden layer (TensorFlow-Playground-like): pass model=Sequential([Dense(H, ...), Dense(1, ...)])
    with weights (e.g. a trained 2-5-1 tanh network), or hidden=dict(W=(2, H), b=(H,),
    activation="tanh") and output=(v (H,), c). The hidden weights stay fixed; sliders choose how
    many hidden neurons count (the first k) and set the output weights v_i and bias c. Each
    hidden neuron's own line is drawn thin in its colour; the boundary is where the output
    crosses the threshold. At most 8 hidden neurons. The output weights start at the given ones
    rounded to the slider grid (`step`): pass step=0.01 to stay closer to a trained model.

    `compute(**state)` returns dict(gx (nx,), gy (ny,), grid (ny, nx) outputs, outputs (n,) at
    the data points, predicted (n,) 0/1, correct (n,) bool, accuracy, threshold). The lines (where a
    weighted sum is 0) and the boundary's contour are geometry the picture draws (js/contour.js).
    """

    kind = "boundary"
    figsize = (5.6, 4.6)
    svg_size = (560, 460)

    def __init__(
        self,
        weights=(1.0, 1.0, -1.5),
        activation="sigmoid",
        data=None,
        labels=None,
        target="and",
        model=None,
        hidden=None,
        output=None,
        weight_range=(-10, 10),
        bias_range=(-10, 10),
        step=0.1,
        xlim=None,
        ylim=None,
        resolution=41,
        class_labels=None,
        title=None,
        key=None,
    ):
        super().__init__(key)
        # -- data
        self.gates = data is None
        if data is None:
            if labels is not None:
                raise ValueError("labels were given without data; pass data=(n, 2) points as well")
            if target not in GATE_CLASSES:
                raise ValueError(f"target must be one of the gates {', '.join(map(repr, GATES))}, got {target!r}")
            X, t = AND_POINTS, np.array(GATE_CLASSES[target])
        else:
            if target != "and":
                raise ValueError("target= picks a logic gate for the four gate inputs; with data=, pass labels=")
            X = np.asarray(data, dtype=np.float64)
            if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
                raise ValueError(f"data must be an array of shape (n, 2), two inputs per point, got shape {X.shape}")
            if labels is None:
                raise ValueError("data needs labels: an array of n class labels, 0/1 or -1/+1")
            t = np.asarray(labels).ravel()
            if t.shape != (len(X),):
                raise ValueError(f"labels must have one entry per point ({len(X)}), got shape {np.shape(labels)}")
            if not np.all(np.isin(t, (0, 1))) and not np.all(np.isin(t, (-1, 1))):
                raise ValueError("labels must be 0/1 or -1/+1")
            if not np.all(np.isfinite(X)):
                raise ValueError("data must be finite")
            if len(X) > 600:
                raise ValueError(f"{len(X)} points are too many for the static face (at most 600); pass a sample")
        self.X = _six_digits(X)
        self.classes = (np.asarray(t) > 0).astype(int)
        if class_labels is None:
            signed = data is not None and np.any(np.asarray(t) < 0)
            class_labels = (N_("class \u22121"), N_("class +1")) if signed else (N_("class 0"), N_("class 1"))
        if isinstance(class_labels, str) or len(class_labels) != 2 or not all(isinstance(c, str) for c in class_labels):
            raise ValueError(
                f"class_labels must be two strings (the legend's names of the classes), got {class_labels!r}"
            )
        self.class_labels = list(class_labels)
        if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or not 5 <= resolution <= 81:
            raise ValueError(
                f"resolution (heat-map cells per side) must be a whole number from 5 to 81, got {resolution!r}"
            )
        self.resolution = int(resolution)
        pad = 0.5 if data is None else 0.1 * max(np.ptp(self.X[:, 0]), np.ptp(self.X[:, 1]), 1e-9)
        self.xlim = (
            check_range("xlim", xlim)
            if xlim is not None
            else (float(np.round(self.X[:, 0].min() - pad, 2)), float(np.round(self.X[:, 0].max() + pad, 2)))
        )
        self.ylim = (
            check_range("ylim", ylim)
            if ylim is not None
            else (float(np.round(self.X[:, 1].min() - pad, 2)), float(np.round(self.X[:, 1].max() + pad, 2)))
        )
        weight_range = check_range("weight_range", weight_range)
        bias_range = check_range("bias_range", bias_range)
        outs = [("sigmoid", "sigmoid"), ("tanh", "tanh")]

        # -- network
        if model is not None and hidden is not None:
            raise ValueError("pass either model= or hidden= (with output=), not both")
        if model is not None:
            layers = getattr(model, "layers", None)
            if layers and len(layers) == 2 and not model.built and layers[0].built:
                model.build()  # the first layer knows its inputs: create the rest from the model's seed
            if not layers or len(layers) != 2 or not all(getattr(l, "built", False) for l in layers):
                raise ValueError(
                    "model must be a Sequential of two Dense layers (hidden, then Dense(1)) "
                    "with weights (built, e.g. input_dim=2 on the first layer, or trained)"
                )
            h_layer, o_layer = layers
            if o_layer.units != 1 or h_layer.input_dim != 2:
                raise ValueError(
                    f"model must map 2 inputs to 1 output, got {h_layer.input_dim} inputs and {o_layer.units} outputs"
                )
            hidden = {
                "W": h_layer.W,
                "b": h_layer.b if h_layer.b is not None else np.zeros(h_layer.units),
                "activation": h_layer.activation.name,
            }
            output = (o_layer.W[:, 0], o_layer.b[0] if o_layer.b is not None else 0.0)
            activation = o_layer.activation.name
        activation = check_activation(activation, tuple(THRESHOLDS), what="output activation")
        self.hidden = None
        if hidden is None:
            if output is not None:
                raise ValueError("output= is only used with a hidden layer (hidden= or model=)")
            try:
                w0, w1, b = (float(v) for v in weights)
            except (TypeError, ValueError):
                raise ValueError(f"weights must be three numbers (w0, w1, b), got {weights!r}") from None
            self.controls = [
                Slider("w0", N_("weight w0"), *weight_range, step, w0),
                Slider("w1", N_("weight w1"), *weight_range, step, w1),
                Slider("b", N_("bias b"), *bias_range, step, b),
                Choice("activation", N_("activation h"), outs, activation),
            ]
        else:
            if not isinstance(hidden, dict) or "W" not in hidden:
                raise ValueError("hidden must be dict(W=(2, H) array, b=(H,) array, activation=name)")
            W = np.asarray(hidden["W"], dtype=np.float64)
            if W.ndim != 2 or W.shape[0] != 2:
                hint = " (that looks like (units, inputs): pass W.T)" if W.ndim == 2 and W.shape[1] == 2 else ""
                raise ValueError(f"hidden W must have shape (2, H), one row per input{hint}, got {W.shape}")
            H = W.shape[1]
            if not 1 <= H <= 8:
                raise ValueError(f"the hidden layer may have 1 to 8 neurons, got {H}")
            hb = np.asarray(hidden.get("b", np.zeros(H)), dtype=np.float64)
            if hb.shape != (H,):
                raise ValueError(f"hidden b must have shape ({H},), got {hb.shape}")
            h_act = check_activation(hidden.get("activation", "tanh"), what="hidden activation")
            if output is None:
                v, c = np.ones(H), 0.0
            else:
                try:
                    v, c = output
                except (TypeError, ValueError):
                    raise ValueError(
                        "output must be a pair (v, c): v the H output weights, c the output bias"
                    ) from None
                v = np.asarray(v, dtype=np.float64).ravel()
                if v.shape != (H,):
                    raise ValueError(
                        f"output weights v must be {H} numbers (one per hidden neuron), got shape {v.shape}"
                    )
            self.hidden = {"W": _picture_weights(W), "b": _picture_weights(hb), "activation": h_act}
            # Trained weights rarely sit on the slider grid: round them to it (the figure says so).
            v = np.round(np.asarray(v) / step) * step
            c = float(np.round(float(c) / step) * step)
            lo, hi = weight_range
            if np.any(v < lo) or np.any(v > hi) or not bias_range[0] <= c <= bias_range[1]:
                raise ValueError(
                    f"output weights {np.round(v, 3).tolist()} or bias {c:g} lie outside the slider "
                    f"ranges {weight_range} / {bias_range}; widen weight_range or bias_range"
                )
            self.controls = [
                Slider("count", N_("hidden neurons"), 1, H, 1, H, integer=True),
                Choice("activation", N_("output activation"), outs, activation),
            ]
            self.controls += [
                Slider(
                    f"v{i}",
                    f"v{i}",
                    *weight_range,
                    step,
                    float(v[i]),
                    neuron=i,
                    long=N_("output weight of hidden neuron {i}", i=i),
                )
                for i in range(H)
            ]
            self.controls.append(Slider("c", N_("output bias c"), *bias_range, step, c))
        if self.gates:
            self.controls.insert(
                0,
                Choice(
                    "target",
                    N_("target"),
                    [(g, GATE_LABELS[g]) for g in GATES],
                    target,
                    long=N_("target gate the points are scored against"),
                ),
            )
        self.title = title or (
            N_("A neuron's decision boundary")
            if self.hidden is None
            else N_("Decision boundary of a network with a hidden layer")
        )
        self._finish_init()

    def grid_axes(self):
        """The heat map's cell centres: gx (resolution,) over xlim, gy (resolution,) over ylim."""
        return np.linspace(*self.xlim, self.resolution), np.linspace(*self.ylim, self.resolution)

    def _network(self, state):
        """The forward pass as nnlib layers: [hidden Dense (k), output Dense(1)] or [Dense(1)]."""
        if self.hidden is None:
            out = Dense(1, activation=state["activation"])
            out.set_weights([np.array([[state["w0"]], [state["w1"]]]), np.array([state["b"]])])
            return [out]
        k = int(state["count"])
        hid = Dense(k, activation=self.hidden["activation"])
        hid.set_weights([self.hidden["W"][:, :k], self.hidden["b"][:k]])
        out = Dense(1, activation=state["activation"])
        out.set_weights([np.array([[state[f"v{i}"]] for i in range(k)]), np.array([state["c"]])])
        return [hid, out]

    def predict(self, points, **state):
        """The network's output for points (n, 2) -> (n,), at the current state unless given."""
        state = {**self._state, **state}
        z = np.asarray(points, dtype=np.float64)
        for layer in self._network(state):
            z = layer(z)
        return z[:, 0]

    def classes_for(self, **state):
        """The points' classes (n,) 0/1 at a state: the target gate's truth table, or the data's labels."""
        state = {**self._state, **state}
        return np.array(GATE_CLASSES[state["target"]]) if self.gates else self.classes

    def compute(self, **state):
        gx, gy = self.grid_axes()
        xx, yy = np.meshgrid(gx, gy)
        grid = self.predict(np.column_stack([xx.ravel(), yy.ravel()]), **state).reshape(xx.shape)
        outputs = self.predict(self.X, **state)
        threshold = THRESHOLDS[state["activation"]]
        predicted = (outputs > threshold).astype(int)
        classes = self.classes_for(**state)
        correct = predicted == classes
        return {
            "gx": gx,
            "gy": gy,
            "grid": grid,
            "outputs": outputs,
            "predicted": predicted,
            "correct": correct,
            "classes": classes,
            "accuracy": float(np.mean(correct)),
            "threshold": threshold,
        }

    def description(self):
        what = N_("a single neuron") if self.hidden is None else N_("a network with a hidden layer")
        values = dict(
            what=what,
            x0=f"{self.xlim[0]:g}",
            x1=f"{self.xlim[1]:g}",
            y0=f"{self.ylim[0]:g}",
            y1=f"{self.ylim[1]:g}",
            n=len(self.X),
            first=self.class_labels[0],
            second=self.class_labels[1],
        )
        text = N_(
            "Heat map of the output of {what} over the input plane (x0 from {x0} to {x1}, x1 from {y0} to {y1}), "
            "light where the output is high, with its decision boundary as a black line and {n} data points: "
            "{first} as circles, {second} as triangles.",
            **values,
        )
        if self.gates:
            text += " " + N_(
                "The points are labelled by the target gate {gate}.", gate=GATE_LABELS[self._state["target"]]
            )
        return text

    # -- static face ---------------------------------------------------------------------------
    def _config(self):
        cfg = {
            "xlim": list(self.xlim),
            "ylim": list(self.ylim),
            "res": self.resolution,
            "X": self.X.ravel().tolist(),
            "classes": self.classes.tolist(),
            "class_colors": [CLASS_COLORS[0], CLASS_COLORS[1]],
            "lut": SEQUENTIAL_LUT,
            "line_color": SUM_COLOR,
            "class_labels": self.class_labels,
            "thresholds": THRESHOLDS,
            "ranges": OUTPUT_RANGES,
            "act_labels": ACTIVATION_LABELS,
        }
        if self.gates:
            cfg["gates"], cfg["gate_labels"] = GATE_CLASSES, GATE_LABELS
        if self.hidden is not None:
            cfg["hidden"] = {
                "W": self.hidden["W"].tolist(),
                "b": self.hidden["b"].tolist(),
                "activation": self.hidden["activation"],
                "colors": [neuron_color(i) for i in range(self.hidden["W"].shape[1])],
            }
        return cfg
