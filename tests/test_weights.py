"""nnlib.weights: safe parameter files, the book's sample network (0.9352 on MNIST), shipped weights."""

import importlib.resources
import os
import pickle
import socket
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib import datasets, weights
from nnlib.datasets import DataFileError, DownloadError
from nnlib.weights import UnsafePickleError, load_params, save_params

BOOK_ACTIVATIONS = ("sigmoid", "sigmoid", "softmax")


@pytest.fixture(scope="module")
def mnist_test():
    _, (x_test, t_test) = datasets.load_mnist(normalize=True)
    return x_test, t_test


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the golden number: the book's network classifies 9,352 of the 10,000 test images --------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sample_network_accuracy_is_0_9352(mnist_test, dtype):
    x_test, t_test = mnist_test
    x = x_test.astype(dtype)
    model = nnlib.load_sample_network(dtype=None if dtype is np.float32 else dtype)
    assert model.layers[0].W.dtype == dtype

    # All at once.
    y = model.predict(x)
    assert y.shape == (10000, 10) and y.dtype == dtype
    assert np.sum(y.argmax(axis=1) == t_test) == 9352

    # In batches of 100, as the book's batch example does.
    correct = sum(
        int(np.sum(model.predict(x[i : i + 100]).argmax(axis=1) == t_test[i : i + 100])) for i in range(0, 10000, 100)
    )
    assert correct == 9352

    # One image at a time, as the book's first loop does (all 10,000; about a second).
    correct = sum(int(np.argmax(model.predict(x[i])) == t_test[i]) for i in range(10000))
    assert correct == 9352
    assert correct / len(x) == 0.9352


def test_sample_network_matches_the_books_own_forward_pass(mnist_test):
    # The book's predict(): a1 = x W1 + b1, z1 = sigmoid(a1), ..., y = softmax(a3), written out here.
    x_test, _ = mnist_test
    p = load_params(weights.fetch_sample_weights())
    x = x_test[:500]

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    z1 = sigmoid(x @ p["W1"] + p["b1"])
    z2 = sigmoid(z1 @ p["W2"] + p["b2"])
    a3 = z2 @ p["W3"] + p["b3"]
    e = np.exp(a3 - a3.max(axis=1, keepdims=True))
    expected = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(nnlib.load_sample_network().predict(x), expected, rtol=1e-5, atol=1e-7)


def test_sample_network_architecture():
    model = nnlib.load_sample_network()
    assert [(layer.input_dim, layer.units, layer.activation.name) for layer in model.layers] == [
        (784, 50, "sigmoid"),
        (50, 100, "sigmoid"),
        (100, 10, "softmax"),
    ]
    assert model.count_params() == 784 * 50 + 50 + 50 * 100 + 100 + 100 * 10 + 10


def test_sample_weight_file_contents(data_root):
    p = load_params(data_root / "sample_weight.pkl")
    assert sorted(p) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert {k: v.shape for k, v in p.items()} == {
        "W1": (784, 50),
        "b1": (50,),
        "W2": (50, 100),
        "b2": (100,),
        "W3": (100, 10),
        "b3": (10,),
    }
    assert all(v.dtype == np.float32 for v in p.values())


# -- hostile pickles: refused, nothing run ------------------------------------------------------------


class _RunsShell:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


class _OpensFile:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


class _Execs:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def _hostile_pickles(marker):
    W = np.ones((2, 3), np.float32)
    return {
        "os.system": pickle.dumps(_RunsShell(marker), protocol=3),
        "open": pickle.dumps(_OpensFile(marker), protocol=2),
        "exec": pickle.dumps(_Execs(marker), protocol=5),
        # Hidden among real arrays, as a tampered weight file would be.
        "nested": pickle.dumps({"W1": W, "b1": np.zeros(3, np.float32), "W2": [W, _RunsShell(marker)]}, protocol=3),
    }


