"""Extract nnlib's English messages into a gettext template, and compile a translated catalogue to JSON.

    python -m nnlib.i18n.extract pot _build/gettext/nnlib.pot      (make gettext; then sphinx-intl merges it)
    python -m nnlib.i18n.extract json locale/ja/LC_MESSAGES/nnlib.po nnlib/i18n/ja.json

The messages are found where they are written: `t("...")` in the browser code, `gettext("...")` in the Python,
the `data-i18n` elements of the form template, and every exercise's title and field labels (the words the form
shows; the exercise is the one definition both faces render). Then, in a block of their own marked "figure", the
words of the figures: the chapters' titles, axis labels, legends and annotations (nnlib/i18n/figures.py). Needs Babel (a dependency of Sphinx).
"""

import ast
import json
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
JS_CALL = re.compile(r"""\bt\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")
PY_CALL = re.compile(r"""\b(?:gettext|N_)\(\s*(['"])((?:(?!\1)[^\\]|\\.)*)\1\s*[,)]""")
MARKED = re.compile(r"<(\w+)\b[^<>]*\sdata-i18n\b[^<>]*>([^<$]+)</\1>")


def _js_string(raw):
    return json.loads(f'"{raw}"')


def messages():
    """[(message, where)] in a stable order, each message once."""
    found = {}

    def add(text, where):
        text = text.strip()
        if text and text not in found:
            found[text] = where

    for path in sorted(PACKAGE.rglob("*.js")):
        if "dist" in path.parts:
            continue
        for m in JS_CALL.finditer(path.read_text(encoding="utf-8")):
            add(_js_string(m.group(1)), path.relative_to(PACKAGE.parent).as_posix())
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "i18n":
            continue  # this package's own docstrings show the calls
        for m in PY_CALL.finditer(path.read_text(encoding="utf-8")):
            add(
                ast.literal_eval(m.group(0)[m.group(0).index(m.group(1)) :].rstrip(",)").strip()),
                path.relative_to(PACKAGE.parent).as_posix(),
            )
    for path in sorted([*PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.py")]):
        if path.parent.name == "i18n":
            continue
        for m in MARKED.finditer(path.read_text(encoding="utf-8")):
            if not m.group(2).startswith("{"):  # an f-string's placeholder, not words
                add(m.group(2), path.relative_to(PACKAGE.parent).as_posix())
    for exercise in _exercises():
        where = f"nnlib/exercises/{exercise.chapter}.py:{exercise.id}"
        add(exercise.title, where)
        for field in exercise.fields:
            add(field.label, where)
            for _value, text in getattr(field, "options", ()) or ():
                add(text, where)
    return list(found.items())


def figure_messages(known=()):
    """[(message, where)] of the figures' text (nnlib/i18n/figures.py), without the messages in `known`."""
    from . import figures

    found = {}
    for text, where in figures.messages():
        if text not in known and text not in found:
            found[text] = where
    return list(found.items())


def _exercises():
    import importlib

    for n in range(1, 8):
        yield from importlib.import_module(f"nnlib.exercises.ch{n:02d}").EXERCISES


def write_pot(path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="nnlib", fuzzy=False)
    interface = messages()
    for text, where in interface:
        catalog.add(text, locations=[(where, 0)])
    # The figures' words come last, in a block of their own, each marked "#. figure" for the translator.
    for text, where in figure_messages({text for text, _ in interface}):
        catalog.add(text, locations=[(where, 0)], auto_comments=["figure"])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, width=76, omit_header=False, include_lineno=False)


def compiled(po_path):
    """{English: translation} of the translated, current (not fuzzy) entries of a catalogue."""
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def write_json(po_path, json_path):
    text = json.dumps(compiled(po_path), ensure_ascii=False, indent=0, sort_keys=True)
    Path(json_path).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pot":
        write_pot(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "json":
        write_json(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
