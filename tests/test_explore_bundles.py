"""The committed bundles (nnlib/explore/dist/) are what the ES modules in nnlib/explore/js/ build to.

pip-installed nnlib ships the bundles, not the sources' build; a change to a module without `make bundles`
would ship the old drawing code. This builds every face into a temporary folder with the locked esbuild
(package-lock.json) and compares byte for byte.
"""

import subprocess
from pathlib import Path

import pytest

from jsface import NODE

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "nnlib" / "explore" / "dist"
BUILD = ROOT / "nnlib" / "explore" / "js" / "build.mjs"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    if not (ROOT / "node_modules" / "esbuild").is_dir():
        pytest.fail("esbuild is not installed: run `make bundles` (npm ci) first")
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([NODE, str(BUILD), str(out)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return out


def test_every_committed_bundle_equals_a_fresh_build(fresh):
    built = sorted(p.name for p in fresh.iterdir())
    assert built == sorted(p.name for p in DIST.glob("*.js")), "dist/ holds other files than the build makes"
    for name in built:
        assert (DIST / name).read_bytes() == (fresh / name).read_bytes(), (
            f"nnlib/explore/dist/{name} is not what nnlib/explore/js/ builds to: run `make bundles` and commit"
        )


def test_the_bundles_are_package_data():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"explore/dist/*.js"' in text