@pytest.mark.parametrize("kind", ["os.system", "open", "exec", "nested"])
def test_hostile_pickle_is_refused_and_runs_nothing(tmp_path, kind):
    marker = tmp_path / "pwned"
    data = _hostile_pickles(marker)[kind]
    path = tmp_path / "evil.pkl"
    path.write_bytes(data)

    # First prove the pickle is really hostile: plain pickle.load in another process creates the marker.
    subprocess.run(
        [sys.executable, "-c", f"import pickle; pickle.load(open({str(path)!r}, 'rb'))"],
        capture_output=True,
        check=False,
    )
    assert marker.exists(), "the test pickle should run code under plain pickle.load"
    marker.unlink()

    with pytest.raises(UnsafePickleError, match="refused to load this pickle: it asks for .*could run code") as info:
        load_params(path)
    assert "evil.pkl" in str(info.value)
    assert not marker.exists()


def test_npz_with_pickled_objects_is_refused(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, W1=np.array([{"a": 1}], dtype=object))
    with pytest.raises(UnsafePickleError, match="holds pickled Python objects"):
        load_params(path)


def test_book_style_pickles_of_any_protocol_load(tmp_path):
    params = {
        "W1": np.arange(6, dtype=np.float32).reshape(2, 3),
        "b1": np.array([0.5, -1, 2]),
        "n": np.array(3, dtype=np.int64),
    }
    for protocol in (2, 3, 4, 5):
        path = tmp_path / f"p{protocol}.pkl"
        path.write_bytes(pickle.dumps(params, protocol=protocol))
        loaded = load_params(path)
        assert sorted(loaded) == sorted(params)
        for key in params:
            np.testing.assert_array_equal(loaded[key], params[key])
            assert loaded[key].dtype == params[key].dtype


def test_pickle_that_is_not_a_dict_of_arrays_is_refused(tmp_path):
    path = tmp_path / "list.pkl"
    path.write_bytes(pickle.dumps([np.zeros(2)], protocol=3))
    with pytest.raises(ValueError, match="expected a dict of arrays"):
        load_params(path)
    path.write_bytes(pickle.dumps({"W1": [1.0, 2.0]}, protocol=3))
    with pytest.raises(ValueError, match="parameter 'W1' is a list, not a numpy array"):
        load_params(path)


def test_damaged_files_give_clear_errors(tmp_path, data_root):
    whole = (data_root / "sample_weight.pkl").read_bytes()
    cut = tmp_path / "cut.pkl"
    cut.write_bytes(whole[:5000])
    with pytest.raises(ValueError, match="cut.pkl is not a readable pickle.*truncated"):
        load_params(cut)
    save_params(tmp_path / "good.npz", {"W1": np.ones((30, 30))})
    npz = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(npz[: len(npz) // 2])
    with pytest.raises(ValueError, match="cut.npz is not a readable .npz file"):
        load_params(tmp_path / "cut.npz")
    (tmp_path / "notes.txt").write_text("W1 = 1, 2, 3")
    with pytest.raises(ValueError, match="neither a .npz archive nor a pickle"):
        load_params(tmp_path / "notes.txt")
    with pytest.raises(FileNotFoundError, match="no parameter file at"):
        load_params(tmp_path / "missing.npz")


# -- save_params ----------------------------------------------------------------------------------


def test_npz_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    params = {
        "W1": rng.normal(size=(784, 50)).astype(np.float32),
        "b1": np.zeros(50, np.float32),
        "W2": rng.normal(size=(50, 10)),
        "steps": np.array(12),
        "mask": np.array([True, False]),
    }
    path = save_params(tmp_path / "net.npz", params)
    assert path == tmp_path / "net.npz"
    loaded = load_params(path)
    assert list(loaded) == list(params)
    for key, value in params.items():
        np.testing.assert_array_equal(loaded[key], value)
        assert loaded[key].dtype == value.dtype and loaded[key].shape == value.shape
    assert os.listdir(tmp_path) == ["net.npz"]
    # An ordinary file's permissions (not mkstemp's owner-only 0o600).
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_save_a_sequential_and_rebuild_it(tmp_path):
    # Without input_dim nothing can be built before the first call.
    model = nnlib.Sequential([nnlib.Dense(5, "tanh"), nnlib.Dense(1, "sigmoid")], seed=3)
    with pytest.raises(ValueError, match="layer 1 .* has no weights yet"):
        save_params(tmp_path / "small.npz", model)
    model.build(input_dim=2)
    assert not (tmp_path / "small.npz").exists()
    save_params(tmp_path / "small.npz", model)
    params = load_params(tmp_path / "small.npz")
    assert sorted(params) == ["W1", "W2", "b1", "b2"]
    again = weights.network_from_params(params, ("tanh", "sigmoid"))
    x = np.array([[0.3, 0.1], [1.0, -2.0]])
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    with pytest.raises(ValueError, match="lack W3, b3"):
        weights.network_from_params(params, ("tanh", "sigmoid", "relu"))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"W1": [[1.0, 2.0]]}, "parameter 'W1' is a list, not a numpy array"),
        ({"W1": np.ones(2), "name": "mine"}, "parameter 'name' is a str, not a numpy array"),
        ({"W1": np.array(["a", "b"])}, "parameter 'W1' has dtype <U1; only numeric arrays"),
        ({"W1": np.array([None], dtype=object)}, "has dtype object"),
        ({"W1": np.array([1.0, np.nan])}, "parameter 'W1' holds 1 NaN and 0 infinite values"),
        ([np.ones(2)], "expected a dict of arrays"),
    ],
)
def test_save_refuses_non_arrays(tmp_path, params, message):
    with pytest.raises(ValueError, match=message):
        save_params(tmp_path / "bad.npz", params)
    assert os.listdir(tmp_path) == []


