"""book/notation.md is the single source of the course's symbols; every page a reader sees is held to it.

The test reads the notation's table (which symbol is the activation function, which the bias, which the SVD's
diagonal, how a transpose is written, which letters carry indices counted from 0) and checks, against those
symbols, what a reader sees:

- the chapters' markdown cells and the book's glossary;
- the chapters' stored outputs: printed text, HTML (explorer labels, titles, alt text) and SVG diagrams;
- the comments of every code cell (the notebook shows them all);
- every exercise's form and replies (title, labels, rule messages, solution: nnlib/exercises/ch0*.py).

A page that shows another convention on purpose (the seed book's 1-based diagram labels, the blog post's column
form W x, the article's subtracted bias) says so in one line where it starts. CONVENTIONS names those lines: a
finding is allowed only where its flag line stands on the page before it (or in the caption right after it).
"""

import html
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTATION = ROOT / "book" / "notation.md"
PAGES = sorted((ROOT / "notebooks").glob("*.ipynb"))


# -- the notation, read from its table ----------------------------------------------------------------------


def notation_table(text=None):
    """{symbol column: meaning column} of the table in book/notation.md."""
    text = NOTATION.read_text() if text is None else text
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and "$" in cells[0]:
            rows[cells[0]] = cells[1]
    return rows


def symbol_for(table, words):
    """The first symbol of the row whose meaning contains `words`."""
    for symbol, meaning in table.items():
        if words in meaning:
            return re.findall(r"\$([^$]+)\$", symbol)[0].split(";")[0].strip()
    raise AssertionError(f"book/notation.md has no row for {words!r}")


TABLE = notation_table()
ACTIVATION = symbol_for(TABLE, "activation function")  # h
BIAS = symbol_for(TABLE, "the bias")  # b
SVD_DIAGONAL = re.findall(r"\\Sigma", next(s for s in TABLE if "Sigma" in s))[0]  # \Sigma
SINGULAR = re.findall(r"\$(\w)_0", next(s for s in TABLE if "Sigma" in s))[0]  # s
TRANSPOSE = re.findall(r"\^(\\top)", next(s for s in TABLE if "top" in s))[0]  # \top
# letters the table gives subscripts: their indices count from 0 ("Indices count from 0, as numpy does")
INDEXED = sorted({m for s in TABLE for m in re.findall(r"\$(\w)_", s)} | {SINGULAR})
assert "Indices count from 0" in NOTATION.read_text()

SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")

RULES = {
    # h is the activation function: never a value (the hidden outputs are z)
    "activation as a value": re.compile(
        rf"(?<![\w\\]){ACTIVATION}\s*=(?!=)|(?<![\w\\]){ACTIVATION}\[\d|(?<![\w\\]){ACTIVATION}_\{{?\d"
        rf"|hidden values {ACTIVATION}\b"
    ),
    # the bias is b (a row added to every row of X W), not B
    "bias written B": re.compile(r"\+\s*B\b(?!\s*@)|\bB\^\{\(\d|B⁽|\bB[123]\b(?!\s*@)"),
    # the SVD's diagonal is Sigma
    "SVD diagonal written S": re.compile(r"U\s*(?:\\,)?\s*S\s*(?:\\,)?\s*V|\bS\s*V(?:\^|ᵀ)|scale by S\b|\$S\$"),
    # a transpose is ^\top (rendered ᵀ), never ^T
    "transpose written ^T": re.compile(r"\^T\b|\^\{T\}"),
    # one sample as a column (W x) is another convention: flagged where it appears
    "column form W x": re.compile(r"(?<![\w\\])W(?:\^\{\(\w+\)\}|⁽\w⁾|\^\{?\\top\}?|ᵀ)?\s*(?:\\,)?\s*[xz]\b(?!\w)"),
    # the article's subtracted bias is another convention: flagged where it appears
    "bias subtracted": re.compile(r"\bw_?\w?\s*(?:\\,)?\s*[xs]\s*[-−]\s*b\b"),
}

