"""The static face: the HTML block the book shows, drawn by the bundled JavaScript (dist/), and the
pre-rendered picture for readers without JavaScript (the same bundle run by Node at execution time).

The bundles are built from the ES modules in js/ by esbuild (`make bundles`) and shipped as package
data, so nothing here needs Node except the optional pre-rendering.
"""

import html
import json
import os
import re
import shutil
import subprocess
from importlib import resources

from ..i18n import N_, catalogue_script, language, translate_html

# Around the inlined bundle and the pre-rendered figure: tests/nbval_sanitize.cfg blanks what lies between,
# so a fix in the drawing code does not invalidate every chapter's stored outputs (the drawing itself is
# tested in tests/test_explore*.py and tests/browser/).
CSS_MARK = "/*nnx-css*/"
JS_MARK, JS_END = "/*nnx-js*/", "/*end nnx-js*/"
SVG_MARK, SVG_END = "<!--nnx-svg-->", "<!--end nnx-svg-->"

# What a reader sees in an explorer whose script has not run (a stored or untrusted notebook, a page with
# JavaScript off): the figure is a still picture, the controls are disabled, and this note says what wakes them
# (each explorer names its own controls: `Explorer.run_note`).
RUN_NOTE = N_("A still picture. Run this cell (or open the page with JavaScript on) to move the sliders.")
STILL_NOTE_STYLE = "margin:4px 0;font-style:italic;color:#444"

# Inline styles that lay out a block where its <style> is gone: JupyterLab's and Notebook 7's sanitizer drops
# <style>, <script> and inline SVG from an untrusted notebook, and the `hidden` attribute, but keeps `style`
# attributes whose values its allow-list knows (display none, margin, padding, border, width, font-weight).
# explore.css overrides them where it says otherwise (!important), so with the stylesheet they never count.
BLOCK_STYLE = "border:1px solid #ccc;border-radius:6px;padding:8px 10px;margin:8px 0;max-width:920px;font-family:system-ui,sans-serif"
TITLE_STYLE = "font-weight:600;margin:0 0 4px"
CONTROL_STYLE = "margin-right:1.5em"


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
    """The note a block shows until its script runs (the script hides it): in a stored or untrusted notebook,
    in a stand-in, and on a page read with JavaScript off."""
    return f'<p class="nnx-runnote" style="{STILL_NOTE_STYLE}" data-i18n>{html.escape(note)}</p>'


def svg_data_uri(markup):
    """`markup` (a whole <svg> document) as a `data:image/svg+xml,` URI for an <img src>.

    Percent-encoded, not base64: attributes are put in single quotes and only the characters a URI or the
    HTML attribute cannot hold are escaped (%, #, <, >, ", &, line ends, non-ASCII), so the text grows by about
    a tenth instead of base64's third. An
    <img> survives JupyterLab's sanitizer, where an inline <svg> is dropped and its text runs together.
    """
    # attributes in single quotes: a double quote would cost three characters each
    markup = re.sub(r'(\s[\w:-]+)="([^"\']*)"', r"\1='\2'", markup)
    out = []
    for ch in markup:
        if ch in '%#<>"&' or ord(ch) < 32 or ord(ch) > 126:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "data:image/svg+xml," + "".join(out)


def still_svg(face):
    """The drawing inside the first still picture of `face` (static-face HTML): the children of its <svg>, as
    the bundle drew them (the inverse of `still_img`); None if there is none."""
    from urllib.parse import unquote

    found = re.search(re.escape(SVG_MARK) + r'<img [^>]*?src="data:image/svg\+xml,([^"]*)"', face)
    if not found:
        return None
    doc = re.sub(r"(\s[\w:-]+)='([^\"']*)'", r'\1="\2"', unquote(found.group(1)))  # the bundle's quotes
    return doc[doc.index("</style>") + len("</style>") : -len("</svg>")]


# The figure's text inside an <img>: no page stylesheet reaches it, so the picture carries its own.
_IMG_SVG_STYLE = "<style>text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:#222}</style>"


