"""Drop the "python-format" flag from translation catalogues (make gettext runs it after sphinx-intl).

    python scripts/unflag_po.py locale/ja/LC_MESSAGES/nnlib.po locale/ja/LC_MESSAGES/notebooks/*.po ...

Babel flags a message "python-format" when it sees a % followed by a letter ("within 25 % of"), and sphinx-intl
writes the flag into the .po; gettext's `msgfmt -c` (and translators' editors) then refuse a translation whose %
falls differently. No message of the book is a %-format, so the flag is wrong on every entry that has it.
"""

import re
import sys
from pathlib import Path

FLAGS = re.compile(r"^#, (.*)\n", re.M)


def without_percent_format(m):
    flags = [f for f in m.group(1).split(", ") if f != "python-format"]
    return "#, " + ", ".join(flags) + "\n" if flags else ""


def unflag(paths):
    """Rewrite each catalogue of `paths` without the flag; returns the paths changed."""
    changed = []
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        new = FLAGS.sub(without_percent_format, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in unflag(sys.argv[1:]):
        print(f"unflag_po: {path}: python-format flags dropped")
