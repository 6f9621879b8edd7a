"""nnlib: a small, readable numpy library for learning how a neural network computes.

    >>> import nnlib
    >>> model = nnlib.Sequential([nnlib.Dense(5, "tanh", input_dim=2), nnlib.Dense(1, "tanh")], seed=0)
    >>> model.predict([0.3, 0.1]).shape
    (1,)

Where things live (one idea per module):
    activations  step, sigmoid, tanh, relu, mish, identity, softmax, and lookup by name
    layers       Dense
    network      Sequential: predict, trace, summary, get/set_weights
    losses       mse, binary cross-entropy, hinge, categorical cross-entropy
    optimizers   SGD (with momentum), Adam
    training     the fit loop
    datasets     logic gates, the sum-threshold set, MNIST
    weights      safe parameter files, the book's sample weights, nnlib's own pretrained network
    geometry     a layer as rotation, scaling, rotation, translation and a ReLU fold
    diagram      graphviz pictures of networks (needs graphviz)
    plotting     the course's colours and figure style (needs matplotlib)
    explore      the interactive explorers (needs ipywidgets and matplotlib)
"""

from .activations import identity, mish, relu, sigmoid, softmax, softplus, step, tanh
from .layers import Dense
from .network import Sequential

__version__ = "0.1.0"

# Loaded on first use, so `import nnlib` stays fast and needs numpy only.
_LAZY = {
    "load_mnist": "datasets",
    "load_params": "weights",
    "save_params": "weights",
    "pretrained": "weights",
    "load_sample_network": "weights",
}


# Submodules are reachable as attributes too (nnlib.datasets.sum_threshold(...)), imported on first use.
_SUBMODULES = {
    "activations",
    "colors",
    "datasets",
    "diagram",
    "exercises",
    "explore",
    "geometry",
    "layers",
    "losses",
    "names",
    "network",
    "optimizers",
    "plotting",
    "training",
    "weights",
}


def __getattr__(name):
    import importlib

    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")


__all__ = ["Dense", "Sequential", "identity", "mish", "relu", "sigmoid", "softmax", "softplus", "step", "tanh", *_LAZY]
