"""Run the static faces' JavaScript on test cases, in Node or in headless Chromium, and get the results back.

Every formula the browser mirrors has one JavaScript definition (nnlib/explore/*.js); a parity test computes
the same cases with nnlib and with the script, and compares. The two runners here take the same arguments,
so one table of cases serves both:

    results = node_eval(["nn.js"], "(NN, c) => NN.forward(layers(c), c.x)", cases)
    results = chromium_eval(page, ["nn.js"], "(NN, c) => ...", cases)

`scripts` are file names in nnlib/explore/, loaded in order; the function gets the last script's export
(nn.js: nnlibNN; explore.js: nnlibExplore) and one case, and returns anything JSON can carry. Typed arrays
come back as lists, and inf/-inf/nan as floats (JSON has no spelling for them: they travel as the strings "__inf__", "__-inf__", "__nan__").
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
# The explorers' and trainers' code is loaded as the pages load it: their bundles (nnlib/explore/dist/).
BUNDLES = {"explore.js": "dist/explore-static.js", "train.js": "dist/train-static.js"}


def script_path(name):
    """The file a page loads for script `name`: its bundle, or the file itself (nn.js, exercises.js)."""
    return SCRIPT_DIR / BUNDLES.get(name, name)

# Shared by both runners: JSON that keeps typed arrays and non-finite numbers.
_ENCODE = """
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
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
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


def _cases_json(cases):
    def default(o):
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, (np.floating, np.integer)):
            return o.item()
        raise TypeError(f"cannot send {type(o).__name__} to JavaScript")

    return json.dumps(cases, default=default, allow_nan=False)


def node_eval(scripts, function, cases):
    """`function(last_script_export, case)` for each case, computed by Node; a list of results."""
    if not Path(NODE).exists():
        raise RuntimeError(f"Node not found at {NODE}: install nodejs (apt-get install nodejs) or set NODE=/path/to/node")
    paths = [str(script_path(name)) for name in scripts]
    out = subprocess.run([NODE, "-e", _NODE_RUNNER, json.dumps(paths), function], input=_cases_json(cases),
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"node failed:\n{out.stderr}")
    return _decode(json.loads(out.stdout))


def chromium_eval(page, scripts, function, cases):
    """The same as `node_eval`, computed in a Playwright `page` of headless Chromium (scripts inlined)."""
    body = "".join(f"<script>{script_path(name).read_text(encoding='utf-8')}</script>" for name in scripts)
    page.set_content(f"<!doctype html><html><body>{body}</body></html>")
    glob = GLOBALS.get(scripts[-1])
    if glob is None:
        raise ValueError(f"no browser global known for {scripts[-1]}: add it to tests/jsface.py GLOBALS")
    source = _ENCODE + f"const fn = ({function}); return __encode(cases.map(c => fn(window.{glob}, c)));"
    result = page.evaluate(f"(cases) => {{ {source} }}", json.loads(_cases_json(cases)))
    return _decode(json.loads(result))