# Where a page shows another convention on purpose, the line that says so (it must stand on the page before the
# finding, or in the caption right after it). One entry per convention and page.
CONVENTIONS = [
    ("01_one_neuron", "one-based indices", "the\ndiagram labels its inputs from 1"),  # the seed book's diagram
    ("01_one_neuron", "bias subtracted", "with the bias **subtracted**"),  # the article's convention
    ("02_many_neurons", "bias subtracted", "each hidden neuron computes $h(w x - b)$, the bias subtracted"),
    ("04_reading_weights", "column form W x", "It wrote one sample as a **column**"),  # the blog post's hand work
    ("05_neurons_to_matrices", "one-based indices", "The diagram numbers its nodes from 1"),  # the seed book's
    ("06_handwritten_digits", "one-based indices", "The diagram numbers its nodes from 1"),  # diagram style
    ("07_geometry_of_a_layer", "column form W x", "with one sample as a\n  column, this chapter's form"),
    ("90_explorer_gallery", "bias subtracted", "Here $b$ is a threshold that is subtracted"),
    ("90_explorer_gallery", "column form W x", "(column convention, $W$ of shape (units, inputs), as in chapter 7)"),
    ("glossary", "column form W x", "Column-vector convention"),  # the entry that defines it
]


# Bare forms (x1, a2, s1) count for these letters; W1, b1 are layer names in code (the superscript, from 1).
BARE = {"x", "a", "z", "y", "s", "t"}


def one_based(text):
    """Letters with indices counted from 1 in one text: x_1 and x_2 (or x₁, x₂, x1, x2) and never x_0."""
    found = []
    plain = text.translate(SUB)
    for letter in INDEXED:
        underscore = "_?" if letter in BARE else "_"
        indices = {int(i) for i in re.findall(rf"(?<![\w\\]){letter}{underscore}\{{?(\d)\}}?(?![\d\w])", plain)}
        if indices and 0 not in indices and {1, 2} <= indices:
            found.append(f"{letter}_1, {letter}_2 without {letter}_0")
    return found


def findings(text):
    out = [(name, m.group(0)) for name, rule in RULES.items() for m in rule.finditer(text)]
    return out + [("one-based indices", f) for f in one_based(text)]


