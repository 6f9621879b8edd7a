"""Dense: the fully connected layer, z = h(x W + b).

The layout is Keras' (and "Deep Learning from Scratch"'s): the kernel W has shape
(inputs, units), one row per input and one column per neuron, so a batch of row vectors
x (batch, inputs) is multiplied from the left. PyTorch's `nn.Linear.weight` stores the
transpose, (units, inputs), and computes x W^T + b; loading its weights here needs `.T`.
"""

import warnings

import numpy as np

from . import activations


def matmul(x, w):
    """x @ w, warning "invalid value" only when the product made a NaN its factors did not hold.

    numpy reads the CPU's floating-point flags after the BLAS call, and OpenBLAS can leave the
    "invalid" flag set on finite factors and a finite product (numpy issues #13173, #24067): a
    warning with nothing wrong, depending on the CPU and the memory the kernel touched. Only a
    real invalid operation (inf - inf, 0 * inf) is reported, as numpy would: as the caller's
    np.errstate asks (ignored, raised, or by default a warning).
    """
    asked = np.geterr()["invalid"]
    with np.errstate(invalid="ignore"):
        product = x @ w
    if asked != "ignore" and np.isnan(product).any() and not (np.isnan(x).any() or np.isnan(w).any()):
        if asked == "raise":
            raise FloatingPointError("invalid value encountered in matmul")
        warnings.warn("invalid value encountered in matmul", RuntimeWarning, stacklevel=2)
    return product


def _check_numeric(name, x):
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {x.dtype}")
    return x


def _check_finite(name, w):
    if not np.all(np.isfinite(w)):
        bad = np.argwhere(~np.isfinite(w))
        raise ValueError(
            f"{name} holds {len(bad)} NaN or infinite value(s), the first at index "
            f"{tuple(int(i) for i in bad[0])}: weights must be finite numbers"
        )


def cast_finite(name, x, dtype, what="values"):
    """x as an array of `dtype`, checked for NaN and inf AFTER the cast, with the cause named.

    A finite float64 1e5 becomes inf in float16 (largest 65504), and 1e300 becomes inf in float32:
    checking before the cast would let that inf through, and checking after it alone would blame
    the values for what the dtype did. So: NaN or inf already in x is reported as such; values the
    dtype cannot hold are reported with the dtype's largest finite value.
    """
    x = np.asarray(x)
    with np.errstate(over="ignore", invalid="ignore"):
        cast = x.astype(dtype, copy=False)
    if cast.dtype.kind != "f" or np.all(np.isfinite(cast)):
        return cast
    if x.dtype.kind == "f" and not np.all(np.isfinite(x)):
        bad = np.argwhere(~np.isfinite(x))
        raise ValueError(
            f"{name} holds {len(bad)} NaN or infinite value(s), the first at index "
            f"{tuple(int(i) for i in bad[0])}: {what} must be finite numbers"
        )
    bad = np.argwhere(~np.isfinite(cast))
    first = tuple(int(i) for i in bad[0])
    limit = np.finfo(cast.dtype).max
    wider = "float64" if cast.dtype.itemsize >= 4 else "float32 or float64"
    raise ValueError(
        f"{name} holds {len(bad)} value(s) too large for {cast.dtype} (the first, {x[first].item()!r} at index "
        f"{first}; {cast.dtype} holds at most {limit:.6g}): they would become infinite. Use a wider "
        f"dtype ({wider}), or scale the {what} down"
    )


