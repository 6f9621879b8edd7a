"""Run the static faces' JavaScript on test cases, in Node or in headless Chromium, and get the results back.

Every formula the browser mirrors has one JavaScript definition (nnlib/explore/*.js); a parity test computes
the same cases with nnlib and with the script, and compares. The two runners here take the same arguments,
so one table of cases serves both:

    results = node_eval(["nn.js"], "(NN, c) => NN.forward(layers(c), c.x)", cases)
    results = chromium_eval(page, ["nn.js"], "(NN, c) => ...", cases)

For many small calls (the property-based tests draw thousands of cases, one at a time so that Hypothesis can
shrink a failing one), `NodeSession` keeps ONE Node process for the whole test session and talks JSON lines with
it: `node_session().call(["nn.js"], "(NN, c) => ...", case)` costs about 0.1 ms instead of a process start.

`scripts` are file names in nnlib/explore/, loaded in order; the function gets the last script's export
(nn.js: nnlibNN; explore.js: nnlibExplore) and one case, and returns anything JSON can carry. Typed arrays
come back as lists, and inf/-inf/nan travel both ways as numbers (JSON has no spelling for them: on the wire they
are the strings "__inf__", "__-inf__", "__nan__").
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np

import nnlib

SCRIPT_DIR = Path(nnlib.__file__).parent / "explore"
NODE = os.environ.get("NODE") or shutil.which("node") or "/usr/bin/node"
GLOBALS = {"nn.js": "nnlibNN", "explore.js": "nnlibExplore", "exercises.js": "nnlibExercises", "train.js": "nnlibTrain"}

# Shared by both runners: JSON that keeps typed arrays and non-finite numbers, both ways.
_ENCODE = """
function __decode(text) {
  return JSON.parse(text, function (k, v) {
    return v === "__nan__" ? NaN : v === "__inf__" ? Infinity : v === "__-inf__" ? -Infinity : v;
  });
}
function __encode(value) {
  return JSON.stringify(value, function (k, v) {
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (typeof v === "number" && !isFinite(v)) return isNaN(v) ? "__nan__" : (v > 0 ? "__inf__" : "__-inf__");
    return v;
  });
}
"""

_NODE_RUNNER = _ENCODE + """
const paths = JSON.parse(process.argv[1]);
let last = null;
for (const p of paths) { last = require(p); }
const fn = eval("(" + process.argv[2] + ")");
const cases = __decode(require("fs").readFileSync(0, "utf8"));
process.stdout.write(__encode(cases.map(c => fn(last, c))));
"""


def _decode(value):
    if isinstance(value, str) and value in ("__inf__", "__-inf__", "__nan__"):
        return float(value.strip("_"))
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value


def _plain(value):
    """value with numpy arrays and scalars as Python lists and numbers, and inf/-inf/nan as the strings above."""
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return _plain(value.item())
    if isinstance(value, float) and not np.isfinite(value):
        return "__nan__" if np.isnan(value) else "__inf__" if value > 0 else "__-inf__"
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send {type(value).__name__} to JavaScript")


def _cases_json(cases):
    return json.dumps(_plain(cases), allow_nan=False)


def node_eval(scripts, function, cases):
    """`function(last_script_export, case)` for each case, computed by Node; a list of results."""
    if not Path(NODE).exists():
        raise RuntimeError(f"Node not found at {NODE}: install nodejs (apt-get install nodejs) or set NODE=/path/to/node")
    paths = [str(SCRIPT_DIR / name) for name in scripts]
    out = subprocess.run([NODE, "-e", _NODE_RUNNER, json.dumps(paths), function], input=_cases_json(cases),
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"node failed:\n{out.stderr}")
    return _decode(json.loads(out.stdout))


_SESSION_RUNNER = _ENCODE + r"""
const readline = require("readline");
const functions = new Map();
function load(paths) { let last = null; for (const p of paths) last = require(p); return last; }
readline.createInterface({input: process.stdin, terminal: false}).on("line", line => {
  let reply;
  try {
    const request = __decode(line);
    const key = JSON.stringify([request.paths, request.function]);
    if (!functions.has(key)) functions.set(key, [load(request.paths), eval("(" + request.function + ")")]);
    const [module, fn] = functions.get(key);
    reply = __encode({result: request.cases.map(c => fn(module, c))});
  } catch (e) {
    reply = JSON.stringify({error: String(e && e.stack || e)});
  }
  process.stdout.write(reply + "\n");
});
"""


class NodeSession:
    """One long-lived Node process evaluating `function(last_script_export, case)` on request (JSON lines).

    A JavaScript exception comes back as RuntimeError with its stack; the process lives on. Not thread-safe.
    """

    def __init__(self):
        if not Path(NODE).exists():
            raise RuntimeError(f"Node not found at {NODE}: install nodejs (apt-get install nodejs) or set NODE=/path/to/node")
        self.process = subprocess.Popen([NODE, "-e", _SESSION_RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)

    def eval(self, scripts, function, cases):
        """The results for a list of cases (as `node_eval`)."""
        paths = [str(SCRIPT_DIR / name) for name in scripts]
        request = json.dumps({"paths": paths, "function": function, "cases": _plain(cases)}, allow_nan=False)
        self.process.stdin.write(request + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Node session ended (exit code {self.process.poll()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"node failed:\n{reply['error']}")
        return _decode(reply["result"])

    def call(self, scripts, function, case):
        """The result for one case."""
        return self.eval(scripts, function, [case])[0]

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


_SESSION = None


def node_session():
    """The test session's one NodeSession, started on first use and closed when Python exits."""
    global _SESSION
    if _SESSION is None or _SESSION.process.poll() is not None:
        import atexit

        _SESSION = NodeSession()
        atexit.register(_SESSION.close)
    return _SESSION


class ChromiumSession:
    """`scripts` loaded once into a Playwright `page`; `call(function, case)` then costs one page.evaluate."""

    def __init__(self, page, scripts):
        body = "".join(f"<script>{(SCRIPT_DIR / name).read_text(encoding='utf-8')}</script>" for name in scripts)
        page.set_content(f"<!doctype html><html><body>{body}</body></html>")
        self.page, self.glob = page, GLOBALS[scripts[-1]]

    def eval(self, function, cases):
        source = _ENCODE + f"const fn = ({function}); return __encode(__decode(text).map(c => fn(window.{self.glob}, c)));"
        return _decode(json.loads(self.page.evaluate(f"(text) => {{ {source} }}", _cases_json(cases))))

    def call(self, function, case):
        return self.eval(function, [case])[0]


def chromium_eval(page, scripts, function, cases):
    """The same as `node_eval`, computed in a Playwright `page` of headless Chromium (scripts inlined)."""
    body = "".join(f"<script>{(SCRIPT_DIR / name).read_text(encoding='utf-8')}</script>" for name in scripts)
    page.set_content(f"<!doctype html><html><body>{body}</body></html>")
    glob = GLOBALS.get(scripts[-1])
    if glob is None:
        raise ValueError(f"no browser global known for {scripts[-1]}: add it to tests/jsface.py GLOBALS")
    source = _ENCODE + f"const fn = ({function}); return __encode(__decode(text).map(c => fn(window.{glob}, c)));"
    result = page.evaluate(f"(text) => {{ {source} }}", _cases_json(cases))
    return _decode(json.loads(result))