def test_save_needs_an_npz_name(tmp_path):
    with pytest.raises(ValueError, match="give a path ending in .npz"):
        save_params(tmp_path / "weights.pkl", {"W1": np.ones(2)})
    assert os.listdir(tmp_path) == []


def test_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "net.npz"
    save_params(path, {"W1": np.full((3, 3), 7.0)})
    before = path.read_bytes()

    def write_then_fail(file, array, **options):
        file.write(b"\x93NUMPY half an array")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    with pytest.raises(OSError, match="No space left"):
        save_params(path, {"W1": np.zeros((3, 3))})
    monkeypatch.undo()
    assert path.read_bytes() == before
    np.testing.assert_array_equal(load_params(path)["W1"], np.full((3, 3), 7.0))
    assert os.listdir(tmp_path) == ["net.npz"]  # no temporary file left behind


# -- fetching the book's weights -----------------------------------------------------------------------


def test_fetch_sample_weights_uses_nnlib_data(data_root):
    path = weights.fetch_sample_weights()
    assert path == Path(os.environ["NNLIB_DATA"]) / "sample_weight.pkl"


def test_sample_weights_with_wrong_checksum_are_refused(tmp_path, data_root, monkeypatch):
    data = bytearray((data_root / "sample_weight.pkl").read_bytes())
    data[-100] ^= 0x01  # one bit of one weight
    (tmp_path / "sample_weight.pkl").write_bytes(bytes(data))
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path))
    with pytest.raises(DataFileError, match="sample_weight.pkl has the wrong SHA-256 checksum"):
        nnlib.load_sample_network()


def test_sample_weights_download_to_the_cache(tmp_path, data_root, monkeypatch):
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(data_root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "empty"))
        monkeypatch.setattr(datasets, "cache_dir", lambda: tmp_path / "cache")
        monkeypatch.setattr(
            weights, "SAMPLE_WEIGHTS_URL", f"http://127.0.0.1:{server.server_address[1]}/sample_weight.pkl"
        )
        path = weights.fetch_sample_weights()
    finally:
        server.shutdown()
        server.server_close()
    assert path == tmp_path / "cache" / "sample_weight.pkl"
    assert datasets.sha256(path) == weights.SAMPLE_WEIGHTS[1]


