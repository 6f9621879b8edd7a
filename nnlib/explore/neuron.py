"""NeuronExplorer: one neuron y = h(w x - b) over x in [-5, 5], with sliders for w and b (h the activation)."""

import numpy as np

from ..i18n import N_
from ..layers import Dense
from ..colors import TARGET_COLOR, neuron_color
from ._base import Explorer
from ._controls import ACTIVATION_LABELS, Choice, Slider, check_activation, check_bias_sign, check_range

# y-range per activation when the chapter does not fix one: bounded ones fill the plot,
# unbounded ones show the kink and a few units of growth (the curve is clipped beyond).
DEFAULT_YLIMS = {
    "step": (-0.25, 1.25),
    "sigmoid": (-0.25, 1.25),
    "tanh": (-1.25, 1.25),
    "relu": (-1.0, 5.0),
    "mish": (-1.0, 5.0),
    "identity": (-5.0, 5.0),
}


def neuron_output(x, weight, bias, activation, bias_sign="-"):
    """y = h(w x - b) (bias_sign "-") or h(w x + b) (bias_sign "+"), computed by an nnlib Dense(1).

    x: (n,) -> (a, y), both (n,): the weighted input a and the output y = h(a), h the activation.
    The "-" convention writes b as a threshold (seed 002); Keras and nnlib's Dense add b.
    Both describe the same family of curves: h(w x - b) = h(w x + (-b)).
    """
    layer = Dense(1, activation=activation)
    layer.set_weights([np.array([[float(weight)]]), np.array([float(bias) if bias_sign == "+" else -float(bias)])])
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    a = layer.weighted_sum(x)[:, 0]
    return a, layer.activation(a)


