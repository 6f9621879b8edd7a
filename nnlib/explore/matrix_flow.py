"""MatrixFlowExplorer: a small network's every weight and bias typed into its matrices, and the numbers flowing through it."""

import numpy as np

from ..colors import NEGATIVE_COLOR, POSITIVE_COLOR
from ..layers import Dense
from ..network import Sequential
from . import contract
from ..i18n import N_
from ._base import Explorer
from ._controls import SUPPRESS_SHORTCUTS, Slider, check_range, fmt
from ._face import NARROW_FIGURE_PX

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
MAX_LAYERS, MAX_UNITS = 4, 4  # what fits the picture and a phone's width


def layer_mark(layer):
    """The superscript of layer `layer` as book/notation.md writes it: "⁽¹⁾" for 1."""
    return f"⁽{str(layer).translate(SUPERSCRIPT)}⁾"


class Entry(Slider):
    """One number of a matrix, typed into a box (`<input type="number">`; the arrow keys step it by `step`).

    Any finite value inside [lo, hi] is allowed (a typed 0.25 need not lie on the arrow keys' grid).
    """

    def check(self, value):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{self.name} must be a number, got {value!r}")
        value = float(value)
        if not np.isfinite(value) or not self.min <= value <= self.max:
            raise ValueError(
                f"{self.name}={value:g} is outside [{self.min:g}, {self.max:g}]; type a number inside, or widen "
                f"value_range"
            )
        return value

    def html(self, cid, value):
        return (
            f'<input type="number" id="{cid}" data-param="{self.name}" min="{self.min:g}" max="{self.max:g}" '
            f'step="{self.step:g}" value="{value!r}" inputmode="decimal" class="nnx-entry" '
            f'{SUPPRESS_SHORTCUTS}="true" disabled>'
        )


