"""glue(name, value): hand a number a cell computed to the book's text, so the two cannot disagree.

A chapter computes a value in a code cell and glues it; its markdown then writes {glue:text}`name:.4f` (or
{glue}`name`) where the number belongs, and the book inserts the value from the cell's stored output. In the book
this is myst-nb's own `glue`. Where myst-nb is not installed (Colab, Binder: the reader's requirements.txt leaves the
book toolchain out) the same output is written without it, so a chapter runs everywhere and its stored outputs
stay the same.

Glue plain Python numbers (`float(x)`, `int(n)`), not numpy scalars: {glue:text} reads the value back from its
text, and numpy 2 prints np.float64(0.5).
"""

try:
    from myst_nb import glue
except ImportError:  # pragma: no cover - exercised on machines without the book toolchain
    from IPython.core.formatters import format_display_data
    from IPython.display import display as _display

    # myst_nb.ext.glue.GLUE_PREFIX: an output under this prefix is stored but not shown
    _PREFIX = "application/papermill.record/"

    def glue(name, variable, display=True):
        """Store `variable`'s display data in the cell's output under `name` (myst-nb's format)."""
        bundle, metadata = format_display_data(variable)
        prefix = "" if display else _PREFIX
        metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
        _display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


__all__ = ["glue"]
