"""Compare every notebook's outputs with the committed ones (git HEAD); print the cells that differ.

Used by check_portable_outputs.sh. Text, HTML and SVG must be identical; stream outputs are compared as the text
they print (how a kernel splits stdout into chunks varies from run to run). Images must show the same picture:
same size, and no pixel off by more than MAX_PIXEL_STEP of 255 (anti-aliasing of a curve drawn from float32
results moves a few edge pixels by one or two steps). Cells tagged nbval-ignore-output (timings) are skipped, as
nbval skips them. Exit status 1 if anything differs.
"""

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
MAX_PIXEL_STEP = 8


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def normalised(cell_outputs):
    """The outputs as (kind, payload) pairs: streams joined per name, data by MIME type."""
    out, streams = [], {}
    for o in cell_outputs:
        if o["output_type"] == "stream":
            streams[o["name"]] = streams.get(o["name"], "") + _text(o["text"])
        elif "data" in o:
            out.append(("data", {k: _text(v) for k, v in o["data"].items()}))
        else:
            out.append((o["output_type"], o.get("ename"), o.get("evalue")))
    return sorted(streams.items()), out


def same_picture(a, b):
    pa = np.asarray(Image.open(io.BytesIO(base64.b64decode(a))).convert("RGB"), dtype=int)
    pb = np.asarray(Image.open(io.BytesIO(base64.b64decode(b))).convert("RGB"), dtype=int)
    return pa.shape == pb.shape and int(np.abs(pa - pb).max(initial=0)) <= MAX_PIXEL_STEP


def same(before, after):
    (s1, d1), (s2, d2) = normalised(before), normalised(after)
    if s1 != s2 or len(d1) != len(d2):
        return False
    for x, y in zip(d1, d2):
        if x[0] != "data" or y[0] != "data":
            if x != y:
                return False
            continue
        if set(x[1]) != set(y[1]):
            return False
        for mime in x[1]:
            if mime in ("image/png", "image/jpeg"):
                if not same_picture(x[1][mime], y[1][mime]):
                    return False
            elif x[1][mime] != y[1][mime]:
                return False
    return True


def outputs(nb):
    """{cell id: its outputs} for the cells nbval compares."""
    return {
        cell.get("id", str(i)): cell.get("outputs", [])
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and "nbval-ignore-output" not in cell.get("metadata", {}).get("tags", [])
    }


def main():
    differ = 0
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        rel = path.relative_to(ROOT).as_posix()
        committed = json.loads(
            subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        )
        before, after = outputs(committed), outputs(json.loads(path.read_text(encoding="utf-8")))
        for cell_id in sorted(set(before) | set(after)):
            if not same(before.get(cell_id, []), after.get(cell_id, [])):
                differ += 1
                print(f"{rel}: cell {cell_id}: outputs differ", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
