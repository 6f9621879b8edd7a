"""Parameter files: load and save them safely, and the two trained MNIST networks of the course.

    load_params("net.npz")      {"W1": array, "b1": array, ...} from .npz or the book's pickle format
    save_params("net.npz", p)   write a dict of arrays as .npz, atomically
    load_sample_network()       the 784-50-100-10 network of "Deep Learning from Scratch" (0.9352 on MNIST)
    pretrained("mnist-mlp")     the same architecture trained by nnlib itself, shipped with the package

Why not `pickle.load`? Unpickling can call any function named in the file: a "weights" file
whose pickle says `os.system("...")` runs that command, and even numpy's own reconstructors
corrupt memory when a file chooses their arguments. The book distributes its weights as a
pickle, so nnlib reads pickles with nnlib.safe_pickle, which interprets the opcodes itself and
builds each array from checked parts; nothing named in the file is ever called. `.npz` archives
are read member by member, each header checked before its data is inflated. Loaded arrays must
be numeric and finite (NaN or inf is refused, naming the parameter).

Limits, the same for loading and saving: MAX_PARAMS_BYTES (256 MiB) for the arrays of one file
together, MAX_MEMBERS (10,000) parameters, names of at most MAX_NAME_LENGTH (200) printable
characters; for .npz archives, .npy headers of at most MAX_NPY_HEADER_BYTES (256), stored or
deflated members only, and the member count read from the zip's end record before the archive is
parsed; safe_pickle's budgets for pickles.
"""

import errno
import importlib.resources
import io
import math
import os
import re
import secrets
import stat
import struct
import time
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from . import datasets
from .layers import Dense, cast_finite
from .network import Sequential
from . import safe_pickle
from .safe_pickle import UnsafePickleError, read_params_pickle, short_repr

SAMPLE_WEIGHTS = ("sample_weight.pkl", "b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13")
SAMPLE_WEIGHTS_SIZE = 181_853  # bytes: a download of another size is refused before it is hashed
SAMPLE_WEIGHTS_URL = "https://github.com/oreilly-japan/deep-learning-from-scratch/raw/master/ch03/sample_weight.pkl"

# Limits of load_params and save_params alike: all arrays of one file together, the parameters of one
# file (.npz members), a parameter's name (safe_pickle.name_problem states the rules for names).
MAX_PARAMS_BYTES = 256 * 2**20
MAX_MEMBERS = safe_pickle.MAX_PARAMS
MAX_NAME_LENGTH = safe_pickle.MAX_NAME_LENGTH
# A .npy header is a Python dict literal that numpy parses with ast (about 0.2 ms per KB). numpy writes
# 118 bytes for any shape of up to about 8 axes, padded to 64-byte steps beyond; 256 holds some 20 axes.
# 10,000 members of 256-byte headers then cost about 0.5 s to parse, not the 43 s of 10 KB headers.
MAX_NPY_HEADER_BYTES = 256
# One central-directory entry of an .npz: 46 bytes, the member's name (NAME.npy, at most 4 bytes a
# character in UTF-8) and the extra fields zipfile writes (zip64: at most 32 bytes); rounded up.
MAX_CENTRAL_ENTRY_BYTES = 46 + 4 * (MAX_NAME_LENGTH + 4) + 138
# Members are inflated into the array this many bytes at a time (the only other copy of the data).
READ_CHUNK_BYTES = 2**20
# np.savez writes stored members, np.savez_compressed deflated ones; zipfile's bzip2 and lzma readers inflate
# whole blocks per read (a 441-byte bzip2 member became 256 MiB), so they are refused.
ALLOWED_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}

# Shipped parameter files in nnlib/data/: name -> (file, activations of the layers, where it comes from)
PRETRAINED = {
    "mnist-mlp": (
        "mnist-mlp.npz",
        ("sigmoid", "sigmoid", "softmax"),
        "784-50-100-10 sigmoid network trained on MNIST by scripts/train_mnist_mlp.py",
    ),
}


