"""An explorer: controls and their state, composed with the two faces (see the package's docstring).

A slider explorer declares its controls (`_controls.Slider`, `Choice`), a `compute(**state)` that returns
the numbers its picture shows (computed with nnlib) and a JSON `_config()` for the JavaScript kind of the
same name (js/kinds/). From these, `Explorer` builds

- the static face (`_face.static_html`): the block, its pre-rendered figure and the page's bundle, which
  computes each state with nn.js;
- the live face (`_jupyter.view_class`): the same block in an anywidget whose view sends each state to the
  kernel and draws the numbers `compute` returns.

The drawing and the readout sentence are the JavaScript's in both.
"""

import hashlib
import json

from ..i18n import translate_text
from ._controls import controls_html
from ._face import RUN_NOTE, block_html, in_language, prerender, static_html
from ._jupyter import WIDGET_VIEW, claim_live_id, live_model_id, to_json, view_class, widget_view

# What other modules and the Makefile take from here.
from ._face import CSS_MARK, JS_END, JS_MARK, SVG_END, SVG_MARK, asset, css, script_block  # noqa: F401
from ._jupyter import saved_widget_state  # noqa: F401
from ._controls import Choice, Slider, check_range  # noqa: F401

_SEEN_KEYS = {}


class Explorer:
    """Holds the controls and the current state; builds both faces from `compute` and `_config`.

    Subclasses set `kind` (the JavaScript kind), `title`, `svg_size`, fill `self.controls` (in display
    order), call `_finish_init()` and implement `compute` and `_config`; `description` is the figure's
    text alternative. Optional: `group_label`, `group_columns`, `_hidden_groups` for rows of controls.
    """

    kind = "explorer"
    title = "Explorer"
    run_note = RUN_NOTE  # what a still picture's note says wakes the controls
    svg_size = (640, 400)
    max_width = None  # px: the figure's widest, where explore.css caps it (.nnx-fitn, .nnx-flow)

    def __init__(self, key=None):
        self.controls = []
        self._view = None
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
            # A stable id from the configuration: the same notebook gives the same HTML on every run
            # (nbval compares it); a second identical explorer in one run gets a suffix.
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

    def _checked(self, values):
        new = dict(self._state)
        for name, value in values.items():
            if name not in self._by_name:
                raise ValueError(
                    f"{type(self).__name__} has no control {name!r}; its controls are {', '.join(self._by_name)}"
                )
            new[name] = self._by_name[name].check(value)
        self.compute(**new)  # refuse states that cannot be computed before touching anything
        return new

    def set(self, **values):
        """Move controls programmatically, e.g. `explorer.set(weight=2, bias=-1)`; the live face follows.

        Unknown names and values outside a slider's range raise a ValueError; nothing is changed then.
        """
        self._state = self._checked(values)
        if self._view is not None:
            self._send(moved=True)
        return self

    def curves(self):
        """The numbers the figure shows for the current state (see `compute`)."""
        return self.compute(**self._state)

    def compute(self, **state):
        raise NotImplementedError

    def _config(self):
        """The fixed part of the JavaScript kind's configuration (JSON-serialisable)."""
        raise NotImplementedError

    def config(self):
        """The JavaScript kind's whole configuration: `_config()` with kind, key and the current state."""
        return dict(self._config(), key=self.key, kind=self.kind, state=self._state)

    def readout(self):
        """The sentence under the figure for the current state, as the page writes it (needs Node; else "")."""
        drawn = prerender(self.config(), to_json(self.curves()))
        return translate_text(drawn["readout"]) if drawn else ""

    def description(self):
        """Text alternative of the figure."""
        return self.title

    def group_label(self, group):
        """The visible name of a row of controls (e.g. "neuron 2"), or None."""
        return None

    def group_columns(self, group, n):
        """How many controls of a group share one line."""
        return min(n, 3)

    def _hidden_groups(self):
        """Rows of controls that start hidden (e.g. a second layer switched off)."""
        return ()

    # -- both faces ------------------------------------------------------------------------------
    def _block(self, figure, readout):
        controls = controls_html(
            self.key, self.controls, self._state, self.group_label, self.group_columns, self._hidden_groups()
        )
        return block_html(self.kind, self.key, self.title, self.description(), self.svg_size, figure, readout, controls)

    def to_html(self):
        """The static face: a self-contained HTML block (SVG + controls + the bundled script).

        The SVG already holds the figure of the current state, drawn by the same bundle run in Node
        (`_face.prerender`), so a reader without JavaScript, an untrusted notebook, a feed reader or a
        printout shows the picture; the script replaces it with the live drawing. Where Node is missing
        (a reader's own machine), the SVG holds a note asking to run the cell or open the page instead.
        """
        return in_language(
            static_html(self.config(), self._block, self.svg_size, self.description(), self.run_note, self.max_width)
        )

    # -- live face -------------------------------------------------------------------------------
    def widget(self):
        """The live face: an anywidget showing the block, drawn by the page's code from nnlib's numbers.

        Built on first use, then reused; rebuilt if a re-run of the cell took over its model id.
        """
        if self._view is None or self._view.comm is None:
            model_id = live_model_id(self.kind, self.title, [c.name for c in self.controls])
            self._view = claim_live_id(
                model_id,
                lambda mid: view_class()(
                    self, face=in_language(self._block("", "")), config=self.config(), model_id=mid
                ),
            )
            self._send(moved=False)
        return self._view

    def _send(self, moved):
        self._view.view = {"state": dict(self._state), "result": to_json(self.curves()), "moved": moved}

    def _on_request(self, request):
        """An action asked by the view (the slider explorers have none: their controls are their state)."""

    def _on_view(self, state):
        """A control moved in the view: check, compute with nnlib, send the numbers to draw."""
        values = {k: v for k, v in state.items() if k in self._by_name}
        try:
            self._state = self._checked(values)
        except ValueError:
            return  # a transient value from the front end between grid points; the next event fixes it
        self._send(moved=False)

    # -- display ---------------------------------------------------------------------------------
    def __repr__(self):
        return f"<{type(self).__name__}: {translate_text(self.description())}>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self), "text/html": self.to_html()}
        try:
            bundle[WIDGET_VIEW] = widget_view(self.widget())
        except ImportError:  # no ipywidgets/anywidget: the static face still works in a browser
            pass
        return bundle
