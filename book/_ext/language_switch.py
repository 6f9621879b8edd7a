"""Sphinx extension: a link in every page's header to the same page in the book's other language.

The English edition is the site root; the Japanese edition is the same book built with `language = "ja"` into ja/
(book/_ext/edition.py). Both have the same page names, so the other edition's copy of a page is found by its name:
from English `notebooks/01_one_neuron.html` to `ja/notebooks/01_one_neuron.html`, and back. The link is plain HTML
in the header (works without JavaScript, reachable with Tab), written in the language it opens (`lang`, `hreflang`),
and each page names its other-language twin in <head> (`<link rel="alternate" hreflang>`) for search engines.
The `<html lang>` of each page comes from Sphinx's `language` (the theme writes it).

In an edition other than English it also translates what nnlib drew into the notebooks' stored outputs (the
exercise forms' words, marked `data-i18n`): the outputs are the English notebooks', and nnlib's one message
catalogue (nnlib/i18n, locale/<lang>/LC_MESSAGES/nnlib.po) holds their translations, so the page reads in its
language with JavaScript off too.
"""

import contextvars
import gettext
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# language -> (folder of that edition under the site root, the link's text written in that language)
EDITIONS = {"en": ("", "English"), "ja": ("ja/", "日本語")}
# The few words _config.yml gives the theme (not in any page, so not in the page catalogues): each with the English it
# translates, so that a changed English sentence stops the build (a warning; -W) instead of going stale.
CONFIG_TEXT = {
    "ja": {
        "author": ("The forward-pass course authors", "順伝播講座の著者一同"),
        "extra_footer": (
            "Course code: MIT licence. MNIST: CC BY-SA 3.0, LeCun, Cortes and Burges. Details on the Credits page.",
            "講座のコード：MIT ライセンス。MNIST：CC BY-SA 3.0、LeCun、Cortes、Burges。詳しくは「クレジットとライセンス」のページへ。",
        ),
    }
}
# What the themes, Sphinx and myst-nb write in English whatever the language (they carry no Japanese for it): the
# search box's placeholder, the labels and tooltips a screen reader reads (sidebars, colour mode, launch buttons,
# heading links, hidden code). The built Japanese pages (and the one script that writes such a label) get these
# attribute values replaced after the build; a value no page holds any more is a warning (-W: the build fails), so
# the table follows the themes' updates. tests/browser/test_japanese.py reads every page's labels for English.
THEME_TEXT = {
    "ja": {
        "The Forward Pass - Home": "The Forward Pass - ホーム",
        "Search this book...": "この本を検索…",
        "Toggle primary sidebar": "目次のサイドバーを開閉",
        "Toggle secondary sidebar": "ページ内目次のサイドバーを開閉",
        "System Settings": "システムの設定に従う",
        "Color mode": "配色",
        "Main": "メイン",
        "Page": "ページ",
        "Launch interactive content": "ノートブックを開く",
        "Launch on Colab": "Colab で開く",
        "Launch on Binder": "Binder で開く",
        "Colab logo": "Colab のロゴ",
        "Binder logo": "Binder のロゴ",
        "Link to this heading": "この見出しへのリンク",
        "Link to this term": "この用語へのリンク",
        "Toggle hidden content": "隠れた内容を開閉",
    }
}
THEMED_ATTRIBUTE = re.compile(r'(\s(?:aria-label|title|placeholder|data-bs-title|alt)=")([^"<>]*)(")')
# the scripts that write one of these labels themselves (sphinx-togglebutton's button over a hidden cell)
THEMED_SCRIPTS = ["_static/togglebutton.js"]
TEMPLATE = "language-switch.html"


def twin_url(pagename: str, language: str) -> tuple[str, str, str]:
    """The other edition's copy of `pagename`, relative to this page: (href, its language, link text)."""
    other = "en" if language == "ja" else "ja"
    up_to_edition_root = "../" * pagename.count("/")
    up_to_site_root = up_to_edition_root + ("../" if language == "ja" else "")
    folder, text = EDITIONS[other]
    return f"{up_to_site_root}{folder}{pagename}.html", other, text


def add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    language = app.config.language or "en"
    href, other, text = twin_url(pagename, language)
    context["language_switch"] = {"href": href, "lang": other, "text": text}
    if language != "en":
        # nnlib's catalogue, once per page, for the explorers' and forms' scripts (nnlib/i18n/i18n.js). First in the
        # body: an explorer's script runs where its output stands and reads the catalogue then.
        from nnlib.i18n import catalogue_script

        body = context.get("body", "")
        context["body"] = catalogue_script(language, page=body) + body
    context["metatags"] = context.get("metatags", "") + (f'\n<link rel="alternate" hreflang="{other}" href="{href}" />')


