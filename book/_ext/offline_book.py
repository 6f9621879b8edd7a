"""Sphinx extension: make the Jupyter Book 1.x site work offline and keep the browser console clean.

Fixes (not filters) for what a default Jupyter Book 1.x build does in the browser:

- sphinx-thebe (always loaded by Jupyter Book) adds its configuration script
  `const THEBE_JS_URL = "https://unpkg..."` twice to every page: the second declaration is a SyntaxError in
  the console, and the URL is a CDN. This book launches Binder and Colab instead of thebe, so thebe's
  scripts are removed from every page.
- myst-nb adds require.js, the ipywidgets html-manager and the saved widget state to every page whose
  notebook metadata holds widget state, even when no widget view is rendered there (this book renders the
  explorers' static HTML face instead, see `nb_mime_priority_overrides` in _config.yml). On such pages the
  three scripts are removed. Where a widget view IS rendered, the scripts are the local copies named in
  `nb_ipywidgets_js` (vendor/, from npm), and RequireJS is told where the html-manager lives so that its
  icon fonts load from vendor/html-manager/ rather than from a path next to the page; and the
  html-manager's MathJax 2 call is routed to MathJax 3.

Fixed in _config.yml: `html_context.default_mode` (the theme's "Got invalid theme mode" console error),
`html.favicon` (a 404 for /favicon.ico), `mathjax_path` (MathJax from vendor/, not a CDN).

Page weight and accessibility (a first visit of any page stays under 1.5 MB; axe-core finds no serious issue):

- Math is typeset at build time (prerender_math.js: MathJax 3 from npm, run by Node) into CommonHTML with
  hidden MathML for screen readers; pages carry the finished math, a stylesheet of the glyphs they use, and no
  MathJax script (tex-chtml.js alone is 1.16 MB). Search snippets then show words, not raw TeX. A display
  equation wider than the column scrolls inside its own box (course.css draws a shadow at the edge that has
  more), and the box is keyboard-focusable so that it can be scrolled without a mouse.
- The theme's fontawesome.js (1.49 MB: every icon as JavaScript that swaps <i> for <svg>) is dropped from
  every page (its template writes the tag itself, so the tag is removed from the written page). The
  theme's CSS already draws the same icons from the Font Awesome webfonts; those fonts are cut down to the
  dozen glyphs the pages use (fontTools, which ships with matplotlib), a few kB instead of 274 kB.
- Every explorer, trainer and form output carries its JavaScript bundle inline (a notebook output cannot load
  another's), so a page with twelve explorers carried the same 48 kB twelve times. The book hoists each bundle
  into one file, `_static/nnx/<hash>.js`, that every block loads with `<script src>`: a page downloads each bundle
  once and the next page finds it in the cache. The blocks behave as before (the bundle still runs, in order,
  right before the block's own boot script).
- Images in the article load lazily (`loading="lazy"`): a first visit fetches the figures in view, and the
  rest as the reader scrolls.
- The search buttons' aria-label "Search" hid their visible text ("Search Ctrl+K"), and myst-nb's "Show code cell
  source" toggles were labelled "Toggle hidden content" (axe's label-content-name-mismatch): those labels are
  removed, so the visible text is the name. Icons are aria-hidden.
"""

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
REQUIREJS = "vendor/requirejs/"
HTML_MANAGER = "vendor/html-manager/"
# The html-manager typesets widget labels through MathJax 2's `MathJax.Hub.Queue`; the book runs MathJax 3,
# which has `typesetPromise` instead (without this, rendering a widget throws "reading 'Queue'").
MATHJAX2_SHIM = """
(function () {
  var hub = {Queue: function (cmd) {
    if (window.MathJax && window.MathJax.typesetPromise) { window.MathJax.typesetPromise([cmd[2]]); }
  }};
  var config = window.MathJax = window.MathJax || {};
  config.Hub = hub;
  var startup = config.startup = config.startup || {};
  var ready = startup.ready;
  startup.ready = function () {
    if (ready) { ready(); } else { window.MathJax.startup.defaultReady(); }
    window.MathJax.Hub = hub;  // MathJax 3 replaced the config object: put the shim back
  };
})();"""


def _filename(script) -> str:
    return (getattr(script, "filename", None) or "").split("?")[0]


def _attributes(script) -> dict:
    return getattr(script, "attributes", None) or {}


def _is_thebe(script) -> bool:
    return _filename(script).endswith("sphinx-thebe.js") or "THEBE_JS_URL" in _attributes(script).get("body", "")


def _is_fontawesome(script) -> bool:
    return _filename(script).endswith("scripts/fontawesome.js")


