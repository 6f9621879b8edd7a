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
and returns the `History` of the loss and the metrics per epoch. It stops with a
FloatingPointError naming the epoch, the batch and the learning rate as soon as the loss or a
weight is NaN or infinite (Keras has the callback TerminateOnNaN for this).
`Sequential.compile/fit/evaluate` call it.
"""

import math
import numbers

import numpy as np

from . import losses as losses_module
from . import optimizers as optimizers_module
from .layers import _check_numeric, cast_finite


class History(dict):
    """Loss and metrics per epoch: history["loss"][i] is the training loss of epoch i + 1.

    Keys: "loss" and each metric ("accuracy" by default), and with validation data also
    "val_loss", "val_accuracy", ... The training values are averages over the epoch's
    mini-batches, each taken while the weights were still changing (as Keras reports them);
    the validation values are computed after the epoch. As in Keras, `history.history` is the
    dict itself, `history.epoch` the list of epoch indices [0, 1, ...] and `history.params`
    {"verbose": ..., "epochs": ..., "steps": mini-batches per epoch}.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.epoch = []
        self.params = {}

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


def metric_functions(metrics, loss):
    """{history key: f(z, t) -> float} for the metric names given to compile or fit.

    "accuracy" (or "acc") is judged by the loss's own rule (`Loss.accuracy`); any loss name
    ("mae", "mse", "binary_crossentropy", ...) is that loss's value, computed on the targets in
    the form the training loss prepared them. The keys are the names as given, as in Keras.
    """
    if metrics is None:
        return {}
    if isinstance(metrics, str):
        metrics = [metrics]
    functions = {}
    for name in metrics:
        if isinstance(name, str) and name.strip().lower() in ("accuracy", "acc"):
            functions[name] = loss.accuracy
        elif isinstance(name, str):
            try:
                functions[name] = losses_module.get(name).value
            except ValueError:
                raise ValueError(
                    f"unknown metric {name!r}: use 'accuracy' or a loss name such as 'mae' or 'mse'"
                ) from None
        else:
            raise TypeError(f"metrics are named by strings such as 'accuracy' or 'mae', got {name!r}")
    return functions


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
    dz = None  # dL/dz of the layer above: set once the loop has passed the last layer
    for i in range(len(steps) - 1, -1, -1):
        layer, x_in, a, z = steps[i]
        if i < len(steps) - 1:
            da = layer.activation.backward(a, z, dz)
        dz, dW, db = layer.backward_from_sums(x_in, da, need_dx=i > 0)  # dz: dL/dz of the layer below
        layer_grads.append((dW, db) if layer.use_bias else (dW,))
    grads = [g for pair in reversed(layer_grads) for g in pair]
    return value, last.z, grads


def measure(model, x, t, loss, metrics=("accuracy",)):
    """{"loss": mean loss, metric: value, ...} of the model on inputs x and targets t.

    t: labels in any form the loss accepts; metrics as for `fit`. `Sequential.evaluate` returns
    these in Keras' form.
    """
    loss = losses_module.get(loss)
    metric_fns = metric_functions(metrics, loss)
    x = _check_inputs(model, x, "evaluate")
    t = _check_targets(model, x, t, loss, "evaluate")
    x, t = _build_and_cast(model, x, t, where="evaluate")
    z = model.predict(x)
    return {"loss": loss.value(z, t), **{key: f(z, t) for key, f in metric_fns.items()}}


def evaluate(model, x, t, loss):
    """(mean loss, accuracy) of the model on inputs x and targets t (labels in any form the loss accepts)."""
    results = measure(model, x, t, loss, metrics=("accuracy",))
    return results["loss"], results["accuracy"]