def add_to_header(app: Sphinx, config) -> None:
    config.templates_path = [str(Path(__file__).parent / "templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(Path(__file__).parent / "static")]
    options = dict(config.html_theme_options or {})
    header_end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if TEMPLATE not in header_end:
        header_end.insert(0, TEMPLATE)
    options["article_header_end"] = header_end
    for key, (english, translation) in CONFIG_TEXT.get(config.language or "en", {}).items():
        current = options.get(key) if key == "extra_footer" else getattr(config, key)
        if current != english:
            logger.warning(
                f"language_switch: _config.yml's {key} is now {current!r}; its {config.language} translation is "
                f"of {english!r}: update CONFIG_TEXT in book/_ext/language_switch.py"
            )
            continue
        if key == "extra_footer":
            options[key] = translation
        else:
            setattr(config, key, translation)
    config.html_theme_options = options


def translate_outputs(app: Sphinx, doctree, docname: str) -> None:
    language = app.config.language or "en"
    if language == "en":
        return
    from nnlib.i18n import translate_html

    for node in list(doctree.findall(nodes.raw)):
        if "html" in node.get("format", "") and "data-i18n" in node.astext():
            node.replace(node.children[0], nodes.Text(translate_html(node.astext(), language)))


def translate_captions(app: Sphinx, doctree) -> None:
    """The table of contents' part captions, from the root page's catalogue: sphinx-external-toc adds its toctrees
    after Sphinx translated the page, so their captions would stay English in the sidebar of every page."""
    language = app.config.language or "en"
    if language == "en":
        return
    catalogue = gettext.translation(
        app.config.root_doc,
        localedir=str(Path(app.srcdir) / app.config.locale_dirs[0]),
        languages=[language],
        fallback=True,
    )
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption"):
            toctree["caption"] = catalogue.gettext(toctree["caption"])


# The page being translated, while Sphinx's Locale transform parses its translations (see keep_glue_in_translations).
_translating = contextvars.ContextVar("translating", default=None)
GLUE_ROLE = re.compile(r"\{glue(?::(text))?\}`([^`]+)`")


def glued_values(source: str, glue_data: dict) -> str:
    """`source` (a translation) with its {glue} and {glue:text} roles replaced by the page's glued text, formatted
    as myst-nb formats it (format_plain_text), so both editions print the same numbers."""
    from myst_nb.core.variables import format_plain_text

    def value(match):
        kind, body = match.group(1), match.group(2)
        key, spec = body.rsplit(":", 1) if kind == "text" and ":" in body else (body, "")
        plain = glue_data.get(key, {}).get("data", {}).get("text/plain")
        if plain is None:
            return match.group(0)  # not glued here: myst-nb's own warning names it
        return format_plain_text(plain, spec) if spec else plain.strip("'")

    return GLUE_ROLE.sub(value, source)


def keep_glue_in_translations(app: Sphinx, config) -> None:
    """Let a translated paragraph print the notebook's glued values, as the English one does.

    Sphinx parses each translation as a small document of its own, in which myst-nb's glue roles find no glue data
    (and their output is lost). While a notebook page is being translated, the glue roles of each translation are
    replaced by the values glued in that notebook before Sphinx parses it: the same numbers in both editions, and
    tests/test_translations.py holds every translation to the English's glue roles.
    """
    if (config.language or "en") == "en":
        return
    from sphinx.transforms import i18n as sphinx_i18n

    if getattr(sphinx_i18n.Locale.apply, "keeps_glue", False):
        return
    locale_apply, publish_msgstr = sphinx_i18n.Locale.apply, sphinx_i18n.publish_msgstr

    def apply(self, **kwargs):
        token = _translating.set(self.document)
        try:
            return locale_apply(self, **kwargs)
        finally:
            _translating.reset(token)

    def publish_with_values(app, source, *args, **kwargs):
        if _translating.get() is not None and "{glue" in source:
            # myst-nb wrote the page's glue data next to the output folder when it parsed the notebook
            path = Path(app.outdir).parent / "jupyter_execute" / f"{app.env.docname}.glue.json"
            if path.is_file():
                source = glued_values(source, json.loads(path.read_text(encoding="utf-8")))
        return publish_msgstr(app, source, *args, **kwargs)

    apply.keeps_glue = True
    sphinx_i18n.Locale.apply = apply
    sphinx_i18n.publish_msgstr = publish_with_values


def translate_theme_text(app: Sphinx, exception) -> None:
    """The built pages' theme words (THEME_TEXT) in the edition's language."""
    table = THEME_TEXT.get(app.config.language or "en")
    if exception is not None or not table or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    english_of = {translated: english for english, translated in table.items()}
    used = set()  # what some page holds, in English or (a page an earlier build wrote, unchanged since) translated

    def attribute(m):
        if m.group(2) in english_of:
            used.add(english_of[m.group(2)])
        if m.group(2) in table:
            used.add(m.group(2))
            return m.group(1) + table[m.group(2)] + m.group(3)
        return m.group(0)

    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = THEMED_ATTRIBUTE.sub(attribute, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for name in THEMED_SCRIPTS:
        script = outdir / name
        if script.is_file():
            text = script.read_text(encoding="utf-8")
            for english, translated in table.items():
                if f'"{english}"' in text or f'"{translated}"' in text:
                    used.add(english)
                    text = text.replace(f'"{english}"', f'"{translated}"')
            script.write_text(text, encoding="utf-8")
    for english in sorted(set(table) - used):
        logger.warning(f"language_switch.THEME_TEXT: no page holds {english!r} any more: drop it from the table")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", keep_glue_in_translations)
    app.connect("config-inited", add_to_header)
    app.connect("doctree-read", translate_captions)
    app.add_css_file("language-switch.css")
    app.connect("doctree-resolved", translate_outputs)
    app.connect("html-page-context", add_switch)
    app.connect("build-finished", translate_theme_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