def test_sample_weights_offline_says_where_to_put_them(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "empty"))
    monkeypatch.setattr(datasets, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(weights, "SAMPLE_WEIGHTS_URL", f"http://127.0.0.1:{_closed_port()}/sample_weight.pkl")
    with pytest.raises(
        DownloadError,
        match=f"(?s)could not download sample_weight.pkl.*put the book's sample_weight.pkl into {tmp_path / 'cache'}/",
    ):
        nnlib.load_sample_network()
    assert not (tmp_path / "cache").exists() or os.listdir(tmp_path / "cache") == []


# -- nnlib's own pretrained network ---------------------------------------------------------------------


def test_pretrained_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown pretrained network 'mnist'; available: 'mnist-mlp'"):
        nnlib.pretrained("mnist")


def test_pretrained_missing_file_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(weights.PRETRAINED, "not-shipped", ("not-shipped.npz", ("relu",), "a test entry"))
    with pytest.raises(FileNotFoundError, match="nnlib/data/not-shipped.npz.*not in this installation"):
        nnlib.pretrained("not-shipped")


_SHIPPED = importlib.resources.files("nnlib") / "data" / "mnist-mlp.npz"


@pytest.mark.skipif(not _SHIPPED.is_file(), reason="nnlib/data/mnist-mlp.npz is not there yet (helper B trains it)")
def test_pretrained_mnist_mlp_beats_the_book(mnist_test):
    x_test, t_test = mnist_test
    model = nnlib.pretrained("mnist-mlp")
    assert [(layer.input_dim, layer.units, layer.activation.name) for layer in model.layers] == [
        (784, 50, "sigmoid"),
        (50, 100, "sigmoid"),
        (100, 10, "softmax"),
    ]
    assert model.count_params() == nnlib.load_sample_network().count_params()
    assert all(w.dtype == np.float32 for w in model.get_weights())
    correct = int(np.sum(model.predict(x_test).argmax(axis=1) == t_test))
    assert correct > 9352
    single = sum(int(np.argmax(model.predict(x_test[i])) == t_test[i]) for i in range(0, 10000, 50))
    batch = int(np.sum(model.predict(x_test[::50]).argmax(axis=1) == t_test[::50]))
    assert single == batch


# -- .npz archives: headers checked before the data is inflated ------------------------------------------


def _npy(array):
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _zip(path, members, compression=None):
    import warnings
    import zipfile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests write on purpose
        with zipfile.ZipFile(path, "w", compression=compression or zipfile.ZIP_STORED) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return path


def test_npz_zip_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    import zipfile

    # 64 MiB of zeros deflate to about 64 KB; the limit is lowered to 1 MiB so the test stays small.
    monkeypatch.setattr(weights, "MAX_PARAMS_BYTES", 2**20)
    bomb = _zip(tmp_path / "bomb.npz", [("W1.npy", _npy(np.zeros(8 * 2**20)))], zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 2**20 // 4
    with pytest.raises(
        ValueError,
        match="member 'W1.npy' declares 67,108,864 bytes of data .* the limit for all "
        "parameters of one file is 1,048,576 bytes",
    ) as info:
        load_params(bomb)
    assert "pickled" not in str(info.value)


def test_npz_header_that_declares_2_gib_is_refused(tmp_path):
    # A header announcing 2**28 float64 (2 GiB) in front of 16 bytes of data.
    big = bytearray(_npy(np.zeros(2)))
    text = big[10 : big.index(b"\n") + 1].decode("latin1").replace("(2,)", "(268435456,)")
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1") + bytes(16)
    path = _zip(tmp_path / "huge.npz", [("W1.npy", data)])
    with pytest.raises(ValueError, match="declares 2,147,483,648 bytes of data"):
        load_params(path)


def test_npz_header_with_a_negative_shape_is_refused(tmp_path):
    # read(-16) would inflate the whole member: a negative size must never reach it.
    big = bytearray(_npy(np.zeros(2)))
    text = big[10 : big.index(b"\n") + 1].decode("latin1").replace("(2,)", "(-2,)")
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1") + bytes(16)
    path = _zip(tmp_path / "negative.npz", [("W1.npy", data)])
    with pytest.raises(ValueError, match="its header declares the shape \\(-2,\\)"):  # numpy's parser accepts it
        load_params(path)


def test_npz_member_with_more_data_than_its_header_is_refused(tmp_path):
    data = _npy(np.zeros(2)) + bytes(100_000)
    path = _zip(tmp_path / "long.npz", [("W1.npy", data)])
    with pytest.raises(ValueError, match="holds a different amount of data than its header declares"):
        load_params(path)


def test_npz_duplicate_members_are_refused(tmp_path):
    path = _zip(tmp_path / "twice.npz", [("W1.npy", _npy(np.zeros(2))), ("W1.npy", _npy(np.ones(2)))])
    with pytest.raises(ValueError, match="holds 'W1.npy' more than once"):
        load_params(path)


@pytest.mark.parametrize("name", ["notes.txt", "../W1.npy", "dir/W1.npy", ".npy", "W\x001.npy"])
def test_npz_members_that_are_not_parameters_are_refused(tmp_path, name):
    path = _zip(tmp_path / "odd.npz", [("b1.npy", _npy(np.zeros(2))), (name, _npy(np.zeros(2)))])
    with pytest.raises(ValueError, match="which is not a parameter"):
        load_params(path)


def test_npz_headers_longer_than_the_limit_are_refused_before_numpy_parses_them(tmp_path, monkeypatch):
    # A 9.8 KB header that repeats a key 650 times: numpy's parser takes about 4 ms each, 43 s for 10,000.
    text = "{" + "'descr': '<f8', " * 650 + "'fortran_order': False, 'shape': (2,), }\n"
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1") + bytes(16)
    path = _zip(tmp_path / "header.npz", [("W1.npy", data)])

    def parser_must_not_run(*args, **kwargs):
        raise AssertionError("numpy parsed a header longer than MAX_NPY_HEADER_BYTES")

    monkeypatch.setattr(np.lib.format, "read_array_header_1_0", parser_must_not_run)
    with pytest.raises(
        ValueError, match=f"'W1.npy': its .npy header has {len(text):,} bytes, more than the limit of 256"
    ) as info:
        load_params(path)
    assert "pickled" not in str(info.value)
    monkeypatch.undo()
    # A real header of many axes is well within the limit.
    many_axes = np.zeros((1,) * 16 + (3,))
    assert len(_npy(many_axes)) - 24 <= weights.MAX_NPY_HEADER_BYTES
    path = _zip(tmp_path / "axes.npz", [("W1.npy", _npy(many_axes))])
    assert load_params(path)["W1"].shape == many_axes.shape


def test_npz_structured_and_nan_arrays_are_refused(tmp_path):
    path = _zip(tmp_path / "structured.npz", [("W1.npy", _npy(np.zeros(2, dtype=[("a", "f4"), ("b", "i4")])))])
    with pytest.raises(ValueError, match="parameter 'W1' has dtype .*only numeric"):
        load_params(path)
    path = _zip(tmp_path / "nan.npz", [("W1.npy", _npy(np.array([[1.0, np.nan], [np.inf, -np.inf]])))])
    with pytest.raises(
        ValueError,
        match=r"parameter 'W1' holds 1 NaN and 2 infinite values \(the first at index "
        r"\(0, 1\)\).*diverged",
    ):
        load_params(path)


def test_npz_big_endian_and_fortran_members_load(tmp_path):
    W = np.asfortranarray(np.arange(6, dtype=">f4").reshape(2, 3))
    path = _zip(tmp_path / "orders.npz", [("W1.npy", _npy(W)), ("mask.npy", _npy(np.array([True, False])))])
    loaded = load_params(path)
    np.testing.assert_array_equal(loaded["W1"], W)
    assert loaded["W1"].dtype == np.float32 and loaded["W1"].flags.f_contiguous
    assert loaded["mask"].tolist() == [True, False]


# -- save_params keeps the file's identity -------------------------------------------------------------


def test_save_keeps_an_existing_files_permissions(tmp_path):
    path = tmp_path / "net.npz"
    save_params(path, {"W1": np.ones(2)})
    path.chmod(0o600)
    save_params(path, {"W1": np.zeros(2)})
    assert path.stat().st_mode & 0o777 == 0o600
    np.testing.assert_array_equal(load_params(path)["W1"], np.zeros(2))


def test_save_refuses_a_read_only_target(tmp_path):
    path = tmp_path / "net.npz"
    save_params(path, {"W1": np.ones(2)})
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(PermissionError, match="read-only"):
        save_params(path, {"W1": np.zeros(2)})
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["net.npz"]


def test_save_writes_through_a_symlink(tmp_path):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "net.npz"
    save_params(real, {"W1": np.ones(2)})
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    save_params(link, {"W1": np.full(2, 3.0)})
    assert link.is_symlink() and os.readlink(link) == str(real)
    np.testing.assert_array_equal(load_params(real)["W1"], np.full(2, 3.0))
    assert sorted(os.listdir(tmp_path / "real")) == ["net.npz"]


def test_save_works_for_a_249_character_name(tmp_path):
    path = tmp_path / ("n" * 245 + ".npz")
    assert len(path.name) == 249
    save_params(path, {"W1": np.ones(2)})
    np.testing.assert_array_equal(load_params(path)["W1"], np.ones(2))
    assert os.listdir(tmp_path) == [path.name]


def test_save_removes_temporary_files_of_killed_saves(tmp_path, monkeypatch):
    import textwrap
    import time

    # A save that hangs after writing part of its archive, killed with SIGKILL: its temporary file stays behind.
    script = textwrap.dedent(f"""
        import time, numpy as np
        from nnlib.weights import save_params
        def slow(file, array, **options):
            file.write(b"part of an array")
            file.flush()
            time.sleep(60)
        np.lib.format.write_array = slow
        save_params({str(tmp_path / "net.npz")!r}, {{"W1": np.ones(2)}})
    """)
    child = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] and time.monotonic() < deadline:
        time.sleep(0.05)
    child.kill()
    child.wait()
    stale = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert len(stale) == 1 and stale[0].startswith(".nnlib-save-")
    # A temporary file of a save that is still running (this test's parent process) is left alone.
    alive = f".nnlib-save-{os.getppid()}-00000000.tmp"
    (tmp_path / alive).write_bytes(b"in progress")

    save_params(tmp_path / "net.npz", {"W1": np.zeros(2)})  # too recent to be called stale
    assert sorted(os.listdir(tmp_path)) == sorted([alive, "net.npz", stale[0]])
    monkeypatch.setattr(weights, "STALE_AFTER", 0)
    time.sleep(0.01)
    save_params(tmp_path / "net.npz", {"W1": np.zeros(2)})
    assert sorted(os.listdir(tmp_path)) == sorted([alive, "net.npz"])


def test_save_stores_keys_named_like_savez_arguments(tmp_path):
    params = {"file": np.ones(2), "allow_pickle": np.array([1, 2]), "args": np.zeros(1), "kwds": np.ones(3)}
    save_params(tmp_path / "net.npz", params)
    loaded = load_params(tmp_path / "net.npz")
    assert list(loaded) == list(params)
    for key in params:
        np.testing.assert_array_equal(loaded[key], params[key])


@pytest.mark.parametrize("key", ["a/b", "", "W\x00", "x" * 201])
def test_save_refuses_names_that_cannot_be_members(tmp_path, key):
    with pytest.raises(ValueError, match="(cannot be stored|non-empty strings)"):
        save_params(tmp_path / "net.npz", {key: np.ones(2)})
    assert os.listdir(tmp_path) == []


# -- network_from_params ---------------------------------------------------------------------------------


def test_network_from_pytorch_layout_says_to_transpose(data_root):
    p = load_params(data_root / "sample_weight.pkl")
    torch_layout = {key: value.T if key.startswith("W") else value for key, value in p.items()}
    with pytest.raises(
        ValueError,
        match=r"b1 has shape \(50,\) but W1 has shape \(50, 784\).*W1 looks transposed: "
        r"PyTorch's nn.Linear .*\(units, inputs\).*pass its .T",
    ):
        weights.network_from_params(torch_layout, BOOK_ACTIVATIONS)
    no_bias = {key: value for key, value in torch_layout.items() if key.startswith("W")}
    with pytest.raises(
        ValueError,
        match=r"W1 has shape \(50, 784\) .* but W2 has shape \(100, 50\).*the kernels "
        r"look transposed: PyTorch",
    ):
        weights.network_from_params(no_bias, BOOK_ACTIVATIONS)
    fixed = {key: value.T if key.startswith("W") else value for key, value in torch_layout.items()}
    assert weights.network_from_params(fixed, BOOK_ACTIVATIONS).count_params() == 784 * 50 + 50 + 5000 + 100 + 1010


def test_network_without_biases(data_root):
    p = load_params(data_root / "sample_weight.pkl")
    kernels = {key: value for key, value in p.items() if key.startswith("W")}
    model = weights.network_from_params(kernels, BOOK_ACTIVATIONS)
    assert [layer.use_bias for layer in model.layers] == [False, False, False]
    assert model.count_params() == 784 * 50 + 50 * 100 + 100 * 10
    x = np.linspace(0, 1, 784, dtype=np.float32)[None, :]
    z1 = 1 / (1 + np.exp(-(x @ p["W1"])))
    z2 = 1 / (1 + np.exp(-(z1 @ p["W2"])))
    a3 = z2 @ p["W3"]
    expected = np.exp(a3 - a3.max()) / np.exp(a3 - a3.max()).sum()
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5)
    some = dict(kernels, b1=p["b1"])
    with pytest.raises(ValueError, match="lack b2, b3"):
        weights.network_from_params(some, BOOK_ACTIVATIONS)


