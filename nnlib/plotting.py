"""The course's figure style: colour-blind-safe colours, one per concept, legible in light and dark mode.

The colours themselves live in nnlib.colors (Okabe and Ito's palette). Figures get an opaque
white background so they stay readable when the book is shown in dark mode.
"""

import matplotlib as mpl

# Under NNLIB_LANG=ja the figures are drawn in Japanese (nnlib/i18n/figures.py): importing nnlib.i18n installs that.
from . import i18n  # noqa: F401

# The course's colours, re-exported: chapters import them from here with the style (pyproject: F401 off here).
from .colors import (
    CLASS_COLORS,
    CLASS_MARKERS,
    NEGATIVE_COLOR,
    NEURON_COLORS,
    PALETTE,
    POSITIVE_COLOR,
    SUM_COLOR,
    TARGET_COLOR,
    neuron_color,
)

DIVERGING_CMAP = "PuOr"  # weights and signed quantities: colour-blind safe
SEQUENTIAL_CMAP = "cividis"  # outputs and probabilities: colour-blind safe


STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.bbox": "tight",
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "font.size": 10.5,
    # Text in SVG stays text: smaller files, selectable, and read by screen readers.
    "svg.fonttype": "none",
    # Deterministic files: no date in the metadata, fixed hash salt, so nbval sees the same bytes.
    "svg.hashsalt": "nnlib",
    "path.simplify": True,
}


def use_course_style():
    """Apply the course's matplotlib style (call once in a chapter's setup cell)."""
    mpl.rcParams.update(STYLE)


def _thin_frame(ax):
    """A thin grey frame on all four sides (the course style hides the top and right spines)."""
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#999999")
        spine.set_linewidth(0.6)


