"""Parity that searches: nnlib and the page's nn.js compute the same numbers on inputs Hypothesis draws (random
activations, shapes and values with their extremes, losses with their options, optimiser steps with random
hyper-parameters, format specs), all in one long-lived Node process (jsface.node_session).

The hand-picked tables of tests/test_nn_js.py and tests/test_train_js.py stay as named regressions; the contract
tests at the end hold nnlib/explore/contract.json to nn.js's own description and to nnlib.
Each disagreement these tests found is fixed; the examples that found them are pinned with @example.
"""

import inspect
import json
import math

import numpy as np
from hypothesis import assume, example, given, strategies as st

from nnlib import Dense, Sequential, activations, losses, optimizers, training
from nnlib.explore import contract as contract_module
from jsface import node_session
from parity import EXTREMES, examples, same, values

CONTRACT = contract_module.contract()
ELEMENTWISE = [name for name in CONTRACT["activations"] if name != "softmax"]


def js(function, case):
    return node_session().call(["nn.js"], function, case)


# -- activations -------------------------------------------------------------------------------------------------
ACTIVATION_JS = """(NN, c) => {
  const act = NN.activations[c.name], z = c.a.map(act.f);
  return {z: z, dz: c.a.map((a, i) => act.df(a, z[i]))};
}"""


def nnlib_activation(name, a):
    act = activations.get(name)
    a = np.asarray(a, dtype=np.float64)
    # nnlib promises no warning at extreme inputs (tests/test_activations.py); NaN may warn ("invalid value").
    with np.errstate(invalid="ignore") if np.isnan(a).any() else np.errstate():
        z = act(a)
        return z, act.gradient(a, z)


ACTIVATION_ARGS = dict(name=st.sampled_from(ELEMENTWISE), a=st.lists(values(), min_size=1, max_size=12))


@examples(150)
@given(**ACTIVATION_ARGS)
@example(name="relu", a=[math.nan])  # found: relu(NaN) was 0 in nn.js (a > 0 ? a : 0), NaN in nnlib
@example(name="mish", a=[-math.inf])  # found: -inf * tanh(softplus(-inf)) = -inf * 0 = NaN in nn.js, 0 in nnlib
@example(name="gelu", a=[-1e4, -40.0, -3.0, 0.5, 3.0, 1e4])  # gelu was missing from nn.js (Train threw)
@example(name="gelu", a=[1.8961503816218355e154])  # found: nnlib's gelu' warned "overflow" (a * a = inf)
def test_activations_match(name, a):
    z, dz = nnlib_activation(name, a)
    got = js(ACTIVATION_JS, {"name": name, "a": a})
    same(got["z"], z, what=f"{name}({a})")
    same(got["dz"], dz, what=f"{name}'({a})")