class Dense:
    """A layer of `units` neurons, each connected to every input.

    Dense(units, activation=None, input_dim=None, use_bias=True, seed=None, name=None, input_shape=None)

    forward:  a = x W + b   (the weighted sums, "logits" before the activation)
              z = h(a)      (the layer's output)
    shapes:   x (batch, inputs), W (inputs, units), b (units,), a and z (batch, units)

    The weights are created on the first call (when the number of inputs is known) or at
    once when `input_dim` is given: W from Glorot-uniform, U(-r, r) with
    r = sqrt(6 / (inputs + units)), drawn from `seed`; b starts at zero. Keras'
    `input_shape=(inputs,)` is the same as `input_dim=inputs`. Fresh weights are float32, like
    Keras'; weights given to `set_weights` keep their float dtype (Keras casts them to float32;
    nnlib deliberately does not), so a hand-written float64 example computes in float64 and
    matches the book to every digit. `layer.kernel` and `layer.bias` are Keras' names for W and b.
    """

    def __init__(self, units, activation=None, input_dim=None, use_bias=True, seed=None, name=None, input_shape=None):
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units < 1:
            raise ValueError(f"Dense(units=...) must be a positive whole number of neurons, got {units!r}")
        if input_shape is not None:
            if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 1:
                raise ValueError(
                    f"Dense(input_shape=...) takes one number per sample, (inputs,), such as (2,); got {input_shape!r}"
                )
            if input_dim is not None and input_dim != input_shape[0]:
                raise ValueError(f"Dense got input_dim={input_dim} and input_shape={tuple(input_shape)}: give one")
            input_dim = input_shape[0]
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.seed = seed
        self.name = name or "dense"
        self.W = None
        self.b = None
        # True while the weights are random ones this layer drew for itself without a seed:
        # a Sequential with a seed may then redraw them, so that its seed decides every layer.
        self.reseedable = False
        if input_dim is not None:
            self.build(input_dim)
            self.reseedable = seed is None

    # -- weights ---------------------------------------------------------------------------
    @property
    def built(self):
        return self.W is not None

    @property
    def input_dim(self):
        return None if self.W is None else self.W.shape[0]

    @property
    def kernel(self):
        """Keras' name for W (inputs, units): the array itself, not a copy."""
        return self.W

    @property
    def bias(self):
        """Keras' name for b (units,), or None with use_bias=False."""
        return self.b

    def build(self, input_dim, rng=None):
        """Create W (input_dim, units) by Glorot-uniform and b (units,) = 0, as float32."""
        if isinstance(input_dim, bool) or not isinstance(input_dim, (int, np.integer)) or input_dim < 1:
            raise ValueError(f"layer {self.name!r}: input_dim must be a positive whole number, got {input_dim!r}")
        rng = rng if rng is not None else np.random.default_rng(self.seed)
        limit = np.sqrt(6.0 / (input_dim + self.units))
        self.W = rng.uniform(-limit, limit, size=(int(input_dim), self.units)).astype(np.float32)
        self.b = np.zeros(self.units, dtype=np.float32) if self.use_bias else None
        return self

    def get_weights(self):
        """[kernel (inputs, units), bias (units,)], or [kernel] without a bias; copies."""
        if not self.built:
            return []
        return [self.W.copy()] + ([self.b.copy()] if self.use_bias else [])

    def set_weights(self, weights):
        """Load [kernel (inputs, units), bias (units,)] (Keras' order and layout).

        A kernel of shape (units, inputs), PyTorch's layout, is refused with a hint to pass
        its transpose `.T`. NaN or infinite entries are refused (Keras accepts them): such a
        weight makes every output it touches NaN, silently, which is never what a reader meant.
        """
        expected = 2 if self.use_bias else 1
        weights = list(weights)
        if len(weights) != expected:
            what = "[kernel, bias]" if self.use_bias else "[kernel] (this layer has use_bias=False)"
            raise ValueError(f"layer {self.name!r} takes {expected} arrays {what}, got {len(weights)}")
        W = _check_numeric(f"layer {self.name!r} kernel", weights[0])
        if W.ndim != 2:
            raise ValueError(f"layer {self.name!r}: the kernel must be 2-D (inputs, units), got shape {W.shape}")
        inputs = self.input_dim if self.built else W.shape[0]
        if W.shape != (inputs, self.units):
            hint = ""
            if W.shape == (self.units, inputs):
                hint = " This looks like PyTorch's (units, inputs) layout (nn.Linear.weight); pass its transpose W.T."
            raise ValueError(
                f"layer {self.name!r}: kernel has shape {W.shape}, needs "
                f"(inputs, units) = ({inputs}, {self.units}).{hint}"
            )
        dtype = W.dtype if W.dtype.kind == "f" else np.float32
        # Checked after the cast: the bias is cast to the kernel's dtype (a float64 1e5 is inf in float16).
        new_W = np.ascontiguousarray(cast_finite(f"layer {self.name!r} kernel", W, dtype, "weights")).copy()
        new_b = None
        if self.use_bias:
            b = _check_numeric(f"layer {self.name!r} bias", weights[1])
            if b.shape != (self.units,):
                raise ValueError(f"layer {self.name!r}: bias has shape {b.shape}, needs (units,) = ({self.units},)")
            new_b = np.array(cast_finite(f"layer {self.name!r} bias", b, dtype, "weights"))
        # Assign only after every check passed, so a bad call leaves the layer as it was.
        self.W, self.b = new_W, new_b
        self.reseedable = False

    def count_params(self):
        """Number of numbers in W and b: inputs * units (+ units)."""
        if not self.built:
            return 0
        return self.W.size + (self.b.size if self.use_bias else 0)

    # -- forward pass ----------------------------------------------------------------------
    def _prepare(self, x):
        """x as a 2-D array (batch, inputs) in the layer's dtype, building the layer if needed."""
        x = _check_numeric(f"input of layer {self.name!r}", x)
        if x.ndim != 2:
            raise ValueError(f"layer {self.name!r} takes a batch of shape (batch, inputs), got shape {x.shape}")
        if not self.built:
            self.build(x.shape[1])
        if x.shape[1] != self.input_dim:
            raise ValueError(
                f"layer {self.name!r} expects {self.input_dim} inputs per sample, "
                f"got shape {x.shape} (needs (batch, {self.input_dim}))"
            )
        with np.errstate(over="ignore"):
            cast = x.astype(self.W.dtype, copy=False)
        if cast is not x and not np.all(np.isfinite(cast)):
            # Only what the cast itself made infinite is refused (1e300 in a float32 layer); NaN or inf the
            # caller passed flows through as it would in numpy.
            overflowed = np.isfinite(x) & ~np.isfinite(cast)
            if overflowed.any():
                cast_finite(f"input of layer {self.name!r}", np.where(overflowed, x, 0), self.W.dtype, "inputs")
        return cast

    def weighted_sum(self, x):
        """a = x W + b.   x: (batch, inputs) -> (batch, units)."""
        x = self._prepare(x)
        a = matmul(x, self.W)
        if self.use_bias:
            a += self.b
        return a

    def __call__(self, x):
        """z = h(x W + b).   x: (batch, inputs) or (inputs,) -> (batch, units) or (units,)."""
        x = np.asarray(x)
        if x.ndim == 1:
            return self(x[None, :])[0]
        return self.activation(self.weighted_sum(x))

    def backward(self, x, a, z, dz):
        """Back-propagate through this layer.

        Given the input x (batch, inputs), the sums a and outputs z (batch, units) of the
        forward pass and dL/dz (batch, units), returns (dL/dx, dL/dW, dL/db):
            da = dz * h'(a)      dW = x^T da      db = sum of da over the batch      dx = da W^T
        """
        return self.backward_from_sums(x, self.activation.backward(a, z, dz))

    def backward_from_sums(self, x, da, need_dx=True):
        """The same from dL/da (batch, units), the gradient at the weighted sums.

        Training starts here for the last layer, whose dL/da the loss gives directly, and asks
        the first layer for no dL/dx (nothing below it needs one). Returns (dL/dx or None,
        dL/dW (inputs, units), dL/db (units,) or None without a bias).
        """
        dW = matmul(x.T, da)
        db = da.sum(axis=0) if self.use_bias else None
        dx = matmul(da, self.W.T) if need_dx else None
        return dx, dW, db

    def __repr__(self):
        inputs = self.input_dim if self.built else "?"
        return f"Dense({inputs} -> {self.units}, {self.activation.name})"
