"""Read the book's pickled weights without unpickling: a small interpreter of pickle opcodes.

    read_params_pickle(data, source)   {"W1": array, "b1": array, ...} from the bytes of a pickle

`pickle.load` calls whatever functions the file names, and even numpy's own array
reconstructors do harm when a hostile file chooses their arguments: an object dtype bigger
than its data, a structured dtype with a field past the buffer, `ndarray(..., offset=-64)`, an
array that never receives data. So this module never calls a function the file names. It walks
the opcodes (`pickletools.genops`) on a stack of its own, recognises the few calls numpy's
pickles make (protocols 2 to 5) as *descriptions*, checks every part, and builds each array
itself:

    np.frombuffer(raw_bytes, dtype).reshape(shape, order).copy()

with a plain numeric dtype (bool, int8-64, uint8-64, float16/32/64), a shape whose product times
the item size equals len(raw_bytes) exactly, and the file's byte order (converted to the
machine's). Anything else raises UnsafePickleError naming what was found; nothing in the file
is ever executed or handed to numpy's unpickling code.

Limits (the book's sample_weight.pkl is 182 KB and nests 3 deep):
    MAX_PICKLE_BYTES   256 MiB for the whole file, hence for every array in it
    MAX_DEPTH          8 levels of nested tuples
    MAX_TUPLE_ITEMS    64 items in a tuple (shapes have at most MAX_NDIM = 32 axes)
    MAX_STACK          10,000 objects on the stack or in one list or dict
    MAX_MARKS          32 MARKs open at once (numpy's pickles open 3)
    MAX_INT_BITS       64-bit integers
"""

# pickletools.genops decodes protocol-0 text with this codec: imported now, reading a file imports nothing.
import encodings.raw_unicode_escape  # noqa: F401
import math
import pickle
import pickletools
import reprlib

import numpy as np

MAX_PICKLE_BYTES = 256 * 2**20
MAX_DEPTH = 8
MAX_TUPLE_ITEMS = 64
MAX_STACK = 10_000
MAX_MARKS = 32
MAX_NDIM = 32
MAX_INT_BITS = 64

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


class _PendingArray:
    """numpy.core.multiarray._reconstruct(ndarray, (0,), b"b"): an array whose data BUILD must supply."""

    def __init__(self):
        self.array = None


# (module, name) -> role. Both numpy 1.x (numpy.core) and 2.x (numpy._core) module names occur.
_KNOWN = {("numpy", "ndarray"): "ndarray", ("numpy", "dtype"): "dtype",
          ("_codecs", "encode"): "encode", ("collections", "OrderedDict"): "dict",
          ("__builtin__", "bytes"): "bytes", ("builtins", "bytes"): "bytes"}  # protocol 2 writes b"" as bytes()
for _module in ("numpy.core", "numpy._core"):
    _KNOWN[(f"{_module}.multiarray", "_reconstruct")] = "reconstruct"
    _KNOWN[(f"{_module}.multiarray", "scalar")] = "scalar"
    _KNOWN[(f"{_module}.numeric", "_frombuffer")] = "frombuffer"

_CONTAINERS = (list, dict)
_CONSTANTS = {"NONE": None, "NEWTRUE": True, "NEWFALSE": False, "EMPTY_TUPLE": ()}
_INTEGERS = {"BININT", "BININT1", "BININT2", "LONG1", "LONG4"}
_STRINGS_AND_FLOATS = {"BINFLOAT", "BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8", "SHORT_BINBYTES", "BINBYTES",
                       "BINBYTES8"}
_REFUSED_OPCODES = {
    "PERSID": "persistent ids", "BINPERSID": "persistent ids",
    "INST": "INST, which creates an object of a named class", "OBJ": "OBJ, which creates an object of a class",
    "NEWOBJ": "NEWOBJ, which calls a class's __new__", "NEWOBJ_EX": "NEWOBJ_EX, which calls a class's __new__",
    "EXT1": "the extension registry (EXT1)", "EXT2": "the extension registry (EXT2)",
    "EXT4": "the extension registry (EXT4)",
    "NEXT_BUFFER": "out-of-band buffers", "READONLY_BUFFER": "out-of-band buffers",
}


