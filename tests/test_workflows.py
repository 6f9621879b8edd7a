"""The GitHub workflows run what .ci/run runs: the same system packages (one script), `make test` on pull
requests, and a notebook cache that survives between runs, keyed on everything that changes outputs.

These read the workflow files (PyYAML) and run .ci/system-packages --list; nothing is installed.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SCRIPT = ".ci/system-packages"


def _workflow(path):
    data = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _runs(job):
    return [step.get("run", "") for step in job.get("steps", [])]


def _package_list(*args):
    out = subprocess.run([str(ROOT / SCRIPT), "--list", *args], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"pages.yml", "drift.yml"}, [p.name for p in WORKFLOWS]


def test_the_package_list_holds_what_the_outputs_need():
    """Graphviz measures its labels in Liberation Sans: without the fonts, stored diagrams change."""
    packages = _package_list()
    needed = {"graphviz", "fonts-liberation2", "fonts-liberation", "chromium", "python3-venv", "make"}
    assert needed <= packages, f"{SCRIPT} lacks {needed - packages}"
    assert "chromium" not in _package_list("--no-chromium")


def test_ci_run_installs_through_the_script():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(rf"^{re.escape(SCRIPT)}$", ci, re.M), f".ci/run must install the system packages with {SCRIPT}"
    assert "apt-get install" not in ci, ".ci/run installs packages itself; the list lives in .ci/system-packages"


def test_the_makefile_installs_a_subset_of_the_list():
    """make's own fallback (check-dot, run as root) installs nothing the CI list lacks."""
    makefile = (ROOT / "Makefile").read_text()
    installs = re.findall(r"apt-get install -y -qq (?:--no-install-recommends )?([\w. -]+?) >/dev/null", makefile)
    assert installs, "the Makefile's apt-get fallbacks were not found"
    named = {word for line in installs for word in line.split()}
    assert named <= _package_list(), f"the Makefile installs {named - _package_list()}, which {SCRIPT} does not"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_that_runs_make_installs_the_same_packages(path):
    for name, job in _workflow(path)["jobs"].items():
        runs = _runs(job)
        testing = [i for i, run in enumerate(runs) if re.search(r"\bmake\b|scripts/drift\.sh", run)]
        if not testing:
            continue  # e.g. deploy: only publishes what the build job made
        installs = [i for i, run in enumerate(runs) if SCRIPT in run]
        assert installs and installs[0] < testing[0], (
            f"{path.name}, job {name}: must run `sudo {SCRIPT}` before make (the packages .ci/run installs)"
        )
        for run in runs:
            assert "apt-get install" not in run and "apt install" not in run, (
                f"{path.name}, job {name}: installs packages itself ({run!r}); add them to {SCRIPT} instead"
            )
        script_runs = [runs[i] for i in installs]
        if any("--no-chromium" in run for run in script_runs):
            assert job.get("env", {}).get("CHROMIUM") == "playwright", (
                f"{path.name}, job {name}: leaves Debian's chromium out, so the tests need CHROMIUM=playwright"
            )


def test_pull_requests_run_make_test():
    checked = []
    for path in WORKFLOWS:
        workflow = _workflow(path)
        if "pull_request" not in (workflow["on"] or {}):
            continue
        for name, job in workflow["jobs"].items():
            if job.get("if") and "push" in job["if"] and "pull_request" not in job["if"]:
                continue  # deploy: push only
            assert "make test" in [run.strip() for run in _runs(job)], (
                f"{path.name}, job {name}: a pull request must run exactly `make test` (the README's test command)"
            )
            checked.append(f"{path.name}:{name}")
    assert checked, "no workflow runs on pull requests"


def test_the_published_book_is_the_one_make_test_proved():
    """The book executes nothing (it shows the stored outputs nbval proves), so no workflow needs, or may restore,
    an execution cache; the pages uploaded are the ones `make test` built and tested, in the same job, after it."""
    for path in WORKFLOWS:
        for name, job in _workflow(path)["jobs"].items():
            steps = job.get("steps", [])
            cached = [str(step.get("with", {}).get("path", "")) for step in steps]
            assert not any("jupyter_cache" in p for p in cached), (
                f"{path.name}, job {name}: restores an execution cache"
            )
            uploads = [i for i, step in enumerate(steps) if "upload-pages-artifact" in str(step.get("uses", ""))]
            if not uploads:
                continue
            tested = [i for i, step in enumerate(steps) if str(step.get("run", "")).strip() == "make test"]
            assert tested and tested[0] < uploads[0], f"{path.name}, job {name}: uploads pages make test did not build"
            after = " ".join(str(step.get("run", "")) for step in steps[tested[0] + 1 : uploads[0]])
            assert "make" not in after and "jupyter-book" not in after, (
                f"{path.name}, job {name}: rebuilds the book between make test and the upload: {after}"
            )
            assert steps[uploads[0]]["with"]["path"] == "_build/html"


def test_make_test_ends_with_its_verdict(tmp_path):
    """`make test` lets every stage run to its end (each records its result and exits 0), so the verdict is the
    `test` recipe's own: it must be there. A line placed between the rule and its recipe once detached the recipe,
    and CI passed with two stages failed."""
    dry = subprocess.run(
        # its own STAGES_DIR: reading the Makefile for `test` empties the stage records, and a real `make test` may
        # be running this very test
        ["make", "-n", "test", f"STAGES_DIR={tmp_path}/stages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
    ).stdout
    assert "make test FAILED" in dry and "exit 1" in dry, "make test's recipe (the table and the verdict) is missing"
