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
# Scripts are loaded as the pages load them: the explorers' and trainers' code as their bundles
# (nnlib/explore/dist/), the exercise interpreter from its place next to rules (nnlib/exercises/).
SCRIPT_PATHS = {
    "explore.js": SCRIPT_DIR / "dist" / "explore-static.js",
    "train.js": SCRIPT_DIR / "dist" / "train-static.js",
    "exercises.js": Path(nnlib.__file__).parent / "exercises" / "exercises.js",
}


def script_path(name):
    """The file a page loads for script `name` ("nn.js", "explore.js", "train.js", "exercises.js")."""
    return SCRIPT_PATHS.get(name, SCRIPT_DIR / name)


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

_NODE_RUNNER = (
    _ENCODE
    + """
const paths = JSON.parse(process.argv[1]);
let last = null;
for (const p of paths) { last = require(p); }
const fn = eval("(" + process.argv[2] + ")");
const cases = __decode(require("fs").readFileSync(0, "utf8"));
process.stdout.write(__encode(cases.map(c => fn(last, c))));
"""
)


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
        raise RuntimeError(
            f"Node not found at {NODE}: install nodejs (apt-get install nodejs) or set NODE=/path/to/node"
        )
    paths = [str(script_path(name)) for name in scripts]
    out = subprocess.run(
        [NODE, "-e", _NODE_RUNNER, json.dumps(paths), function],
        input=_cases_json(cases),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"node failed:\n{out.stderr}")
    return _decode(json.loads(out.stdout))


# -- exact transport (for the exercise language: its answers must keep NaN, inf and -0 apart, and errors are answers) --
# Numbers JSON cannot spell exactly (NaN, +-inf, -0) travel as {"__float__": "NaN" | "Infinity" | "-Infinity" | "-0"}.
_EXACT_JS = """
function __revive(k, v) {
  return v && typeof v === "object" && !Array.isArray(v) && "__float__" in v ? Number(v.__float__) : v;
}
function __exact(value) {
  return JSON.stringify(value, function (k, v) {
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (typeof v === "number" && (!isFinite(v) || Object.is(v, -0))) return { __float__: Object.is(v, -0) ? "-0" : String(v) };
    return v === undefined ? { __undefined__: true } : v;
  });
}
function __answer(fn, last, c) {
  try { return { value: fn(last, c) }; } catch (e) {
    return { error: String(e && e.message !== undefined ? e.message : e), type: e && e.constructor ? e.constructor.name : "" };
  }
}
"""
_SPELLING = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def exact_json(value):
    """JSON text of `value` (numbers, strings, lists, dicts, numpy arrays) that keeps NaN, inf and -0."""

    def walk(v):
        if isinstance(v, np.ndarray):
            return walk(v.tolist())
        if isinstance(v, (np.floating, np.integer)):
            v = v.item()
        if isinstance(v, float) and (not np.isfinite(v) or (v == 0 and np.signbit(v))):
            return {"__float__": _SPELLING.get(repr(v), "-0")}
        if isinstance(v, (list, tuple)):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v

    return json.dumps(walk(value), allow_nan=False)


def from_exact_json(text):
    def hook(d):
        if "__float__" in d:
            return float(d["__float__"].replace("Infinity", "inf"))
        return d

    return json.loads(text, object_hook=hook)


_SESSION_RUNNER = (
    _ENCODE
    + _EXACT_JS
    + r"""
const readline = require("readline");
const functions = new Map();
function load(paths) { let last = null; for (const p of paths) last = require(p); return last; }
readline.createInterface({input: process.stdin, terminal: false}).on("line", line => {
  let reply;
  try {
    // exact requests (NodeSession.bind) carry NaN, inf and -0 exactly and get JS errors back as values.
    const exact = line.startsWith("E");
    const request = exact ? JSON.parse(line.slice(1), __revive) : __decode(line);
    const key = JSON.stringify([request.paths, request.function]);
    if (!functions.has(key)) functions.set(key, [load(request.paths), eval("(" + request.function + ")")]);
    const [module, fn] = functions.get(key);
    reply = exact ? __exact(request.cases.map(c => __answer(fn, module, c)))
                  : __encode({result: request.cases.map(c => fn(module, c))});
  } catch (e) {
    reply = JSON.stringify({error: String(e && e.stack || e)});
  }
  process.stdout.write(reply + "\n");
});
"""
)


