"""Kernel memory and cell times of each chapter, run as a reader runs it: a fresh kernel, every cell in order.

    .venv/bin/python benchmarks/bench_chapter_memory.py [notebooks/06_handwritten_digits.ipynb ...] [--limit-mib 400]
                                                        [--cell-seconds 3] [--summary]

With no notebook named, every chapter (notebooks/[0-9]*.ipynb), each in a fresh kernel, then a table of their
peaks. --summary prints only that table. The kernel is the running Python's (kernel spec "python3"): run this
with a Binder-like venv's python to measure what Binder's kernel holds (README, "Where it runs").

Prints, per code cell, its wall time, the kernel's resident memory after it (VmRSS) and the peak
reached while it ran (VmHWM, reset before each cell through /proc/<pid>/clear_refs, so a short spike
inside a cell is caught without sampling), then the kernel's overall peak and the slowest cell.
Exits with status 1 when a chapter's peak exceeds --limit-mib (400 MiB for every chapter, issues 18 and 25:
Binder gives 1-2 GB, shared with the server and the browser's kernels), so it doubles as the kernel-memory check; cell times are reported against --cell-seconds but do not fail
the run (they depend on the machine and its load). Linux only (/proc). The notebook is not written.
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def status_kib(pid, field):
    """A field of /proc/<pid>/status in KiB (VmRSS: resident now; VmHWM: peak since start or last reset)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field}")


def reset_peak(pid):
    """Reset VmHWM to the current RSS (Linux >= 4.0: write 5 to clear_refs); False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def run(path, limit_mib, cell_seconds, verbose=True):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    rows = []
    overall_peak = 0
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        start_rss = status_kib(pid, "VmRSS")
        per_cell_peaks = True
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            per_cell_peaks &= reset_peak(pid)
            start = time.perf_counter()
            client.execute_cell(cell, index)
            seconds = time.perf_counter() - start
            peak = status_kib(pid, "VmHWM")
            overall_peak = max(overall_peak, peak)
            rows.append((index, seconds, status_kib(pid, "VmRSS"), peak))
    slowest = max(rows, key=lambda row: row[1])
    peak_mib = overall_peak / 1024
    if not verbose:
        return peak_mib, start_rss / 1024, sum(r[1] for r in rows)
    print(f"{path}: kernel {start_rss / 1024:.0f} MiB after start-up")
    print(f"{'cell':>5} {'seconds':>8} {'RSS after':>10} {'peak in cell' if per_cell_peaks else 'peak so far':>13}")
    for index, seconds, rss, peak in rows:
        flag = "  <- over %g s" % cell_seconds if seconds > cell_seconds else ""
        print(f"{index:>5} {seconds:>8.2f} {rss / 1024:>6.0f} MiB {peak / 1024:>9.0f} MiB{flag}")
    print(
        f"kernel peak: {peak_mib:.0f} MiB (limit {limit_mib} MiB, ratio {peak_mib / limit_mib:.2f}); "
        f"slowest cell: {slowest[0]} at {slowest[1]:.2f} s (goal {cell_seconds} s, ratio {slowest[1] / cell_seconds:.2f}); "
        f"all cells {sum(r[1] for r in rows):.1f} s"
    )
    return peak_mib, start_rss / 1024, sum(r[1] for r in rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: every chapter")
    parser.add_argument("--limit-mib", type=float, default=400.0)
    parser.add_argument("--cell-seconds", type=float, default=3.0)
    parser.add_argument("--summary", action="store_true", help="only the table of peaks")
    args = parser.parse_args()
    paths = [Path(p).resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    import ipykernel
    import IPython
    import ipywidgets
    import matplotlib
    import numpy

    print(
        f"Python {sys.version.split()[0]}, numpy {numpy.__version__}, matplotlib {matplotlib.__version__}, "
        f"ipywidgets {ipywidgets.__version__}, IPython {IPython.__version__}, ipykernel {ipykernel.__version__}"
    )
    table = []
    for path in paths:
        peak, start, seconds = run(path, args.limit_mib, args.cell_seconds, verbose=not args.summary)
        table.append((path.name, start, peak, seconds))
    print(f"{'chapter':<32} {'start-up':>9} {'peak':>9} {'of limit':>9} {'all cells':>10}")
    for name, start, peak, seconds in table:
        print(f"{name:<32} {start:>5.0f} MiB {peak:>5.0f} MiB {peak / args.limit_mib:>9.2f} {seconds:>8.1f} s")
    over = [name for name, _, peak, _ in table if peak > args.limit_mib]
    if over:
        print(f"FAIL: the kernel's peak exceeds {args.limit_mib:g} MiB in {', '.join(over)}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
