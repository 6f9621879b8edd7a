"""FitExplorer: fit a curve with N hidden neurons spread evenly over x, the output layer solved by least squares."""

import numpy as np

from ..colors import SUM_COLOR, TARGET_COLOR, neuron_color
from ..layers import Dense
from ..i18n import N_
from ._base import Explorer
from ._controls import ACTIVATION_LABELS, Choice, Slider, check_activation, check_range
from ._face import NARROW_FIGURE_PX


def _rounded(values):
    # 12 significant digits: what the static face carries, so both faces fit and score the same numbers
    return np.array([float(f"{v:.12g}") for v in values])


# The recipe's activations: not the identity, whose N neurons add up to one straight line (its least squares has
# no single answer, and the page's would not be numpy's).
LINES_ARE_NOT_A_FIT = tuple(a for a in ACTIVATION_LABELS if a != "identity")


class FitExplorer(Explorer):
    """The chapter-2 recipe "fit with N neurons", with N and the activation as controls.

    FitExplorer(target, neurons=4, activation="sigmoid", activations=("sigmoid", "relu"), max_neurons=16,
                x_range=(-5, 5), train_points=201, test_points=1001, ylim=(-4, 4), min_r2=0.99,
                title=None, key=None)

    The recipe: N hidden neurons z_i = h(w x + b_i) switch at N points p_i spread evenly inside x_range
    (p = linspace(lo, hi, N + 2)[1:-1]), all with the slope w = 4 / spacing (spacing = (hi - lo) / (N + 1))
    and b_i = -w p_i, so neighbours overlap a little. The output y = sum_i v_i z_i + c is linear in v and c:
    they are the least-squares solution on `train_points` evenly spaced x (np.linalg.lstsq). The fit is
    scored on `test_points` points: R^2 = 1 - sum (y - t)^2 / sum (t - mean t)^2.

    target: a function of x (numpy in, numpy out). min_r2: the score the readout compares with (None: none).
    `compute(**state)` returns dict(x (test_points,), hidden (N, test_points) = v_i z_i, output, target,
    v (N,), c, r2) computed with nnlib's Dense layers and numpy's least squares.
    """

    kind = "fitn"
    svg_size = (440, 300)
    max_width = NARROW_FIGURE_PX

    def __init__(
        self,
        target,
        neurons=4,
        activation="sigmoid",
        activations=("sigmoid", "relu"),
        max_neurons=16,
        x_range=(-5, 5),
        train_points=201,
        test_points=1001,
        ylim=(-4, 4),
        min_r2=0.99,
        title=None,
        key=None,
    ):
        super().__init__(key)
        if not callable(target):
            raise ValueError(f"target must be a function of x (numpy arrays in and out), got {target!r}")
        self.x_range = check_range("x_range", x_range)
        self.ylim = check_range("ylim", ylim)
        for name, n in (("train_points", train_points), ("test_points", test_points)):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= 5001:
                raise ValueError(f"{name} must be a whole number from 2 to 5001, got {n!r}")
        if (
            isinstance(max_neurons, bool)
            or not isinstance(max_neurons, (int, np.integer))
            or not 2 <= max_neurons <= 64
        ):
            # the N slider runs from 1 to max_neurons: one value would make no slider
            raise ValueError(f"max_neurons must be a whole number from 2 to 64, got {max_neurons!r}")
        # N + 2 points or more: every gap between two neurons' switch points holds a training point, so no two
        # step neurons see the same values and the least squares has one solution (the page's QR finds numpy's)
        if max_neurons + 2 > train_points:
            raise ValueError(
                f"{max_neurons} neurons need at least {max_neurons + 2} training points, got {train_points}; add points"
            )
        if min_r2 is not None and not (isinstance(min_r2, (int, float)) and min_r2 <= 1):
            raise ValueError(f"min_r2 must be a number at most 1, or None, got {min_r2!r}")
        self.min_r2 = None if min_r2 is None else float(min_r2)
        self.train_points, self.test_points = int(train_points), int(test_points)
        options = [check_activation(a, LINES_ARE_NOT_A_FIT) for a in activations]
        self.controls = [
            Choice(
                "activation",
                N_("activation h"),
                [(a, ACTIVATION_LABELS[a]) for a in options],
                check_activation(activation, LINES_ARE_NOT_A_FIT),
            ),
            Slider(
                "n",
                N_("neurons N"),
                1,
                int(max_neurons),
                1,
                neurons,
                integer=True,
                long=N_("number of hidden neurons N"),
            ),
        ]
        values = []
        for x in (self.train_x(), self.test_x()):
            t = np.asarray(target(x), dtype=np.float64)
            if t.shape != x.shape or not np.all(np.isfinite(t)) or np.ptp(t) == 0:
                raise ValueError("target must give one finite value per x, not all equal (R^2 needs a spread)")
            values.append(_rounded(t))
        self.train_target, self.test_target = values
        self.title = title or N_("Fit with N neurons: output weights by least squares")
        self._finish_init()

    def train_x(self):
        return np.linspace(*self.x_range, self.train_points)

    def test_x(self):
        return np.linspace(*self.x_range, self.test_points)

    def hidden_layer(self, n, activation):
        """The recipe's hidden layer: nnlib's Dense(n, activation) on one input, weights set as described above."""
        lo, hi = self.x_range
        centres = np.linspace(lo, hi, n + 2)[1:-1]
        w = 4 / ((hi - lo) / (n + 1))
        layer = Dense(n, activation, input_dim=1)
        layer.set_weights([np.full((1, n), w), -w * centres])
        return layer

    def compute(self, **state):
        n, activation = int(state["n"]), state["activation"]
        hidden = self.hidden_layer(n, activation)
        H = hidden(self.train_x()[:, None])  # (train_points, n)
        coef, *_ = np.linalg.lstsq(np.column_stack([H, np.ones(len(H))]), self.train_target, rcond=None)
        output = Dense(1, "identity", input_dim=n)
        output.set_weights([coef[:n, None], coef[n:]])
        Z = hidden(self.test_x()[:, None])  # (test_points, n)
        y = output(Z)[:, 0]
        t = self.test_target
        r2 = float(1 - np.sum((y - t) ** 2) / np.sum((t - t.mean()) ** 2))
        return {
            "x": self.test_x(),
            "hidden": (Z * coef[:n]).T,
            "output": y,
            "target": t,
            "v": coef[:n],
            "c": float(coef[n]),
            "r2": r2,
        }

    def description(self):
        s = self._state
        return N_(
            "Plot over x from {lo} to {hi} of the target curve (grey), the {n} weighted {activation} neurons' curves "
            "and the network's fit (black).",
            lo=f"{self.x_range[0]:g}",
            hi=f"{self.x_range[1]:g}",
            n=s["n"],
            activation=ACTIVATION_LABELS[s["activation"]],
        )

    def _config(self):
        return {
            "x": [*self.x_range, self.train_points, self.test_points],
            "train_target": self.train_target.tolist(),
            "test_target": self.test_target.tolist(),
            "ylim": list(self.ylim),
            "min_r2": self.min_r2,
            "colors": [neuron_color(i) for i in range(7)],
            "sum_color": SUM_COLOR,
            "target_color": TARGET_COLOR,
            "act_labels": ACTIVATION_LABELS,
        }
