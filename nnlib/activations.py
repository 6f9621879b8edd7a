"""Activation functions h(a): what a neuron does with its weighted sum a.

The course's own (step, sigmoid, tanh, relu, mish, identity, softmax) and the rest of Keras'
names a reader meets (softplus, elu, selu, gelu, swish/silu, leaky_relu, hard_sigmoid,
exponential), each defined as Keras 3 defines it, with Keras' default parameters.

Every function here takes a scalar, a 1-D or a 2-D array and returns an array of the same
shape. float32 stays float32 (the dtype real frameworks compute in); integers become
float64. All of them are stable at extreme inputs (no overflow warning, no NaN at +-1e4, the
right limits at +-inf), except `exponential`, which is inf above a = 88.7 in float32, as exp is.

Each activation also knows its derivative dh/da, written in terms of the input a and the
output z = h(a), because back-propagation (`nnlib.training`) has both at hand and some
derivatives are cheapest from z (sigmoid' = z (1 - z), tanh' = 1 - z**2).

Look an activation up by name with `get("relu")`; Keras' names work too ("linear").
"""

import functools
import math

import numpy as np

from .names import lookup


def _float_array(x):
    """x as a float array: float32 and float64 are kept, everything else becomes float64."""
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"activations need numbers, got an array of dtype {x.dtype}")
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    return x


def step(x):
    """Step function: 1 where a > 0, else 0 (the perceptron's activation).

    Returned as floats so that it mixes with the other activations; the chapters show the
    integer version `np.array(x > 0, dtype=int)` as well.
    """
    x = _float_array(x)
    return (x > 0).astype(x.dtype)


def sigmoid(x):
    """Logistic sigmoid 1 / (1 + exp(-a)), in (0, 1).

    exp is only ever taken of -|a| <= 0, so it cannot overflow:
    for a >= 0 it is 1 / (1 + e), for a < 0 it is e / (1 + e), with e = exp(-|a|).
    """
    x = _float_array(x)
    e = np.exp(-np.abs(x))
    # The numerator, 1 where a >= 0 and e where a < 0, is max(e, [a >= 0]) because e <= 1:
    # the same numbers as np.where(a >= 0, 1, e), computed branch-free and many times faster
    # on a large batch. The in-place steps avoid two more arrays of the batch's size.
    z = np.maximum(e, x >= 0)
    e += 1
    z /= e
    return z


def tanh(x):
    """Hyperbolic tangent (exp(a) - exp(-a)) / (exp(a) + exp(-a)), in (-1, 1)."""
    return np.tanh(_float_array(x))


def relu(x):
    """Rectified linear unit max(0, a)."""
    x = _float_array(x)
    return np.maximum(x, 0)


def softplus(x):
    """log(1 + exp(a)), a smooth ReLU; computed as max(a, 0) + log1p(exp(-|a|)) so it never overflows."""
    x = _float_array(x)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _times(x, factor):
    """x * factor, with 0 wherever the factor is 0.

    a * f(a) with f(a) -> 0 as a -> -inf (mish, gelu, swish) tends to 0 there, but -inf * 0 is NaN
    in floating point: taking 0 wherever the factor has rounded to 0 gives the limit, no warning.
    """
    return np.multiply(x, factor, out=np.zeros_like(factor), where=factor != 0)


def mish(x):
    """Mish (Misra, 2019): a * tanh(softplus(a)). Smooth, unbounded above, dips slightly below 0."""
    x = _float_array(x)
    return _times(x, np.tanh(softplus(x)))


