"""Pin what Colab readers install to the nnlib that made the stored outputs: `make pin`.

The pin is a commit, named once in _config.yml (`nnlib_commit`), and every chapter's setup cell installs exactly
it ("nnlib @ git+<repository>@<commit>"). A commit cannot name itself, so the pin is the last commit that changed
the library (nnlib/ or pyproject.toml); the commits after it (notebooks, text, this pin) leave the library as it
is, which tests/test_book_config.py checks (`git diff <pin> -- nnlib pyproject.toml` is empty).

After changing nnlib: commit, `make notebooks`, `make pin`, commit.
"""

import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ["nnlib", "pyproject.toml"]


def git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


def main():
    if git("status", "--porcelain", "--", *LIBRARY):
        sys.exit("make pin: nnlib/ or pyproject.toml has uncommitted changes: commit them first (the pin is a commit)")
    commit = git("log", "-1", "--format=%H", "--", *LIBRARY)
    config = ROOT / "_config.yml"
    text = config.read_text()
    text, n = re.subn(r"^nnlib_commit: .*$", f"nnlib_commit: {commit}", text, flags=re.M)
    if n != 1:
        sys.exit("make pin: _config.yml has no line 'nnlib_commit: ...' to update")
    config.write_text(text)
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        setup = nb.cells[1]
        new = re.sub(r"(nnlib @ git\+[^\s\"@]+)@[^\s\"]+", rf"\1@{commit}", setup.source)
        if new != setup.source:
            setup.source = new
            nbformat.write(nb, path)
    print(f"make pin: nnlib_commit: {commit} (in _config.yml and every setup cell)")


if __name__ == "__main__":
    main()
