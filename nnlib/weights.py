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

Limits: MAX_PARAMS_BYTES (256 MiB) for the arrays of one file together, MAX_MEMBERS (10,000)
.npz members, names of at most MAX_NAME_LENGTH (200) characters; safe_pickle's own limits for
pickles.
"""

import errno
import importlib.resources
import math
import os
import secrets
import stat
import time
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from . import datasets
from .layers import Dense
from .network import Sequential
from . import safe_pickle
from .safe_pickle import UnsafePickleError, read_params_pickle, short_repr

SAMPLE_WEIGHTS = ("sample_weight.pkl", "b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13")
SAMPLE_WEIGHTS_URL = ("https://github.com/oreilly-japan/deep-learning-from-scratch/raw/master/ch03/"
                      "sample_weight.pkl")

# Limits of load_params: all arrays of one file together, the members of an .npz, a parameter's name.
MAX_PARAMS_BYTES = 256 * 2**20
MAX_MEMBERS = 10_000
MAX_NAME_LENGTH = 200

# Shipped parameter files in nnlib/data/: name -> (file, activations of the layers, where it comes from)
PRETRAINED = {
    "mnist-mlp": ("mnist-mlp.npz", ("sigmoid", "sigmoid", "softmax"),
                  "784-50-100-10 sigmoid network trained on MNIST by scripts/train_mnist_mlp.py"),
}


def _check_params(params, source):
    """params as a dict {name: numeric ndarray}, or a clear error naming the bad entry."""
    if not isinstance(params, dict):
        raise ValueError(f"{source}: expected a dict of arrays such as {{'W1': ..., 'b1': ...}}, "
                         f"got {type(params).__name__}")
    for key, value in params.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{source}: parameter names must be non-empty strings, got {short_repr(key)}")
        if not isinstance(value, np.ndarray):
            raise ValueError(f"{source}: parameter {short_repr(key)} is a {type(value).__name__}, not a numpy "
                             "array; convert it with np.asarray(...) first")
        if value.dtype.kind not in "biuf" or value.dtype.fields is not None:
            raise ValueError(f"{source}: parameter {short_repr(key)} has dtype {value.dtype}; only numeric arrays "
                             "(bool, int, float) are parameters")
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
                "diverged: train again with a smaller learning rate, or fix the values with np.nan_to_num.")
    return params


def _member_key(name):
    """The parameter name of an .npz member "W1.npy", or None when the member is not one."""
    if not name.endswith(".npy") or len(name) > MAX_NAME_LENGTH + 4:
        return None
    key = name[:-4]
    if not key or any(c in key for c in "/\\\0") or key in (".", "..") or not key.isprintable():
        return None
    return key


def _read_npz(path):
    """{name: array} from an .npz archive, checking each member's .npy header before inflating its data.

    Refused: members that are not NAME.npy, names that occur twice, headers numpy refuses, dtypes other
    than plain numbers, members larger than MAX_PARAMS_BYTES (zip bombs), data that does not match the header.
    """
    params = {}
    total = 0
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"{path}: refused to load: the archive has {len(infos):,} members "
                             f"(the limit is {MAX_MEMBERS:,})")
        duplicates = sorted(name for name, count in Counter(info.filename for info in infos).items() if count > 1)
        if duplicates:
            raise ValueError(f"{path}: refused to load: the archive holds {short_repr(duplicates[0])} more than "
                             "once, so which copy is meant is ambiguous; save the parameters again")
        for info in infos:
            key = _member_key(info.filename)
            if key is None:
                raise ValueError(f"{path}: refused to load: the archive holds {short_repr(info.filename)}, which "
                                 "is not a parameter (an .npz of parameters holds only NAME.npy members, as "
                                 "np.savez and save_params write them)")
            with archive.open(info) as member:
                try:
                    version = np.lib.format.read_magic(member)
                    if version == (1, 0):
                        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member, max_header_size=10000)
                    elif version == (2, 0):
                        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member, max_header_size=10000)
                    else:
                        raise ValueError(f".npy format version {version} (parameters use 1.0 or 2.0)")
                except ValueError as err:
                    reason = ("it is larger than numpy reads without trusting the file"
                              if "max_header_size" in str(err) else str(err).splitlines()[0][:200])
                    raise ValueError(f"{path}: refused to load member {short_repr(info.filename)}: its .npy "
                                     f"header is not one numpy reads safely ({reason})") from None
                if dtype.hasobject:
                    raise UnsafePickleError(f"{path}: refused to load: this .npz holds pickled Python objects "
                                            f"in {short_repr(key)}, not plain arrays")
                if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
                    raise ValueError(f"{path}: parameter {short_repr(key)} has dtype {dtype}; only numeric "
                                     "arrays (bool, int, float) are parameters")
                if any(type(n) is not int or n < 0 for n in shape):
                    raise ValueError(f"{path}: refused to load member {short_repr(info.filename)}: its header "
                                     f"declares the shape {short_repr(shape)}")
                size = math.prod(shape) * dtype.itemsize
                total += size
                if size > MAX_PARAMS_BYTES or total > MAX_PARAMS_BYTES:
                    raise ValueError(f"{path}: refused to load: member {short_repr(info.filename)} declares "
                                     f"{size:,} bytes of data (shape {short_repr(shape)}), and the limit for "
                                     f"all parameters of one file is {MAX_PARAMS_BYTES:,} bytes "
                                     "(nnlib.weights.MAX_PARAMS_BYTES)")
                raw = member.read(size)
                if len(raw) != size or member.read(1):
                    raise ValueError(f"{path}: member {short_repr(info.filename)} holds a different amount of "
                                     f"data than its header declares ({size:,} bytes); the file is damaged: "
                                     "save or download it again")
            if dtype.kind == "b":
                array = np.frombuffer(raw, dtype=np.uint8) != 0
            else:
                array = np.frombuffer(raw, dtype=dtype).astype(dtype.newbyteorder("="))
            params[key] = array.reshape(shape, order="F" if fortran else "C").copy(order="K")
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
        raise ValueError(f"{path}: refused to load: the file has {size:,} bytes, more than the limit of "
                         f"{MAX_PARAMS_BYTES * 2:,} (nnlib.weights.MAX_PARAMS_BYTES)")
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(b"PK"):  # .npz is a zip archive
        try:
            params = _read_npz(path)
        except ValueError:
            raise
        except Exception as err:
            raise ValueError(f"{path} is not a readable .npz file ({type(err).__name__}: {err}); "
                             "it may be truncated: save or download it again") from None
    elif head[:1] == b"\x80":  # pickle protocol 2 and later start with the PROTO opcode
        if size > safe_pickle.MAX_PICKLE_BYTES:  # checked before the file is read into memory
            raise UnsafePickleError(f"{path}: refused to load this pickle: it has {size:,} bytes, more than the "
                                    f"limit of {safe_pickle.MAX_PICKLE_BYTES:,} (nnlib.safe_pickle.MAX_PICKLE_BYTES)")
        try:
            params = read_params_pickle(path.read_bytes(), path)
        except UnsafePickleError:
            raise
        except ValueError as err:
            if str(err).startswith(str(path)):
                raise
            raise ValueError(f"{path} is not a readable pickle (ValueError: {err}); it may be "
                             "truncated or damaged: download it again") from None
        except Exception as err:
            raise ValueError(f"{path} is not a readable pickle ({type(err).__name__}: {err}); it may be "
                             "truncated or damaged: download it again") from None
    else:
        raise ValueError(f"{path} is neither a .npz archive nor a pickle (it starts with {head!r}); "
                         "load_params reads .npz files and the book's .pkl weight files")
    return _check_finite(_check_params(params, path), path)


def save_params(path, params):
    """Write {name: array} to an .npz file (numpy's own format, readable without pickle).

    Accepts a dict of arrays, or a Sequential (saved as W1, b1, W2, b2, ...). The file is
    written to a short temporary name in the target's folder and renamed over the target only
    when complete, so a failed save leaves any previous file untouched. An existing target keeps
    its permissions; a read-only one is refused (PermissionError); a symbolic link is written
    through to the file it points to. Temporary files left by saves that were killed are removed.
    Arrays holding NaN or inf are refused, as load_params would refuse them.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"save_params writes .npz files; give a path ending in .npz, got {str(path)!r}")
    if isinstance(params, Sequential):
        params = sequential_params(params)
    _check_finite(_check_params(params, "save_params"), "save_params")
    for key in params:
        if _member_key(key + ".npy") is None:
            raise ValueError(f"save_params: the parameter name {short_repr(key)} cannot be stored: names are "
                             f"printable, at most {MAX_NAME_LENGTH} characters, without '/', '\\' or NUL")
    target = Path(os.path.realpath(path))  # write through symbolic links, as open(path, "wb") would
    folder = target.parent
    try:
        st = os.stat(target)
    except FileNotFoundError:
        mode = None
    else:
        if not stat.S_ISREG(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "save_params writes a regular file, and this is not one",
                                    str(path))
        if not os.access(target, os.W_OK) or not st.st_mode & 0o222:
            raise PermissionError(errno.EACCES, "Permission denied: the file is read-only; make it writable "
                                  "(chmod u+w) or save under another name", str(path))
        mode = stat.S_IMODE(st.st_mode)
    _remove_stale_temporaries(folder)
    # Like mkstemp, but with the permissions of an ordinary new file (0o666 minus the umask), not 0o600,
    # and a short name, so that a target name near the file system's 255-byte limit still works.
    tmp = folder / f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, params)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


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
        pid = name[len(_TMP_PREFIX):].split("-", 1)[0]
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
    numbered = {key for key in params if len(key) > 1 and key[0] in "Wb" and key[1:].isdigit()}
    extra = sorted(key for key in numbered if not 1 <= int(key[1:]) <= layers)
    if extra:
        deepest = max(int(key[1:]) for key in numbered)
        raise ValueError(f"the parameters also hold {', '.join(extra)}, which a {layers}-layer network would "
                         f"leave out; give one activation per layer ({deepest} for W1 ... W{deepest}) so that "
                         "no layer is dropped")
    use_bias = any(key.startswith("b") for key in numbered)
    needed = [f"{kind}{i}" for i in range(1, layers + 1) for kind in ("Wb" if use_bias else "W")]
    missing = [key for key in needed if key not in params]
    if missing:
        raise ValueError(f"the parameters lack {', '.join(missing)}; a {layers}-layer network needs "
                         f"{', '.join(needed)} (found {', '.join(sorted(params)) or 'nothing'})")
    kernels = [params[f"W{i}"] for i in range(1, layers + 1)]
    biases = [params[f"b{i}"] for i in range(1, layers + 1)] if use_bias else [None] * layers
    _check_layout(kernels, biases)
    dense = [Dense(W.shape[1], activation, use_bias=use_bias) for W, activation in zip(kernels, activations)]
    model = Sequential(dense, name=name)
    weights = [w for pair in zip(kernels, biases) for w in pair if w is not None]
    model.set_weights([w if dtype is None else np.asarray(w, dtype=dtype) for w in weights])
    return model


