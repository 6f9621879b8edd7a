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
