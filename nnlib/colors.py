"""The course's colours, in one place for figures (nnlib.plotting) and diagrams (nnlib.diagram).

Okabe and Ito's palette (2008): distinguishable with every common form of colour blindness.
Plain hex strings, so this module needs nothing but Python.
"""

# In the order the course hands them out to neurons: neuron i has NEURON_COLORS[i] in every figure.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
NEURON_COLORS = PALETTE[:7]
SUM_COLOR = "#000000"  # the network's output / the sum of the neurons
TARGET_COLOR = "#999999"  # a target function or the true boundary
CLASS_COLORS = {0: "#0072B2", 1: "#D55E00"}  # negative / positive class
CLASS_MARKERS = {0: "o", 1: "^"}  # shape as well as colour, so the classes never rely on colour alone
POSITIVE_COLOR, NEGATIVE_COLOR = "#D55E00", "#0072B2"  # signs of weights


def neuron_color(i):
    """The colour of neuron i (0-based), the same in every figure of the course."""
    return NEURON_COLORS[i % len(NEURON_COLORS)]


# The course's two colour maps as 32 evenly spaced stops (matplotlib's cividis and PuOr, both colour-blind
# safe), for pictures drawn without matplotlib: the explorers' heat maps in the browser interpolate them.
SEQUENTIAL_LUT = [  # cividis: outputs and probabilities, dark low to yellow high
    "#00224e",
    "#00285b",
    "#002e6a",
    "#053371",
    "#1c396f",
    "#293f6e",
    "#33446d",
    "#3c4a6c",
    "#45506c",
    "#4d556c",
    "#555b6d",
    "#5c616e",
    "#646770",
    "#6b6d72",
    "#727274",
    "#787877",
    "#807f78",
    "#888578",
    "#908b78",
    "#979177",
    "#a09875",
    "#a89e73",
    "#b0a571",
    "#b9ab6d",
    "#c2b369",
    "#cbb965",
    "#d3c05f",
    "#dcc859",
    "#e6d051",
    "#efd748",
    "#f8df3c",
    "#fee838",
]
DIVERGING_LUT = [  # PuOr: weights and signed quantities, orange negative, white 0, purple positive
    "#7f3b08",
    "#8f4407",
    "#a04d07",
    "#b05606",
    "#c0640a",
    "#ce720f",
    "#dc7f13",
    "#e78f27",
    "#f1a242",
    "#fab35b",
    "#fdc175",
    "#fecd8f",
    "#fedbac",
    "#fde5c3",
    "#faecd7",
    "#f8f3ec",
    "#f2f2f5",
    "#e8e9f1",
    "#dee0ed",
    "#d4d4e8",
    "#c6c4df",
    "#bab5d7",
    "#ada6ce",
    "#9d94c2",
    "#8c80b5",
    "#7d6da9",
    "#6f559e",
    "#613d93",
    "#522584",
    "#451871",
    "#390c5e",
    "#2d004b",
]
