"""nnlib.safe_pickle: hostile and mutated pickles (and mutated .npz archives) never crash, run code, or load wrongly.

Every untrusted file is loaded in a subprocess (tests/untrusted_loader.py), many per process;
a crash shows as the process's exit status after a `begin N` without its `end N`.
"""

import pickle
import pickletools
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nnlib.safe_pickle import UnsafePickleError, read_params_pickle
from nnlib.weights import load_params, save_params

LOADER = Path(__file__).with_name("untrusted_loader.py")


def load_in_subprocess(paths, tmp_path, timeout=120, loader=LOADER):
    """{path: (outcome, detail)} for each file, loaded by untrusted_loader.py in one child process in tmp_path."""
    listing = tmp_path / f"files-{time.monotonic_ns()}.txt"
    listing.write_text("\n".join(str(p) for p in paths))
    run = subprocess.run(
        [sys.executable, str(loader), str(listing)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tmp_path,
        env={
            "OPENBLAS_NUM_THREADS": "1",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        },
    )
    outcomes, started = {}, None
    for line in run.stdout.splitlines():
        word, number, *rest = line.split(" ", 2)
        if word == "begin":
            started = int(number)
        elif word == "end":
            outcome, _, detail = rest[0].partition(" ")
            outcomes[paths[int(number)]] = (outcome, detail)
            started = None
    if run.returncode != 0:
        culprit = paths[started] if started is not None else "(before the first file)"
        pytest.fail(
            f"the loader process died with exit status {run.returncode} while loading {culprit}:\n{run.stderr[-3000:]}"
        )
    assert len(outcomes) == len(paths)
    return outcomes


def test_a_crash_in_the_loader_process_names_the_file(tmp_path):
    # The harness itself must be able to fail: a stand-in loader that aborts on the second file.
    crashing = tmp_path / "crashing_loader.py"
    crashing.write_text(
        "import os, sys\nprint('begin 0'); print(\"end 0 refused 'fine'\"); print('begin 1', flush=True)\nos.abort()\n"
    )
    paths = [tmp_path / "first.pkl", tmp_path / "second.pkl", tmp_path / "third.pkl"]
    with pytest.raises(pytest.fail.Exception, match="died with exit status -6 while loading .*second.pkl"):
        load_in_subprocess(paths, tmp_path, loader=crashing)


# -- a tiny pickle assembler: each hostile file below is one change away from a valid one ---------------


def uni(text):
    raw = text.encode("utf-8")
    return b"X" + struct.pack("<I", len(raw)) + raw


def raw_bytes(data):
    return b"B" + struct.pack("<I", len(data)) + data


def integer(n):
    return b"J" + struct.pack("<i", n)


def glob(module, name):
    return b"c" + f"{module}\n{name}\n".encode()


def tup(*items):
    return b"(" + b"".join(items) + b"t"


NONE, TRUE, FALSE, REDUCE, BUILD, STOP = b"N", b"\x88", b"\x89", b"R", b"b", b"."
DTYPE_STATE = tup(integer(3), uni("<"), NONE, NONE, NONE, integer(-1), integer(-1), integer(0))


def dtype(code="f8", state=DTYPE_STATE):
    return glob("numpy", "dtype") + tup(uni(code), FALSE, TRUE) + REDUCE + state + BUILD


def reconstruct(cls=None):
    return (
        glob("numpy.core.multiarray", "_reconstruct")
        + tup(cls or glob("numpy", "ndarray"), tup(integer(0)), raw_bytes(b"b"))
        + REDUCE
    )


def array(values=(1.0, 2.0), shape=None, code="f8", data=None, state=None):
    """The opcodes numpy's protocol-3 pickle uses for a 1-D float64 array (or whatever the arguments say)."""
    data = np.asarray(values, dtype=code).tobytes() if data is None else data
    shape = tup(*(integer(n) for n in (shape or (len(values),))))
    return reconstruct() + (state or tup(integer(1), shape, dtype(code), FALSE, raw_bytes(data))) + BUILD


def params(*entries):
    """A protocol-3 pickle of {key: value} for (key_opcodes, value_opcodes) pairs."""
    body = b"".join((uni(k) if isinstance(k, str) else k) + v for k, v in entries)
    return b"\x80\x03}(" + body + b"u" + STOP


def test_the_assembler_makes_pickles_that_both_readers_agree_on():
    data = params(("W1", array((1.0, -2.5), shape=(1, 2))), ("b1", array((3,), code="i4")))
    expected = pickle.loads(data)
    got = read_params_pickle(data)
    assert sorted(got) == ["W1", "b1"]
    for key in expected:
        np.testing.assert_array_equal(got[key], expected[key])
        assert got[key].dtype == expected[key].dtype


# -- each class of hostile pickle the security probe found, and a few more -------------------------------

DEEP = 1_000_000


def _deep_tuple(depth):
    return integer(1) + b"\x85" * depth  # TUPLE1 applied `depth` times: ((((1,),),),)


HOSTILE = {
    # object dtype with a declared size larger than its data list: numpy segfaults
    "object dtype": params(
        (
            "W1",
            reconstruct() + tup(integer(1), tup(integer(10**6)), dtype("O8"), FALSE, b"]" + integer(1) + b"a") + BUILD,
        )
    ),
    # structured dtype with an object field at a large offset: numpy writes pointers past the buffer
    "structured dtype with object field": params(
        (
            "W1",
            reconstruct()
            + tup(
                integer(1),
                tup(integer(1)),
                dtype(
                    "V8",
                    tup(
                        integer(3),
                        uni("|"),
                        NONE,
                        tup(uni("a")),
                        b"}" + uni("a") + tup(dtype("O8"), integer(10**6)) + b"s",
                        integer(8),
                        integer(1),
                        integer(27),
                    ),
                ),
                FALSE,
                b"]" + integer(7) + b"a",
            )
            + BUILD,
        )
    ),
    "float dtype given fields in its state": params(
        (
            "W1",
            array(
                state=tup(
                    integer(1),
                    tup(integer(1)),
                    dtype(
                        "f8", tup(integer(3), uni("<"), NONE, tup(uni("a")), NONE, integer(64), integer(1), integer(0))
                    ),
                    FALSE,
                    raw_bytes(bytes(8)),
                )
            ),
        )
    ),
    # numpy.ndarray(shape, dtype, buffer, offset=-64): heap bytes as weights
    "ndarray with negative offset": params(
        ("W1", glob("numpy", "ndarray") + tup(tup(integer(8)), dtype(), raw_bytes(bytes(64)), integer(-64)) + REDUCE)
    ),
    # arrays that never receive data: uninitialised memory as weights
    "_reconstruct without BUILD": params(("W1", reconstruct())),
    "ndarray called directly (1.6 GB, 60 bytes)": params(
        ("W1", glob("numpy", "ndarray") + tup(tup(integer(200_000_000)), dtype()) + REDUCE)
    ),
    "shape larger than the data": params(("W1", array((1.0, 2.0), shape=(1000, 1000)))),
    "negative shape": params(("W1", array((1.0, 2.0), shape=(-2, -1)))),
    "data longer than the shape": params(("W1", array((1.0, 2.0, 3.0), shape=(2,)))),
    "data that is not bytes": params(
        ("W1", array(state=tup(integer(1), tup(integer(2)), dtype(), FALSE, uni("0123456789abcdef"))))
    ),
    "BUILD twice on one array": params(
        ("W1", array() + tup(integer(1), tup(integer(0)), dtype(), FALSE, raw_bytes(b"")) + BUILD)
    ),
    # a dict key that is a tuple nested 10**6 deep (crashes CPython's hash) or 50,000 deep
    "tuple key 1,000,000 deep": params((_deep_tuple(DEEP), array())),
    "tuple key 50,000 deep": params((_deep_tuple(50_000), array())),
    "tuple value 50,000 deep": params(("W1", _deep_tuple(50_000))),
    # a key of 3 million ints (a 33 MB error message) and a 3-million-digit int
    "key of 3,000,000 ints": params((b"(" + b"K\x07" * 3_000_000 + b"t", array())),
    "3,000,000-digit int key": params((b"\x8b" + struct.pack("<i", 1_250_000) + b"\x07" * 1_250_000, array())),
    "float key": params((b"G" + struct.pack(">d", 1.5), array())),
    # BUILD on the allow-listed _codecs.encode: sets attributes on a function for the whole process
    "BUILD on _codecs.encode": b"\x80\x03"
    + glob("_codecs", "encode")
    + b"}"
    + uni("__doc__")
    + uni("pwned")
    + b"s"
    + BUILD
    + b"0}"
    + STOP,
    "_codecs.encode with another codec": params(
        ("W1", glob("_codecs", "encode") + tup(uni("print(1)"), uni("rot13")) + REDUCE)
    ),
    # code execution, the classic ways
    "os.system": b"\x80\x03" + glob("os", "system") + tup(uni("touch MARKER")) + REDUCE + STOP,
    "posix.system": b"\x80\x03" + glob("posix", "system") + tup(uni("touch MARKER")) + REDUCE + STOP,
    "builtins.eval": b"\x80\x03" + glob("builtins", "eval") + tup(uni("open('MARKER','w')")) + REDUCE + STOP,
    "builtins.exec in a value": params(("W1", glob("builtins", "exec") + tup(uni("open('MARKER','w')")) + REDUCE)),
    "builtins.getattr": b"\x80\x03"
    + glob("builtins", "getattr")
    + tup(glob("os", "path"), uni("join"))
    + REDUCE
    + STOP,
    "builtins.__import__": b"\x80\x03" + glob("builtins", "__import__") + tup(uni("os")) + REDUCE + STOP,
    "subprocess.Popen": b"\x80\x03"
    + glob("subprocess", "Popen")
    + tup(tup(uni("touch"), uni("MARKER")))
    + REDUCE
    + STOP,
    "numpy.load": b"\x80\x03" + glob("numpy", "load") + tup(uni("/etc/passwd")) + REDUCE + STOP,
    "nnlib's own save_params": b"\x80\x03"
    + glob("nnlib.weights", "save_params")
    + tup(uni("MARKER.npz"), b"}")
    + REDUCE
    + STOP,
    "STACK_GLOBAL os.system": b"\x80\x04" + b"\x8c\x02os\x8c\x06system\x93" + tup(uni("touch MARKER")) + REDUCE + STOP,
    "INST": b"\x80\x03(" + uni("touch MARKER") + b"ios\nsystem\n" + STOP,
    "OBJ": b"\x80\x03(" + glob("os", "system") + uni("touch MARKER") + b"o" + STOP,
    "NEWOBJ on numpy.ndarray": params(("W1", glob("numpy", "ndarray") + tup(tup(integer(8)), dtype()) + b"\x81")),
    "persistent id": b"\x80\x03" + uni("x") + b"Q" + STOP,
    "extension registry": b"\x80\x03\x82\x01" + STOP,
    "out-of-band buffer": b"\x80\x05\x97" + STOP,
    # containers that refer to themselves or nest mutable containers
    "self-containing list": b"\x80\x03]q\x00h\x00a" + STOP,
    "dict in a tuple": params(("W1", b"(}t")),
    # not a dict of arrays
    "list of arrays": b"\x80\x03]" + array() + b"a" + STOP,
    "numpy.dtype as a value": params(("W1", dtype())),
    "scalar of object dtype": params(
        ("W1", glob("numpy.core.multiarray", "scalar") + tup(dtype("O8"), raw_bytes(bytes(8))) + REDUCE)
    ),
    "scalar with short data": params(
        ("W1", glob("numpy.core.multiarray", "scalar") + tup(dtype(), raw_bytes(bytes(3))) + REDUCE)
    ),
    "_frombuffer with a shape too large": params(
        (
            "W1",
            glob("numpy.core.numeric", "_frombuffer")
            + tup(raw_bytes(bytes(16)), dtype(), tup(integer(10**6)), uni("C"))
            + REDUCE,
        )
    ),
    "NaN weights": params(("W1", array((1.0, float("nan"))))),
    "inf weights": params(("W1", array((float("inf"), 2.0)))),
    "protocol 1": b"\x80\x01}" + STOP,
    "no STOP": params(("W1", array()))[:-1],
}


@pytest.fixture(scope="module")
def hostile_outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for number, (name, data) in enumerate(HOSTILE.items()):
        paths[name] = folder / f"hostile-{number:02d}.pkl"
        paths[name].write_bytes(data)  # the loader runs in `folder`: MARKER would appear there
    started = time.perf_counter()
    outcomes = load_in_subprocess(list(paths.values()), folder)
    elapsed = time.perf_counter() - started
    assert not (folder / "MARKER").exists() and not (folder / "MARKER.npz").exists()
    return {name: outcomes[path] for name, path in paths.items()}, elapsed


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_pickle_is_refused_in_a_subprocess(hostile_outcomes, name):
    outcome, detail = hostile_outcomes[0][name]
    assert outcome == "refused", f"{name}: {outcome} {detail}"
    assert "hostile-" in detail  # the message names the file


@pytest.mark.parametrize(
    "name, message",
    [
        ("object dtype", "dtype 'O8'; only plain numeric dtypes"),
        ("structured dtype with object field", "dtype 'V8'"),
        ("float dtype given fields in its state", "a plain numeric dtype has no fields"),
        ("ndarray with negative offset", "calls numpy.ndarray"),
        ("_reconstruct without BUILD", "never receives its data"),
        ("ndarray called directly (1.6 GB, 60 bytes)", "calls numpy.ndarray"),
        ("shape larger than the data", "declares shape (1000, 1000) of float64 (8,000,000 bytes) but carries 16 bytes"),
        ("negative shape", "a shape is a tuple of at most 32 whole numbers >= 0"),
        ("data longer than the shape", "(16 bytes) but carries 24 bytes"),
        ("data that is not bytes", "not raw bytes"),
        ("BUILD twice on one array", "sets the data of one array twice"),
        ("tuple key 1,000,000 deep", "nests tuples more than 8 deep"),
        ("tuple value 50,000 deep", "nests tuples more than 8 deep"),
        ("key of 3,000,000 ints", "more than 10,000 objects"),
        ("3,000,000-digit int key", "an integer of 9,999,995 bits (the limit is 64)"),
        ("float key", "uses 1.5 (a float) as a parameter name"),
        ("BUILD on _codecs.encode", "sets the state (BUILD) of _codecs.encode"),
        ("_codecs.encode with another codec", "calls _codecs.encode with"),
        ("os.system", "asks for os.system"),
        ("builtins.eval", "asks for builtins.eval"),
        ("nnlib's own save_params", "asks for nnlib.weights.save_params"),
        ("STACK_GLOBAL os.system", "asks for os.system"),
        ("INST", "INST"),
        ("OBJ", "asks for os.system"),
        ("NEWOBJ on numpy.ndarray", "NEWOBJ"),
        ("persistent id", "persistent ids"),
        ("out-of-band buffer", "out-of-band buffers"),
        ("self-containing list", "puts a list inside a list"),
        ("dict in a tuple", "puts a dict inside a tuple"),
        ("list of arrays", "expected a dict of arrays"),
        ("scalar of object dtype", "dtype 'O8'"),
        ("scalar with short data", "carries 3 bytes"),
        ("_frombuffer with a shape too large", "declares shape (1000000,)"),
        ("NaN weights", "parameter 'W1' holds 1 NaN and 0 infinite values"),
        ("inf weights", "holds 0 NaN and 1 infinite values"),
        ("protocol 1", "declares pickle protocol 1"),
        ("no STOP", "not a readable pickle"),
    ],
)
def test_hostile_pickle_errors_say_what_was_found(hostile_outcomes, name, message):
    outcome, detail = hostile_outcomes[0][name]
    assert message in detail, detail


def test_hostile_error_messages_stay_short(hostile_outcomes):
    # The runner cuts at 300 characters; these are the full messages for the worst keys.
    for name in ("tuple key 50,000 deep", "key of 3,000,000 ints", "3,000,000-digit int key"):
        data = HOSTILE[name]
        with pytest.raises(UnsafePickleError) as info:
            read_params_pickle(data, "f.pkl")
        assert len(str(info.value)) < 500


def test_the_reader_never_calls_numpys_reconstructors(monkeypatch):
    # The reader never calls what the file names: poison numpy's reconstructors and read good pickles.
    from numpy._core import multiarray, numeric

    pickles = [pickle.dumps({"W1": np.arange(6.0).reshape(2, 3)}, protocol=protocol) for protocol in (2, 3, 4, 5)]

    def poisoned(*args, **kwargs):
        raise AssertionError("a numpy reconstructor was called")

    monkeypatch.setattr(multiarray, "_reconstruct", poisoned)
    monkeypatch.setattr(numeric, "_frombuffer", poisoned)
    for data in pickles:
        np.testing.assert_array_equal(read_params_pickle(data)["W1"], np.arange(6.0).reshape(2, 3))


# -- numpy's own pickles of every protocol load, with their dtypes, orders and byte orders -----------------


def _numpy_params():
    rng = np.random.default_rng(7)
    return {
        "W1": rng.normal(size=(4, 3)).astype(np.float32),
        "b1": rng.normal(size=3),
        "W2": np.asfortranarray(rng.normal(size=(3, 5)).astype(np.float16)),
        "big_endian": np.arange(6, dtype=">i4").reshape(2, 3),
        "transposed": rng.normal(size=(3, 4)).T,
        "steps": np.array(12, dtype=np.int64),
        "counts": np.arange(5, dtype=np.uint8),
        "mask": np.array([True, False, True]),
        "empty": np.zeros((0, 3), np.float32),
    }


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_numpy_pickles_of_each_protocol_load(protocol):
    original = _numpy_params()
    loaded = read_params_pickle(pickle.dumps(original, protocol=protocol))
    assert list(loaded) == list(original)
    for key, value in original.items():
        np.testing.assert_array_equal(loaded[key], value)
        assert loaded[key].dtype == value.dtype.newbyteorder("=")
        assert loaded[key].flags.owndata and loaded[key].flags.writeable
    assert loaded["W2"].flags.f_contiguous


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_ordered_dicts_load_and_scalars_are_named(tmp_path, protocol):
    import collections

    ordered = collections.OrderedDict(W1=np.ones((2, 2), np.float32), b1=np.zeros(2))
    assert list(read_params_pickle(pickle.dumps(ordered, protocol=protocol))) == ["W1", "b1"]
    path = tmp_path / "scalar.pkl"
    path.write_bytes(pickle.dumps({"W1": np.ones(2), "lr": np.float32(0.1)}, protocol=protocol))
    with pytest.raises(ValueError, match="parameter 'lr' is a float32, not a numpy array"):
        load_params(path)


# -- the fuzz test: random mutations of the book's pickle and of numpy's pickles --------------------------


def _mutants(data, rng, count, positions=None):
    """`count` variants of `data`, mostly changed near `positions` (default: where its pickle opcodes are)."""
    if positions is None:
        positions = [pos for _, _, pos in pickletools.genops(data)]
    spots = sorted({p + d for p in positions for d in range(5) if p + d < len(data)})
    interesting = [
        0,
        1,
        2,
        3,
        4,
        8,
        0x7F,
        0x80,
        0xFF,
        0x85,
        0x86,
        0x87,
        ord("R"),
        ord("b"),
        ord("c"),
        ord("("),
        ord("t"),
        ord("u"),
        ord("s"),
        ord("."),
        ord("q"),
        ord("h"),
        ord("J"),
    ]
    for _ in range(count):
        mutant = bytearray(data)
        for _ in range(int(rng.integers(1, 4))):
            at = int(rng.choice(spots)) if rng.random() < 0.9 else int(rng.integers(len(mutant)))
            at = min(at, len(mutant) - 1)
            kind = int(rng.integers(6))
            if kind == 0:
                mutant[at] ^= 1 << int(rng.integers(8))
            elif kind == 1:
                mutant[at] = int(rng.choice(interesting))
            elif kind == 2:
                del mutant[at : at + int(rng.integers(1, 9))]
            elif kind == 3:
                mutant[at:at] = bytes(rng.integers(0, 256, int(rng.integers(1, 5)), dtype=np.uint8))
            elif kind == 4:  # copy a run of opcodes elsewhere
                start = int(rng.choice(spots))
                mutant[at:at] = data[start : start + int(rng.integers(2, 40))]
            else:
                mutant[at : at + 4] = struct.pack("<i", int(rng.choice([-1, 0, 1, 2**31 - 1, -(2**31), 10**6])))
            if not mutant:
                mutant = bytearray(b"\x80")
        yield bytes(mutant)


MUTANTS_PER_SOURCE = 600


def test_fuzzed_pickles_never_crash_run_code_or_load_wrongly(tmp_path, data_root):
    import resource

    started = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    sources = {"book": (data_root / "sample_weight.pkl").read_bytes()}
    for protocol in (2, 3, 4, 5):
        sources[f"numpy-p{protocol}"] = pickle.dumps(_numpy_params(), protocol=protocol)
    rng = np.random.default_rng(2026)
    paths = []
    for name, data in sources.items():
        for number, mutant in enumerate(_mutants(data, rng, MUTANTS_PER_SOURCE)):
            paths.append(tmp_path / f"{name}-{number:04d}.pkl")
            paths[-1].write_bytes(mutant)
    # .npz archives too, changed near their zip headers and .npy headers.
    save_params(tmp_path / "original.npz", {k: v for k, v in _numpy_params().items() if k != "big_endian"})
    archive = (tmp_path / "original.npz").read_bytes()
    headers = [
        i
        for marker in (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"\x93NUMPY")
        for i in range(len(archive))
        if archive.startswith(marker, i)
    ]
    headers = sorted({h + d for h in headers for d in range(0, 120, 4)})
    for number, mutant in enumerate(_mutants(archive, rng, MUTANTS_PER_SOURCE // 2, headers)):
        paths.append(tmp_path / f"npz-{number:04d}.npz")
        paths[-1].write_bytes(mutant)
    outcomes = load_in_subprocess(paths, tmp_path, timeout=300)
    counts = {}
    for path, (outcome, detail) in outcomes.items():
        counts[outcome] = counts.get(outcome, 0) + 1
        assert outcome in ("refused", "loaded"), f"{path.name}: {outcome} {detail}"
        if outcome == "loaded":
            assert detail == "'ok'", f"{path.name} loaded {detail}"
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    print(f"\n{len(paths)} mutated files in {elapsed:.1f} s ({cpu:.1f} s CPU in the loader): {counts}")
    assert counts.get("refused", 0) > len(paths) // 2  # the mutations really do break most files
    assert cpu < 60  # CPU time, not wall time: a busy machine must not fail the test


def test_sample_weight_pickle_loads_unchanged(data_root):
    # The old reader (pickle with allow-listed numpy reconstructors) and the new one give the same arrays.
    data = (data_root / "sample_weight.pkl").read_bytes()
    expected = pickle.loads(data)
    got = load_params(data_root / "sample_weight.pkl")
    assert sorted(got) == sorted(expected)
    for key in expected:
        np.testing.assert_array_equal(got[key], expected[key])
        assert got[key].dtype == expected[key].dtype


def test_pickles_over_the_size_limit_are_refused_unread(data_root, monkeypatch):
    from nnlib import safe_pickle

    monkeypatch.setattr(safe_pickle, "MAX_PICKLE_BYTES", 100_000)
    with pytest.raises(
        UnsafePickleError,
        match="sample_weight.pkl: refused to load this pickle: it has 181,853 bytes, more than the limit of 100,000",
    ):
        load_params(data_root / "sample_weight.pkl")
    with pytest.raises(UnsafePickleError, match="the file has 181,853 bytes"):
        read_params_pickle((data_root / "sample_weight.pkl").read_bytes())


# -- budgets for the whole file, not for each piece (issue 24) -----------------------------------------------


def _frombuffer(data_opcodes, n):
    return (
        glob("numpy.core.numeric", "_frombuffer") + tup(data_opcodes, dtype("u1"), tup(integer(n)), uni("C")) + REDUCE
    )


def test_one_byte_string_in_the_memo_cannot_feed_many_arrays():
    # 64 KiB of data stored once (memo slot 0) and used by 200 arrays: 12.8 MiB from a 70 KB file.
    size = 2**16
    first = uni("W0") + _frombuffer(raw_bytes(bytes(size)) + b"q\x00", size)
    rest = b"".join(uni(f"W{i}") + _frombuffer(b"h\x00", size) for i in range(1, 200))
    data = b"\x80\x03}(" + first + rest + b"u" + STOP
    assert len(data) < 2 * size
    with pytest.raises(
        UnsafePickleError, match=f"its arrays together take more bytes than the file's own {len(data):,}"
    ):
        read_params_pickle(data, "f.pkl")
    # The same through _reconstruct and BUILD: the array's state fetches the memo'd bytes.
    state = tup(integer(1), tup(integer(size)), dtype("u1"), FALSE, b"h\x00")
    first = (
        uni("W0")
        + reconstruct()
        + tup(integer(1), tup(integer(size)), dtype("u1"), FALSE, raw_bytes(bytes(size)) + b"q\x00")
        + BUILD
    )
    rest = b"".join(uni(f"W{i}") + reconstruct() + state + BUILD for i in range(1, 200))
    with pytest.raises(UnsafePickleError, match="its arrays together take more bytes"):
        read_params_pickle(b"\x80\x03}(" + first + rest + b"u" + STOP, "f.pkl")
    # Within the file's own size, two arrays of the same bytes are what pickle reads.
    twice = (
        b"\x80\x03}("
        + uni("W0")
        + _frombuffer(raw_bytes(bytes(range(8)) * 4) + b"q\x00", 32)
        + uni("W1")
        + _frombuffer(b"h\x00", 32)
        + b"u"
        + STOP
    )
    loaded = read_params_pickle(twice)
    np.testing.assert_array_equal(loaded["W1"], np.frombuffer(bytes(range(8)) * 4, np.uint8))


def test_the_array_budget_is_also_the_callers_limit():
    data = pickle.dumps({"W1": np.zeros(1000), "W2": np.zeros(1000)}, protocol=3)
    assert set(read_params_pickle(data, max_array_bytes=16_000)) == {"W1", "W2"}
    with pytest.raises(UnsafePickleError, match="at most 15,999 bytes"):
        read_params_pickle(data, max_array_bytes=15_999)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("MEMOIZE", b"\x80\x04N" + b"\x94" * 200_000 + b"0}" + STOP, "stores more than 121,000 objects in its memo"),
        (
            "distinct LONG_BINPUT",
            b"\x80\x03N" + b"".join(b"r" + struct.pack("<I", i) for i in range(200_000)) + b"0}" + STOP,
            "stores more than 121,000 objects in its memo",
        ),
        ("NONE/POP", b"\x80\x03" + b"N0" * 250_000 + b"}" + STOP, "runs more than 401,000 opcodes"),
        ("EMPTY_TUPLE/TUPLE1/POP", b"\x80\x03" + b")\x850" * 100_000 + b"}" + STOP, "builds more than 81,000 tuples"),
    ],
)
def test_the_interpreters_work_is_budgeted(name, data, message):
    started = time.process_time()
    with pytest.raises(UnsafePickleError, match=message):
        read_params_pickle(data, "f.pkl")
    assert time.process_time() - started < 2


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_the_budgets_admit_numpys_pickles_of_as_many_parameters_as_allowed(protocol):
    # The budgets grow with the parameters allowed; 2,000 keeps the test fast (the default is 10,000).
    params = {f"p{i}": np.full((2, 3, 1), i, np.float32) for i in range(2000)}
    loaded = read_params_pickle(pickle.dumps(params, protocol=protocol), max_params=2000)
    assert len(loaded) == 2000 and loaded["p1999"][1, 2, 0] == 1999
    params["one_more"] = np.zeros(1)
    with pytest.raises(UnsafePickleError, match="a dict of more than 2,000 entries"):
        read_params_pickle(pickle.dumps(params, protocol=protocol), max_params=2000)


@pytest.mark.parametrize(
    "key, message",
    [
        ("x" * 1_000_000, "a name of 1,000,000 bytes; parameter names have at most 200 characters"),
        ("x" * 201, "a name of 201 characters is longer than the limit of 200"),
        ("W\ud800", "the name 'W\\\\ud800' holds the unprintable character U\\+D800"),
        ("a/b", "the name 'a/b' is a path"),
        ("", "the name is empty"),
    ],
)
def test_parameter_names_follow_the_npz_rules(key, message):
    data = params(
        (
            b"X" + struct.pack("<I", len(key.encode("utf-8", "surrogatepass"))) + key.encode("utf-8", "surrogatepass"),
            array(),
        )
    )
    with pytest.raises(UnsafePickleError, match=message) as info:
        read_params_pickle(data, "f.pkl")
    assert len(str(info.value)) < 500


def test_messages_never_show_the_readers_own_objects():
    cases = [
        params((array(), array())),  # an array as a key
        params(("W1", dtype() + dtype() + BUILD)),  # BUILD on a dtype with a dtype as its state
        b"\x80\x03" + array() + STOP,  # an array as the whole result
        params(("W1", reconstruct() + tup(reconstruct()) + REDUCE)),
    ]
    for data in cases:
        with pytest.raises(UnsafePickleError) as info:
            read_params_pickle(data, "f.pkl")
        assert " object at 0x" not in str(info.value) and "_PendingArray" not in str(info.value), str(info.value)
    with pytest.raises(
        UnsafePickleError,
        match=r"uses an array \(numpy's _reconstruct\) \(a numpy array\) as a "
        "parameter name",
    ):
        read_params_pickle(cases[0], "f.pkl")


# -- Python 2's numpy pickles: their byte strings are SHORT_BINSTRING / BINSTRING ---------------------------


def py2_str(raw):
    return (b"U" + bytes([len(raw)]) + raw) if len(raw) < 256 else (b"T" + struct.pack("<i", len(raw)) + raw)


def py2_array(array):
    """The opcodes Python 2's cPickle (protocol 2) writes for numpy's array: every string a Python 2 str."""
    code = {np.dtype("<f4"): b"f4", np.dtype("<f8"): b"f8", np.dtype("<i8"): b"i8"}[array.dtype]
    state = tup(integer(3), py2_str(b"<"), NONE, NONE, NONE, integer(-1), integer(-1), integer(0))
    dtype_ops = glob("numpy", "dtype") + tup(py2_str(code), integer(0), integer(1)) + REDUCE + state + BUILD
    return (
        glob("numpy.core.multiarray", "_reconstruct")
        + tup(glob("numpy", "ndarray"), tup(integer(0)), py2_str(b"b"))
        + REDUCE
        + tup(integer(1), tup(*(integer(n) for n in array.shape)), dtype_ops, FALSE, py2_str(array.tobytes()))
        + BUILD
    )


def test_python_2_numpy_pickles_load_as_pickle_reads_them():
    original = {
        "W1": np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
        "b1": np.array([0.5, 200.0]),
        "steps": np.array([3], np.int64),
    }
    data = b"\x80\x02}(" + b"".join(py2_str(k.encode()) + py2_array(v) for k, v in original.items()) + b"u" + STOP
    expected = pickle.loads(data, encoding="latin1")  # how Python 3 reads Python 2's pickles of arrays
    loaded = read_params_pickle(data)
    assert list(loaded) == list(expected) == list(original)
    for key in original:
        np.testing.assert_array_equal(loaded[key], expected[key])
        assert loaded[key].dtype == expected[key].dtype


def test_protocol_0_and_1_pickles_are_named_for_what_they_are(tmp_path):
    path = tmp_path / "old.pkl"
    path.write_bytes(pickle.dumps({"W1": np.ones(2)}, protocol=0))
    with pytest.raises(ValueError, match="old.pkl is a pickle of protocol 0 or 1"):
        load_params(path)


# -- memory: arrays are made from views into the file, not from copies -------------------------------------


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_reading_a_pickle_costs_about_its_arrays(protocol):
    import tracemalloc

    original = np.random.default_rng(1).normal(size=2**18)  # 2 MiB
    data = pickle.dumps({"W1": original}, protocol=protocol)
    tracemalloc.start()
    try:
        loaded = read_params_pickle(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(loaded["W1"], original)
    assert peak < 1.6 * original.nbytes, peak / original.nbytes  # 2.0 (protocol 3) to 4.7 (protocol 2) before


def test_an_empty_array_cannot_declare_enormous_axes(tmp_path):
    # (0, 2**62, 2**62) holds no data, but numpy cannot even describe it: refused by name, not "damaged".
    data = params(
        (
            "W1",
            array(
                state=tup(
                    integer(1),
                    tup(integer(0), b"\x8a\x08" + struct.pack("<q", 2**62), b"\x8a\x08" + struct.pack("<q", 2**62)),
                    dtype(),
                    FALSE,
                    raw_bytes(b""),
                )
            ),
        )
    )
    with pytest.raises(UnsafePickleError, match="whose axes describe more than 268,435,456 bytes"):
        read_params_pickle(data, "f.pkl")
    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 4611686018427387904, 4611686018427387904), }\n"
    member = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1")
    import zipfile

    with zipfile.ZipFile(tmp_path / "empty.npz", "w") as archive:
        archive.writestr("W1.npy", member)
    with pytest.raises(ValueError, match="its header declares the shape \\(0, 4611686018427387904"):
        load_params(tmp_path / "empty.npz")
