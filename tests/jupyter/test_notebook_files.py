"""What every chapter file carries for Jupyter front ends (no server needed)."""

import html
import json
import re
from pathlib import Path

import pytest

from nnlib.explore._jupyter import WIDGET_STATE, WIDGET_VIEW, live_model_id

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
# ipykernel's own kernel spec: what JupyterLab and Notebook 7 write back when they start the kernel.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _nb(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_kernelspec_is_what_the_front_end_writes_back():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    assert {"display_name": spec.display_name, "language": spec.language, "name": "python3"} == KERNELSPEC


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec_and_colab_setup(path):
    nb = _nb(path)
    assert nb["metadata"]["kernelspec"] == KERNELSPEC, f"{path.name}: opening it would rewrite its kernelspec"
    setup = "".join(nb["cells"][1]["source"])
    installs = re.findall(r"%pip install .*", setup)
    assert installs and all("[explore]" not in line and "ipywidgets" not in line for line in installs), (
        f"{path.name}: on Colab the setup cell must not install ipywidgets (Colab's widget front end needs its own)"
    )
    assert "output.enable_custom_widget_manager()" in setup


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_explorer_view_has_a_stored_stand_in(path):
    nb = _nb(path)
    stored = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            face = "".join(data.get("text/html", ""))
            key = re.search(r'<div class="nnx nnx-[^"]*" id="([^"]+)"', face)
            if WIDGET_VIEW not in data or not key:
                continue
            model_id = data[WIDGET_VIEW]["model_id"]
            kind = re.search(r'<div class="nnx nnx-([^" ]+)', face).group(1)
            title = html.unescape(re.search(r'<p class="nnx-h"[^>]*>([^<]*)</p>', face).group(1))
            markup = re.sub(r"<script\b.*?</script>", "", face, flags=re.S)  # scripts mention data-param too
            names = list(dict.fromkeys(re.findall(r'data-param="([^"]+)"', markup)))
            assert model_id == live_model_id(kind, title, names), (
                f"{path.name}: explorer {key.group(1)} has a random id"
            )
            stand_in = stored.get(model_id)
            assert stand_in and stand_in["model_name"] == "HTMLModel", f"{path.name}: no stand-in for {model_id}"
            # the face's own run note: "... to move the sliders." or, for a trainer, "... to train it yourself."
            assert re.search(r'class="nnx-runnote"[^>]*>[^<]*Run this cell', stand_in["state"]["value"])
            assert "<script" not in stand_in["state"]["value"]


def test_the_digit_canvas_has_a_fixed_id_and_a_stored_stand_in():
    """Chapter 6's digit canvas (an anywidget) is covered like the explorers: reopened, it shows its stand-in."""
    nb = _nb(ROOT / "notebooks" / "06_inside_the_digit_network.ipynb")
    stored = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = [
        output["data"]
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if 'class="nnx-digits"' in "".join(output.get("data", {}).get("text/html", ""))
    ]
    assert views, "chapter 6 shows no digit canvas"
    for data in views:
        key = re.search(r'class="nnx-digits" id="([^"]+)"', "".join(data["text/html"])).group(1)
        model_id = data[WIDGET_VIEW]["model_id"]
        assert model_id == live_model_id("digits", key, []), f"digit canvas {key} has a random id"
        assert "Run this cell" in stored[model_id]["state"]["value"]
