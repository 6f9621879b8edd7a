"""The course's figure style: colour-blind-safe colours, one per concept, legible in light and dark mode.

Colours are Okabe and Ito's palette (2008), distinguishable with every common form of
colour blindness. Figures get an opaque white background so they stay readable when the
book is shown in dark mode.
"""

import matplotlib as mpl

# Okabe-Ito, in the order the course hands them out to neurons.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
NEURON_COLORS = PALETTE[:7]
SUM_COLOR = "#000000"       # the network's output / the sum of the neurons
TARGET_COLOR = "#999999"    # a target function or the true boundary
CLASS_COLORS = {0: "#0072B2", 1: "#D55E00"}  # negative / positive class
POSITIVE_COLOR, NEGATIVE_COLOR = "#D55E00", "#0072B2"  # signs of weights
DIVERGING_CMAP = "PuOr"     # weights and signed quantities: colour-blind safe
SEQUENTIAL_CMAP = "cividis"  # outputs and probabilities: colour-blind safe


def neuron_color(i):
    """The colour of neuron i (0-based), the same in every figure of the course."""
    return NEURON_COLORS[i % len(NEURON_COLORS)]


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