class MatrixFlowExplorer(Explorer):
    """A network of Dense layers with every weight and bias editable, and X, A⁽¹⁾, Z⁽¹⁾, ..., Y shown as vectors.

    MatrixFlowExplorer(model, x, value_range=(-10, 10), step=0.1, decimals=4, output_decimals=8,
                       title=None, key=None)

    model: an nnlib Sequential of at most 4 Dense layers of at most 4 units each (inputs too), with its
    weights set (they are the explorer's start and what Reset brings back); x: one sample, (inputs,).
    Each layer l computes A⁽ˡ⁾ = Z⁽ˡ⁻¹⁾ W⁽ˡ⁾ + b⁽ˡ⁾ and Z⁽ˡ⁾ = h(A⁽ˡ⁾), with Z⁽⁰⁾ = X; the last Z is Y.
    The reader types each entry of X, W⁽ˡ⁾ and b⁽ˡ⁾ into a box laid out as the matrix (the arrow keys
    step it by `step`); the picture prints every vector, the intermediate ones with `decimals`
    decimals and Y with `output_decimals` (8: as numpy prints the chapter's float64 output).

    Controls: x0, x1, ... (the input), W{l}_{i}{j} (layer l's kernel, input i to unit j) and b{l}_{j}.
    `compute(**state)` returns dict(x (inputs,), a [A⁽¹⁾, ...], z [Z⁽¹⁾, ...], y (outputs,)) computed by
    nnlib's Sequential.trace.
    """

    kind = "flow"
    svg_size = (480, 0)
    max_width = NARROW_FIGURE_PX

    def __init__(self, model, x, value_range=(-10, 10), step=0.1, decimals=4, output_decimals=8, title=None, key=None):
        super().__init__(key)
        if not isinstance(model, Sequential) or not model.layers:
            raise ValueError(f"model must be an nnlib Sequential of Dense layers, got {type(model).__name__}")
        if len(model.layers) > MAX_LAYERS:
            raise ValueError(f"the picture holds at most {MAX_LAYERS} layers; the model has {len(model.layers)}")
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 1:
            raise ValueError(f"x must be one sample, a 1-D array of inputs, got shape {x.shape}")
        lo, hi = check_range("value_range", value_range)
        for name, d in (("decimals", decimals), ("output_decimals", output_decimals)):
            if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or not 0 <= d <= 10:
                raise ValueError(f"{name} must be a whole number from 0 to 10, got {d!r}")
        self.decimals, self.output_decimals = int(decimals), int(output_decimals)
        self.layers = []  # (inputs, units, activation name) per layer
        inputs = len(x)
        for l, layer in enumerate(model.layers, 1):
            if not isinstance(layer, Dense) or layer.W is None:
                raise ValueError(f"layer {l} must be a Dense layer with its weights set (model.set_weights)")
            W, b = layer.get_weights()
            if W.shape[0] != inputs:
                raise ValueError(f"layer {l} takes {W.shape[0]} inputs but gets {inputs} (x has {len(x)} numbers)")
            if max(W.shape) > MAX_UNITS:
                raise ValueError(
                    f"the picture holds at most {MAX_UNITS} inputs and units a layer; layer {l} is {W.shape}"
                )
            contract.check_activation(layer.activation, f"layer {l}")
            self.layers.append((W.shape[0], W.shape[1], layer.activation.name))
            inputs = W.shape[1]
        weights = model.get_weights()

        def entry(name, label, long, value, group):
            return Entry(name, label, lo, hi, step, float(value), group=group, long=long)

        self.controls = [
            entry(
                f"x{i}",
                f"x{str(i).translate(SUBSCRIPT)}",
                N_("input {name}", name=f"x{str(i).translate(SUBSCRIPT)}"),
                v,
                "x",
            )
            for i, v in enumerate(x)
        ]
        for l, (n_in, n_out, _) in enumerate(self.layers, 1):
            W, b = weights[2 * l - 2], weights[2 * l - 1]
            mark = layer_mark(l)
            for i in range(n_in):
                for j in range(n_out):
                    sub = f"{i}{j}".translate(SUBSCRIPT)
                    self.controls.append(
                        entry(
                            f"W{l}_{i}{j}",
                            f"W{mark}{sub}",
                            N_(
                                "weight {name}: from input {i} to neuron {j} of layer {l}",
                                name=f"W{mark}{sub}",
                                i=i,
                                j=j,
                                l=l,
                            ),
                            W[i, j],
                            f"W{l}r{i}",
                        )
                    )
            for j in range(n_out):
                sub = str(j).translate(SUBSCRIPT)
                self.controls.append(
                    entry(
                        f"b{l}_{j}",
                        f"b{mark}{sub}",
                        N_("bias {name} of neuron {j} of layer {l}", name=f"b{mark}{sub}", j=j, l=l),
                        b[j],
                        f"b{l}",
                    )
                )
        self.title = title or N_("Every weight of the network, and the numbers flowing through it")
        rows = 1 + 2 * len(self.layers)
        self.svg_size = (480, 40 + 46 * rows)
        self._finish_init()

    def model(self, **state):
        """The network of `state` (default: the current one) as an nnlib Sequential (float64)."""
        state = {**self._state, **state}
        layers, params = [], []
        for l, (n_in, n_out, activation) in enumerate(self.layers, 1):
            layers.append(Dense(n_out, activation, input_dim=n_in))
            params.append(np.array([[state[f"W{l}_{i}{j}"] for j in range(n_out)] for i in range(n_in)]))
            params.append(np.array([state[f"b{l}_{j}"] for j in range(n_out)]))
        model = Sequential(layers)
        model.set_weights(params)
        return model

    def compute(self, **state):
        x = np.array([state[f"x{i}"] for i in range(self.layers[0][0])])
        trace = self.model(**state).trace(x)
        return {"x": x, "a": [step.a for step in trace], "z": [step.z for step in trace], "y": trace.output}

    def group_label(self, group):
        if group == "x":
            return N_("X (input)")
        if group[0] == "b":
            return f"b{layer_mark(int(group[1:]))}"
        layer, row = group[1:].split("r")
        return N_("{matrix} row {row}", matrix=f"W{layer_mark(int(layer))}", row=row)

    def group_columns(self, group, n):
        return n

    run_note = N_(
        "A still picture. Run this cell (or open the page with JavaScript on) to type numbers into the matrices."
    )

    def description(self):
        shapes = ", ".join(f"{n_in} \u2192 {n_out} ({act})" for n_in, n_out, act in self.layers)
        y = self.curves()["y"]
        return N_(
            "The vectors X, then A and Z of each layer ({shapes}), and the output Y = [{y}], printed as numbers with "
            "a bar for each; entries that differ from the starting network's are bold.",
            shapes=shapes,
            y=", ".join(fmt(v, self.output_decimals) for v in y),
        )

    def _config(self):
        return {
            "layers": [{"inputs": i, "units": u, "activation": a} for i, u, a in self.layers],
            "seed": {c.name: c.value for c in self.controls},
            "labels": {c.name: c.label for c in self.controls},
            "range": [self.controls[0].min, self.controls[0].max],
            "decimals": self.decimals,
            "output_decimals": self.output_decimals,
            "height": self.svg_size[1],
            "colors": {"positive": POSITIVE_COLOR, "negative": NEGATIVE_COLOR},
        }