@examples(100)
@given(
    xs=st.lists(
        st.one_of(
            st.floats(-30, 30),
            st.floats(0, 6),
            st.floats(1, 27.3),
            st.sampled_from(EXTREMES + [math.nan, 1.25, 27.2, 26.55]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_erfc_matches_pythons_math_erfc(xs):
    got = js("(NN, c) => c.map(NN.erfc)", xs)
    same(got, [math.erfc(x) for x in xs], rtol=2e-14, atol=0, what=f"erfc({xs})")


SOFTMAX_ARGS = dict(row=st.lists(values(), min_size=1, max_size=8), batch=st.integers(1, 3))


@examples(100)
@given(**SOFTMAX_ARGS)
@example(row=[-math.inf, -math.inf], batch=1)  # found: a row of -inf gave NaN in nn.js, uniform in nnlib
@example(row=[math.nan, 1.0], batch=1)
def test_softmax_matches(row, batch):
    a = np.tile(np.asarray(row, dtype=np.float64), (batch, 1))
    with np.errstate(invalid="ignore"):
        want = activations.softmax(a)
    got = js("(NN, c) => c.map(r => NN.softmax(r))", a)
    same(got, want, what=f"softmax({row})")


# -- networks: the forward pass, the loss and back-propagation ---------------------------------------------------
def layer_shapes(draw, inputs, last_units=None):
    depth = draw(st.integers(1, 3))
    shapes = []
    for k in range(depth):
        units = last_units if (k == depth - 1 and last_units) else draw(st.integers(1, 4))
        shapes.append((inputs, units, draw(st.sampled_from(CONTRACT["activations"]))))
        inputs = units
    return shapes


WEIGHTS = st.floats(-3, 3)


@st.composite
def networks(draw, last_activation=None, last_units=None, weights=WEIGHTS):
    inputs = draw(st.integers(1, 4))
    shapes = layer_shapes(draw, inputs, last_units)
    if last_activation:
        shapes[-1] = (*shapes[-1][:2], last_activation)
    layers = [
        {
            "W": np.asarray(draw(st.lists(weights, min_size=i * u, max_size=i * u))).reshape(i, u),
            "b": np.asarray(draw(st.lists(weights, min_size=u, max_size=u))),
            "activation": act,
        }
        for i, u, act in shapes
    ]
    return layers


def nnlib_model(layers):
    model = Sequential([Dense(len(layer["b"]), layer["activation"]) for layer in layers])
    model.build(layers[0]["W"].shape[0])
    model.set_weights([np.asarray(w, dtype=np.float64) for layer in layers for w in (layer["W"], layer["b"])])
    return model


TRACE_JS = """(NN, c) => {
  const layers = c.layers.map(l => NN.layer(l.W, l.b, l.activation));
  return NN.traceBatch(layers, c.x.flat(), c.x.length).map(s => ({a: s.a, z: s.z}));
}"""


@examples(100)
@given(data=st.data())
def test_forward_pass_of_random_networks_matches(data):
    layers = data.draw(networks())
    inputs = layers[0]["W"].shape[0]
    # Finite inputs stay below 1e200: near the largest double, -1e308 + 2e308 is inf added in order (nn.js) but
    # 1e308 in numpy's matrix product, which fuses the multiply and the add (FMA). Both are IEEE arithmetic.
    entry = values(nan=False, everyday=(-4, 4)).filter(lambda v: math.isinf(v) or abs(v) < 1e200)
    x = np.asarray(data.draw(st.lists(st.lists(entry, min_size=inputs, max_size=inputs), min_size=1, max_size=4)))
    with np.errstate(all="ignore"):  # a +-inf input makes inf - inf sums: NaN in both, which is what is compared
        steps = nnlib_model(layers).trace(x)
    got = js(TRACE_JS, {"layers": layers, "x": x})
    for k, (g, s) in enumerate(zip(got, steps)):
        same(g["a"], s.a, rtol=1e-9, atol=1e-9, what=f"layer {k} sums")
        same(g["z"], s.z, rtol=1e-9, atol=1e-9, what=f"layer {k} ({layers[k]['activation']}) outputs")


LOSS_SPECS = [
    {"name": "mean_squared_error"},
    {"name": "mean_absolute_error"},
    {"name": "hinge"},
    {"name": "binary_crossentropy", "from_logits": False},
    {"name": "binary_crossentropy", "from_logits": True},
    {"name": "categorical_crossentropy", "from_logits": False},
    {"name": "categorical_crossentropy", "from_logits": True},
]


def nnlib_loss(spec):
    if spec["name"] == "binary_crossentropy":
        return losses.BinaryCrossentropy(from_logits=spec["from_logits"])
    if spec["name"] == "categorical_crossentropy":
        return losses.CategoricalCrossentropy(from_logits=spec["from_logits"])
    return losses.get(spec["name"])


def targets(draw, spec, batch, outputs):
    name = spec["name"]
    if name == "categorical_crossentropy":
        return np.eye(outputs)[draw(st.lists(st.integers(0, outputs - 1), min_size=batch, max_size=batch))]
    if name == "hinge":
        pick = st.sampled_from([-1.0, 1.0])
    elif name == "binary_crossentropy":
        pick = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1))
    else:
        pick = st.floats(-3, 3)
    return np.asarray(draw(st.lists(pick, min_size=batch * outputs, max_size=batch * outputs))).reshape(batch, outputs)


LOSS_JS = """(NN, c) => {
  const lf = NN.loss(c.spec), z = c.z.flat(), t = c.t.flat(), batch = c.z.length;
  return {value: lf.value(z, t, batch), gradient: lf.gradient(z, t, batch), accuracy: lf.accuracy(z, t, batch)};
}"""


LOSS_ARGS = dict(data=st.data(), spec=st.sampled_from(LOSS_SPECS), batch=st.integers(1, 5), outputs=st.integers(1, 4))


@examples(200)
@given(**LOSS_ARGS)
@example(data=None, spec={"name": "binary_crossentropy", "from_logits": True}, batch=1, outputs=1)
def test_losses_value_gradient_and_accuracy_match(data, spec, batch, outputs):
    if data is None:  # the case: from_logits was ignored, the page trained a different loss
        z, t = np.array([[0.0]]), np.array([[1.0]])
    else:
        everyday = (-0.2, 1.2) if not spec.get("from_logits") and "crossentropy" in spec["name"] else (-6, 6)
        z = np.asarray(
            data.draw(st.lists(values(everyday=everyday), min_size=batch * outputs, max_size=batch * outputs))
        ).reshape(batch, outputs)
        t = targets(data.draw, spec, batch, outputs)
    loss = nnlib_loss(spec)
    with np.errstate(all="ignore"):
        want = {"value": loss.value(z, t), "gradient": loss.gradient(z, t), "accuracy": loss.accuracy(z, t)}
    got = js(LOSS_JS, {"spec": spec, "z": z, "t": t})
    for key in want:
        same(
            [got[key]] if key != "gradient" else got[key],
            [want[key]] if key != "gradient" else want[key],
            rtol=1e-9,
            atol=1e-12,
            what=f"{spec} {key} of z={z.tolist()}, t={t.tolist()}",
        )


GRADIENTS_JS = """(NN, c) => {
  const layers = c.layers.map(l => NN.layer(l.W, l.b, l.activation));
  const r = NN.gradients(layers, c.x.flat(), c.t.flat(), c.x.length, c.spec);
  return {value: r.value, grads: r.grads};
}"""

# The output activations each loss meets in practice (and identity for the logits).
NATURAL = {
    "mean_squared_error": ["identity", "sigmoid", "tanh", "relu", "gelu", "softplus"],
    "mean_absolute_error": ["identity", "sigmoid", "swish"],
    "hinge": ["tanh", "identity", "selu"],
    "binary_crossentropy": ["sigmoid", "hard_sigmoid"],
    "categorical_crossentropy": ["softmax", "sigmoid"],
}


BACKPROP_ARGS = dict(data=st.data(), spec=st.sampled_from(LOSS_SPECS))


@examples(150)
@given(**BACKPROP_ARGS)
def test_back_propagation_through_random_networks_matches(data, spec):
    last = "identity" if spec.get("from_logits") else data.draw(st.sampled_from(NATURAL[spec["name"]]))
    outputs = data.draw(st.integers(2 if spec["name"] == "categorical_crossentropy" else 1, 3))
    layers = data.draw(networks(last_activation=last, last_units=outputs))
    batch = data.draw(st.integers(1, 5))
    inputs = layers[0]["W"].shape[0]
    x = np.asarray(data.draw(st.lists(st.floats(-3, 3), min_size=batch * inputs, max_size=batch * inputs)))
    x = x.reshape(batch, inputs)
    t = targets(data.draw, spec, batch, outputs)
    with np.errstate(all="ignore"):
        value, _, grads = training.gradients(nnlib_model(layers), x, t, nnlib_loss(spec))
    got = js(GRADIENTS_JS, {"layers": layers, "x": x, "t": t, "spec": spec})
    same([got["value"]], [value], rtol=1e-9, atol=1e-12, what=f"{spec} loss")
    for i, (g, w) in enumerate(zip(got["grads"], grads)):
        same(g, w, rtol=1e-8, atol=1e-11, what=f"{spec} gradient {i} ({[l['activation'] for l in layers]})")


# -- optimisers ---------------------------------------------------------------------------------------------------
def hyper_parameters(draw, name):
    """Random hyper-parameters inside the ranges the contract gives, sometimes left at their defaults."""
    out = {}
    for key, h in CONTRACT["optimizers"][name]["hyper_parameters"].items():
        if not draw(st.booleans()):
            continue
        if isinstance(h["default"], bool):
            out[key] = draw(st.booleans())
        elif h["high"] == "inf":
            out[key] = draw(st.one_of(st.floats(1e-8, 2.0), st.sampled_from([1e-7, 1e-3, 0.01, 0.1, 1.0])))
        else:
            out[key] = draw(st.one_of(st.floats(0, 0.9999), st.sampled_from([0.0, 0.5, 0.9, 0.99, 0.999])))
    return out


OPTIMIZER_JS = """(NN, c) => {
  const opt = NN.optimizer(c.name, c.hyper), params = c.params.map(p => Float64Array.from(p));
  c.steps.forEach(grads => opt.update(params, grads.map(g => Float64Array.from(g))));
  return params;
}"""


OPTIMIZER_ARGS = dict(data=st.data(), name=st.sampled_from(sorted(CONTRACT["optimizers"])))


@examples(150)
@given(**OPTIMIZER_ARGS)
@example(data=None, name="rmsprop")  # the case: nn.js had no RMSprop ("unknown optimizer")
def test_optimiser_steps_match(data, name):
    if data is None:
        hyper, sizes, steps = {"centered": True, "momentum": 0.9}, [2], [[[0.5, -1.0]]] * 3
        params = [np.array([0.1, 0.2])]
    else:
        hyper = hyper_parameters(data.draw, name)
        sizes = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
        params = [np.asarray(data.draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n))) for n in sizes]
        grad = st.one_of(st.floats(-10, 10), st.sampled_from([0.0, 1e-12, -1e-12, 1e4, -1e4]))
        steps = data.draw(
            st.lists(st.tuples(*[st.lists(grad, min_size=n, max_size=n) for n in sizes]), min_size=1, max_size=4)
        )
    opt = optimizers.get(name).__class__(**hyper)
    want = [p.astype(np.float64).copy() for p in params]
    with np.errstate(all="ignore"):
        for grads in steps:
            opt.update(want, [np.asarray(g, dtype=np.float64) for g in grads])
    got = js(OPTIMIZER_JS, {"name": name, "hyper": hyper, "params": params, "steps": steps})
    for i, (g, w) in enumerate(zip(got, want)):
        same(g, w, rtol=1e-9, atol=1e-12, what=f"{name}({hyper}) parameter {i} after {len(steps)} steps")


