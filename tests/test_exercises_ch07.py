"""Chapter 7 checkers: each passes on the chapter's solution and fails on typical wrong answers."""

import numpy as np
import pytest

from nnlib import geometry
from nnlib.exercises import ch07


def test_exercise_cloud_is_fixed_and_needs_moving():
    cloud = ch07.exercise_cloud()
    np.testing.assert_array_equal(cloud, ch07.exercise_cloud())
    assert cloud.shape == (30, 2)
    # Left as it is, ReLU would fold some of it: the exercise is not already solved.
    assert geometry.negative_counts(cloud).max() > 0


def test_first_quadrant_solutions_pass():
    cloud = ch07.exercise_cloud()
    assert ch07.check_first_quadrant(np.eye(2), 0.1 - cloud.min(axis=0))  # the chapter's solution
    # A turn and a stretch work as well, as long as b then moves the cloud far enough.
    W = geometry.compose(45, [2.0, 0.5], -10)
    a = cloud @ W.T
    assert ch07.check_first_quadrant(W, 0.01 - a.min(axis=0))
    # A reflection is allowed: only "no fold" and "no squash" are asked.
    assert ch07.check_first_quadrant([[-1.0, 0.0], [0.0, 1.0]], [0.0, 2.0])


@pytest.mark.parametrize(
    "W, b, words",
    [
        (np.eye(2), [0.0, 0.0], "negative coordinate"),
        (np.eye(2), [2.0, 0.0], "negative coordinate"),  # x is fixed, y still dips below 0
        (np.zeros((2, 2)), [1.0, 1.0], "squashes"),  # everything onto one point: no fold, no cloud
        ([[1.0, 1.0], [1.0, 1.0]], [10.0, 10.0], "squashes"),  # onto a line
        ([[1.0, 0.0], [0.0, 1e-6]], [10.0, 10.0], "squashes"),  # nearly onto a line
        ([[1.0, 0.0]], [1.0, 1.0], "shape (2, 2)"),
        (np.eye(2), [1.0, 1.0, 1.0], "shape (2,)"),
        ([["a", "b"], ["c", "d"]], [0, 0], "numbers"),
        (np.eye(2), [np.inf, 0.0], "finite"),
    ],
)
def test_first_quadrant_wrong_answers_fail(W, b, words):
    verdict = ch07.check_first_quadrant(W, b)
    assert not verdict
    assert words in verdict.message


def test_landing_solution_passes_and_is_on_an_axis():
    a = ch07.LANDING_W @ ch07.LANDING_X + ch07.LANDING_B
    np.testing.assert_array_equal(a, [-0.5, 2.0])  # worked by hand: 1 - 2 + 0.5, 2 + 1 - 1
    verdict = ch07.check_landing([0.0, 2.0])
    assert verdict and "second axis" in verdict.message


@pytest.mark.parametrize(
    "z, words",
    [
        ([-0.5, 2.0], "before the fold"),  # forgot ReLU
        ([5.5, 0.0], "x W + b"),  # row convention
        ([0.0, 0.0], "not where x lands"),
        ([0.0], "shape (2,)"),
    ],
)
def test_landing_wrong_answers_fail(z, words):
    verdict = ch07.check_landing(z)
    assert not verdict
    assert words in verdict.message


def test_reflections():
    dets = {k: np.linalg.det(W) for k, W in ch07.MATRICES.items()}
    answer = {k for k, d in dets.items() if d < 0}
    assert answer == {"B", "D"}
    assert ch07.check_reflections("BD") and ch07.check_reflections(["d", "b"]) and ch07.check_reflections("B, D")
    for wrong, words in [
        ("B", "missing"),
        ("BDE", "E keeps"),
        ("", "missing"),
        ("BX", "no matrix X"),
        (3, "as a string or a list"),
    ]:
        verdict = ch07.check_reflections(wrong)
        assert not verdict and words in verdict.message
