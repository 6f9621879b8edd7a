"""The Japanese notebooks (notebooks/ja/), made from the English chapters and the page catalogues.

The Japanese edition's launch buttons (Colab, Binder) open these notebooks. Each is its English chapter with

- every markdown cell translated through the chapter's page catalogue (locale/ja/LC_MESSAGES/notebooks/NN_x.po),
  unit by unit as Sphinx translates the page: a heading, a paragraph, a list item's paragraph, a table cell, an
  admonition's title and its body's paragraphs, a math block. A unit whose catalogue entry is untranslated or fuzzy
  stays English, exactly as on the page. The catalogue is read as Sphinx reads it (babel's read_po, compiled with
  Sphinx's CatalogInfo settings: fuzzy entries left out) and the units are found with MyST's own markdown parser
  (myst_parser's markdown-it configuration from _config.yml), each keyed by the message Sphinx extracts for it
  (sphinx.util.nodes.extract_messages: the source text, lines joined by spaces). Relative links that climb out of
  notebooks/ (`../book/x.md`) climb one folder more;
- each figure's alt text (a code cell's metadata mystnb.image.alt) translated through the same catalogue;
- the same code cells, plus two lines in the setup cell after `import nnlib`: `import nnlib.i18n` and
  `nnlib.i18n.set_language("ja")` (the pinned nnlib that Colab installs has the module, not yet the attribute), so
  nnlib's explorers, forms and verdicts speak Japanese in the reader's kernel (and in the stored outputs).

    python book/_ext/ja_notebooks.py write [NN_x ...]   -> notebooks/ja/NN_x.ipynb without outputs (make notebooks-ja
                                                           then executes them as `make notebooks` does)
    python book/_ext/ja_notebooks.py check              -> exit 1, naming each notebook whose markdown or code differs
                                                           from what the English notebook and its catalogue give today
    python book/_ext/ja_notebooks.py alts _build/gettext -> the figures' alt texts added to the pages' .pot (make
                                                           gettext)

The chapters are the notebooks _toc.yml lists (a chapter split in two is two entries: nothing to change here).
The Japanese edition's build reads the stored outputs of these notebooks (book/_ext/ja_outputs.py).
"""

import copy
import gettext
import io
import re
import sys
from functools import lru_cache
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "ja" / "LC_MESSAGES"
JA_FOLDER = ROOT / "notebooks" / "ja"
LANGUAGE_LINES = [
    "import nnlib.i18n",
    'nnlib.i18n.set_language("ja")  # nnlib の表示（エクスプローラー、フォーム、判定）を日本語に',
]
# The setup cell is the one that installs the pinned nnlib on Colab (scripts/pin_nnlib.py writes that line).
SETUP_MARK = '"nnlib @ git+'
# Colab has no Japanese font: its figures would draw boxes. Debian's IPA Gothic (8 MB, a font of
# nnlib.i18n.figures.JAPANESE_FONTS) goes in after nnlib, inside the setup cell's Colab branch. Not run on Colab here
# (no internet): the package and the font's discovery after a late install are checked on Debian.
COLAB_FONT_LINE = (
    "    !apt-get install -y -qq fonts-ipafont-gothic > /dev/null  # 図の日本語の文字（Colab には日本語フォントがない）"
)
# Directives whose body MyST parses as markdown (their title is one more message); any other fence is code.
MARKDOWN_DIRECTIVES = {"admonition", "note", "tip", "hint", "important", "warning", "caution", "attention", "danger",
                       "error", "seealso", "dropdown", "topic", "sidebar"}  # fmt: skip


def chapters() -> list[str]:
    """The notebook pages of _toc.yml, in reading order: ["notebooks/01_one_neuron", ...]."""

    def files(entries):
        for entry in entries or []:
            if "file" in entry:
                yield entry["file"]
            yield from files(entry.get("sections"))
            for part in entry.get("parts", []):
                yield from files(part.get("chapters"))
            yield from files(entry.get("chapters"))

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"], *files(toc.get("parts", [])), *files(toc.get("chapters", []))]
    return [page for page in pages if (ROOT / f"{page}.ipynb").is_file()]


