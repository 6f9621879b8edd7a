"""nnlib.plotting's weight pictures: each unit's column of W drawn where it belongs, on one scale centred at 0."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.plotting import DIVERGING_CMAP, neuron_gallery, strongest_inputs, weight_pictures  # noqa: E402


def test_each_column_is_a_tile_of_the_mosaic_on_a_symmetric_scale():
    rng = np.random.default_rng(1)
    W = rng.normal(size=(12, 5))  # 5 units of 3x4 "images"
    fig, ax = weight_pictures(W, shape=(3, 4), columns=2, titles=[f"n{j}" for j in range(5)], title="t")
    image = ax.get_images()[0]
    mosaic = image.get_array()
    assert image.get_cmap().name.startswith(DIVERGING_CMAP)
    assert image.norm.vmin == -np.abs(W).max() and image.norm.vmax == np.abs(W).max()
    tiles = [mosaic[r : r + 3, c : c + 4] for r in range(mosaic.shape[0] - 2) for c in range(mosaic.shape[1] - 3)]
    for j in range(5):
        assert any(np.array_equal(np.asarray(tile), W[:, j].reshape(3, 4)) for tile in tiles), f"unit {j} is missing"
    assert [t.get_text() for t in ax.texts] == [f"n{j}" for j in range(5)]
    assert np.isnan(np.asarray(mosaic.filled(np.nan))).any()  # the background between tiles, drawn white
    plt.close(fig)


def test_bad_shapes_and_limits_are_refused():
    with pytest.raises(ValueError, match="inputs = 28 x 28 = 784"):
        weight_pictures(np.zeros((100, 3)))
    with pytest.raises(ValueError, match="one string per unit"):
        weight_pictures(np.ones((784, 3)), titles=["a"])
    with pytest.raises(ValueError, match="limit must be a positive number"):
        weight_pictures(np.zeros((784, 3)))
    with pytest.raises(ValueError, match="at least k=5 samples"):
        strongest_inputs(np.zeros((3, 2)), k=5)


def test_strongest_inputs_rank_each_unit_separately():
    z = np.array([[0.1, 0.9], [0.7, 0.2], [0.7, 0.5], [0.3, 0.8]])
    np.testing.assert_array_equal(strongest_inputs(z, k=3), [[1, 0], [2, 3], [3, 2]])  # ties: lower index first


def test_gallery_shows_the_weights_and_the_strongest_images_with_their_labels():
    rng = np.random.default_rng(2)
    images = rng.random((20, 784))
    W = rng.normal(size=(784, 4))
    z = images @ W
    fig = neuron_gallery(W, images, z, neurons=[1, 3], k=2, labels=np.arange(20) % 10)
    texts = [t.get_text() for t in fig.axes[0].texts]
    top = strongest_inputs(z, 2)
    assert texts[0] == "weights of z1" and texts[3] == "weights of z3"
    assert texts[1] == f"label {top[0, 1] % 10}, z={z[top[0, 1], 1]:.2f}"
    plt.close(fig)
