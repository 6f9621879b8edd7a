"""The course's colours, in one place for figures (nnlib.plotting) and diagrams (nnlib.diagram).

Okabe and Ito's palette (2008): distinguishable with every common form of colour blindness.
Plain hex strings, so this module needs nothing but Python.
"""

# In the order the course hands them out to neurons: neuron i has NEURON_COLORS[i] in every figure.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
NEURON_COLORS = PALETTE[:7]
SUM_COLOR = "#000000"       # the network's output / the sum of the neurons
TARGET_COLOR = "#999999"    # a target function or the true boundary
CLASS_COLORS = {0: "#0072B2", 1: "#D55E00"}  # negative / positive class
CLASS_MARKERS = {0: "o", 1: "^"}  # shape as well as colour, so the classes never rely on colour alone
POSITIVE_COLOR, NEGATIVE_COLOR = "#D55E00", "#0072B2"  # signs of weights


def neuron_color(i):
    """The colour of neuron i (0-based), the same in every figure of the course."""
    return NEURON_COLORS[i % len(NEURON_COLORS)]