def catalogue(docname: str) -> gettext.NullTranslations:
    """The page's Japanese catalogue as Sphinx's Japanese build uses it: the .po compiled as CatalogInfo.write_mo
    compiles it (fuzzy entries left out), read with gettext. No catalogue: nothing is translated."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po_path = LOCALE / f"{docname}.po"
    if not po_path.is_file():
        return gettext.NullTranslations()
    with open(po_path, encoding="utf-8") as po_file:
        po = read_po(po_file, "ja")
    mo = io.BytesIO()
    write_mo(mo, po, use_fuzzy=False)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


def message(text: str) -> str:
    """The catalogue key Sphinx extracts for a unit of text (sphinx.util.nodes.extract_messages)."""
    return text.replace("\n", " ").strip()


def translated(text: str, translations: gettext.NullTranslations) -> str | None:
    """`text`'s translation, or None where Sphinx's Locale transform keeps the English (no translation, or the same)."""
    msgid = message(text)
    if not msgid:  # an empty table cell: gettext("") is the catalogue's header
        return None
    msgstr = translations.gettext(msgid)
    if not msgstr or msgstr == msgid or not msgstr.strip():
        return None
    return msgstr


@lru_cache(maxsize=1)
def markdown_parser():
    """MyST's markdown-it parser with the book's extensions (_config.yml parse:), as myst-nb configures it."""
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

    parse = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["parse"]
    config = MdParserConfig(
        enable_extensions=set(parse.get("myst_enable_extensions", [])),
        dmath_double_inline=parse.get("myst_dmath_double_inline", False),
    )
    return create_md_parser(config, DocutilsRenderer)


def translate_markdown(source: str, translations: gettext.NullTranslations) -> str:
    """`source` (one markdown cell, or a directive's body) with each translatable unit replaced by its translation."""
    lines = source.split("\n")
    tokens = markdown_parser().parse(source)
    # line index -> its replacement (a list of lines; empty: the line is dropped)
    replaced: dict[int, list[str]] = {}

    def put(start: int, end: int, new_lines: list[str]) -> None:
        replaced[start] = new_lines
        for i in range(start + 1, end):
            replaced[i] = []

    for i, token in enumerate(tokens):
        if token.type == "inline" and token.map and tokens[i - 1].type in ("paragraph_open", "heading_open"):
            new = translated(token.content, translations)
            if new is None:
                continue
            start, end = token.map
            first = token.content.split("\n")[0]
            prefix = lines[start][: lines[start].index(first)]
            continuation = " " * len(prefix) if tokens[i - 1].type == "paragraph_open" else ""
            # a heading's closing #s, if any, stay
            suffix = (
                lines[start][lines[start].index(first) + len(first) :] if tokens[i - 1].type == "heading_open" else ""
            )
            new_lines = new.split("\n")
            put(start, end, [prefix + new_lines[0] + suffix, *(continuation + line for line in new_lines[1:])])
        elif token.type == "tr_open" and token.map:
            cells = []
            j = i + 1
            while tokens[j].type != "tr_close":
                if tokens[j].type == "inline":
                    cells.append(tokens[j].content)
                j += 1
            news = [translated(cell, translations) for cell in cells]
            if any(news):
                row = [cell if new is None else new.replace("|", "\\|") for cell, new in zip(cells, news, strict=True)]
                start, end = token.map
                put(start, end, ["| " + " | ".join(row) + " |"])
        elif token.type == "math_block" and token.map:
            new = translations.gettext(token.content)
            if new and new != token.content and new.strip():
                start, end = token.map
                put(start, end, [f"$${new}$$"])
        elif token.type in ("fence", "colon_fence") and token.map:
            match = re.match(r"\{([\w-]+)\}\s*(.*)", token.info.strip())
            if not match or match.group(1) not in MARKDOWN_DIRECTIVES:
                continue
            directive, title = match.groups()
            new_title = translated(title, translations) if title else None
            options, body = split_options(token.content)
            new_body = translate_markdown(body, translations)
            if new_title is None and new_body == body:
                continue
            start, end = token.map
            fence = token.markup
            header = f"{fence}{{{directive}}}" + (f" {new_title or title}" if title else "")
            inner = (options + new_body).rstrip("\n").split("\n")
            put(start, end, [header, *inner, fence])

    out = []
    for i, line in enumerate(lines):
        out.extend(replaced.get(i, [line]))
    return "\n".join(out)


def split_options(content: str) -> tuple[str, str]:
    """A directive's content split into its option lines (`:class: dropdown`, then a blank line) and its body."""
    lines = content.split("\n")
    n = 0
    while n < len(lines) and re.match(r":[\w-]+:", lines[n]):
        n += 1
    if n and n < len(lines) and not lines[n].strip():
        n += 1
    return "".join(line + "\n" for line in lines[:n]), "\n".join(lines[n:])


def climb_one_more(markdown: str) -> str:
    """Relative link targets leaving notebooks/ (`](../book/x.md)`) leave notebooks/ja/ too."""
    return re.sub(r"\]\(\.\./", "](../../", markdown)


def japanese_notebook(docname: str) -> nbformat.NotebookNode:
    """The Japanese notebook of the page `docname` (e.g. notebooks/01_one_neuron), without outputs."""
    english = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
    translations = catalogue(docname)
    nb = copy.deepcopy(english)
    nb.metadata.pop("widgets", None)
    setup_cells = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = climb_one_more(translate_markdown(cell.source, translations))
        elif cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            alt = figure_alt(cell)
            if alt and translated(alt, translations):
                cell.metadata.mystnb.image.alt = translated(alt, translations)
            if SETUP_MARK in cell.source:
                setup_cells += 1
                cell.source = with_language_line(cell.source, docname)
    if setup_cells != 1:
        raise SystemExit(
            f"{docname}.ipynb: expected one setup cell (the one installing {SETUP_MARK}...), found {setup_cells}"
        )
    return nb


def figure_alt(cell: nbformat.NotebookNode) -> str | None:
    """The text alternative of a code cell's figure (its metadata mystnb.image.alt, which myst-nb gives the image)."""
    return cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")


def add_figure_alts(pot_folder: Path) -> int:
    """Add each chapter's figure alt texts to its page catalogue template (pot_folder/notebooks/NN_x.pot, written by
    Sphinx's gettext builder, which leaves the outputs' images out); returns how many were added. A cell's alt text
    lives in its metadata, not in the page's text, so Sphinx never extracts it; the Japanese notebook takes its
    translation (japanese_notebook), and so does the Japanese page, which shows that notebook's cells."""
    from babel.messages.pofile import read_po, write_po

    added = 0
    for docname in chapters():
        pot = pot_folder / f"{docname}.pot"
        with open(pot, "rb") as f:
            catalog = read_po(f)
        english = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
        for cell in english.cells:
            alt = figure_alt(cell) if cell.cell_type == "code" else None
            if alt:
                catalog.add(
                    message(alt), locations=[(f"../../{docname}.ipynb", None)], auto_comments=["a figure's alt text"]
                )
                added += 1
        with open(pot, "wb") as f:
            write_po(f, catalog, width=76, omit_header=False)
    return added


def with_language_line(source: str, docname: str) -> str:
    lines = source.split("\n")
    if "import nnlib" not in lines:
        raise SystemExit(f"{docname}.ipynb: its setup cell has no line `import nnlib` to put the language switch after")
    at = lines.index("import nnlib") + 1
    lines = [*lines[:at], *LANGUAGE_LINES, *lines[at:]]
    pip = [i for i, line in enumerate(lines) if SETUP_MARK in line and line.lstrip().startswith("%pip install")]
    if len(pip) != 1:
        raise SystemExit(f"{docname}.ipynb: its setup cell has no one `%pip install` of nnlib to put the font after")
    return "\n".join([*lines[: pip[0] + 1], COLAB_FONT_LINE, *lines[pip[0] + 1 :]])


def ja_path(docname: str) -> Path:
    return JA_FOLDER / f"{Path(docname).name}.ipynb"


def text_of(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """What the staleness check compares: each cell's id, type, source and figure alt text (not outputs, which
    execution writes)."""
    return [(cell.get("id", ""), cell.cell_type, cell.source, figure_alt(cell) or "") for cell in nb.cells]


def stale() -> list[str]:
    """The chapters whose Japanese notebook is missing, or differs in markdown or code from today's sources."""
    problems = []
    for docname in chapters():
        path = ja_path(docname)
        if not path.is_file():
            problems.append(f"{path.relative_to(ROOT)} is missing")
            continue
        committed = text_of(nbformat.read(path, as_version=4))
        fresh = text_of(japanese_notebook(docname))
        if committed != fresh:
            cells = [c[0] for c, f in zip(committed, fresh, strict=False) if c != f] or ["(number of cells)"]
            problems.append(
                f"{path.relative_to(ROOT)} differs from its English notebook and catalogue in cells {cells}"
            )
    known = {ja_path(docname).name for docname in chapters()}
    problems += [f"{p.relative_to(ROOT)} is no chapter of _toc.yml: delete it" for p in sorted(JA_FOLDER.glob("*.ipynb"))
                 if p.name not in known]  # fmt: skip
    return problems


def write(names: list[str]) -> list[Path]:
    """Write the Japanese notebooks of the chapters named (all when none: then also delete those of chapters
    _toc.yml no longer lists), without outputs."""
    docnames = chapters()
    if names:
        unknown = [n for n in names if f"notebooks/{Path(n).stem}" not in docnames]
        if unknown:
            raise SystemExit(f"not chapters of _toc.yml: {unknown}; chapters: {[Path(d).name for d in docnames]}")
        docnames = [d for d in docnames if Path(d).name in {Path(n).stem for n in names}]
    JA_FOLDER.mkdir(exist_ok=True)
    if not names:  # a chapter renamed, split or dropped in _toc.yml leaves no Japanese notebook behind
        for orphan in set(JA_FOLDER.glob("*.ipynb")) - {ja_path(d) for d in docnames}:
            orphan.unlink()
    written = []
    for docname in docnames:
        nbformat.write(japanese_notebook(docname), ja_path(docname))
        written.append(ja_path(docname))
    return written


# --- the Japanese edition's build (a Sphinx extension; it does nothing in the English edition) ----------------


def page_notebook(docname: str, english_source: str) -> str:
    """What the Japanese build reads for a chapter page: the English notebook's markdown (Sphinx translates it through
    the page catalogue, the one source of the page's text) with the Japanese notebook's code cells and stored
    outputs (nnlib's words in Japanese, made by `make notebooks-ja`). Raises ValueError when the two notebooks'
    cells differ other than as japanese_notebook() makes them differ."""
    english = nbformat.reads(english_source, as_version=4)
    path = ja_path(docname)
    if not path.is_file():
        raise ValueError(f"notebooks/ja/{path.name} is missing: run make notebooks-ja")
    japanese = nbformat.read(path, as_version=4)
    expected = japanese_notebook(docname)
    code = [(c.get("id"), c.cell_type, c.source if c.cell_type == "code" else "") for c in japanese.cells]
    if code != [(c.get("id"), c.cell_type, c.source if c.cell_type == "code" else "") for c in expected.cells]:
        raise ValueError(
            f"notebooks/ja/{path.name}: its code cells are not those of {docname}.ipynb: run make notebooks-ja"
        )
    for page_cell, english_cell in zip(japanese.cells, english.cells, strict=True):
        if page_cell.cell_type == "markdown":
            page_cell.source = english_cell.source
            page_cell.metadata = english_cell.metadata
    return nbformat.writes(japanese)


def _language(app) -> str:
    return app.config.language or "en"


def read_japanese_outputs(app, docname: str, source: list[str]) -> None:
    if _language(app) != "ja" or docname not in _chapter_set():
        return
    # a new Japanese notebook makes Sphinx read the page again (its doctrees are kept between builds)
    app.env.note_dependency(str(ja_path(docname)))
    try:
        source[0] = page_notebook(docname, source[0])
    except ValueError as err:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(str(err), location=docname)


@lru_cache(maxsize=1)
def _chapter_set() -> frozenset[str]:
    return frozenset(chapters())


def launch_japanese_notebooks(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The launch buttons (sphinx-book-theme's, made just before) open notebooks/ja/NN_x.ipynb."""
    if _language(app) != "ja" or pagename not in _chapter_set():
        return
    english = f"/{pagename}.ipynb"
    japanese = "/" + ja_path(pagename).relative_to(ROOT).as_posix()
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            for button in group.get("buttons", []):
                if "url" in button:
                    button["url"] = button["url"].replace(english, japanese)


def download_japanese_notebooks(app, exception) -> None:
    """The download button's .ipynb (the page's source, copied to _sources/) is the Japanese notebook."""
    if exception is not None or _language(app) != "ja" or app.builder.format != "html":
        return
    import shutil

    for docname in _chapter_set():
        target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        if target.is_file():
            shutil.copyfile(ja_path(docname), target)


CATALOGUE_SCRIPT = re.compile(r'<script type="application/json" class="nnlib-i18n"[^>]*>.*?</script>', re.S)


def one_catalogue_per_page(app, doctree, docname: str) -> None:
    """nnlib's forms rendered in Japanese carry nnlib's catalogue for the notebook they live in; the page already
    holds one copy (book/_ext/language_switch.py), so the outputs' copies are dropped (about 5 KB each)."""
    from docutils import nodes

    if _language(app) != "ja" or docname not in _chapter_set():
        return
    for node in list(doctree.findall(nodes.raw)):
        if "html" in node.get("format", "") and 'class="nnlib-i18n"' in node.astext():
            node.replace(node.children[0], nodes.Text(CATALOGUE_SCRIPT.sub("", node.astext())))


def setup(app) -> dict:
    app.connect("source-read", read_japanese_outputs)
    app.connect("doctree-resolved", one_catalogue_per_page)
    # after sphinx-book-theme's add_launch_buttons (priority 501)
    app.connect("html-page-context", launch_japanese_notebooks, priority=502)
    app.connect("build-finished", download_japanese_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("write", "check", "alts"):
        sys.exit("usage: python book/_ext/ja_notebooks.py write [NN_chapter ...] | check | alts POT_FOLDER")
    if sys.argv[1] == "alts":
        print(f"make: {add_figure_alts(Path(sys.argv[2]))} figure alt texts added to the page catalogues")
    elif sys.argv[1] == "write":
        print("\n".join(str(p.relative_to(ROOT)) for p in write(sys.argv[2:])))
    else:
        problems = stale()
        print("\n".join(problems) or "the Japanese notebooks are up to date")
        sys.exit(1 if problems else 0)
