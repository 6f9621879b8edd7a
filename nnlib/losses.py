"""Loss functions L(z, t): how far the network's output z is from the target t.

Each loss is a small class with
    value(z, t)      the mean loss over the batch (a Python float)
    gradient(z, t)   dL/dz, the gradient of that mean with respect to the output z, (batch, outputs)
    accuracy(z, t)   the fraction of samples classified right, by the rule that fits the loss
    prepare(t, n)    the targets t checked and brought into the form the loss needs (batch, n)

Shapes: z (batch, outputs), the network's output after its last activation; t as `prepare`
returns it. The batch mean follows Keras ("sum over batch size"): per sample a loss, then the
mean over the samples.

Two losses meet their natural output activation in a simplification that
`output_gradient(a, z, t, activation)` uses: softmax followed by cross-entropy, and sigmoid
followed by binary cross-entropy, both have dL/da = (z - t) / batch. It is exact and cannot
overflow, where dL/dz = -t / z alone would divide by a probability that may round to 0.

The cross-entropies take Keras' `from_logits=True`: the output z is then the raw sums a of a
linear last layer, and the loss applies the sigmoid or softmax itself, in a form that cannot
overflow (log-sum-exp), as Keras recommends for numerical stability.

Accuracy never counts a sample whose output holds NaN as right: a diverged network scores 0.

Look a loss up by name with `get("hinge")`; Keras' names work ("mse", "mae", "binary_crossentropy", ...).
"""

import numpy as np

from .activations import sigmoid, softmax
from .names import lookup

# Keras' fuzz factor: probabilities are clipped to [EPSILON, 1 - EPSILON] before a log.
EPSILON = 1e-7


def _as_output(z, loss_name):
    z = np.asarray(z)
    if z.dtype.kind not in "biuf":
        raise TypeError(f"{loss_name}: the network output must hold numbers, got dtype {z.dtype}")
    if z.ndim == 1:
        z = z[:, None]
    if z.ndim != 2:
        raise ValueError(f"{loss_name}: the network output must have shape (batch, outputs), got {z.shape}")
    if z.shape[0] == 0:
        raise ValueError(f"{loss_name}: the mean loss of 0 samples is undefined; give at least one sample")
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def _check_pair(z, t, loss_name):
    z = _as_output(z, loss_name)
    t = np.asarray(t, dtype=z.dtype)
    if t.ndim == 1:
        t = t[:, None]
    if t.shape != z.shape:
        raise ValueError(
            f"{loss_name}: targets have shape {t.shape} but the network output has shape "
            f"{z.shape}; they must match (use loss.prepare(t, outputs) to convert labels)"
        )
    return z, t


def _check_numeric_targets(t, loss_name):
    t = np.asarray(t)
    if t.dtype.kind not in "biuf":
        raise TypeError(f"{loss_name}: targets must be numbers, got an array of dtype {t.dtype}")
    if t.ndim == 0:
        raise ValueError(f"{loss_name}: targets must be an array with one entry per sample, got a scalar")
    if not np.all(np.isfinite(t)):
        raise ValueError(f"{loss_name}: targets contain NaN or infinity")
    return t


def _column_targets(t, outputs, loss_name):
    """t (batch,) or (batch, outputs) -> (batch, outputs) floats."""
    t = _check_numeric_targets(t, loss_name)
    if t.ndim == 1:
        t = t[:, None]
    if t.ndim != 2 or t.shape[1] != outputs:
        raise ValueError(
            f"{loss_name}: targets have shape {t.shape}, the network has {outputs} output(s); "
            f"give targets of shape (batch, {outputs})" + (" or (batch,)" if outputs == 1 else "")
        )
    return t.astype(np.float64)


def _fraction_right(right, z):
    """The fraction of samples judged right; a sample whose output holds NaN is never right.

    right: (batch, outputs) or (batch,) booleans. Without this, NaN > 0.5 is False and would
    count as a correct "0", and argmax of a NaN row would pick a class.
    """
    finite = ~np.isnan(z)
    right = right & (finite if right.ndim == 2 else finite.all(axis=1))
    return float(np.mean(right))