def _check_params(params, source):
    """params as a dict {name: numeric ndarray}, or a clear error naming the bad entry.

    The same rules for load_params and save_params, so that nnlib never writes a file it would refuse
    to read: at most MAX_MEMBERS parameters, MAX_PARAMS_BYTES bytes together, names as for .npz members,
    plain numeric ndarrays (not masked arrays: their masked values would be saved as numbers).
    """
    if not isinstance(params, dict):
        raise ValueError(
            f"{source}: expected a dict of arrays such as {{'W1': ..., 'b1': ...}}, got {type(params).__name__}"
        )
    if len(params) > MAX_MEMBERS:
        raise ValueError(
            f"{source}: {len(params):,} parameters are more than the limit of {MAX_MEMBERS:,} for one "
            "file (nnlib.weights.MAX_MEMBERS)"
        )
    total = 0
    for key, value in params.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{source}: parameter names must be non-empty strings, got {short_repr(key)}")
        problem = safe_pickle.name_problem(key)
        if problem:
            raise ValueError(
                f"{source}: the parameter name {short_repr(key)} cannot be stored: {problem} "
                f"(names are printable, at most {MAX_NAME_LENGTH} characters, without '/', '\\' "
                "or NUL)"
            )
        if isinstance(value, np.ma.MaskedArray):
            raise ValueError(
                f"{source}: parameter {short_repr(key)} is a masked array; a file cannot keep the mask, "
                "so its masked values would be saved as numbers: save value.filled(...) or "
                "np.asarray(value) if that is what you mean"
            )
        if not isinstance(value, np.ndarray):
            raise ValueError(
                f"{source}: parameter {short_repr(key)} is a {type(value).__name__}, not a numpy "
                "array; convert it with np.asarray(...) first"
            )
        if value.dtype.kind not in "biuf" or value.dtype.fields is not None:
            raise ValueError(
                f"{source}: parameter {short_repr(key)} has dtype {value.dtype}; only numeric arrays "
                "(bool, int, float) are parameters"
            )
        total += value.nbytes
        if total > MAX_PARAMS_BYTES:
            raise ValueError(
                f"{source}: the parameters take more than {MAX_PARAMS_BYTES:,} bytes together (at "
                f"{short_repr(key)}, {value.nbytes:,} bytes); that is the limit for one file "
                "(nnlib.weights.MAX_PARAMS_BYTES)"
            )
    return params


def _check_finite(params, source):
    """Refuse NaN and inf: a network with one of them in its weights outputs NaN for every input."""
    for key, value in params.items():
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            bad = ~np.isfinite(value)
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{source}: parameter {short_repr(key)} holds {int(np.isnan(value).sum()):,} NaN and "
                f"{int(np.isinf(value).sum()):,} infinite values (the first at index {first}); a network with "
                "them computes NaN for every input. They come from a damaged file or a training run that "
                "diverged: train again with a smaller learning rate, or fix the values with np.nan_to_num."
            )
    return params


def _member_key(name):
    """The parameter name of an .npz member "W1.npy", or None when the member is not one."""
    if not name.endswith(".npy") or len(name) > MAX_NAME_LENGTH + 4:
        return None
    key = name[:-4]
    return None if safe_pickle.name_problem(key) else key


def _end_of_central_directory(path, f, size):
    """(entries, bytes of the central directory) from a zip's end record, read before zipfile parses anything.

    zipfile.ZipFile reads and parses the whole central directory when it opens an archive (a 45 MB zip of
    a million entries takes seconds and hundreds of MiB), so the counts are checked first.
    """
    tail_size = min(size, 22 + 65535)  # the end record, then a comment of at most 65,535 bytes
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or tail_size - at < 22:
        raise ValueError(
            f"{path} is not a readable .npz file (it has no zip end record); it may be truncated: "
            "save or download it again"
        )
    entries, cd_size, cd_offset = struct.unpack_from("<HII", tail, at + 10)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:  # zip64: its own end record
        locator = tail[at - 20 : at] if at >= 20 else b""
        if locator[:4] == b"PK\x06\x07":
            (record_at,) = struct.unpack_from("<Q", locator, 8)
            f.seek(record_at)
            record = f.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", record, 32)
    return entries, cd_size


