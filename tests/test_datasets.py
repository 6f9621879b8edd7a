"""nnlib.datasets: logic gates, the sum-threshold set, and load_mnist (files, checksums, downloads)."""

import functools
import gzip
import http.server
import os
import shutil
import socket
import struct
import threading
from pathlib import Path

import numpy as np
import pytest

from nnlib import datasets
from nnlib.datasets import DataFileError, DownloadError, load_mnist

LABELS_FILE, LABELS_SHA = datasets.MNIST_FILES["test_labels"]


def _closed_port():
    """A localhost port nothing listens on: connecting to it is refused at once, like being offline."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def offline_mirrors(monkeypatch):
    # No test may reach the internet: every mirror points at a closed local port unless a test says otherwise.
    monkeypatch.setattr(datasets, "MIRRORS", [f"http://127.0.0.1:{_closed_port()}/mnist/"])


@pytest.fixture
def serve(tmp_path_factory):
    """serve(folder) -> base URL of a local HTTP server for that folder (stopped after the test)."""
    servers = []

    def start(folder):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _files_in(folder):
    return sorted(p.name for p in Path(folder).iterdir())


# -- logic gates and the sum-threshold set --------------------------------------------------------


@pytest.mark.parametrize(
    "gate, outputs",
    [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("nand", [1, 1, 1, 0]), ("xor", [0, 1, 1, 0]), ("AND", [0, 0, 0, 1])],
)
def test_logic_gate_truth_tables(gate, outputs):
    x, t = datasets.logic_gate(gate)
    assert x.shape == (4, 2) and x.dtype == np.float32 and t.shape == (4,)
    np.testing.assert_array_equal(x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(t, outputs)


def test_logic_gate_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown logic gate 'nor'.*'and', 'or', 'nand', 'xor'"):
        datasets.logic_gate("nor")


def test_logic_gate_returns_fresh_arrays():
    x, _ = datasets.logic_gate("and")
    x[:] = 7
    assert datasets.logic_gate("and")[0].max() == 1


def test_and_training_set_repeats_the_truth_table():
    x, t = datasets.and_training_set()
    assert x.shape == (1000, 2) and t.shape == (1000, 1)
    assert x.dtype == np.float32 and t.dtype == np.float32
    table_x, table_t = datasets.logic_gate("and")
    for n in (0, 1, 2, 3, 4, 5, 998, 999):
        np.testing.assert_array_equal(x[n], table_x[n % 4])
        assert t[n, 0] == table_t[n % 4]
    assert t.sum() == 250  # one row in four is (1, 1) -> 1
    # The last 20% (Keras' validation_split=0.2) holds every case too.
    assert len(np.unique(x[800:], axis=0)) == 4
    assert datasets.and_training_set(6)[0].shape == (6, 2)


@pytest.mark.parametrize("rows", [-1, 2.5, "10", True])
def test_and_training_set_bad_rows(rows):
    with pytest.raises(ValueError, match="rows must be a whole number"):
        datasets.and_training_set(rows)


def test_sum_threshold_labels_follow_the_sum():
    x, t = datasets.sum_threshold(250, seed=0)
    assert x.shape == (250, 2) and t.shape == (250, 1)
    assert x.min() >= 0 and x.max() < 1
    np.testing.assert_array_equal(t[:, 0], np.where(x[:, 0] + x[:, 1] > 0.5, 1, -1))
    assert set(np.unique(t)) == {-1.0, 1.0}
    # A point in [0,1)^2 has sum > 0.5 with probability 7/8.
    assert 0.8 < (t == 1).mean() < 0.95


def test_sum_threshold_is_seeded_and_takes_dim_and_threshold():
    a, ta = datasets.sum_threshold(5, seed=42)
    b, tb = datasets.sum_threshold(5, seed=42)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ta, tb)
    np.testing.assert_array_equal(a, np.random.default_rng(42).random((5, 2)))
    assert not np.array_equal(a, datasets.sum_threshold(5, seed=43)[0])
    x, t = datasets.sum_threshold(100, dim=3, threshold=1.5, seed=1)
    assert x.shape == (100, 3)
    np.testing.assert_array_equal(t[:, 0], np.where(x.sum(axis=1) > 1.5, 1, -1))
    assert datasets.sum_threshold(0, seed=0)[0].shape == (0, 2)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": -1}, "n must be"),
        ({"n": 3, "dim": 0}, "dim must be"),
        ({"n": 3, "threshold": float("nan")}, "threshold must be"),
    ],
)
def test_sum_threshold_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.sum_threshold(**kwargs)


# -- load_mnist: shapes, types, values --------------------------------------------------------------


@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("one_hot_label", [False, True])
def test_load_mnist_shapes_and_dtypes(normalize, flatten, one_hot_label):
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=normalize, flatten=flatten, one_hot_label=one_hot_label)
    for x, t, n in ((x_train, t_train, 60000), (x_test, t_test, 10000)):
        assert x.shape == ((n, 784) if flatten else (n, 1, 28, 28))
        if normalize:
            assert x.dtype == np.float32 and x.min() == 0.0 and x.max() == 1.0
        else:
            assert x.dtype == np.uint8 and x.min() == 0 and x.max() == 255
        if one_hot_label:
            assert t.shape == (n, 10) and t.dtype == np.float32
            np.testing.assert_array_equal(t.sum(axis=1), 1)
            assert set(np.unique(t)) == {0.0, 1.0}
        else:
            assert t.shape == (n,) and t.dtype == np.uint8
            assert set(np.unique(t)) == set(range(10))
        assert x.flags.writeable and t.flags.writeable


def test_load_mnist_known_values():
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=False)
    np.testing.assert_array_equal(t_train[:10], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
    np.testing.assert_array_equal(t_test[:10], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    # Class counts published with the data set.
    np.testing.assert_array_equal(np.bincount(t_train), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    np.testing.assert_array_equal(np.bincount(t_test), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    # The first training image (a 5): its ink sits in the middle of the 28x28 frame, the border is blank.
    img = x_train[0].reshape(28, 28)
    assert img[0].sum() == 0 and img[:, 0].sum() == 0 and img[14].sum() > 0
    assert int(x_train[0].sum()) == 27525


def test_load_mnist_variants_agree():
    _, (xn, tn) = load_mnist(normalize=True)
    _, (xr, tr) = load_mnist(normalize=False, flatten=False, one_hot_label=True)
    # The book's normalisation: astype(float32), then /= 255.0.
    np.testing.assert_array_equal(xn, xr.reshape(10000, 784).astype(np.float32) / np.float32(255.0))
    np.testing.assert_array_equal(tr.argmax(axis=1), tn)


def test_load_mnist_returns_fresh_arrays_each_call():
    (x, t), _ = load_mnist()
    x[:] = -1
    t[:] = 99
    (x2, t2), _ = load_mnist()
    assert x2.min() == 0.0 and t2[0] == 5
    assert not np.shares_memory(x, x2)


def test_where_load_mnist_looks(monkeypatch, tmp_path, data_root):
    assert datasets.mnist_dir(tmp_path) == tmp_path
    assert datasets.mnist_dir() == Path(os.environ["NNLIB_DATA"]) / "mnist"
    monkeypatch.delenv("NNLIB_DATA")
    monkeypatch.setattr(datasets, "cache_dir", lambda: tmp_path / "cache")
    assert datasets.mnist_dir() == tmp_path / "cache" / "mnist"


def test_load_mnist_from_data_dir(tmp_path, data_root):
    for fname, _ in datasets.MNIST_FILES.values():
        (tmp_path / fname).symlink_to(data_root / "mnist" / fname)
    (_, t_train), _ = load_mnist(data_dir=tmp_path)
    assert t_train[0] == 5


# -- load_mnist: damaged files, downloads, no network ------------------------------------------------


def test_local_file_with_wrong_checksum_is_refused(tmp_path, data_root):
    for fname, _ in datasets.MNIST_FILES.values():
        (tmp_path / fname).symlink_to(data_root / "mnist" / fname)
    bad = tmp_path / LABELS_FILE
    bad.unlink()
    data = bytearray((data_root / "mnist" / LABELS_FILE).read_bytes())
    data[100] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(DataFileError, match=f"{LABELS_FILE} has the wrong SHA-256 checksum.*Delete it"):
        load_mnist(data_dir=tmp_path)


def test_no_network_says_where_to_put_the_files(tmp_path):
    with pytest.raises(DownloadError) as info:
        load_mnist(data_dir=tmp_path)
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz" in message and "offline" in message
    files = ", ".join(f for f, _ in datasets.MNIST_FILES.values())
    assert f"put the MNIST files {files} into {tmp_path}/" in message
    assert "NNLIB_DATA" in message and "127.0.0.1" in message and "no connection" in message
    assert _files_in(tmp_path) == []


def test_download_with_wrong_checksum_leaves_no_file(tmp_path, serve):
    served = tmp_path / "server"
    served.mkdir()
    (served / LABELS_FILE).write_bytes(b"not the MNIST labels".ljust(datasets.KNOWN_SIZES[LABELS_FILE]))
    target = tmp_path / "data"
    with pytest.raises(
        DownloadError, match="(?s)could not download t10k-labels.*wrong SHA-256 checksum \\(discarded\\)"
    ):
        datasets.fetch(LABELS_FILE, LABELS_SHA, target, [serve(served)])
    assert not target.exists() or _files_in(target) == []


def test_download_tries_mirrors_in_turn(tmp_path, serve, data_root):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / LABELS_FILE).write_bytes(b"garbage")
    (tmp_path / "empty").mkdir()
    mirrors = [f"http://127.0.0.1:{_closed_port()}/", serve(tmp_path / "empty"), serve(bad), serve(data_root / "mnist")]
    target = tmp_path / "data"
    path = datasets.fetch(LABELS_FILE, LABELS_SHA, target, mirrors)
    assert path == target / LABELS_FILE
    assert _files_in(target) == [LABELS_FILE]
    assert datasets.sha256(path) == LABELS_SHA
    # Present and good: used as it is, no download (the mirrors are now unreachable).
    assert datasets.fetch(LABELS_FILE, LABELS_SHA, target, [f"http://127.0.0.1:{_closed_port()}/"]) == path


def test_load_mnist_downloads_missing_files(tmp_path, serve, data_root, monkeypatch):
    monkeypatch.setattr(datasets, "MIRRORS", [f"http://127.0.0.1:{_closed_port()}/", serve(data_root / "mnist")])
    shutil.copy(data_root / "mnist" / LABELS_FILE, tmp_path / LABELS_FILE)
    (_, t_train), (_, t_test) = load_mnist(data_dir=tmp_path)
    assert len(t_train) == 60000 and len(t_test) == 10000
    assert _files_in(tmp_path) == sorted(f for f, _ in datasets.MNIST_FILES.values())


def _idx_gz(path, header, payload=b""):
    with gzip.open(path, "wb") as f:
        f.write(header + payload)
    return path


def test_read_idx_parses_a_good_file(tmp_path):
    path = _idx_gz(tmp_path / "labels.gz", struct.pack(">HBBI", 0, 8, 1, 3), bytes([7, 2, 1]))
    np.testing.assert_array_equal(datasets.read_idx(path, 1), [7, 2, 1])
    path = _idx_gz(tmp_path / "images.gz", struct.pack(">HBBIII", 0, 8, 3, 2, 28, 28), bytes(2 * 784))
    assert datasets.read_idx(path, 3).shape == (2, 28, 28)


@pytest.mark.parametrize(
    "header, payload, expected_dims, message",
    [
        (struct.pack(">HBBI", 0, 8, 1, 5), bytes(3), 1, "holds 3 data bytes but its header announces 5"),
        (struct.pack(">HBBI", 0, 8, 1, 2), bytes(3), 1, "holds 3 data bytes but its header announces 2"),
        (struct.pack(">HBBI", 0, 8, 1, 2), bytes(2), 3, "magic number 0x00000801, expected 0x00000803"),
        (struct.pack(">HBBI", 0, 0x0D, 1, 2), bytes(8), 1, "magic number 0x00000d01"),
        (struct.pack(">HBBIII", 0, 8, 3, 1, 32, 32), bytes(1024), 3, "32x32 pixels, expected 28x28"),
        (struct.pack(">HBBI", 0, 8, 3, 1), b"", 3, "ends inside its IDX header"),
        (b"\x00\x00", b"", 1, "too short"),
    ],
)
def test_read_idx_refuses_damaged_files(tmp_path, header, payload, expected_dims, message):
    path = _idx_gz(tmp_path / "damaged.gz", header, payload)
    with pytest.raises(DataFileError, match=message) as info:
        datasets.read_idx(path, expected_dims)
    assert "damaged.gz" in str(info.value) and "download" in str(info.value)


def test_read_idx_refuses_truncated_and_non_gzip_files(tmp_path, data_root):
    whole = (data_root / "mnist" / LABELS_FILE).read_bytes()
    cut = tmp_path / "cut.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataFileError, match="cut.gz is not a complete gzip file"):
        datasets.read_idx(cut, 1)
    plain = tmp_path / "plain.gz"
    plain.write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(DataFileError, match="plain.gz is not a complete gzip file"):
        datasets.read_idx(plain, 1)


def test_images_and_labels_must_have_the_same_length(tmp_path, data_root, monkeypatch):
    _idx_gz(tmp_path / LABELS_FILE, struct.pack(">HBBI", 0, 8, 1, 3), bytes(3))
    for fname, _ in datasets.MNIST_FILES.values():
        if fname != LABELS_FILE:
            (tmp_path / fname).symlink_to(data_root / "mnist" / fname)
    # Checksums would catch this file first; accept it here to reach the consistency check.
    monkeypatch.setattr(datasets, "verify_file", lambda *args: None)
    with pytest.raises(DataFileError, match="test set .* has 10000 images but 3 labels"):
        load_mnist(data_dir=tmp_path)
