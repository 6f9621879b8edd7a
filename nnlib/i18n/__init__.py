"""One message catalogue for nnlib's interfaces, read by its Python face, its JavaScript face and the book build.

The words of the exercise forms, the checkers' verdicts and the explorers are written in English in the code. Their
translations live in one gettext catalogue per language, locale/<lang>/LC_MESSAGES/nnlib.po (next to the book's
page catalogues, translated with the same tools); `make gettext` extracts the English messages
(nnlib/i18n/extract.py) and compiles each catalogue into nnlib/i18n/<lang>.json, shipped with nnlib. Then:

- Python (a notebook, Colab): `nnlib.i18n.set_language("ja")` (or NNLIB_LANG=ja) and `gettext(msgid)` returns the
  Japanese text; forms rendered in Python carry it.
- JavaScript (the page): nnlib/i18n/i18n.js picks the page's `<html lang>` and reads the same JSON from the page,
  which carries it once (`catalogue_script`; the bundles each explorer and form inline stay free of it).
- Figures: under Japanese, matplotlib's titles, labels and legends are translated as they are drawn, in a Japanese
  font (nnlib/i18n/figures.py); the chapters' code stays English.
- The book build: outputs stored by the English notebooks are English; the Japanese edition's build translates
  their marked elements (`data-i18n`) with `translate_html`, so the Japanese page is Japanese without JavaScript.

A message not in the catalogue (or untranslated) is shown in English: never a blank. Placeholders are `{name}`.
"""

import functools
import html
import json
import os
import re
from importlib import resources

LANGUAGES = ("en", "ja")
_chosen = None


def language():
    """The language of nnlib's messages: set_language's choice, else $NNLIB_LANG, else English."""
    return _chosen or _check(os.environ.get("NNLIB_LANG", "en") or "en", "NNLIB_LANG")


def set_language(lang):
    """Write nnlib's messages (forms, verdicts, explorers) in `lang` ("en" or "ja") from now on; None: back to
    the default ($NNLIB_LANG, else English)."""
    global _chosen
    _chosen = None if lang is None else _check(lang, "set_language")
    _follow_in_figures()


def _follow_in_figures():
    """Under a language other than English, matplotlib figures are drawn in it (nnlib/i18n/figures.py): the hook
    stays installed once it is, and puts English back when the language returns to English."""
    if language() == "en":
        return
    try:
        import matplotlib  # noqa: F401  (figures need it; nnlib's other faces do not)
    except ImportError:
        return
    from . import figures

    figures.install()


def _check(lang, where):
    short = str(lang).replace("_", "-").split("-")[0].lower()
    if short not in LANGUAGES:
        raise ValueError(f"{where}: no messages in {lang!r}; nnlib speaks {', '.join(LANGUAGES)}")
    return short


@functools.lru_cache(maxsize=None)
def messages(lang):
    """{English message: translation} of `lang` (empty for English)."""
    if lang == "en":
        return {}
    return json.loads(resources.files(__package__).joinpath(f"{lang}.json").read_text(encoding="utf-8"))


def fill(text, values):
    """Put `values` into the `{name}` placeholders of `text` (other braces are left alone)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def gettext(msgid, lang=None, **values):
    """`msgid` in `lang` (default: language()), with `values` put into its placeholders."""
    return fill(messages(lang or language()).get(msgid, msgid), values)


_ = gettext


def N_(msgid):
    """Mark `msgid` for the catalogue without translating it here (it is translated where it is shown)."""
    return msgid


def catalogue_script(lang=None):
    """The page's copy of `lang`'s catalogue for i18n.js (empty for English)."""
    lang = lang or language()
    table = messages(lang)
    if not table:
        return ""
    text = json.dumps(table, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" class="nnlib-i18n" data-lang="{lang}">{text}</script>'


# An element whose whole text is one message: <tag ... data-i18n ...>text</tag> (no markup inside).
MARKED = re.compile(r"(<(\w+)\b[^<>]*\sdata-i18n\b[^<>]*>)([^<]*)(</\2>)")


def translate_html(text, lang=None):
    """`text` (HTML) with the text of every `data-i18n` element translated into `lang`."""
    table = messages(lang or language())
    if not table:
        return text

    def swap(m):
        english = html.unescape(m.group(3)).strip()
        return m.group(1) + html.escape(table.get(english, english), quote=False) + m.group(4)

    return MARKED.sub(swap, text)


_follow_in_figures()  # NNLIB_LANG=ja: the figures of a notebook run with it are Japanese too