def test_network_refuses_layers_it_would_drop(data_root):
    p = load_params(data_root / "sample_weight.pkl")
    p.update(W4=np.ones((10, 2), np.float32), b4=np.zeros(2, np.float32))
    with pytest.raises(
        ValueError,
        match=r"also hold W4, b4, which a 3-layer network would leave out; give one "
        r"activation per layer \(4 for W1 ... W4\)",
    ):
        weights.network_from_params(p, BOOK_ACTIVATIONS)
    model = weights.network_from_params(p, BOOK_ACTIVATIONS + ("softmax",))
    assert model.layers[-1].units == 2


# -- issue 24: budgets for .npz archives ---------------------------------------------------------------------


def test_npz_bzip2_and_lzma_members_are_refused_before_inflating(tmp_path):
    import zipfile

    for method, name in ((zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "lzma")):
        path = _zip(tmp_path / f"{name}.npz", [("W1.npy", _npy(np.zeros(2**20, np.uint8)))], method)
        assert path.stat().st_size < 4096
        with pytest.raises(ValueError, match=f"'W1.npy': it is compressed with {name}; parameter files are stored"):
            load_params(path)
    deflated = tmp_path / "deflated.npz"
    np.savez_compressed(deflated, W1=np.arange(6.0))
    np.testing.assert_array_equal(load_params(deflated)["W1"], np.arange(6.0))


