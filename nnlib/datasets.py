"""Data sets of the course: logic gates, the sum-threshold points, and MNIST.

    logic_gate("and")        the truth table: x (4, 2), t (4,)
    and_training_set()       seed 000's 1,000 rows: the AND table repeated, x (1000, 2), t (1000, 1)
    sum_threshold(250)       seed 001's points in [0, 1)^2, labelled +1 when x0 + x1 > 0.5 else -1
    load_mnist()             ((x_train, t_train), (x_test, t_test)), as in "Deep Learning from Scratch"

MNIST is read from the four original IDX files (gzip-compressed), found in `data_dir`, else in
`$NNLIB_DATA/mnist/`, else in a per-user cache folder. Missing files are downloaded there with
pooch: every mirror in `MIRRORS` is tried in turn, each file's SHA-256 is checked, and a file
reaches its final name only after its checksum matched, so an interrupted or wrong download
never leaves a file that looks good. A file already on disk is checked the same way, its size
(KNOWN_SIZES) before its checksum. A mirror that announces or sends another size than the file's
is stopped; a mirror that stays silent for ANSWER_TIMEOUT seconds, or takes MIRROR_DEADLINE
seconds in all, loses its turn; one file's download, over all mirrors, ends after
DOWNLOAD_DEADLINE seconds. A mirror that breaks off mid-answer hands over to the next one. A full
disk raises DataStorageError naming the folder.
"""

import errno
import gzip
import hashlib
import os
import stat
import struct
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

# -- logic gates -----------------------------------------------------------------------------

_GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
_GATE_OUTPUTS = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "xor": [0, 1, 1, 0],
}
GATES = tuple(_GATE_OUTPUTS)


def logic_gate(name):
    """The truth table of a two-input gate: x (4, 2) float32, t (4,) float32 of 0s and 1s.

    Rows are (0, 0), (0, 1), (1, 0), (1, 1), in that order. name: "and", "or", "nand", "xor".
    """
    key = str(name).strip().lower()
    if key not in _GATE_OUTPUTS:
        raise ValueError(f"unknown logic gate {name!r}; choose one of {', '.join(repr(g) for g in GATES)}")
    return _GATE_INPUTS.copy(), np.array(_GATE_OUTPUTS[key], dtype=np.float32)


def and_training_set(rows=1000):
    """Seed 000's training set: the AND truth table repeated row after row.

    Returns x (rows, 2) float32 and t (rows, 1) float32; row n is truth-table row n % 4, so
    the last 20% (what `validation_split=0.2` holds out) contains every case as well.
    """
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows < 0:
        raise ValueError(f"rows must be a whole number >= 0, got {rows!r}")
    x, t = logic_gate("and")
    return np.resize(x, (rows, 2)), np.resize(t, (rows, 1))


def sum_threshold(n, dim=2, threshold=0.5, seed=None):
    """Seed 001's task: n points uniform in [0, 1)^dim, labelled by whether their sum exceeds threshold.

    Returns x (n, dim) float64 and t (n, 1) float64, t = +1 where x.sum(axis=1) > threshold,
    else -1 (the labels a hinge loss expects). `seed` makes the points reproducible.
    """
    for name, value, low in (("n", n, 0), ("dim", dim, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number, got {threshold!r}")
    rng = np.random.default_rng(seed)
    x = rng.random((n, dim))
    t = np.where(x.sum(axis=1, keepdims=True) > threshold, 1.0, -1.0)
    return x, t


# -- MNIST: where the files are ----------------------------------------------------------------

MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
}
# The files' sizes in bytes: a download is refused as soon as a mirror announces or sends another size
# (a mirror streaming zeros cannot fill the disk), and a file on disk is measured before it is hashed.
KNOWN_SIZES = {
    "train-images-idx3-ubyte.gz": 9_912_422,
    "train-labels-idx1-ubyte.gz": 28_881,
    "t10k-images-idx3-ubyte.gz": 1_648_877,
    "t10k-labels-idx1-ubyte.gz": 4_542,
}
# Tried in this order; all serve the same bytes (the checksums above decide).
MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]
# Time limits of one file's download, over all mirrors together (seconds). A mirror that accepts the
# connection but never answers, or sends a byte now and then, gives up its turn after ANSWER_TIMEOUT
# seconds of silence; whatever happens, a file's download ends after DOWNLOAD_DEADLINE seconds.
# One mirror's turn ends after MIRROR_DEADLINE seconds, so that a mirror dripping a byte now and then
# (never silent for ANSWER_TIMEOUT) cannot use up DOWNLOAD_DEADLINE and starve the mirrors after it:
# the largest file, 9.9 MB, arrives within 100 s at 100 kB/s, and three mirrors fit in 300 s.
ANSWER_TIMEOUT = 10
MIRROR_DEADLINE = 100
DOWNLOAD_DEADLINE = 300


