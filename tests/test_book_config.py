"""The book's configuration agrees with itself: one repository URL, every notebook in the table of contents,
a Colab-only setup cell in every chapter, offline assets, and no widget output the static book cannot show.

These read the sources only (no build); tests/browser/ checks the built site.
"""

import json
import os
import subprocess
import sys
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _notebook(path):
    return json.loads(path.read_text(encoding="utf-8"))


REPO_URL = _config()["repository"]["url"]


def test_repository_url_is_a_github_repository():
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPO_URL), REPO_URL
    assert _config()["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert _config()["launch_buttons"]["colab_url"] == "https://colab.research.google.com"


def test_there_are_chapters():
    assert len(NOTEBOOKS) >= 7, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_installs_from_the_configured_repository(path):
    """Cell 1 is the title; cell 2 installs nnlib from _config.yml's repository, on Colab only."""
    cells = _notebook(path)["cells"]
    assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).startswith("# "), (
        f"{path.name}: the first cell must be markdown starting with '# Title'"
    )
    setup = _source(cells[1])
    assert cells[1]["cell_type"] == "code", f"{path.name}: cell 2 must be the setup code cell"
    assert 'if "google.colab" in sys.modules:' in setup, f"{path.name}: the setup cell must install on Colab only"
    installs = re.findall(r"%pip install .*", setup)
    assert installs, f"{path.name}: the setup cell has no %pip install line"
    for line in installs:
        assert f"git+{REPO_URL}" in line, f"{path.name}: installs from {line!r}, not from {REPO_URL} (_config.yml)"
        # The install line is inside the Colab branch (indented), so it runs nowhere else.
        assert re.search(r"^\s+%pip install", setup, re.M), f"{path.name}: %pip install must be inside the Colab branch"


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)


