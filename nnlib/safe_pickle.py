"""Read the book's pickled weights without unpickling: a small interpreter of pickle opcodes.

    read_params_pickle(data, source)   {"W1": array, "b1": array, ...} from the bytes of a pickle

`pickle.load` calls whatever functions the file names, and even numpy's own array
reconstructors do harm when a hostile file chooses their arguments: an object dtype bigger
than its data, a structured dtype with a field past the buffer, `ndarray(..., offset=-64)`, an
array that never receives data. So this module never calls a function the file names. It reads
the opcodes itself, runs them on a stack of its own, recognises the few calls numpy's pickles
make (protocols 2 to 5, from Python 3 or Python 2) as *descriptions*, checks every part, and
builds each array itself:

    np.frombuffer(raw_bytes, dtype).reshape(shape, order).copy()

with a plain numeric dtype (bool, int8-64, uint8-64, float16/32/64), a shape whose product times
the item size equals len(raw_bytes) exactly, and the file's byte order (converted to the
machine's). Anything else raises UnsafePickleError naming what was found; nothing in the file
is ever executed or handed to numpy's unpickling code.

Memory: byte strings are views into `data`, not copies, so reading costs the arrays it returns
(at most len(data) bytes together) plus, while one array is built from protocol-2 text, about
three times that array.

Limits. A limit on each piece is not enough: one byte string in the memo can feed any number
of arrays, and a million cheap opcodes each stay within every per-piece limit. So the work is
budgeted in total, sized by what a file of MAX_PARAMS parameters written by numpy needs (measured
on pickle.dumps of 10,000 arrays; the book's sample_weight.pkl is 182 KB: 178 opcodes, 52 memo
entries, 23 tuples, 3 deep):
    MAX_PICKLE_BYTES   256 MiB for the whole file
    array bytes        all arrays together at most len(data) bytes and max_array_bytes (an honest
                       pickle stores every array's bytes once, so it never needs more)
    MAX_PARAMS         10,000 parameters (the .npz member limit)
    opcodes            OPCODES_PER_PARAM (40) per parameter + FIXED_ALLOWANCE
    memo entries       MEMO_PER_PARAM (12) per parameter + FIXED_ALLOWANCE
    tuples built       TUPLES_PER_PARAM (8) per parameter + FIXED_ALLOWANCE
    MAX_DEPTH          8 levels of nested tuples
    MAX_TUPLE_ITEMS    64 items in a tuple (shapes have at most MAX_NDIM = 32 axes)
    MAX_STACK          10,000 objects on the stack or in one list or dict
    MAX_MARKS          32 MARKs open at once (numpy's pickles open 3)
    MAX_INT_BITS       64-bit integers
    MAX_NAME_LENGTH    200 characters in a parameter name (as for .npz members)
With these budgets the worst hostile pickles measured (benchmarks/bench_hostile_files.py) cost at most
0.3 s of CPU and 20 MiB beyond the file's own bytes and the arrays it returns (which are at most as large).
"""

import codecs
import math
import pickle
import pickletools
import reprlib
import struct

import numpy as np

MAX_PICKLE_BYTES = 256 * 2**20
MAX_DEPTH = 8
MAX_TUPLE_ITEMS = 64
MAX_STACK = 10_000
MAX_MARKS = 32
MAX_NDIM = 32
MAX_INT_BITS = 64
# Parameter names: the .npz rules (nnlib.weights), so a name that loads from a pickle can be saved.
MAX_NAME_LENGTH = 200
# The most parameters one file may hold, as for .npz members; and the default limit for all arrays.
MAX_PARAMS = 10_000
MAX_ARRAY_BYTES = MAX_PICKLE_BYTES
# The interpreter's work, per parameter the file may hold. numpy's pickles of 10,000 small arrays use
# 31 opcodes, 9 memo entries and 5 tuples per array with protocol 2 (310,059 opcodes, 90,014 memo
# entries in all), 25 / 7 / 4 with protocols 3 and 4, 16 / 5 / 2 with protocol 5; larger shapes add
# one opcode per axis. The budgets leave about a third more; FIXED_ALLOWANCE covers the dict itself
# and the first array (69 opcodes, 23 memo entries with protocol 2). At 10,000 parameters a file that
# uses up a budget costs at most 0.3 s of CPU and 20 MiB (benchmarks/bench_hostile_files.py).
OPCODES_PER_PARAM = 40
MEMO_PER_PARAM = 12
TUPLES_PER_PARAM = 8
FIXED_ALLOWANCE = 1_000
# Byte strings up to this size are copied out of the file (they are compared: b"b", "<", "f8");
# longer ones stay views into the file's bytes, so that the data of an array is not held twice.
SMALL_BYTES = 256
# Protocol 2's text is turned into an array's bytes this many bytes at a time (a fraction of the array).
CHUNK_BYTES = 2**18

