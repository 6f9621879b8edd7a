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
"""

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

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


def _is_widget_support(script) -> bool:
    name = _filename(script)
    return REQUIREJS in name or HTML_MANAGER in name or _attributes(script).get("type") == WIDGET_STATE


def fix_page_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    renders_widgets = WIDGET_VIEW in (context.get("body") or "")
    kept = [s for s in scripts if not _is_thebe(s) and (renders_widgets or not _is_widget_support(s))]
    if renders_widgets:
        for i, script in enumerate(kept):
            if REQUIREJS in _filename(script):
                # The html-manager derives its asset path from its AMD module URI: map that module to vendor/.
                where = context["pathto"](HTML_MANAGER.rstrip("/"), 1)
                body = (f'require.config({{paths: {{"@jupyter-widgets/html-manager/dist": "{where}"}}}});'
                        + MATHJAX2_SHIM)
                kept.insert(i + 1, _JavaScript("", body=body, priority=script.priority))
                break
    scripts[:] = kept  # the builder's own list for this page; Sphinx restores it after the page


def setup(app: Sphinx) -> dict:
    # Late priority: after myst-nb and the theme have added their scripts for this page.
    app.connect("html-page-context", fix_page_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