def _read_member(path, archive, info, key, total):
    """One NAME.npy member as an array, its header checked before any data is inflated; and the new total."""
    with archive.open(info) as member:
        magic = member.read(8)
        if len(magic) != 8 or magic[:6] != b"\x93NUMPY":
            raise ValueError(
                f"{path}: refused to load member {short_repr(info.filename)}: it is not a .npy array "
                "(no .npy magic number)"
            )
        version = (magic[6], magic[7])
        if version not in ((1, 0), (2, 0)):
            raise ValueError(
                f"{path}: refused to load member {short_repr(info.filename)}: .npy format version "
                f"{version} (parameters use 1.0 or 2.0)"
            )
        length_field = member.read(2 if version == (1, 0) else 4)
        if len(length_field) != (2 if version == (1, 0) else 4):
            raise ValueError(f"{path}: member {short_repr(info.filename)} ends inside its .npy header")
        header_length = int.from_bytes(length_field, "little")
        if header_length > MAX_NPY_HEADER_BYTES:
            raise ValueError(
                f"{path}: refused to load member {short_repr(info.filename)}: its .npy header has "
                f"{header_length:,} bytes, more than the limit of {MAX_NPY_HEADER_BYTES} "
                "(nnlib.weights.MAX_NPY_HEADER_BYTES; numpy writes 118 for a parameter's shape)"
            )
        header = member.read(header_length)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        try:
            shape, fortran, dtype = read_header(
                io.BytesIO(length_field + header), max_header_size=MAX_NPY_HEADER_BYTES + 1
            )
        except ValueError as err:
            reason = str(err).splitlines()[0][:200]
            raise ValueError(
                f"{path}: refused to load member {short_repr(info.filename)}: its .npy header is "
                f"not one numpy reads safely ({reason})"
            ) from None
        if dtype.hasobject:
            raise UnsafePickleError(
                f"{path}: refused to load: this .npz holds pickled Python objects "
                f"in {short_repr(key)}, not plain arrays"
            )
        if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
            raise ValueError(
                f"{path}: parameter {short_repr(key)} has dtype {dtype}; only numeric "
                "arrays (bool, int, float) are parameters"
            )
        if (
            len(shape) > safe_pickle.MAX_NDIM
            or any(type(n) is not int or n < 0 for n in shape)
            or (0 in shape and math.prod(n for n in shape if n) * dtype.itemsize > MAX_PARAMS_BYTES)
        ):
            raise ValueError(
                f"{path}: refused to load member {short_repr(info.filename)}: its header "
                f"declares the shape {short_repr(shape)}"
            )
        size = math.prod(shape) * dtype.itemsize
        total += size
        if size > MAX_PARAMS_BYTES or total > MAX_PARAMS_BYTES:
            raise ValueError(
                f"{path}: refused to load: member {short_repr(info.filename)} declares "
                f"{size:,} bytes of data (shape {short_repr(shape)}), and the limit for "
                f"all parameters of one file is {MAX_PARAMS_BYTES:,} bytes "
                "(nnlib.weights.MAX_PARAMS_BYTES)"
            )
        damaged = ValueError(
            f"{path}: member {short_repr(info.filename)} holds a different amount of data than "
            f"its header declares ({size:,} bytes); the file is damaged: save or download it again"
        )
        if info.file_size != len(magic) + len(length_field) + header_length + size:
            raise damaged
        # The array is allocated once and filled a chunk at a time: the data is never held twice.
        array = np.empty(
            shape, dtype=np.bool_ if dtype.kind == "b" else dtype.newbyteorder("="), order="F" if fortran else "C"
        )
        target = array.ravel(order="A").view(np.uint8)
        done = 0
        while done < size:
            chunk = member.read(min(READ_CHUNK_BYTES, size - done))
            if not chunk:
                raise damaged
            target[done : done + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
            done += len(chunk)
        if member.read(1):
            raise damaged
    if dtype.kind == "b":  # any byte other than 0 and 1 is not a valid numpy bool: read it as uint8 != 0
        np.not_equal(array.view(np.uint8), 0, out=array)
    elif dtype.itemsize > 1 and not dtype.isnative:
        array.byteswap(inplace=True)
    return array, total


def _read_npz(path):
    """{name: array} from an .npz archive, checking each member's .npy header before inflating its data.

    Refused: more than MAX_MEMBERS members (counted from the zip's end record, before the archive is
    parsed), members compressed other than stored or deflated, members that are not NAME.npy, names
    that occur twice, .npy headers longer than MAX_NPY_HEADER_BYTES or that numpy refuses, dtypes other
    than plain numbers, more than MAX_PARAMS_BYTES of data (zip bombs), data that does not match the header.
    """
    params = {}
    total = 0
    with open(path, "rb") as f:
        entries, cd_size = _end_of_central_directory(path, f, os.fstat(f.fileno()).st_size)
        if entries > MAX_MEMBERS or cd_size > MAX_MEMBERS * MAX_CENTRAL_ENTRY_BYTES:
            raise ValueError(
                f"{path}: refused to load: the archive has {entries:,} members in a directory of "
                f"{cd_size:,} bytes (the limit is {MAX_MEMBERS:,} members, nnlib.weights.MAX_MEMBERS)"
            )
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ValueError(
                    f"{path}: refused to load: the archive has {len(infos):,} members (the limit is {MAX_MEMBERS:,})"
                )
            duplicates = sorted(name for name, count in Counter(info.filename for info in infos).items() if count > 1)
            if duplicates:
                raise ValueError(
                    f"{path}: refused to load: the archive holds {short_repr(duplicates[0])} more "
                    "than once, so which copy is meant is ambiguous; save the parameters again"
                )
            for info in infos:
                key = _member_key(info.filename)
                if key is None:
                    raise ValueError(
                        f"{path}: refused to load: the archive holds {short_repr(info.filename)}, "
                        "which is not a parameter (an .npz of parameters holds only NAME.npy "
                        "members, as np.savez and save_params write them)"
                    )
                if info.compress_type not in ALLOWED_COMPRESSION:
                    method = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}.get(
                        info.compress_type, f"method {info.compress_type}"
                    )
                    raise ValueError(
                        f"{path}: refused to load member {short_repr(info.filename)}: it is compressed "
                        f"with {method}; parameter files are stored (np.savez, save_params) or "
                        "deflated (np.savez_compressed)"
                    )
                params[key], total = _read_member(path, archive, info, key, total)
    return params


