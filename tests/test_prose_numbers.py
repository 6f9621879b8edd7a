"""Every number in a chapter's prose that a cell computes reaches the text through myst-nb's glue.

The test lists every numeral in the chapters' markdown cells and fails on one that is none of:

- glued: inside a {glue}`name` / {glue:text}`name:.4f` role (the book inserts the value the cell computed);
- a definition: the same value is typed in the chapter's code (a weight, a seed, a number of epochs: the
  chapter chose it, so prose and code quote one choice) or in the chapter's exercise definitions
  (nnlib/exercises/chNN.py: the x an exercise asks about, its threshold);
- a reference or an index: "chapter 3", a year in a citation, a sub- or superscript in math ($x_0$, $W^{(1)}$);
- in ALLOWED below, one commented line per entry: quotes of the seed articles and facts about the data.

A number the prose computes by hand beside a printout ("a factor of four to seven", "20 of the 200") is what this
catches: type it and the test names the chapter, the cell and the numeral. How to glue one: README, "Writing a
chapter".
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("0*.ipynb")) + sorted((ROOT / "notebooks").glob("9*.ipynb"))

# Typed on purpose. Each entry: the numeral as written, and why it is not computed here.
ALLOWED = {
    "all": {
        "784": "MNIST: 28 x 28 = 784 pixels, a property of the data set",
        "28": "MNIST's image side",
        "60,000": "MNIST's training images",
        "10,000": "MNIST's test images",
        "70,000": "all MNIST images",
        "50": "the seed book's 784-50-100-10 network",
        "100": "the same network; and 100 %, a whole",
        "0.9352": "the seed book's network on MNIST (a golden number, also printed by the chapter)",
        "0.9302": "the seed blog post's published answer (a golden number, also printed by the chapter)",
        "0.31682708": "the seed book's example output",
        "0.69627909": "the seed book's example output",
        "85": "the blog post's own 'about 85%' (a quote)",
        "10": "K = 10 classes (digits); and 10^-9, the tolerance both explorer faces are tested to",
    },
    "01_one_neuron": {"1.24": "the NumPy release that removed np.int (a fact about NumPy)"},
    "03_dense_learns_and": {
        "3.7": "the bias the blog post's own run printed (a quote)",
        "0.01": "a learning rate the trainer's menu offers (an instruction)",
    },
    "04_reading_weights": {
        "0.2741": "the post's output bias as it printed it (a quote of c_seed)",
        "1.31": "the post's output weights and bias, rounded (quotes of v_seed, c_seed)",
        "1.09": "as above",
        "0.88": "as above",
        "0.27": "as above",
        "7": "7/8: the share of the unit square above x0 + x1 = 0.5 (geometry, not a measurement)",
        "0.875": "7/8, as above",
        "0.03": "a learning rate the trainer's menu offers (an instruction)",
    },
    "06_handwritten_digits": {
        "256": "SHA-256, the name of a checksum",
        "0.003": "settings of scripts/train_mnist_mlp.py, quoted",
        "0.00001": "as above",
        "40": "as above",
    },
    "06_inside_the_digit_network": {
        "32": "32-bit and 8-bit weights: the page's storage format",
        "127": "8-bit weights run from -127 to 127",
    },
    "07_geometry_of_a_layer": {"8": "1/8 = 1/2^3 of space, and the explorer's 8 x 8 grid (definitions)"},
    "90_explorer_gallery": {
        "7": "Notebook 7, a product's name",
        "5": "the explorers' x range, -5 to 5, and the affine explorer's stage 5 (definitions of nnlib.explore)",
        "64": "the affine explorer's 8 x 8 grid of points (its definition)",
    },
}

GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
CODE = re.compile(r"```.*?```|``[^`]*``|`[^`]*`", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]+>|https?://\S+")
CHAPTER_REF = re.compile(r"\b(?:[Cc]hapters?|ch\.|Exercise|exercise|section)\s+\d+(?:\s*(?:,|and|to)\s*\d+)*")
YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-2]\d)\b")
# Indices and exponents in math: x_0, W_{10}, W^{(1)}, 10^{-9}, 2^N, \tfrac14 (a quarter, written as LaTeX).
MATH_INDEX = re.compile(r"_\{[^}]*\}|_\d+|\^\{[^}]*\}|\^\d|\\[td]?frac\d\d")
NUMERAL = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")


# Keyword arguments that only lay out a figure: their numbers do not count as definitions.
PLOTTING = re.compile(
    r"\b(?:figsize|fontsize|lw|linewidth|linewidths|s|alpha|markevery|zorder|pad|dpi|ncols?|"
    r"width|height|bbox_to_anchor|rect|width_ratios|xytext|vmin|vmax|shrinkA|shrinkB|aspect|"
    r"markersize|edgecolor|labelsize|titlesize)\s*=\s*(?:\([^)]*\)|\[[^\]]*\]|[^,)\n]*)"
)


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _value(numeral):
    return float(numeral.replace(",", "").replace("−", "-").lstrip("-"))


def defined_values(nb, chapter_stem):
    """The numbers a chapter types in its code cells and in its exercise definitions."""
    code = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    code = PLOTTING.sub(" ", code)  # a figure's size or a font's is no definition of what the prose says
    exercises = ROOT / "nnlib" / "exercises" / f"ch{chapter_stem[:2]}.py"
    if exercises.exists():
        code += "\n" + exercises.read_text()
    values = set()
    for token in re.findall(r"(?<![\w.])\d+(?:_\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?", code):
        values.add(abs(float(token.replace("_", ""))))
    return values


def prose_numerals(text):
    """The numerals of one markdown cell that are neither glued, nor code, nor links, indices or references."""
    for pattern in (GLUE, CODE, LINK_TARGET, CHAPTER_REF, YEAR, MATH_INDEX):
        text = pattern.sub(" ", text)
    return NUMERAL.findall(text)


def unexplained(path, nb=None):
    nb = nb or json.loads(path.read_text())
    defined = defined_values(nb, path.stem)
    allowed = {**ALLOWED["all"], **ALLOWED.get(path.stem, {})}
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for numeral in prose_numerals(_source(cell)):
            plain = numeral.lstrip("-−")
            if plain in allowed or _value(numeral) in defined:
                continue
            found.append((index, numeral))
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_glued_defined_or_allowed(path):
    found = unexplained(path)
    assert not found, (
        f"{path.name}: numbers typed in the prose that no code defines: "
        + ", ".join(f"cell {i}: {n}" for i, n in found)
        + ". Glue the computed value ({glue:text}`name:.4f`) or, for a quote, add it to ALLOWED."
    )


def test_a_typed_number_is_caught_and_a_glued_one_passes():
    # A planted defect: a computed count typed into a sentence, as issue 21 found it ("a seventh", "20 of 200").
    nb = {
        "cells": [
            {"cell_type": "code", "source": "x, t = sample(250, seed=0)\nglue('negatives', int((t == -1).sum()))"},
            {"cell_type": "markdown", "source": "Only 16 of the 250 points are negative."},
            {"cell_type": "markdown", "source": "Only {glue}`negatives` of the 250 points, $x_{12}$."},
        ]
    }
    assert unexplained(ROOT / "notebooks" / "00_planted.ipynb", nb) == [(1, "16")]


def test_allow_list_entries_are_used():
    # An entry nobody needs any more is a number someone may later type wrongly under its cover: drop it.
    used = set()
    for path in CHAPTERS:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                used.update(n.lstrip("-−") for n in prose_numerals(_source(cell)))
    for scope, entries in ALLOWED.items():
        unused = set(entries) - used
        assert not unused, f"ALLOWED[{scope!r}] holds numerals no chapter writes: {sorted(unused)}"
