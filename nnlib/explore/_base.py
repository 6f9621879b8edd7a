"""What every explorer shares: controls, state, the live face (ipywidgets) and the static face (HTML + JS).

An explorer is one Python object with two faces:

- live face (a kernel: JupyterLab, Notebook 7, Colab, Binder): labelled ipywidgets sliders and
  dropdowns next to a matplotlib figure. The figure is drawn once; a slider change only moves
  the existing artists (`set_ydata`, ...) and the figure is rasterised by Agg into a
  `widgets.Image`, so no ipympl or other front-end extension is needed.
- static face (the published book, no kernel): a self-contained `text/html` block with native
  `<input type="range">` controls, an inline SVG and the project's own script
  (`explore.js`, next to this file) that recomputes the same forward pass in JavaScript.

`_repr_mimebundle_` hands out both, plus a one-line `text/plain`; Jupyter front ends prefer
the widget view, the book (myst-nb with `nb_mime_priority_overrides`) prefers the HTML.

A subclass declares its controls (`Slider`, `Choice`), a `compute(**state)` that returns
the plotted arrays (computed with nnlib), a matplotlib drawing (`_draw` once, `_update`
per change) and a JSON config that the JavaScript renderer of the same `kind` reads.
"""

import hashlib
import html
import io
import json
import math
import os
import shutil
import subprocess
import re
from importlib import resources

import numpy as np

from .. import activations

# Activations a reader can pick in the explorers (the JavaScript knows exactly these).
ACTIVATION_LABELS = {"step": "step", "sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU",
                     "mish": "Mish", "identity": "identity"}
# Markers around the inlined shared style and script: tests/nbval_sanitize.cfg replaces what lies
# between them, so a fix in explore.js does not invalidate every chapter's stored outputs (the
# script itself is tested in tests/test_explore*.py and tests/browser/test_explorers.py).
CSS_MARK = "/*nnx-css*/"
JS_MARK, JS_END = "/*nnx-js*/", "/*end nnx-js*/"


def check_activation(name, allowed=tuple(ACTIVATION_LABELS), what="activation"):
    """The canonical name of activation `name` (via nnlib.activations.get), if the explorer offers it."""
    act = activations.get(name)  # raises a clear error naming the valid activations
    if act.name not in allowed:
        raise ValueError(f"{what} {name!r} is not offered here; choose one of {', '.join(allowed)}")
    return act.name


def check_bias_sign(bias_sign):
    if bias_sign not in ("-", "+"):
        raise ValueError(f"bias_sign must be '-' (y = f(w x - b), as in seed 002) or '+' "
                         f"(y = f(w x + b), as in Keras), got {bias_sign!r}")
    return bias_sign