def load_params(path):
    """Read a parameter file into a dict {name: array}, e.g. {"W1": (784, 50), "b1": (50,), ...}.

    .npz archives are read member by member, each .npy header checked before its data is
    inflated; pickles (the book's sample_weight.pkl) by nnlib.safe_pickle, which interprets the
    opcodes itself and builds arrays only from checked dtypes, shapes and bytes, so a file that
    tries to run code (or to trick numpy) raises UnsafePickleError and nothing is executed.
    Arrays holding NaN or inf are refused (ValueError naming the parameter).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no parameter file at {path}")
    size = path.stat().st_size
    if size > MAX_PARAMS_BYTES * 2:
        raise ValueError(
            f"{path}: refused to load: the file has {size:,} bytes, more than the limit of "
            f"{MAX_PARAMS_BYTES * 2:,} (nnlib.weights.MAX_PARAMS_BYTES)"
        )
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(b"PK"):  # .npz is a zip archive
        try:
            params = _read_npz(path)
        except UnsafePickleError:
            raise
        except ValueError as err:  # numpy's and zipfile's own messages do not name the file
            if str(err).startswith(str(path)):
                raise
            raise ValueError(
                f"{path} is not a readable .npz file ({type(err).__name__}: {str(err)[:200]}); "
                "it may be truncated: save or download it again"
            ) from None
        except Exception as err:
            raise ValueError(
                f"{path} is not a readable .npz file ({type(err).__name__}: {str(err)[:200]}); "
                "it may be truncated: save or download it again"
            ) from None
    elif head[:1] == b"\x80":  # pickle protocol 2 and later start with the PROTO opcode
        if size > safe_pickle.MAX_PICKLE_BYTES:  # checked before the file is read into memory
            raise UnsafePickleError(
                f"{path}: refused to load this pickle: it has {size:,} bytes, more than the "
                f"limit of {safe_pickle.MAX_PICKLE_BYTES:,} (nnlib.safe_pickle.MAX_PICKLE_BYTES)"
            )
        try:
            params = read_params_pickle(
                path.read_bytes(), path, max_params=MAX_MEMBERS, max_array_bytes=MAX_PARAMS_BYTES
            )
        except UnsafePickleError:
            raise
        except ValueError as err:
            if str(err).startswith(str(path)):
                raise
            raise ValueError(
                f"{path} is not a readable pickle (ValueError: {str(err)[:200]}); it may be "
                "truncated or damaged: download it again"
            ) from None
        except Exception as err:
            raise ValueError(
                f"{path} is not a readable pickle ({type(err).__name__}: {str(err)[:200]}); it may "
                "be truncated or damaged: download it again"
            ) from None
    elif re.match(rb"\(dp|\}q|\(d|\}\(|cnumpy|ccollections", head):
        raise ValueError(
            f"{path} is a pickle of protocol 0 or 1 (Python 2's default, text-based formats); "
            "load_params reads pickles of protocol 2 to 5. If you trust the file, load it in Python 3 "
            "with pickle.load(f, encoding='latin1') and save the arrays with nnlib.save_params"
        )
    else:
        raise ValueError(
            f"{path} is neither a .npz archive nor a pickle (it starts with {head!r}); "
            "load_params reads .npz files and the book's .pkl weight files"
        )
    return _check_finite(_check_params(params, path), path)


def save_params(path, params):
    """Write {name: array} to an .npz file (numpy's own format, readable without pickle).

    Accepts a dict of arrays, or a Sequential (saved as W1, b1, W2, b2, ...). The rules are
    load_params' own, checked before anything is written, so nnlib never writes a file it would
    refuse to read: numeric ndarrays (no masked arrays), finite values, at most MAX_MEMBERS
    parameters and MAX_PARAMS_BYTES bytes together, names as for .npz members.

    The file is written to a short temporary name in the target's folder and renamed over the
    target only when complete, so a failed save leaves any previous file untouched. The temporary
    file is created private (0600) and given its final permissions before any data is written: an
    existing target's own (a private file stays private throughout), else those of a new file.
    A read-only target is refused (PermissionError); a symbolic link is written through to the
    file it points to. The rename gives the target a new inode: another hard link to the old file
    keeps the old contents (save to each name you need). Temporary files left by saves that were
    killed are removed. Errors name `path`, never the temporary file.
    """
    path = Path(path)
    if path.name.lower() == ".npz":
        raise ValueError(f"save_params needs a file name before .npz, such as 'weights.npz'; got {str(path)!r}")
    if path.suffix != ".npz":
        raise ValueError(f"save_params writes .npz files; give a path ending in .npz, got {str(path)!r}")
    if isinstance(params, Sequential):
        params = sequential_params(params)
    _check_finite(_check_params(params, "save_params"), "save_params")
    target = Path(os.path.realpath(path))  # write through symbolic links, as open(path, "wb") would
    folder = target.parent
    try:
        st = os.stat(target)
    except FileNotFoundError:
        mode = None
    else:
        if not stat.S_ISREG(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "save_params writes a regular file, and this is not one", str(path))
        if not os.access(target, os.W_OK) or not st.st_mode & 0o222:
            raise PermissionError(
                errno.EACCES,
                "Permission denied: the file is read-only; make it writable (chmod u+w) or save under another name",
                str(path),
            )
        mode = stat.S_IMODE(st.st_mode)
    _remove_stale_temporaries(folder)
    # A short name, so that a target name near the file system's 255-byte limit still works.
    tmp = folder / f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        # Private from the start (like mkstemp); then, still empty, the final permissions: the target's,
        # or a new file's (0o666 minus the umask).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as err:
        raise _naming(err, path) from None
    try:
        try:
            os.chmod(fd if os.chmod in os.supports_fd else tmp, mode if mode is not None else 0o666 & ~_umask())
        except OSError:
            pass  # a file system without permissions (FAT, some network shares): nothing to expose either
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, params)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError):
            raise _naming(err, path) from None
        raise
    return path


def _naming(err, path):
    """The same OSError (same errno, same class) naming the user's file instead of nnlib's temporary one."""
    return type(err)(err.errno, f"{err.strerror or err} (while saving)", str(path))


def _umask():
    """This process's umask, read without changing it (another thread may create files meanwhile)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    umask = os.umask(0o022)  # no /proc (macOS, Windows): the classic two calls
    os.umask(umask)
    return umask


_TMP_PREFIX = ".nnlib-save-"
STALE_AFTER = 60  # seconds since a dead process's temporary file last changed before it is removed


def _write_npz(f, params):
    """What np.savez(f, **params) writes, without its keyword arguments: a key may be "file" or "allow_pickle"."""
    with zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for key, value in params.items():
            with archive.open(key + ".npy", mode="w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(value), allow_pickle=False)


def _remove_stale_temporaries(folder):
    """Delete the temporary files of killed saves: their process no longer exists, and they are STALE_AFTER old."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if not (name.startswith(_TMP_PREFIX) and name.endswith(".tmp")):
            continue
        pid = name[len(_TMP_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _process_exists(int(pid)):
            continue
        try:
            # The age guard spares a save running in another PID namespace (a container) on the same folder.
            if now - os.stat(os.path.join(folder, name)).st_mtime > STALE_AFTER:
                os.unlink(os.path.join(folder, name))
        except OSError:
            pass


def _process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def sequential_params(model):
    """A Sequential's weights as {"W1": ..., "b1": ..., "W2": ...} (layers numbered from 1)."""
    params = {}
    for i, layer in enumerate(model.layers, start=1):
        weights = layer.get_weights()
        if not weights:
            raise ValueError(f"layer {i} ({layer.name!r}) has no weights yet: build or train the model first")
        params[f"W{i}"] = weights[0]
        if layer.use_bias:
            params[f"b{i}"] = weights[1]
    return params


def network_from_params(params, activations, dtype=None, name="sequential"):
    """A Sequential of Dense layers with kernels W1, W2, ... and biases b1, b2, ... from `params`.

    activations: one name per layer, e.g. ("sigmoid", "sigmoid", "softmax").
    dtype: None keeps the file's dtype; np.float64 computes in double precision.
    Kernel Wi has shape (inputs, units), as in Keras; bias bi has shape (units,). Parameters
    without any b keys give layers with use_bias=False. Layers the activations do not cover
    (W4 for three activations) are refused rather than silently dropped.
    """
    layers = len(activations)
    numbered = {key: _layer_number(key) for key in params}
    numbered = {key: number for key, number in numbered.items() if number is not None}
    extra = sorted(
        (key for key, number in numbered.items() if not 1 <= number <= layers), key=lambda key: (numbered[key], key)
    )
    if extra:
        deepest = max(numbered.values())
        advice = (
            f"give one activation per layer ({deepest} for W1 ... W{deepest}) so that no layer is dropped"
            if deepest <= MAX_MEMBERS
            else "number the layers from 1"
        )
        raise ValueError(
            f"the parameters also hold {_some(map(_shown, extra))}, which a {layers}-layer network "
            f"would leave out; {advice}"
        )
    use_bias = any(key.startswith("b") for key in numbered)
    needed = [f"{kind}{i}" for i in range(1, layers + 1) for kind in ("Wb" if use_bias else "W")]
    missing = [key for key in needed if key not in params]
    if missing:
        raise ValueError(
            f"the parameters lack {_some(missing)}; a {layers}-layer network needs "
            f"{_some(needed)} (found {_some(sorted(map(_shown, params))) or 'nothing'})"
        )
    kernels = [params[f"W{i}"] for i in range(1, layers + 1)]
    biases = [params[f"b{i}"] for i in range(1, layers + 1)] if use_bias else [None] * layers
    _check_layout(kernels, biases)
    dense = [Dense(W.shape[1], activation, use_bias=use_bias) for W, activation in zip(kernels, activations)]
    model = Sequential(dense, name=name)
    weights = [w for pair in zip(kernels, biases) for w in pair if w is not None]
    names = [f"{kind}{i}" for i in range(1, layers + 1) for kind in ("Wb" if use_bias else "W")]
    if dtype is not None:  # checked after the cast, naming the parameter: float16 holds at most 65504
        weights = [cast_finite(name, w, dtype, "weights") for name, w in zip(names, weights)]
    model.set_weights(weights)
    return model


_LAYER_KEY = re.compile(r"[Wb]([0-9]+)")  # ASCII digits only: "W²" and "W١" are not layer numbers
SHOWN_KEYS = 10  # a message lists this many names, then says how many more


def _layer_number(key):
    """The layer number of "W3" or "b3", else None (never int() of an arbitrary string)."""
    match = _LAYER_KEY.fullmatch(key) if isinstance(key, str) else None
    if match is None:
        return None
    digits = match.group(1)
    return int(digits) if len(digits) <= 9 else 10**9  # int() of 5,000 digits raises; any such layer is extra


def _shown(key):
    """A key as a message shows it: plain when short and printable, else cut and quoted."""
    return key if isinstance(key, str) and len(key) <= 40 and key.isprintable() else short_repr(key)


def _some(names):
    """The first SHOWN_KEYS names joined with commas, and how many more there are."""
    names = list(names)
    shown = ", ".join(names[:SHOWN_KEYS])
    return shown + (f" and {len(names) - SHOWN_KEYS:,} more" if len(names) > SHOWN_KEYS else "")


_PYTORCH_HINT = (
    "PyTorch's nn.Linear stores its weight as (units, inputs), the transpose of the (inputs, units) "
    "kernel that nnlib and Keras use: pass its .T"
)


def _check_layout(kernels, biases):
    """Kernels that chain (inputs, units) -> (units, ...), biases of length units; else say what looks wrong."""
    for i, (W, b) in enumerate(zip(kernels, biases), start=1):
        if np.ndim(W) != 2:
            raise ValueError(f"W{i} has shape {np.shape(W)}; a kernel is 2-D, (inputs, units)")
        if b is not None and np.shape(b) != (W.shape[1],):
            hint = f"; W{i} looks transposed: {_PYTORCH_HINT}" if np.shape(b) == (W.shape[0],) else ""
            raise ValueError(
                f"b{i} has shape {np.shape(b)} but W{i} has shape {W.shape}, whose {W.shape[1]} "
                f"units need a bias of shape ({W.shape[1]},){hint}"
            )
    for i, (W, V) in enumerate(zip(kernels, kernels[1:]), start=1):
        if W.shape[1] != V.shape[0]:
            chains_transposed = all(a.shape[0] == c.shape[1] for a, c in zip(kernels, kernels[1:]))
            hint = f"; the kernels look transposed: {_PYTORCH_HINT}" if chains_transposed else ""
            raise ValueError(
                f"W{i} has shape {W.shape} ({W.shape[1]} units) but W{i + 1} has shape {V.shape} "
                f"({V.shape[0]} inputs); layer {i + 1} must take as many inputs as layer {i} has "
                f"units{hint}"
            )


def fetch_sample_weights():
    """Path of the book's sample_weight.pkl: $NNLIB_DATA/sample_weight.pkl, else downloaded to nnlib's cache.

    Either way its SHA-256 is checked; a damaged file raises an error and is not used.
    """
    fname, digest = SAMPLE_WEIGHTS
    root = datasets.data_root()
    if root is not None and (root / fname).is_file():
        datasets.verify_file(
            root / fname,
            digest,
            f"Replace it with the original file from the book's repository ({SAMPLE_WEIGHTS_URL}).",
            SAMPLE_WEIGHTS_SIZE,
        )
        return root / fname
    return datasets.fetch(
        fname,
        digest,
        datasets.cache_dir(),
        [SAMPLE_WEIGHTS_URL],
        what="the book's sample_weight.pkl",
        size=SAMPLE_WEIGHTS_SIZE,
    )


def load_sample_network(dtype=None):
    """The 784-50-100-10 sigmoid/sigmoid/softmax network of "Deep Learning from Scratch", chapter 3.

    Its weights are the book's sample_weight.pkl (float32; dtype=np.float64 converts them).
    On the 10,000 MNIST test images, normalised to [0, 1], it classifies 9,352 correctly.
    """
    params = load_params(fetch_sample_weights())
    return network_from_params(params, ("sigmoid", "sigmoid", "softmax"), dtype=dtype, name="sample_network")


def pretrained(name="mnist-mlp", dtype=None):
    """A trained network shipped with nnlib, as a ready Sequential.

    "mnist-mlp": 784-50-100-10 sigmoid/sigmoid/softmax, the book's architecture, trained by nnlib's
    own fit loop (scripts/train_mnist_mlp.py).
    """
    if name not in PRETRAINED:
        raise ValueError(f"unknown pretrained network {name!r}; available: {', '.join(map(repr, PRETRAINED))}")
    fname, activations, origin = PRETRAINED[name]
    resource = importlib.resources.files("nnlib") / "data" / fname
    if not resource.is_file():
        raise FileNotFoundError(
            f"the weights of {name!r} (nnlib/data/{fname}) are not in this installation of "
            f"nnlib; they are made by scripts/train_mnist_mlp.py ({origin})"
        )
    with importlib.resources.as_file(resource) as path:
        params = load_params(path)
    return network_from_params(params, activations, dtype=dtype, name=name)