def _check_inputs(model, x, where="fit"):
    """x checked against the model without building it (a failed call leaves an unbuilt model unbuilt)."""
    if not getattr(model, "layers", None):
        raise ValueError(f"{where}: the model has no layers; build it as Sequential([Dense(...), ...])")
    x = _check_numeric(f"{where}: x", x)
    if x.ndim != 2:
        raise ValueError(f"{where}: x must be a 2-D array (samples, inputs), got shape {x.shape}")
    if x.shape[0] == 0:
        raise ValueError(f"{where}: x has 0 samples; there is nothing to learn from")
    inputs = model.layers[0].input_dim
    if inputs is not None and x.shape[1] != inputs:
        raise ValueError(
            f"{where}: the first layer takes {inputs} inputs per sample, "
            f"x has shape {x.shape} (needs (samples, {inputs}))"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{where}: x contains NaN or infinity")
    return x


def _check_targets(model, x, t, loss, where="fit"):
    t = np.asarray(t)
    if t.ndim == 0 or t.shape[0] != x.shape[0]:
        raise ValueError(f"{where}: x has {x.shape[0]} samples but t has shape {t.shape}; give one target per sample")
    return loss.prepare(t, model.layers[-1].units)


def _build_and_cast(model, *arrays, where="fit"):
    """Each array in the model's dtype, checked for values that dtype cannot hold; then build the model.

    The check follows the cast (a float64 1e300 is inf in float32) and precedes the build, so a
    refused call leaves an unbuilt model unbuilt. Arrays come as x, t, x_val, t_val.
    """
    dtype = model.layers[0].W.dtype if model.built else np.dtype(np.float32)  # Dense.build makes float32
    names = ("x", "t (the targets)", "validation x", "validation t (the targets)")
    cast = [cast_finite(f"{where}: {name}", a, dtype, "inputs and targets") for name, a in zip(names, arrays)]
    if not model.built:
        model.build(arrays[0].shape[1])
    return cast[0] if len(cast) == 1 else cast


def _check_validation_data(model, validation_data, loss):
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError("fit: validation_data must be a pair (x_val, t_val); sample weights are not supported")
    x_val = _check_inputs(model, validation_data[0], "fit: validation_data")
    return x_val, _check_targets(model, x_val, validation_data[1], loss, "fit: validation_data")


def _verbosity(verbose):
    if verbose == "auto" or verbose is True:
        return 1
    if verbose is False or (isinstance(verbose, int) and verbose in (0, 1, 2)):
        return int(verbose)
    raise ValueError(f"fit: verbose must be True/False, 0, 1, 2 or 'auto', got {verbose!r}")


def _diverged(what, epoch, epochs, batch, steps, optimizer):
    rate = getattr(optimizer, "learning_rate", None)
    return FloatingPointError(
        f"fit stopped: {what} at epoch {epoch} of {epochs}, batch {batch} of {steps} "
        f"(learning rate {rate:g}). Training diverged; try a smaller learning rate, or inputs "
        "scaled to about [0, 1]."
    )


def fit(
    model,
    x,
    t,
    loss,
    optimizer,
    epochs=1,
    batch_size=32,
    validation_split=0.0,
    validation_data=None,
    shuffle=True,
    seed=None,
    verbose=True,
    metrics=("accuracy",),
):
    """Train `model` on inputs x (samples, inputs) and targets t; returns a `History`.

    loss, optimizer: objects or Keras names ("hinge", "adam"); see nnlib.losses, nnlib.optimizers.
    epochs: passes over the training data.  batch_size: samples per gradient step (the last
        batch of an epoch may be smaller); None means 32, as in Keras.
    validation_split: the fraction of samples held out to measure val_loss and val_accuracy;
        as in Keras they are the LAST samples of x and t, taken before any shuffling.
    validation_data: a pair (x_val, t_val) to measure them on instead (it overrides
        validation_split, as in Keras).
    shuffle, seed: the training samples are visited in a fresh random order each epoch,
        drawn from np.random.default_rng(seed), so the same seed gives the same history.
    verbose: show a progress bar (tqdm) over the epochs (True/1/2/"auto"), or not (False/0).
    metrics: names recorded besides the loss, as compile(metrics=...): "accuracy", "mae", ...
        (`metric_functions`); [] or None records the loss alone.

    Every argument is checked before anything changes: a fit that fails on bad input leaves an
    unbuilt model unbuilt. A NaN or infinite loss or weight stops training with a
    FloatingPointError naming the epoch, the batch and the learning rate; the weights are then
    those of the failing step.
    """
    loss = losses_module.get(loss)
    optimizer = optimizers_module.get(optimizer)
    metric_fns = metric_functions(metrics, loss)
    x = _check_inputs(model, x)
    t = _check_targets(model, x, t, loss)
    epochs = _positive_int("epochs", epochs)
    batch_size = 32 if batch_size is None else _positive_int("batch_size", batch_size)
    verbose = _verbosity(verbose)
    if (
        isinstance(validation_split, (bool, np.bool_))
        or not isinstance(validation_split, numbers.Real)
        or not 0 <= validation_split < 1
    ):
        raise ValueError(f"fit: validation_split must be a fraction in [0, 1), got {validation_split!r}")

    n = x.shape[0]
    if validation_data is not None:
        split_at = n
        x_val, t_val = _check_validation_data(model, validation_data, loss)
    else:
        split_at = math.floor(n * (1 - validation_split)) if validation_split else n
        if validation_split and (split_at == 0 or split_at == n):
            raise ValueError(
                f"fit: validation_split={validation_split} of {n} samples leaves "
                f"{split_at} for training and {n - split_at} for validation; both need at least one"
            )
        x_val, t_val = x[split_at:], t[split_at:]
    validate = len(x_val) > 0
    x, t, x_val, t_val = _build_and_cast(model, x, t, x_val, t_val)
    x_train, t_train = x[:split_at], t[:split_at]

    rng = np.random.default_rng(seed)
    params = _parameters(model)
    keys = ["loss", *metric_fns]
    history = History({key: [] for key in keys})
    if validate:
        history.update({f"val_{key}": [] for key in keys})
    steps = math.ceil(split_at / batch_size)
    history.params = {"verbose": verbose, "epochs": epochs, "steps": steps}

    from tqdm.auto import tqdm

    bar = tqdm(range(epochs), desc="training", unit="epoch", disable=not verbose)
    for epoch in bar:
        order = rng.permutation(split_at) if shuffle else np.arange(split_at)
        sums = dict.fromkeys(keys, 0.0)
        # A diverging run overflows somewhere before its loss or weights turn inf or NaN: the
        # checks below report that once, clearly, instead of numpy's warnings along the way.
        with np.errstate(over="ignore", invalid="ignore"):
            for batch, start in enumerate(range(0, split_at, batch_size), start=1):
                rows = order[start : start + batch_size]
                xb, tb = x_train[rows], t_train[rows]
                value, z, grads = gradients(model, xb, tb, loss)
                if not math.isfinite(value):
                    raise _diverged(f"the loss is {value}", epoch + 1, epochs, batch, steps, optimizer)
                optimizer.update(params, grads)
                if not all(np.isfinite(p).all() for p in params):
                    raise _diverged(
                        "a weight became NaN or infinite (the model now holds it)",
                        epoch + 1,
                        epochs,
                        batch,
                        steps,
                        optimizer,
                    )
                sums["loss"] += value * len(rows)
                for key, f in metric_fns.items():
                    sums[key] += f(z, tb) * len(rows)
        for key in keys:
            history[key].append(sums[key] / split_at)
        if validate:
            z_val = model.predict(x_val)
            history["val_loss"].append(loss.value(z_val, t_val))
            for key, f in metric_fns.items():
                history[f"val_{key}"].append(f(z_val, t_val))
        history.epoch.append(epoch)
        bar.set_postfix({key: round(values[-1], 4) for key, values in history.items()})
    bar.close()
    return history