class DataFileError(ValueError):
    """A data file is damaged: wrong checksum, not gzip, truncated, or not the expected IDX layout."""


class DataStorageError(OSError):
    """A downloaded file could not be written here: the disk is full, or the folder cannot take it."""


class DownloadError(ConnectionError):
    """A needed file could not be downloaded from any mirror."""

    def __init__(self, message, tried=""):
        super().__init__(message)
        self.tried = tried or message


def data_root():
    """The folder named by $NNLIB_DATA, or None when it is not set."""
    env = os.environ.get("NNLIB_DATA")
    return Path(env).expanduser() if env else None


def cache_dir():
    """nnlib's per-user cache folder (e.g. ~/.cache/nnlib on Linux)."""
    import pooch

    return Path(pooch.os_cache("nnlib"))


def mnist_dir(data_dir=None):
    """The folder load_mnist reads: data_dir, else $NNLIB_DATA/mnist, else <cache>/mnist."""
    if data_dir is not None:
        return Path(data_dir).expanduser()
    root = data_root()
    return root / "mnist" if root is not None else cache_dir() / "mnist"


def sha256(path):
    """The SHA-256 of a file, as 64 hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Checksums already verified in this process, keyed by the file's identity: device, inode, size,
# mtime and ctime. Restoring a changed file's size and mtime (os.utime) still changes its ctime.
_verified = set()


def _identity(path, expected_sha256):
    st = os.stat(path)
    return (
        str(Path(path).resolve()),
        st.st_dev,
        st.st_ino,
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
        expected_sha256,
    )


def verify_file(path, expected_sha256, how_to_fix, size=None):
    """Raise DataFileError unless `path` is a regular file (of `size` bytes) whose SHA-256 is the expected one.

    The size, when known, is compared first: a file of the wrong size is refused without reading it.
    """
    path = Path(path)
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise DataFileError(
            f"{path} is not a regular file (it is a {_file_kind(st.st_mode)}), so nnlib does not read it. {how_to_fix}"
        )
    if size is not None and st.st_size != size:
        raise DataFileError(
            f"{path} has {st.st_size:,} bytes, but the original file has {size:,}: the file is "
            f"damaged or not the original. {how_to_fix}"
        )
    key = _identity(path, expected_sha256)
    if key in _verified:
        return
    actual = sha256(path)
    if actual != expected_sha256:
        raise DataFileError(
            f"{path} has the wrong SHA-256 checksum ({actual}, expected {expected_sha256}): "
            f"the file is damaged or not the original. {how_to_fix}"
        )
    if _identity(path, expected_sha256) == key:  # unchanged while it was being hashed
        _verified.add(key)


def _file_kind(mode):
    kinds = (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


class _Failure(Exception):
    """Why one mirror did not deliver the file; `kind` is offline, silent, slow, http, size, broken, checksum, other."""

    def __init__(self, kind, text):
        super().__init__(text)
        self.kind = kind


def _local_error(err, folder, fname, size):
    """A write that failed here (not at the mirror), as a DataStorageError naming the folder."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        need = f" ({size:,} bytes)" if size else ""
        return DataStorageError(
            err.errno,
            f"no space left on the disk of {folder}/ to save {fname}{need}: free "
            "some space there, or set the environment variable NNLIB_DATA to a "
            "folder on another disk",
        )
    return DataStorageError(
        err.errno,
        f"could not write {fname} into {folder}/ ({err.strerror or err}); this is "
        "a problem of this computer, not of the mirrors",
    )


