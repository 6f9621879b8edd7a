"""Sequential: layers applied one after the other, the output of each the input of the next.

    x = z0 -> Dense 1 -> z1 -> Dense 2 -> z2 -> ... -> y

`predict` runs the forward pass, `trace` runs it and keeps every intermediate value so a
chapter can show the computation step by step, `summary` prints Keras' table of layers
and parameter counts, and `get_weights`/`set_weights` move all parameters at once in
Keras' order [W1, b1, W2, b2, ...].
"""

from typing import NamedTuple

import numpy as np

from .layers import Dense, _check_numeric


class LayerStep(NamedTuple):
    """What one layer did in a forward pass: input x, weighted sums a = x W + b, output z = h(a)."""

    layer: Dense
    x: np.ndarray
    a: np.ndarray
    z: np.ndarray


class Trace(list):
    """The list of `LayerStep`s of one forward pass, first layer first; `trace[-1].z` is the output."""

    @property
    def output(self):
        return self[-1].z

    def __repr__(self):
        return self.format()

    def format(self, decimals=8):
        """The trace as text, numbers to `decimals` places (float32 values beyond about 6 depend on the CPU)."""
        with np.printoptions(precision=decimals, suppress=True, threshold=20, edgeitems=3):
            lines = []
            for i, step in enumerate(self, start=1):
                lines.append(f"layer {i}: {step.layer!r}")
                lines.append(f"  x = {np.array2string(step.x, prefix='  x = ')}")
                lines.append(f"  a = x W + b = {np.array2string(step.a, prefix='  a = x W + b = ')}")
                name = step.layer.activation.name
                lines.append(f"  z = {name}(a) = {np.array2string(step.z, prefix=f'  z = {name}(a) = ')}")
        return "\n".join(lines)