# -- what a reader sees ---------------------------------------------------------------------------------------


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def html_text(markup):
    """Visible text of HTML or SVG, with alt, title and aria-label values; scripts, styles, templates dropped."""
    markup = re.sub(r"<(script|style|template)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    attrs = " ".join(m for m in re.findall(r'(?:alt|title|aria-label)="([^"]*)"', markup))
    return html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + attrs)


def output_texts(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield "".join(out["text"])
        for mime, value in out.get("data", {}).items():
            value = "".join(value) if isinstance(value, list) else value
            if mime in ("text/html", "image/svg+xml"):
                yield html_text(value)
            elif mime == "text/plain" and "text/html" not in out["data"]:
                yield value
    alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
    if alt:
        yield alt


def comments(source):
    return "\n".join(m.group(1) for m in re.finditer(r"(#[^\n]*)", source) if not m.group(1).startswith("#!"))


def page_units(name, cells):
    """(what, text, context) for every text a reader sees on a page; context: the page up to this cell's caption."""
    for i, cell in enumerate(cells):
        context = "\n".join(_src(c) for c in cells[: i + 2])
        if cell["cell_type"] == "markdown":
            yield f"{name} cell {i} (markdown)", _src(cell), context
        else:
            yield f"{name} cell {i} (comments)", comments(_src(cell)), context
            for text in output_texts(cell):
                yield f"{name} cell {i} (output)", text, context


def exercise_units():
    """(page, what, text, context) per exercise: its form and replies, judged with its chapter's flag lines."""
    import importlib

    for n in range(1, 8):
        chapter = importlib.import_module(f"nnlib.exercises.ch0{n}")
        # A chapter's pages (chapter 6 has two): its exercises are judged with the flag lines of all of them.
        pages = sorted((ROOT / "notebooks").glob(f"0{n}_*.ipynb"))
        page = pages[0]
        context = "\n".join(_src(c) for path in pages for c in json.loads(path.read_text())["cells"])
        for exercise in chapter.EXERCISES:
            texts = [exercise.title, exercise.solution, exercise.intro]
            texts += [getattr(field, "label", "") or "" for field in exercise.fields]
            texts += ["".join(p if isinstance(p, str) else " " for p in rule.message) for rule in exercise.rules]
            yield page.stem, f"exercise {exercise.id}", html_text("\n".join(texts)), context


def violations(units, page, conventions=CONVENTIONS):
    flags = [(rule, flag) for p, rule, flag in conventions if p == page]
    bad, used = [], set()
    for what, text, context in units:
        for rule, match in findings(text):
            ok = [flag for r, flag in flags if r == rule and flag in context]
            if ok:
                used.update((page, rule, f) for f in ok)
            else:
                bad.append(f"{what}: {rule}: {match!r}")
    return bad, used


USED = set()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_pages_follow_the_notation(path):
    cells = json.loads(path.read_text())["cells"]
    bad, used = violations(page_units(path.stem, cells), path.stem)
    USED.update(used)
    assert not bad, "symbols against book/notation.md:\n" + "\n".join(bad)


def test_glossary_follows_the_notation():
    text = (ROOT / "book" / "glossary.md").read_text()
    entries = text.split("\n\n")
    units = [(f"glossary entry {i}", e, "\n\n".join(entries[: i + 1])) for i, e in enumerate(entries)]
    bad, used = violations(units, "glossary")
    USED.update(used)
    assert not bad, "symbols against book/notation.md:\n" + "\n".join(bad)


def test_exercise_forms_and_replies_follow_the_notation():
    bad = []
    for page, what, text, context in exercise_units():
        bad += violations([(what, text, context)], page)[0]
    assert not bad, "symbols against book/notation.md:\n" + "\n".join(bad)


def test_every_flagged_convention_is_still_needed():
    # Runs after the page tests (pytest keeps file order): a flag no finding uses is stale, or the test is blind.
    if len(USED) == 0:
        pytest.skip("run with the page tests")
    stale = [c for c in CONVENTIONS if c not in USED]
    assert not stale, f"CONVENTIONS entries no page needs any more: {stale}"


def test_the_rules_catch_planted_defects():
    # Each defect issue 21 found, planted in a text a reader would see: every one is caught.
    planted = {
        "activation as a value": "the hidden values h = tanh(x W + b), form labels h[0] ... h[4]",
        "one-based indices": "# a1 < 0: onto the second axis;  # a2 < 0: onto the first axis",
        "bias written B": "Z = h(X W + B), with B⁽¹⁾ the biases",
        "SVD diagonal written S": "W = U S V^\\top: rotate, scale by S, rotate",
        "transpose written ^T": "1 a turn by V^T",
    }
    for rule, text in planted.items():
        assert rule in {r for r, _ in findings(text)}, f"{rule} not caught in {text!r}"
    assert ("one-based indices", "s_1, s_2 without s_0") in findings("singular values s₁ ≥ s₂ on the diagonal")
    # A deliberate convention passes only next to its flag line.
    units = [("cell 3", "computes $y = h(w x - b)$", "The article subtracts it, as a threshold")]
    assert violations(units, "p", [("p", "bias subtracted", "subtracts it")])[0] == []
    assert violations(units, "p", [("p", "bias subtracted", "some other line")])[0] != []
    # The notation's table is what the rules are made of.
    assert (ACTIVATION, BIAS, SVD_DIAGONAL, SINGULAR, TRANSPOSE) == ("h", "b", "\\Sigma", "s", "\\top")
    assert {"x", "w", "s"} <= set(INDEXED)
