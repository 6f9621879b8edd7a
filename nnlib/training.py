"""Training: mini-batch gradient descent with back-propagation through a stack of Dense layers.

One step on a mini-batch (x, t):
    forward    model.trace(x) keeps every layer's input x, sums a = x W + b and outputs z = h(a)
    loss       L = loss(z_last, t), the mean over the batch
    backward   from the last layer to the first:
                   da = dL/da   (the loss gives it for the last layer; h'(a) dL/dz for the others)
                   dW = x^T da,  db = sum of da over the batch,  dL/dx = da W^T  (the next dz)
               (the rule of Dense.backward, layer by layer)
    update     optimizer.update([W1, b1, ...], [dW1, db1, ...])

`fit` repeats this over shuffled mini-batches for some epochs, as Keras' `model.fit` does,
and returns the `History` of loss and accuracy per epoch. `Sequential.compile/fit` call it.
"""

import math

import numpy as np

from . import losses as losses_module
from . import optimizers as optimizers_module
from .layers import _check_numeric


class History(dict):
    """Loss and accuracy per epoch: history["loss"][i] is the training loss of epoch i + 1.

    Keys: "loss", "accuracy", and with a validation split also "val_loss", "val_accuracy".
    The training values are averages over the epoch's mini-batches, each taken while the
    weights were still changing (as Keras reports them); the validation values are computed
    after the epoch. `history.history` is the dict itself, as in Keras.
    """

    @property
    def history(self):
        return self

    @property
    def epochs(self):
        return len(self.get("loss", []))

    def __repr__(self):
        if not self.epochs:
            return "History(no epochs)"
        last = ", ".join(f"{key}={values[-1]:.4f}" for key, values in self.items())
        return f"History({self.epochs} epochs; last: {last})"


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"fit: {name} must be a positive whole number, got {value!r}")
    return int(value)


def _parameters(model):
    """[W1, b1, W2, b2, ...], the arrays themselves (the optimiser changes them in place)."""
    return [p for layer in model.layers for p in ((layer.W, layer.b) if layer.use_bias else (layer.W,))]


def gradients(model, x, t, loss):
    """The loss on the batch (x, t) and its gradients [dW1, db1, dW2, db2, ...] by back-propagation.

    x: (batch, inputs); t: targets already in the loss's form (see `Loss.prepare`).
    Returns (loss value, output z (batch, outputs), list of gradients in `get_weights` order).
    """
    steps = model.trace(x)
    last = steps[-1]
    value = loss.value(last.z, t)
    # The last layer's dL/da comes from the loss (exact shortcuts for softmax + cross-entropy
    # and sigmoid + binary cross-entropy); below it, dL/da = h'(a) dL/dz. The first layer's
    # dL/dx is asked of no one: nothing needs it, and it would cost a quarter of an MNIST step.
    da = loss.output_gradient(last.a, last.z, t, last.layer.activation)
    layer_grads = []
    for i in range(len(steps) - 1, -1, -1):
        layer, x_in, a, z = steps[i]
        if i < len(steps) - 1:
            da = layer.activation.backward(a, z, dz)
        dz, dW, db = layer.backward_from_sums(x_in, da, need_dx=i > 0)  # dz: dL/dz of the layer below
        layer_grads.append((dW, db) if layer.use_bias else (dW,))
    grads = [g for pair in reversed(layer_grads) for g in pair]
    return value, last.z, grads


def evaluate(model, x, t, loss):
    """(mean loss, accuracy) of the model on inputs x and targets t (labels in any form the loss accepts)."""
    loss = losses_module.get(loss)
    x = _check_inputs(model, x, "evaluate")
    t = _check_targets(model, x, t, loss, "evaluate")
    z = model.predict(x)
    return loss.value(z, t), loss.accuracy(z, t)