def _downloader(file_deadline, mirror_deadline, progress_name, size, folder):
    """A pooch downloader that streams with requests, stops at `size` bytes and gives up at the deadlines.

    The body is read undecoded (Accept-Encoding: identity is asked for, and a Content-Encoding the
    server adds anyway is not undone), so a small compressed answer cannot inflate on this disk.
    """
    import requests
    from tqdm.auto import tqdm

    deadline = min(file_deadline, mirror_deadline)
    limit = (
        ("DOWNLOAD_DEADLINE", DOWNLOAD_DEADLINE)
        if file_deadline <= mirror_deadline
        else ("MIRROR_DEADLINE", MIRROR_DEADLINE)
    )

    def download(url, output_file, pooch_instance=None, check_only=False):
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Failure("slow", "not tried: the time for this file had run out")
        received = 0
        try:
            with _get_before(
                url, deadline, limit, timeout=(min(ANSWER_TIMEOUT, left), min(ANSWER_TIMEOUT, left))
            ) as response:
                response.raise_for_status()
                announced = response.headers.get("Content-Length")
                if (
                    size is not None
                    and announced is not None
                    and (not announced.strip().isdigit() or int(announced.strip()[:20]) != size)
                ):
                    raise _Failure(
                        "size",
                        f"announced {announced.strip()[:20]} bytes, but {progress_name} has {size:,} (not downloaded)",
                    )
                read = getattr(response.raw, "read1", None) or response.raw.read
                opened = output_file if hasattr(output_file, "write") else open(output_file, "wb")
                try:
                    with tqdm(total=size, unit="B", unit_scale=True, desc=progress_name, leave=False) as bar:
                        # read1 returns whatever has arrived, so a server that drips bytes cannot hold us past
                        # the deadline (read(n) would wait for all n bytes).
                        while chunk := read(1 << 16, decode_content=False):
                            received += len(chunk)
                            if size is not None and received > size:
                                raise _Failure(
                                    "size", f"sent more than the {size:,} bytes of {progress_name} (stopped there)"
                                )
                            try:
                                opened.write(chunk)
                            except OSError as err:
                                raise _local_error(err, folder, progress_name, size) from None
                            bar.update(len(chunk))
                            if time.monotonic() > deadline:
                                raise _Failure(
                                    "slow", f"too slow: {received:,} bytes in {limit[1]} s (nnlib.datasets.{limit[0]})"
                                )
                finally:
                    if opened is not output_file:
                        opened.close()
                if size is not None and received != size:
                    raise _Failure("broken", f"the answer ended after {received:,} of {size:,} bytes")
        except (_Failure, DataStorageError):
            raise
        except requests.exceptions.HTTPError as err:
            raise _Failure("http", f"HTTP error {err.response.status_code}") from None
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout) as err:
            raise _Failure(
                "silent", f"no answer for {ANSWER_TIMEOUT} s ({type(err).__name__}, after {received:,} bytes)"
            ) from None
        except requests.exceptions.ConnectionError as err:
            if "Read timed out" in str(err):
                raise _Failure("silent", f"no answer for {ANSWER_TIMEOUT} s (after {received:,} bytes)") from None
            if received:
                raise _Failure(
                    "broken", f"the connection broke after {received:,} bytes ({type(err).__name__})"
                ) from None
            raise _Failure("offline", f"no connection ({type(err).__name__})") from None
        except requests.exceptions.RequestException as err:
            raise _Failure("other", f"{type(err).__name__}: {str(err)[:160]}") from None
        except Exception as err:  # noqa: BLE001 - urllib3's own errors from response.raw: ProtocolError, ...
            if "timed out" in str(err).lower() or "Timeout" in type(err).__name__:
                raise _Failure("silent", f"no answer for {ANSWER_TIMEOUT} s (after {received:,} bytes)") from None
            raise _Failure(
                "broken", f"the connection broke after {received:,} bytes ({type(err).__name__}: {str(err)[:120]})"
            ) from None

    return download