def _binary_accuracy(z, t, threshold):
    return _fraction_right((z > threshold) == (t > threshold), z)


def _argmax_accuracy(z, t):
    return _fraction_right(np.argmax(z, axis=1) == np.argmax(t, axis=1), z)


class Loss:
    """The shared part of every loss: lookup name, repr, and the gradient with respect to the sums a."""

    name = "loss"

    def __call__(self, z, t):
        return self.value(z, t)

    def prepare(self, t, outputs):
        return _column_targets(t, outputs, self.name)

    def output_gradient(self, a, z, t, activation):
        """dL/da for the last layer, whose sums a became the output z = h(a).

        The general rule is the chain rule dL/da = h'(a) dL/dz; losses with a simpler exact
        form for their natural activation override this.
        """
        return activation.backward(a, z, self.gradient(z, t))

    def __repr__(self):
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """L = mean over samples of mean_k (z_k - t_k)^2;  dL/dz = 2 (z - t) / (batch * outputs).

    accuracy: for one output, z > 0.5 against t > 0.5 (Keras' binary accuracy); for several,
    the argmax of z against the argmax of t.
    """

    name = "mean_squared_error"

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return float(np.mean((z - t) ** 2))

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return 2 * (z - t) / z.size

    def accuracy(self, z, t):
        z, t = _check_pair(z, t, self.name)
        if z.shape[1] == 1:
            return _binary_accuracy(z, t, 0.5)
        return _argmax_accuracy(z, t)


class MeanAbsoluteError(MeanSquaredError):
    """L = mean over samples of mean_k |z_k - t_k| (Keras' "mae");  dL/dz = sign(z - t) / (batch * outputs).

    The gradient at z = t is 0, as Keras' (sign(0) = 0). accuracy: as for the mean squared error.
    """

    name = "mean_absolute_error"

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return float(np.mean(np.abs(z - t)))

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return np.sign(z - t) / z.size


def _log_sigmoid_terms(a, t):
    """-[t log sigmoid(a) + (1 - t) log(1 - sigmoid(a))] = max(a, 0) - a t + log(1 + exp(-|a|)), never overflowing."""
    return np.maximum(a, 0) - a * t + np.log1p(np.exp(-np.abs(a)))