REFUSE_JS = """(NN, c) => { try { NN.optimizer(c.name, c.hyper); return null; } catch (e) { return e.message; } }"""


@examples(150)
@given(data=st.data(), name=st.sampled_from(sorted(CONTRACT["optimizers"])))
def test_optimisers_refuse_the_same_hyper_parameters(data, name):
    """Out-of-range values (0, 1, negatives, inf, NaN) are refused by both faces or by neither."""
    known = [
        k for k, h in CONTRACT["optimizers"][name]["hyper_parameters"].items() if not isinstance(h["default"], bool)
    ]
    key = data.draw(st.sampled_from(known))
    value = data.draw(
        st.one_of(
            st.sampled_from([0.0, -0.0, 1.0, -1e-9, 0.999999, 1.000001, 1e300, math.inf, -math.inf, math.nan, 5e-324]),
            st.floats(),
        )
    )
    try:
        optimizers.get(name).__class__(**{key: value})
        nnlib_refuses = False
    except (ValueError, TypeError):
        nnlib_refuses = True
    message = js(REFUSE_JS, {"name": name, "hyper": {key: value}})
    assert (message is not None) == nnlib_refuses, (name, key, value, message)
    if message:
        assert key in message


# -- numbers as Python prints them --------------------------------------------------------------------------------
SPECS = st.builds(
    lambda plus, precision, kind: f"{plus}{'' if precision is None else '.' + str(precision)}{kind}",
    st.sampled_from(["", "+"]),
    st.one_of(st.none(), st.integers(0, 20)),
    st.sampled_from("fg%"),
)