def test_the_pinned_commit_holds_the_library_that_made_the_outputs():
    """_config.yml's nnlib_commit is a commit of this repository whose nnlib/ and pyproject.toml are this tree's:
    the library that made the stored outputs is the one Colab readers install (`make pin` writes it)."""
    pin = str(_config().get("nnlib_commit", ""))
    assert re.fullmatch(r"[0-9a-f]{40}", pin), f"_config.yml's nnlib_commit must be a full commit hash, got {pin!r}"
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() != "false":
        pytest.skip("not a full git checkout: the pinned commit cannot be looked up here")
    assert _git("cat-file", "-e", f"{pin}^{{commit}}").returncode == 0, (
        f"nnlib_commit {pin[:12]} is not a commit of this repository: run make pin"
    )
    changed = _git("diff", "--name-only", pin, "--", "nnlib", "pyproject.toml").stdout.split()
    assert not changed, (
        f"the library changed since the pinned commit {pin[:12]} ({', '.join(changed[:5])}): commit, "
        f"re-execute the chapters (make notebooks), then make pin, so readers install what made the outputs"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_installs_the_pinned_commit(path):
    """On Colab the setup cell installs exactly _config.yml's nnlib_commit, without extras, and anywidget."""
    pin = _config()["nnlib_commit"]
    setup = _source(_notebook(path)["cells"][1])
    installs = re.findall(r"^\s+%pip install (.*)$", setup, re.M)
    expected = f'--quiet "nnlib @ git+{REPO_URL}@{pin}" anywidget'
    assert installs == [expected], (
        f"{path.name}: the setup cell installs {installs}, not [{expected!r}]: it must "
        f"install the commit _config.yml names (nnlib_commit), no extras: run make pin"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_other_cell_installs_anything(path):
    for i, cell in enumerate(_notebook(path)["cells"][2:], start=3):
        if cell["cell_type"] == "code":
            assert not re.search(r"^\s*[%!]\s*(pip|conda|apt)", _source(cell), re.M), (
                f"{path.name}, cell {i}: installs software; only the setup cell may (on Colab)"
            )


def test_every_github_link_names_the_configured_repository():
    """The repository URL is written in one place; every copy of it (README, pages, notebooks) must match."""
    texts = {
        p.relative_to(ROOT): p.read_text(encoding="utf-8")
        for p in [ROOT / "README.md", *sorted((ROOT / "book").glob("*.md")), *NOTEBOOKS]
    }
    owner_repo = REPO_URL.removeprefix("https://github.com/")
    for name, text in texts.items():
        for found in re.findall(r"github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?(?=[\s\"')\]>/#]|$)", text):
            if found.split("/")[0] in ("forward-pass-course",):
                assert found == owner_repo, f"{name}: links {found}, but _config.yml names {owner_repo}"


def test_every_notebook_is_in_the_table_of_contents(toc_files):
    toc = set(toc_files)
    missing = [p.name for p in NOTEBOOKS if f"notebooks/{p.stem}" not in toc]
    assert not missing, f"notebooks not in _toc.yml (Sphinx would warn, and readers would never find them): {missing}"


def test_every_toc_entry_exists(toc_files):
    missing = [f for f in toc_files if not any((ROOT / f"{f}{ext}").is_file() for ext in (".md", ".ipynb"))]
    assert not missing, f"_toc.yml names files that do not exist: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widget_outputs_have_a_static_face(path):
    """The book renders text/html instead of widget views; a widget without it would show as a bare repr."""
    bad = []
    for i, cell in enumerate(_notebook(path)["cells"], start=1):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data and "text/html" not in data:
                bad.append(f"cell {i}: {data.get('text/plain', '')!s:.60}")
    assert not bad, (
        f"{path.name}: widget outputs with no text/html face show as plain text in the book; "
        f"display an nnlib.explore explorer instead, or end the cell with ';': {bad}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_with_outputs(path):
    code = [c for c in _notebook(path)["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell"
    assert all(c.get("execution_count") for c in code if _source(c).strip()), (
        f"{path.name}: not executed top to bottom (run `make notebooks`)"
    )
    counts = [c["execution_count"] for c in code if _source(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1, 2, 3...: re-run in a fresh kernel (`make notebooks`)"
    )


def test_book_assets_are_local():
    """MathJax and the widget scripts are served by the book itself (vendor/), never from a CDN."""
    sphinx = _config()["sphinx"]["config"]
    assert not re.match(r"\w+://", sphinx["mathjax_path"]), sphinx["mathjax_path"]
    assert sphinx["mathjax_path"].startswith("../vendor/")
    for url, attrs in sphinx["nb_ipywidgets_js"].items():
        assert not re.match(r"\w+://", url), url
        assert all("://" not in str(v) for v in attrs.values()), attrs
    assert sphinx["nb_mime_priority_overrides"] == [["html", WIDGET_VIEW, None]]
    # The stored outputs are the book's (tests/test_stored_outputs.py says why that is safe).
    assert _config()["execute"]["execute_notebooks"] == "off"
    assert {"dollarmath", "amsmath"} <= set(_config()["parse"]["myst_enable_extensions"])
    package = json.loads((ROOT / "package.json").read_text())
    assert {"mathjax", "requirejs", "@jupyter-widgets/html-manager"} <= set(package["dependencies"])
    # Nothing under a top-level _static/: Jupyter Book would add every .js there to every page.
    assert not (ROOT / "_static").exists()


def test_the_book_reads_no_venv():
    """.venv, .venv-colab (make colab) and .venv-newest/-lowest (drift.sh) hold markdown Sphinx must not read."""
    from fnmatch import fnmatch

    patterns = _config()["exclude_patterns"]
    for venv in (".venv", ".venv-colab", ".venv-newest", ".venv-lowest"):
        assert any(fnmatch(venv, pattern) for pattern in patterns), f"_config.yml's exclude_patterns let {venv}/ in"


def test_css_loads_nothing_from_outside():
    for css in (ROOT / "book" / "_static").rglob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(), flags=re.S)  # comments may mention anything
        assert "@import" not in text, css
        assert not re.search(r"url\(\s*['\"]?\w+://", text), css


def test_binder_holds_the_readers_requirements_and_opens_the_first_chapter(toc_files):
    binder = ROOT / "binder"
    lines = [line.split("#")[0].strip() for line in (binder / "requirements.txt").read_text().splitlines()]
    assert [line for line in lines if line] == ["-r ../requirements.txt"], (
        "binder/requirements.txt must hold the reader's requirements only (-r ../requirements.txt), no test toolchain"
    )
    first = next(f for f in toc_files if f.startswith("notebooks/"))
    post_build = (binder / "postBuild").read_text()
    assert f'    app.default_url = "/lab/tree/{first}.ipynb"' in post_build, (
        f"binder/postBuild must open JupyterLab on the first chapter, {first}.ipynb"
    )
    assert "pip install --no-deps -e ." in post_build and (binder / "postBuild").stat().st_mode & 0o111


def test_ci_runs_the_readme_test_command():
    """.ci/run ends in exactly the README's test command, and the Makefile's test target runs all five stages."""
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make test \|\| rc=\$\?$", ci, re.M), ".ci/run must call exactly `make test`"
    assert "make test" in readme and "make book" in readme
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111, ".ci/run must be executable"
    makefile = (ROOT / "Makefile").read_text()
    stages = (
        re.search(r"^test: (?!(?:export +)?[\w-]+ *[:+?]?=)(.*)$", makefile, re.M).group(1).split()
    )  # the rule, not a variable
    assert {"unit", "nbval", "unit-old-cpu", "nbval-old-cpu", "colab", "jupyter", "html", "browser"} <= set(stages), (
        stages
    )
    assert stages.index("html") < stages.index("browser"), "the browser tests need the built book"
    assert "--nbval notebooks/ --nbval-sanitize-with tests/nbval_sanitize.cfg" in makefile
    assert "--nbval-lax" not in makefile
    assert "-n -W --keep-going" in makefile


def test_the_older_cpu_stages_run_as_a_sandy_bridge_cpu_computes():
    """unit-old-cpu and nbval-old-cpu run the same pytest commands (unit: less the files that compute no numbers)
    with OpenBLAS' Sandybridge kernels and numpy's SIMD targets beyond AVX switched off (numpy refuses names it did
    not dispatch: the script lists them)."""
    makefile = (ROOT / "Makefile").read_text()
    old_cpu = re.search(r"^OLD_CPU = (.*)$", makefile, re.M).group(1)
    assert "OPENBLAS_CORETYPE=Sandybridge" in old_cpu and "NPY_DISABLE_CPU_FEATURES=" in old_cpu
    assert "scripts/cpu_features_beyond_sandybridge.py" in old_cpu
    assert re.search(
        r"^unit-old-cpu:.*\n\t\$\(call run_pytest,\$\(OLD_CPU_UNIT_ARGS\),\$\(OLD_CPU\)\)$", makefile, re.M
    )
    # The older-CPU unit run is the unit run minus only the files named as computing no numbers (each exists).
    old_args = re.search(r"^OLD_CPU_UNIT_ARGS := (.*)$", makefile, re.M).group(1)
    assert old_args == "$(UNIT_ARGS) $(foreach t,$(COMPUTE_NO_NUMBERS),--ignore=tests/$(t).py)", old_args
    listed = re.search(r"^COMPUTE_NO_NUMBERS := ((?:.*\\\n)*.*)$", makefile, re.M).group(1)
    for name in listed.replace("\\\n", " ").split():
        assert (ROOT / "tests" / f"{name}.py").is_file(), f"COMPUTE_NO_NUMBERS names tests/{name}.py, which is gone"
    assert re.search(
        r"^nbval-old-cpu:.*\n\t\$\(call run_pytest,\$\(OLD_CPU_NBVAL_ARGS\),\$\(OLD_CPU\)\)$", makefile, re.M
    )
    # nbval's run less only the Japanese notebooks (the English notebooks' code: their numbers are checked there)
    old_nbval = re.search(r"^OLD_CPU_NBVAL_ARGS := (.*)$", makefile, re.M).group(1)
    assert old_nbval == "$(NBVAL_ARGS) --ignore=notebooks/ja", old_nbval


def test_numpy_accepts_the_features_the_script_switches_off():
    """The list is valid for this numpy on this CPU: numpy starts without complaint and reports them not found."""
    # Asked in this machine's own configuration (make unit-old-cpu runs this test with the features already off).
    clean = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    script = ROOT / "scripts" / "cpu_features_beyond_sandybridge.py"
    features = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, env=clean
    ).stdout.split()
    probe = (
        "import numpy, json; from numpy._core._multiarray_umath import __cpu_features__ as f; "
        "print(json.dumps([k for k, v in f.items() if v]))"
    )
    env = dict(clean, NPY_DISABLE_CPU_FEATURES=" ".join(features))
    out = subprocess.run([sys.executable, "-W", "error", "-c", probe], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    still_on = set(json.loads(out.stdout))
    assert not still_on & set(features), f"numpy still runs {still_on & set(features)}"
    here = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=clean).stdout
    if "AVX2" in json.loads(here):  # a CPU beyond Sandy Bridge: something must have been switched off
        assert features, "this CPU has AVX2, so numpy's AVX2 (or X86_V3) target must be switched off"


def test_sanitize_file_parses():
    """nbval reads tests/nbval_sanitize.cfg with configparser: every section needs a regex and a replace."""
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg")
    assert cfg.sections()
    for name in cfg.sections():
        assert {"regex", "replace"} <= set(cfg[name]), name
        re.compile(cfg[name]["regex"])
    address = next(s for s in cfg.sections() if "memory" in s)
    assert (
        re.sub(cfg[address]["regex"], cfg[address]["replace"], "<object at 0x7f3a2b4c5d60>") == "<object at 0xADDRESS>"
    )
