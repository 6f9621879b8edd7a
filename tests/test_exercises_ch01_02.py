"""Chapters 1 and 2: the exercise checkers pass on the solutions, fail on wrong answers with a useful
message, and a few numbers the chapters state are recomputed here independently of nnlib."""

import math
from pathlib import Path

import numpy as np
import pytest

from nnlib import activations
from nnlib.exercises import ch01, ch02

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


# -- chapter 1, exercise 1: sigmoid switching at x = 2 with slope 1 ------------------------------
def test_switch_solution_passes():
    fb = ch01.check_switch_at_two(w=4, b=-8)
    assert fb and "Right" in repr(fb)


@pytest.mark.parametrize(
    "w, b, words",
    [
        (1, -2, "slope"),  # right place, too flat: the message asks for w = 4
        (4, 8, "switches at x = -b/w = -2,"),  # right slope, mirrored place
        (4, -2, "switches at x = -b/w = 0.5,"),
        (0, 3, "w = 0"),
        (-4, 8, "falls"),  # switches at 2 but goes down
    ],
)
def test_switch_wrong_answers_fail_with_hint(w, b, words):
    fb = ch01.check_switch_at_two(w=w, b=b)
    assert not fb
    assert words in fb.message
    assert "Not yet" in repr(fb)


def test_switch_hints_point_to_the_idea_not_the_value():
    # The reply to the notebook's starter answer (1, -2) must not give the answer (w = 4, b = -8) away.
    for w, b in [(1, -2), (4, 8), (4, -2), (2, -4)]:
        message = ch01.check_switch_at_two(w, b).message
        assert "w = 4" not in message and "b = -8" not in message and "-2 w" not in message


def test_switch_rejects_non_numbers():
    with pytest.raises(TypeError, match="w must be a single number"):
        ch01.check_switch_at_two("4", -8)
    with pytest.raises(ValueError, match="finite"):
        ch01.check_switch_at_two(4, float("nan"))


# -- chapter 1, exercise 2: ReLU zero left of x = -1 ----------------------------------------------
@pytest.mark.parametrize("w, b", [(1, 1), (2, 2), (0.5, 0.5)])
def test_relu_solutions_pass(w, b):
    assert ch01.check_relu_zero_left_of_minus_one(w, b)


@pytest.mark.parametrize(
    "w, b, words",
    [
        (1, -1, "kink at x = -b/w = 1;"),
        (-1, -1, "LEFT"),
        (0, 1, "w = 0"),
        (1, 0, "kink at x = -b/w = 0;"),
    ],
)
def test_relu_wrong_answers_fail_with_hint(w, b, words):
    fb = ch01.check_relu_zero_left_of_minus_one(w, b)
    assert not fb and words in fb.message


# -- chapter 2, exercise 1: the tower ---------------------------------------------------------------
def test_tower_solution_passes():
    assert ch02.check_tower([(10, 10, 1), (10, -10, -1)])


@pytest.mark.parametrize(
    "neurons",
    [
        [(10, 10, 1)],  # only the step up: the tower never comes down
        [(10, 10, 1), (10, -10, 1)],  # both step up: a staircase
        [(1, 1, 1), (1, -1, -1)],  # right places, far too gentle
    ],
)
def test_tower_wrong_answers_fail(neurons):
    fb = ch02.check_tower(neurons)
    assert not fb and "want 1" in fb.message


def test_tower_rejects_bad_shape():
    with pytest.raises(ValueError, match=r"\(w, b, v\) triples"):
        ch02.check_tower([(1, 2)])


# -- chapter 2, exercise 2: fitting the wiggly curve ------------------------------------------------
def _sigmoid_fit(n):
    """The hidden solution's recipe: n sigmoids evenly spread over [-5, 5], output weights by least squares."""
    centres = np.linspace(-5, 5, n + 2)[1:-1]
    w = 4 / (10 / (n + 1))

    def features(x):
        return np.column_stack([activations.sigmoid(w * (np.asarray(x)[:, None] - centres)), np.ones(len(x))])

    x = np.linspace(-5, 5, 201)
    v, *_ = np.linalg.lstsq(features(x), ch02.wiggly(x), rcond=None)
    return lambda x: features(x) @ v


def test_wiggly_fit_solution_passes():
    fb = ch02.check_wiggly_fit(_sigmoid_fit(12), 12)
    assert fb and "R²" in fb.message


def test_wiggly_fit_too_few_neurons_fails():
    fb = ch02.check_wiggly_fit(_sigmoid_fit(4), 4)
    assert not fb and "add neurons" in fb.message


def test_wiggly_fit_too_many_neurons_fails():
    fb = ch02.check_wiggly_fit(_sigmoid_fit(30), 30)
    assert not fb and "more than the 16" in fb.message