FORMAT_ARGS = dict(
    v=st.one_of(
        st.floats(allow_nan=False),
        st.floats(-1e6, 1e6),
        st.sampled_from(EXTREMES + [math.nan]),
        st.integers(-(10**6), 10**6).map(lambda i: i / 8),
        st.integers(-(10**17), 10**17).map(float),
    ),
    spec=SPECS,
)


@examples(400)
@given(**FORMAT_ARGS)
@example(v=125000.0, spec=".2g")  # found: an exact tie in "g"'s exponent form rounded away from zero (1.3e+05)
@example(v=0.125, spec=".2g")
@example(v=1.797693134862316e306, spec="%")  # found: "%" multiplied by 100 after its inf check (Python: "inf%")
def test_format_prints_as_python(v, spec):
    assert js("(NN, c) => NN.format(c.v, c.spec)", {"v": v, "spec": spec}) == format(v, spec)


# -- training: the whole fit ---------------------------------------------------------------------------------------
FIT_JS = """(NN, c) => {
  const layers = c.layers.map(l => NN.layer(l.W, l.b, l.activation));
  const history = NN.fit(layers, NN.dataset(c.x, c.t), {loss: c.spec, optimizer: c.optimizer, batchSize: c.batch_size,
                                                        orders: c.orders});
  return {history: history, weights: layers.map(L => [L.W, L.b])};
}"""


