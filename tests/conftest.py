"""Shared test fixtures: where the course's data lives (../shared/data unless NNLIB_DATA says otherwise)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _data_root():
    env = os.environ.get("NNLIB_DATA")
    return Path(env).resolve() if env else (ROOT.parent / "shared" / "data").resolve()


# Loaders must find the shared data, never the network, during tests: set before any fixture
# (module-scoped ones included) loads MNIST. An NNLIB_DATA given by the caller wins.
os.environ["NNLIB_DATA"] = str(_data_root())


@pytest.fixture(scope="session")
def data_root():
    root = _data_root()
    if not (root / "mnist").is_dir():
        pytest.fail(
            f"MNIST not found under {root}: set NNLIB_DATA to the folder that holds mnist/ "
            "and sample_weight.pkl (../shared/data from the project root)"
        )
    return root


def toc_files():
    """Every page named in _toc.yml (paths without suffix, root first), in reading order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("chapters", []) + entry.get("sections", []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return files


@pytest.fixture(name="toc_files")
def toc_files_fixture():
    return toc_files()
