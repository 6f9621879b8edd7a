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

import gettext
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
        # nnlib's catalogue, once per page, for the explorers' and forms' scripts (nnlib/i18n/i18n.js)
        from nnlib.i18n import catalogue_script

        context["body"] = context.get("body", "") + catalogue_script(language)
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


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_to_header)
    app.connect("doctree-read", translate_captions)
    app.add_css_file("language-switch.css")
    app.connect("doctree-resolved", translate_outputs)
    app.connect("html-page-context", add_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
