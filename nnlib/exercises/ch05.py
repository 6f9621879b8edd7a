"""Checkers for chapter 5, "From neurons to matrices".

    check_layer_shapes(W_shape, b_shape, output_shape)   shapes through one Dense layer
    check_layer_by_hand(a, z)                             one small layer computed by hand
    check_softmax_shift(y)                                softmax of large numbers without nan

Each returns a `Feedback` (one friendly line; truthy when right).
"""

import numpy as np

from . import not_yet, right

# Exercise 1: a batch of 4 samples with 3 features each goes into Dense(5).
SHAPES_BATCH, SHAPES_INPUTS, SHAPES_UNITS = 4, 3, 5

# Exercise 2: one layer of three ReLU neurons with two inputs, small enough to do on paper.
HAND_X = np.array([2.0, -1.0])
HAND_W = np.array([[0.5, -1.0, 1.5],
                   [1.0, 2.0, 0.5]])
HAND_B = np.array([0.5, 1.0, -1.0])

# Exercise 3: logits so large that exp overflows in float64.
SOFTMAX_A = np.array([800.0, 801.0, 799.0])


def _as_shape(value, what):
    try:
        return tuple(int(n) for n in value)
    except TypeError:
        raise TypeError(f"{what} is a shape, a tuple of whole numbers such as (3, 5); got {value!r}") from None


def check_layer_shapes(W_shape, b_shape, output_shape):
    """A batch x of shape (4, 3) goes through Dense(5): give the shapes of W, b and the output x W + b."""
    W_shape = _as_shape(W_shape, "W_shape")
    b_shape = _as_shape(b_shape, "b_shape")
    output_shape = _as_shape(output_shape, "output_shape")
    W_true = (SHAPES_INPUTS, SHAPES_UNITS)
    b_true = (SHAPES_UNITS,)
    out_true = (SHAPES_BATCH, SHAPES_UNITS)
    if W_shape != W_true:
        if W_shape == W_true[::-1]:
            return not_yet(f"W {W_shape} is PyTorch's (units, inputs) layout; here x W needs one row per input.")
        return not_yet(f"W has one row per input and one column per neuron; {W_shape} is not that.")
    if b_shape != b_true:
        return not_yet(f"b holds one number per neuron, shared by every sample of the batch; {b_shape} is not that.")
    if output_shape != out_true:
        return not_yet(f"(4, 3) @ (3, 5): the inner 3s meet and vanish; the output is not {output_shape}.")
    return right(f"W {W_true}, b {b_true}, output {out_true}: one row per sample, one column per neuron.")


def check_layer_by_hand(a, z):
    """x = [2, -1], W = HAND_W, b = HAND_B, ReLU: give the weighted sums a = x W + b and the outputs z = relu(a)."""
    a = np.asarray(a, dtype=float)
    z = np.asarray(z, dtype=float)
    a_true = HAND_X @ HAND_W + HAND_B
    z_true = np.maximum(a_true, 0)
    if a.shape != a_true.shape:
        return not_yet(f"there are three neurons, so a has 3 numbers; you gave shape {a.shape}.")
    if not np.allclose(a, a_true, atol=1e-9):
        wrong = int(np.argmax(~np.isclose(a, a_true, atol=1e-9)))
        return not_yet(f"a[{wrong}] is off: it is x[0] * W[0, {wrong}] + x[1] * W[1, {wrong}] + b[{wrong}].")
    if z.shape != z_true.shape or not np.allclose(z, z_true, atol=1e-9):
        return not_yet("the sums are right; now ReLU: keep a positive a, replace a negative one by 0.")
    return right(f"a = {a_true.tolist()} and z = relu(a) = {z_true.tolist()}.")


def check_softmax_shift(y):
    """Give softmax([800, 801, 799]) as 3 finite numbers (no nan): subtract the maximum first."""
    y = np.asarray(y, dtype=float)
    shifted = SOFTMAX_A - SOFTMAX_A.max()
    y_true = np.exp(shifted) / np.exp(shifted).sum()
    if y.shape != y_true.shape:
        return not_yet(f"softmax returns one number per input, 3 here; you gave shape {y.shape}.")
    if not np.all(np.isfinite(y)):
        return not_yet("there is nan or inf in your answer: exp(800) overflows; subtract the maximum first.")
    if not np.allclose(y, y_true, rtol=1e-9, atol=1e-12):
        if np.isclose(y.sum(), 1.0):
            return not_yet("your numbers sum to 1 but are not the softmax; compute exp(a - max(a)) / its sum.")
        return not_yet(f"softmax outputs sum to 1; yours sum to {y.sum():.6g}.")
    return right(f"softmax = {np.round(y_true, 8).tolist()}, the same as for [1, 2, 0]: only differences matter.")
