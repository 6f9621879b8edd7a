"""Optimisers: how a gradient becomes a change of the weights.

An optimiser updates a list of parameter arrays in place, given their gradients in the same
order:  optimizer.update([W1, b1, W2, b2], [dW1, db1, dW2, db2]).  It keeps any state it
needs (velocities, moment estimates) per position in that list, so use one optimiser
object for one network. All follow Keras 3's definitions and default hyper-parameters, so a
reader can compare with `keras.optimizers.SGD`, `RMSprop` and `Adam`.

Look one up by name with `get("adam")`.
"""

import numpy as np

from .names import lookup


def _check_rate(name, value, low=0.0, high=np.inf, low_open=True):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not (low < value if low_open else low <= value) or not value < high or not np.isfinite(value):
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be in {bracket}{low}, {high}), got {value}")
    return value


class Optimizer:
    """The shared part: a step counter and the check that parameters and gradients pair up."""

    def __init__(self):
        self.iterations = 0

    def update(self, params, grads):
        """Change every array in `params` in place by one step along its gradient in `grads`."""
        params, grads = list(params), list(grads)
        if len(params) != len(grads):
            raise ValueError(f"{type(self).__name__}.update got {len(params)} parameters but {len(grads)} gradients")
        for i, (p, g) in enumerate(zip(params, grads)):
            if np.shape(p) != np.shape(g):
                raise ValueError(
                    f"{type(self).__name__}.update: parameter {i} has shape {np.shape(p)} but its "
                    f"gradient has shape {np.shape(g)}"
                )
        shapes = [np.shape(p) for p in params]
        if self.iterations and shapes != self._shapes:
            raise ValueError(
                f"this {type(self).__name__} has been updating parameters of shapes {self._shapes}, "
                f"now got {shapes}; use a new optimizer (or .reset()) for another network"
            )
        self._shapes = shapes
        self.iterations += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            self._step(i, p, np.asarray(g, dtype=p.dtype))

    def reset(self):
        """Forget the step count and all state (start training a new network)."""
        self.__init__(**self.get_config())


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (Keras' `SGD`).

    Without momentum:   w <- w - lr * g
    With momentum mu:   v <- mu * v - lr * g;   w <- w + v      (v starts at 0)

    Defaults as Keras: learning_rate=0.01, momentum=0.0.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0):
        super().__init__()
        self.learning_rate = _check_rate("SGD learning_rate", learning_rate)
        self.momentum = _check_rate("SGD momentum", momentum, 0.0, 1.0, low_open=False)
        self.velocities = {}

    def _step(self, i, p, g):
        if self.momentum == 0:
            p -= self.learning_rate * g
            return
        v = self.velocities.get(i)
        if v is None:
            v = self.velocities[i] = np.zeros_like(p)
        v *= self.momentum
        v -= self.learning_rate * g
        p += v

    def get_config(self):
        return {"learning_rate": self.learning_rate, "momentum": self.momentum}

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate:g}, momentum={self.momentum:g})"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), written as Keras computes it.

    At step k = 1, 2, ... with gradient g (m and v start at 0):
        m <- beta_1 m + (1 - beta_1) g            running mean of the gradient
        v <- beta_2 v + (1 - beta_2) g^2          running mean of its square
        alpha = lr * sqrt(1 - beta_2^k) / (1 - beta_1^k)    (corrects the zero start of m and v)
        w <- w - alpha * m / (sqrt(v) + epsilon)

    Each weight moves by about lr per step whatever the scale of its gradient.
    Defaults as Keras: learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__()
        self.learning_rate = _check_rate("Adam learning_rate", learning_rate)
        self.beta_1 = _check_rate("Adam beta_1", beta_1, 0.0, 1.0, low_open=False)
        self.beta_2 = _check_rate("Adam beta_2", beta_2, 0.0, 1.0, low_open=False)
        self.epsilon = _check_rate("Adam epsilon", epsilon)
        self.m = {}
        self.v = {}

    def _step(self, i, p, g):
        if i not in self.m:
            self.m[i] = np.zeros_like(p)
            self.v[i] = np.zeros_like(p)
        m, v = self.m[i], self.v[i]
        k = self.iterations
        alpha = self.learning_rate * np.sqrt(1 - self.beta_2**k) / (1 - self.beta_1**k)
        m += (1 - self.beta_1) * (g - m)
        v += (1 - self.beta_2) * (g * g - v)
        p -= alpha * m / (np.sqrt(v) + self.epsilon)

    def get_config(self):
        return {
            "learning_rate": self.learning_rate,
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }

    def __repr__(self):
        return (
            f"Adam(learning_rate={self.learning_rate:g}, beta_1={self.beta_1:g}, "
            f"beta_2={self.beta_2:g}, epsilon={self.epsilon:g})"
        )


class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012), written as Keras 3 computes it.

    With gradient g (v starts at 0, the running mean of g^2):
        v <- rho v + (1 - rho) g^2
        w <- w - lr * g / sqrt(v + epsilon)         (epsilon inside the root, as Keras 3)
    momentum mu > 0 accumulates the steps:  s <- mu s + lr g / sqrt(v + epsilon);  w <- w - s.
    centered=True divides by the variance instead: v - mean(g)^2 in place of v.

    Defaults as Keras: learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
        super().__init__()
        self.learning_rate = _check_rate("RMSprop learning_rate", learning_rate)
        self.rho = _check_rate("RMSprop rho", rho, 0.0, 1.0, low_open=False)
        self.momentum = _check_rate("RMSprop momentum", momentum, 0.0, 1.0, low_open=False)
        self.epsilon = _check_rate("RMSprop epsilon", epsilon)
        self.centered = bool(centered)
        self.v, self.mean_g, self.steps = {}, {}, {}

    def _step(self, i, p, g):
        if i not in self.v:
            self.v[i], self.mean_g[i], self.steps[i] = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
        v = self.v[i]
        v *= self.rho
        v += (1 - self.rho) * g * g
        denominator = v + self.epsilon
        if self.centered:
            mean_g = self.mean_g[i]
            mean_g *= self.rho
            mean_g += (1 - self.rho) * g
            denominator -= mean_g * mean_g
        step = self.learning_rate * g / np.sqrt(denominator)
        if self.momentum > 0:
            s = self.steps[i]
            s *= self.momentum
            s += step
            step = s
        p -= step

    def get_config(self):
        return {
            "learning_rate": self.learning_rate,
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }

    def __repr__(self):
        return (
            f"RMSprop(learning_rate={self.learning_rate:g}, rho={self.rho:g}, momentum={self.momentum:g}, "
            f"epsilon={self.epsilon:g}, centered={self.centered})"
        )


_OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}


def get(name):
    """A fresh optimiser with Keras' defaults for `name` ("sgd", "rmsprop", "adam"); an Optimizer is returned as it is."""
    if isinstance(name, Optimizer):
        return name
    return lookup("optimizer", name, _OPTIMIZERS, example="adam")()