class NeuronExplorer(Explorer):
    """One neuron y = h(w x - b) over x in [-5, 5]: sliders for weight w and bias b, a menu for the activation h.

    NeuronExplorer(weight=1.0, bias=0.0, activation="sigmoid", bias_sign="-", references=(),
                   weight_range=(-5, 5), bias_range=(-5, 5), step=0.1, ylim=None,
                   activations=("step", "sigmoid", "tanh", "relu", "mish", "identity"),
                   x_range=(-5, 5), points=201, title=None, key=None)

    Sign convention: with bias_sign="-" (the default, as in seed 002) the neuron computes
    y = h(w x - b), so b is a threshold and the curve switches at x = b / w; with bias_sign="+"
    it computes y = h(w x + b), as Keras' Dense does, and switches at x = -b / w.

    references: fixed comparison curves, each a dict(weight=..., bias=..., activation=...,
    label=...) (activation defaults to the explorer's), drawn dashed in the course palette,
    e.g. the seed's three sigmoids with weights 0.5, 1 and 2.

    ylim: the y-range; None picks one per activation (and follows the menu). The legend sits under
    the plot, so no curve runs beneath it.
    key: the HTML id of the static face (letters, digits, - and _); by default a stable id
    derived from the configuration.

    `compute(weight=..., bias=..., activation=...)` returns dict(x, a, y, references, switch_x):
    x the grid (n,), a = w x - b (n,), y = h(a) (n,), references a list of (n,) arrays and
    switch_x where a = 0 (None when w = 0). `set(weight=2)` moves a slider.
    """

    kind = "neuron"
    svg_size = (640, 410)
    figsize = (6.4, 4.6)

    def __init__(
        self,
        weight=1.0,
        bias=0.0,
        activation="sigmoid",
        bias_sign="-",
        references=(),
        weight_range=(-5, 5),
        bias_range=(-5, 5),
        step=0.1,
        ylim=None,
        activations=("step", "sigmoid", "tanh", "relu", "mish", "identity"),
        x_range=(-5, 5),
        points=201,
        title=None,
        key=None,
    ):
        super().__init__(key)
        self.bias_sign = check_bias_sign(bias_sign)
        offered = tuple(check_activation(a) for a in activations)
        if not offered:
            raise ValueError("activations must name at least one activation function")
        activation = check_activation(activation, offered)
        self.x_range = check_range("x_range", x_range)
        if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or not 2 <= points <= 2001:
            raise ValueError(f"points must be a whole number between 2 and 2001, got {points!r}")
        self.points = int(points)
        self.ylim = None if ylim is None else check_range("ylim", ylim)
        self.title = title or (
            N_("One neuron: y = h(w x \u2212 b)") if bias_sign == "-" else N_("One neuron: y = h(w x + b)")
        )
        self.references = []
        for i, ref in enumerate(references):
            if not isinstance(ref, dict) or "weight" not in ref or "bias" not in ref:
                raise ValueError(
                    f"references[{i}] must be a dict with 'weight' and 'bias' (and optionally "
                    f"'activation', 'label'), got {ref!r}"
                )
            unknown = set(ref) - {"weight", "bias", "activation", "label"}
            if unknown:
                raise ValueError(
                    f"references[{i}] has unknown keys {sorted(unknown)}; allowed: weight, bias, activation, label"
                )
            r_act = check_activation(ref.get("activation", activation))
            w, b = float(ref["weight"]), float(ref["bias"])
            if not (np.isfinite(w) and np.isfinite(b)):
                raise ValueError(f"references[{i}]: weight and bias must be finite numbers")
            label = str(ref.get("label") or f"w = {w:g}, b = {b:g}")
            self.references.append(
                {"weight": w, "bias": b, "activation": r_act, "label": label, "color": neuron_color(i + 1)}
            )
        weight_range = check_range("weight_range", weight_range)
        bias_range = check_range("bias_range", bias_range)
        self.controls = [
            Slider("weight", N_("weight w"), *weight_range, step, weight),
            Slider("bias", N_("bias b"), *bias_range, step, bias),
            Choice("activation", N_("activation h"), [(a, ACTIVATION_LABELS[a]) for a in offered], activation),
        ]
        self._finish_init()

    def grid(self):
        """The x values of the curves: `points` evenly spaced values over x_range, (points,)."""
        return np.linspace(*self.x_range, self.points)

    def compute(self, weight, bias, activation):
        x = self.grid()
        a, y = neuron_output(x, weight, bias, activation, self.bias_sign)
        refs = [neuron_output(x, r["weight"], r["bias"], r["activation"], self.bias_sign)[1] for r in self.references]
        if weight == 0:
            switch = None
        else:
            switch = (bias if self.bias_sign == "-" else -bias) / weight
        return {"x": x, "a": a, "y": y, "references": refs, "switch_x": switch}

    def description(self):
        s = self._state
        values = dict(
            activation=ACTIVATION_LABELS[s["activation"]],
            lo=f"{self.x_range[0]:g}",
            hi=f"{self.x_range[1]:g}",
            weight=f"{s['weight']:g}",
            bias=f"{s['bias']:g}",
            n=len(self.references),
        )
        plot = (
            N_(
                "Plot of a {activation} neuron's output y against x from {lo} to {hi} for weight {weight} and bias "
                "{bias}, with {n} fixed reference curves.",
                **values,
            )
            if self.references
            else N_(
                "Plot of a {activation} neuron's output y against x from {lo} to {hi} for weight {weight} and bias "
                "{bias}.",
                **values,
            )
        )
        return plot + " " + N_("Moving the weight changes the steepness, moving the bias shifts the curve.")

    # -- static face ---------------------------------------------------------------------------
    def _config(self):
        return {
            "x": [*self.x_range, self.points],
            "bias_sign": self.bias_sign,
            "ylim": self.ylim,
            "ylims": DEFAULT_YLIMS,
            "references": self.references,
            "color": neuron_color(0),
            "switch_color": TARGET_COLOR,
            "act_labels": ACTIVATION_LABELS,
        }