class Sequential:
    """A stack of Dense layers: Sequential([Dense(5, "tanh", input_dim=2), Dense(1, "tanh")]).

    Layers that were not given weights are built on the first call, the first layer from
    the input size and each next one from the units of the one before; `seed` makes their
    Glorot-uniform weights reproducible.
    """

    def __init__(self, layers=(), seed=None, name="sequential"):
        self.layers = []
        self.seed = seed
        self.name = name
        for layer in layers:
            self.add(layer)
        if seed is not None and self.layers and self.layers[0].input_dim is not None:
            self.build()

    def add(self, layer):
        if not isinstance(layer, Dense):
            raise TypeError(f"Sequential holds Dense layers, got {type(layer).__name__}")
        if self.layers and self.layers[-1].built and layer.built and layer.input_dim != self.layers[-1].units:
            raise ValueError(
                f"layer {len(self.layers) + 1} expects {layer.input_dim} inputs but the layer "
                f"before it has {self.layers[-1].units} units"
            )
        if layer.name == "dense":
            layer.name = f"dense_{len(self.layers) + 1}"
        self.layers.append(layer)
        return self

    # -- building --------------------------------------------------------------------------
    @property
    def built(self):
        return bool(self.layers) and all(layer.built for layer in self.layers)

    def build(self, input_dim=None):
        """Create every missing weight; input_dim is needed if the first layer has none.

        With a seed, the network's generator also redraws weights that a layer drew for itself
        without a seed (Dense(..., input_dim=2)), so Sequential(..., seed=0) is reproducible.
        """
        if not self.layers:
            raise ValueError("this Sequential has no layers; add some with Sequential([Dense(...), ...])")
        rng = np.random.default_rng(self.seed)
        inputs = self.layers[0].input_dim or input_dim
        if inputs is None:
            raise ValueError(
                "the first layer does not know its number of inputs: give it input_dim=... "
                "or call the network on data once"
            )
        for layer in self.layers:
            if not layer.built or (layer.reseedable and self.seed is not None):
                layer.build(inputs, rng if layer.seed is None else None)
                layer.reseedable = False
            inputs = layer.units
        return self

    # -- forward pass ----------------------------------------------------------------------
    def _as_batch(self, x):
        x = _check_numeric("network input", x)
        if x.ndim not in (1, 2):
            raise ValueError(f"predict takes one sample (inputs,) or a batch (batch, inputs), got shape {x.shape}")
        if not self.built:
            self.build(x.shape[-1])
        return x

    # `predict` pushes a large batch through the layers in blocks of this many rows (Keras'
    # predict works in batches of 32). A block's sums and outputs (1024 x 100 float32 =
    # 400 KB) stay in the CPU's cache from one layer to the next and numpy reuses the same
    # few buffers for them, where one big batch streams tens of megabytes of fresh arrays
    # through main memory: 10-30% faster on 10,000 MNIST images (benchmarks/bench_forward.py).
    block_rows = 1024

    def predict(self, x, *, verbose="auto"):
        """The network's output.   x: (batch, inputs) -> (batch, outputs), or (inputs,) -> (outputs,).

        One 1-D sample is an nnlib extra for learners (Keras wants a batch, x[None, :]).
        verbose is accepted for Keras' `predict(x, verbose=0)`; nnlib's predict prints nothing.

        Every row is computed independently of the others. Like any BLAS-based library (and
        unlike exact arithmetic), a row's result can differ in the last bit of float32 between
        batch sizes, because the matrix product adds its terms in an order that depends on
        the shapes; the differences are around 1e-7 and never change a printed 4-digit value.
        """
        x = self._as_batch(x)
        if x.ndim == 1:
            return self.predict(x[None, :])[0]
        if len(x) <= self.block_rows:
            return self._forward(x)
        return np.concatenate(
            [self._forward(x[start : start + self.block_rows]) for start in range(0, len(x), self.block_rows)]
        )

    def _forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    __call__ = predict

    def trace(self, x):
        """The forward pass with every intermediate value kept.

        x: (inputs,) or (batch, inputs). Returns a `Trace`, one `LayerStep(layer, x, a, z)` per
        layer; for a single sample the arrays are 1-D, as a reader writes them by hand.
        """
        x = self._as_batch(x)
        single = x.ndim == 1
        z = x[None, :] if single else x
        steps = Trace()
        for layer in self.layers:
            x_in = layer._prepare(z)
            a = layer.weighted_sum(x_in)
            z = layer.activation(a)
            steps.append(LayerStep(layer, x_in, a, z))
        if single:
            steps = Trace(LayerStep(s.layer, s.x[0], s.a[0], s.z[0]) for s in steps)
        return steps

    # -- weights ---------------------------------------------------------------------------
    def get_weights(self):
        """[W1, b1, W2, b2, ...]: every layer's weights in order (copies)."""
        self._build_if_possible()
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights):
        """Load [W1, b1, W2, b2, ...]; nothing changes unless every array fits."""
        weights = list(weights)
        needed = sum(2 if layer.use_bias else 1 for layer in self.layers)
        if len(weights) != needed:
            raise ValueError(
                f"set_weights needs {needed} arrays for {len(self.layers)} layers "
                f"[W1, b1, W2, b2, ...], got {len(weights)}"
            )
        saved = [(layer.W, layer.b) for layer in self.layers]
        try:
            i = 0
            for layer in self.layers:
                n = 2 if layer.use_bias else 1
                layer.set_weights(weights[i : i + n])
                i += n
            for prev, layer in zip(self.layers, self.layers[1:]):
                if layer.input_dim != prev.units:
                    raise ValueError(
                        f"layer {layer.name!r} kernel has {layer.input_dim} rows but the layer "
                        f"before it has {prev.units} units"
                    )
        except Exception:
            for layer, (W, b) in zip(self.layers, saved):
                layer.W, layer.b = W, b
            raise

    def _build_if_possible(self):
        # Once the first layer knows its inputs, every later size follows, as in Keras.
        if not self.built and self.layers and self.layers[0].input_dim is not None:
            self.build()

    def count_params(self):
        """Number of weights and biases in all layers."""
        self._build_if_possible()
        return sum(layer.count_params() for layer in self.layers)

    def summary(self, print_fn=print):
        """Print Keras' table: each layer, its output shape and its number of parameters."""
        self._build_if_possible()
        rows = [
            (f"{layer.name} (Dense, {layer.activation.name})", f"(None, {layer.units})", f"{layer.count_params():,}")
            for layer in self.layers
        ]
        w0 = max([len("Layer (type)")] + [len(r[0]) for r in rows]) + 2
        w1 = max([len("Output Shape")] + [len(r[1]) for r in rows]) + 2
        width = w0 + w1 + 10
        lines = [
            f'Model: "{self.name}"',
            "_" * width,
            f"{'Layer (type)':<{w0}}{'Output Shape':<{w1}}{'Param #':>10}",
            "=" * width,
        ]
        for i, row in enumerate(rows):
            lines.append(f"{row[0]:<{w0}}{row[1]:<{w1}}{row[2]:>10}")
            lines.append("_" * width if i < len(rows) - 1 else "=" * width)
        total = self.count_params()
        lines += [f"Total params: {total:,}", f"Trainable params: {total:,}", "Non-trainable params: 0", "_" * width]
        print_fn("\n".join(lines))

    # -- training (the loop lives in nnlib.training) ---------------------------------------
    def compile(self, optimizer="adam", loss="mse", metrics=("accuracy",)):
        """Choose the optimiser, the loss and the metrics, as in Keras: model.compile("adam", "hinge").

        metrics: what fit and evaluate report besides the loss: "accuracy", or loss names such
        as "mae"; [] or None for the loss alone. Unlike Keras (rmsprop, no loss, no metrics),
        nnlib deliberately defaults to adam, mse and accuracy, so a bare compile() trains.
        """
        from . import losses, optimizers
        from .training import metric_functions

        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)
        metric_functions(metrics, self.loss)  # unknown names fail here, not at fit
        self.metrics = (metrics,) if isinstance(metrics, str) else tuple(metrics or ())
        return self

    def _require_compile(self, what):
        if not hasattr(self, "loss"):
            raise RuntimeError(f"call model.compile(optimizer, loss) before model.{what}(...)")

    def fit(self, x, t, **kwargs):
        """Train on inputs x and targets t; see `nnlib.training.fit` for the options. Returns the history."""
        self._require_compile("fit")
        from .training import fit

        return fit(self, x, t, loss=self.loss, optimizer=self.optimizer, metrics=self.metrics, **kwargs)

    def evaluate(self, x, t, *, batch_size=None, verbose="auto", return_dict=False):
        """The compiled loss on inputs x and targets t, with the compiled metrics, as Keras returns them.

        Without metrics the loss alone (a float); with them [loss, metric, ...] in compile's
        order, or {"loss": ..., name: ...} with return_dict=True. The values are means over all
        samples, which Keras computes in batches of batch_size (32) with the same result;
        batch_size and verbose are accepted for Keras' calls and change nothing here.
        """
        self._require_compile("evaluate")
        from .training import measure

        results = measure(self, x, t, self.loss, self.metrics)
        if return_dict:
            return results
        return results["loss"] if len(results) == 1 else list(results.values())

    def __repr__(self):
        return f"Sequential of [{', '.join(repr(layer) for layer in self.layers)}]"
