"""nnlib.geometry: the SVD split of a 2-D affine map, its stages, and the ReLU fold."""

import numpy as np
import pytest

import nnlib
from nnlib import geometry as g


def _check_parts(W, parts):
    """Everything decompose promises: rotations, ordered scales, the sign rule, the product."""
    W = np.asarray(W, dtype=float)
    assert np.abs(parts.recompose() - W).max() <= 1e-12 * max(1.0, np.abs(W).max())
    for R in (parts.U, parts.Vt):
        np.testing.assert_allclose(R @ R.T, np.eye(2), atol=1e-12)
        assert np.linalg.det(R) == pytest.approx(1.0, abs=1e-12)
    s1, s2 = parts.scales
    assert s1 >= abs(s2) >= 0
    assert parts.reflection == (np.linalg.det(W) < -1e-12 * max(1.0, np.abs(W).max() ** 2))
    assert parts.det == pytest.approx(np.linalg.det(W), abs=1e-12 * max(1.0, np.abs(W).max() ** 2))
    assert -180.0 < parts.angle_in <= 180.0 and -180.0 < parts.angle_out <= 180.0


def test_random_matrices_recompose_to_1e12():
    rng = np.random.default_rng(7)
    reflections = 0
    for _ in range(500):
        W = rng.normal(size=(2, 2)) * rng.choice([1e-3, 1.0, 1e3])
        parts = g.decompose(W, rng.normal(size=2))
        _check_parts(W, parts)
        assert -90.0 < parts.angle_in <= 90.0
        reflections += parts.reflection
    # About half of random matrices have det < 0: both branches were exercised.
    assert 150 < reflections < 350


def test_negative_determinant_is_an_explicit_reflection():
    W = np.array([[2.0, 1.0], [1.0, -3.0]])  # det = -7
    parts = g.decompose(W)
    _check_parts(W, parts)
    assert parts.reflection and parts.scales[1] < 0
    assert parts.det == pytest.approx(-7.0)
    assert "reflection: yes" in repr(parts)


def test_mirror_and_swap():
    parts = g.decompose([[1.0, 0.0], [0.0, -1.0]])
    np.testing.assert_array_equal(parts.scales, [1.0, -1.0])
    assert parts.angle_in == 0.0 and parts.angle_out == 0.0
    swap = g.decompose([[0.0, 1.0], [1.0, 0.0]])  # mirror in the diagonal
    _check_parts([[0.0, 1.0], [1.0, 0.0]], swap)
    assert swap.reflection


def test_identity_is_no_turn_and_unit_scales():
    parts = g.decompose(np.eye(2))
    np.testing.assert_array_equal(parts.recompose(), np.eye(2))
    np.testing.assert_array_equal(parts.scales, [1.0, 1.0])
    assert parts.angle_in == 0.0 and parts.angle_out == 0.0 and not parts.reflection and parts.rank == 2


@pytest.mark.parametrize("degrees", [0.0, 35.0, -120.0, 180.0, 90.0])
def test_pure_rotation_reads_as_one_turn(degrees):
    R = g.rotation(degrees)
    parts = g.decompose(3.0 * R)
    _check_parts(3.0 * R, parts)
    np.testing.assert_allclose(parts.scales, [3.0, 3.0], rtol=1e-14)
    assert parts.angle_in == 0.0
    assert parts.angle_out == pytest.approx(degrees if degrees != -180.0 else 180.0, abs=1e-9)


def test_singular_matrix_collapses_onto_a_line():
    W = np.array([[1.0, 2.0], [2.0, 4.0]])
    parts = g.decompose(W)
    _check_parts(W, parts)
    assert parts.rank == 1 and parts.scales[1] == 0.0 and not parts.reflection
    assert parts.scales[0] == pytest.approx(5.0)
    images = parts(np.random.default_rng(0).normal(size=(50, 2)))
    # Every image is a multiple of (1, 2): the whole plane lands on one line.
    np.testing.assert_allclose(images[:, 1], 2 * images[:, 0], atol=1e-12)
    assert "collapses onto a line" in repr(parts)


def test_zero_matrix_sends_everything_to_b():
    parts = g.decompose(np.zeros((2, 2)), b=[0.5, -1.0])
    assert parts.rank == 0
    np.testing.assert_array_equal(parts.scales, [0.0, 0.0])
    np.testing.assert_array_equal(parts.recompose(), np.zeros((2, 2)))
    np.testing.assert_array_equal(parts([[3.0, 4.0], [-1.0, 2.0]]), [[0.5, -1.0], [0.5, -1.0]])
    assert "-0" not in repr(parts)


def test_compose_inverts_decompose():
    W = g.compose(30.0, [1.5, 0.8], -20.0)
    parts = g.decompose(W)
    assert parts.angle_in == pytest.approx(30.0)
    np.testing.assert_allclose(parts.scales, [1.5, 0.8])
    assert parts.angle_out == pytest.approx(-20.0)
    rebuilt = g.compose(parts.angle_in, parts.scales, parts.angle_out)
    assert np.abs(rebuilt - W).max() < 1e-12


