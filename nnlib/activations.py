"""Activation functions h(a): what a neuron does with its weighted sum a.

Every function here takes a scalar, a 1-D or a 2-D array and returns an array of the same
shape. float32 stays float32 (the dtype real frameworks compute in); integers become
float64. All of them are stable at extreme inputs: no overflow warning, no NaN at +-1e4.

Each activation also knows its derivative dh/da, written in terms of the input a and the
output z = h(a), because back-propagation (`nnlib.training`) has both at hand and some
derivatives are cheapest from z (sigmoid' = z (1 - z), tanh' = 1 - z**2).

Look an activation up by name with `get("relu")`; Keras' names work too ("linear").
"""

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


def mish(x):
    """Mish (Misra, 2019): a * tanh(softplus(a)). Smooth, unbounded above, dips slightly below 0."""
    x = _float_array(x)
    return x * np.tanh(softplus(x))


def identity(x):
    """Identity h(a) = a: the output activation for regression ("linear" in Keras)."""
    return _float_array(x).copy()


def softmax(x):
    """Softmax exp(a_k) / sum_i exp(a_i), taken along the last axis (row-wise for a batch).

    x: (classes,) or (batch, classes) -> same shape; each row is positive and sums to 1.
    The row maximum is subtracted first: softmax(a - c) = softmax(a) for any constant c,
    and after it the largest exponent is exp(0) = 1, so nothing can overflow.
    """
    x = _float_array(x)
    if x.ndim == 0:
        raise ValueError("softmax needs at least one value per row, got a scalar")
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
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
    # d/da [a tanh(sp(a))] = tanh(sp) + a (1 - tanh(sp)^2) sigmoid(a)
    t = np.tanh(softplus(a))
    return t + a * (1 - t * t) * sigmoid(a)


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
}
# Other spellings readers meet in Keras, PyTorch and "Deep Learning from Scratch".
_ALIASES = {"linear": "identity", "none": "identity", "logistic": "sigmoid",
            "step_function": "step", "identity_function": "identity"}

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
