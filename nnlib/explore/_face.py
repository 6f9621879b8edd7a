"""The static face: the HTML block the book shows, drawn by the bundled JavaScript (dist/), and the
pre-rendered picture for readers without JavaScript (the same bundle run by Node at execution time).

The bundles are built from the ES modules in js/ by esbuild (`make bundles`) and shipped as package
data, so nothing here needs Node except the optional pre-rendering.
"""

import html
import json
import os
import shutil
import subprocess
from importlib import resources

# Around the inlined bundle and the pre-rendered figure: tests/nbval_sanitize.cfg blanks what lies between,
# so a fix in the drawing code does not invalidate every chapter's stored outputs (the drawing itself is
# tested in tests/test_explore*.py and tests/browser/).
CSS_MARK = "/*nnx-css*/"
JS_MARK, JS_END = "/*nnx-js*/", "/*end nnx-js*/"
SVG_MARK, SVG_END = "<!--nnx-svg-->", "<!--end nnx-svg-->"

# What a reader of a stored notebook sees above an explorer that needs its cell run.
RUN_NOTE = "Run this cell to move the sliders."


def asset(name):
    """The text of a file next to this module (e.g. "explore.css") or a bundle ("dist/explore-static.js")."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def asset_path(name):
    return resources.files(__package__).joinpath(name)


def css():
    return asset("explore.css")


def script(name):
    """A script's text: the bundle dist/`name` if there is one (e.g. "nn.js", "explore-static.js"), else the file."""
    bundle = asset_path("dist/" + name)
    return bundle.read_text(encoding="utf-8") if bundle.is_file() else asset(name)


# Scripts inlined together that have one bundle (js/build.mjs): the exercise forms' pair.
_BUNDLED_TOGETHER = {("nn.js", "exercises.js"): "exercises-form.js"}


def script_block(names, boot):
    """A `<script>` that inlines the scripts `names` (one name or several, see `script`) between the sanitised
    markers, then runs `boot`. Each output block carries its scripts (a Jupyter output cannot rely on another
    cell's)."""
    names = (names,) if isinstance(names, str) else tuple(names)
    if names in _BUNDLED_TOGETHER:
        names = (_BUNDLED_TOGETHER[names],)
    text = "\n".join(script(name) for name in names)
    return f"<script>{JS_MARK}\n{text}\n{JS_END}\n{boot}</script>"


def run_note_html(note=RUN_NOTE):
    """The run note for front ends that show the HTML face without running its script.

    explore.css hides it (`.nnx-runnote`), so it shows only where the face's <style> is gone too:
    JupyterLab and Notebook 7 sanitize the HTML of an untrusted notebook, dropping <style> and <script>
    but keeping inline `style` attributes.
    """
    return f'<p class="nnx-runnote" style="margin:4px 0;font-style:italic">{note}</p>'


def node_executable():
    """The Node.js program that pre-renders the figures: $NNLIB_NODE, else `node` on PATH, else None."""
    env = os.environ.get("NNLIB_NODE")
    if env is not None:
        return env if env and shutil.which(env) else None  # NNLIB_NODE="" switches pre-rendering off
    return shutil.which("node")


_PRERENDER_JS = """
const NX = require(process.argv[1]);
const jobs = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(jobs.map(([cfg, result]) =>
  ({svg: NX.renderSVG(cfg, result), readout: NX.renderReadout(cfg, result)}))));
"""
_PRERENDERED = {}


def prerender(config, result=None):
    """{"svg": markup, "readout": sentence} of an explorer's state, drawn by the page's own bundle in Node.

    config: the static face's configuration (kind, key, state, ...); result: the numbers to draw (as
    the live face receives them from nnlib), or None for the page's own compute. The same code as in
    the browser draws it, so the picture without JavaScript is the one the script then replaces.
    Cached per input. None without Node; a failing script is a bug and raises RuntimeError.
    """
    job = json.dumps([[config, result]], separators=(",", ":"), allow_nan=False)
    if job in _PRERENDERED:
        return _PRERENDERED[job]
    node = node_executable()
    if node is None:
        return None
    try:
        out = subprocess.run(
            [node, "-e", _PRERENDER_JS, str(asset_path("dist/explore-static.js"))],
            input=job,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    except OSError:
        return None
    if out.returncode != 0:
        raise RuntimeError(f"the explorers' bundle could not draw in Node:\n{out.stderr.strip()}")
    _PRERENDERED[job] = json.loads(out.stdout)[0]
    return _PRERENDERED[job]


def block_html(kind, key, title, description, size, figure, readout, controls):
    """The explorer's block (title, figure, readout, controls): the same HTML in both faces."""
    w, h = size
    k = html.escape(key)
    return (
        f'<div class="nnx nnx-{kind}" id="{k}" role="group" aria-labelledby="{k}-h">'
        f'<p class="nnx-h" id="{k}-h" data-i18n>{html.escape(title)}</p>'
        f'<svg class="nnx-svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{k}-t {k}-d">'
        f'<title id="{k}-t" data-i18n>{html.escape(title)}</title><desc id="{k}-d">{html.escape(description)}</desc>'
        f"{figure}</svg>"
        f'<p class="nnx-readout" aria-live="polite">{html.escape(readout)}</p>'
        f'<div class="nnx-controls">{controls}</div></div>'
    )


def static_html(config, block, size):
    """The static face: `block` with its pre-rendered figure, the style, the config and the bundle that wires it."""
    cfg = json.dumps(config, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    drawn = prerender(config)
    w, h = size
    if drawn is None:
        figure = (
            f'<text class="nnx-nojs" x="{w / 2:g}" y="{h / 2:g}" text-anchor="middle">'
            f"This figure is drawn by JavaScript: run the cell, or open the page in a browser.</text>"
        )
        readout = ""
    else:
        figure, readout = f"{SVG_MARK}{drawn['svg']}{SVG_END}", drawn["readout"]
    body = block(figure, readout)
    # the config and the script go inside the block, so the script finds its block as its parent
    tail = f'<script type="application/json" class="nnx-config">{cfg}</script>' + script_block(
        "explore-static.js", "nnlibExplore.boot(document.currentScript.parentNode);"
    )
    head = body.index(">") + 1
    return body[:head] + f"<style>{CSS_MARK}{css()}</style>" + body[head : -len("</div>")] + tail + "</div>"