# The dtype codes numpy writes into its pickles for plain numeric arrays.
NUMERIC_CODES = frozenset({"b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"})

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlong = 40
_short.maxtuple = _short.maxlist = _short.maxdict = 4


def short_repr(value):
    """repr(value) cut to about 60 characters and 4 items a level (reprlib): safe to quote hostile keys."""
    return _short.repr(value)


def name_problem(key):
    """Why `key` cannot be a parameter name (None when it can): the rules of .npz member names.

    A name is a non-empty str of at most MAX_NAME_LENGTH printable characters (no control
    characters, no lone surrogates), without '/', '\\' or NUL, and not '.' or '..'.
    """
    if not isinstance(key, str):
        return f"{short_repr(key)} (a {_what(key)}) is not a string"
    if not key:
        return "the name is empty"
    if len(key) > MAX_NAME_LENGTH:
        return f"a name of {len(key):,} characters is longer than the limit of {MAX_NAME_LENGTH}"
    if any(c in key for c in "/\\\0") or key in (".", ".."):
        return f"the name {short_repr(key)} is a path, not a name (no '/', '\\', NUL, '.' or '..')"
    if not key.isprintable():
        odd = next(c for c in key if not c.isprintable())
        return f"the name {short_repr(key)} holds the unprintable character U+{ord(odd):04X}"
    return None


class UnsafePickleError(pickle.UnpicklingError, ValueError):
    """A pickle asked for something other than numeric arrays in a dict; nothing in it was run."""


class _Global:
    """A name the pickle looked up (GLOBAL / STACK_GLOBAL); only ever compared, never called."""

    def __init__(self, role, module, name):
        self.role, self.module, self.name = role, module, name

    def __repr__(self):
        return f"{self.module}.{self.name}"


class _DtypeSpec:
    """numpy.dtype(code, ...) as the pickle describes it, plus the byte order its BUILD sets."""

    def __init__(self, code):
        self.code = code
        self.order = None

    def dtype(self):
        dtype = np.dtype(self.code)
        return dtype.newbyteorder(self.order) if self.order in ("<", ">") else dtype

    def __repr__(self):
        return f"numpy.dtype({self.code!r})"


class _PendingArray:
    """numpy.core.multiarray._reconstruct(ndarray, (0,), b"b"): an array whose data BUILD must supply."""

    def __init__(self):
        self.array = None

    def __repr__(self):
        return "an array (numpy's _reconstruct)"


class _Blob:
    """A long byte string or text of the file, kept as a view into its bytes until an array is made of it.

    kind: "bytes", "bytearray", "text" (UTF-8, a str), "py2" (a Python 2 str: bytes that are also
    latin-1 text) or "latin1" (`source` text encoded as latin-1 by protocol 2's _codecs.encode).
    """

    def __init__(self, view, kind, source=None):
        self.view, self.kind, self.source = view, kind, source
        self._nbytes = None

    @property
    def nbytes(self):
        if self._nbytes is None:
            if self.kind == "latin1":  # one byte per character of the UTF-8 text: count the bytes that start one
                view, count = self.source.view, 0
                for start in range(0, len(view), CHUNK_BYTES):
                    part = np.frombuffer(view[start : start + CHUNK_BYTES], dtype=np.uint8)
                    count += int(np.count_nonzero((part & 0xC0) != 0x80))
                self._nbytes = count
            else:
                self._nbytes = len(self.view)
        return self._nbytes

    def data(self):
        """The bytes, for an array (a view, or for "latin1" a fresh bytes object)."""
        if self.kind == "latin1":
            return self.source.text().encode("latin1")
        return self.view

    def text(self):
        if self.kind == "text":
            return str(self.view, "utf-8", "surrogatepass")
        return str(self.view, "latin1")

    def __repr__(self):
        if self.kind in ("text", "py2"):
            return f"a text of {self.nbytes:,} bytes"
        return f"{self.nbytes:,} bytes"


def _what(value):
    """What a value is, in words a reader of the message understands (never a class of this module)."""
    if isinstance(value, _PendingArray):
        return "numpy array"
    if isinstance(value, _DtypeSpec):
        return "numpy dtype"
    if isinstance(value, _Global):
        return "global name"
    if isinstance(value, _Blob):
        return "text" if value.kind in ("text", "py2") else "bytes"
    return type(value).__name__


