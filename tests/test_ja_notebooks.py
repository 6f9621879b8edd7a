"""The Japanese notebooks (notebooks/ja/, book/_ext/ja_notebooks.py): made from today's English notebooks and page
catalogues, translated unit by unit as Sphinx translates the page, and read by the Japanese edition's build."""

import io
import re
import sys
from gettext import GNUTranslations
from pathlib import Path

import nbformat
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import ja_notebooks  # noqa: E402

LOCALE = ROOT / "locale" / "ja" / "LC_MESSAGES"
IN_PROGRESS = {
    line.strip()
    for line in (ROOT / "locale" / "ja" / "in_progress.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}
CHAPTERS = ja_notebooks.chapters()


def translations(entries: dict[str, str], fuzzy: frozenset = frozenset()) -> GNUTranslations:
    """A catalogue compiled as Sphinx compiles one (fuzzy entries left out)."""
    catalogue = Catalog(locale="ja")
    for msgid, msgstr in entries.items():
        catalogue.add(msgid, msgstr, flags=["fuzzy"] if msgid in fuzzy else [])
    mo = io.BytesIO()
    write_mo(mo, catalogue, use_fuzzy=False)
    mo.seek(0)
    return GNUTranslations(mo)


class Recorder:
    """A catalogue that remembers which messages were asked for."""

    def __init__(self, inner):
        self.inner, self.asked = inner, set()

    def gettext(self, msgid):
        self.asked.add(msgid)
        return self.inner.gettext(msgid)


def test_the_chapters_are_toc_notebooks():
    assert "notebooks/01_one_neuron" in CHAPTERS and "notebooks/90_explorer_gallery" in CHAPTERS, CHAPTERS
    assert all((ROOT / f"{c}.ipynb").is_file() for c in CHAPTERS)


def test_the_japanese_notebooks_are_up_to_date():
    """Regenerated in memory from the English notebook and its catalogue, each Japanese notebook's markdown and code
    must be what is committed (outputs aside): else `make notebooks-ja`."""
    problems = ja_notebooks.stale()
    assert not problems, "run make notebooks-ja:\n" + "\n".join(problems)


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.mark.parametrize("docname", ja_notebooks.chapters())
def test_every_figure_has_a_japanese_alt_text(docname):
    """A figure's text alternative (what a screen reader says for it, on the Japanese page too) is Japanese."""
    nb = nbformat.read(ja_notebooks.ja_path(docname), as_version=4)
    english = [ja_notebooks.figure_alt(c) for c in nb.cells if ja_notebooks.figure_alt(c)]
    english = [alt for alt in english if not JAPANESE.search(alt)]
    assert not english, f"{docname}: {len(english)} figures with an English alt text, e.g. {english[0][:80]!r}"


def test_the_setup_cell_switches_nnlib_to_japanese():
    for docname in CHAPTERS:
        english = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
        japanese = nbformat.read(ja_notebooks.ja_path(docname), as_version=4)
        changed = [
            (e.source, j.source) for e, j in zip(english.cells, japanese.cells, strict=True) if e.cell_type == "code"
        ]
        differing = [(e, j) for e, j in changed if e != j]
        assert len(differing) == 1, f"{docname}: expected only the setup cell to differ, got {len(differing)} cells"
        english_setup, japanese_setup = differing[0]
        without = japanese_setup.replace("\n".join(ja_notebooks.LANGUAGE_LINES) + "\n", "")
        assert without.replace(ja_notebooks.COLAB_FONT_LINE + "\n", "") == english_setup
        assert 'nnlib.i18n.set_language("ja")' in japanese_setup
        # on Colab only (the branch that installs nnlib), a Japanese font for the figures
        colab = japanese_setup.split('if "google.colab" in sys.modules:')[1].split("\n\n")[0]
        assert ja_notebooks.COLAB_FONT_LINE in colab.split("\n"), f"{docname}: no Japanese font on Colab"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_the_units_are_the_messages_sphinx_extracts(docname):
    """Each unit the script translates is keyed by a message of the page's catalogue (else the unit is found or
    joined differently from Sphinx's extraction, and would stay English), and every message of the catalogue is met,
    except the images' alt text, which Sphinx takes from the code cells' metadata."""
    english = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
    with open(LOCALE / f"{docname}.po", encoding="utf-8") as f:
        messages = {m.id for m in read_po(f, "ja") if m.id}
    recorder = Recorder(ja_notebooks.catalogue(docname))
    not_on_page = set()
    for cell in english.cells:
        if cell.cell_type != "markdown":
            continue
        if "remove-cell" in cell.metadata.get("tags", []):
            # not on the page, so not in its catalogue: the notebook keeps it English (see the README)
            before = set(recorder.asked)
            ja_notebooks.translate_markdown(cell.source, recorder)
            not_on_page |= recorder.asked - before
            continue
        ja_notebooks.translate_markdown(cell.source, recorder)
    unknown = recorder.asked - messages - not_on_page
    assert not unknown, f"{docname}: units that are no message of the catalogue: {sorted(unknown)[:5]}"
    alt_texts = {
        cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        for cell in english.cells
        if cell.cell_type == "code"
    }
    missed = messages - recorder.asked - alt_texts
    assert not missed, f"{docname}: catalogue messages the notebook never met: {sorted(missed)[:5]}"


@pytest.mark.parametrize("docname", [c for c in CHAPTERS if c not in IN_PROGRESS])
def test_finished_chapters_read_in_japanese(docname):
    """In a chapter whose catalogue is complete, no translated English unit is left in the Japanese notebook."""
    english = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
    japanese = nbformat.read(ja_notebooks.ja_path(docname), as_version=4)
    recorder = Recorder(ja_notebooks.catalogue(docname))
    for e, j in zip(english.cells, japanese.cells, strict=True):
        if e.cell_type != "markdown" or "remove-cell" in e.metadata.get("tags", []):
            continue
        recorder.asked.clear()
        ja_notebooks.translate_markdown(e.source, recorder)
        left = [
            m for m in recorder.asked if ja_notebooks.translated(m, recorder.inner) and m in " ".join(j.source.split())
        ]
        assert not left, f"{docname}, cell {e.get('id')}: English left untranslated: {left[:3]}"


SAMPLE = """## A heading

A paragraph on
two lines with $x$.

- an item that goes on
  over two lines;
- an item nobody translated.

| a | b |
|---|---|
| one | |

```{admonition} A box
:class: dropdown

Inside the box.
```

```python
print("code stays")
```

See [the notation](../book/notation.md).
"""


def test_translate_markdown_replaces_units_in_place():
    catalogue = translations(
        {
            "A heading": "見出し",
            "A paragraph on two lines with $x$.": "2行の段落 $x$。",
            "an item that goes on over two lines;": "2行にわたる項目。",
            "a": "あ",
            "one": "いち",
            "A box": "囲み",
            "Inside the box.": "囲みの中。",
            'print("code stays")': "コード",
            "See [the notation](../book/notation.md).": "[記法](../book/notation.md)を参照。",
        }
    )
    out = ja_notebooks.climb_one_more(ja_notebooks.translate_markdown(SAMPLE, catalogue))
    assert out.split("\n") == [
        "## 見出し",
        "",
        "2行の段落 $x$。",
        "",
        "- 2行にわたる項目。",
        "- an item nobody translated.",
        "",
        "| あ | b |",
        "|---|---|",
        "| いち |  |",
        "",
        "```{admonition} 囲み",
        ":class: dropdown",
        "",
        "囲みの中。",
        "```",
        "",
        "```python",
        'print("code stays")',
        "```",
        "",
        "[記法](../../book/notation.md)を参照。",
        "",
    ]


def test_fuzzy_and_untranslated_entries_stay_english(tmp_path, monkeypatch):
    """A fuzzy entry translates an earlier English sentence: Sphinx leaves it out of the compiled catalogue, and so
    does ja_notebooks.catalogue (which reads the .po file)."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "x.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "A heading"\nmsgstr "見出し"\n\n'
        'msgid "Untranslated."\nmsgstr ""\n\n'
        'msgid "Translated."\nmsgstr "訳した。"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(ja_notebooks, "LOCALE", tmp_path)
    catalogue = ja_notebooks.catalogue("notebooks/x")
    source = "# A heading\n\nUntranslated.\n\nTranslated.\n"
    assert ja_notebooks.translate_markdown(source, catalogue) == "# A heading\n\nUntranslated.\n\n訳した。\n"


def test_the_page_takes_english_markdown_and_japanese_outputs(tmp_path, monkeypatch):
    docname = "notebooks/01_one_neuron"
    english_source = (ROOT / f"{docname}.ipynb").read_text(encoding="utf-8")
    page = nbformat.reads(ja_notebooks.page_notebook(docname, english_source), as_version=4)
    english = nbformat.reads(english_source, as_version=4)
    japanese = nbformat.read(ja_notebooks.ja_path(docname), as_version=4)
    for p, e, j in zip(page.cells, english.cells, japanese.cells, strict=True):
        if p.cell_type == "markdown":
            assert p.source == e.source  # Sphinx translates it through the page catalogue
        else:
            assert (p.source, p.outputs) == (j.source, j.outputs)
    # a Japanese notebook whose code is not the English notebook's fails the build (a warning, -W)
    stale = nbformat.read(ja_notebooks.ja_path(docname), as_version=4)
    next(c for c in stale.cells if c.cell_type == "code" and "set_language" not in c.source).source += "\n1"
    monkeypatch.setattr(ja_notebooks, "JA_FOLDER", tmp_path)
    nbformat.write(stale, tmp_path / "01_one_neuron.ipynb")
    with pytest.raises(ValueError, match="make notebooks-ja"):
        ja_notebooks.page_notebook(docname, english_source)


def test_writing_every_chapter_deletes_notebooks_of_chapters_gone(tmp_path, monkeypatch):
    """After a chapter is split or renamed in _toc.yml, one `make notebooks-ja` leaves no stale Japanese notebook."""
    monkeypatch.setattr(ja_notebooks, "JA_FOLDER", tmp_path)
    monkeypatch.setattr(ja_notebooks, "chapters", lambda: ["notebooks/01_one_neuron"])
    (tmp_path / "06_handwritten_digits.ipynb").write_text("{}", encoding="utf-8")
    written = ja_notebooks.write([])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01_one_neuron.ipynb"] == [p.name for p in written]
