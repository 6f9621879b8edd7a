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
        # A short poll interval: shutdown() waits up to one interval (0.5 s by default) for the loop to notice.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self.url

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


LABELS_SIZE = datasets.KNOWN_SIZES[LABELS_FILE]


class _Drip(http.server.BaseHTTPRequestHandler):
    """Announces the labels' 4,542 bytes, then sends one every 0.1 s (at most 100, so it ends by itself)."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(LABELS_SIZE))
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
    """The right number of bytes, but not the file: only the checksum can tell."""

    def do_GET(self):
        body = b"<html>this is not the file you are looking for</html>".ljust(LABELS_SIZE)
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


def test_a_folder_that_is_a_file_is_named_as_a_file(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    for folder in (tmp_path / "a-file" / "mnist", tmp_path / "a-file"):
        with pytest.raises(
            NotADirectoryError,
            match=f"cannot save the labels in {folder}/: {tmp_path / 'a-file'} is "
            "a file, not a folder. .*data_dir.*NNLIB_DATA",
        ) as info:
            datasets.fetch(LABELS_FILE, LABELS_SHA, folder, [f"http://127.0.0.1:{_closed_port()}/"], what="the labels")
        assert "writable" not in str(info.value)


def test_a_folder_that_cannot_be_written_says_so(tmp_path, monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)  # tests run as root: chmod would not stop them
    with pytest.raises(PermissionError, match=f"cannot save the labels in {tmp_path}/ .*writable.*NNLIB_DATA"):
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [f"http://127.0.0.1:{_closed_port()}/"], what="the labels")


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


# -- issue 24: mirrors that break, lie about sizes or drip; a full disk ----------------------------------------


def _handler(do_get):
    """A quiet request handler class whose GET is `do_get(handler)`."""
    return type(
        "Handler", (http.server.BaseHTTPRequestHandler,), {"do_GET": do_get, "log_message": lambda self, *args: None}
    )


@pytest.fixture
def good_mirror(data_root):
    """A mirror serving the real labels file, recording the Accept-Encoding of each request."""
    body = (data_root / "mnist" / LABELS_FILE).read_bytes()
    seen = []

    def do_get(self):
        seen.append(self.headers.get("Accept-Encoding"))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    with _Server(_handler(do_get)) as url:
        yield url, seen


def _breaks_mid_body(self):
    self.send_response(200)
    self.send_header("Content-Length", str(LABELS_SIZE))
    self.end_headers()
    self.wfile.write(bytes(100))  # then the connection closes: urllib3 raises ProtocolError (IncompleteRead)


def _stalls_mid_body(self):
    self.send_response(200)
    self.send_header("Content-Length", str(LABELS_SIZE))
    self.end_headers()
    self.wfile.write(bytes(100))
    self.wfile.flush()
    time.sleep(0.8)  # longer than ANSWER_TIMEOUT: urllib3 raises ReadTimeoutError from response.raw


@pytest.mark.parametrize(
    "broken, reason",
    [(_breaks_mid_body, "the connection broke after 100 bytes"), (_stalls_mid_body, "no answer for 0.3 s")],
)
def test_a_mirror_that_breaks_mid_body_hands_over_to_the_next(tmp_path, monkeypatch, good_mirror, broken, reason):
    monkeypatch.setattr(datasets, "ANSWER_TIMEOUT", 0.3)
    good, _ = good_mirror
    with _Server(_handler(broken)) as bad:
        path = datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [bad, good])
        assert datasets.sha256(path) == LABELS_SHA and os.listdir(tmp_path) == [LABELS_FILE]
        with pytest.raises(DownloadError, match=reason):
            datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path / "again", [bad])
    assert os.listdir(tmp_path / "again") == []


def _announces_10_gb(self):
    self.send_response(200)
    self.send_header("Content-Length", str(10**10))
    self.end_headers()
    _drip(self.wfile)  # would take 10 s: the announced size alone must end the attempt


def _streams_zeros(self):
    self.protocol_version = "HTTP/1.0"  # no Content-Length: the body ends when the server closes
    self.send_response(200)
    self.end_headers()
    try:
        for _ in range(2000):  # 128 MiB at most, so the server ends by itself
            self.wfile.write(bytes(1 << 16))
    except OSError:
        pass


def _gzip_bomb(self):
    import gzip as gz

    body = gz.compress(bytes(2**24))  # 16 MiB of zeros in 16 KB, sent as a Content-Encoding
    self.send_response(200)
    self.send_header("Content-Encoding", "gzip")
    self.send_header("Content-Length", str(len(body)))
    self.end_headers()
    self.wfile.write(body)


@pytest.mark.parametrize(
    "liar, reason",
    [
        (_announces_10_gb, "announced 10000000000 bytes, but t10k-labels-idx1-ubyte.gz has 4,542 \\(not downloaded\\)"),
        (_streams_zeros, "sent more than the 4,542 bytes of t10k-labels-idx1-ubyte.gz \\(stopped there\\)"),
        (_gzip_bomb, "announced 16\\d+ bytes"),
    ],
)
def test_a_mirror_that_sends_another_size_is_stopped(tmp_path, liar, reason, good_mirror):
    started = time.monotonic()
    with _Server(_handler(liar)) as url, pytest.raises(DownloadError, match=reason) as info:
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [url])
    assert time.monotonic() - started < 3
    assert "wrong size or SHA-256" in str(info.value) and "is this computer offline" not in str(info.value)
    assert os.listdir(tmp_path) == []
    good, seen = good_mirror
    datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [good])
    assert seen == ["identity"]  # never asks for a compressed answer


def test_a_full_disk_is_reported_as_a_local_problem(tmp_path, monkeypatch, good_mirror):
    import builtins

    good, seen = good_mirror

    def open_on_a_full_disk(name, mode="r", *args, **kwargs):
        if "w" in mode and str(tmp_path) in str(name):
            return builtins.open("/dev/full", mode)  # every write fails with ENOSPC, as on a full disk
        return builtins.open(name, mode, *args, **kwargs)

    monkeypatch.setattr(datasets, "open", open_on_a_full_disk, raising=False)
    with pytest.raises(
        datasets.DataStorageError,
        match=f"no space left on the disk of {tmp_path}/ to save {LABELS_FILE} \\(4,542 bytes\\).*NNLIB_DATA",
    ) as info:
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [good, good])
    assert info.value.errno == 28 and len(seen) == 1  # not a mirror's fault: the next one is not tried
    assert os.listdir(tmp_path) == []


def test_a_files_size_is_compared_before_it_is_hashed(tmp_path, monkeypatch):
    path = tmp_path / LABELS_FILE
    path.write_bytes(bytes(10))

    def must_not_hash(path):
        raise AssertionError("a file of the wrong size was hashed")

    monkeypatch.setattr(datasets, "sha256", must_not_hash)
    with pytest.raises(DataFileError, match=f"{LABELS_FILE} has 10 bytes, but the original file has 4,542"):
        datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [])


def test_a_dripping_mirror_cannot_starve_the_good_ones(tmp_path, monkeypatch, good_mirror):
    monkeypatch.setattr(datasets, "MIRROR_DEADLINE", 0.6)
    monkeypatch.setattr(datasets, "DOWNLOAD_DEADLINE", 20)
    monkeypatch.setattr(datasets, "ANSWER_TIMEOUT", 1)
    good, _ = good_mirror
    started = time.monotonic()
    with _Server(_Drip) as drip:
        path = datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [drip, good])
        assert time.monotonic() - started < 3  # the drip alone lasts 10 s; the file's deadline is 20 s
        assert datasets.sha256(path) == LABELS_SHA
        with pytest.raises(DownloadError, match="too slow: .* bytes in 0.6 s \\(nnlib.datasets.MIRROR_DEADLINE\\)"):
            datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path / "again", [drip])


def test_mixed_failures_get_an_accurate_headline(tmp_path):
    def not_found(self):
        self.send_error(404)

    with _Server(_handler(not_found)) as missing, _Server(_Garbage) as garbage:
        with pytest.raises(DownloadError) as info:
            datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [missing, garbage])
        message = str(info.value)
        assert "is this computer offline" not in message
        assert "every mirror failed, each for the reason given below" in message
        assert "HTTP error 404" in message and "wrong SHA-256 checksum (discarded)" in message
        with pytest.raises(DownloadError, match="every mirror answered with an HTTP error"):
            datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [missing])
        with pytest.raises(DownloadError, match="some mirrors could not be reached and the others failed too"):
            datasets.fetch(LABELS_FILE, LABELS_SHA, tmp_path, [missing, f"http://127.0.0.1:{_closed_port()}/"])
