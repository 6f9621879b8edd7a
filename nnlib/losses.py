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

Look a loss up by name with `get("hinge")`; Keras' names work ("mse", "binary_crossentropy", ...).
"""

import numpy as np

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
        raise ValueError(f"{loss_name}: targets have shape {t.shape} but the network output has shape "
                         f"{z.shape}; they must match (use loss.prepare(t, outputs) to convert labels)")
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
        raise ValueError(f"{loss_name}: targets have shape {t.shape}, the network has {outputs} output(s); "
                         f"give targets of shape (batch, {outputs})" + (" or (batch,)" if outputs == 1 else ""))
    return t.astype(np.float64)


def _binary_accuracy(z, t, threshold):
    return float(np.mean((z > threshold) == (t > threshold)))


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
        return float(np.mean(np.argmax(z, axis=1) == np.argmax(t, axis=1)))


class BinaryCrossentropy(Loss):
    """L = mean of -[t log p + (1 - t) log(1 - p)], p the output clipped to [1e-7, 1 - 1e-7].

    t is 0 or 1 (or a probability in between). The clip (Keras does the same) keeps log(0)
    out; inside it dL/dp = (p - t) / (p (1 - p)) / (batch * outputs), outside it 0.
    After a sigmoid the chain rule simplifies to dL/da = (p - t) / (batch * outputs).
    accuracy: p > 0.5 against t > 0.5.
    """

    name = "binary_crossentropy"

    def prepare(self, t, outputs):
        t = _column_targets(t, outputs, self.name)
        if np.any((t < 0) | (t > 1)):
            bad = np.unique(t[(t < 0) | (t > 1)])[:5]
            raise ValueError(f"{self.name}: targets must be 0 or 1 (or probabilities in [0, 1]), got {bad}. "
                             "For labels -1/+1 use the 'hinge' loss, or convert with (t + 1) / 2.")
        return t

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        # in float64: in float32 the clip bound 1 - 1e-7 itself rounds to 1 - 1.19e-7
        p = np.clip(z.astype(np.float64), EPSILON, 1 - EPSILON)
        return float(-np.mean(t * np.log(p) + (1 - t) * np.log1p(-p)))

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        p = np.clip(z, EPSILON, 1 - EPSILON)
        inside = (z == p)
        return inside * (p - t) / (p * (1 - p)) / z.size

    def output_gradient(self, a, z, t, activation):
        if activation.name == "sigmoid":
            z, t = _check_pair(z, t, self.name)
            return (z - t) / z.size
        return super().output_gradient(a, z, t, activation)

    def accuracy(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return _binary_accuracy(z, t, 0.5)


class Hinge(Loss):
    """L = mean of max(0, 1 - t z), labels t = -1 or +1 (the seed's task, Keras' "hinge").

    dL/dz = -t / (batch * outputs) where t z < 1, else 0: only samples that are wrong, or
    right by less than the margin 1, push the weights.
    Labels 0/1 are accepted and turned into -1/+1 (as Keras does); any other value is refused.
    accuracy: the sign of z against the sign of t (an output of exactly 0 counts as -1).
    """

    name = "hinge"

    def prepare(self, t, outputs):
        t = _column_targets(t, outputs, self.name)
        values = set(np.unique(t).tolist())
        if values <= {0.0, 1.0}:
            return 2 * t - 1
        if not values <= {-1.0, 1.0}:
            raise ValueError(f"{self.name}: labels must be -1 or +1 (or 0/1, which are converted to -1/+1), "
                             f"got values {sorted(values)[:5]}")
        return t

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return float(np.mean(np.maximum(0, 1 - t * z)))

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return np.where(t * z < 1, -t, 0).astype(z.dtype) / z.size

    def accuracy(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return float(np.mean((z > 0) == (t > 0)))


class CategoricalCrossentropy(Loss):
    """L = mean over samples of -sum_k t_k log p_k, p the output (softmax probabilities).

    Targets are one-hot rows (batch, classes) or integer class labels (batch,), which
    `prepare` turns into one-hot rows; with sparse=True ("sparse_categorical_crossentropy")
    only integer labels are accepted, as in Keras.
    p is clipped to [1e-7, 1] before the log. After a softmax, dL/da = (p - t) / batch
    ("Deep Learning from Scratch"'s SoftmaxWithLoss); for any other output activation
    dL/dp = -t / p / batch.
    accuracy: argmax of p against the true class.
    """

    def __init__(self, sparse=False):
        self.sparse = bool(sparse)
        self.name = "sparse_categorical_crossentropy" if self.sparse else "categorical_crossentropy"

    def prepare(self, t, outputs):
        t = _check_numeric_targets(t, self.name)
        if t.ndim == 2 and t.shape[1] == 1 and outputs > 1:
            t = t[:, 0]
        if t.ndim == 1:
            if not np.all(t == np.round(t)) or np.any(t < 0) or np.any(t >= outputs):
                raise ValueError(f"{self.name}: integer class labels must be whole numbers 0..{outputs - 1} "
                                 f"(the network has {outputs} outputs), got values {np.unique(t)[:5]}")
            return np.eye(outputs)[t.astype(np.intp)]
        if self.sparse:
            raise ValueError(f"{self.name}: takes integer class labels of shape (batch,), got shape {t.shape}; "
                             "for one-hot targets use 'categorical_crossentropy'")
        if t.ndim != 2 or t.shape[1] != outputs:
            raise ValueError(f"{self.name}: targets have shape {t.shape}; give one-hot rows (batch, {outputs}) "
                             "or integer class labels (batch,)")
        if np.any(t < 0) or not np.allclose(t.sum(axis=1), 1):
            raise ValueError(f"{self.name}: each target row must be one-hot (or probabilities summing to 1)")
        return t.astype(np.float64)

    def value(self, z, t):
        z, t = _check_pair(z, t, self.name)
        p = np.clip(z.astype(np.float64), EPSILON, 1)
        return float(-np.sum(t * np.log(p)) / z.shape[0])

    def gradient(self, z, t):
        z, t = _check_pair(z, t, self.name)
        p = np.clip(z, EPSILON, 1)
        return -t * (z == p) / p / z.shape[0]

    def output_gradient(self, a, z, t, activation):
        if activation.name == "softmax":
            z, t = _check_pair(z, t, self.name)
            return (z - t) / z.shape[0]
        return super().output_gradient(a, z, t, activation)

    def accuracy(self, z, t):
        z, t = _check_pair(z, t, self.name)
        return float(np.mean(np.argmax(z, axis=1) == np.argmax(t, axis=1)))

    def __repr__(self):
        return f"CategoricalCrossentropy(sparse={self.sparse})"


def mean_squared_error(z, t):
    """Mean squared error of output z against target t (see `MeanSquaredError`)."""
    return MeanSquaredError().value(z, t)


def binary_crossentropy(z, t):
    """Binary cross-entropy of probabilities z against 0/1 targets t (see `BinaryCrossentropy`)."""
    return BinaryCrossentropy().value(z, t)


def hinge(z, t):
    """Hinge loss of output z against labels t = -1/+1 (see `Hinge`)."""
    return Hinge().value(z, t)


def categorical_crossentropy(z, t):
    """Cross-entropy of probabilities z (batch, classes) against one-hot targets t (see `CategoricalCrossentropy`)."""
    return CategoricalCrossentropy().value(z, t)


_LOSSES = {
    "mean_squared_error": MeanSquaredError,
    "binary_crossentropy": BinaryCrossentropy,
    "hinge": Hinge,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": lambda: CategoricalCrossentropy(sparse=True),
}
_ALIASES = {"mse": "mean_squared_error", "bce": "binary_crossentropy",
            "cross_entropy_error": "categorical_crossentropy", "cce": "categorical_crossentropy"}

NAMES = tuple(_LOSSES)


def get(name):
    """A fresh loss object for `name` (Keras' names, case-insensitive); a Loss is returned as it is.

    >>> get("mse")
    MeanSquaredError()
    """
    if isinstance(name, Loss):
        return name
    return lookup("loss", name, _LOSSES, _ALIASES, example="hinge")()
