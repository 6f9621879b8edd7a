"""The front and back matter says what the course promises: the glossary defines the course's words, the
notation page fixes the conventions the sources disagree on, the credits name every licence."""

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"

GLOSSARY_TERMS = [
    "Perceptron", "Neuron", "Weight", "Bias", "Weighted sum", "Activation function", "Step function", "Sigmoid",
    "tanh", "ReLU", "Softplus", "Mish", "Identity", "Softmax", "Logits", "Layer", "Dense layer",
    "Fully connected layer", "Kernel", "Hidden layer", "Output layer", "Sequential", "Forward pass", "Trace", "Batch",
    "Mini-batch", "Epoch", "Loss", "Mean squared error", "Binary cross-entropy", "Hinge loss",
    "Categorical cross-entropy", "One-hot", "Gradient descent", "Back-propagation", "SGD", "Momentum", "Adam",
    "Validation split", "Accuracy", "Decision boundary", "Linearly separable", "XOR", "Universal approximation",
    "Glorot initialisation", "MNIST", "Normalisation", "Confusion matrix", "Affine map", "Linear map", "SVD",
    "Rotation", "Reflection", "Determinant", "Orthant", "ReLU fold", "Vanishing gradient",
]


def _glossary_terms():
    text = (BOOK / "glossary.md").read_text()
    block = text[text.index("```{glossary}"):]
    # A term is an unindented line inside the directive; its definition is indented below it.
    return [line.strip() for line in block.splitlines()[1:]
            if line and not line.startswith((" ", ":", "`"))]


def test_glossary_defines_every_course_term():
    terms = _glossary_terms()
    missing = [t for t in GLOSSARY_TERMS if t not in terms]
    assert not missing, f"glossary lacks: {missing}"
    assert len(terms) == len(set(terms)), "a glossary term is defined twice"


@pytest.mark.parametrize("phrase", [
    r"w_{12}^{(1)}",                       # the index convention, with its example
    "**to**", "**from**",                  # ... read as "to neuron 1, from neuron 2"
    "(inputs, units)", "(units, inputs)",  # Keras / Deep Learning from Scratch vs PyTorch
    "PyTorch", "`W[1, 0]`",
    "h(w x + b)", "h(w x - b)", "$-b$",    # the sign of the bias, both ways
    "weighted sum", "target",
])
def test_notation_fixes_the_conventions(phrase):
    assert phrase in (BOOK / "notation.md").read_text()


@pytest.mark.parametrize("phrase", ["CC BY-SA 3.0", "LeCun", "Cortes", "Burges", "Deep Learning from Scratch",
                                    "MIT", "Koki Saitoh"])
def test_credits_name_the_licences(phrase):
    assert phrase in (BOOK / "credits.md").read_text()


@pytest.mark.parametrize("phrase", ["Deep Learning from Scratch", "Koki Saitoh", "O'Reilly Japan", "Nielsen",
                                    "micrograd", "Keras", "Misra", "Glorot", "Bengio", "LeCun", "MNIST"])
def test_references_cite_the_sources(phrase):
    assert phrase in (BOOK / "references.md").read_text()


def test_how_to_use_covers_every_way_to_read():
    text = (BOOK / "how_to_use.md").read_text()
    for heading in ("In this web book", "On Google Colab", "On Binder", "On your own computer"):
        assert re.search(rf"^## {heading}", text, re.M), heading
