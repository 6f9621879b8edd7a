"""One clear message when a chapter's data cannot be loaded, instead of a cascade of NameErrors.

    >>> from nnlib.offline import stop_cleanly_without_data
    >>> stop_cleanly_without_data()      # once, in a chapter's setup cell

Run All stops at the first cell that fails. A reader who goes on running cells past it (Shift+Enter,
or "Run All Below") would then meet a NameError in every cell that uses what the failed cell was to
define. After this call, in IPython/Jupyter:

- a data error (nnlib.datasets.DownloadError, DataFileError or DataStorageError) is shown as its message alone, which
  says what is missing and how to fix it, without a stack of library frames; it is remembered;
- a NameError in a later cell, once a data error has happened in this kernel, is shown with that same
  message: the name is missing because the data never arrived.

Any other error is shown as usual. Outside IPython the call does nothing.
"""

from .datasets import DataFileError, DataStorageError, DownloadError

DATA_ERRORS = (DownloadError, DataFileError, DataStorageError)
_last_data_error = []


def _message(etype, value):
    if issubclass(etype, DATA_ERRORS):
        return (
            f"{etype.__name__}: {value}\n\nThe chapter stops here: the cells below need these data. Once the "
            "files are in place (or the computer is online), run the chapter again from the top."
        )
    first = _last_data_error[0]
    return (
        f"{etype.__name__}: {value}, because the data could not be loaded earlier in this session "
        f"({first.splitlines()[0]}; the first cell that failed says how to fix it). Run the chapter again "
        "from the top once the files are in place."
    )


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom exception handler: shows the error (IPython ignores what such a handler returns)."""
    if not issubclass(etype, DATA_ERRORS) and not _last_data_error:
        # A NameError with the data in place: an ordinary mistake, shown as usual.
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return
    message = _message(etype, value)  # before remembering: a data error is shown as itself
    if issubclass(etype, DATA_ERRORS):
        _last_data_error.append(f"{etype.__name__}: {value}")
    # _showtraceback is where IPython and ipykernel display an error (the kernel sends it as an error
    # output, so front ends and nbclient see the cell fail); here with our lines instead of a stack.
    shell._showtraceback(etype, value, message.splitlines())


def stop_cleanly_without_data(shell=None):
    """Install the handler in the running IPython shell (or `shell`); without IPython, do nothing."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc(DATA_ERRORS + (NameError,), _handler)