def _is_mathjax(script) -> bool:
    return "vendor/mathjax/" in _filename(script) or _attributes(script).get("body", "").startswith("window.MathJax")


def _is_widget_support(script) -> bool:
    name = _filename(script)
    return REQUIREJS in name or HTML_MANAGER in name or _attributes(script).get("type") == WIDGET_STATE


def fix_page_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    renders_widgets = WIDGET_VIEW in (context.get("body") or "")
    # A rendered widget view may typeset its labels in the browser: only such pages keep MathJax.
    kept = [
        s
        for s in scripts
        if not _is_thebe(s)
        and not _is_fontawesome(s)
        and (renders_widgets or not (_is_widget_support(s) or _is_mathjax(s)))
    ]
    if renders_widgets:
        for i, script in enumerate(kept):
            if REQUIREJS in _filename(script):
                # The html-manager derives its asset path from its AMD module URI: map that module to vendor/.
                where = context["pathto"](HTML_MANAGER.rstrip("/"), 1)
                body = (
                    f'require.config({{paths: {{"@jupyter-widgets/html-manager/dist": "{where}"}}}});' + MATHJAX2_SHIM
                )
                kept.insert(i + 1, _JavaScript("", body=body, priority=script.priority))
                break
    scripts[:] = kept  # the builder's own list for this page; Sphinx restores it after the page


