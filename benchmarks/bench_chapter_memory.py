"""Kernel memory and cell times of a chapter, run as a reader runs it: a fresh kernel, every cell in order.

    .venv/bin/python benchmarks/bench_chapter_memory.py [notebooks/06_handwritten_digits.ipynb] [--limit-mib 400]
                                                        [--cell-seconds 3]

Prints, per code cell, its wall time, the kernel's resident memory after it (VmRSS) and the peak
reached while it ran (VmHWM, reset before each cell through /proc/<pid>/clear_refs, so a short spike
inside a cell is caught without sampling), then the kernel's overall peak and the slowest cell.
Exits with status 1 when the peak exceeds --limit-mib (chapter 6's goal: 400 MiB, issue 18), so it
doubles as the kernel-memory check; cell times are reported against --cell-seconds but do not fail
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


def run(path, limit_mib, cell_seconds):
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
    print(f"{path}: kernel {start_rss / 1024:.0f} MiB after start-up")
    print(f"{'cell':>5} {'seconds':>8} {'RSS after':>10} {'peak in cell' if per_cell_peaks else 'peak so far':>13}")
    for index, seconds, rss, peak in rows:
        flag = "  <- over %g s" % cell_seconds if seconds > cell_seconds else ""
        print(f"{index:>5} {seconds:>8.2f} {rss / 1024:>6.0f} MiB {peak / 1024:>9.0f} MiB{flag}")
    slowest = max(rows, key=lambda row: row[1])
    peak_mib = overall_peak / 1024
    print(f"kernel peak: {peak_mib:.0f} MiB (limit {limit_mib} MiB, ratio {peak_mib / limit_mib:.2f}); "
          f"slowest cell: {slowest[0]} at {slowest[1]:.2f} s (goal {cell_seconds} s, ratio {slowest[1] / cell_seconds:.2f}); "
          f"all cells {sum(r[1] for r in rows):.1f} s")
    return peak_mib <= limit_mib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", default=str(ROOT / "notebooks" / "06_handwritten_digits.ipynb"))
    parser.add_argument("--limit-mib", type=float, default=400.0)
    parser.add_argument("--cell-seconds", type=float, default=3.0)
    args = parser.parse_args()
    ok = run(Path(args.notebook).resolve(), args.limit_mib, args.cell_seconds)
    if not ok:
        print(f"FAIL: the kernel's peak exceeds {args.limit_mib} MiB")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
