"""Parity that searches, for the playground (nnlib/explore/playground.py vs js/playground.js on nn.js and train.js):
Hypothesis draws runs (data set, noise, 0-3 hidden layers of 1-8 units, any activation the page offers, learning
rate, batch size, seed over the whole 32-bit range) and compares, in the test session's one long-lived Node process:

- the data sets: the page's points (clean + noise * unit noise, the last rows held out) are playground_data's;
- the starting weights: the page's generator gives initial_layers' numbers;
- the forward pass: the page's network on the data gives nnlib's predict;
- a training step: one or two epochs of the page's trainer (its batch order, Adam) end at nnlib's weights and losses;
- the exported code: the page's Export is Python's to_code() for the same run, and running it gives those weights.

The hand-picked runs of tests/test_playground_code.py stay as named regressions.
"""

import numpy as np
from hypothesis import given, strategies as st

from nnlib.explore.contract import contract
from nnlib.explore.playground import (
    BATCH_SIZES,
    DATA_SETS,
    MAX_LAYERS,
    MAX_UNITS,
    NOISES,
    Playground,
    initial_layers,
    playground_data,
)
from nnlib.explore.trainer import LEARNING_RATES
from jsface import node_session
from parity import examples, same

BUNDLE = "dist/playground-static.js"

PAGE_RUN_JS = """(P, c) => {
  const run = P.runOf(c.cfg, c.cfg.state), task = P.taskOf(c.cfg, run), NN = P.NN;
  const layers = run.start.map((L) => NN.layer(L.W, L.b, L.activation, L.b.length));
  const x = task.x_train.concat(task.x_val), y = x.map((p) => Array.from(NN.forward(layers, p)));
  const tr = P.pageTrainer(task, run, c.cfg);
  for (let e = 0; e < c.epochs; e++) tr.stepEpoch();
  return {start: run.start, x, t: task.t_train.concat(task.t_val), y,
          weights: tr.layers.map((L) => [Array.from(L.W), Array.from(L.b)]), history: tr.history,
          code: P.fillCode(c.cfg.code_template, P.codeValues(run, tr.epoch, c.cfg.output_activation))};
}"""

SEEDS = st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**32 - 1]))


@st.composite
def runs(draw):
    return dict(
        data=draw(st.sampled_from(sorted(DATA_SETS))),
        noise=draw(st.sampled_from(NOISES)),
        hidden=tuple(draw(st.lists(st.integers(1, MAX_UNITS), max_size=MAX_LAYERS))),
        activation=draw(st.sampled_from([a for a in contract()["activations"] if a != "softmax"] + ["softmax"])),
        learning_rate=draw(st.sampled_from(LEARNING_RATES)),
        batch_size=draw(st.sampled_from(BATCH_SIZES)),
        seed=draw(SEEDS),
    )


@examples(25)
@given(run=runs(), epochs=st.integers(1, 2))
def test_the_page_and_nnlib_share_data_start_forward_pass_training_and_code(run, epochs):
    pg = Playground(**run, key="t-parity")
    page = node_session().call([BUNDLE], PAGE_RUN_JS, {"cfg": pg.config(), "epochs": epochs})
    # the data sets and the starting weights: the same numbers to the last bit
    x_train, t_train, x_val, t_val = playground_data(run["data"], run["noise"])
    assert np.array_equal(np.array(page["x"]), np.r_[x_train, x_val]), "the page's points are not playground_data's"
    assert np.array_equal(np.array(page["t"]), np.r_[t_train, t_val])
    assert page["start"] == initial_layers(run["hidden"], run["activation"], run["seed"]) == pg.start
    # the forward pass of the start
    same(page["y"], pg.model.predict(np.r_[x_train, x_val]), what=f"forward pass of {run}")
    # training: the page's trainer and nnlib's fit in the page's batch order end at the same weights and losses
    pg.train(epochs)
    page_weights = [np.array(v) for pair in page["weights"] for v in pair]
    for k, (ours, theirs) in enumerate(zip(pg.weights(), page_weights, strict=True)):
        same(theirs, ours.ravel(), rtol=1e-9, atol=1e-9, what=f"weights[{k}] after {epochs} epochs of {run}")
    for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
        same(page["history"][name], pg.history[name], rtol=1e-9, atol=1e-9, what=f"{name} of {run}")
    # the exported code: the page's Export is to_code(), and running it reproduces the weights
    assert page["code"] == pg.to_code()
    scope = {}
    exec(page["code"], scope)  # noqa: S102 - the code a reader would paste into a notebook
    for ours, theirs in zip(scope["weights"], page_weights, strict=True):
        same(theirs, ours.ravel(), rtol=1e-9, atol=1e-9, what=f"the exported code's weights for {run}")
