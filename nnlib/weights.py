"""Parameter files: load and save them safely, and the two trained MNIST networks of the course.

    load_params("net.npz")      {"W1": array, "b1": array, ...} from .npz or the book's pickle format
    save_params("net.npz", p)   write a dict of arrays as .npz, atomically
    load_sample_network()       the 784-50-100-10 network of "Deep Learning from Scratch" (0.9352 on MNIST)
    pretrained("mnist-mlp")     the same architecture trained by nnlib itself, shipped with the package

Why not `pickle.load`? Unpickling can call any function named in the file: a "weights" file
whose pickle says `os.system("...")` runs that command. The book distributes its weights as a
pickle, so nnlib reads pickles with an unpickler that knows only the few numpy functions that
rebuild an array and refuses everything else before calling it. `.npz` files are read with
`allow_pickle=False`, so they can hold plain arrays only.
"""

import importlib.resources
import os
import pickle
import secrets
from pathlib import Path

import numpy as np

from . import datasets
from .layers import Dense
from .network import Sequential

SAMPLE_WEIGHTS = ("sample_weight.pkl", "b7f55a27988ba34c3777b0f1bbd464817c8a4db855723e6ff26f703501917a13")
SAMPLE_WEIGHTS_URL = ("https://github.com/oreilly-japan/deep-learning-from-scratch/raw/master/ch03/"
                      "sample_weight.pkl")

# Shipped parameter files in nnlib/data/: name -> (file, activations of the layers, where it comes from)
PRETRAINED = {
    "mnist-mlp": ("mnist-mlp.npz", ("sigmoid", "sigmoid", "softmax"),
                  "784-50-100-10 sigmoid network trained on MNIST by scripts/train_mnist_mlp.py"),
}


class UnsafePickleError(pickle.UnpicklingError):
    """A pickle asked for something other than numpy arrays and plain containers; nothing was run."""


