"""Every chapter runs in a Colab-like kernel, and every explorer shows there.

`make colab` builds the kernel's venv (.venv-colab) from requirements-colab.txt: Colab's preinstalled versions
of what the chapters touch (ipywidgets 7.7.1, IPython 7.34, ipykernel 6.17, jupyter-client 7.4, numpy,
matplotlib...), on Colab's Python where one is available, plus nnlib installed the way the setup cell installs
it: without extras, next to anywidget, constrained to those versions (so a dependency that would upgrade one of
Colab's packages fails the install instead of hiding it). This test runs in the main venv and executes each
chapter with nbclient in a kernel started from .venv-colab's python (a kernel spec of its own, in a temporary
folder), then asserts:

- no cell raises (no `error` output) and nothing is written to stderr;
- every output that carries an explorer in the stored notebook (a widget view) carries, in this kernel, a widget
  view whose model was opened by this kernel (ipywidgets 7's own comm protocol) and the static text/html face.

What it cannot check: Colab's front end itself (its widget manager, `enable_custom_widget_manager`), which needs
Colab; the setup cell's `google.colab` branch does not run here (no google.colab module, no network): the
Makefile installs what that branch installs.
"""

import json
import os
import warnings
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
COLAB_PYTHON = Path(os.environ.get("COLAB_PYTHON", ROOT / ".venv-colab" / "bin" / "python"))
REQUIREMENTS = ROOT / "requirements-colab.txt"


def _pins():
    """{name: version} of requirements-colab.txt's `name==version` lines (names normalised as pip does)."""
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


@pytest.fixture(scope="module")
def colab_kernel(tmp_path_factory):
    """The name of a kernel spec that starts COLAB_PYTHON's ipykernel (JUPYTER_PATH points at it)."""
    if not COLAB_PYTHON.exists():
        pytest.fail(
            f"{COLAB_PYTHON} does not exist: run `make colab` (it builds .venv-colab from "
            "requirements-colab.txt), or set COLAB_PYTHON to a Colab-like venv's python"
        )
    folder = tmp_path_factory.mktemp("jupyter")
    spec = folder / "kernels" / "colab-like"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(COLAB_PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Colab-like (requirements-colab.txt)",
                "language": "python",
            }
        )
    )
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(folder)
    yield "colab-like"
    if old is None:
        os.environ.pop("JUPYTER_PATH")
    else:
        os.environ["JUPYTER_PATH"] = old


def test_the_kernel_has_colabs_versions(colab_kernel, tmp_path):
    """The venv holds what requirements-colab.txt pins, and nnlib as a reader's install (not this checkout)."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import json, sys, importlib.metadata as m, nnlib\n"
                "print(json.dumps({'versions': {d.metadata['Name'].lower().replace('_', '-'): d.version "
                "for d in m.distributions()}, 'nnlib': nnlib.__file__, 'python': sys.version}))"
            )
        ]
    )
    # Started outside the checkout, as a Colab kernel is: nnlib must come from the venv, not from ./nnlib.
    NotebookClient(nb, kernel_name=colab_kernel, timeout=60, resources={"metadata": {"path": str(tmp_path)}}).execute()
    report = json.loads(nb.cells[0].outputs[0]["text"])
    installed = report["versions"]
    wrong = {
        name: (version, installed.get(name)) for name, version in _pins().items() if installed.get(name) != version
    }
    assert not wrong, f"the Colab-like venv differs from requirements-colab.txt (pinned, installed): {wrong}"
    # The setup cell installs nnlib without extras from git: a copy in site-packages, not an editable checkout.
    assert "site-packages" in report["nnlib"], f"nnlib is imported from {report['nnlib']}, not an installed copy"
    python = report["python"].split()[0]
    if not python.startswith("3.12."):
        warnings.warn(
            f"the Colab-like kernel runs Python {python}; Colab runs 3.12 (make colab takes python3.12 "
            "when one is on PATH, else $(PYTHON))",
            stacklevel=2,
        )


def _explorer_outputs(cell):
    return [out for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_runs_and_every_explorer_shows(path, colab_kernel, tmp_path):
    stored = nbformat.read(path, as_version=4)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    # The kernel talks through Unix sockets in a folder of this test's own, not TCP ports: a port that
    # jupyter_client found free can be taken by another process (the Jupyter sweep runs beside this stage) before
    # the kernel binds it (CI: "Address already in use", "Kernel died before replying to kernel_info").
    km = KernelManager(kernel_name=colab_kernel, transport="ipc", connection_file=str(tmp_path / "kernel.json"))
    client = NotebookClient(
        nb,
        km=km,
        timeout=120,
        allow_errors=True,
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    opened = set(nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))
    problems = []
    explorers = 0
    for number, (old, new) in enumerate(zip(stored.cells, nb.cells), start=1):
        if new.cell_type != "code":
            continue
        for out in new.outputs:
            if out.output_type == "error":
                problems.append(f"cell {number} raises {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {number} writes to stderr: {out.text.strip()[:300]}")
        expected = _explorer_outputs(old)
        shown = _explorer_outputs(new)
        explorers += len(expected)
        if len(shown) != len(expected):
            problems.append(f"cell {number}: {len(expected)} explorer output(s) stored, {len(shown)} shown here")
        for out in shown:
            view = out["data"][WIDGET_VIEW]
            if view.get("model_id") not in opened:
                problems.append(
                    f"cell {number}: its widget view names model {view.get('model_id')}, which this kernel never opened"
                )
            if "text/html" not in out["data"]:
                problems.append(f"cell {number}: an explorer without its text/html face")
    assert not problems, f"{path.name} in the Colab-like kernel:\n" + "\n".join(problems)
    print(f"{path.name}: {explorers} explorer output(s) shown, {len(opened)} widget models opened")
