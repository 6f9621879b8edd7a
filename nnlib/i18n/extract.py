"""Extract nnlib's English messages into a gettext template, and compile a translated catalogue to JSON.

    python -m nnlib.i18n.extract pot _build/gettext/nnlib.pot      (make gettext; then sphinx-intl merges it)
    python -m nnlib.i18n.extract json locale/ja/LC_MESSAGES/nnlib.po nnlib/i18n/ja.json

The messages are found where they are written: `t("...")` in the browser code, `gettext("...")`, `_("...")` and
`N_("...")` in the Python, the `data-i18n` elements of the form template, and every exercise's title, field
labels, verdicts (and the words their {...} parts pick), worked solution and intro (the words the form shows;
the exercise is the one definition both faces render). Then, in a block of their own marked "figure", the words of
the figures: the chapters' titles, axis labels, legends and annotations (nnlib/i18n/figures.py). Needs Babel (a
dependency of Sphinx).
"""

import ast
import json
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
JS_CALL = re.compile(r"\bt\(")
JS_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
PY_MARKS = ("gettext", "N_", "_")
MARKED = re.compile(r"<(\w+)\b[^<>]*\sdata-i18n\b[^<>]*>([^<$]+)</\1>")
EXPRESSION_WORD = re.compile(r"'([^']*)'")  # a quoted word inside a verdict's {...} part


def _js_string(raw):
    return json.loads(f'"{raw}"')


def _js_messages(text):
    """The string literals of t(...)'s first argument: one message, or the two of a conditional."""
    for call in JS_CALL.finditer(text):
        i, depth, found = call.end(), 0, []
        while i < len(text):
            ch = text[i]
            if ch == '"':
                m = JS_STRING.match(text, i)
                found.append(_js_string(m.group(1)))
                i = m.end()
                continue
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                break
            i += 1
        yield from found


def _py_messages(text):
    """The string literals of gettext(...), N_(...) and _(...) calls (implicit concatenation joined)."""
    for node in ast.walk(ast.parse(text)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in PY_MARKS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


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
        for text in _js_messages(path.read_text(encoding="utf-8")):
            add(text, path.relative_to(PACKAGE.parent).as_posix())
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "i18n":
            continue  # this package's own docstrings show the calls
        for _line, text in sorted(_py_messages(path.read_text(encoding="utf-8"))):
            add(text, path.relative_to(PACKAGE.parent).as_posix())
    for path in sorted([*PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.py")]):
        if path.parent.name == "i18n":
            continue
        for m in MARKED.finditer(path.read_text(encoding="utf-8")):
            if not m.group(2).startswith(("{", "'", '"')) and "\n" not in m.group(2):  # words, not f-string code
                add(m.group(2), path.relative_to(PACKAGE.parent).as_posix())
    for exercise in _exercises():
        where = f"nnlib/exercises/{exercise.chapter}.py:{exercise.id}"
        add(exercise.title, where)
        for field in exercise.fields:
            add(field.label, where)
            if getattr(field, "row_label", None):
                add(field.row_label, where)
            for _value, text in getattr(field, "options", ()) or ():
                add(text, where)
        for rule in exercise.rules:
            add(rule.message_source, where)
            for word in EXPRESSION_WORD.findall(" ".join(re.findall(r"\{([^{}]+)\}", rule.message_source))):
                add(word, where)
        # worked solutions and intros are HTML, translated whole (<!--i18n--> in form.html)
        add(exercise.solution, where)
        add(exercise.intro, where)
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