def test_wiggly_fit_bad_inputs():
    with pytest.raises(TypeError, match="predict must be a function"):
        ch02.check_wiggly_fit(np.zeros(5), 3)
    with pytest.raises(ValueError, match="must return shape"):
        ch02.check_wiggly_fit(lambda x: np.zeros(3), 3)
    assert not ch02.check_wiggly_fit(lambda x: np.full_like(x, np.nan), 3)


def test_fit_score_is_r_squared():
    t = np.array([0.0, 1.0, 2.0, 3.0])
    assert ch02.fit_score(t, t) == 1.0
    assert ch02.fit_score(np.full(4, 1.5), t) == 0.0
    # residual 1 + 0 + 0 + 1 = 2, spread 5: R^2 = 1 - 2/5
    assert ch02.fit_score(np.array([1.0, 1.0, 2.0, 2.0]), t) == pytest.approx(0.6)


# -- numbers the chapters state, recomputed without nnlib ------------------------------------------
def _mish(x):
    return x * math.tanh(math.log1p(math.exp(x)))


def test_mish_minimum():
    # Golden-section search on [-3, 0], where mish has its single dip.
    lo, hi = -3.0, 0.0
    g = (math.sqrt(5) - 1) / 2
    for _ in range(200):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if _mish(a) < _mish(b):
            hi = b
        else:
            lo = a
    x_min = (lo + hi) / 2
    assert x_min == pytest.approx(-1.19237, abs=1e-4)
    assert _mish(x_min) == pytest.approx(-0.30884, abs=1e-5)
    # nnlib's mish agrees, and nothing on a fine grid goes lower
    grid = np.linspace(-5, 5, 100001)
    assert float(activations.mish(grid).min()) >= _mish(x_min) - 1e-12


def test_sigmoid_values_and_slope_bound():
    # the values "Deep Learning from Scratch" prints for sigmoid([-1, 1, 2])
    expected = [0.26894142, 0.73105858, 0.88079708]
    assert [round(1 / (1 + math.exp(-v)), 8) for v in (-1.0, 1.0, 2.0)] == expected
    np.testing.assert_allclose(activations.sigmoid(np.array([-1.0, 1.0, 2.0])), expected, atol=5e-9)
    # sigmoid' = s (1 - s) is at most 1/4, reached at 0: five sigmoid layers shrink a slope at least 4**5 = 1024 times
    s = 1 / (1 + np.exp(-np.linspace(-10, 10, 20001)))
    assert float(np.max(s * (1 - s))) == 0.25


def test_seed_sigmoid_sum_values():
    # chapter 2's three neurons in the seed's convention h(w x - b): (2, -2), (0.5, 1), (-2, -4)
    def sig(v):
        return 1 / (1 + math.exp(-v))

    at_zero = sig(2) + sig(-1) + sig(4)
    assert at_zero == pytest.approx(0.8808 + 0.2689 + 0.9820, abs=1e-4)
    x = np.array([0.0])
    y = sum(activations.sigmoid(w * x - b) for w, b in [(2, -2), (0.5, 1), (-2, -4)])
    assert float(y[0]) == pytest.approx(at_zero, abs=1e-12)


def test_two_linear_layers_collapse():
    rng = np.random.default_rng(0)
    x, W1, W2 = rng.normal(size=(5, 2)), rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    np.testing.assert_allclose((x @ W1) @ W2, x @ (W1 @ W2), atol=1e-12)


def test_first_layer_gradient_of_a_sigmoid_chain():
    # chapter 2: chains of sigmoid neurons with weight 1, bias 0, input x = 1; d output / d w1 by the chain rule
    def sig(v):
        return 1 / (1 + math.exp(-v))

    def chain_gradient(depth):
        a, slopes = 1.0, []
        for _ in range(depth):
            z = sig(a)
            slopes.append(z * (1 - z))
            a = z
        return math.prod(slopes) * 1.0  # times x = 1, the input of the first weight

    assert chain_gradient(1) == pytest.approx(0.19661193, abs=1e-8)
    assert chain_gradient(2) == pytest.approx(4.31e-2, abs=5e-5)
    assert chain_gradient(6) == pytest.approx(1.09e-4, abs=5e-7)
    # each further layer shrinks it by a factor between 4 and 5
    ratios = [chain_gradient(d) / chain_gradient(d + 1) for d in range(1, 6)]
    assert all(4 < r < 5 for r in ratios), ratios
    # nnlib's back-propagation (what the chapter calls) gives the same numbers
    import nnlib

    for depth in (1, 3, 6):
        model = nnlib.Sequential([nnlib.Dense(1, "sigmoid", input_dim=1) for _ in range(depth)])
        model.set_weights([np.ones((1, 1)), np.zeros(1)] * depth)
        dz = np.ones((1, 1))
        for step in reversed(model.trace(np.array([[1.0]]))):
            dz, dW, _ = step.layer.backward(step.x, step.a, step.z, dz)
        assert dW[0, 0] == pytest.approx(chain_gradient(depth), rel=1e-12)