def test_npz_with_too_many_members_is_refused_before_zipfile_parses_it(tmp_path, monkeypatch):
    import zipfile

    path = _zip(tmp_path / "many.npz", [(f"p{i}.npy", b"") for i in range(1200)])
    monkeypatch.setattr(weights, "MAX_MEMBERS", 1000)

    class MustNotOpen:
        def __init__(self, *args, **kwargs):
            raise AssertionError("zipfile parsed the whole central directory")

    monkeypatch.setattr(zipfile, "ZipFile", MustNotOpen)
    with pytest.raises(ValueError, match="the archive has 1,200 members in a directory of .*the limit is 1,000"):
        load_params(path)
    # An end record that understates the count cannot hide a large directory: its size is checked too.
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 1, 1)
    path.write_bytes(bytes(data))
    monkeypatch.setattr(weights, "MAX_MEMBERS", 10)
    with pytest.raises(ValueError, match="the archive has 1 members in a directory of"):
        load_params(path)


def test_npz_members_are_read_without_extra_copies(tmp_path):
    import tracemalloc

    original = np.random.default_rng(2).normal(size=2**20).astype(">f8")  # 8 MiB, big-endian: swapped in place
    path = _zip(tmp_path / "big.npz", [("W1.npy", _npy(np.asfortranarray(original.reshape(1024, 1024))))])
    tracemalloc.start()
    try:
        loaded = load_params(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(loaded["W1"], original.reshape(1024, 1024))
    assert loaded["W1"].flags.f_contiguous and loaded["W1"].flags.owndata and loaded["W1"].dtype == np.float64
    assert peak < 1.4 * original.nbytes, peak / original.nbytes  # three copies (3.0) before


def test_npz_errors_from_numpy_and_zipfile_name_the_file(tmp_path):
    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n"
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1") + bytes(16)
    path = _zip(tmp_path / "good.npz", [("W1.npy", data)])
    raw = bytearray(path.read_bytes())
    raw[raw.index(b"PK\x01\x02") + 10] = 99  # the central directory names compression method 99
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=f"^{path}") as info:
        load_params(path)
    assert "compressed with method 99" in str(info.value)
    # A ValueError raised inside numpy or zipfile is wrapped with the file's name.
    import zipfile

    path = _zip(tmp_path / "other.npz", [("W1.npy", data)])
    original = zipfile.ZipFile.open

    def open_raising(self, *args, **kwargs):
        raise ValueError("seek of closed file")

    zipfile.ZipFile.open = open_raising
    try:
        with pytest.raises(ValueError, match=f"^{path} is not a readable .npz file \\(ValueError: seek of closed"):
            load_params(path)
    finally:
        zipfile.ZipFile.open = original


