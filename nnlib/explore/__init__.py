"""Interactive explorers: one object, two faces drawn by one program (the JavaScript in js/, bundled in dist/).

    >>> from nnlib.explore import NeuronExplorer
    >>> NeuronExplorer(weight=2, bias=0, activation="sigmoid")      # doctest: +SKIP

Explorers (each module holds one):
    NeuronExplorer            y = f(w x - b) over x in [-5, 5]; sliders w, b; dropdown f   (neuron.py)
    NeuronSumExplorer         N neurons, their weighted sum, an optional second layer     (neuron_sum.py)
    DecisionBoundaryExplorer  a Dense(1) on two inputs: line, heat map, data points        (decision_boundary.py)
    AffineExplorer            a 2-unit layer as a map of the plane: W x + b, then ReLU     (affine.py)
    MatrixFlowExplorer        every weight of a small network typed in; X, A, Z, ..., Y    (matrix_flow.py)
    FitExplorer               fit a curve with N neurons, output layer by least squares    (fit_neurons.py)
    DigitCanvas               draw a digit, the MNIST network reads it                     (digits.py)
    TrainingExplorer          train a small net live: region, loss curve, hidden neurons   (trainer.py)
    Playground                build your own net: graph, drag weights, export nnlib code   (playground.py)

Shown in a notebook, an explorer puts three things in its MIME bundle: the live face
(application/vnd.jupyter.widget-view+json, preferred by Jupyter and Colab: an anywidget whose view
draws with the book's code the numbers nnlib computes in the kernel), the static face (text/html:
SVG, <input type="range"> and the bundled script, in which nn.js computes; preferred by the book)
and a one-line text/plain. `.set(name=value)` moves a control, `.curves()` returns the numbers the
figure shows, `.readout()` the sentence under it, `.to_html()` the static face, `.widget()` the live one.
"""

from .affine import AffineExplorer
from .decision_boundary import DecisionBoundaryExplorer
from .digits import DigitCanvas
from .fit_neurons import FitExplorer
from .matrix_flow import MatrixFlowExplorer
from .neuron import NeuronExplorer
from .neuron_sum import NeuronSumExplorer
from .playground import Playground
from .trainer import TrainingExplorer

__all__ = [
    "NeuronExplorer",
    "NeuronSumExplorer",
    "DecisionBoundaryExplorer",
    "AffineExplorer",
    "MatrixFlowExplorer",
    "FitExplorer",
    "DigitCanvas",
    "TrainingExplorer",
    "Playground",
]