_PYTORCH_HINT = ("PyTorch's nn.Linear stores its weight as (units, inputs), the transpose of the (inputs, units) "
                 "kernel that nnlib and Keras use: pass its .T")


def _check_layout(kernels, biases):
    """Kernels that chain (inputs, units) -> (units, ...), biases of length units; else say what looks wrong."""
    for i, (W, b) in enumerate(zip(kernels, biases), start=1):
        if np.ndim(W) != 2:
            raise ValueError(f"W{i} has shape {np.shape(W)}; a kernel is 2-D, (inputs, units)")
        if b is not None and np.shape(b) != (W.shape[1],):
            hint = f"; W{i} looks transposed: {_PYTORCH_HINT}" if np.shape(b) == (W.shape[0],) else ""
            raise ValueError(f"b{i} has shape {np.shape(b)} but W{i} has shape {W.shape}, whose {W.shape[1]} "
                             f"units need a bias of shape ({W.shape[1]},){hint}")
    for i, (W, V) in enumerate(zip(kernels, kernels[1:]), start=1):
        if W.shape[1] != V.shape[0]:
            chains_transposed = all(a.shape[0] == c.shape[1] for a, c in zip(kernels, kernels[1:]))
            hint = f"; the kernels look transposed: {_PYTORCH_HINT}" if chains_transposed else ""
            raise ValueError(f"W{i} has shape {W.shape} ({W.shape[1]} units) but W{i + 1} has shape {V.shape} "
                             f"({V.shape[0]} inputs); layer {i + 1} must take as many inputs as layer {i} has "
                             f"units{hint}")


def fetch_sample_weights():
    """Path of the book's sample_weight.pkl: $NNLIB_DATA/sample_weight.pkl, else downloaded to nnlib's cache.

    Either way its SHA-256 is checked; a damaged file raises an error and is not used.
    """
    fname, digest = SAMPLE_WEIGHTS
    root = datasets.data_root()
    if root is not None and (root / fname).is_file():
        datasets.verify_file(root / fname, digest,
                             "Replace it with the original file from the book's repository "
                             f"({SAMPLE_WEIGHTS_URL}).")
        return root / fname
    return datasets.fetch(fname, digest, datasets.cache_dir(), [SAMPLE_WEIGHTS_URL],
                          what="the book's sample_weight.pkl")


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
        raise FileNotFoundError(f"the weights of {name!r} (nnlib/data/{fname}) are not in this installation of "
                                f"nnlib; they are made by scripts/train_mnist_mlp.py ({origin})")
    with importlib.resources.as_file(resource) as path:
        params = load_params(path)
    return network_from_params(params, activations, dtype=dtype, name=name)

