"""Wall time of `make test`'s pytest stages as they were (one worker, every unit test twice) and as the Makefile
runs them now (notebooks on two pytest-xdist workers; the older-CPU unit run skips the files that compute no numbers),
measured side by side: each stage's two variants run back to back, so both see the same machine load.

    NNLIB_DATA=../shared/data .venv/bin/python benchmarks/bench_ci_stages.py [unit unit-old-cpu nbval colab]

The "now" arguments are read from the Makefile (make --eval), so this measures what `make test` runs; "before" is
the Makefile's arguments without -n 2 / --dist loadscope and, for unit-old-cpu, the full unit suite. Every run
must pass: a variant that fails (or collects fewer tests) is reported, since a faster broken stage saves nothing.
Prints seconds per variant and the ratio now/before. colab needs .venv-colab (`make colab` builds it).
"""

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")


def make_variable(name):
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", f"print-var:\n\t@:$(info $({name}))", "print-var"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def without_xdist(args):
    return re.sub(r"\s*(-n \d+|--dist \w+)", "", args)


def old_cpu_env():
    features = subprocess.run(
        [PY, "scripts/cpu_features_beyond_sandybridge.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    return {"OPENBLAS_CORETYPE": "Sandybridge", "NPY_DISABLE_CPU_FEATURES": features}


def stages():
    unit, nbval = make_variable("UNIT_ARGS"), make_variable("NBVAL_ARGS")
    old_unit = make_variable("OLD_CPU_UNIT_ARGS")
    colab_env = {"COLAB_PYTHON": str(ROOT / ".venv-colab" / "bin" / "python")}
    colab = "tests/colab -q -p no:cacheprovider " + make_variable("XDIST")
    return {
        "unit": ({}, without_xdist(unit), unit),
        "unit-old-cpu": (old_cpu_env(), without_xdist(unit), old_unit),
        "nbval": ({}, without_xdist(nbval), nbval),
        "colab": (colab_env, without_xdist(colab), colab),
    }


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args, env):
    """Wall seconds, CPU seconds of pytest and everything it started (kernels, workers, Node), exit code, summary."""
    cpu = children_cpu_seconds()
    start = time.perf_counter()
    out = subprocess.run(
        [PY, "-m", "pytest", *args.split(), "-p", "no:cacheprovider", "-rf"],
        cwd=ROOT,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", **env},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    cpu = children_cpu_seconds() - cpu
    lines = out.stdout.strip().splitlines() or ["(no output)"]
    failed = [line for line in lines if line.startswith("FAILED ")]
    return seconds, cpu, out.returncode, "  ".join([lines[-1], *failed])


def main():
    chosen = sys.argv[1:] or ["unit", "unit-old-cpu", "nbval", "colab"]
    table = stages()
    rows = []
    for name in chosen:
        env, before, now = table[name]
        results = {}
        for variant, args in (("before", before), ("now", now)):
            seconds, cpu, rc, summary = run(args, env)
            results[variant] = (seconds, cpu)
            print(
                f"{name:<13} {variant:<7} wall {seconds:7.1f} s  cpu {cpu:7.1f} s  rc={rc}  {summary}  "
                f"(load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        rows.append((name, results["before"], results["now"]))
    # Wall time is what CI waits for, but on a shared machine it follows the other jobs' load; CPU time (of pytest
    # and its kernels and workers) shows what a stage costs whatever the load.
    print(
        f"{'stage':<13} {'wall before':>12} {'wall now':>9} {'ratio':>6} {'cpu before':>11} {'cpu now':>8} {'ratio':>6}"
    )
    for name, (wall_before, cpu_before), (wall_now, cpu_now) in rows:
        print(
            f"{name:<13} {wall_before:11.1f}s {wall_now:8.1f}s {wall_now / wall_before:6.2f} "
            f"{cpu_before:10.1f}s {cpu_now:7.1f}s {cpu_now / cpu_before:6.2f}"
        )


if __name__ == "__main__":
    main()