@examples(40)
@given(data=st.data(), spec=st.sampled_from(LOSS_SPECS), name=st.sampled_from(sorted(CONTRACT["optimizers"])))
def test_random_fits_match(data, spec, name):
    """A random small network trained 3 epochs from the same start and batch order: the same weights and history."""
    last = "identity" if spec.get("from_logits") else data.draw(st.sampled_from(NATURAL[spec["name"]]))
    outputs = data.draw(st.integers(2 if spec["name"] == "categorical_crossentropy" else 1, 3))
    layers = data.draw(networks(last_activation=last, last_units=outputs, weights=st.floats(-1.5, 1.5)))
    n, inputs = data.draw(st.integers(2, 12)), layers[0]["W"].shape[0]
    x = np.asarray(data.draw(st.lists(st.floats(-2, 2), min_size=n * inputs, max_size=n * inputs))).reshape(n, inputs)
    t = targets(data.draw, spec, n, outputs)
    batch_size, seed = data.draw(st.integers(1, n)), data.draw(st.integers(0, 1000))
    hyper = hyper_parameters(data.draw, name)
    model, loss = nnlib_model(layers), nnlib_loss(spec)
    rng = np.random.default_rng(seed)
    orders = [rng.permutation(n) for _ in range(3)]
    try:
        with np.errstate(all="ignore"):
            history = training.fit(
                model,
                x,
                t,
                loss,
                optimizers.get(name).__class__(**hyper),
                epochs=3,
                batch_size=batch_size,
                seed=seed,
                verbose=False,
            )
    except FloatingPointError:
        assume(False)  # nnlib stops a diverging fit; the page's trainer keeps going (not compared)
    got = js(
        FIT_JS,
        {
            "layers": layers,
            "x": x,
            "t": t,
            "spec": spec,
            "batch_size": batch_size,
            "orders": orders,
            "optimizer": {"name": name, **hyper},
        },
    )
    for key in history:
        same(got["history"][key], history[key], rtol=1e-7, atol=1e-9, what=f"{spec} {name}{hyper}: {key}")
    for i, (g, w) in enumerate(zip([w for pair in got["weights"] for w in pair], model.get_weights())):
        same(g, w, rtol=1e-7, atol=1e-9, what=f"{spec} {name}{hyper}: parameter {i}")


# -- the contract ---------------------------------------------------------------------------------------------------
def test_the_contract_file_is_what_nn_js_says_it_computes():
    assert js("(NN, c) => NN.contract()", 0) == CONTRACT


def test_the_contract_covers_all_of_nnlibs_trainer():
    """Every nnlib activation, loss (and option) and optimiser (and hyper-parameter, with nnlib's default) is one the
    page computes: the page does everything nnlib's trainer does for these networks."""
    assert set(activations.NAMES) == set(CONTRACT["activations"])
    for name in losses.NAMES:
        key = CONTRACT["loss_aliases"].get(name, name)
        assert key in CONTRACT["losses"], name
        options = set(inspect.signature(type(losses.get(name))).parameters) - {"sparse"}
        assert options == set(CONTRACT["losses"][key]["options"]), name
    assert set(optimizers._OPTIMIZERS) == set(CONTRACT["optimizers"])
    for name, cls in optimizers._OPTIMIZERS.items():
        signature = inspect.signature(cls.__init__).parameters
        described = CONTRACT["optimizers"][name]["hyper_parameters"]
        assert set(signature) - {"self"} == set(described), name
        for key, h in described.items():
            assert signature[key].default == h["default"], (name, key)


def test_the_contract_ships_with_the_package():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert "explore/*.json" in pyproject["tool"]["setuptools"]["package-data"]["nnlib"]
    json.dumps(CONTRACT, allow_nan=False)  # plain JSON, readable by any tool