def _get_before(url, deadline, limit, timeout):
    """requests.get(url, stream=True), given up at `deadline` even when the server drips its headers.

    The socket timeout only bounds each wait for a byte, so the request runs in a daemon thread;
    at the deadline it is abandoned (its response closed when it comes) and the mirror counts as too slow.
    """
    import requests

    outcome, done, abandoned = {}, threading.Event(), threading.Event()

    def get():
        try:
            outcome["response"] = requests.get(
                url, stream=True, timeout=timeout, headers={"User-Agent": "nnlib", "Accept-Encoding": "identity"}
            )
        except BaseException as err:  # noqa: BLE001 - handed to the caller below
            outcome["error"] = err
        done.set()
        if abandoned.is_set() and "response" in outcome:
            outcome["response"].close()

    threading.Thread(target=get, daemon=True, name=f"nnlib download {url}").start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        abandoned.set()
        if done.is_set() and "response" in outcome:
            outcome["response"].close()
        raise _Failure("slow", f"too slow: no complete answer within {limit[1]} s (nnlib.datasets.{limit[0]})")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def _writable_folder(folder, what):
    """Create `folder` if needed and prove a file can be created in it, or say what to do instead."""
    blocker = next((p for p in [folder, *folder.parents] if p.exists() or p.is_symlink()), None)
    if blocker is not None and not blocker.is_dir():
        raise NotADirectoryError(
            errno.ENOTDIR,
            f"cannot save {what} in {folder}/: {blocker} is a file, not a folder. Give a folder "
            "instead (load_mnist(data_dir=...), or the environment variable NNLIB_DATA), or move "
            "that file away",
            str(folder),
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _local_error(err, folder, what, None) from None
        raise PermissionError(
            f"cannot save {what} in {folder}/ ({type(err).__name__}: {err.strerror or err}). Make the folder "
            "writable, or set the environment variable NNLIB_DATA to a folder you can write (nnlib downloads "
            "into it), or download the file yourself and put it there."
        ) from None


def fetch(fname, expected_sha256, folder, mirrors, what="this file", size=None):
    """Path of `folder/fname`, downloading it from the first mirror that serves the right bytes.

    A file already present is size- and checksum-verified and never silently replaced. A download
    goes to a temporary file next to the target and is renamed only once its SHA-256 matched
    (pooch). `size` (default: KNOWN_SIZES[fname], if there) is the file's size in bytes: a mirror
    announcing another Content-Length is skipped, and one sending more is stopped there. Each
    mirror gets ANSWER_TIMEOUT seconds of silence and MIRROR_DEADLINE seconds in all at most, and
    the whole file, over all mirrors, DOWNLOAD_DEADLINE seconds. DownloadError says what happened at
    each mirror; DataStorageError, that the file could not be written here (a full disk).
    """
    folder = Path(folder)
    path = folder / fname
    size = KNOWN_SIZES.get(fname) if size is None else size
    if path.exists():
        verify_file(
            path,
            expected_sha256,
            f"Delete it and run again to download a fresh copy, or replace it with the original {what}.",
            size,
        )
        return path

    import pooch

    _writable_folder(folder, what)
    deadline = time.monotonic() + DOWNLOAD_DEADLINE
    failures = []
    for base in mirrors:
        url = base if base.endswith(fname) else base.rstrip("/") + "/" + fname
        downloader = _downloader(deadline, time.monotonic() + MIRROR_DEADLINE, fname, size, folder)
        try:
            pooch.retrieve(url, known_hash=f"sha256:{expected_sha256}", fname=fname, path=folder, downloader=downloader)
        except _Failure as failure:
            failures.append((failure.kind, f"  {url}: {failure}"))
            continue
        except DataStorageError:
            raise
        except OSError as err:  # pooch's own temporary file or rename, here on this computer
            raise _local_error(err, folder, fname, size) from None
        except ValueError as err:
            if "hash" not in str(err).lower():
                raise
            failures.append(
                ("checksum", f"  {url}: the server sent a file with the wrong SHA-256 checksum (discarded)")
            )
            continue
        _verified.add(_identity(path, expected_sha256))
        return path
    tried = (
        _headline(fname, [kind for kind, _ in failures])
        + " Tried:\n"
        + ("\n".join(line for _, line in failures) or "  (no mirrors given)")
    )
    raise DownloadError(
        f"{tried}\nTo work offline, put {what} into {folder}/ (SHA-256 {expected_sha256}).", tried=tried
    )


def _headline(fname, kinds):
    """One sentence saying what went wrong with the mirrors, and what that suggests (never more than is known)."""
    kinds = set(kinds)
    if kinds == {"offline"}:
        return f"could not download {fname}: no mirror could be reached (is this computer offline?)."
    if kinds == {"checksum"}:
        return (
            f"could not download {fname}: every mirror sent a file with the wrong SHA-256 checksum, so the "
            "files online differ from the ones nnlib knows; please report it to nnlib's maintainers."
        )
    if kinds and kinds <= {"checksum", "size"}:
        return (
            f"could not download {fname}: every mirror sent a file of the wrong size or SHA-256 checksum, so "
            "the files online differ from the ones nnlib knows; please report it to nnlib's maintainers."
        )
    if kinds and kinds <= {"slow", "silent"}:
        return (
            f"could not download {fname}: the mirrors answered too slowly (a proxy or a slow connection?); "
            "try again later, or raise nnlib.datasets.DOWNLOAD_DEADLINE."
        )
    if kinds == {"http"}:
        return (
            f"could not download {fname}: every mirror answered with an HTTP error (the file has moved?); "
            "please report it to nnlib's maintainers."
        )
    if not kinds:
        return f"could not download {fname}: there was no mirror to try."
    if "offline" in kinds:
        return (
            f"could not download {fname}: some mirrors could not be reached and the others failed too "
            "(each one's reason is below)."
        )
    return f"could not download {fname}: every mirror failed, each for the reason given below."


# -- MNIST: reading the IDX format ---------------------------------------------------------------

_FIX_DAMAGED = "Delete the file and run again to download it, or copy the original file there."


def read_idx(path, expected_dims):
    """Read one gzip-compressed IDX file into a uint8 array.

    IDX layout (big-endian): two zero bytes, a type byte (0x08 = unsigned byte), the number of
    dimensions, then one uint32 size per dimension, then the data. Images are (N, 28, 28)
    (magic 0x00000803), labels (N,) (magic 0x00000801). Anything else raises DataFileError
    naming the file.
    """
    path = Path(path)
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise DataFileError(f"{path} is not a complete gzip file ({err}). {_FIX_DAMAGED}") from None
    if len(raw) < 4:
        raise DataFileError(f"{path} is too short to be an IDX file ({len(raw)} bytes). {_FIX_DAMAGED}")
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08 or ndim != expected_dims:
        raise DataFileError(
            f"{path} has IDX magic number 0x{raw[:4].hex()}, expected "
            f"0x0000080{expected_dims} (unsigned bytes, {expected_dims} dimension"
            f"{'s' if expected_dims > 1 else ''}). {_FIX_DAMAGED}"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataFileError(f"{path} ends inside its IDX header. {_FIX_DAMAGED}")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    if ndim == 3 and shape[1:] != (28, 28):
        raise DataFileError(f"{path} holds images of {shape[1]}x{shape[2]} pixels, expected 28x28. {_FIX_DAMAGED}")
    size = int(np.prod(shape))
    if len(raw) - header != size:
        raise DataFileError(
            f"{path} holds {len(raw) - header} data bytes but its header announces {size} "
            f"(shape {shape}): the file is truncated or damaged. {_FIX_DAMAGED}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


# Parsed uint8 arrays, read-only, keyed by folder and file identity; load_mnist hands out fresh arrays.
_raw_cache = {}
_lock = threading.Lock()


def _load_raw(folder, mirrors):
    folder = Path(folder)
    paths = {}
    for key, (fname, digest) in MNIST_FILES.items():
        try:
            paths[key] = fetch(fname, digest, folder, mirrors, what=f"the MNIST file {fname}")
        except DownloadError as err:
            missing = [f for f, _ in MNIST_FILES.values() if not (folder / f).exists()]
            raise DownloadError(
                f"{err.tried}\nTo work offline, put the MNIST file{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} into {folder}/ , or pass load_mnist(data_dir=...) the folder that "
                "holds them, or set the environment variable NNLIB_DATA to a folder whose mnist/ "
                "subfolder holds them. nnlib checks each file's SHA-256 (nnlib.datasets.MNIST_FILES)."
            ) from None
    identity = tuple((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in paths.values())
    with _lock:
        if identity in _raw_cache:
            return _raw_cache[identity]
    raw = {key: read_idx(path, 3 if key.endswith("images") else 1) for key, path in paths.items()}
    for split in ("train", "test"):
        n_images, n_labels = len(raw[f"{split}_images"]), len(raw[f"{split}_labels"])
        if n_images != n_labels:
            raise DataFileError(
                f"MNIST {split} set in {folder} has {n_images} images but {n_labels} labels; "
                "the files do not belong together. Replace them with the original files."
            )
    for array in raw.values():
        array.flags.writeable = False
    with _lock:
        _raw_cache[identity] = raw
    return raw


def load_mnist(normalize=True, flatten=True, one_hot_label=False, data_dir=None, split=None):
    """MNIST as ((x_train, t_train), (x_test, t_test)), like the loader of "Deep Learning from Scratch".

    normalize      True: pixels as float32 in [0, 1] (value / 255); False: uint8 in 0..255
    flatten        True: images as rows (N, 784); False: (N, 1, 28, 28) (channel axis, as in the book)
    one_hot_label  True: labels (N, 10) float32 with a single 1; False: (N,) uint8 digits 0..9
    data_dir       folder holding the .gz files; default $NNLIB_DATA/mnist, else nnlib's cache
    split          None: both sets, as above; "test": only (x_test, t_test), reading (and, when
                   missing, downloading) only the two test files: 7.8 MB of pixels, not 55 MB, so a
                   notebook that only evaluates needs a seventh of the memory; "train": only
                   (x_train, t_train)

    N is 60,000 for training and 10,000 for testing. Missing files are downloaded (see the module
    docstring). Files are parsed once per process; every call returns new arrays, so changing
    them in place cannot affect the next call.
    """
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be None (both sets), 'train' or 'test', got {split!r}")
    splits = ("train", "test") if split is None else (split,)
    folder = mnist_dir(data_dir)
    if split is None:
        raw = _load_raw(folder, MIRRORS)
    else:
        # Only this split's two files: fetched, checked and parsed alone (the other set is never read).
        raw = {}
        for kind, dims in (("images", 3), ("labels", 1)):
            fname, digest = MNIST_FILES[f"{split}_{kind}"]
            try:
                path = fetch(fname, digest, folder, MIRRORS, what=f"the MNIST file {fname}")
            except DownloadError as err:
                raise DownloadError(
                    f"{err.tried}\nTo work offline, put the MNIST {split} files {MNIST_FILES[split + '_images'][0]} "
                    f"and {MNIST_FILES[split + '_labels'][0]} into {folder}/ , or pass load_mnist(data_dir=...) "
                    "the folder that holds them, or set the environment variable NNLIB_DATA to a folder whose "
                    "mnist/ subfolder holds them. nnlib checks each file's SHA-256 (nnlib.datasets.MNIST_FILES).",
                    tried=err.tried,
                ) from None
            raw[f"{split}_{kind}"] = read_idx(path, dims)
        if len(raw[f"{split}_images"]) != len(raw[f"{split}_labels"]):
            raise DataFileError(
                f"MNIST {split} set in {folder} has {len(raw[split + '_images'])} images but "
                f"{len(raw[split + '_labels'])} labels; the files do not belong together. "
                "Replace them with the original files."
            )
    result = []
    for name in splits:
        images, labels = raw[f"{name}_images"], raw[f"{name}_labels"]
        if normalize:
            # One pass, float32 throughout: the same numbers as the book's astype + /= 255.0.
            x = np.divide(images, np.float32(255.0), out=np.empty(images.shape, np.float32), dtype=np.float32)
        else:
            x = images.copy()
        x = x.reshape(len(x), 784) if flatten else x.reshape(len(x), 1, 28, 28)
        if one_hot_label:
            t = np.zeros((len(labels), 10), dtype=np.float32)
            t[np.arange(len(labels)), labels] = 1.0
        else:
            t = labels.copy()
        result.append((x, t))
    return tuple(result) if split is None else result[0]