def _numpy_reconstructors():
    """The functions numpy's own pickles name to rebuild arrays, under numpy 1.x and 2.x module names."""
    try:
        from numpy._core import multiarray, numeric
    except ImportError:  # numpy < 2
        from numpy.core import multiarray, numeric
    allowed = {("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): np.dtype}
    for module in ("numpy.core", "numpy._core"):
        allowed[(f"{module}.multiarray", "_reconstruct")] = multiarray._reconstruct
        allowed[(f"{module}.multiarray", "scalar")] = multiarray.scalar
        if hasattr(numeric, "_frombuffer"):  # protocol 5 pickles (numpy >= 1.16)
            allowed[(f"{module}.numeric", "_frombuffer")] = numeric._frombuffer
    # numpy's dtypes classes (numpy >= 1.25) appear in pickles of some dtypes.
    for name in ("Float32DType", "Float64DType", "Float16DType", "Int8DType", "Int16DType", "Int32DType",
                 "Int64DType", "UInt8DType", "UInt16DType", "UInt32DType", "UInt64DType", "BoolDType"):
        if hasattr(getattr(np, "dtypes", None), name):
            allowed[("numpy.dtypes", name)] = getattr(np.dtypes, name)
    import collections

    allowed[("_codecs", "encode")] = _latin1_encode
    allowed[("collections", "OrderedDict")] = collections.OrderedDict
    return allowed


def _latin1_encode(text, encoding="latin1"):
    """What protocol-2 pickles call to turn text back into bytes: _codecs.encode(text, "latin1"), nothing else."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise UnsafePickleError(f"refused to load this pickle: it calls _codecs.encode with {encoding!r}")
    return text.encode("latin1")


class _ArrayUnpickler(pickle.Unpickler):
    """An Unpickler that can rebuild numpy arrays, dicts, lists, tuples, numbers and strings, nothing else."""

    allowed = _numpy_reconstructors()

    def __init__(self, file, source):
        super().__init__(file)
        self.source = source

    def find_class(self, module, name):
        try:
            return self.allowed[(module, name)]
        except KeyError:
            raise UnsafePickleError(
                f"{self.source}: refused to load this pickle: it asks for {module}.{name}, which is not a numpy "
                "array part, and unpickling it could run code. nnlib reads only numpy arrays and plain "
                "containers from pickles. If you trust the file, convert it yourself to .npz (np.savez); "
                "otherwise delete it.") from None

    def persistent_load(self, pid):
        raise UnsafePickleError(f"{self.source}: refused to load this pickle: it uses persistent ids, "
                                "which nnlib does not read.")


def _check_params(params, source):
    """params as a dict {name: numeric ndarray}, or a clear error naming the bad entry."""
    if not isinstance(params, dict):
        raise ValueError(f"{source}: expected a dict of arrays such as {{'W1': ..., 'b1': ...}}, "
                         f"got {type(params).__name__}")
    for key, value in params.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{source}: parameter names must be non-empty strings, got {key!r}")
        if not isinstance(value, np.ndarray):
            raise ValueError(f"{source}: parameter {key!r} is a {type(value).__name__}, not a numpy array; "
                             f"convert it with np.asarray(...) first")
        if value.dtype.kind not in "biuf":
            raise ValueError(f"{source}: parameter {key!r} has dtype {value.dtype}; only numeric arrays "
                             "(bool, int, float) are parameters")
    return params


def load_params(path):
    """Read a parameter file into a dict {name: array}, e.g. {"W1": (784, 50), "b1": (50,), ...}.

    .npz files are read with allow_pickle=False; pickles (the book's sample_weight.pkl) with an
    unpickler that admits numpy arrays and plain containers only, so a file that tries to run
    code raises UnsafePickleError before anything is executed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no parameter file at {path}")
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(b"PK"):  # .npz is a zip archive
        try:
            with np.load(path, allow_pickle=False) as archive:
                params = {key: archive[key] for key in archive.files}
        except ValueError as err:
            if "allow_pickle" in str(err):
                raise UnsafePickleError(f"{path}: refused to load: this .npz holds pickled Python objects, "
                                        "not plain arrays") from None
            raise ValueError(f"{path} is not a readable .npz file ({err})") from None
        except Exception as err:
            raise ValueError(f"{path} is not a readable .npz file ({type(err).__name__}: {err}); "
                             "it may be truncated: save or download it again") from None
    elif head[:1] == b"\x80":  # pickle protocol 2 and later start with the PROTO opcode
        with open(path, "rb") as f:
            try:
                params = _ArrayUnpickler(f, path).load()
            except UnsafePickleError:
                raise
            except Exception as err:
                raise ValueError(f"{path} is not a readable pickle ({type(err).__name__}: {err}); it may be "
                                 "truncated or damaged: download it again") from None
    else:
        raise ValueError(f"{path} is neither a .npz archive nor a pickle (it starts with {head!r}); "
                         "load_params reads .npz files and the book's .pkl weight files")
    return _check_params(params, path)


def save_params(path, params):
    """Write {name: array} to an .npz file (numpy's own format, readable without pickle).

    Accepts a dict of arrays, or a Sequential (saved as W1, b1, W2, b2, ...). The file is
    written to a temporary name in the same folder and renamed over the target only when
    complete, so a failed save leaves any previous file untouched.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"save_params writes .npz files; give a path ending in .npz, got {str(path)!r}")
    if isinstance(params, Sequential):
        params = sequential_params(params)
    _check_params(params, "save_params")
    folder = path.parent if str(path.parent) else Path(".")
    # Like mkstemp, but with the permissions of an ordinary new file (0o666 minus the umask), not 0o600.
    tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **params)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


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
    """
    needed = [f"{kind}{i}" for i in range(1, len(activations) + 1) for kind in "Wb"]
    missing = [key for key in needed if key not in params]
    if missing:
        raise ValueError(f"the parameters lack {', '.join(missing)}; a {len(activations)}-layer network needs "
                         f"{', '.join(needed)} (found {', '.join(sorted(params)) or 'nothing'})")
    weights = [params[key] if dtype is None else np.asarray(params[key], dtype=dtype) for key in needed]
    model = Sequential([Dense(w.shape[1], activation) for w, activation in zip(weights[::2], activations)],
                       name=name)
    model.set_weights(weights)
    return model


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