def test_repr_states_angles_scales_reflection_translation():
    text = repr(g.decompose(g.compose(30.0, [1.5, 0.8], -20.0), b=[-0.5, 0.25]))
    assert "30.00 deg counter-clockwise" in text and "+30.00" not in text
    assert "x by 1.5, y by 0.8" in text
    assert "20.00 deg clockwise" in text and "-20.00" not in text
    assert "by (-0.5, 0.25)" in text
    assert "reflection: no" in text


def test_stages_follow_the_parts_and_end_at_the_layer():
    rng = np.random.default_rng(1)
    W, b = rng.normal(size=(2, 2)), rng.normal(size=2)
    h = rng.normal(size=(40, 2))
    st = g.stages(h, W, b)
    assert [s.name for s in st] == list(g.STAGE_NAMES)
    np.testing.assert_array_equal(st[0].points, h)
    parts = g.decompose(W, b)
    np.testing.assert_allclose(st[1].points, h @ parts.Vt.T)
    # Rotations keep lengths; only the scale stage changes them.
    np.testing.assert_allclose(np.linalg.norm(st[1].points, axis=1), np.linalg.norm(h, axis=1))
    np.testing.assert_allclose(st[3].points, h @ W.T, atol=1e-12)
    np.testing.assert_allclose(st[4].points, h @ W.T + b, atol=1e-12)
    np.testing.assert_array_equal(st[5].points, np.maximum(st[4].points, 0))


def test_a_dense_layer_is_the_transpose():
    layer = nnlib.Dense(2, "relu", input_dim=2, seed=3)
    layer.set_weights([np.array([[1.0, -2.0], [0.5, 1.5]]), np.array([0.1, -0.4])])
    h = np.random.default_rng(2).normal(size=(30, 2))
    parts = g.decompose_layer(layer)
    np.testing.assert_allclose(parts.W, layer.W.T)
    np.testing.assert_allclose(g.stages(h, parts.W, parts.b)[-1].points, layer(h), atol=1e-12)
    with pytest.raises(ValueError, match="built Dense"):
        g.decompose_layer(nnlib.Dense(2))


def test_relu_fold_projects_onto_axes_and_origin():
    a = np.array([[1.0, 2.0], [-1.0, 2.0], [3.0, -0.5], [-1.0, -2.0], [0.0, 0.0]])
    np.testing.assert_array_equal(g.relu_fold(a), [[1, 2], [0, 2], [3, 0], [0, 0], [0, 0]])
    np.testing.assert_array_equal(g.negative_counts(a), [0, 1, 1, 2, 0])
    np.testing.assert_array_equal(g.relu_fold([-1.0, 2.0]), [0.0, 2.0])  # one point stays 1-D
    assert "-0" not in np.array2string(g.relu_fold(a))
    assert g.untouched_fraction(a) == pytest.approx(2 / 5)


def test_orthant_fraction_is_one_over_two_to_the_n():
    assert [g.orthant_fraction(n) for n in (1, 2, 3)] == [0.5, 0.25, 0.125]
    assert g.orthant_fraction(784) == 2.0**-784
    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 5):
        cloud = rng.normal(size=(200_000, n))
        assert g.untouched_fraction(cloud) == pytest.approx(g.orthant_fraction(n), abs=0.005)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="dims"):
            g.orthant_fraction(bad)


def test_bad_input_names_what_was_wrong():
    with pytest.raises(ValueError, match=r"2x2 .* got shape \(2, 3\)"):
        g.decompose(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"b must be .* got shape \(3,\)"):
        g.decompose(np.eye(2), b=[1, 2, 3])
    with pytest.raises(ValueError, match="finite"):
        g.decompose([[np.nan, 0], [0, 1]])
    with pytest.raises(TypeError, match="numbers"):
        g.decompose([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match=r"\(n_points, 2\)"):
        g.stages(np.ones((4, 3)), np.eye(2))
    with pytest.raises(ValueError, match="scales"):
        g.compose(0, [1, 2, 3], 0)


def test_empty_cloud_passes_through():
    st = g.stages(np.zeros((0, 2)), np.eye(2), [1.0, 1.0])
    assert all(s.points.shape == (0, 2) for s in st)
    assert g.untouched_fraction(np.zeros((0, 2))) == 0.0


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e150, 1e200])
def test_extreme_magnitudes_no_overflow_warning(scale):
    # RuntimeWarnings are errors in this suite: det must not overflow on the way.
    for W in (np.array([[1.0, 0.3], [0.2, -1.0]]), np.eye(2), -np.eye(2), np.array([[0.0, 1.0], [1.0, 0.0]])):
        parts = g.decompose(W * scale)
        assert parts.reflection == (np.linalg.det(W) < 0)
        assert np.abs(parts.recompose() - W * scale).max() <= 1e-12 * scale
        assert "reflection" in repr(parts)
