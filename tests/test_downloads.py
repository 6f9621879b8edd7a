"""nnlib.datasets.fetch: deadlines, honest errors, and a checksum memo that cannot be fooled.

Every server here listens on 127.0.0.1 in this process and stops by itself.
"""

import http.server
import os
import shutil
import socket
import threading
import time

import pytest

from nnlib import datasets
from nnlib.datasets import DataFileError, DownloadError

LABELS_FILE, LABELS_SHA = datasets.MNIST_FILES["test_labels"]


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _drip(wfile):
    """Write one byte every 0.1 s, at most 100, so the server ends by itself; stop when the client hangs up."""
    for _ in range(100):
        try:
            wfile.write(b"x")
            wfile.flush()
        except OSError:
            return
        time.sleep(0.1)


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 with the given handler, shut down on exit."""

    def __init__(self, handler):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.url

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class _Drip(http.server.BaseHTTPRequestHandler):
    """Announces 1,000 bytes, then sends one every 0.1 s (at most 100, so it ends by itself)."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        _drip(self.wfile)

    def log_message(self, *args):
        pass


class _DripHeaders(http.server.BaseHTTPRequestHandler):
    """Starts an answer, then drips a header line one byte every 0.1 s (at most 100, so it ends by itself)."""

    def do_GET(self):
        self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
        _drip(self.wfile)

    def log_message(self, *args):
        pass


class _Garbage(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html>this is not the file you are looking for</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def silent_ports():
    """Three ports that accept connections (the kernel's backlog) but never answer."""
    sockets = []
    for _ in range(3):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        sockets.append(s)
    yield [f"http://127.0.0.1:{s.getsockname()[1]}/" for s in sockets]
    for s in sockets:
        s.close()


def test_a_dripping_mirror_cannot_stall_past_the_deadline(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "DOWNLOAD_DEADLINE", 1.5)
    monkeypatch.setattr(datasets, "ANSWER_TIMEOUT", 1)
    started = time.monotonic()
    with _Server(_Drip) as url, pytest.raises(DownloadError) as info:
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path / "data", [url])
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 4, elapsed  # the drip alone would take 10 s; read(n) would wait for all 1,000 bytes
    message = str(info.value)
    assert "too slow:" in message and "bytes in 1.5 s" in message and "DOWNLOAD_DEADLINE" in message
    assert "answered too slowly" in message and f"put this file into {tmp_path / 'data'}/" in message
    assert os.listdir(tmp_path / "data") == []


def test_a_mirror_that_drips_its_headers_cannot_stall_past_the_deadline(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "DOWNLOAD_DEADLINE", 1.5)
    monkeypatch.setattr(datasets, "ANSWER_TIMEOUT", 1)
    started = time.monotonic()
    with _Server(_DripHeaders) as url, pytest.raises(DownloadError, match="no complete answer within 1.5 s"):
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path / "data", [url])
    assert 1.4 < time.monotonic() - started < 4
    assert os.listdir(tmp_path / "data") == []


def test_three_silent_mirrors_take_the_answer_timeout_each_not_90_s(tmp_path, monkeypatch, silent_ports):
    monkeypatch.setattr(datasets, "ANSWER_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, silent_ports)
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 4, elapsed
    message = str(info.value)
    assert message.count("no answer for 0.5 s") == 3 and "answered too slowly" in message


def test_the_deadline_covers_all_mirrors_together(tmp_path, monkeypatch, silent_ports):
    monkeypatch.setattr(datasets, "ANSWER_TIMEOUT", 0.6)
    monkeypatch.setattr(datasets, "DOWNLOAD_DEADLINE", 1.0)
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, silent_ports)
    assert time.monotonic() - started < 2.5
    assert f"{silent_ports[2]}{LABELS_FILE}: not tried: the time for this file had run out" in str(info.value)


def test_offline_says_offline(tmp_path):
    mirrors = [f"http://127.0.0.1:{_closed_port()}/", f"http://127.0.0.1:{_closed_port()}/"]
    with pytest.raises(DownloadError, match=r"no mirror could be reached \(is this computer offline\?\)") as info:
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, mirrors)
    assert str(info.value).count("no connection") == 2


def test_wrong_bytes_from_every_mirror_says_so(tmp_path):
    with _Server(_Garbage) as first, _Server(_Garbage) as second:
        with pytest.raises(DownloadError, match="every mirror sent a file with the wrong SHA-256 checksum") as info:
            datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [first, second])
    assert "is this computer offline" not in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_named(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    folder = tmp_path / "a-file" / "mnist"
    with pytest.raises(PermissionError, match=f"cannot save the labels in {folder}/ .*NNLIB_DATA"):
        datasets.fetch(LABELS_FILE, LABELS_SHA, folder, [f"http://127.0.0.1:{_closed_port()}/"], what="the labels")


# -- the checksum memo ---------------------------------------------------------------------------------------

def test_memo_is_not_fooled_by_restoring_size_and_mtime(tmp_path, data_root):
    path = tmp_path / LABELS_FILE
    shutil.copy(data_root / "mnist" / LABELS_FILE, path)
    datasets.verify_file(path, LABELS_SHA, "fix it")
    before = os.stat(path)
    with open(path, "r+b") as f:  # same size, one byte changed, mtime put back
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    with pytest.raises(DataFileError, match="wrong SHA-256 checksum"):
        datasets.verify_file(path, LABELS_SHA, "fix it")


def test_memo_is_not_fooled_by_swapping_in_another_file(tmp_path, data_root):
    path = tmp_path / LABELS_FILE
    shutil.copy(data_root / "mnist" / LABELS_FILE, path)
    datasets.verify_file(path, LABELS_SHA, "fix it")
    before = os.stat(path)
    forged = tmp_path / "forged"
    forged.write_bytes(b"\0" * before.st_size)
    os.utime(forged, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(forged, path)
    with pytest.raises(DataFileError, match="wrong SHA-256 checksum"):
        datasets.verify_file(path, LABELS_SHA, "fix it")


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_only_regular_files_are_hashed(tmp_path, kind):
    path = tmp_path / LABELS_FILE
    if kind == "fifo":
        os.mkfifo(path)  # reading it would block forever
    elif kind == "device":
        path.symlink_to("/dev/zero")  # reading it would never end
    else:
        path.mkdir()
    expected = {"fifo": "named pipe", "device": "character device", "folder": "folder"}[kind]
    with pytest.raises(DataFileError, match=f"is not a regular file \\(it is a {expected}\\)"):
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [f"http://127.0.0.1:{_closed_port()}/"])