class NodeSession:
    """One long-lived Node process evaluating `function(last_script_export, case)` on request (JSON lines).

    A JavaScript exception comes back as RuntimeError with its stack; the process lives on. Not thread-safe.
    """

    def __init__(self):
        if not Path(NODE).exists():
            raise RuntimeError(
                f"Node not found at {NODE}: install nodejs (apt-get install nodejs) or set NODE=/path/to/node"
            )
        self.process = subprocess.Popen(
            [NODE, "-e", _SESSION_RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def eval(self, scripts, function, cases):
        """The results for a list of cases (as `node_eval`)."""
        paths = [str(script_path(name)) for name in scripts]
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

    def answers(self, scripts, function, cases):
        """For each case {"value": result} or {"error": message, "type": "TypeError"...}, NaN, inf and -0 exact."""
        paths = [str(script_path(name)) for name in scripts]
        self.process.stdin.write("E" + exact_json({"paths": paths, "function": function, "cases": list(cases)}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Node session ended (exit code {self.process.poll()})")
        reply = from_exact_json(line)
        if isinstance(reply, dict) and "error" in reply:
            raise RuntimeError(f"node failed:\n{reply['error']}")
        return reply

    def bind(self, scripts, function):
        """A callable `answer(case)` -> one of `answers` (usable as a context manager, which does nothing)."""
        return _Bound(self, scripts, function)

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


class _Bound:
    def __init__(self, session, scripts, function):
        self.session, self.scripts, self.function = session, scripts, function

    def __call__(self, case):
        return self.session.answers(self.scripts, self.function, [case])[0]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


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
        body = "".join(f"<script>{script_path(name).read_text(encoding='utf-8')}</script>" for name in scripts)
        page.set_content(f"<!doctype html><html><body>{body}</body></html>")
        self.page, self.glob = page, GLOBALS[scripts[-1]]

    def eval(self, function, cases):
        source = (
            _ENCODE + f"const fn = ({function}); return __encode(__decode(text).map(c => fn(window.{self.glob}, c)));"
        )
        return _decode(json.loads(self.page.evaluate(f"(text) => {{ {source} }}", _cases_json(cases))))

    def call(self, function, case):
        return self.eval(function, [case])[0]


def chromium_eval(page, scripts, function, cases):
    """The same as `node_eval`, computed in a Playwright `page` of headless Chromium (scripts inlined)."""
    body = "".join(f"<script>{script_path(name).read_text(encoding='utf-8')}</script>" for name in scripts)
    page.set_content(f"<!doctype html><html><body>{body}</body></html>")
    glob = GLOBALS.get(scripts[-1])
    if glob is None:
        raise ValueError(f"no browser global known for {scripts[-1]}: add it to tests/jsface.py GLOBALS")
    source = _ENCODE + f"const fn = ({function}); return __encode(__decode(text).map(c => fn(window.{glob}, c)));"
    result = page.evaluate(f"(text) => {{ {source} }}", _cases_json(cases))
    return _decode(json.loads(result))


def chromium_answers(page, scripts, function, cases):
    """What NodeSession answers for each case, computed in one Playwright `page` of headless Chromium."""
    body = "".join(f"<script>{script_path(name).read_text(encoding='utf-8')}</script>" for name in scripts)
    page.set_content(f"<!doctype html><html><body>{body}</body></html>")
    glob = GLOBALS[scripts[-1]]
    source = (
        _EXACT_JS + f"const fn = ({function}); const cases = JSON.parse(text, __revive);"
        f"return __exact(cases.map(c => __answer(fn, window.{glob}, c)));"
    )
    return from_exact_json(page.evaluate(f"(text) => {{ {source} }}", exact_json(list(cases))))
