"""NeuronSumExplorer: several neurons on one input, their weighted sum, and an optional second layer."""

import numpy as np

from ..colors import SUM_COLOR, TARGET_COLOR, neuron_color
from ..i18n import N_
from ..layers import Dense
from ._base import Explorer
from ._controls import ACTIVATION_LABELS, Choice, Slider, check_activation, check_bias_sign, check_range


def _dense(kernel, bias, activation):
    layer = Dense(np.shape(kernel)[1], activation=activation)
    layer.set_weights([np.asarray(kernel, dtype=np.float64), np.asarray(bias, dtype=np.float64)])
    return layer


class NeuronSumExplorer(Explorer):
    """A hidden layer of N neurons on one input x, summed by an output neuron; optionally a second layer (a switch).

    NeuronSumExplorer(neurons=[(2, -2), (0.5, 1)], activation="sigmoid", bias_sign="-",
                      max_neurons=8, output_bias=None, second_layer=None, target=None,
                      weight_range=(-5, 5), bias_range=(-5, 5), output_weight_range=(-3, 3),
                      step=0.1, ylim=None, x_range=(-5, 5), points=201, title=None, key=None)

    The network, with bias_sign="-" (seed 002's convention; "+" gives Keras' w x + b):

        z_i(x) = h(w_i x - b_i)                 hidden neuron i = 0 .. count-1 (count a slider, 1..max_neurons)
        s(x)   = c + sum_i v_i z_i(x)           the output neuron: output weights v_i, output bias c
        y(x)   = h2(w s(x) - b)                 while the second layer is switched on (its w, b and h2)

    neurons: the initial neurons as (w, b) or (w, b, v) tuples (v defaults to 1, as in the seed);
    their number is the initial count. Neurons beyond them (up to max_neurons, at most 16)
    start as w = 1, v = 1 with biases spread over the x range.
    output_bias: None for no output-bias control (c = 0), or a number to show a slider for c.
    second_layer: None, or dict(weight=1, bias=0, activation="sigmoid", on=True) for one neuron
    applied to the sum: a "second layer" menu switches it on and off (on= is where it starts),
    with sliders for its weight and bias and a menu for its activation.
    target: None, a function of x, or an array of `points` values: drawn in grey, with the fit
    score R^2 = 1 - sum (y - t)^2 / sum (t - mean t)^2 of the network's output y (the last
    layer) and its mean squared error shown.

    ylim: the y-range; None (the default) follows the curves: it grows when a curve leaves it and
    shrinks when they fill less than a third of it, in 1-2-5 steps (js/plot.js: followRange), so the plot
    does not jump on small slider moves.

    `compute(**state)` returns dict(x, hidden (count, n) = v_i z_i, sum (n,), output (n,) = y,
    target (n,) or None, r2, mse (None without a target)). Per-neuron controls are named w0, b0,
    v0, w1, ... (neuron i's w_i, b_i, v_i); the others count, activation, c and, for the
    second layer, layer2 ("on"/"off"), w_l2, b_l2, activation2.
    """

    kind = "neuronsum"
    figsize = (6.4, 4.2)

    def __init__(
        self,
        neurons=((2, -2), (0.5, 1)),
        activation="sigmoid",
        bias_sign="-",
        max_neurons=8,
        output_bias=None,
        second_layer=None,
        target=None,
        weight_range=(-5, 5),
        bias_range=(-5, 5),
        output_weight_range=(-3, 3),
        step=0.1,
        ylim=None,
        x_range=(-5, 5),
        points=201,
        title=None,
        key=None,
    ):
        super().__init__(key)
        self.bias_sign = check_bias_sign(bias_sign)
        activation = check_activation(activation)
        self.x_range = check_range("x_range", x_range)
        if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or not 2 <= points <= 2001:
            raise ValueError(f"points must be a whole number between 2 and 2001, got {points!r}")
        self.points = int(points)
        if (
            isinstance(max_neurons, bool)
            or not isinstance(max_neurons, (int, np.integer))
            or not 1 <= max_neurons <= 16
        ):
            raise ValueError(f"max_neurons must be a whole number from 1 to 16, got {max_neurons!r}")
        rows = []
        for i, n in enumerate(neurons):
            try:
                vals = [float(v) for v in n]
            except (TypeError, ValueError):
                raise ValueError(f"neurons[{i}] must be a (w, b) or (w, b, v) tuple of numbers, got {n!r}") from None
            if len(vals) not in (2, 3):
                raise ValueError(f"neurons[{i}] must be a (w, b) or (w, b, v) tuple, got {len(vals)} numbers: {n!r}")
            rows.append(vals if len(vals) == 3 else vals + [1.0])
        if not rows:
            raise ValueError("neurons must hold at least one (w, b) pair")
        if len(rows) > max_neurons:
            raise ValueError(f"{len(rows)} neurons given but max_neurons={max_neurons}; raise max_neurons (up to 16)")
        self.max_neurons = int(max_neurons)
        weight_range = check_range("weight_range", weight_range)
        bias_range = check_range("bias_range", bias_range)
        v_range = check_range("output_weight_range", output_weight_range)
        for i in range(len(rows), self.max_neurons):
            # Extra neurons start spread over the x range so that adding one visibly changes the sum.
            spread = np.linspace(bias_range[0] * 0.6, bias_range[1] * 0.6, self.max_neurons)[i]
            rows.append([1.0, float(np.round(spread / step) * step), 1.0])
        self.controls = [
            Slider("count", N_("neurons"), 1, self.max_neurons, 1, len(neurons), integer=True),
            Choice("activation", N_("activation h"), [(a, l) for a, l in ACTIVATION_LABELS.items()], activation),
        ]
        for i, (w, b, v) in enumerate(rows):
            self.controls += [
                Slider(
                    f"w{i}", f"w{i}", *weight_range, step, w, neuron=i, group=f"n{i}", long=N_("neuron {i} weight", i=i)
                ),
                Slider(
                    f"b{i}", f"b{i}", *bias_range, step, b, neuron=i, group=f"n{i}", long=N_("neuron {i} bias", i=i)
                ),
                Slider(
                    f"v{i}",
                    f"v{i}",
                    *v_range,
                    step,
                    v,
                    neuron=i,
                    group=f"n{i}",
                    long=N_("neuron {i} output weight", i=i),
                ),
            ]
        self.has_output_bias = output_bias is not None
        if self.has_output_bias:
            self.controls.append(Slider("c", N_("output bias c"), *v_range, step, output_bias))
        self.second_layer = second_layer is not None
        if self.second_layer:
            if not isinstance(second_layer, dict):
                raise ValueError("second_layer must be None or a dict(weight=..., bias=..., activation=...)")
            unknown = set(second_layer) - {"weight", "bias", "activation", "on"}
            if unknown:
                raise ValueError(
                    f"second_layer has unknown keys {sorted(unknown)}; allowed: weight, bias, activation, on"
                )
            on = second_layer.get("on", True)
            if not isinstance(on, (bool, np.bool_)):
                raise ValueError(f"second_layer['on'] must be True or False (where the switch starts), got {on!r}")
            self.controls += [
                Choice(
                    "layer2",
                    N_("second layer"),
                    [("off", N_("off")), ("on", N_("on"))],
                    "on" if on else "off",
                    long=N_("second layer on or off"),
                ),
                Slider(
                    "w_l2",
                    "w",
                    *weight_range,
                    step,
                    second_layer.get("weight", 1.0),
                    group="l2",
                    long=N_("layer-2 weight"),
                ),
                Slider(
                    "b_l2",
                    "b",
                    *check_range("bias_range", (min(bias_range[0], -10), max(bias_range[1], 10))),
                    step,
                    second_layer.get("bias", 0.0),
                    group="l2",
                    long=N_("layer-2 bias"),
                ),
                Choice(
                    "activation2",
                    "h",
                    [(a, l) for a, l in ACTIVATION_LABELS.items()],
                    check_activation(second_layer.get("activation", activation)),
                    group="l2",
                    long=N_("layer-2 activation"),
                ),
            ]
        x = self.grid()
        if target is None:
            self.target = None
        else:
            t = target(x) if callable(target) else target
            t = np.asarray(t, dtype=np.float64)
            if t.shape != x.shape:
                raise ValueError(
                    f"target must be a function of x or an array of {self.points} values "
                    f"(one per grid point), got shape {t.shape}"
                )
            if not np.all(np.isfinite(t)) or np.ptp(t) == 0:
                raise ValueError("target must be finite and not constant (R^2 needs a spread)")
            # 12 significant digits: what the static face carries, so both faces score the same numbers
            self.target = np.array([float(f"{v:.12g}") for v in t])
        minus = "\u2212" if self.bias_sign == "-" else "+"
        formula = f"s(x) = \u03a3 v\u1d62 h(w\u1d62 x {minus} b\u1d62)" + (" + c" if self.has_output_bias else "")
        self.title = title or (
            N_("Neurons summed and a second layer: {formula}", formula=formula)
            if self.second_layer
            else N_("Neurons summed: {formula}", formula=formula)
        )
        self.ylim = None if ylim is None else check_range("ylim", ylim)
        self._finish_init()

    def grid(self):
        """The x values of the curves: `points` evenly spaced values over x_range, (points,)."""
        return np.linspace(*self.x_range, self.points)

    def _sign(self, b):
        return b if self.bias_sign == "+" else -b

    def network(self, x, **state):
        """The forward pass at inputs x (n,): (h (n, count) hidden outputs, s (n,) sum, y (n,) network output)."""
        state = {**self._state, **state}
        n = int(state["count"])
        x = np.asarray(x, dtype=np.float64)
        W = np.array([[state[f"w{i}"] for i in range(n)]])  # (1, n)
        b = np.array([self._sign(state[f"b{i}"]) for i in range(n)])  # (n,)
        v = np.array([state[f"v{i}"] for i in range(n)])  # (n,)
        h = _dense(W, b, state["activation"])(x[:, None])  # (points, n)
        s = _dense(v[:, None], [state.get("c", 0.0)], "identity")(h)[:, 0]
        y = s
        if self.second_layer and state["layer2"] == "on":
            y = _dense([[state["w_l2"]]], [self._sign(state["b_l2"])], state["activation2"])(s[:, None])[:, 0]
        return h, s, y

    def compute(self, **state):
        x = self.grid()
        h, s, out = self.network(x, **state)
        v = np.array([state[f"v{i}"] for i in range(int(state["count"]))])
        r2 = mse = None
        if self.target is not None:
            t = self.target
            mse = float(np.mean((out - t) ** 2))
            r2 = float(1 - np.sum((out - t) ** 2) / np.sum((t - t.mean()) ** 2))
        _, s0, y0 = self.network([0.0], **state)
        return {
            "x": x,
            "hidden": (h * v).T,
            "sum": s,
            "output": out,
            "target": self.target,
            "r2": r2,
            "mse": mse,
            "at0": [float(s0[0]), float(y0[0])],
        }

    def group_label(self, group):
        return N_("layer 2") if group == "l2" else N_("neuron {i}", i=int(group[1:]))

    def _hidden_groups(self):
        # the second layer's sliders show only while it is on
        return ("l2",) if self.second_layer and self._state["layer2"] == "off" else ()

    def description(self):
        s = self._state
        text = N_(
            "Plot over x from {lo} to {hi} of {count} {activation} neurons' curves, each times its output weight, "
            "and their sum.",
            lo=f"{self.x_range[0]:g}",
            hi=f"{self.x_range[1]:g}",
            count=s["count"],
            activation=ACTIVATION_LABELS[s["activation"]],
        )
        if self.second_layer and s["layer2"] == "on":
            text += " " + N_(
                "The sum passes through a second {activation} neuron (dashed).",
                activation=ACTIVATION_LABELS[s["activation2"]],
            )
        if self.target is not None:
            text += " " + N_("A grey target curve shows what the sum should fit.")
        return text

    # -- static face ---------------------------------------------------------------------------
    def _config(self):
        return {
            "x": [*self.x_range, self.points],
            "bias_sign": self.bias_sign,
            "ylim": None if self.ylim is None else list(self.ylim),
            "second_layer": self.second_layer,
            "target": None if self.target is None else self.target.tolist(),
            "colors": [neuron_color(i) for i in range(self.max_neurons)],
            "sum_color": SUM_COLOR,
            "target_color": TARGET_COLOR,
            "act_labels": ACTIVATION_LABELS,
        }
