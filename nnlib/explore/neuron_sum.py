"""NeuronSumExplorer: several neurons on one input, their weighted sum, and an optional second layer."""

import math

import numpy as np

from ..layers import Dense
from ..plotting import SUM_COLOR, TARGET_COLOR, neuron_color
from ._base import ACTIVATION_LABELS, Choice, Explorer, Slider, _fmt, check_activation, check_bias_sign, check_range


def nice_step(span):
    """A step of 1, 2 or 5 times a power of ten, about span / 6 (explore.js: niceStep, the same bits)."""
    raw, mag = span / 6, 1.0
    while mag * 10 <= raw:
        mag *= 10
    while mag > raw:
        mag /= 10
    f = raw / mag
    return (1 if f <= 1 else 2 if f <= 2 else 5 if f <= 5 else 10) * mag


def follow_range(current, lo, hi, span_min):
    """The axis range (low, high) shown for data spanning [lo, hi], given the range shown now (or None).

    Kept while the data fit in it and fill at least 35 % of it, so a small slider move never
    rescales the axes; otherwise a fresh range on a 1-2-5 grid with an 8 % margin. span_min keeps
    a flat curve from zooming into rounding noise. explore.js (followRange) is the same function,
    tested against this one.
    """
    if hi - lo < span_min:
        mid = (lo + hi) / 2
        lo, hi = mid - span_min / 2, mid + span_min / 2
    if current is not None and lo >= current[0] and hi <= current[1] and hi - lo >= 0.35 * (current[1] - current[0]):
        return current
    pad = 0.08 * (hi - lo)
    step = nice_step(hi - lo + 2 * pad)
    return (math.floor((lo - pad) / step) * step, math.ceil((hi + pad) / step) * step)


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
    shrinks when they fill less than a third of it, in 1-2-5 steps (`follow_range`), so the plot
    does not jump on small slider moves.

    `compute(**state)` returns dict(x, hidden (count, n) = v_i z_i, sum (n,), output (n,) = y,
    target (n,) or None, r2, mse (None without a target)). Per-neuron controls are named w0, b0,
    v0, w1, ... (neuron i's w_i, b_i, v_i); the others count, activation, c and, for the
    second layer, layer2 ("on"/"off"), w_l2, b_l2, activation2.
    """

    kind = "neuronsum"
    figsize = (6.4, 4.2)

    def __init__(self, neurons=((2, -2), (0.5, 1)), activation="sigmoid", bias_sign="-", max_neurons=8,
                 output_bias=None, second_layer=None, target=None, weight_range=(-5, 5), bias_range=(-5, 5),
                 output_weight_range=(-3, 3), step=0.1, ylim=None, x_range=(-5, 5), points=201,
                 title=None, key=None):
        super().__init__(key)
        self.bias_sign = check_bias_sign(bias_sign)
        activation = check_activation(activation)
        self.x_range = check_range("x_range", x_range)
        if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or not 2 <= points <= 2001:
            raise ValueError(f"points must be a whole number between 2 and 2001, got {points!r}")
        self.points = int(points)
        if isinstance(max_neurons, bool) or not isinstance(max_neurons, (int, np.integer)) or not 1 <= max_neurons <= 16:
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
        self.controls = [Slider("count", "neurons", 1, self.max_neurons, 1, len(neurons), integer=True),
                         Choice("activation", "activation h", [(a, l) for a, l in ACTIVATION_LABELS.items()],
                                activation)]
        for i, (w, b, v) in enumerate(rows):
            self.controls += [
                Slider(f"w{i}", f"w{i}", *weight_range, step, w, neuron=i, group=f"n{i}",
                       long=f"neuron {i} weight"),
                Slider(f"b{i}", f"b{i}", *bias_range, step, b, neuron=i, group=f"n{i}",
                       long=f"neuron {i} bias"),
                Slider(f"v{i}", f"v{i}", *v_range, step, v, neuron=i, group=f"n{i}",
                       long=f"neuron {i} output weight"),
            ]
        self.has_output_bias = output_bias is not None
        if self.has_output_bias:
            self.controls.append(Slider("c", "output bias c", *v_range, step, output_bias))
        self.second_layer = second_layer is not None
        if self.second_layer:
            if not isinstance(second_layer, dict):
                raise ValueError("second_layer must be None or a dict(weight=..., bias=..., activation=...)")
            unknown = set(second_layer) - {"weight", "bias", "activation", "on"}
            if unknown:
                raise ValueError(f"second_layer has unknown keys {sorted(unknown)}; allowed: weight, bias, activation, on")
            on = second_layer.get("on", True)
            if not isinstance(on, (bool, np.bool_)):
                raise ValueError(f"second_layer['on'] must be True or False (where the switch starts), got {on!r}")
            self.controls += [
                Choice("layer2", "second layer", [("off", "off"), ("on", "on")], "on" if on else "off",
                       long="second layer on or off"),
                Slider("w_l2", "w", *weight_range, step, second_layer.get("weight", 1.0), group="l2",
                       long="layer-2 weight"),
                Slider("b_l2", "b", *check_range("bias_range", (min(bias_range[0], -10), max(bias_range[1], 10))),
                       step, second_layer.get("bias", 0.0), group="l2", long="layer-2 bias"),
                Choice("activation2", "h", [(a, l) for a, l in ACTIVATION_LABELS.items()],
                       check_activation(second_layer.get("activation", activation)), group="l2",
                       long="layer-2 activation"),
            ]
        x = self.grid()
        if target is None:
            self.target = None
        else:
            t = target(x) if callable(target) else target
            t = np.asarray(t, dtype=np.float64)
            if t.shape != x.shape:
                raise ValueError(f"target must be a function of x or an array of {self.points} values "
                                 f"(one per grid point), got shape {t.shape}")
            if not np.all(np.isfinite(t)) or np.ptp(t) == 0:
                raise ValueError("target must be finite and not constant (R^2 needs a spread)")
            # 12 significant digits: what the static face carries, so both faces score the same numbers
            self.target = np.array([float(f"{v:.12g}") for v in t])
        self.title = title or ("Neurons summed" + (" and a second layer" if self.second_layer else ""))
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
        W = np.array([[state[f"w{i}"] for i in range(n)]])               # (1, n)
        b = np.array([self._sign(state[f"b{i}"]) for i in range(n)])     # (n,)
        v = np.array([state[f"v{i}"] for i in range(n)])                 # (n,)
        h = _dense(W, b, state["activation"])(x[:, None])                 # (points, n)
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
        return {"x": x, "hidden": (h * v).T, "sum": s, "output": out, "target": self.target, "r2": r2, "mse": mse}

    def group_label(self, group):
        return "layer 2" if group == "l2" else f"neuron {int(group[1:])}"

    def _controls_html(self, k):
        html = super()._controls_html(k)
        if self.second_layer and self._state["layer2"] == "off":  # its sliders show only while it is on
            html = html.replace('aria-label="layer 2">', 'aria-label="layer 2" hidden>', 1)
        return html

    def y_range(self, result, current=None):
        """The y-range for the curves in `result` given the one shown now: ylim, or `follow_range` of every curve and 0."""
        if self.ylim is not None:
            return self.ylim
        values = [result["hidden"].ravel(), result["sum"], result["output"], [0.0]]
        if self.target is not None:
            values.append(self.target)
        values = np.concatenate([np.asarray(v, dtype=float).ravel() for v in values])
        return follow_range(current, float(values.min()), float(values.max()), 1.0)

    def readout(self, result=None):
        r = result if result is not None else self.curves()
        s = self._state
        text = f"{s['count']} {ACTIVATION_LABELS[s['activation']]} neuron{'s' if s['count'] > 1 else ''}"
        _, s0, y0 = self.network([0.0])
        text += f"; sum at x = 0: {_fmt(float(s0[0]), 3)}"
        if self.second_layer and s["layer2"] == "on":
            text += f"; after layer 2: {_fmt(float(y0[0]), 3)}"
        if r["r2"] is not None:
            text += f". Fit to the target: R\u00b2 = {_fmt(r['r2'], 3)} (mean squared error {_fmt(r['mse'], 4)})"
        return text + "."

    def description(self):
        s = self._state
        parts = [f"Plot over x from {self.x_range[0]:g} to {self.x_range[1]:g} of {s['count']} "
                 f"{ACTIVATION_LABELS[s['activation']]} neurons' curves, each times its output weight, and their sum"]
        if self.second_layer and s["layer2"] == "on":
            parts.append(f"the sum passed through a second {ACTIVATION_LABELS[s['activation2']]} neuron (dashed)")
        if self.target is not None:
            parts.append("a grey target curve the sum should fit")
        return ", ".join(parts) + "."

    # -- static face ---------------------------------------------------------------------------
    def _config(self):
        return {"x": [*self.x_range, self.points], "bias_sign": self.bias_sign,
                "ylim": None if self.ylim is None else list(self.ylim),
                "second_layer": self.second_layer,
                "target": None if self.target is None else self.target.tolist(),
                "colors": [neuron_color(i) for i in range(self.max_neurons)], "sum_color": SUM_COLOR,
                "target_color": TARGET_COLOR, "act_labels": ACTIVATION_LABELS}

    # -- live face -----------------------------------------------------------------------------
    def _layout_controls(self):
        import ipywidgets as widgets

        top = [self._inputs["count"], self._inputs["activation"]]
        if self.has_output_bias:
            top.append(self._inputs["c"])
        rows = [widgets.HBox(top)]
        for i in range(self.max_neurons):
            box = widgets.HBox([widgets.Label(f"neuron {i}:", layout=widgets.Layout(width="70px"))]
                               + [self._inputs[f"{p}{i}"] for p in "wbv"])
            rows.append(box)
            self._row_boxes = getattr(self, "_row_boxes", {})
            self._row_boxes[i] = box
        if self.second_layer:
            top.append(self._inputs["layer2"])
            self._layer2_box = widgets.HBox([widgets.Label("layer 2:", layout=widgets.Layout(width="70px")),
                                             self._inputs["w_l2"], self._inputs["b_l2"], self._inputs["activation2"]])
            rows.append(self._layer2_box)
        return widgets.VBox(rows)

    def _show_neuron_rows(self):
        if self.second_layer:
            self._layer2_box.layout.display = None if self._state["layer2"] == "on" else "none"
        count = self._state["count"]
        if count == getattr(self, "_rows_shown", None):
            return
        self._rows_shown = count
        for i, box in self._row_boxes.items():
            box.layout.display = None if i < count else "none"

    def _draw(self, fig):
        ax = fig.add_subplot()
        r = self.curves()
        x = r["x"]
        self._hidden_lines = [ax.plot(x, np.zeros_like(x), color=neuron_color(i), linewidth=1.6,
                                      label=f"v{i} \u00b7 z{i}")[0] for i in range(self.max_neurons)]
        if self.target is not None:
            ax.plot(x, self.target, color=TARGET_COLOR, linewidth=5, alpha=0.6, label="target", zorder=1)
        (self._sum_line,) = ax.plot(x, r["sum"], color=SUM_COLOR, linewidth=2.6, label="sum s(x)")
        self._out_line = None
        if self.second_layer:
            (self._out_line,) = ax.plot(x, r["output"], color=SUM_COLOR, linewidth=2.6, linestyle="--",
                                        label="layer 2: h(w s \u2212 b)" if self.bias_sign == "-"
                                        else "layer 2: h(w s + b)")
        ax.axhline(0, color=SUM_COLOR, linewidth=0.6)
        ax.set_xlim(*self.x_range)
        self._ylim_shown = self.y_range(r)
        ax.set_ylim(*self._ylim_shown)
        ax.set_xlabel("input x")
        ax.set_ylabel("output")
        self._ax = ax
        fig.subplots_adjust(left=0.1, right=0.7, bottom=0.13, top=0.9)

    def _animated_artists(self):
        return self._hidden_lines + [self._sum_line] + ([self._out_line] if self._out_line is not None else [])

    def _background_key(self):
        # the legend lists the shown neurons and layer 2 when on; the y-range follows the curves
        self._ylim_next = self.y_range(self.curves(), self._ylim_shown)
        return self._state["count"], self._state.get("layer2"), self._ylim_next

    def _update(self, r):
        n = self._state["count"]
        on = self._out_line is not None and self._state["layer2"] == "on"
        if self._ylim_next != self._ylim_shown:
            self._ylim_shown = self._ylim_next
            self._ax.set_ylim(*self._ylim_shown)
        for i, line in enumerate(self._hidden_lines):
            line.set_visible(i < n)
            if i < n:
                line.set_ydata(r["hidden"][i])
        self._sum_line.set_ydata(r["sum"])
        if self._out_line is not None:
            self._out_line.set_visible(on)
            self._out_line.set_ydata(r["output"])
        if self._background_key() != getattr(self, "_bg_key", None):
            handles = [h for h in self._ax.get_lines() if h.get_visible() and not h.get_label().startswith("_")]
            self._ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
            self._ax.set_title(f"{n} neuron{'s' if n > 1 else ''}" + (" and a second layer" if on else ""))