def weight_pictures(W, shape=(28, 28), columns=10, titles=None, limit=None, size=0.8, colorbar=True, title=None):
    """Each unit's incoming weights as a small picture: column j of W (inputs, units) reshaped to `shape`.

    A Dense layer computes a_j = sum_i x_i W[i, j] + b_j, so for an image input, column j of the
    kernel is itself an image: where it is positive, ink raises neuron j's sum; where negative,
    ink lowers it. The colours are DIVERGING_CMAP centred at 0 (white: the pixel does not matter),
    the same scale for every picture: -limit .. +limit, default the largest |W|.

    W        (inputs, units) with inputs = shape[0] * shape[1], e.g. (784, 50) for MNIST's first layer
    columns  pictures per row; titles: one string per unit (default "z0", "z1", ...); size: inches per picture
    Returns (fig, ax): the pictures are tiles of one image in one axes (50 axes would take seconds to lay out).
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import numpy as np

    W = np.asarray(W, dtype=np.float64)
    height, width = shape
    if W.ndim != 2 or W.shape[0] != height * width:
        raise ValueError(
            f"W must be (inputs, units) with inputs = {height} x {width} = {height * width}, got shape {W.shape}"
        )
    units = W.shape[1]
    if titles is not None and len(titles) != units:
        raise ValueError(f"titles needs one string per unit ({units}), got {len(titles)}")
    limit = float(np.abs(W).max()) if limit is None else float(limit)
    if not np.isfinite(limit) or limit <= 0:
        raise ValueError(f"limit must be a positive number (the colour scale is -limit .. +limit), got {limit}")
    rows = -(-units // columns)
    gap, label = 3, 8  # pixels between tiles, and above each tile for its title
    tile_w, tile_h = width + gap, height + gap + label
    mosaic = np.full((rows * tile_h, columns * tile_w - gap), np.nan)  # NaN: the background, drawn white
    for j in range(units):
        top, left = (j // columns) * tile_h + label, (j % columns) * tile_w
        mosaic[top : top + height, left : left + width] = W[:, j].reshape(shape)
    cmap = mpl.colormaps[DIVERGING_CMAP].with_extremes(bad="white")
    fig_w = columns * size
    fig_h = fig_w * mosaic.shape[0] / mosaic.shape[1] + (0.9 if colorbar else 0.1) + (0.35 if title else 0)
    fig = plt.figure(figsize=(fig_w, fig_h))
    bottom = (0.9 if colorbar else 0.1) / fig_h
    ax = fig.add_axes((0, bottom, 1, 1 - bottom - (0.35 if title else 0) / fig_h))
    shown = ax.imshow(mosaic, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
    ax.set_axis_off()
    for j in range(units):
        top, left = (j // columns) * tile_h + label, (j % columns) * tile_w
        ax.text(
            left + width / 2,
            top - 1.5,
            titles[j] if titles is not None else f"z{j}",
            ha="center",
            va="bottom",
            fontsize=7.5,
        )
        ax.add_patch(
            mpl.patches.Rectangle(
                (left - 0.5, top - 0.5), width, height, fill=False, edgecolor="#999999", linewidth=0.6
            )
        )
    if colorbar:
        bar = fig.colorbar(shown, cax=fig.add_axes((0.25, 0.55 / fig_h, 0.5, 0.12 / fig_h)), orientation="horizontal")
        bar.set_label("weight: negative = ink here lowers the sum,  0 = no effect,  positive = ink here raises it")
    if title:
        fig.suptitle(title, y=1 - 0.12 / fig_h, va="top")
    return fig, ax


def strongest_inputs(activations, k=5):
    """For each unit, the indices of the k samples that drive it highest: (samples, units) -> (k, units).

    Column j lists samples in decreasing order of activations[:, j] (ties: the lower index first).
    """
    import numpy as np

    z = np.asarray(activations)
    if z.ndim != 2 or not 1 <= k <= len(z):
        raise ValueError(f"activations must be (samples, units) with at least k={k} samples, got shape {z.shape}")
    return np.argsort(-z, axis=0, kind="stable")[:k]


def neuron_gallery(W, images, activations, neurons, k=5, shape=(28, 28), labels=None, limit=None, title=None, size=1.1):
    """One row per chosen neuron: its weight picture, then the k images that make it fire most.

    W (inputs, units) the layer's kernel; images (samples, inputs) in [0, 1]; activations
    (samples, units) the layer's outputs z on those images (they rank the images and are written
    above them); neurons: unit indices to show; labels (samples,): written above each image too.
    Each weight picture has its own scale -limit .. +limit (default its largest |weight|) on
    DIVERGING_CMAP; images are dark ink on white. Drawn as tiles of one image. Returns the figure.
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import numpy as np

    W = np.asarray(W, dtype=np.float64)
    images = np.asarray(images)
    z = np.asarray(activations)
    top = strongest_inputs(z, k)
    height, width = shape
    gap, label = 4, 9
    tile_w, tile_h = width + gap, height + gap + label
    mosaic = np.ones((len(neurons) * tile_h, (k + 1) * tile_w - gap, 3))
    weights_cmap, ink_cmap = mpl.colormaps[DIVERGING_CMAP], mpl.colormaps["gray_r"]
    texts = []
    for row, j in enumerate(neurons):
        y = row * tile_h + label
        scale = float(np.abs(W[:, j]).max()) if limit is None else float(limit)
        tiles = [weights_cmap(0.5 + W[:, j].reshape(shape) / (2 * scale))[..., :3]]
        texts.append((0, y, f"weights of z{j}"))
        for col, i in enumerate(top[:, j], start=1):
            tiles.append(ink_cmap(np.asarray(images[i], dtype=np.float64).reshape(shape))[..., :3])
            value = f"z={z[i, j]:.2f}"
            texts.append((col * tile_w, y, f"label {labels[i]}, {value}" if labels is not None else value))
        for col, tile in enumerate(tiles):
            mosaic[y : y + height, col * tile_w : col * tile_w + width] = tile
    fig_w = (k + 1) * size
    fig_h = fig_w * mosaic.shape[0] / mosaic.shape[1] + (0.4 if title else 0.05)
    fig = plt.figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((0, 0, 1, 1 - (0.4 if title else 0.05) / fig_h))
    ax.imshow(mosaic, interpolation="nearest")
    ax.set_axis_off()
    for x0, y0, text in texts:
        ax.text(x0 + width / 2, y0 - 1.5, text, ha="center", va="bottom", fontsize=7.5)
        ax.add_patch(
            mpl.patches.Rectangle((x0 - 0.5, y0 - 0.5), width, height, fill=False, edgecolor="#999999", linewidth=0.6)
        )
    if title:
        fig.suptitle(title, y=1 - 0.08 / fig_h, va="top")
    return fig
