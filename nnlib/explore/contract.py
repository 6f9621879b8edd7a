"""The contract between nnlib and the page: what nn.js computes, checked before an explorer builds a page.

contract.json (next to this module, shipped as package data) lists what nn.js can do: its activations, its losses
with their options, reduction and accuracy rules, its optimisers with their hyper-parameters (defaults and allowed
ranges). nn.js describes itself in the same form (`nnlibNN.contract()`); tests/test_parity_nn.py holds the two equal
and holds the file against nnlib (every nnlib activation, loss option and optimiser is in it), and the property-based
tests there compare the numbers.

An explorer whose page trains (TrainingExplorer) calls `check_training` at construction: a model, loss or optimiser
the page could not reproduce is refused there, with an error naming the option, instead of a page that throws on
Train or, worse, silently trains something else.
"""

import functools
import json
from importlib import resources

from .. import activations as activations_module
from .. import losses as losses_module
from .. import optimizers as optimizers_module

CONTRACT_FILE = "contract.json"


@functools.lru_cache(maxsize=None)
def contract():
    """The contract as a dict: {"activations": [...], "losses": {...}, "loss_aliases": {...}, "optimizers": {...}}."""
    return json.loads(resources.files(__package__).joinpath(CONTRACT_FILE).read_text(encoding="utf-8"))


def _refuse(what, fix):
    return ValueError(
        f"{what}: the page's nn.js cannot compute it (nnlib/explore/{CONTRACT_FILE}), so the two "
        f"faces would disagree; {fix}"
    )


def loss_options(loss):
    """The options of an nnlib loss object that change what it computes, e.g. {"from_logits": True}."""
    return {"from_logits": bool(loss.from_logits)} if hasattr(loss, "from_logits") else {}


def loss_spec(loss):
    """The loss as nn.js's `loss(spec)` takes it: {"name": ..., **options}."""
    return {"name": loss.name, **loss_options(loss)}


def check_activation(activation, where):
    """Refuse an activation nn.js lacks, or an Activation object other than nnlib's own of that name."""
    c = contract()
    name = activation.name
    if name not in c["activations"]:
        raise _refuse(f"{where} has the activation {name!r}", f"choose one of {', '.join(c['activations'])}")
    own = activations_module.get(name)  # a deep-copied model holds copies of it, with the same functions
    if (activation.function, activation.gradient) != (own.function, own.gradient):
        raise _refuse(
            f"{where} has a custom Activation object named {name!r}",
            f"use nnlib's own activation by its name, e.g. Dense(units, {name!r})",
        )


def check_loss(loss):
    """Refuse a loss (an nnlib loss object) or a loss option nn.js lacks."""
    c = contract()
    if type(loss) not in _nnlib_classes(losses_module, losses_module.Loss):
        raise _refuse(f"the loss {loss!r} is not one of nnlib's own", "give a loss name such as 'binary_crossentropy'")
    key = c["loss_aliases"].get(loss.name, loss.name)
    if key not in c["losses"]:
        raise _refuse(f"the loss {loss.name!r}", f"choose one of {', '.join(c['losses'])}")
    allowed = c["losses"][key]["options"]
    for option, value in loss_options(loss).items():
        if value and (option not in allowed or value not in allowed[option]):
            raise _refuse(
                f"the loss option {option}={value!r} of {loss.name!r}",
                f"leave {option} out (the page's {key} takes {', '.join(allowed) or 'no options'})",
            )


def check_optimizer(optimizer):
    """Refuse an optimiser, or a hyper-parameter of one, that nn.js lacks."""
    c = contract()
    if type(optimizer) not in _nnlib_classes(optimizers_module, optimizers_module.Optimizer):
        raise _refuse(
            f"the optimizer {optimizer!r} is not one of nnlib's own",
            f"choose one of {', '.join(c['optimizers'])} by name or nnlib's class",
        )
    name = type(optimizer).__name__.lower()
    if name not in c["optimizers"]:
        raise _refuse(f"the optimizer {type(optimizer).__name__}", f"choose one of {', '.join(c['optimizers'])}")
    known = c["optimizers"][name]["hyper_parameters"]
    for key, value in optimizer.get_config().items():
        if key not in known:
            raise _refuse(
                f"the {type(optimizer).__name__} hyper-parameter {key}={value!r}",
                f"the page's {name} takes {', '.join(known)}",
            )


def check_training(model, loss, optimizer):
    """Everything a training page computes: each layer's activation, the loss and its options, the optimiser."""
    for k, layer in enumerate(model.layers, start=1):
        check_activation(layer.activation, f"layer {k} ({layer!r})")
    check_loss(loss)
    check_optimizer(optimizer)


def _nnlib_classes(module, base):
    return {obj for obj in vars(module).values() if isinstance(obj, type) and issubclass(obj, base) and obj is not base}
