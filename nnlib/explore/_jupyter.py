"""The live face in Jupyter front ends (JupyterLab, Notebook 7, Colab, VS Code) and what stands in for it.

The live face is an anywidget (`ExplorerView`) running the same bundled drawing code as the book
(dist/explore-live.js): the view sends each control move to the kernel, the explorer computes the new
state with nnlib and sends the numbers back; the view draws them. No figure is rendered in Python.

A notebook output of an explorer holds the widget view (a model id) and the static HTML face. JupyterLab 4
and Notebook 7 render the widget view in a trusted notebook and, when the kernel does not know that model
(a notebook reopened after JupyterLab autosaved it), write "Error displaying widget: model not found",
unless the notebook's metadata.widgets holds a state for that id. So the live face gets an id that depends
only on the explorer (`live_model_id`): the same in the committed notebook and in a reader's run;
`saved_widget_state` stores, for each such id, a stand-in (an HTML widget showing the static face's picture
and the run note). Running the cell replaces the stand-in with the live face.
"""

import hashlib
import json
import re

import numpy as np

from ._face import RUN_NOTE, asset_path

_LIVE_ID_PREFIX = "nnx00"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_LIVE_VIEWS = {}  # live model id -> the widget that holds it in this kernel


def widget_view(widget):
    """The `application/vnd.jupyter.widget-view+json` payload that shows `widget`, for any ipywidgets.

    Written out here rather than taken from `widget._repr_mimebundle_()`: ipywidgets 8 has that method,
    but ipywidgets 7.7 (what Colab preinstalls) displays widgets through `_ipython_display_`. The payload
    itself is the same in both (view spec 2.0).
    """
    return {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}


def live_model_id(kind, title, control_names):
    """The widget model id of an explorer's live face: "nnx00" and 27 hex digits.

    It depends on what the explorer is (its kind, title and controls), not on its numbers: an explorer
    built from trained weights must get the same id on every CPU (float32 sums differ in the last digit
    between machines), on a re-run of its cell and in the committed notebook.
    """
    ident = json.dumps([kind, title, list(control_names)], ensure_ascii=True)
    return _LIVE_ID_PREFIX + hashlib.sha1(f"nnlib-explorer:{ident}".encode()).hexdigest()[:27]


def claim_live_id(model_id, make):
    """`make(model_id)`, after closing the widget that held this id before (a re-run of the cell takes it over)."""
    earlier = _LIVE_VIEWS.pop(model_id, None)
    if earlier is not None:
        earlier.close()
    widget = make(model_id)
    _LIVE_VIEWS[model_id] = widget
    return widget


def to_json(value):
    """`value` with numpy arrays and numbers as plain lists and numbers (what a widget trait carries)."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return value.item()
    return value


_VIEW_CLASSES = {}


def view_class(bundle="explore-live.js", css=("explore.css",)):
    """The anywidget class of a live face drawn by dist/`bundle`, made on first use (anywidget is needed only then).

    Its view shows `face` (the block's HTML, as in the book) and draws what the kernel puts in `view`; it
    asks the explorer through `state` (the controls' values: `explorer._on_view`) or `request` (an action:
    `explorer._on_request`).
    """
    if (bundle, css) not in _VIEW_CLASSES:
        import anywidget
        import traitlets

        class ExplorerView(anywidget.AnyWidget):
            _esm = asset_path("dist/" + bundle).read_text(encoding="utf-8")
            _css = "\n".join(asset_path(name).read_text(encoding="utf-8") for name in css)
            face = traitlets.Unicode().tag(sync=True)  # the block's HTML (title, figure, readout, controls)
            config = traitlets.Dict().tag(sync=True)  # the static face's configuration
            state = traitlets.Dict().tag(sync=True)  # view -> kernel: the controls' values
            request = traitlets.Dict().tag(sync=True)  # view -> kernel: an action ({n, action, ...})
            view = traitlets.Dict().tag(sync=True)  # kernel -> view: the numbers to draw

            def __init__(self, explorer, **kwargs):
                self.explorer = explorer
                super().__init__(**kwargs)

            @traitlets.observe("state")
            def _state_changed(self, change):
                self.explorer._on_view(change["new"])

            @traitlets.observe("request")
            def _requested(self, change):
                self.explorer._on_request(change["new"])

            def __repr__(self):
                return repr(self.explorer)

        # anywidget keeps one <style> per class name (module + name) and replaces it with the CSS of the view drawn
        # last: an explorer drawn after a trainer took train.css away from it. A name of its own for each bundle.
        ExplorerView.__name__ = ExplorerView.__qualname__ = "View_" + re.sub(r"\W", "_", bundle.removesuffix(".js"))
        _VIEW_CLASSES[bundle, css] = ExplorerView
    return _VIEW_CLASSES[bundle, css]


def _stand_in_html(face):
    """The static face without scripts, its controls disabled, its run note on top: what a stored state shows."""
    face = re.sub(r"<script\b.*?</script>", "", face, flags=re.S)
    face = re.sub(r"<(input|select|button)\b(?![^>]*\bdisabled\b)", r"<\1 disabled", face)
    if "nnx-runnote" in face:  # the face carries its own note (it shows until the script runs)
        return face
    return f'<p style="margin:4px 0;font-style:italic">{RUN_NOTE}</p>{face}'


def saved_widget_state(nb):
    """`metadata.widgets` for notebook `nb` (nbformat dict): a stand-in for every explorer's live view.

    Returns None when the notebook shows no explorer. Size: about the explorer's HTML face without its
    script, once more per explorer.
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
                "model_name": "HTMLModel",
                "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0",
                "state": {"value": _stand_in_html(face), "layout": None, "style": None},
            }
    if not state:
        return None
    return {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": state}}
