"""Checkers and target curves for chapter 2 (many neurons, many layers).

The networks here have one input x, one hidden layer of sigmoid or ReLU neurons and one
linear output neuron, written in the book's (Keras') convention:

    y(x) = c + sum_i v_i h(w_i x + b_i)

w_i, b_i: hidden weight and bias of neuron i; v_i: its output weight; c: the output bias.
"""

import numpy as np

from .. import activations
from . import not_yet, right

X_RANGE = (-5.0, 5.0)
TOWER_EDGES = (-1.0, 1.0)   # exercise 1: a tower of height 1 between these x values
TOWER_MAX_RMSE = 0.05
FIT_MIN_R2 = 0.99           # exercise 2: the score a fit of the wiggly curve must reach ...
FIT_MAX_NEURONS = 16        # ... with at most this many hidden neurons


def bump(x):
    """The first target: a smooth bump exp(-x^2), 1 at x = 0 and nearly 0 beyond |x| = 2."""
    x = np.asarray(x, dtype=float)
    return np.exp(-x * x)


def wiggly(x):
    """The second target: sin(2x) + 0.3 x, three and a bit waves over [-5, 5] on a slope."""
    x = np.asarray(x, dtype=float)
    return np.sin(2 * x) + 0.3 * x


def tower(x):
    """1 between the tower's edges, 0 elsewhere."""
    x = np.asarray(x, dtype=float)
    return ((x > TOWER_EDGES[0]) & (x < TOWER_EDGES[1])).astype(float)


def fit_score(y, target):
    """R^2 = 1 - sum (y - t)^2 / sum (t - mean t)^2: 1 is a perfect fit, 0 is no better than a flat line.

    y, target: arrays of the same shape (the network's outputs and the target's values).
    """
    y, target = np.asarray(y, dtype=float), np.asarray(target, dtype=float)
    if y.shape != target.shape:
        raise ValueError(f"fit_score needs outputs and targets of the same shape, got {y.shape} and {target.shape}")
    residual = np.sum((y - target) ** 2)
    spread = np.sum((target - target.mean()) ** 2)
    return float(1 - residual / spread)


def _neurons(neurons):
    """neurons as a float array (N, 3) of rows (w, b, v), or a clear error."""
    try:
        arr = np.asarray(neurons, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("neurons must be a list of (w, b, v) triples of numbers, e.g. [(10, 10, 1), (10, -10, -1)]")
    if arr.ndim != 2 or arr.shape[1] != 3 or len(arr) == 0:
        raise ValueError("neurons must be a list of (w, b, v) triples, one per neuron, e.g. "
                         f"[(10, 10, 1), (10, -10, -1)]; got an array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("every w, b and v must be a finite number")
    return arr


def sum_of_neurons(x, neurons, activation="sigmoid", c=0.0):
    """y = c + sum_i v_i h(w_i x + b_i) for neurons = [(w_i, b_i, v_i), ...].   x: (n,) -> (n,)."""
    p = _neurons(neurons)
    h = activations.get(activation)
    x = np.asarray(x, dtype=float)
    return c + h(np.outer(x, p[:, 0]) + p[:, 1]) @ p[:, 2]


def check_tower(neurons):
    """Exercise 1: two (or more) sigmoid neurons whose sum is 1 between x = -1 and x = 1 and 0 elsewhere.

    neurons: [(w, b, v), ...], y = sum v sigmoid(w x + b). Scored by the root-mean-square error
    on [-5, 5], leaving out a margin of 0.25 around each edge (a sigmoid cannot jump).
    """
    p = _neurons(neurons)
    x = np.linspace(*X_RANGE, 2001)
    y = sum_of_neurons(x, p, "sigmoid")
    t = tower(x)
    edges = np.asarray(TOWER_EDGES)
    keep = np.min(np.abs(x[:, None] - edges[None, :]), axis=1) > 0.25
    rmse = float(np.sqrt(np.mean((y[keep] - t[keep]) ** 2)))
    if rmse <= TOWER_MAX_RMSE:
        return right(f"your {len(p)} neurons build the tower with an error of {rmse:.3f} "
                     f"(≤ {TOWER_MAX_RMSE}): one steps up at -1, one steps down at +1.")
    inside = y[keep & (t == 1)]
    outside = y[keep & (t == 0)]
    hint = (f"inside the tower your sum lies between {inside.min():.2f} and {inside.max():.2f} (want 1), "
            f"outside between {outside.min():.2f} and {outside.max():.2f} (want 0)")
    return not_yet(f"error {rmse:.3f} > {TOWER_MAX_RMSE}; {hint}. Try a steep neuron (large w) switching on at "
                   "x = -1 with v = 1 and one switching on at x = 1 with v = -1 (it switches at x = -b/w).")


def check_wiggly_fit(predict, n_neurons):
    """Exercise 2: at most 16 hidden neurons (`n_neurons`) that fit `wiggly` on [-5, 5] with R^2 >= 0.99.

    predict: a function taking an array x (n,) and returning the network's outputs y (n,).
    It is scored on 1001 points, most of them between the points a fit would have used.
    """
    if not callable(predict):
        raise TypeError("predict must be a function x -> y, e.g. `lambda x: features(x) @ v + c`")
    if isinstance(n_neurons, bool) or not isinstance(n_neurons, (int, np.integer)) or n_neurons < 1:
        raise ValueError(f"n_neurons must be a positive whole number, got {n_neurons!r}")
    if n_neurons > FIT_MAX_NEURONS:
        return not_yet(f"{n_neurons} neurons is more than the {FIT_MAX_NEURONS} allowed: "
                       "place fewer neurons more carefully.")
    x = np.linspace(*X_RANGE, 1001)
    y = np.asarray(predict(x), dtype=float)
    if y.shape != x.shape:
        y = y.reshape(-1) if y.size == x.size else y
    if y.shape != x.shape:
        raise ValueError(f"predict(x) for x of shape {x.shape} must return shape {x.shape}, got {y.shape}")
    if not np.all(np.isfinite(y)):
        return not_yet("your network returns NaN or infinity somewhere on [-5, 5].")
    score = fit_score(y, wiggly(x))
    if score >= FIT_MIN_R2:
        return right(f"R² = {score:.4f} ≥ {FIT_MIN_R2}: your neurons put enough bends in the right places.")
    advice = ("add neurons" if n_neurons < FIT_MAX_NEURONS
              else "spread the neurons' switch points evenly over [-5, 5] and refit the output weights")
    return not_yet(f"R² = {score:.4f}, needs ≥ {FIT_MIN_R2}; {advice}.")