class BinaryCrossentropy(Loss):
    """L = mean of -[t log p + (1 - t) log(1 - p)], p the output clipped to [1e-7, 1 - 1e-7].

    t is 0 or 1 (or a probability in between). The clip (Keras does the same) keeps log(0)
    out; inside it dL/dp = (p - t) / (p (1 - p)) / (batch * outputs), outside it 0.
    After a sigmoid the chain rule simplifies to dL/da = (p - t) / (batch * outputs).
    accuracy: p > 0.5 against t > 0.5.

    from_logits=True (Keras' argument): z is the sums a of a linear last layer and
    L = mean of max(a, 0) - a t + log(1 + exp(-|a|)) (the same loss with p = sigmoid(a), unclipped),
    dL/da = (sigmoid(a) - t) / (batch * outputs); accuracy a > 0 against t > 0.5. (Keras'
    "accuracy" compares the logits with 0.5 there; nnlib deliberately uses 0, i.e. p = 0.5.)
    """

    name = "binary_crossentropy"

    def __init__(self, from_logits=False):
        self.from_logits = bool(from_logits)

    def prepare(self, t, outputs):
        t = _column_targets(t, outputs, self.name)
        if np.any((t < 0) | (t > 1)):
            bad = np.unique(t[(t < 0) | (t > 1)])[:5]
            raise ValueError(
                f"{self.name}: targets must be 0 or 1 (or probabilities in [0, 1]), got {bad}. "
                "For labels -1/+1 use the 'hinge' loss, or convert with (t + 1) / 2."
            )
        return t

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        if self.from_logits:
            return float(np.mean(_log_sigmoid_terms(z.astype(np.float64), t)))
        # in float64: in float32 the clip bound 1 - 1e-7 itself rounds to 1 - 1.19e-7
        p = np.clip(z.astype(np.float64), EPSILON, 1 - EPSILON)
        return float(-np.mean(t * np.log(p) + (1 - t) * np.log1p(-p)))

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        if self.from_logits:
            return (sigmoid(z) - t) / z.size
        # float16 at least as float32: in float16 the bound 1 - 1e-7 rounds to 1, and p (1 - p) to 0
        z = z.astype(np.promote_types(z.dtype, np.float32), copy=False)
        t = t.astype(z.dtype, copy=False)
        p = np.clip(z, EPSILON, 1 - EPSILON)
        inside = z == p
        return inside * (p - t) / (p * (1 - p)) / z.size

    def output_gradient(self, a, z, t, activation):
        if activation.name == "sigmoid" and not self.from_logits:
            z, t = _check_pair(z, t, self.name)
            return (z - t) / z.size
        return super().output_gradient(a, z, t, activation)

    def accuracy(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return _binary_accuracy(z, t, 0.0) if self.from_logits else _binary_accuracy(z, t, 0.5)

    def __repr__(self):
        return f"BinaryCrossentropy(from_logits={self.from_logits})"


class Hinge(Loss):
    """L = mean of max(0, 1 - t z), labels t = -1 or +1 (the seed's task, Keras' "hinge").

    dL/dz = -t / (batch * outputs) where t z < 1, else 0: only samples that are wrong, or
    right by less than the margin 1, push the weights.
    Labels 0/1 are accepted and turned into -1/+1 (as Keras does); any other value is refused.
    accuracy: the sign of z against the sign of t (an output of exactly 0 counts as -1). Keras'
    "accuracy" would compare z > 0.5 with t > 0.5, which on -1/+1 labels measures something
    else (0.552 where the signs agree on 0.876 in chapter 4): nnlib deliberately counts signs.
    """

    name = "hinge"

    def prepare(self, t, outputs):
        t = _column_targets(t, outputs, self.name)
        values = set(np.unique(t).tolist())
        if values <= {0.0, 1.0}:
            return 2 * t - 1
        if not values <= {-1.0, 1.0}:
            raise ValueError(
                f"{self.name}: labels must be -1 or +1 (or 0/1, which are converted to -1/+1), "
                f"got values {sorted(values)[:5]}"
            )
        return t

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return float(np.mean(np.maximum(0, 1 - t * z)))

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return np.where(t * z < 1, -t, 0).astype(z.dtype) / z.size

    def accuracy(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return _fraction_right((z > 0) == (t > 0), z)


class CategoricalCrossentropy(Loss):
    """L = mean over samples of -sum_k t_k log p_k, p = z / sum_k z_k clipped to [1e-7, 1 - 1e-7].

    As Keras, each output row is first divided by its sum, so outputs that are not probabilities
    summing to 1 (a sigmoid last layer) are read as proportions; a softmax row already sums to 1.
    Targets are one-hot rows (batch, classes) or integer class labels (batch,), which
    `prepare` turns into one-hot rows (an nnlib extra for learners: Keras wants
    "sparse_categorical_crossentropy" for labels); with sparse=True only integer labels are
    accepted, as in Keras.
    After a softmax, dL/da = (p - t) / batch ("Deep Learning from Scratch"'s SoftmaxWithLoss);
    for any other output activation, with s = sum_k z_k and g = t / p inside the clip (else 0),
    dL/dz_j = (sum_k g_k z_k / s - g_j) / s / batch.
    accuracy: argmax of p against the true class.

    from_logits=True (Keras' argument): z is the sums a of a linear last layer, p = softmax(a),
    L = mean of log sum_k exp(a_k) - sum_k t_k a_k (no clip), dL/da = (softmax(a) - t) / batch.
    """

    def __init__(self, sparse=False, from_logits=False):
        self.sparse = bool(sparse)
        self.from_logits = bool(from_logits)
        self.name = "sparse_categorical_crossentropy" if self.sparse else "categorical_crossentropy"

    def prepare(self, t, outputs):
        t = _check_numeric_targets(t, self.name)
        if t.ndim == 2 and t.shape[1] == 1 and outputs > 1:
            t = t[:, 0]
        if t.ndim == 1:
            if not np.all(t == np.round(t)) or np.any(t < 0) or np.any(t >= outputs):
                raise ValueError(
                    f"{self.name}: integer class labels must be whole numbers 0..{outputs - 1} "
                    f"(the network has {outputs} outputs), got values {np.unique(t)[:5]}"
                )
            return np.eye(outputs)[t.astype(np.intp)]
        if self.sparse:
            raise ValueError(
                f"{self.name}: takes integer class labels of shape (batch,), got shape {t.shape}; "
                "for one-hot targets use 'categorical_crossentropy'"
            )
        if t.ndim != 2 or t.shape[1] != outputs:
            raise ValueError(
                f"{self.name}: targets have shape {t.shape}; give one-hot rows (batch, {outputs}) "
                "or integer class labels (batch,)"
            )
        if np.any(t < 0) or not np.allclose(t.sum(axis=1), 1):
            raise ValueError(f"{self.name}: each target row must be one-hot (or probabilities summing to 1)")
        return t.astype(np.float64)

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        z = z.astype(np.float64)
        if self.from_logits:
            m = np.max(z, axis=1, keepdims=True)
            log_p = z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
            return float(-np.sum(t * log_p) / z.shape[0])
        p = np.clip(z / np.sum(z, axis=1, keepdims=True), EPSILON, 1 - EPSILON)
        return float(-np.sum(t * np.log(p)) / z.shape[0])

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        if self.from_logits:
            return (softmax(z) * np.sum(t, axis=1, keepdims=True) - t) / z.shape[0]
        s = np.sum(z, axis=1, keepdims=True)
        r = z / s
        p = np.clip(r, EPSILON, 1 - EPSILON)
        g = t * (r == p) / p
        return (np.sum(g * r, axis=1, keepdims=True) - g) / s / z.shape[0]

    def output_gradient(self, a, z, t, activation):
        if activation.name == "softmax" and not self.from_logits:
            z, t = _check_pair(z, t, self.name)
            return (z - t) / z.shape[0]
        return super().output_gradient(a, z, t, activation)

    def accuracy(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return _argmax_accuracy(z, t)

    def __repr__(self):
        return f"CategoricalCrossentropy(sparse={self.sparse}, from_logits={self.from_logits})"


def mean_squared_error(z, t):
    """Mean squared error of output z against target t (see `MeanSquaredError`)."""
    return MeanSquaredError().value(z, t)


def mean_absolute_error(z, t):
    """Mean absolute error of output z against target t (see `MeanAbsoluteError`)."""
    return MeanAbsoluteError().value(z, t)


def binary_crossentropy(z, t, from_logits=False):
    """Binary cross-entropy of probabilities z against 0/1 targets t (see `BinaryCrossentropy`)."""
    return BinaryCrossentropy(from_logits).value(z, t)


def hinge(z, t):
    """Hinge loss of output z against labels t = -1/+1 (see `Hinge`)."""
    return Hinge().value(z, t)


def categorical_crossentropy(z, t, from_logits=False):
    """Cross-entropy of probabilities z (batch, classes) against one-hot targets t (see `CategoricalCrossentropy`)."""
    return CategoricalCrossentropy(from_logits=from_logits).value(z, t)


_LOSSES = {
    "mean_squared_error": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError,
    "binary_crossentropy": BinaryCrossentropy,
    "hinge": Hinge,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": lambda: CategoricalCrossentropy(sparse=True),
}
_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "bce": "binary_crossentropy",
    "cross_entropy_error": "categorical_crossentropy",
    "cce": "categorical_crossentropy",
}

NAMES = tuple(_LOSSES)


def get(name):
    """A fresh loss object for `name` (Keras' names, case-insensitive); a Loss is returned as it is.

    >>> get("mse")
    MeanSquaredError()
    """
    if isinstance(name, Loss):
        return name
    return lookup("loss", name, _LOSSES, _ALIASES, example="hinge")()