# A still picture grows with the text column, as the live figure does, up to this many times its drawn size (the
# gallery's live explorer figures measured 1.04 to 1.27 times theirs at 1280 px); larger, its words would stand out
# beside every other figure's.
STILL_MAX_SCALE = 1.4
# The widest the figures of the fit with N neurons and of the matrix flow are shown, in px: explore.css caps their
# live <svg> (.nnx-fitn, .nnx-flow) at this, their still pictures take it inline.
NARROW_FIGURE_PX = 560


def still_img(inner, size, alt, cls="nnx-img", style="width:100%;height:auto;display:block", max_width=None):
    """An <img> of the SVG drawing `inner` (the children of an <svg> of `size`), with alt text `alt`, at most
    `max_width` px wide (default STILL_MAX_SCALE times its width), inline: the page's stylesheet may be gone."""
    w, h = size
    style = f"{style};max-width:{max_width or round(STILL_MAX_SCALE * w)}px"
    doc = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}' width='{w}' height='{h}'>"
        f"{_IMG_SVG_STYLE}{inner}</svg>"
    )
    return (
        f'<img class="{cls}" src="{svg_data_uri(doc)}" width="{w}" height="{h}" alt="{html.escape(alt)}" data-i18n-attrs '
        f'style="{style}">'
    )


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


def run_bundle(script, bundle, job, what, timeout=60):
    """The JSON that `script` prints when Node runs it on `bundle` (a file of dist/, its path in argv[1]) with
    `job` (JSON-serialisable) on stdin; cached per bundle and job. The static faces' pictures are drawn this
    way, by the page's own code. None without Node; a failing script is a bug and raises RuntimeError naming
    `what` could not be drawn."""
    job = json.dumps(job, separators=(",", ":"), allow_nan=False)
    if (bundle, job) in _PRERENDERED:
        return _PRERENDERED[bundle, job]
    node = node_executable()
    if node is None:
        return None
    try:
        out = subprocess.run(
            [node, "-e", script, str(asset_path("dist/" + bundle))],
            input=job,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )
    except OSError:
        return None
    if out.returncode != 0:
        raise RuntimeError(f"{what} could not be drawn in Node ({bundle}):\n{out.stderr.strip()}")
    _PRERENDERED[bundle, job] = json.loads(out.stdout)
    return _PRERENDERED[bundle, job]


def prerender(config, result=None):
    """{"svg": markup, "readout": sentence} of an explorer's state, drawn by the page's own bundle in Node.

    config: the static face's configuration (kind, key, state, ...); result: the numbers to draw (as
    the live face receives them from nnlib), or None for the page's own compute. The same code as in
    the browser draws it, so the picture without JavaScript is the one the script then replaces.
    Cached per input. None without Node; a failing script is a bug and raises RuntimeError.
    """
    drawn = run_bundle(_PRERENDER_JS, "explore-static.js", [[config, result]], "the explorer's picture")
    return None if drawn is None else drawn[0]


_STILLS_JS = """
const zlib = require("zlib");
const NX = require(process.argv[1]);
const [cfg, epochs] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const CRC = new Int32Array(256).map((_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c; });
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length), body = Buffer.concat([Buffer.from(type), data]);
  let c = -1; for (const b of body) c = CRC[(c ^ b) & 255] ^ (c >>> 8);
  out.writeUInt32BE(data.length, 0); body.copy(out, 4); out.writeInt32BE(c ^ -1, 8 + data.length);
  return out;
}
function png(w, h, rgba) {  // RGB, 8 bits, no filter
  const raw = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < 3; k++) raw[y * (1 + 3 * w) + 1 + 3 * x + k] = rgba[4 * (y * w + x) + k];
  const head = Buffer.alloc(13); head.writeUInt32BE(w, 0); head.writeUInt32BE(h, 4); head[8] = 8; head[9] = 2;
  const file = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", head),
    chunk("IDAT", zlib.deflateSync(raw, {level: 9})), chunk("IEND", Buffer.alloc(0))]);
  return "data:image/png;base64," + file.toString("base64");
}
process.stdout.write(JSON.stringify(NX.stills(cfg, epochs, png)));
"""


