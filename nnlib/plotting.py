"""The course's figure style: colour-blind-safe colours, one per concept, legible in light and dark mode.

The colours themselves live in nnlib.colors (Okabe and Ito's palette). Figures get an opaque
white background so they stay readable when the book is shown in dark mode.
"""

import matplotlib as mpl

from .colors import (CLASS_COLORS, CLASS_MARKERS, NEGATIVE_COLOR, NEURON_COLORS, PALETTE, POSITIVE_COLOR,  # noqa: F401
                     SUM_COLOR, TARGET_COLOR, neuron_color)

DIVERGING_CMAP = "PuOr"      # weights and signed quantities: colour-blind safe
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
    columns  pictures per row; titles: one string per unit (default "z0", "z1", ...)
    Returns (fig, axes) with one axes per unit, in unit order (extra grid cells hidden).
    """
    import matplotlib.pyplot as plt
    import numpy as np

    W = np.asarray(W)
    if W.ndim != 2 or W.shape[0] != shape[0] * shape[1]:
        raise ValueError(f"W must be (inputs, units) with inputs = {shape[0]} x {shape[1]} = "
                         f"{shape[0] * shape[1]}, got shape {W.shape}")
    units = W.shape[1]
    if titles is not None and len(titles) != units:
        raise ValueError(f"titles needs one string per unit ({units}), got {len(titles)}")
    limit = float(np.abs(W).max()) if limit is None else float(limit)
    if not np.isfinite(limit) or limit <= 0:
        raise ValueError(f"limit must be a positive number (the colour scale is -limit .. +limit), got {limit}")
    rows = -(-units // columns)
    fig, grid = plt.subplots(rows, columns, figsize=(columns * size, rows * size * 1.15 + (0.9 if colorbar else 0.3)),
                             squeeze=False, layout="constrained")
    shown = None
    for j, ax in enumerate(grid.flat):
        if j >= units:
            ax.set_visible(False)
            continue
        shown = ax.imshow(W[:, j].reshape(shape), cmap=DIVERGING_CMAP, vmin=-limit, vmax=limit)
        ax.set_title(titles[j] if titles is not None else f"z{j}", fontsize=8, pad=2)
        ax.set_xticks([])
        ax.set_yticks([])
        _thin_frame(ax)
    if colorbar and shown is not None:
        bar = fig.colorbar(shown, ax=grid, location="bottom", shrink=0.5, aspect=40, pad=0.02)
        bar.set_label("weight: negative = ink here lowers the sum,  0 = no effect,  positive = ink here raises it")
    if title:
        fig.suptitle(title)
    return fig, [ax for ax in grid.flat][:units]


def strongest_inputs(activations, k=5):
    """For each unit, the indices of the k samples that drive it highest: (samples, units) -> (k, units).

    Column j lists samples in decreasing order of activations[:, j] (ties: the lower index first).
    """
    import numpy as np

    z = np.asarray(activations)
    if z.ndim != 2 or not 1 <= k <= len(z):
        raise ValueError(f"activations must be (samples, units) with at least k={k} samples, got shape {z.shape}")
    return np.argsort(-z, axis=0, kind="stable")[:k]


def neuron_gallery(W, images, activations, neurons, k=5, shape=(28, 28), labels=None, limit=None, title=None):
    """One row per chosen neuron: its weight picture, then the k images that make it fire most.

    W (inputs, units) the layer's kernel; images (samples, inputs) in [0, 1]; activations
    (samples, units) the layer's outputs z on those images; neurons: unit indices to show;
    labels (samples,): written above each image. Same colour scale as `weight_pictures`.
    Returns the figure.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    W = np.asarray(W)
    top = strongest_inputs(activations, k)
    limit = float(np.abs(W).max()) if limit is None else float(limit)
    fig, grid = plt.subplots(len(neurons), k + 1, figsize=((k + 1) * 1.15, len(neurons) * 1.3 + 0.5),
                             squeeze=False, layout="constrained")
    for row, j in zip(grid, neurons):
        row[0].imshow(W[:, j].reshape(shape), cmap=DIVERGING_CMAP, vmin=-limit, vmax=limit)
        row[0].set_title(f"weights of z{j}", fontsize=8, pad=2)
        for ax, i in zip(row[1:], top[:, j]):
            ax.imshow(np.asarray(images[i]).reshape(shape), cmap="gray_r", vmin=0, vmax=1)
            name = f"label {labels[i]}, " if labels is not None else ""
            ax.set_title(f"{name}z={activations[i, j]:.2f}", fontsize=7, pad=2)
        for ax in row:
            ax.set_xticks([])
            ax.set_yticks([])
            _thin_frame(ax)
    if title:
        fig.suptitle(title)
    return fig