# -- issue 24: save_params follows load_params' rules and keeps a private file private ---------------------


def test_the_temporary_file_is_private_and_has_its_final_mode_before_any_data(tmp_path, monkeypatch):
    path = tmp_path / "secret.npz"
    save_params(path, {"W1": np.ones(2)})
    path.chmod(0o600)
    seen = []
    real_open, real_write = os.open, weights._write_npz

    def recording_open(name, flags, mode=0o777, **kwargs):
        if ".nnlib-save-" in str(name):
            seen.append(("created", mode))
        return real_open(name, flags, mode, **kwargs)

    def recording_write(f, params):
        seen.append(("before data", os.fstat(f.fileno()).st_mode & 0o777, f.tell()))
        return real_write(f, params)

    monkeypatch.setattr(os, "open", recording_open)
    monkeypatch.setattr(weights, "_write_npz", recording_write)
    save_params(path, {"W1": np.zeros(2)})
    assert seen == [("created", 0o600), ("before data", 0o600, 0)]
    seen.clear()
    save_params(tmp_path / "new.npz", {"W1": np.zeros(2)})
    umask = os.umask(0)
    os.umask(umask)
    assert seen == [("created", 0o600), ("before data", 0o666 & ~umask, 0)]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: {"W1": np.ma.masked_invalid(np.array([1.0, np.nan]))}, "parameter 'W1' is a masked array"),
        (lambda: {f"p{i}": np.zeros(1) for i in range(10_001)}, "10,001 parameters are more than the limit of 10,000"),
        (
            lambda: {"W1": np.broadcast_to(np.float64(0), (260 * 2**20 // 8,))},  # 260 MiB, no memory of its own
            "the parameters take more than 268,435,456 bytes together",
        ),
        (lambda: {"W\ud800": np.zeros(1)}, "holds the unprintable character U\\+D800"),
    ],
)
def test_save_refuses_what_load_would_refuse(tmp_path, make, message):
    with pytest.raises(ValueError, match=message):
        save_params(tmp_path / "net.npz", make())
    assert os.listdir(tmp_path) == []


def test_save_errors_name_the_users_file(tmp_path, monkeypatch):
    def disk_full(file, array, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", disk_full)
    with pytest.raises(OSError, match="No space left on device") as info:
        save_params(tmp_path / "net.npz", {"W1": np.ones(2)})
    assert info.value.errno == 28 and info.value.filename == str(tmp_path / "net.npz")
    assert ".nnlib-save-" not in str(info.value)
    monkeypatch.undo()
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(NotADirectoryError) as info:
        save_params(tmp_path / "a-file" / "net.npz", {"W1": np.ones(2)})
    assert ".nnlib-save-" not in str(info.value) and info.value.filename == str(tmp_path / "a-file" / "net.npz")


def test_save_to_a_bare_extension_says_to_give_a_name(tmp_path):
    with pytest.raises(ValueError, match="needs a file name before .npz, such as 'weights.npz'"):
        save_params(tmp_path / ".npz", {"W1": np.ones(2)})


def test_network_from_params_reads_only_ascii_layer_numbers_and_keeps_messages_short():
    p = {"W1": np.ones((2, 3)), "b1": np.zeros(3), "W²": np.ones((3, 1)), "W١": np.ones(1)}
    model = weights.network_from_params(p, ("relu",))  # "W²" and "W١" are not layers: no int() of them
    assert model.count_params() == 9
    many = dict(p, **{f"W{i}": np.ones(1) for i in range(2, 5002)}, **{"W" + "9" * 5000: np.ones(1)})
    with pytest.raises(ValueError) as info:
        weights.network_from_params(many, ("relu",))
    assert "also hold W2, W3, W4" in str(info.value) and "and 4,991 more" in str(info.value)
    assert len(str(info.value)) < 500
    many_names = {f"x{i}": np.ones(1) for i in range(5000)}
    with pytest.raises(ValueError, match="lack W1; .* and 4,990 more\\)") as info:
        weights.network_from_params(many_names, ("relu",))
    assert len(str(info.value)) < 500
