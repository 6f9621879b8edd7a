"""What a hostile parameter file can cost load_params at most: CPU time and peak memory, each case in a fresh process.

    .venv/bin/python benchmarks/bench_hostile_files.py

Each case writes a file made to use up one of nnlib's budgets (safe_pickle's opcodes, memo entries,
tuples and array bytes; weights' .npz members, header size and central directory), loads it with
load_params in a child process, and prints the file's size, the outcome, the child's CPU time and its
peak resident memory above an empty load (VmHWM minus the baseline after importing nnlib). The
numbers in the README's safety paragraph come from this script. Linux only (/proc).
"""

import io
import pickle
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
from pathlib import Path
from nnlib.weights import load_params

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

base = hwm()
started = time.process_time()
try:
    params = load_params(sys.argv[1])
    outcome = f"loaded {len(params):,} arrays, {sum(a.nbytes for a in params.values()):,} bytes"
except Exception as err:
    outcome = f"{type(err).__name__}: {str(err)[len(sys.argv[1]) + 2:][:90]}"
print(f"{time.process_time() - started:.2f}\t{hwm() - base:.0f}\t{outcome}")
"""


def uni(text):
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def frombuffer(data_opcodes, n):
    return (
        b"cnumpy.core.numeric\n_frombuffer\n("
        + data_opcodes
        + b"cnumpy\ndtype\n("
        + uni("u1")
        + b"\x89\x88tR(K\x03"
        + uni("<")
        + b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"
        + b"J"
        + struct.pack("<i", n)
        + b"\x85"
        + uni("C")
        + b"tR"
    )


def pickles():
    mib = 2**20
    data = bytes(8 * mib)
    yield (
        "pickle: one 8 MiB bytes in the memo feeding 1,000 arrays",
        (
            b"\x80\x03}("
            + uni("W0")
            + frombuffer(b"B" + struct.pack("<I", len(data)) + data + b"q\x00", len(data))
            + b"".join(uni(f"W{i}") + frombuffer(b"h\x00", len(data)) for i in range(1, 1000))
            + b"u."
        ),
    )
    yield "pickle: 8 MiB of MEMOIZE", b"\x80\x04N" + b"\x94" * (8 * mib) + b"0}."
    yield "pickle: 8 MiB of NONE/POP", b"\x80\x03" + b"N0" * (4 * mib) + b"}."
    yield "pickle: 6 MiB of EMPTY_TUPLE/TUPLE1/POP", b"\x80\x03" + b")\x850" * (2 * mib) + b"}."
    # Every budget used up at once: memo entries, tuples (64 items each) and opcodes, then refused at the end.
    tuples = (b"(" + b"N" * 64 + b"t0") * 1200
    yield (
        "pickle: all work budgets used, then refused",
        (b"\x80\x04N" + b"\x94" * 120_000 + b"0" + tuples + b"N0" * 100_000 + b")" * 9000 + b"0" * 9000 + b"N."),
    )
    params = {f"p{i}": np.zeros((2, 3), np.float32) for i in range(10_000)}
    yield "pickle: numpy's own, 10,000 arrays, protocol 2", pickle.dumps(params, protocol=2)
    big = np.random.default_rng(0).normal(size=16 * mib)  # 128 MiB
    yield "pickle: numpy's own, one 128 MiB array, protocol 2", pickle.dumps({"W1": big}, protocol=2)
    yield "pickle: numpy's own, one 128 MiB array, protocol 5", pickle.dumps({"W1": big}, protocol=5)


def npzs(folder):
    header = "{'descr': '<f8', " + "'fortran_order': False, " * 7 + "'shape': (0,), }"
    header = header.ljust(255) + "\n"
    member = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode()
    path = folder / "headers.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(10_000):
            archive.writestr(f"p{i}.npy", member)
    yield "npz: 10,000 members with 256-byte headers", path
    path = folder / "million.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(1_000_000):
            archive.writestr(zipfile.ZipInfo(f"{i}"), b"")
    yield "npz: 1,000,000 empty members", path
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.zeros(32 * 2**20))  # 256 MiB of zeros deflate to 256 KB
    path = folder / "deflated.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("W1.npy", buffer.getvalue())
    yield "npz: 256 MiB of zeros deflated to a small file", path


def main():
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [(name, data) for name, data in pickles()]
        print(f"{'case':<55} {'file':>12} {'CPU s':>6} {'+MiB':>6}  outcome")
        for number, (name, data) in enumerate(cases):
            path = folder / f"case{number}.pkl"
            path.write_bytes(data)
            run(name, path)
            path.unlink()
        for name, path in npzs(folder):
            run(name, path)
            path.unlink()


def run(name, path):
    child = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, cwd=ROOT)
    cpu, mib, outcome = (child.stdout.strip() or f"-\t-\t{child.stderr.strip()[-90:]}").split("\t", 2)
    print(f"{name:<55} {path.stat().st_size:>12,} {cpu:>6} {mib:>6}  {outcome}")


if __name__ == "__main__":
    main()
