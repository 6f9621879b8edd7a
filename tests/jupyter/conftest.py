"""Real JupyterLab 4 / Notebook 7 for the tests in this folder, driven by headless Chromium (Playwright).

- ``jupyter_server`` (session): a JupyterLab server (jupyterlab and notebook come from
  requirements-dev.txt) started by the test on 127.0.0.1 with a free port, no token, no browser,
  a temporary root folder holding a copy of ``notebooks/``, and temporary Jupyter config, data and
  settings folders: nothing of the user's own Jupyter set-up is read or written (trust database
  included, so every notebook opens untrusted, as in a fresh clone). Yields a ``LabServer``.
- ``browser``: Debian's Chromium (or $CHROMIUM), as in tests/browser.
- ``lab_page`` (function): a fresh page (1280x900) whose requests may reach 127.0.0.1 only.
- ``refuse_offsite`` (session): ``refuse_offsite(context)`` makes a browser context refuse other hosts.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from headless import launched_chromium

ROOT = Path(__file__).resolve().parents[2]
# Every request to a host other than 127.0.0.1 is refused. A regular expression, matched in Playwright's driver: a
# Python handler for every request held each of JupyterLab's requests (its page loads, the notebook's save) until
# the test next called Playwright (a save waited out the test's 30 s while it polled the file in Python).
OFFSITE = re.compile(r"^(?!(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:|about:)")


@dataclass
class LabServer:
    url: str  # http://127.0.0.1:PORT/
    root: Path  # the server's root folder (a copy of notebooks/ is in root/"notebooks")
    env: dict  # the server's environment (its own Jupyter data folder: key and trust database)

    def notebook(self, name):
        """The notebook file as the server stores it now (a dict)."""
        return json.loads((self.root / "notebooks" / name).read_text(encoding="utf-8"))

    def fresh(self, name):
        """Put the committed notebook back in the server's folder, as a fresh clone has it: its stored outputs,
        unsigned (untrusted). Tests share one server, and the sweep runs and saves (signs) the chapters: a test
        that opens a chapter "before any run" must not get the copy an earlier test ran and saved."""
        path = self.root / "notebooks" / name
        shutil.copyfile(ROOT / "notebooks" / name, path)
        # A run that the front end saves reproduces the committed file byte for byte, and the sweep signs it
        # (`trust`): the committed content would then open trusted. Forget its signature in this server's database.
        self._notary().unsign(nbformat.read(path, as_version=4))

    def trust(self, name):
        """Sign the notebook with this server's key, as Jupyter does when it saves a notebook it trusts (what
        `jupyter trust` does, in this process: a Python start per chapter cost seconds on a loaded machine)."""
        self._notary().sign(nbformat.read(self.root / "notebooks" / name, as_version=4))

    def _notary(self):
        from nbformat.sign import NotebookNotary

        return NotebookNotary(data_dir=self.env["JUPYTER_DATA_DIR"])

    def api(self, path, method="GET"):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    try:
        import jupyterlab  # noqa: F401
        import notebook  # noqa: F401
    except ImportError:
        pytest.fail(
            "JupyterLab and Notebook 7 are test dependencies: .venv/bin/pip install -r requirements-dev.txt",
            pytrace=False,
        )
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = dict(os.environ)
    for name, folder in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"),
    ):
        (base / folder).mkdir()
        env[name] = str(base / folder)
    # no "Would you like to get notified about official Jupyter news?" toast over the notebooks in screenshots
    news = base / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false"}')
    # every cell rendered, not only those near the window (JupyterLab 4's default windowing): the sweep checks
    # every output of a chapter, and a reopened notebook's stand-ins render only where its cells do
    tracker = base / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    env.setdefault("NNLIB_DATA", str((ROOT.parent / "shared" / "data").resolve()))
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    if os.environ.get(
        "NNLIB_JUPYTER_BASELINE"
    ):  # benchmarks/bench_explorers.py --jupyter: an older nnlib, side by side
        env["PYTHONPATH"] = os.environ["NNLIB_JUPYTER_BASELINE"]
    port = _free_port()
    log = open(base / "server.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={root}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.port_retries=0",
            "--allow-root",
            "--ServerApp.terminals_enabled=False",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "api/status", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(
                    f"JupyterLab did not start on {url}; its log:\n" + (base / "server.log").read_text()[-3000:],
                    pytrace=False,
                )
            time.sleep(0.3)
    yield LabServer(url=url, root=root, env=env)
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    with launched_chromium() as browser:
        yield browser


def _refuse_offsite(context):
    context.route(OFFSITE, lambda route: route.abort("blockedbyclient"))


@pytest.fixture(scope="session")
def refuse_offsite():
    """``refuse_offsite(context)``: the browser context's requests may reach 127.0.0.1 only."""
    return _refuse_offsite


@pytest.fixture
def lab_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    _refuse_offsite(context)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
