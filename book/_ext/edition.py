"""Build one edition of the book, or its message catalogues, with Jupyter Book's own Sphinx configuration.

The English edition is `jupyter-book build .` (the Makefile's html target, unchanged). This script runs the same
build (Jupyter Book's `build_sphinx`, reading _config.yml and _toc.yml) with a few configuration overrides:

    python book/_ext/edition.py gettext      -> _build/gettext/*.pot (the English text, one catalogue per page)
    python book/_ext/edition.py ja           -> _build/html/ja/ (language=ja, text from locale/ja/LC_MESSAGES/*.mo)

The Japanese build executes nothing: each chapter page is the English notebook's markdown (translated by Sphinx
through the page catalogue) with the code cells and stored outputs of the Japanese notebook notebooks/ja/NN_x.ipynb
(`make notebooks-ja`, book/_ext/ja_notebooks.py: the same code run with nnlib set to Japanese, so the explorers'
and forms' words in the outputs are Japanese). It keeps its own doctrees (_build/.doctrees-ja: a doctree holds
translated text) and fails on any warning, like the English build (a missing or stale Japanese notebook is one).
The .po files are compiled to .mo by Sphinx itself (gettext_auto_build).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each catalogue is one page (gettext_compact=False): a translator works page by page, and a test can name
# the page whose text changed.
COMMON = {"gettext_uuid": False, "gettext_location": True}

EDITIONS = {
    # Only the text matters: no notebook is executed (execution would add nothing translatable: outputs are
    # code results and the explorers' HTML, which nnlib translates itself, see nnlib/i18n).
    "gettext": {
        "builder": "gettext",
        "outdir": ROOT / "_build" / "gettext",
        "doctrees": ROOT / "_build" / ".doctrees-gettext",
        "overrides": {**COMMON, "nb_execution_mode": "off", "language": "en"},
        "warningiserror": False,
    },
    "ja": {
        "builder": "html",
        "outdir": ROOT / "_build" / "html" / "ja",
        "doctrees": ROOT / "_build" / ".doctrees-ja",
        "overrides": {
            **COMMON,
            "language": "ja",
            "gettext_auto_build": True,
            # The outputs are the Japanese notebooks' (book/_ext/ja_notebooks.py): nothing to execute.
            "nb_execution_mode": "off",
            # Search: terms found as typed (book/_ext/japanese_search.py).
            "html_search_options": {"type": "japanese_search.RunsAndWords"},
            # myst-nb's toggles of hidden code cells
            "nb_code_prompt_show": "コードを表示",
            "nb_code_prompt_hide": "コードを隠す",
        },
        "warningiserror": True,
    },
}


def main(edition: str, outdir: Path | None = None) -> int:
    """Build `edition` into its folder (or `outdir`, with doctrees next to it); returns Sphinx's exit status."""
    from jupyter_book.sphinx import build_sphinx

    spec = EDITIONS[edition]
    outdir = Path(outdir) if outdir else spec["outdir"]
    doctrees = outdir.parent / f".doctrees-{edition}" if outdir != spec["outdir"] else spec["doctrees"]
    result = build_sphinx(
        ROOT,
        outdir,
        path_config=str(ROOT / "_config.yml"),
        # What `jupyter-book build .` passes (jupyter_book/cli/main.py), plus this edition's settings; nitpicky as
        # with `-n`.
        confoverrides={
            "external_toc_path": str(ROOT / "_toc.yml"),
            "latex_individualpages": False,
            "nitpicky": True,
            **spec["overrides"],
        },
        noconfig=True,
        doctreedir=doctrees,
        builder=spec["builder"],
        warningiserror=spec["warningiserror"],
        keep_going=True,
        quiet=True,
    )
    if isinstance(result, Exception):
        raise result
    if edition == "ja" and result == 0:
        # What `jupyter-book build` writes at the English root: ja/ opens the edition's first page.
        root = read_root_page()
        (outdir / "index.html").write_text(
            f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>The Forward Pass</title>'
            f'<meta http-equiv="Refresh" content="0; url={root}.html" /></head>'
            f'<body><a href="{root}.html">{root}</a></body></html>\n',
            encoding="utf-8",
        )
    return result


def read_root_page() -> str:
    """The book's first page, as _toc.yml names it (e.g. book/preface)."""
    import yaml

    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or sys.argv[1] not in EDITIONS:
        sys.exit(f"usage: python book/_ext/edition.py {{{'|'.join(EDITIONS)}}} [output folder]")
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None))
