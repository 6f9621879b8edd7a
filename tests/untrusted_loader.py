"""Load many untrusted parameter files in this process and report on each; run by test_safe_pickle.py.

    python tests/untrusted_loader.py LIST_FILE

LIST_FILE holds one path per line. For each file the script prints `begin N`, then one line
`end N OUTCOME DETAIL` where OUTCOME is

    loaded     load_params returned; DETAIL is "ok" when every value is a finite numeric array that
               owns its memory and whose bytes occur in the file, else what is wrong
    refused    UnsafePickleError or ValueError; DETAIL is the class and message (first 300 characters)
    error      any other exception (a bug: the loader should have refused the file cleanly)
    audit      something was run while loading: DETAIL names the audit events (os.system, exec, ...)

A crash (segfault, abort) ends the process with a signal after a `begin N` without its `end N`,
which names the file that crashed it. Address space is limited to 4 GiB so that a file that makes
the loader allocate a huge array fails here instead of exhausting the machine.
"""

import ast
import faulthandler
import os
import resource
import sys

import numpy as np

from nnlib.safe_pickle import UnsafePickleError
from nnlib.weights import load_params

# Events that mean code from the file ran (or that the loader does something it never should).
WATCHED = (
    "os.system",
    "subprocess.Popen",
    "exec",
    "compile",
    "import",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.kill",
    "os.remove",
    "os.rename",
    "os.rmdir",
    "shutil.rmtree",
    "socket.connect",
    "ctypes.dlopen",
    "ctypes.call_function",
    "pickle.find_class",
    "marshal.loads",
    "builtins.input",
)
events = []
armed = False


def _inside_literal_eval():
    """numpy reads an .npy header with ast.literal_eval, which compiles to a syntax tree only and runs nothing."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code is ast.literal_eval.__code__:
            return True
        frame = frame.f_back
    return False


def _audit(event, args):
    if not armed:
        return
    if event == "compile" and _inside_literal_eval():
        return
    if event in WATCHED or event.startswith(("os.exec", "os.spawn", "subprocess", "ctypes")):
        events.append(event)
    elif event == "open" and len(args) >= 3:
        mode, flags = args[1], args[2]
        if (mode and any(c in mode for c in "wax+")) or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            events.append(f"open-for-writing {args[0]!r}")


def _provenance(value, data):
    """Where this array's bytes come from: "ok" when they occur in the file as stored, else why not."""
    if not isinstance(value, np.ndarray):
        return f"a {type(value).__name__}, not an array"
    if value.dtype.kind not in "biuf" or value.dtype.hasobject:
        return f"dtype {value.dtype}"
    if not value.flags.owndata or not value.flags.writeable:
        return "an array that does not own writable memory"
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        return "non-finite values"
    if value.size == 0 or value.dtype.kind == "b":
        return "ok"
    for order in ("C", "F"):
        for array in (value, value.byteswap()):
            raw = array.tobytes(order=order)
            if raw in data or raw.decode("latin1").encode("utf-8") in data:  # protocol 2 stores text
                return "ok"
    return "bytes that do not occur in the file"


def _warm_up(stem):
    """Load one good file of each kind first, so that lazy imports inside numpy do not count as events."""
    import pickle

    from nnlib.weights import save_params

    params = {"W1": np.ones((2, 3), np.float32), "b1": np.zeros(3)}
    save_params(stem + ".npz", params)
    with open(stem + ".pkl", "wb") as f:
        pickle.dump(params, f, protocol=3)
    for suffix in (".npz", ".pkl"):
        load_params(stem + suffix)
        os.remove(stem + suffix)


def main(list_file):
    global armed
    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))
    faulthandler.enable()
    with open(list_file) as f:
        paths = f.read().splitlines()
    _warm_up(list_file + ".warm-up")
    sys.addaudithook(_audit)
    for number, path in enumerate(paths):
        print(f"begin {number}", flush=True)
        with open(path, "rb") as f:
            data = f.read()
        events.clear()
        armed = True
        try:
            params = load_params(path)
        except (UnsafePickleError, ValueError) as err:
            outcome, detail = "refused", f"{type(err).__name__}: {err}"[:300]
        except Exception as err:  # noqa: BLE001 - any other exception is what this script reports
            outcome, detail = "error", f"{type(err).__name__}: {err}"[:300]
        else:
            outcome = "loaded"
            problems = {f"{key}: {why}" for key, value in params.items() if (why := _provenance(value, data)) != "ok"}
            detail = "; ".join(sorted(problems))[:300] or "ok"
        finally:
            armed = False
        if events:
            outcome, detail = "audit", ", ".join(events)[:300]
        print(f"end {number} {outcome} {detail!r}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
