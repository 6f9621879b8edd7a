"""nnlib.offline: a chapter whose data cell fails shows one clear message, and later cells repeat it instead of NameErrors."""

import pytest

from nnlib import offline
from nnlib.datasets import DownloadError

IPython = pytest.importorskip("IPython")


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    offline._last_data_error.clear()
    yield shell
    shell.set_custom_exc((), None)
    offline._last_data_error.clear()
    InteractiveShell.clear_instance()


def run(shell, code, capfd):
    result = shell.run_cell(code)
    return result, capfd.readouterr().out


def test_a_data_error_then_name_errors_show_the_same_clear_message(shell, capfd):
    offline.stop_cleanly_without_data(shell)
    shell.user_ns["DownloadError"] = DownloadError
    result, out = run(
        shell,
        "raise DownloadError('could not download t10k-images-idx3-ubyte.gz (is this computer offline?)')\nx_test = 1",
        capfd,
    )
    assert not result.success and "x_test" not in shell.user_ns
    assert "could not download t10k-images-idx3-ubyte.gz" in out and "The chapter stops here" in out
    assert "Traceback" not in out and "File " not in out, "no stack of library frames"
    result, out = run(shell, "print(x_test.shape)", capfd)
    assert not result.success  # Run All still stops; the reader sees why
    assert "name 'x_test' is not defined, because the data could not be loaded" in out
    assert "could not download t10k-images-idx3-ubyte.gz" in out


def test_without_a_data_error_a_name_error_is_an_ordinary_one(shell, capfd):
    offline.stop_cleanly_without_data(shell)
    result, out = run(shell, "print(no_such_name)", capfd)
    assert not result.success and "NameError" in out and "no_such_name" in out
    assert "could not be loaded" not in out
    result, out = run(shell, "1 / 0", capfd)
    assert "ZeroDivisionError" in out and "could not be loaded" not in out


def test_outside_ipython_it_does_nothing(monkeypatch):
    import IPython as ip

    monkeypatch.setattr(ip, "get_ipython", lambda: None)
    assert offline.stop_cleanly_without_data() is None