def _is(value, *allowed):
    """value is one of `allowed`, compared only with values of the same type (never an array's ==)."""
    return any(type(value) is type(a) and value == a for a in allowed)


def _refuse(source, what):
    raise UnsafePickleError(f"{source}: refused to load this pickle: {what}. nnlib reads only numeric numpy arrays "
                            "in a dict from pickles, and nothing in the file was run. If you trust the file, "
                            "convert it yourself to .npz (np.savez); otherwise delete it.")


class _Reader:
    def __init__(self, source):
        self.source = source
        self.stack = []
        self.marks = []
        self.memo = {}
        self.depth = {}  # id(tuple) -> nesting depth, for the tuples built here (kept alive by self.keep)
        self.keep = []

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
        depth = 1 + max((self.depth.get(id(item), 0) for item in items), default=0)
        if depth > MAX_DEPTH:
            self.refuse(f"it nests tuples more than {MAX_DEPTH} deep")
        result = tuple(items)
        self.depth[id(result)] = depth
        self.keep.append(result)
        return result

    def add_to_list(self, target, items):
        if not isinstance(target, list):
            self.refuse(f"it appends to a {type(target).__name__}, not a list")
        if len(target) + len(items) > MAX_STACK:
            self.refuse(f"it builds a list of more than {MAX_STACK:,} items")
        for item in items:
            if isinstance(item, _CONTAINERS):
                self.refuse(f"it puts a {type(item).__name__} inside a list")
        target.extend(items)

    def add_to_dict(self, target, items):
        if not isinstance(target, dict):
            self.refuse(f"it sets items on a {type(target).__name__}, not a dict")
        if len(items) % 2:
            raise ValueError("odd number of items for SETITEMS")
        if len(target) + len(items) // 2 > MAX_STACK:
            self.refuse(f"it builds a dict of more than {MAX_STACK:,} entries")
        for key, value in zip(items[::2], items[1::2]):
            if not isinstance(key, str):
                self.refuse(f"it uses {_short.repr(key)} (a {type(key).__name__}) as a parameter name; "
                            "names must be strings")
            if key in target:
                self.refuse(f"it sets the parameter {_short.repr(key)} twice")
            if isinstance(value, _CONTAINERS):
                raise ValueError(f"{self.source}: parameter {_short.repr(key)} is a {type(value).__name__}, "
                                 "not a numpy array")
            target[key] = value

    # -- the calls numpy's pickles make ------------------------------------------------------------

    def reduce(self, func, args):
        if not isinstance(func, _Global):
            self.refuse(f"it calls a {type(func).__name__} object")
        if not isinstance(args, tuple):
            self.refuse(f"it calls {func} with arguments that are not a tuple")
        role = func.role
        if role == "reconstruct":
            if (len(args) != 3 or not isinstance(args[0], _Global) or args[0].role != "ndarray"
                    or not (type(args[1]) is tuple and len(args[1]) == 1 and _is(args[1][0], 0))
                    or not _is(args[2], b"b", "b")):
                self.refuse(f"it calls {func} with {_short.repr(args)}, not as numpy's pickles do "
                            "(ndarray, (0,), b'b')")
            return _PendingArray()
        if role == "dtype":
            if len(args) != 3 or not isinstance(args[0], str) or not all(_is(a, 0, 1, False, True)
                                                                          for a in args[1:]):
                self.refuse(f"it calls numpy.dtype with {_short.repr(args)}")
            if args[0] not in NUMERIC_CODES:
                self.refuse(f"it asks for an array of dtype {_short.repr(args[0])}; only plain numeric dtypes "
                            f"({', '.join(sorted(NUMERIC_CODES))}) are weights (no object, string or structured "
                            "dtypes)")
            return _DtypeSpec(args[0])
        if role == "encode":
            if len(args) != 2 or not isinstance(args[0], str) or not _is(args[1], "latin1", "latin-1"):
                self.refuse(f"it calls _codecs.encode with {_short.repr(args)}; protocol-2 pickles only call "
                            "it as encode(text, 'latin1')")
            return args[0].encode("latin1")
        if role == "bytes":
            if args:
                self.refuse(f"it calls bytes with {_short.repr(args)}; protocol-2 pickles only call bytes()")
            return b""
        if role == "dict":
            if args:
                self.refuse(f"it calls collections.OrderedDict with {_short.repr(args)}")
            return {}
        if role == "frombuffer":
            if len(args) not in (4, 5):
                self.refuse(f"it calls {func} with {len(args)} arguments")
            buf, spec, shape, order = args[:4]
            axis_order = args[4] if len(args) == 5 else None
            if not _is(order, "C", "F", "K") or (order == "K") != (axis_order is not None):
                self.refuse(f"it calls {func} with the memory order {_short.repr(order)} "
                            f"and axis order {_short.repr(axis_order)}")
            return self.build_array(buf, spec, shape, order == "F", axis_order, str(func))
        if role == "scalar":
            if len(args) != 2:
                self.refuse(f"it calls {func} with {len(args)} arguments")
            array = self.build_array(args[1], args[0], (), False, None, str(func))
            return array[()]
        if role == "ndarray":
            self.refuse("it calls numpy.ndarray(...) directly, which makes an array over memory that no data in "
                        "the file fills (uninitialised or foreign bytes); numpy's own pickles never do this")
        self.refuse(f"it calls {func}")

    def build(self, target, state):
        if isinstance(target, _DtypeSpec):
            if target.order is not None:
                self.refuse("it sets the state of one dtype twice")
            ok = (isinstance(state, tuple) and len(state) in (8, 9) and _is(state[0], 3 if len(state) == 8 else 4)
                  and _is(state[1], "<", ">", "|", "=") and all(item is None for item in state[2:5])
                  and all(_is(item, number) for item, number in zip(state[5:8], (-1, -1, 0)))
                  and (len(state) == 8 or state[8] is None))
            if not ok:
                self.refuse(f"it gives the dtype {target.code!r} the state {_short.repr(state)}; a plain numeric "
                            "dtype has no fields, sub-arrays, sizes, flags or metadata")
            target.order = state[1]
            return
        if isinstance(target, _PendingArray):
            if target.array is not None:
                self.refuse("it sets the data of one array twice")
            if not isinstance(state, tuple) or len(state) not in (4, 5) or (len(state) == 5 and not _is(state[0], 1)):
                self.refuse(f"it gives an array the state {_short.repr(state)}, not numpy's "
                            "(1, shape, dtype, is_fortran, raw bytes)")
            shape, spec, fortran, raw = state[-4:]
            if not _is(fortran, 0, 1, False, True):
                self.refuse(f"it gives an array the Fortran flag {_short.repr(fortran)}")
            target.array = self.build_array(raw, spec, shape, bool(fortran), None, "an array's state")
            return
        self.refuse(f"it sets the state (BUILD) of {_short.repr(target)}, which is not an array or a dtype")

    def build_array(self, raw, spec, shape, fortran, axis_order, where):
        """np.frombuffer(raw, dtype).reshape(shape).copy(), once every part has been checked."""
        if not isinstance(spec, _DtypeSpec):
            self.refuse(f"{where} names {_short.repr(spec)} as the dtype")
        if not isinstance(raw, (bytes, bytearray)):
            self.refuse(f"{where} gives {_short.repr(raw)} (a {type(raw).__name__}) as the array's data, "
                        "not raw bytes")
        if (not isinstance(shape, tuple) or len(shape) > MAX_NDIM
                or any(type(n) is not int or n < 0 for n in shape)):
            self.refuse(f"{where} gives the shape {_short.repr(shape)}; a shape is a tuple of at most "
                        f"{MAX_NDIM} whole numbers >= 0")
        dtype = spec.dtype()
        needed = math.prod(shape) * dtype.itemsize
        if needed != len(raw):
            self.refuse(f"{where} declares shape {_short.repr(shape)} of {dtype} ({needed:,} bytes) but carries "
                        f"{len(raw):,} bytes of data")
        if axis_order is not None and (not isinstance(axis_order, tuple)
                                       or sorted(axis_order) != list(range(len(shape)))):
            self.refuse(f"{where} gives the axis order {_short.repr(axis_order)} for {len(shape)} axes")
        if dtype.kind == "b":  # any byte other than 0 and 1 is not a valid numpy bool: read it as uint8 != 0
            array = np.frombuffer(bytes(raw), dtype=np.uint8) != 0
        else:
            array = np.frombuffer(bytes(raw), dtype=dtype)
        if axis_order is not None:
            array = array.reshape(shape).transpose(axis_order)
        else:
            array = array.reshape(shape, order="F" if fortran else "C")
        return array.astype(dtype.newbyteorder("="), order="K", copy=True)

    # -- the result ----------------------------------------------------------------------------------

    def finish(self, result):
        if isinstance(result, list):
            raise ValueError(f"{self.source}: expected a dict of arrays such as {{'W1': ..., 'b1': ...}}, "
                             "got list")
        if not isinstance(result, dict):
            self.refuse(f"its result is {_short.repr(result)}, not a dict of arrays")
        params = {}
        for key, value in result.items():
            if isinstance(value, _PendingArray):
                if value.array is None:
                    self.refuse(f"the array {_short.repr(key)} never receives its data (an array without data "
                                "would hold whatever was in memory)")
                value = value.array
            elif isinstance(value, (_Global, _DtypeSpec)):
                self.refuse(f"the parameter {_short.repr(key)} is {value!r}, not an array")
            params[key] = value
        return params


