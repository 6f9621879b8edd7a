"""Checkers and target curves for chapter 2 (many neurons, many layers).

The networks here have one input x, one hidden layer of sigmoid or ReLU neurons and one
linear output neuron, written in the book's (Keras') convention:

    y(x) = c + sum_i v_i h(w_i x + b_i)

w_i, b_i: hidden weight and bias of neuron i; v_i: its output weight; c: the output bias.
The exercises are defined once, as data (rules.py): the checkers and the book's answer forms share them.
"""

import functools

import numpy as np

from .. import activations
from . import not_yet, right
from .rules import Choice, Exercise, NotYet, Number, Right, Table, chapter

X_RANGE = (-5.0, 5.0)
TOWER_EDGES = (-1.0, 1.0)  # exercise 1: a tower of height 1 between these x values
TOWER_MAX_RMSE = 0.05
FIT_MIN_R2 = 0.99  # exercise 2: the score a fit of the wiggly curve must reach ...
FIT_MAX_NEURONS = 16  # ... with at most this many hidden neurons


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
        raise TypeError(
            "neurons must be a list of (w, b, v) triples of numbers, e.g. [(10, 10, 1), (10, -10, -1)]"
        ) from None
    if arr.ndim != 2 or arr.shape[1] != 3 or len(arr) == 0:
        raise ValueError(
            "neurons must be a list of (w, b, v) triples, one per neuron, e.g. "
            f"[(10, 10, 1), (10, -10, -1)]; got an array of shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError("every w, b and v must be a finite number")
    return arr


def sum_of_neurons(x, neurons, activation="sigmoid", c=0.0):
    """y = c + sum_i v_i h(w_i x + b_i) for neurons = [(w_i, b_i, v_i), ...].   x: (n,) -> (n,)."""
    p = _neurons(neurons)
    h = activations.get(activation)
    x = np.asarray(x, dtype=float)
    return c + h(np.outer(x, p[:, 0]) + p[:, 1]) @ p[:, 2]


TOWER = Exercise(
    "ch02-tower",
    "ch02",
    "Exercise 1: a tower from sigmoid neurons",
    [Table("neurons", ["w", "b", "v"], 4, label="your neurons (w, b, v)", row_label="neuron")],
    constants={"MAX_RMSE": TOWER_MAX_RMSE, "LEFT": TOWER_EDGES[0], "RIGHT": TOWER_EDGES[1]},
    values={
        "x": "linspace(-5, 5, 2001)",
        "y": "sigmoid(outer(x, col(neurons, 0)) + col(neurons, 1)) @ col(neurons, 2)",
        "t": "(x > LEFT) * (x < RIGHT)",
        # a sigmoid cannot jump: 0.25 on either side of each edge is not scored
        "keep": "(abs(x - LEFT) > 0.25) * (abs(x - RIGHT) > 0.25)",
        "rmse": "sqrt(sum(keep * (y - t) ** 2) / sum(keep))",
        "inside": "keep * t",
        "outside": "keep * (1 - t)",
    },
    rules=[
        Right(
            "rmse <= MAX_RMSE",
            "your {len(neurons)} neurons build the tower with an error of {rmse:.3f} "
            "(≤ {MAX_RMSE:g}): one steps up at -1, one steps down at +1.",
        ),
        NotYet(
            None,
            "error {rmse:.3f} > {MAX_RMSE:g}; inside the tower your sum lies between "
            "{min(where(inside, y, inf)):.2f} and {max(where(inside, y, 0 - inf)):.2f} (want 1), outside "
            "between {min(where(outside, y, inf)):.2f} and {max(where(outside, y, 0 - inf)):.2f} (want 0). "
            "Each neuron adds one step: it switches at x = -b/w, w sets how sharp the step is and v its "
            "height (see “Adding sigmoid neurons”).",
        ),
    ],
    solution="<p>A steep neuron that switches on at x = -1 adds a step of height 1; a second one that switches on "
    "at x = +1 with output weight -1 takes it away again. A neuron switches where w x + b = 0, so with "
    "w = 10: <code>(10, 10, 1)</code> and <code>(10, -10, -1)</code>. Larger w makes the edges sharper.</p>",
    answers={
        "neurons[0].w": "10",
        "neurons[0].b": "10",
        "neurons[0].v": "1",
        "neurons[1].w": "10",
        "neurons[1].b": "-10",
        "neurons[1].v": "-1",
    },
    starter={
        "neurons[0].w": "1",
        "neurons[0].b": "1",
        "neurons[0].v": "1",
        "neurons[1].w": "1",
        "neurons[1].b": "-1",
        "neurons[1].v": "-1",
    },
    secrets=["(10, -10, -1)"],
)


def _recipe_scores(activation, max_neurons=FIT_MAX_NEURONS):
    """R^2 on `wiggly` of the chapter's `fit` recipe with 1..max_neurons neurons, rounded to 4 decimals.

    The recipe (chapter 2, "Any curve, given enough neurons"): n neurons of slope 4 / spacing switching at
    n evenly spread points inside [-5, 5], output weights and bias by least squares on 201 points.
    """
    x_train, x_test = np.linspace(*X_RANGE, 201), np.linspace(*X_RANGE, 1001)
    h = activations.get(activation)
    scores = []
    for n in range(1, max_neurons + 1):
        centres = np.linspace(*X_RANGE, n + 2)[1:-1]
        w = 4 / (10 / (n + 1))

        def features(x, w=w, centres=centres):
            return np.column_stack([h(w * x[:, None] - w * centres), np.ones(len(x))])

        v, *_ = np.linalg.lstsq(features(x_train), wiggly(x_train), rcond=None)
        scores.append(round(fit_score(features(x_test) @ v, wiggly(x_test)), 4))
    return scores


@functools.lru_cache(maxsize=1)
def _wiggly_exercise():
    sigmoid_scores, relu_scores = _recipe_scores("sigmoid"), _recipe_scores("relu")

    def fewest(scores):
        return next(n for n, s in enumerate(scores, 1) if s >= FIT_MIN_R2)

    return Exercise(
        "ch02-wiggly",
        "ch02",
        "Exercise 2: how many neurons for the wiggly curve?",
        [
            Choice("activation", [("sigmoid", "sigmoid"), ("relu", "ReLU")], label="activation"),
            Number("n", "number of neurons", integer=True),
        ],
        constants={
            "SIGMOID": sigmoid_scores,
            "RELU": relu_scores,
            "FEWEST_SIGMOID": fewest(sigmoid_scores),
            "FEWEST_RELU": fewest(relu_scores),
            "MIN_R2": FIT_MIN_R2,
            "MAX_N": FIT_MAX_NEURONS,
        },
        values={
            "score": "(SIGMOID if activation == 'sigmoid' else RELU)[n - 1]",
            "fewest": "FEWEST_SIGMOID if activation == 'sigmoid' else FEWEST_RELU",
        },
        rules=[
            NotYet("n < 1", "n counts hidden neurons: at least 1."),
            NotYet("n > MAX_N", "{n:g} neurons is more than the {MAX_N:g} allowed."),
            NotYet(
                "score < MIN_R2",
                "with {n:g} {activation} neurons the chapter's fit reaches R² = {score:.4f}, "
                "below {MIN_R2:g}: each neuron adds one bend; add neurons.",
            ),
            NotYet(
                "n > fewest",
                "{n:g} {activation} neurons reach R² = {score:.4f}, but fewer do too: find the "
                "smallest number (the explorer “Fit with N neurons” shows R² for each N).",
            ),
            Right(
                None,
                "{n:g} {activation} neurons are the fewest with which the chapter's fit reaches "
                "R² ≥ {MIN_R2:g} (R² = {score:.4f}): they put enough bends in the right places.",
            ),
        ],
        solution=(
            f"<p>Run <code>fit(ch02.wiggly, n, activation)</code> for growing n and score each fit with "
            f"<code>ch02.fit_score</code>: with sigmoid neurons R² first reaches {FIT_MIN_R2} at "
            f"<code>n = {fewest(sigmoid_scores)}</code> (R² = {sigmoid_scores[fewest(sigmoid_scores) - 1]:.4f}), "
            f"with ReLU neurons at <code>n = {fewest(relu_scores)}</code>. Smooth sigmoids bend the curve "
            f"with fewer neurons than ReLU's corners.</p>"
        ),
        answers={"activation": "sigmoid", "n": str(fewest(sigmoid_scores))},
        starter={"activation": "relu", "n": "4"},
        secrets=[f"n = {fewest(sigmoid_scores)}"],
        intro="<p>In the book: the chapter's <code>fit</code> spreads n neurons evenly over [-5, 5] and solves for "
        "the output weights. With how few neurons does it reach R² ≥ 0.99 on the wiggly curve? Choose an "
        "activation and give the smallest n: the explorer “Fit with N neurons” above runs the same fit for each "
        "N and shows its R². In the notebook, fit your own network and check it with "
        "<code>ch02.check_wiggly_fit</code>.</p>",
    )


def __getattr__(name):
    # The wiggly exercise's constants take a few least-squares fits: built on first use, not on import.
    if name == "WIGGLY":
        return _wiggly_exercise()
    if name == "EXERCISES":
        return chapter(TOWER, _wiggly_exercise())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_tower(neurons):
    """Exercise 1: two (or more) sigmoid neurons whose sum is 1 between x = -1 and x = 1 and 0 elsewhere.

    neurons: [(w, b, v), ...], y = sum v sigmoid(w x + b). Scored by the root-mean-square error
    on [-5, 5], leaving out a margin of 0.25 around each edge (a sigmoid cannot jump).
    """
    return TOWER.check(neurons=_neurons(neurons))


def check_wiggly_neurons(activation, n):
    """Exercise 2 as the book's form asks it: the fewest `activation` neurons with which the chapter's `fit`
    reaches R^2 >= 0.99 on `wiggly`."""
    if activation not in ("sigmoid", "relu"):
        raise ValueError(f"activation must be 'sigmoid' or 'relu', got {activation!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ValueError(f"n must be a whole number, got {n!r}")
    return _wiggly_exercise().check(activation=activation, n=int(n))


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
        return not_yet(
            f"{n_neurons} neurons is more than the {FIT_MAX_NEURONS} allowed: place fewer neurons more carefully."
        )
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
    advice = (
        "add neurons"
        if n_neurons < FIT_MAX_NEURONS
        else "spread the neurons' switch points evenly over [-5, 5] and refit the output weights"
    )
    return not_yet(f"R² = {score:.4f}, needs ≥ {FIT_MIN_R2}; {advice}.")
