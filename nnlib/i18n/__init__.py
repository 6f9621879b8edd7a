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


def N_(msgid, **values):
    """Mark `msgid` for the catalogue and return it in English (with `values` in its placeholders): it is
    translated where it is shown (`translate_html` on a marked element, `t()` in the page)."""
    return fill(msgid, values) if values else msgid


def catalogue_script(lang=None, page=None):
    """The page's copy of `lang`'s catalogue for i18n.js (empty for English). With `page` (the page's HTML, its
    scripts inlined), only the messages the page's scripts and data can ask for: those written in it, as text, HTML
    or JSON. The whole catalogue is about 100 kB; a page needs a fraction of it."""
    lang = lang or language()
    table = messages(lang)
    if page is not None:
        table = {english: text for english, text in table.items() if _written_in(english, page)}
    if not table:
        return ""
    text = json.dumps(table, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" class="nnlib-i18n" data-lang="{lang}">{text}</script>'


def _written_in(message, page):
    """Whether `message` is written in `page` as it is, HTML-escaped or as a JSON or JavaScript string."""
    forms = {message, html.escape(message), html.escape(message, quote=False)}
    forms |= {json.dumps(message)[1:-1], json.dumps(message, ensure_ascii=False)[1:-1]}
    return any(form in page for form in forms)


# -- translating rendered HTML ---------------------------------------------------------------------------------
# What is translated (each English text looked up whole; a message with placeholders also matches a text it
# was filled into, its values translated in turn; a text of several sentences is tried sentence by sentence):
# - the text of an element marked `data-i18n` with no markup inside: <tag ... data-i18n ...>text</tag>;
# - the alt, title, aria-label and placeholder attributes of a tag marked `data-i18n` (or `data-i18n-attrs`);
# - HTML between <!--i18n--> and <!--/i18n-->, a message as a whole (a worked solution, an exercise's intro);
# - the <text> of the still pictures (SVG in an <img>'s data: URI) drawn by the page's code in Node.
MARKED = re.compile(r"(<(\w+)\b[^<>]*\sdata-i18n\b[^<>]*>)([^<]*)(</\2>)")
_MARKED_TAG = re.compile(r"<\w+\b[^<>]*\sdata-i18n(?:-attrs)?\b[^<>]*>")
_ATTRIBUTE = re.compile(r'(\s(?:alt|title|aria-label|placeholder)=")([^"]*)(")')
_HTML_BLOCK = re.compile(r"<!--i18n-->(.*?)<!--/i18n-->", re.S)
_STILL = re.compile(r"(<img [^>]*?src=\"data:image/svg\+xml,)([^\"]*)(\")")
_SVG_TEXT = re.compile(r"(<(text|tspan)\b[^<>]*>)([^<]+)(</\2>)")
_WORD = re.compile(r"[A-Za-z]{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


@functools.lru_cache(maxsize=None)
def _patterns(lang):
    """[(regex, names, translation, has words)] of the messages with placeholders, the most specific first."""
    found = []
    for english, translated in messages(lang).items():
        names = re.findall(r"\{(\w+)\}", english)
        if not names or english == "{" + names[0] + "}":
            continue
        pieces = re.split(r"\{\w+\}", english)
        # a value never runs over the end of a sentence (". " and a capital), so a message matches its own only
        body = r"((?:(?!\.\s+[A-Z]).)+?)".join(re.escape(p) for p in pieces)
        # a message of placeholders and punctuation only ("{row} {i}") matches a text only where one of its
        # values is a message ("neuron 0"): it would otherwise match any text
        words = bool(re.search(r"[A-Za-z]", "".join(pieces)))
        found.append((len("".join(pieces)), re.compile(body + r"\Z", re.S), names, translated, words))
    found.sort(key=lambda p: -p[0])  # the most specific message (the most literal text) first
    return [p[1:] for p in found]


def translate_text(text, lang=None):
    """One shown text in `lang`: a message (or a message filled with values, or sentences that are messages);
    what matches none stays as it is."""
    lang = lang or language()
    table = messages(lang)
    if not table:
        return text
    core = text.strip()
    if not core:
        return text
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    found = _translated(core, lang, table)
    if found is None:
        sentences = _SENTENCE_END.split(core)
        if len(sentences) > 1:
            done = [_translated(s, lang, table) for s in sentences]
            if any(d is not None for d in done):
                found = "".join((d if d is not None else s + " ") for s, d in zip(sentences, done)).rstrip()
    return text if found is None else lead + found + tail


# A value is looked up as a message in its turn, two levels deep at most: a value of a value of a message is as
# deep as the interfaces write, and each level tries every pattern. A join ("{first}, {second}": placeholders and
# punctuation only) does not count as a level: each of its parts must be a message, tried in order and given up at
# the first that is not, so a list of any length ("neuron 0, neuron 1, neuron 2, neuron 3") is translated whole,
# at the cost of one lookup per item.
_DEPTH = 2
# A value that is no message and holds a clause (four or more English words) or a list of words ("0, neuron 1")
# means the text was another message, matched too loosely: "neuron {i}" would take all of "neuron 0, neuron 1".
_LIST = re.compile(r"[,;]\s+[A-Za-z]{2,}")


def _stray_english(value):
    return len(_WORD.findall(value)) >= 4 or bool(_LIST.search(value))


@functools.lru_cache(maxsize=65536)
def _translated_cached(text, lang, depth):
    table = messages(lang)
    if text in table:
        return table[text]
    if depth > _DEPTH:
        return None
    for pattern, names, translated, words in _patterns(lang):
        m = pattern.match(text)
        if not m:
            continue
        # a value may itself be a message ("3 neurons" in "3 neurons and a second layer"); a join must be made of
        # messages only; no message is filled with stray English (above; a name such as "the book's network" may
        # stay English)
        found = {}
        for name, value in zip(names, m.groups()):
            found[name] = _translated_cached(value, lang, depth + 1 if words else depth)
            if found[name] is None and (not words or _stray_english(value)):
                break
        else:
            return fill(translated, {n: v if found[n] is None else found[n] for n, v in zip(names, m.groups())})
    return None


def _translated(text, lang, table):
    """`text` in `lang` if it is a message, or a message filled with values (themselves translated); else None."""
    return _translated_cached(text, lang, 0)


def translate_html(text, lang=None):
    """`text` (HTML) with its marked words (see above) translated into `lang`."""
    lang = lang or language()
    if not messages(lang):
        return text

    def element(m):
        english = html.unescape(m.group(3))
        return m.group(1) + html.escape(translate_text(english, lang), quote=False) + m.group(4)

    def attributes(m):
        return _ATTRIBUTE.sub(
            lambda a: a.group(1) + html.escape(translate_text(html.unescape(a.group(2)), lang)) + a.group(3),
            m.group(0),
        )

    def block(m):
        return "<!--i18n-->" + messages(lang).get(m.group(1).strip(), m.group(1)) + "<!--/i18n-->"

    text = _HTML_BLOCK.sub(block, text)
    text = _MARKED_TAG.sub(attributes, text)
    text = MARKED.sub(element, text)
    return _STILL.sub(lambda m: m.group(1) + _translate_still(m.group(2), lang) + m.group(3), text)


def _translate_still(uri, lang):
    """The text of a still picture's SVG (percent-encoded, as `_face.svg_data_uri` writes it) in `lang`."""
    from urllib.parse import quote, unquote

    doc = unquote(uri)
    new = _SVG_TEXT.sub(
        lambda m: m.group(1) + html.escape(translate_text(html.unescape(m.group(3)), lang), quote=False) + m.group(4),
        doc,
    )
    if new == doc:
        return uri
    return quote(new, safe="".join(chr(c) for c in range(32, 127) if chr(c) not in '%#<>"&'))


_follow_in_figures()  # NNLIB_LANG=ja: the figures of a notebook run with it are Japanese too
