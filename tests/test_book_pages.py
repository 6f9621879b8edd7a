"""The front and back matter says what the course promises: the glossary defines the course's words, the
notation page fixes the conventions the sources disagree on, the credits name every licence."""

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"

GLOSSARY_TERMS = [
    "Perceptron",
    "Neuron",
    "Weight",
    "Bias",
    "Weighted sum",
    "Activation function",
    "Step function",
    "Sigmoid",
    "tanh",
    "ReLU",
    "Softplus",
    "Mish",
    "Identity",
    "Softmax",
    "Logits",
    "Layer",
    "Dense layer",
    "Fully connected layer",
    "Kernel",
    "Hidden layer",
    "Output layer",
    "Sequential",
    "Forward pass",
    "Trace",
    "Batch",
    "Mini-batch",
    "Epoch",
    "Loss",
    "Mean squared error",
    "Binary cross-entropy",
    "Hinge loss",
    "Categorical cross-entropy",
    "One-hot",
    "Gradient descent",
    "Back-propagation",
    "SGD",
    "Momentum",
    "Adam",
    "Validation split",
    "Accuracy",
    "Decision boundary",
    "Linearly separable",
    "XOR",
    "Universal approximation",
    "Glorot initialisation",
    "MNIST",
    "Normalisation",
    "Confusion matrix",
    "Affine map",
    "Linear map",
    "SVD",
    "Rotation",
    "Reflection",
    "Determinant",
    "Orthant",
    "ReLU fold",
    "Vanishing gradient",
]


def _glossary_terms():
    text = (BOOK / "glossary.md").read_text()
    block = text[text.index("```{glossary}") :]
    # A term is an unindented line inside the directive; its definition is indented below it.
    return [line.strip() for line in block.splitlines()[1:] if line and not line.startswith((" ", ":", "`"))]


def test_glossary_defines_every_course_term():
    terms = _glossary_terms()
    missing = [t for t in GLOSSARY_TERMS if t not in terms]
    assert not missing, f"glossary lacks: {missing}"
    assert len(terms) == len(set(terms)), "a glossary term is defined twice"


def test_glossary_is_in_alphabetical_order():
    """The source order is the reading order (the page is easier to maintain when they agree)."""
    terms = _glossary_terms()
    assert terms == sorted(terms, key=str.lower), (
        f"glossary out of order at: {next(a for a, b in zip(terms, sorted(terms, key=str.lower)) if a != b)}"
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "$a = x W + b$",
        "$z = h(a)$",  # the row-vector layer and the names a, z, h
        r"$\sigma$",
        "the sigmoid function",  # sigma is the sigmoid only
        "$K$",
        "number of classes",  # K classes
        "$t$",
        "**target**",
        "$y$",  # output and target
        "(inputs, units)",
        "(units, inputs)",  # Keras / Deep Learning from Scratch vs PyTorch
        "PyTorch",
        "`W[i, j]`",
        "counted from 0",
        r"w^{(1)}_{12}",
        "**to**",
        "**from**",
        "`W1[1, 0]`",  # Deep Learning from Scratch's names, translated
        "$a = W x + b$",  # the column form of chapter 7, flagged
        "h(w x + b)",
        "h(w x - b)",
        "$-b$",  # the sign of the bias, both ways
        "weighted sum",
    ],
)
def test_notation_fixes_the_conventions(phrase):
    assert phrase in (BOOK / "notation.md").read_text()


def test_notation_page_uses_h_only_for_the_activation_function():
    """h is the activation function and z a layer's output; no "hidden vector h" and no f for the activation."""
    text = (BOOK / "notation.md").read_text()
    symbols = text[text.index("## Symbols") : text.index("## One neuron")]
    rows = {line.split("|")[1].strip(): line for line in symbols.splitlines() if line.startswith("| $")}
    assert "activation function" in rows["$h$"].lower()
    assert not any(row.startswith("$f") for row in rows), "f is not a symbol of the course"
    assert any(row.startswith("$z$") for row in rows) and any(row.startswith("$K$") for row in rows)


@pytest.mark.parametrize(
    "phrase", ["CC BY-SA 3.0", "LeCun", "Cortes", "Burges", "Deep Learning from Scratch", "MIT", "Koki Saitoh"]
)
def test_credits_name_the_licences(phrase):
    assert phrase in (BOOK / "credits.md").read_text()


@pytest.mark.parametrize(
    "phrase",
    [
        "Deep Learning from Scratch",
        "Koki Saitoh",
        "O'Reilly Japan",
        "Nielsen",
        "micrograd",
        "Keras",
        "Misra",
        "Glorot",
        "Bengio",
        "LeCun",
        "MNIST",
    ],
)
def test_references_cite_the_sources(phrase):
    assert phrase in (BOOK / "references.md").read_text()


@pytest.mark.parametrize(
    "title",
    [
        "全結合層Denseの中身を考える",
        "無から始めるKeras 第4回",
        "ニューラルネットワークの重み、バイアス、活性化関数、ニューロン数の役割を可視化する",
        "3章 ニューラルネットワーク",
        "ニューラルネットワークの計算を図で描く",
    ],
)
def test_references_name_the_five_source_articles_by_their_titles(title):
    """Each source article under its exact original title, so that a reader can find it."""
    assert title in (BOOK / "references.md").read_text()


def test_how_to_use_covers_every_way_to_read():
    text = (BOOK / "how_to_use.md").read_text()
    for heading in ("In this web book", "On Google Colab", "On Binder", "On your own computer"):
        assert re.search(rf"^## {heading}", text, re.M), heading