def read_params_pickle(data, source="pickle"):
    """The dict {name: ndarray} that `data` (the bytes of a pickle, protocol 2-5) describes.

    Raises UnsafePickleError for anything but numeric arrays in a dict (naming what it found),
    ValueError for a damaged pickle.
    """
    if len(data) > MAX_PICKLE_BYTES:
        _refuse(source, f"the file has {len(data):,} bytes, more than the limit of {MAX_PICKLE_BYTES:,} "
                        "(nnlib.safe_pickle.MAX_PICKLE_BYTES)")
    reader = _Reader(source)
    stack, memo = reader.stack, reader.memo
    for opcode, arg, _ in pickletools.genops(data):
        name = opcode.name
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
        elif name in _STRINGS_AND_FLOATS:
            reader.push(arg)
        elif name == "BYTEARRAY8":
            reader.push(bytearray(arg))
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
            memo[arg] = stack[-1]
        elif name == "MEMOIZE":
            if not stack:
                raise ValueError("memo put with an empty stack")
            memo[len(memo)] = stack[-1]
        elif name in ("BINGET", "LONG_BINGET"):
            if arg not in memo:
                raise ValueError(f"memo key {arg} is missing")
            reader.push(memo[arg])
        elif name in ("GLOBAL", "STACK_GLOBAL"):
            if name == "GLOBAL":
                module, _, attr = arg.partition(" ")
            else:
                attr, module = reader.pop(), reader.pop()
                if not isinstance(module, str) or not isinstance(attr, str):
                    reader.refuse(f"it looks up a global by the non-string name {_short.repr((module, attr))}")
            role = _KNOWN.get((module, attr))
            if role is None:
                reader.refuse(f"it asks for {short_repr(f'{module}.{attr}')[1:-1]}, which is not a numpy array "
                              "part, and unpickling it could run code")
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
        else:
            reader.refuse(f"it uses the opcode {name}, which numpy's pickles of arrays do not")
    raise ValueError("the pickle ends without STOP")