def _check_inputs(model, x, where="fit"):
    if not getattr(model, "layers", None):
        raise ValueError(f"{where}: the model has no layers; build it as Sequential([Dense(...), ...])")
    x = _check_numeric(f"{where}: x", x)
    if x.ndim != 2:
        raise ValueError(f"{where}: x must be a 2-D array (samples, inputs), got shape {x.shape}")
    if x.shape[0] == 0:
        raise ValueError(f"{where}: x has 0 samples; there is nothing to learn from")
    if not model.built:
        model.build(x.shape[1])
    if x.shape[1] != model.layers[0].input_dim:
        raise ValueError(f"{where}: the first layer takes {model.layers[0].input_dim} inputs per sample, "
                         f"x has shape {x.shape} (needs (samples, {model.layers[0].input_dim}))")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{where}: x contains NaN or infinity")
    return x.astype(model.layers[0].W.dtype, copy=False)


def _check_targets(model, x, t, loss, where="fit"):
    t = np.asarray(t)
    if t.ndim == 0 or t.shape[0] != x.shape[0]:
        raise ValueError(f"{where}: x has {x.shape[0]} samples but t has shape {t.shape}; "
                         "give one target per sample")
    return loss.prepare(t, model.layers[-1].units).astype(x.dtype)


def fit(model, x, t, loss, optimizer, epochs=1, batch_size=32, validation_split=0.0, shuffle=True,
        seed=None, verbose=True):
    """Train `model` on inputs x (samples, inputs) and targets t; returns a `History`.

    loss, optimizer: objects or Keras names ("hinge", "adam"); see nnlib.losses, nnlib.optimizers.
    epochs: passes over the training data.  batch_size: samples per gradient step (the last
        batch of an epoch may be smaller).
    validation_split: the fraction of samples held out to measure val_loss and val_accuracy;
        as in Keras they are the LAST samples of x and t, taken before any shuffling.
    shuffle, seed: the training samples are visited in a fresh random order each epoch,
        drawn from np.random.default_rng(seed), so the same seed gives the same history.
    verbose: show a progress bar (tqdm) over the epochs.
    """
    loss = losses_module.get(loss)
    optimizer = optimizers_module.get(optimizer)
    x = _check_inputs(model, x)
    t = _check_targets(model, x, t, loss)
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float)) \
            or not 0 <= validation_split < 1:
        raise ValueError(f"fit: validation_split must be a fraction in [0, 1), got {validation_split!r}")

    n = x.shape[0]
    split_at = math.floor(n * (1 - validation_split)) if validation_split else n
    if validation_split and (split_at == 0 or split_at == n):
        raise ValueError(f"fit: validation_split={validation_split} of {n} samples leaves "
                         f"{split_at} for training and {n - split_at} for validation; both need at least one")
    x_train, t_train = x[:split_at], t[:split_at]
    x_val, t_val = x[split_at:], t[split_at:]

    rng = np.random.default_rng(seed)
    params = _parameters(model)
    history = History(loss=[], accuracy=[])
    if validation_split:
        history.update(val_loss=[], val_accuracy=[])

    from tqdm.auto import tqdm

    bar = tqdm(range(epochs), desc="training", unit="epoch", disable=not verbose)
    for _ in bar:
        order = rng.permutation(split_at) if shuffle else np.arange(split_at)
        loss_sum = correct = 0.0
        for start in range(0, split_at, batch_size):
            rows = order[start:start + batch_size]
            xb, tb = x_train[rows], t_train[rows]
            value, z, grads = gradients(model, xb, tb, loss)
            optimizer.update(params, grads)
            loss_sum += value * len(rows)
            correct += loss.accuracy(z, tb) * len(rows)
        history["loss"].append(loss_sum / split_at)
        history["accuracy"].append(correct / split_at)
        if validation_split:
            z_val = model.predict(x_val)
            history["val_loss"].append(loss.value(z_val, t_val))
            history["val_accuracy"].append(loss.accuracy(z_val, t_val))
        bar.set_postfix({key: round(values[-1], 4) for key, values in history.items()})
    bar.close()
    return history