def check_range(name, lo_hi):
    try:
        lo, hi = (float(v) for v in lo_hi)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high) of numbers, got {lo_hi!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be a pair (low, high) of finite numbers with low < high, got {lo_hi!r}")
    return lo, hi


class Slider:
    """A numeric control: `name` (the state key), `label` shown to the reader, range lo..hi, step.

    `integer=True` makes an IntSlider. `neuron=i` marks a per-neuron control, shown only while
    the explorer's neuron count is larger than i. `fmt` is the number format of the readout.
    """

    def __init__(self, name, label, lo, hi, step, value, integer=False, neuron=None, fmt=None, group=None,
                 long=None):
        self.name, self.label = name, label
        self.long = long or label
        self.min, self.max, self.step = float(lo), float(hi), float(step)
        if not (self.min < self.max and self.step > 0):
            raise ValueError(f"slider {name!r}: needs low < high and a positive step, got {lo!r}, {hi!r}, {step!r}")
        self.integer = integer
        self.neuron = neuron
        self.group = group
        self.decimals = 0 if integer else max(0, -int(math.floor(math.log10(self.step) + 1e-9)))
        self.fmt = fmt or f".{self.decimals}f"
        self.value = self.check(value)

    def check(self, value):
        """`value` as a number on this slider's grid, or a ValueError saying what is allowed."""
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{self.name} must be a number, got {value!r}")
        value = float(value)
        if not math.isfinite(value) or value < self.min - 1e-12 or value > self.max + 1e-12:
            raise ValueError(f"{self.name}={value:g} is outside its slider range [{self.min:g}, {self.max:g}]; "
                             f"pick a value inside or widen the range")
        k = (value - self.min) / self.step
        if abs(k - round(k)) > 1e-4:  # float32 weights (np.float32(4.3)) still count as on the grid
            lo = self.min + math.floor(k) * self.step
            raise ValueError(f"{self.name}={value:g} is not on the slider's grid (step {self.step:g}); "
                             f"use e.g. {lo:.{self.decimals}f} or {lo + self.step:.{self.decimals}f}, "
                             f"or a finer step")
        value = round(self.min + round(k) * self.step, self.decimals + 6)
        return int(round(value)) if self.integer else value



class Choice:
    """A dropdown: `options` is a list of (value, label) pairs."""

    def __init__(self, name, label, options, value, neuron=None, group=None, long=None):
        self.name, self.label, self.options = name, label, list(options)
        self.long = long or label
        self.neuron = neuron
        self.group = group
        self.value = self.check(value)

    def check(self, value):
        values = [v for v, _ in self.options]
        if value not in values:
            raise ValueError(f"{self.name}={value!r} is not one of the choices {', '.join(map(repr, values))}")
        return value



def _fmt(value, decimals):
    text = f"{value:.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text.replace("-", "\u2212")


_SEEN_KEYS = {}


def encode_png(rgba):
    """PNG bytes of an RGBA buffer (height, width, 4), alpha dropped (figures are opaque).

    zlib level 1: a plot is mostly flat colour, so the file is barely larger and the live face
    stays well inside its 30 ms budget (about 4 ms for a 576x378 figure).
    """
    from PIL import Image  # Pillow comes with matplotlib

    out = io.BytesIO()
    Image.fromarray(np.asarray(rgba)[:, :, :3]).save(out, "PNG", compress_level=1)
    return out.getvalue()


# The static face's scripts, in load order: nn.js (nnlib's formulas, once) before the explorers' renderer.
SCRIPTS = ("nn.js", "explore.js")


def script_text(name, compact=True):
    """The text of one of the static faces' scripts (a file next to this module, e.g. "nn.js", or
    "nn.js#training" for nn.js with its optional training section).

    compact: drop comment lines and indentation (the file stays readable; each page carries
    about a third less). Safe because no line of these scripts starts inside a string or a regex.
    """
    name, *sections = name.split("#")
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    if not compact:
        return text
    # An optional section between "// <s>" and "// </s>" lines is kept only when asked for as "file#s"
    # (nn.js#training: only the pages that train carry the trainer).
    lines, skipping = [], None
    for line in text.splitlines():
        line = line.strip()
        if skipping:
            skipping = None if line.startswith(f"// </{skipping}>") else skipping
            continue
        if line.startswith("// <") and not line.startswith("// </"):
            section = line[4:line.index(">")]
            skipping = None if section in sections else section
            continue
        if line and not line.startswith(("//", "/*", "*")):
            lines.append(line)
    return "\n".join(lines)


def shared_script(compact=True, names=SCRIPTS):
    """The static face's JavaScript: the scripts `names` (default nn.js, explore.js) joined in load order."""
    return "\n".join(script_text(name, compact) for name in names)


def script_block(names, boot):
    """A `<script>` element that inlines `names` between the nnval-sanitised markers, then runs `boot`.

    Each output block carries its scripts (a Jupyter output cannot rely on another cell's), and the
    scripts guard against being set up twice on one page.
    """
    return f"<script>{JS_MARK}\n{shared_script(names=names)}\n{JS_END}\n{boot}</script>"


# Around the pre-rendered figure: tests/nbval_sanitize.cfg blanks it like the script (a drawing fix
# must not invalidate stored outputs; tests/test_explore*.py check the drawing itself).
SVG_MARK, SVG_END = "<!--nnx-svg-->", "<!--end nnx-svg-->"
_PRERENDER_JS = """
const NX = require(process.argv[1]);
const cfg = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(NX.renderSVG(cfg));
"""
_PRERENDERED = {}


def node_executable():
    """The Node.js program that pre-renders the figures: $NNLIB_NODE, else `node` on PATH, else None."""
    env = os.environ.get("NNLIB_NODE")
    if env is not None:
        return env if env and shutil.which(env) else None  # NNLIB_NODE="" switches pre-rendering off
    return shutil.which("node")


def prerender_svg(config_json):
    """The SVG markup of an explorer's first state, drawn by explore.js in Node; None without Node.

    config_json: the static face's configuration (JSON text, with kind, key and state). The same
    code as in the browser draws it (`nnlibExplore.renderSVG`, a DOM-free path of explore.js), so
    the picture without JavaScript is the one the script then replaces. Results are cached per
    configuration. A failing script is a bug and raises RuntimeError; a missing Node returns None.
    """
    if config_json in _PRERENDERED:
        return _PRERENDERED[config_json]
    node = node_executable()
    if node is None:
        return None
    script = resources.files(__package__).joinpath("explore.js")
    try:
        out = subprocess.run([node, "-e", _PRERENDER_JS, str(script)], input=config_json, capture_output=True,
                             text=True, encoding="utf-8", timeout=60)
    except OSError:
        return None
    if out.returncode != 0:
        raise RuntimeError(f"explore.js could not draw the explorer in Node:\n{out.stderr.strip()}")
    _PRERENDERED[config_json] = out.stdout
    return out.stdout
# -- what Jupyter front ends show when the live face cannot run --------------------------------------
# A notebook output of an explorer holds the widget view (a model id) and the HTML face. JupyterLab 4 and
# Notebook 7 render the widget view in a trusted notebook and, when the kernel does not know that model
# (a notebook reopened after JupyterLab autosaved it), write "Error displaying widget: model not found",
# unless the notebook's metadata.widgets holds a state for that id. So the live face's top widget gets
# an id that depends only on the explorer (`live_model_id`): the same in the committed notebook and in a
# reader's run; `saved_widget_state` stores, for each such id, a stand-in (an HTML widget showing the
# static face's picture and RUN_NOTE). Running the cell replaces the stand-in with the live face.
RUN_NOTE = "Run this cell to move the sliders."
_LIVE_ID_PREFIX = "nnx00"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_LIVE_VIEWS = {}  # live model id -> the top widget that holds it in this kernel


def widget_view(widget):
    """The `application/vnd.jupyter.widget-view+json` payload that shows `widget`, for any ipywidgets.

    Written out here rather than taken from `widget._repr_mimebundle_()`: ipywidgets 8 has that method,
    but ipywidgets 7.7 (what Colab preinstalls) displays widgets through `_ipython_display_` and has no
    `_repr_mimebundle_` on its boxes. The payload itself is the same in both (view spec 2.0).
    """
    return {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}


# Notebook 7 starts its Lumino application with keydown listened to in the capture phase (JupyterLab
# 4 listens while the event bubbles), so its command-mode shortcuts (ArrowUp/ArrowDown: select the
# cell above/below, selector "... :focus") read the key before a focused slider does. Lumino matches no
# shortcut for a key whose target, or an element between the target and the one that carries the
# mark, is marked data-lm-suppress-shortcuts: so every control of both faces carries it itself.
SUPPRESS_SHORTCUTS = "data-lm-suppress-shortcuts"
_KEYBOARD_ESM = """
const MARK = "%s";
const FOCUSABLE = "[tabindex], input, select, textarea, button, [contenteditable]";
export default {
  render({ el }) {
    let tries = 0;
    const start = () => {
      const box = el.closest(".nnx-live");
      if (!box) {
        if (++tries < 600) requestAnimationFrame(start);
        return;
      }
      const mark = () => {
        box.setAttribute(MARK, "true");
        for (const node of box.querySelectorAll(FOCUSABLE)) node.setAttribute(MARK, "true");
      };
      mark();
      new MutationObserver(mark).observe(box, { childList: true, subtree: true });
    };
    start();
  },
};
""" % SUPPRESS_SHORTCUTS
_KEYBOARD_WIDGET = None


def _keyboard_widget():
    """An invisible anywidget that marks its explorer's box (class nnx-live) with SUPPRESS_SHORTCUTS."""
    global _KEYBOARD_WIDGET
    if _KEYBOARD_WIDGET is None:
        import anywidget

        class KeyboardToSliders(anywidget.AnyWidget):
            _esm = _KEYBOARD_ESM

        _KEYBOARD_WIDGET = KeyboardToSliders
    import ipywidgets as widgets

    return _KEYBOARD_WIDGET(layout=widgets.Layout(display="none"))


def live_model_id(kind, title, control_names):
    """The widget model id of an explorer's live face: "nnx00" and 27 hex digits.

    It depends on what the explorer is (its kind, title and controls), not on its numbers: an
    explorer built from trained weights must get the same id on every CPU (float32 sums differ in
    the last digit between machines), on a re-run of its cell and in the committed notebook.
    """
    ident = json.dumps([kind, title, list(control_names)], ensure_ascii=True)
    return _LIVE_ID_PREFIX + hashlib.sha1(f"nnlib-explorer:{ident}".encode()).hexdigest()[:27]


def run_note_html():
    """RUN_NOTE for front ends that show the HTML face without running its script.

    It goes before the face in the bundle's text/html. explore.css hides it (`.nnx-runnote`), so it
    shows only where the face's <style> is gone too: JupyterLab and Notebook 7 sanitize the HTML of an
    untrusted notebook, dropping <style> and <script> but keeping inline `style` attributes.
    """
    return f'<p class="nnx-runnote" style="margin:4px 0;font-style:italic">{RUN_NOTE}</p>'


def _stand_in_html(face):
    """The static face without scripts, its controls disabled, RUN_NOTE on top: what a stored state shows."""
    face = re.sub(r"<script\b.*?</script>", "", face, flags=re.S)
    face = re.sub(r"<(input|select)\b", r"<\1 disabled", face)
    return f'<p style="margin:4px 0;font-style:italic">{RUN_NOTE}</p>{face}'


def saved_widget_state(nb):
    """`metadata.widgets` for notebook `nb` (nbformat dict): a stand-in for every explorer's live view.

    Returns None when the notebook shows no explorer. Size: about the explorer's HTML face without
    its script, once more per explorer.
    """
    state = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view, face = data.get(WIDGET_VIEW), data.get("text/html")
            if not view or not face:
                continue
            face = "".join(face) if isinstance(face, list) else face
            if not str(view.get("model_id", "")).startswith(_LIVE_ID_PREFIX):
                continue
            state[view["model_id"]] = {
                "model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0",
                "state": {"value": _stand_in_html(face), "layout": None, "style": None}}
    if not state:
        return None
    return {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": state}}


def shared_css():
    return resources.files(__package__).joinpath("explore.css").read_text(encoding="utf-8")


class Explorer:
    """Base class: holds the controls and the current state, builds both faces.

    Subclasses set `kind` (the name of the JavaScript renderer), fill `self.controls` (a list
    of Slider/Choice, in display order) and implement `compute`, `_config`, `_draw`, `_update`.
    """

    kind = "explorer"
    title = "Explorer"
    figsize = (6.4, 4.0)
    dpi = 90

    def __init__(self, key=None):
        self.controls = []
        self._widget = None
        self._key_arg = key

    # -- state ---------------------------------------------------------------------------------
    def _finish_init(self):
        """Called at the end of a subclass' __init__: checks that the initial state computes, fixes the key."""
        self._by_name = {c.name: c for c in self.controls}
        self._state = {c.name: c.value for c in self.controls}
        self.compute(**self._state)
        if self._key_arg is not None:
            key = str(self._key_arg)
            if not key or not all(ch.isalnum() or ch in "-_" for ch in key):
                raise ValueError(f"key must be letters, digits, '-' or '_' (it becomes an HTML id), got {key!r}")
            self.key = key
        else:
            # A stable id from the configuration: the same notebook gives the same HTML on every
            # run (nbval compares it); a second identical explorer in one run gets a suffix.
            ident = {"config": self._config(), "state": self._state, "title": self.title}
            digest = hashlib.sha1(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:8]
            base = f"nnx-{self.kind}-{digest}"
            n = _SEEN_KEYS.get(base, 0)
            _SEEN_KEYS[base] = n + 1
            self.key = base if n == 0 else f"{base}-{n + 1}"

    @property
    def state(self):
        """The current control values, a dict name -> value (a copy)."""
        return dict(self._state)

    def set(self, **values):
        """Move controls programmatically, e.g. `explorer.set(weight=2, bias=-1)`; redraws the live face.

        Unknown names and values outside a slider's range raise a ValueError; nothing is changed then.
        """
        new = dict(self._state)
        for name, value in values.items():
            if name not in self._by_name:
                raise ValueError(f"{type(self).__name__} has no control {name!r}; "
                                 f"its controls are {', '.join(self._by_name)}")
            new[name] = self._by_name[name].check(value)
        self.compute(**new)  # refuse states that cannot be computed before touching anything
        self._state = new
        if self._widget is not None:
            self._syncing = True
            try:
                for name in values:
                    self._inputs[name].value = new[name]
            finally:
                self._syncing = False
            self._redraw()
        return self

    def curves(self):
        """The arrays the figure shows for the current state (see `compute`)."""
        return self.compute(**self._state)

    def compute(self, **state):
        raise NotImplementedError

    def readout(self, result=None):
        """One sentence with the key numbers of the current state (shown under the figure, announced to screen readers)."""
        return ""

    def description(self):
        """Text alternative of the figure."""
        return self.title

    # -- live face -----------------------------------------------------------------------------
    def widget(self):
        """The ipywidgets layout (built on first use, then reused; rebuilt if a re-run took over its id)."""
        if self._widget is None or self._widget.comm is None:
            self._build_widget()
        return self._widget

    def _make_input(self, c):
        import ipywidgets as widgets

        style = {"description_width": "initial"}
        if isinstance(c, Choice):
            w = widgets.Dropdown(options=[(label, v) for v, label in c.options], value=self._state[c.name],
                                 description=c.label, tooltip=c.long, style=style,
                                 layout=widgets.Layout(width="230px"))
        elif c.integer:
            w = widgets.IntSlider(value=self._state[c.name], min=int(c.min), max=int(c.max), step=int(c.step),
                                  description=c.label, tooltip=c.long, style=style, continuous_update=True,
                                  layout=widgets.Layout(width="260px"))
        else:
            w = widgets.FloatSlider(value=self._state[c.name], min=c.min, max=c.max, step=c.step,
                                    description=c.label, tooltip=c.long, readout_format=c.fmt, style=style,
                                    continuous_update=True, layout=widgets.Layout(width="260px"))
        w.observe(lambda change, name=c.name: self._on_widget(name, change["new"]), names="value")
        return w

    def _on_widget(self, name, value):
        if getattr(self, "_syncing", False):
            return
        c = self._by_name[name]
        try:
            value = c.check(value)
        except ValueError:
            return  # a transient value from the front end between grid points; the next event fixes it
        self._state[name] = value
        self._redraw()

    def _layout_controls(self):
        """The control widgets arranged in a box (subclasses may group them)."""
        import ipywidgets as widgets

        return widgets.VBox([self._inputs[c.name] for c in self.controls])

    def _build_widget(self):
        import ipywidgets as widgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from ..plotting import STYLE
        import matplotlib as mpl

        self._inputs = {c.name: self._make_input(c) for c in self.controls}
        with mpl.rc_context(STYLE):
            self._fig = Figure(figsize=self.figsize, dpi=self.dpi)
            FigureCanvasAgg(self._fig)
            self._draw(self._fig)
        w_px, h_px = (int(round(v * self.dpi)) for v in self.figsize)
        self._image = widgets.Image(format="png", width=w_px, height=h_px,
                                    layout=widgets.Layout(width=f"{w_px}px", max_width="100%", height="auto"))
        self._readout = widgets.HTML()
        controls = self._layout_controls()
        self._widget = self._live_box([widgets.HTML(f"<b>{html.escape(self.title)}</b>"), self._image,
                                       self._readout, controls])
        self._redraw()

    def _live_box(self, parts):
        """The live face's top widget around `parts`: its model id fixed by `live_model_id` (so a stored
        stand-in covers it when the notebook is reopened), and arrow keys kept for its sliders in Notebook 7."""
        import ipywidgets as widgets

        model_id = live_model_id(self.kind, self.title, [c.name for c in self.controls])
        earlier = _LIVE_VIEWS.pop(model_id, None)
        if earlier is not None:  # a re-run of the cell: this explorer takes over the id (see live_model_id)
            earlier.close()
        try:
            parts = [_keyboard_widget(), *parts]
        except ImportError:  # without anywidget the arrow keys still work in JupyterLab, Colab and VS Code
            pass
        box = widgets.VBox(parts, model_id=model_id)
        box.add_class("nnx-live")
        _LIVE_VIEWS[model_id] = box
        return box

    def _redraw(self):
        """Recompute, move the artists and refresh the PNG: the live face's answer to a slider.

        Blitting keeps this fast: the parts that do not move (axes, ticks, labels, legend) are
        rendered once into a background; a change restores it and draws only the moving artists
        (`_animated_artists`). A change of `_background_key` (e.g. a new y-range) renders anew.
        """
        import matplotlib as mpl

        from ..plotting import STYLE

        result = self.compute(**self._state)
        canvas = self._fig.canvas
        key = self._background_key()
        if key != getattr(self, "_bg_key", object()):
            with mpl.rc_context(STYLE):  # new still parts (legend, limits) take the course style
                self._update(result)
                for a in self._animated_artists():
                    a.set_animated(True)
                canvas.draw()  # draws everything except the animated artists
            self._bg = canvas.copy_from_bbox(self._fig.bbox)
            self._bg_key = key
        else:
            self._update(result)
            canvas.restore_region(self._bg)
        for a in self._animated_artists():
            if a.get_visible():
                a.set_animated(True)
                self._fig.draw_artist(a)
        self._image.value = encode_png(canvas.buffer_rgba())
        self._readout.value = f'<span aria-live="polite">{html.escape(self.readout(result))}</span>'
        self._show_neuron_rows()

    def _animated_artists(self):
        """The artists a slider moves (drawn over the cached background)."""
        return []

    def _background_key(self):
        """Whatever, when changed, changes the figure's still parts (limits, legend entries)."""
        return None

    def _show_neuron_rows(self):
        count = self._state.get("count")
        if count is None or count == getattr(self, "_rows_shown", None):
            return
        self._rows_shown = count
        for c in self.controls:
            if c.neuron is not None:
                self._inputs[c.name].layout.display = None if c.neuron < count else "none"

    def render_png(self):
        """The live face's current figure as PNG bytes (what the widget shows)."""
        return self.widget() and self._image.value

    def _draw(self, fig):
        raise NotImplementedError

    def _update(self, result):
        raise NotImplementedError

    # -- static face ---------------------------------------------------------------------------
    def _config(self):
        """The fixed part of the static face's configuration (JSON-serialisable)."""
        raise NotImplementedError

    def group_label(self, group):
        """The visible name of a row of controls (e.g. "neuron 2"), or None."""
        return None

    def group_columns(self, group, n):
        """How many controls of a group share one line of the static face."""
        return min(n, 3)

    def _hidden_attr(self, neuron):
        hidden = neuron is not None and "count" in self._state and neuron >= self._state["count"]
        return (f' data-neuron="{neuron}"' if neuron is not None else "") + (" hidden" if hidden else "")

    def _control_html(self, k, c, in_row):
        cid = f"{k}-{c.name}"
        attrs = "" if in_row else self._hidden_attr(c.neuron)
        label = (f'<label for="{cid}" title="{html.escape(c.long)}">{html.escape(c.label)}'
                 + ("" if c.long == c.label else f'<span class="nnx-sr"> ({html.escape(c.long)})</span>')
                 + "</label>")
        if isinstance(c, Choice):
            opts = "".join(f'<option value="{html.escape(str(v))}"'
                           f'{" selected" if v == self._state[c.name] else ""}>{html.escape(lab)}</option>'
                           for v, lab in c.options)
            return f'<div class="nnx-ctl"{attrs}>{label}<select id="{cid}" data-param="{c.name}">{opts}</select></div>'
        v = self._state[c.name]
        text = _fmt(v, c.decimals)
        return (f'<div class="nnx-ctl"{attrs}>{label}'
                f'<input type="range" id="{cid}" data-param="{c.name}" min="{c.min:g}" max="{c.max:g}" '
                f'step="{c.step:g}" value="{v:g}" data-decimals="{c.decimals}" aria-valuetext="{text}">'
                f'<output for="{cid}">{text}</output></div>')

    def _controls_html(self, k):
        """The controls; consecutive controls of one group share a labelled row."""
        parts, i = [], 0
        while i < len(self.controls):
            c = self.controls[i]
            if c.group is None:
                parts.append(self._control_html(k, c, False))
                i += 1
                continue
            j = i
            while j < len(self.controls) and self.controls[j].group == c.group:
                j += 1
            label = self.group_label(c.group)
            head = f'<span class="nnx-rowh">{html.escape(label)}</span>' if label else ""
            aria = f' aria-label="{html.escape(label)}"' if label else ""
            inner = "".join(self._control_html(k, cc, True) for cc in self.controls[i:j])
            cols = self.group_columns(c.group, j - i)
            parts.append(f'<div class="nnx-row" role="group" style="--cols:{cols}"{aria}{self._hidden_attr(c.neuron)}>'
                         f'{head or "<span></span>"}{inner}</div>')
            i = j
        return "".join(parts)

    def to_html(self):
        """The static face: a self-contained HTML block (SVG + inputs + the project's script).

        The SVG already holds the figure of the current state, drawn by explore.js itself run in
        Node (`prerender_svg`), so a reader without JavaScript, an untrusted notebook, a feed
        reader or a printout shows the picture; the script replaces it with the live drawing.
        Where Node is missing (a reader's own machine), the SVG holds a note asking to run the
        cell or to open the page in a browser instead.
        """
        k = self.key
        config = dict(self._config(), key=k, kind=self.kind, state=self._state)
        cfg_json = json.dumps(config, separators=(",", ":"), allow_nan=False)
        # "</" cannot appear inside the JSON script element.
        cfg = cfg_json.replace("</", "<\\/")
        desc = html.escape(self.description())
        readout = html.escape(self.readout(self.curves()))
        w, h = self.svg_size
        figure = prerender_svg(cfg_json)
        if figure is None:
            figure = (f'<text class="nnx-nojs" x="{w / 2:g}" y="{h / 2:g}" text-anchor="middle">'
                      f"This figure is drawn by JavaScript: run the cell, or open the page in a browser.</text>")
        else:
            figure = f"{SVG_MARK}{figure}{SVG_END}"
        return (
            f'<div class="nnx nnx-{self.kind}" id="{k}" role="group" aria-labelledby="{k}-h">'
            f"<style>{CSS_MARK}{shared_css()}</style>"
            f'<p class="nnx-h" id="{k}-h">{html.escape(self.title)}</p>'
            f'<svg class="nnx-svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{k}-t {k}-d">'
            f'<title id="{k}-t">{html.escape(self.title)}</title><desc id="{k}-d">{desc}</desc>'
            f"{figure}</svg>"
            f'<p class="nnx-readout" aria-live="polite">{readout}</p>'
            f'<div class="nnx-controls">{self._controls_html(k)}</div>'
            f'<script type="application/json" class="nnx-config">{cfg}</script>'
            + script_block(SCRIPTS, "nnlibExplore.boot(document.currentScript.parentNode);")
            + "</div>"
        )

    svg_size = (640, 400)

    # -- display ---------------------------------------------------------------------------------
    def __repr__(self):
        return f"<{type(self).__name__}: {self.description()}>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        face = re.sub(r"<(input|select)\b", rf'<\1 {SUPPRESS_SHORTCUTS}="true"', self.to_html())
        bundle = {"text/plain": repr(self), "text/html": run_note_html() + face}
        try:
            w = self.widget()
        except ImportError:  # no ipywidgets/matplotlib: the static face still works in a browser
            return bundle
        bundle[WIDGET_VIEW] = widget_view(w)
        return bundle