# --- after the build: typeset math, subset the icon fonts, mend the theme's markup ---------------------------

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MATH_SPAN = re.compile(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>', re.S)
MATH_DIV = re.compile(r'(<div class="math notranslate nohighlight"[^>]*>)\s*\\\[(.*?)\\\]\s*</div>', re.S)
ASSET_DIRS = {"_static", "_sources", "_images", "vendor", "_downloads", "_sphinx_design_static"}
FA_FONTS = {"fa-solid-900": "Font Awesome 6 Free", "fa-brands-400": "Font Awesome 6 Brands"}
FA_WEIGHT = {"fa-solid-900": 900, "fa-brands-400": 400}
SUBSET_CSS = "fa-subset.css"


def _pages(outdir: Path):
    for path in sorted(outdir.rglob("*.html")):
        if path.relative_to(outdir).parts[0] not in ASSET_DIRS:
            yield path


def _typeset(tex_items, font_url, page):
    """Typeset [(tex, display)] with MathJax in Node: the HTML of each, and the stylesheet they need."""
    node = shutil.which("node")
    if node is None:
        raise ExtensionError(
            "offline_book: Node.js is needed to typeset the math at build time "
            "(apt-get install nodejs npm, then make vendor)"
        )
    if not (ROOT / "node_modules" / "mathjax").is_dir():
        raise ExtensionError("offline_book: node_modules/mathjax is missing: run `make vendor` (npm ci)")
    request = {"fontURL": font_url, "items": [{"tex": t, "display": d} for t, d in tex_items]}
    env = dict(os.environ, NODE_PATH=str(ROOT / "node_modules"))
    done = subprocess.run(
        [node, str(HERE / "prerender_math.js")],
        input=json.dumps(request),
        text=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    if done.returncode != 0:
        raise ExtensionError(f"offline_book: typesetting the math of {page} failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout)
    for error in result["errors"]:
        logger.warning(f"{page}: TeX error in {error}", type="offline_book", subtype="math")
    return result["html"], result["css"]


def _prerender_math(page: Path, text: str, outdir: Path) -> str:
    items = [(html.unescape(m.group(1)), False) for m in MATH_SPAN.finditer(text)]
    items += [(html.unescape(m.group(2)).strip(), True) for m in MATH_DIV.finditer(text)]
    if not items:
        return text
    depth = len(page.relative_to(outdir).parts) - 1
    rendered, css = _typeset(
        items, "../" * depth + "vendor/mathjax/output/chtml/fonts/woff-v2", page.relative_to(outdir)
    )
    inline = iter(rendered[: len(items) - len(MATH_DIV.findall(text))])
    display = iter(rendered[len(items) - len(MATH_DIV.findall(text)) :])
    text = MATH_SPAN.sub(lambda m: next(inline), text)
    # A display equation is a box of its own that scrolls sideways when it is wider than the column.
    text = MATH_DIV.sub(
        lambda m: m.group(1) + next(display).replace('display="true"', 'display="true" tabindex="0"', 1) + "</div>",
        text,
    )
    return text.replace("</head>", f'<style id="mathjax-chtml">{css}</style>\n</head>', 1)


def _mend_theme_markup(text: str) -> str:
    # The theme's template loads Font Awesome's JavaScript itself (not through Sphinx's script list).
    text = re.sub(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>', "", text)
    # The search buttons show "Search Ctrl+K"; aria-label="Search" named them otherwise (WCAG 2.5.3).
    # (in every edition: the Japanese one's label is 検索)
    text = re.sub(r'(<button class="btn search-button-field [^"]*"[^>]*?) aria-label="[^"]*"', r"\1", text)
    # myst-nb's "Show code cell source" toggles were named "Toggle hidden content", not what they show.
    text = text.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    # Icon glyphs are decoration next to a text or an aria-label.
    text = re.sub(r'<(i|span) class="(fa[bsr]? |fa-[a-z]+ )', r'<\1 aria-hidden="true" class="\2', text)
    # Figures below the first screen load when the reader scrolls to them.
    article = text.find('<article class="bd-article"')
    if article >= 0:
        head, body = text[:article], text[article:]
        body = re.sub(r"<img (?![^>]*\bloading=)", '<img loading="lazy" decoding="async" ', body)
        text = head + body
    return text


def _subset_icon_fonts(outdir: Path, used_icons: set) -> None:
    """Cut the Font Awesome webfonts down to the glyphs of the icons the pages use (a few kB each)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    theme_css = (outdir / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    codepoints = set()
    for name in used_icons:
        found = re.search(r"\.fa-" + re.escape(name) + r':before(?:,[^{}]*)?\{content:"\\([0-9a-f]+)"', theme_css)
        if found:
            codepoints.add(int(found.group(1), 16))
    fonts_dir = outdir / "_static" / "vendor" / "fontawesome" / "webfonts"
    rules = []
    for stem, family in FA_FONTS.items():
        source = fonts_dir / f"{stem}.woff2"
        if not source.is_file():
            continue
        try:
            font = TTFont(str(fonts_dir / f"{stem}.ttf"))
        except Exception:  # noqa: BLE001 - the .ttf ships beside the .woff2 in the theme; without it keep the full font
            continue
        keep = [c for c in codepoints if c in font.getBestCmap()]
        if not keep:
            continue
        options = subset.Options()
        options.flavor = "woff"  # zlib: no brotli module needed
        options.layout_features = []
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        target = outdir / "_static" / f"{stem}-subset.woff"
        font.flavor = "woff"
        font.save(str(target))
        rules.append(
            f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{FA_WEIGHT[stem]};'
            f'font-display:block;src:url({target.name}) format("woff")}}'
        )
    (outdir / "_static" / SUBSET_CSS).write_text(
        "/* Generated by offline_book.py: Font Awesome cut down to the icons this site uses. */\n"
        + "\n".join(rules)
        + "\n",
        encoding="utf-8",
    )


# An output's inlined bundle (nnlib/explore/_face.py, script_block): the markers, the bundle, then the boot code.
_INLINE_BUNDLE = re.compile(r"<script>/\*nnx-js\*/\n(.*?)\n/\*end nnx-js\*/\n", re.S)


def _hoist_bundles(page: Path, text: str, outdir: Path) -> str:
    """Each inlined bundle of `text` moved into `_static/nnx/<sha256>.js`, loaded by a `<script src>` in its place."""

    def hoisted(match):
        code = match.group(1)
        target = outdir / "_static" / "nnx" / (hashlib.sha256(code.encode()).hexdigest()[:20] + ".js")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code, encoding="utf-8")
        src = os.path.relpath(target, page.parent).replace(os.sep, "/")
        return f'<script src="{html.escape(src)}"></script><script>'

    return _INLINE_BUNDLE.sub(hoisted, text)


# nnlib marks the words it writes into outputs for translation (`data-i18n`, `data-i18n-attrs`; nnlib/i18n). The
# Japanese build has translated them by now (language_switch.py), and no script reads the marks: they go.
_TRANSLATION_MARK = re.compile(r' data-i18n(?:-attrs="[^"]*"|="")?(?=[\s>/])')


def finish_pages(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    used_icons = set()
    for page in _pages(outdir):
        text = page.read_text(encoding="utf-8")
        new = _hoist_bundles(page, _mend_theme_markup(_prerender_math(page, text, outdir)), outdir)
        new = _TRANSLATION_MARK.sub("", new)
        used_icons |= set(re.findall(r"\bfa-([a-z0-9-]+)", new))
        if new != text:
            page.write_text(new, encoding="utf-8")
    used_icons.add("xmark")  # pydata-sphinx-theme.js adds it to the search dialog
    _subset_icon_fonts(outdir, used_icons)


def setup(app: Sphinx) -> dict:
    # Late priority: after myst-nb and the theme have added their scripts for this page.
    app.connect("html-page-context", fix_page_scripts, priority=900)
    # Early enough that the link is on every page; the file itself is written when the build finishes.
    app.add_css_file(SUBSET_CSS, priority=900)
    app.connect("build-finished", finish_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