def _text_of(value, limit=None):
    """value as a str when the pickle means text there (a str, or a Python 2 str); else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, _Blob) and value.kind in ("text", "py2"):
        if limit is not None and value.nbytes > 4 * limit:  # cannot be short: not decoded
            return None
        return value.text()
    return None


def _data_of(value):
    """The bytes an array is made of, or None when `value` is not bytes."""
    if isinstance(value, (bytes, bytearray)):
        return value
    if isinstance(value, _Blob) and value.kind != "text":
        return value.data()
    return None


def _fill(target, raw):
    """Copy the bytes `raw` stands for into the uint8 array `target` (protocol 2's text 1 MiB at a time)."""
    if isinstance(raw, _Blob) and raw.kind == "latin1":
        decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        view, at = raw.source.view, 0
        for start in range(0, len(view) + CHUNK_BYTES, CHUNK_BYTES):  # the last part is empty: final
            part = view[start : start + CHUNK_BYTES]
            chunk = decoder.decode(part, final=not part).encode("latin1")
            target[at : at + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
            at += len(chunk)
        return
    target[:] = np.frombuffer(_data_of(raw), dtype=np.uint8)


def _data_size(value):
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    return value.nbytes


# (module, name) -> role. Both numpy 1.x (numpy.core) and 2.x (numpy._core) module names occur.
_KNOWN = {
    ("numpy", "ndarray"): "ndarray",
    ("numpy", "dtype"): "dtype",
    ("_codecs", "encode"): "encode",
    ("collections", "OrderedDict"): "dict",
    ("__builtin__", "bytes"): "bytes",
    ("builtins", "bytes"): "bytes",
}  # protocol 2 writes b"" as bytes()
for _module in ("numpy.core", "numpy._core"):
    _KNOWN[(f"{_module}.multiarray", "_reconstruct")] = "reconstruct"
    _KNOWN[(f"{_module}.multiarray", "scalar")] = "scalar"
    _KNOWN[(f"{_module}.numeric", "_frombuffer")] = "frombuffer"

_CONTAINERS = (list, dict)
_CONSTANTS = {"NONE": None, "NEWTRUE": True, "NEWFALSE": False, "EMPTY_TUPLE": ()}
_INTEGERS = {"BININT", "BININT1", "BININT2", "LONG1", "LONG4"}
_TEXT_AND_BYTES = {
    "BINUNICODE",
    "SHORT_BINUNICODE",
    "BINUNICODE8",
    "SHORT_BINBYTES",
    "BINBYTES",
    "BINBYTES8",
    "BYTEARRAY8",
    "SHORT_BINSTRING",
    "BINSTRING",
}
_REFUSED_OPCODES = {
    "PERSID": "persistent ids",
    "BINPERSID": "persistent ids",
    "INST": "INST, which creates an object of a named class",
    "OBJ": "OBJ, which creates an object of a class",
    "NEWOBJ": "NEWOBJ, which calls a class's __new__",
    "NEWOBJ_EX": "NEWOBJ_EX, which calls a class's __new__",
    "EXT1": "the extension registry (EXT1)",
    "EXT2": "the extension registry (EXT2)",
    "EXT4": "the extension registry (EXT4)",
    "NEXT_BUFFER": "out-of-band buffers",
    "READONLY_BUFFER": "out-of-band buffers",
}
_TEXT_OPCODES = {"INT", "LONG", "STRING", "UNICODE", "FLOAT", "GET", "PUT"}  # protocol 0's text forms


# -- reading opcodes -------------------------------------------------------------------------------------

# opcode byte -> (name, how its argument is stored); from the standard library's own table.
_OPCODES = {op.code.encode("latin1")[0]: (op.name, op.arg.name if op.arg else None) for op in pickletools.opcodes}
_FIXED = {
    "uint1": struct.Struct("<B"),
    "uint2": struct.Struct("<H"),
    "int4": struct.Struct("<i"),
    "uint4": struct.Struct("<I"),
    "uint8": struct.Struct("<Q"),
    "float8": struct.Struct(">d"),
}
_SIZED = {
    "long1": "<B",
    "long4": "<i",
    "string1": "<B",
    "string4": "<i",
    "bytes1": "<B",
    "bytes4": "<I",
    "bytes8": "<Q",
    "bytearray8": "<Q",
    "unicodestring1": "<B",
    "unicodestring4": "<I",
    "unicodestring8": "<Q",
}
_SIZED = {kind: struct.Struct(fmt) for kind, fmt in _SIZED.items()}
_DECODED = (
    _INTEGERS
    | _TEXT_AND_BYTES
    | {"PROTO", "FRAME", "BINFLOAT", "BINPUT", "LONG_BINPUT", "BINGET", "LONG_BINGET", "GLOBAL"}
)


def _check_utf8(view):
    """Raise UnicodeDecodeError unless `view` is UTF-8 (as pickle decodes it), 1 MiB at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
    for start in range(0, len(view), CHUNK_BYTES):
        decoder.decode(view[start : start + CHUNK_BYTES])
    decoder.decode(b"", final=True)


def _opcodes(view):
    """(name, argument) for each opcode of the pickle in `view` (a memoryview), as pickletools.genops names them.

    Long byte strings and texts come as _Blob views into `view`, not copies. Opcodes this reader
    refuses come without their argument. A truncated or unknown opcode raises ValueError.
    """
    pos, end = 0, len(view)
    while pos < end:
        code = view[pos]
        pos += 1
        if code not in _OPCODES:
            raise ValueError(f"unknown pickle opcode 0x{code:02x} at byte {pos - 1:,}")
        name, kind = _OPCODES[code]
        if name not in _DECODED:
            yield name, None
            continue
        if kind in _FIXED:
            unpack = _FIXED[kind]
            if pos + unpack.size > end:
                raise ValueError(f"the pickle ends inside {name}")
            (arg,) = unpack.unpack_from(view, pos)
            pos += unpack.size
        elif kind in _SIZED:
            unpack = _SIZED[kind]
            if pos + unpack.size > end:
                raise ValueError(f"the pickle ends inside {name}")
            (size,) = unpack.unpack_from(view, pos)
            pos += unpack.size
            if size < 0 or pos + size > end:
                raise ValueError(f"{name} declares {size:,} bytes, more than the pickle holds")
            part = view[pos : pos + size]
            pos += size
            if kind.startswith("long"):
                arg = int.from_bytes(part, "little", signed=True)
            elif kind.startswith("unicode"):
                if size <= SMALL_BYTES:
                    arg = str(part, "utf-8", "surrogatepass")
                else:
                    _check_utf8(part)
                    arg = _Blob(part, "text")
            elif kind.startswith("string"):
                arg = _Blob(part, "py2")
            elif size <= SMALL_BYTES:
                arg = bytearray(part) if kind == "bytearray8" else bytes(part)
            else:
                arg = _Blob(part, "bytearray" if kind == "bytearray8" else "bytes")
        elif kind == "stringnl_noescape_pair":
            lines = []
            for _ in range(2):
                newline = bytes(view[pos : pos + 2 * MAX_NAME_LENGTH + 2]).find(b"\n")
                if newline < 0:
                    raise ValueError(f"{name} without a newline within {2 * MAX_NAME_LENGTH + 2} bytes")
                lines.append(str(view[pos : pos + newline], "utf-8"))
                pos += newline + 1
            arg = tuple(lines)
        else:  # pragma: no cover - every opcode in _DECODED has one of the kinds above
            raise AssertionError(kind)
        yield name, arg
    raise ValueError("the pickle ends without STOP")


def _is(value, *allowed):
    """value is one of `allowed`, compared only with values of the same type (never an array's ==)."""
    return any(type(value) is type(a) and value == a for a in allowed)


def _refuse(source, what):
    raise UnsafePickleError(
        f"{source}: refused to load this pickle: {what}. nnlib reads only numeric numpy arrays "
        "in a dict from pickles, and nothing in the file was run. If you trust the file, "
        "convert it yourself to .npz (np.savez); otherwise delete it."
    )


class _Reader:
    def __init__(self, source, size, max_params, max_array_bytes):
        self.source = source
        self.stack = []
        self.marks = []
        self.memo = {}
        self.depth = {}  # id(tuple) -> nesting depth, for the tuples built here (kept alive by self.keep)
        self.keep = []
        self.max_params = max_params
        # Budgets for the whole file (module docstring): bytes of all arrays, opcodes, memo entries, tuples.
        self.array_bytes_left = min(size, max_array_bytes)
        self.array_bytes_limit = (size, max_array_bytes)
        self.opcodes_left = OPCODES_PER_PARAM * max_params + FIXED_ALLOWANCE
        self.memo_limit = MEMO_PER_PARAM * max_params + FIXED_ALLOWANCE
        self.tuple_limit = TUPLES_PER_PARAM * max_params + FIXED_ALLOWANCE

    def refuse(self, what):
        _refuse(self.source, what)

    # -- values ----------------------------------------------------------------------------------

    def push(self, value):
        if len(self.stack) >= MAX_STACK:
            self.refuse(f"it piles up more than {MAX_STACK:,} objects")
        self.stack.append(value)

    def pop(self):
        if len(self.stack) <= (self.marks[-1] if self.marks else 0):
            raise ValueError("stack underflow")
        return self.stack.pop()

    def pop_mark(self):
        if not self.marks:
            raise ValueError("no MARK before a MARK-using opcode")
        start = self.marks.pop()
        items = self.stack[start:]
        del self.stack[start:]
        return items

    def remember(self, key, value):
        if key not in self.memo and len(self.memo) >= self.memo_limit:
            self.refuse(
                f"it stores more than {self.memo_limit:,} objects in its memo, more than numpy's pickles "
                f"of {self.max_params:,} parameters need (nnlib.safe_pickle.MEMO_PER_PARAM)"
            )
        self.memo[key] = value

    def int_value(self, value):
        if value.bit_length() > MAX_INT_BITS:
            self.refuse(f"it holds an integer of {value.bit_length():,} bits (the limit is {MAX_INT_BITS})")
        return value

    def make_tuple(self, items):
        if len(items) > MAX_TUPLE_ITEMS:
            self.refuse(f"it builds a tuple of {len(items):,} items (the limit is {MAX_TUPLE_ITEMS})")
        for item in items:
            if isinstance(item, _CONTAINERS):
                self.refuse(f"it puts a {type(item).__name__} inside a tuple")
        if len(self.keep) >= self.tuple_limit:
            self.refuse(
                f"it builds more than {self.tuple_limit:,} tuples, more than numpy's pickles of "
                f"{self.max_params:,} parameters need (nnlib.safe_pickle.TUPLES_PER_PARAM)"
            )
        depth = 1 + max((self.depth.get(id(item), 0) for item in items), default=0)
        if depth > MAX_DEPTH:
            self.refuse(f"it nests tuples more than {MAX_DEPTH} deep")
        result = tuple(items)
        self.depth[id(result)] = depth
        self.keep.append(result)
        return result

    def add_to_list(self, target, items):
        if not isinstance(target, list):
            self.refuse(f"it appends to a {_what(target)}, not a list")
        if len(target) + len(items) > MAX_STACK:
            self.refuse(f"it builds a list of more than {MAX_STACK:,} items")
        for item in items:
            if isinstance(item, _CONTAINERS):
                self.refuse(f"it puts a {type(item).__name__} inside a list")
        target.extend(items)

    def add_to_dict(self, target, items):
        if not isinstance(target, dict):
            self.refuse(f"it sets items on a {_what(target)}, not a dict")
        if len(items) % 2:
            raise ValueError("odd number of items for SETITEMS")
        if len(target) + len(items) // 2 > self.max_params:
            self.refuse(
                f"it builds a dict of more than {self.max_params:,} entries (the limit for the parameters of one file)"
            )
        for key, value in zip(items[::2], items[1::2]):
            name = _text_of(key, MAX_NAME_LENGTH)
            if name is None:
                if isinstance(key, _Blob) and key.kind in ("text", "py2"):
                    self.refuse(
                        f"it uses a name of {key.nbytes:,} bytes; parameter names have at most "
                        f"{MAX_NAME_LENGTH} characters"
                    )
                self.refuse(f"it uses {short_repr(key)} (a {_what(key)}) as a parameter name; names must be strings")
            problem = name_problem(name)
            if problem:
                self.refuse(f"it names a parameter badly: {problem}")
            if name in target:
                self.refuse(f"it sets the parameter {short_repr(name)} twice")
            if isinstance(value, _CONTAINERS):
                raise ValueError(
                    f"{self.source}: parameter {short_repr(name)} is a {type(value).__name__}, not a numpy array"
                )
            target[name] = value

    # -- the calls numpy's pickles make ------------------------------------------------------------

    def reduce(self, func, args):
        if not isinstance(func, _Global):
            self.refuse(f"it calls a {_what(func)}")
        if not isinstance(args, tuple):
            self.refuse(f"it calls {func} with arguments that are not a tuple")
        role = func.role
        if role == "reconstruct":
            if (
                len(args) != 3
                or not isinstance(args[0], _Global)
                or args[0].role != "ndarray"
                or not (type(args[1]) is tuple and len(args[1]) == 1 and _is(args[1][0], 0))
                or not (_is(args[2], b"b") or _text_of(args[2], 1) == "b")
            ):
                self.refuse(f"it calls {func} with {short_repr(args)}, not as numpy's pickles do (ndarray, (0,), b'b')")
            return _PendingArray()
        if role == "dtype":
            code = _text_of(args[0], 8) if args else None
            if len(args) != 3 or code is None or not all(_is(a, 0, 1, False, True) for a in args[1:]):
                self.refuse(f"it calls numpy.dtype with {short_repr(args)}")
            if code not in NUMERIC_CODES:
                self.refuse(
                    f"it asks for an array of dtype {short_repr(code)}; only plain numeric dtypes "
                    f"({', '.join(sorted(NUMERIC_CODES))}) are weights (no object, string or structured "
                    "dtypes)"
                )
            return _DtypeSpec(code)
        if role == "encode":
            if (
                len(args) != 2
                or not (isinstance(args[0], str) or _what(args[0]) == "text")
                or not _is(args[1], "latin1", "latin-1")
            ):
                self.refuse(
                    f"it calls _codecs.encode with {short_repr(args)}; protocol-2 pickles only call "
                    "it as encode(text, 'latin1')"
                )
            if isinstance(args[0], str):
                return args[0].encode("latin1")
            if args[0].kind == "py2":  # a Python 2 str is latin-1 text already: its bytes are the result
                return _Blob(args[0].view, "bytes")
            return _Blob(None, "latin1", source=args[0])  # encoded when an array is made of it
        if role == "bytes":
            if args:
                self.refuse(f"it calls bytes with {short_repr(args)}; protocol-2 pickles only call bytes()")
            return b""
        if role == "dict":
            if args:
                self.refuse(f"it calls collections.OrderedDict with {short_repr(args)}")
            return {}
        if role == "frombuffer":
            if len(args) not in (4, 5):
                self.refuse(f"it calls {func} with {len(args)} arguments")
            buf, spec, shape, order = args[:4]
            axis_order = args[4] if len(args) == 5 else None
            if not _is(order, "C", "F", "K") or (order == "K") != (axis_order is not None):
                self.refuse(
                    f"it calls {func} with the memory order {short_repr(order)} and axis order {short_repr(axis_order)}"
                )
            return self.build_array(buf, spec, shape, order == "F", axis_order, str(func))
        if role == "scalar":
            if len(args) != 2:
                self.refuse(f"it calls {func} with {len(args)} arguments")
            array = self.build_array(args[1], args[0], (), False, None, str(func))
            return array[()]
        if role == "ndarray":
            self.refuse(
                "it calls numpy.ndarray(...) directly, which makes an array over memory that no data in "
                "the file fills (uninitialised or foreign bytes); numpy's own pickles never do this"
            )
        self.refuse(f"it calls {func}")

    def build(self, target, state):
        if isinstance(target, _DtypeSpec):
            if target.order is not None:
                self.refuse("it sets the state of one dtype twice")
            order = _text_of(state[1], 1) if isinstance(state, tuple) and len(state) > 1 else None
            ok = (
                isinstance(state, tuple)
                and len(state) in (8, 9)
                and _is(state[0], 3 if len(state) == 8 else 4)
                and order in ("<", ">", "|", "=")
                and all(item is None for item in state[2:5])
                and all(_is(item, number) for item, number in zip(state[5:8], (-1, -1, 0)))
                and (len(state) == 8 or state[8] is None)
            )
            if not ok:
                self.refuse(
                    f"it gives the dtype {target.code!r} the state {short_repr(state)}; a plain numeric "
                    "dtype has no fields, sub-arrays, sizes, flags or metadata"
                )
            target.order = order
            return
        if isinstance(target, _PendingArray):
            if target.array is not None:
                self.refuse("it sets the data of one array twice")
            if not isinstance(state, tuple) or len(state) not in (4, 5) or (len(state) == 5 and not _is(state[0], 1)):
                self.refuse(
                    f"it gives an array the state {short_repr(state)}, not numpy's "
                    "(1, shape, dtype, is_fortran, raw bytes)"
                )
            shape, spec, fortran, raw = state[-4:]
            if not _is(fortran, 0, 1, False, True):
                self.refuse(f"it gives an array the Fortran flag {short_repr(fortran)}")
            target.array = self.build_array(raw, spec, shape, bool(fortran), None, "an array's state")
            return
        self.refuse(f"it sets the state (BUILD) of {short_repr(target)}, which is not an array or a dtype")

    def build_array(self, raw, spec, shape, fortran, axis_order, where):
        """np.frombuffer(raw, dtype).reshape(shape).copy(), once every part has been checked."""
        if not isinstance(spec, _DtypeSpec):
            self.refuse(f"{where} names {short_repr(spec)} (a {_what(spec)}) as the dtype")
        if (
            not isinstance(raw, (bytes, bytearray))
            and _what(raw) != "bytes"
            and not (isinstance(raw, _Blob) and raw.kind == "py2")
        ):
            self.refuse(f"{where} gives {short_repr(raw)} (a {_what(raw)}) as the array's data, not raw bytes")
        if not isinstance(shape, tuple) or len(shape) > MAX_NDIM or any(type(n) is not int or n < 0 for n in shape):
            self.refuse(
                f"{where} gives the shape {short_repr(shape)}; a shape is a tuple of at most "
                f"{MAX_NDIM} whole numbers >= 0"
            )
        dtype = spec.dtype()
        if 0 in shape and math.prod(n for n in shape if n) * dtype.itemsize > MAX_PICKLE_BYTES:  # numpy refuses it
            self.refuse(
                f"{where} gives the shape {short_repr(shape)}, whose axes describe more than {MAX_PICKLE_BYTES:,} bytes"
            )
        needed = math.prod(shape) * dtype.itemsize
        if needed != _data_size(raw):
            self.refuse(
                f"{where} declares shape {short_repr(shape)} of {dtype} ({needed:,} bytes) but carries "
                f"{_data_size(raw):,} bytes of data"
            )
        if axis_order is not None and (
            not isinstance(axis_order, tuple) or sorted(axis_order) != list(range(len(shape)))
        ):
            self.refuse(f"{where} gives the axis order {short_repr(axis_order)} for {len(shape)} axes")
        if needed > self.array_bytes_left:
            size, limit = self.array_bytes_limit
            self.refuse(
                f"its arrays together take more bytes than the file's own {size:,} (the limit is the "
                f"file's size, and at most {limit:,} bytes); an honest pickle stores each array's bytes "
                "once, so this one makes many arrays of the same data"
            )
        self.array_bytes_left -= needed
        native = dtype.newbyteorder("=")
        if axis_order is not None:  # protocol 5's "K" order: an array whose axes numpy stored permuted
            array = np.frombuffer(_data_of(raw), dtype=np.uint8 if dtype.kind == "b" else dtype)
            array = array.reshape(shape).transpose(axis_order)
            return (array != 0) if dtype.kind == "b" else array.astype(native, order="K", copy=True)
        # The array is allocated once and the file's bytes copied into it: no other copy is made.
        array = np.empty(shape, dtype=native, order="F" if fortran else "C")
        _fill(array.ravel(order="A").view(np.uint8), raw)
        if dtype.kind == "b":  # any byte other than 0 and 1 is not a valid numpy bool: read it as uint8 != 0
            np.not_equal(array.view(np.uint8), 0, out=array)
        elif dtype.itemsize > 1 and not dtype.isnative:
            array.byteswap(inplace=True)
        return array

    # -- the result ----------------------------------------------------------------------------------

    def finish(self, result):
        if isinstance(result, list):
            raise ValueError(f"{self.source}: expected a dict of arrays such as {{'W1': ..., 'b1': ...}}, got list")
        if not isinstance(result, dict):
            self.refuse(f"its result is {short_repr(result)} (a {_what(result)}), not a dict of arrays")
        params = {}
        for key, value in result.items():
            if isinstance(value, _PendingArray):
                if value.array is None:
                    self.refuse(
                        f"the array {short_repr(key)} never receives its data (an array without data "
                        "would hold whatever was in memory)"
                    )
                value = value.array
            elif isinstance(value, (_Global, _DtypeSpec, _Blob)):
                self.refuse(f"the parameter {short_repr(key)} is {value!r} (a {_what(value)}), not an array")
            params[key] = value
        return params


def read_params_pickle(data, source="pickle", max_params=MAX_PARAMS, max_array_bytes=MAX_ARRAY_BYTES):
    """The dict {name: ndarray} that `data` (the bytes of a pickle, protocol 2-5) describes.

    max_params: the most parameters the file may hold; it also sizes the budgets of the
    interpreter's work. max_array_bytes: the most bytes all arrays may take together (never
    more than len(data) either). Raises UnsafePickleError for anything but numeric arrays in a
    dict (naming what it found) and for a file over a budget, ValueError for a damaged pickle.
    """
    if len(data) > MAX_PICKLE_BYTES:
        _refuse(
            source,
            f"the file has {len(data):,} bytes, more than the limit of {MAX_PICKLE_BYTES:,} "
            "(nnlib.safe_pickle.MAX_PICKLE_BYTES)",
        )
    reader = _Reader(source, len(data), max_params, max_array_bytes)
    stack = reader.stack
    for name, arg in _opcodes(memoryview(data)):
        reader.opcodes_left -= 1
        if reader.opcodes_left < 0:
            reader.refuse(
                f"it runs more than {OPCODES_PER_PARAM * max_params + FIXED_ALLOWANCE:,} opcodes, more "
                f"than numpy's pickles of {max_params:,} parameters need "
                "(nnlib.safe_pickle.OPCODES_PER_PARAM)"
            )
        if name in ("PROTO", "FRAME"):
            if name == "PROTO" and not 2 <= arg <= 5:
                reader.refuse(f"it declares pickle protocol {arg}")
        elif name == "STOP":
            if len(stack) != 1 or reader.marks:
                raise ValueError("STOP with a stack that does not hold exactly one object")
            return reader.finish(stack[0])
        elif name == "MARK":
            if len(reader.marks) >= MAX_MARKS:
                reader.refuse(f"it opens more than {MAX_MARKS} MARKs at once")
            reader.marks.append(len(stack))
        elif name == "POP":
            reader.pop()
        elif name == "POP_MARK":
            reader.pop_mark()
        elif name == "DUP":
            value = reader.pop()
            stack.append(value)
            reader.push(value)
        elif name in _CONSTANTS:
            reader.push(_CONSTANTS[name])
        elif name in _INTEGERS:
            reader.push(reader.int_value(arg))
        elif name in _TEXT_AND_BYTES or name == "BINFLOAT":
            reader.push(arg)
        elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
            count = int(name[-1])
            items = [reader.pop() for _ in range(count)][::-1]
            reader.push(reader.make_tuple(items))
        elif name == "TUPLE":
            reader.push(reader.make_tuple(reader.pop_mark()))
        elif name == "EMPTY_LIST":
            reader.push([])
        elif name == "LIST":
            result = []
            reader.add_to_list(result, reader.pop_mark())
            reader.push(result)
        elif name == "APPEND":
            item = reader.pop()
            reader.add_to_list(stack[-1] if stack else None, [item])
        elif name == "APPENDS":
            items = reader.pop_mark()
            reader.add_to_list(stack[-1] if stack else None, items)
        elif name == "EMPTY_DICT":
            reader.push({})
        elif name == "DICT":
            result = {}
            reader.add_to_dict(result, reader.pop_mark())
            reader.push(result)
        elif name == "SETITEM":
            value = reader.pop()
            key = reader.pop()
            reader.add_to_dict(stack[-1] if stack else None, [key, value])
        elif name == "SETITEMS":
            items = reader.pop_mark()
            reader.add_to_dict(stack[-1] if stack else None, items)
        elif name in ("BINPUT", "LONG_BINPUT"):
            if not stack:
                raise ValueError("memo put with an empty stack")
            reader.remember(arg, stack[-1])
        elif name == "MEMOIZE":
            if not stack:
                raise ValueError("memo put with an empty stack")
            reader.remember(len(reader.memo), stack[-1])
        elif name in ("BINGET", "LONG_BINGET"):
            if arg not in reader.memo:
                raise ValueError(f"memo key {arg} is missing")
            reader.push(reader.memo[arg])
        elif name in ("GLOBAL", "STACK_GLOBAL"):
            if name == "GLOBAL":
                module, attr = arg
            else:
                attr, module = reader.pop(), reader.pop()
                if not isinstance(module, str) or not isinstance(attr, str):
                    reader.refuse(f"it looks up a global by the non-string name {short_repr((module, attr))}")
            role = _KNOWN.get((module, attr))
            if role is None:
                reader.refuse(
                    f"it asks for {short_repr(f'{module}.{attr}')[1:-1]}, which is not a numpy array "
                    "part, and unpickling it could run code"
                )
            reader.push(_Global(role, module, attr))
        elif name == "REDUCE":
            args = reader.pop()
            func = reader.pop()
            reader.push(reader.reduce(func, args))
        elif name == "BUILD":
            state = reader.pop()
            if not stack:
                raise ValueError("BUILD with nothing to build")
            reader.build(stack[-1], state)
        elif name in _REFUSED_OPCODES:
            reader.refuse(f"it uses {_REFUSED_OPCODES[name]}")
        elif name in _TEXT_OPCODES:
            reader.refuse(
                f"it uses the opcode {name}, the text form of protocol 0 that numpy's pickles of "
                "protocol 2 and later do not use"
            )
        else:
            reader.refuse(f"it uses the opcode {name}, which numpy's pickles of arrays do not")
    raise ValueError("the pickle ends without STOP")