def prerender_stills(config, epochs):
    """The training explorer's still pictures (start, and after `epochs` epochs), drawn by the page's trainer
    and drawing code (dist/train-still.js, from js/train.js) in Node. None without Node; cached per input."""
    return run_bundle(_STILLS_JS, "train-still.js", [config, int(epochs)], "the trainer's still pictures", 120)


def block_html(kind, key, title, description, size, figure, readout, controls):
    """The explorer's block (title, figure, readout, controls): the same HTML in both faces."""
    w, h = size
    k = html.escape(key)
    if figure.startswith(SVG_MARK + "<img"):
        # the static face's still picture: the script swaps in the live <svg> (see the *-entry.js files)
        picture = figure
    else:
        picture = (
            f'<svg class="nnx-svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{k}-t {k}-d">'
            f'<title id="{k}-t" data-i18n>{html.escape(title)}</title><desc id="{k}-d" data-i18n>{html.escape(description)}</desc>'
            f"{figure}</svg>"
        )
    return (
        f'<div class="nnx nnx-{kind}" id="{k}" role="group" aria-labelledby="{k}-h" style="{BLOCK_STYLE}">'
        f'<p class="nnx-h" id="{k}-h" style="{TITLE_STYLE}" data-i18n>{html.escape(title)}</p>'
        f"{picture}"
        f'<p class="nnx-readout" aria-live="polite" data-i18n>{html.escape(readout)}</p>'
        f'<div class="nnx-controls">{controls}</div></div>'
    )


def in_language(face):
    """`face` (HTML rendered in English) in nnlib's language: its marked words translated, as the Japanese book
    build translates the English notebooks' stored outputs, and the catalogue for its script (none in English)."""
    if language() == "en":
        return face
    return catalogue_script() + translate_html(face)


# A live part of a block before its script runs (js/wake.js shows it): hidden, and hidden without CSS too.
ASLEEP = 'hidden style="display:none"'


def bundled_face(block, config, stylesheet, bundle, boot):
    """A trainer's or playground's static face: `block` (HTML, one outer <div>) with the shared style and its own
    `stylesheet` first, then its `config` and the page's `bundle` started by `boot` (JS) inside it, so the script
    finds its block as its parent; in nnlib's language."""
    head = block.index(">") + 1
    cfg = json.dumps(config, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    return in_language(
        block[:head]
        + f"<style>{CSS_MARK}{css()}\n{asset(stylesheet)}</style>"
        + block[head : -len("</div>")]
        + f'<script type="application/json" class="nnx-config">{cfg}</script>'
        + script_block(bundle, boot)
        + "</div>"
    )


def static_html(config, block, size, description="", run_note=RUN_NOTE, max_width=None):
    """The static face: `block` with its pre-rendered figure, the style, the config and the bundle that wires it.

    The figure is an <img> of the pre-rendered SVG (alt text: `description`), so it shows wherever the script
    does not run, an untrusted notebook included; the script replaces it with the live <svg>. The run note
    sits at the top of the block until then. `max_width`: the live figure's, if its stylesheet caps it.
    """
    cfg = json.dumps(config, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    drawn = prerender(config)
    w, h = size
    if drawn is None:
        inner = (
            f"<text x='{w / 2:g}' y='{h / 2:g}' text-anchor='middle'>"
            f"{N_('This figure is drawn by JavaScript: run the cell, or open the page in a browser.')}</text>"
        )
        readout = ""
    else:
        inner, readout = drawn["svg"], drawn["readout"]
    figure = f"{SVG_MARK}{still_img(inner, size, description, max_width=max_width)}{SVG_END}"
    body = block(figure, readout)
    # the config and the script go inside the block, so the script finds its block as its parent
    tail = f'<script type="application/json" class="nnx-config">{cfg}</script>' + script_block(
        "explore-static.js", "nnlibExplore.boot(document.currentScript.parentNode);"
    )
    head = body.index(">") + 1
    title_end = body.index("</p>") + len("</p>")  # the note goes under the title
    return (
        body[:head]
        + f"<style>{CSS_MARK}{css()}</style>"
        + body[head:title_end]
        + run_note_html(run_note)
        + body[title_end : -len("</div>")]
        + tail
        + "</div>"
    )