def elu(x, alpha=1.0):
    """Exponential linear unit (Keras' "elu", alpha=1): a for a > 0, alpha (exp(a) - 1) for a <= 0."""
    x = _float_array(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


# Keras' SELU constants (Klambauer et al., 2017): they keep activations at mean 0, variance 1.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    """Scaled ELU (Keras' "selu"): scale * elu(a, alpha) with scale = 1.0507..., alpha = 1.6733..."""
    return SELU_SCALE * elu(x, SELU_ALPHA)


def _normal_cdf(x):
    """Phi(a) = P(N(0, 1) <= a) = erfc(-a / sqrt(2)) / 2.

    numpy has no erf; math.erfc is accurate to double precision and, one value at a time, fast
    enough for the course's networks. erfc(-a/sqrt 2) rather than 1 + erf(a/sqrt 2): no
    cancellation for very negative a.
    """
    erfc = np.asarray(np.frompyfunc(math.erfc, 1, 1)(-x / np.sqrt(2)), dtype=np.float64)
    return (erfc / 2).astype(x.dtype)


def gelu(x):
    """Gaussian error linear unit (Keras' "gelu", approximate=False, the Keras 3 default).

    gelu(a) = a Phi(a) = a (1 + erf(a / sqrt(2))) / 2, Phi the standard normal distribution
    function: the input weighted by the probability that a standard normal variable is below it.
    """
    x = _float_array(x)
    return _times(x, _normal_cdf(x))


def swish(x):
    """Swish, also called SiLU (Keras' "swish" and "silu"): a * sigmoid(a)."""
    x = _float_array(x)
    return _times(x, sigmoid(x))


def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU (Keras 3's "leaky_relu", negative_slope=0.2): a for a > 0, 0.2 a otherwise."""
    x = _float_array(x)
    return np.where(x > 0, x, negative_slope * x)


def hard_sigmoid(x):
    """Keras 3's "hard_sigmoid": relu6(a + 3) / 6 = 0 below -3, 1 above 3, a / 6 + 1/2 in between.

    (Keras 2 used the slope 0.2, clip(0.2 a + 0.5, 0, 1); Keras 3 follows PyTorch's 1/6.)
    """
    x = _float_array(x)
    return np.clip(x + 3, 0, 6) / 6


def exponential(x):
    """exp(a) (Keras' "exponential"). The one activation that overflows: inf above a = 88.7 in
    float32 (709.8 in float64), as Keras gives; the overflow is the right answer, so no warning."""
    x = _float_array(x)
    with np.errstate(over="ignore"):
        return np.exp(x)


def identity(x):
    """Identity h(a) = a: the output activation for regression ("linear" in Keras)."""
    return _float_array(x).copy()


def _row_max(x):
    """np.max(x, axis=-1, keepdims=True), exactly; for a few classes, as the maximum of the columns.

    numpy's reduction along short rows pays a cost per row, 20x the arithmetic for 10 classes (a
    millisecond of `predict` on 10,000 MNIST images); a handful of elementwise np.maximum over
    whole columns does not. For many classes the plain reduction is the faster one.
    """
    if x.ndim == 2 and 1 <= x.shape[1] <= 32:
        return functools.reduce(np.maximum, x.T)[:, None]
    return np.max(x, axis=-1, keepdims=True)


def softmax(x):
    """Softmax exp(a_k) / sum_i exp(a_i), taken along the last axis (row-wise for a batch).

    x: (classes,) or (batch, classes) -> same shape; each row is positive and sums to 1.
    The row maximum is subtracted first: softmax(a - c) = softmax(a) for any constant c,
    and after it the largest exponent is exp(0) = 1, so nothing can overflow.
    """
    x = _float_array(x)
    if x.ndim == 0:
        raise ValueError("softmax needs at least one value per row, got a scalar")
    m = _row_max(x)
    # Far below the maximum (-3e38 - 3e38 in float32) the difference overflows to -inf, whose
    # exp 0 is right. A +inf entry gives inf - inf = NaN: there an entry equal to its row's
    # maximum gets the exponent 0, so [inf, 0] -> [1, 0].
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = x - m
    if np.isinf(m).any():
        shifted[x == m] = 0
    e = np.exp(shifted, out=shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


# Derivatives dh/da, given the input a and the output z = h(a). Softmax has no elementwise
# derivative; `backward` below handles it with its Jacobian.
def _sigmoid_grad(a, z):
    return z * (1 - z)


def _tanh_grad(a, z):
    return 1 - z * z


def _relu_grad(a, z):
    return (a > 0).astype(z.dtype)


def _mish_grad(a, z):
    # d/da [a tanh(sp(a))] = tanh(sp) + a (1 - tanh(sp)^2) sigmoid(a); -> 1 at +inf, 0 at -inf
    t = np.tanh(softplus(a))
    return t + _times(a, (1 - t * t) * sigmoid(a))


def _softplus_grad(a, z):
    return sigmoid(a)


def _elu_grad(a, z, alpha=1.0):
    return np.where(a > 0, 1, alpha * np.exp(np.minimum(a, 0))).astype(z.dtype)


def _selu_grad(a, z):
    return SELU_SCALE * _elu_grad(a, z, SELU_ALPHA)


def _gelu_grad(a, z):
    # d/da [a Phi(a)] = Phi(a) + a phi(a), phi(a) = exp(-a^2 / 2) / sqrt(2 pi) the normal density.
    # Above |a| = 1.3e154 (float64) a * a overflows to inf, whose exp(-inf) = 0 is the right density: no warning.
    with np.errstate(over="ignore"):
        density = np.exp(-0.5 * a * a) / np.sqrt(2 * np.pi)
    return _normal_cdf(a) + _times(a, density.astype(z.dtype))


def _swish_grad(a, z):
    # d/da [a s(a)] = s + a s (1 - s), s = sigmoid(a)
    s = sigmoid(a)
    return s + _times(a, s * (1 - s))


def _leaky_relu_grad(a, z, negative_slope=0.2):
    return np.where(a > 0, 1, negative_slope).astype(z.dtype)


def _hard_sigmoid_grad(a, z):
    return np.where((a > -3) & (a < 3), 1 / 6, 0).astype(z.dtype)


def _exponential_grad(a, z):
    return z.copy()


def _identity_grad(a, z):
    return np.ones_like(z)


def _step_grad(a, z):
    # The step is flat everywhere it is differentiable: no signal flows back through it.
    return np.zeros_like(z)


class Activation:
    """An activation function h together with its derivative, looked up by name."""

    def __init__(self, name, function, gradient):
        self.name = name
        self.function = function
        self.gradient = gradient

    def __call__(self, a):
        return self.function(a)

    def backward(self, a, z, dz):
        """Gradient of the loss with respect to a, given its gradient dz with respect to z = h(a).

        a, z, dz: (batch, units) -> (batch, units).
        """
        if self.name == "softmax":
            # The Jacobian of softmax is diag(z) - z z^T, so J^T dz = z * (dz - <dz, z>).
            return z * (dz - np.sum(dz * z, axis=-1, keepdims=True))
        return dz * self.gradient(a, z)

    def __repr__(self):
        return f"Activation({self.name!r})"


_ACTIVATIONS = {
    "step": Activation("step", step, _step_grad),
    "sigmoid": Activation("sigmoid", sigmoid, _sigmoid_grad),
    "tanh": Activation("tanh", tanh, _tanh_grad),
    "relu": Activation("relu", relu, _relu_grad),
    "mish": Activation("mish", mish, _mish_grad),
    "identity": Activation("identity", identity, _identity_grad),
    "softmax": Activation("softmax", softmax, None),
    # The rest of Keras' names, with Keras 3's definitions and defaults.
    "softplus": Activation("softplus", softplus, _softplus_grad),
    "elu": Activation("elu", elu, _elu_grad),
    "selu": Activation("selu", selu, _selu_grad),
    "gelu": Activation("gelu", gelu, _gelu_grad),
    "swish": Activation("swish", swish, _swish_grad),
    "leaky_relu": Activation("leaky_relu", leaky_relu, _leaky_relu_grad),
    "hard_sigmoid": Activation("hard_sigmoid", hard_sigmoid, _hard_sigmoid_grad),
    "exponential": Activation("exponential", exponential, _exponential_grad),
}
# Other spellings readers meet in Keras, PyTorch and "Deep Learning from Scratch".
_ALIASES = {
    "linear": "identity",
    "none": "identity",
    "logistic": "sigmoid",
    "step_function": "step",
    "identity_function": "identity",
    "silu": "swish",
    "leakyrelu": "leaky_relu",
}

NAMES = tuple(_ACTIVATIONS)


def get(name):
    """The `Activation` called `name` (case-insensitive; None means identity).

    >>> get("linear")
    Activation('identity')
    """
    if isinstance(name, Activation):
        return name
    if name is None:
        return _ACTIVATIONS["identity"]
    return lookup("activation", name, _ACTIVATIONS, _ALIASES, example="relu")
