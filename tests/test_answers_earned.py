"""No exercise's answer is on its page before the reader earns it.

For every exercise (nnlib/exercises/ch0*.py), the test reads what its chapter's page shows before any worked
solution is revealed: the markdown (with every glued number replaced by the value the book inserts), figure captions
and alt text, and the stored outputs a reader sees (printed text, text/plain, the visible text of text/html with its
alt, title and aria-label values, SVG diagram labels). Not read: cells the book removes (remove-cell), outputs it
hides (remove-output), and what a form keeps for later (its <template> solution, <noscript>, its JSON spec).

From that text it takes every number, every bracketed group of numbers, and every short run of numbers ("a 4 read
as 9"), fills the exercise's form with them, and asks the exercise's own definition (`Exercise.check_form`, the rules
the book's form runs) whether it accepts them. An accepted candidate is an answer on the page, and fails the test.
The exercise's `secrets` (strings that give the answer away) must not be in the text either.

Limits: numbers drawn inside a PNG figure are not text; the test reads the figure's caption and alt text (keep them
free of answers, and keep answers out of drawn labels by review). Choice-only and shape exercises are checked by their
secrets alone.
"""

import html
import importlib
import itertools
import json
import re
from pathlib import Path

import pytest

from nnlib.exercises.rules import Choice, Number, Shape, Table, Vector, Matrix

ROOT = Path(__file__).resolve().parents[1]

# Exercises whose answer is, by design, read from data the page gives (checked by their secrets only).
EXEMPT = {
    "ch06-batches": "the answer is a batch size read off the timings the form itself shows",
}

NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:\s?%)?(?![\w])")
GROUP = re.compile(r"[(\[]\s*[-−\d.,\s\[\]()]+[)\]]")
# Indices and exponents in math ($x_0$, $W^{(2)}$, $10^{-9}$) are names, not values.
MATH_INDEX = re.compile(r"_\{[^}]*\}|_\d+|\^\{[^}]*\}|\^\d")
GLUE = re.compile(r"\{glue(?::(\w+))?\}`([^`:]+)(?::([^`]*))?`")


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def html_text(markup):
    markup = re.sub(r"<(script|style|template|noscript)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    attrs = " ".join(re.findall(r'(?:alt|title|aria-label)="([^"]*)"', markup))
    return html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + attrs)


def glued_values(cells):
    """{name: text/plain} of every glued value of a notebook (myst-nb's scrapbook outputs)."""
    values = {}
    for cell in cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                prefix = out["metadata"]["scrapbook"].get("mime_prefix", "")
                values[name] = "".join(out["data"][prefix + "text/plain"])
    return values


def resolve_glue(text, values):
    """Markdown as the book shows it: each glue role replaced by its value, formatted as the role asks."""

    def one(m):
        kind, name, spec = m.groups()
        value = values.get(name)
        if value is None:
            raise AssertionError(f"glue {name!r} is not stored in the notebook's outputs (re-execute it)")
        if kind == "text":
            from myst_nb.core.variables import format_plain_text  # the book's own formatting

            return format_plain_text(value, spec or "s")
        return value

    return GLUE.sub(one, text)


def page_text(cells, prose=None):
    """What the book shows before any solution is revealed, as one string per cell (markdown and alt text are also
    added to `prose`, if given)."""
    values = glued_values(cells)
    texts = []
    prose = set() if prose is None else prose
    for cell in cells:
        if "remove-cell" in _tags(cell):
            continue
        if cell["cell_type"] == "markdown":
            texts.append(resolve_glue(_src(cell), values))
            prose.add(texts[-1])
            continue
        alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
        if alt:
            texts.append(alt)
            prose.add(alt)
        if "remove-output" in _tags(cell):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append("".join(out["text"]))
            data = out.get("data", {})
            for mime in ("text/html", "image/svg+xml"):
                if mime in data:
                    texts.append(html_text("".join(data[mime])))
            if "text/plain" in data and not {"text/html", "image/png", "image/svg+xml"} & set(data):
                texts.append("".join(data["text/plain"]))
    return texts


def _number(token):
    token = token.replace("−", "-").replace(",", "").strip()
    if token.endswith("%"):
        return [token.rstrip("% "), repr(float(token.rstrip("% ")) / 100)]
    return [token]


def candidates(texts, k, prose=None):
    """{filling: where} for every way the texts could fill k numeric inputs: single numbers (k = 1); for k > 1,
    bracketed groups of k numbers and, in prose, runs of k numbers a few words apart ("a 4 read as 9"), unless they
    hold only 0s and 1s (a truth table's row or a unit vector reads as that, not as an answer). Runs are not taken
    from outputs, where they are a figure's tick labels or a printed table."""
    found = {}
    prose = set(texts) if prose is None else prose
    for text in texts:
        is_prose = text in prose
        text = MATH_INDEX.sub(" ", text)
        numbers = [(m.start(), m.end(), m.group(0)) for m in NUMBER.finditer(text)]
        if k == 1:
            for start, end, token in numbers:
                for v in _number(token):
                    found.setdefault((v,), text[max(0, start - 40) : end + 20])
            continue
        groups = [(m.start(), m.end(), re.findall(r"[-−]?\d+(?:\.\d+)?", m.group(0))) for m in GROUP.finditer(text)]
        runs = [
            (run[0][0], run[-1][1], [t[2] for t in run])
            for run in zip(*(numbers[i:] for i in range(k)))
            if is_prose
            and all(
                len(text[a[1] : b[0]]) <= 16 and not re.search(r"[.;:\n]", text[a[1] : b[0]])
                for a, b in zip(run, run[1:])
            )
        ]
        for start, end, tokens in groups + runs:
            values = tuple(_number(t)[0] for t in tokens)
            if len(values) == k and any(float(v) not in (0.0, 1.0) for v in values):
                found.setdefault(values, text[max(0, start - 40) : end + 20])
    return found


def numeric_inputs(exercise):
    """The input keys a reader must fill with numbers (optional fields left empty), or None if not checkable."""
    keys = []
    for field in exercise.fields:
        if isinstance(field, Choice):
            continue
        if isinstance(field, Shape) or not isinstance(field, (Number, Vector, Matrix, Table)):
            return None
        if getattr(field, "optional", False):
            continue
        if isinstance(field, Table):
            return None
        keys += [key for key, _ in field.inputs()]
    return keys


def choice_fillings(exercise):
    choices = [f for f in exercise.fields if isinstance(f, Choice)]
    for values in itertools.product(*[[v for v, _ in f.options] for f in choices]):
        yield {f.name: v for f, v in zip(choices, values)}


def answers_on_page(exercise, texts, prose=None):
    """The candidates from the page that the exercise accepts, and the secrets the page holds."""
    joined = "\n".join(texts)
    leaks = [f"secret {s!r}" for s in exercise.secrets if s in joined]
    keys = numeric_inputs(exercise)
    if exercise.id in EXEMPT or not keys:
        return leaks
    # A choice that is right whatever the numbers (XOR: "no weights can") is the answer by itself: secrets cover it.
    fillings = [
        c
        for c in choice_fillings(exercise)
        if not exercise.check_form({**{k: exercise.starter.get(k, "0") for k in keys}, **c})
    ]
    for filling, where in candidates(texts, len(keys), prose).items():
        for choices in fillings:
            raw = {**dict(zip(keys, filling)), **choices}
            if exercise.check_form(raw):
                leaks.append(f"accepts {raw}, shown in {where!r}")
    return leaks


def chapter_cases():
    # A chapter may have several pages (chapter 6 has two): an exercise must not be answered on any of them,
    # since a reader may read the next page before coming back to the form.
    for n in range(1, 8):
        pages = tuple(sorted((ROOT / "notebooks").glob(f"0{n}_*.ipynb")))
        assert pages, f"chapter {n} has no notebook"
        for exercise in importlib.import_module(f"nnlib.exercises.ch0{n}").EXERCISES:
            yield pytest.param(pages, exercise.id, id=exercise.id)


@pytest.mark.parametrize("pages, exercise_id", list(chapter_cases()))
def test_no_answer_on_the_page_before_the_reader_earns_it(pages, exercise_id):
    chapter = importlib.import_module(f"nnlib.exercises.ch{pages[0].stem[:2]}")
    exercise = next(e for e in chapter.EXERCISES if e.id == exercise_id)
    prose = set()
    texts = [text for page in pages for text in page_text(json.loads(page.read_text())["cells"], prose)]
    leaks = answers_on_page(exercise, texts, prose)
    names = ", ".join(page.name for page in pages)
    assert not leaks, f"{names}, {exercise.id}: the chapter's pages give the answer away: {leaks}"


def test_planted_answers_are_caught():
    # The defects issue 21 found, planted back: a caption naming the commonest mistake (ch. 6) and a figure label
    # naming the asked kernel entry (ch. 3); a starter's stored verdict shown in the book.
    ch03, ch06 = (importlib.import_module(f"nnlib.exercises.ch0{n}") for n in (3, 6))
    worst = ch06.MOST_CONFUSED.answers
    caption = f"off the diagonal the largest counts are 35 (a {worst['true_digit']} read as {worst['read_as']})"
    assert any("accepts" in leak for leak in answers_on_page(ch06.MOST_CONFUSED, [caption]))
    label = "W[0, 2]: from x0 to y2"
    assert answers_on_page(ch03.KERNEL_ENTRY, [label])
    assert not answers_on_page(ch03.KERNEL_ENTRY, ["W[1, 0]: from x1 to y0"])
    cells = [
        {
            "cell_type": "code",
            "metadata": {"tags": []},
            "source": "check()",
            "outputs": [{"output_type": "stream", "text": caption}],
        }
    ]
    assert caption in page_text(cells)[0]
    cells[0]["metadata"]["tags"] = ["remove-output"]
    assert page_text(cells) == []
    # A glued number is read as the book shows it.
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "source": "",
            "outputs": [
                {
                    "output_type": "display_data",
                    "metadata": {"scrapbook": {"name": "n", "mime_prefix": "p/"}},
                    "data": {"p/text/plain": "0.91175"},
                }
            ],
        },
        {"cell_type": "markdown", "metadata": {}, "source": "reads {glue:text}`n:.4f` of the 8s"},
    ]
    assert page_text(cells) == ["reads 0.9117 of the 8s"]
