"""What keeps stored outputs the same on every CPU: trained float32 values are shown to stable digits."""

import json
import re

import numpy as np

from nnlib import Dense, Sequential
from nnlib.explore import DecisionBoundaryExplorer


def test_trace_format_prints_to_the_decimals_asked_and_keeps_full_values():
    model = Sequential([Dense(3, "tanh", input_dim=2)], seed=0)
    trace = model.trace([0.3, 0.1])
    short = trace.format(decimals=4)
    numbers = re.findall(r"-?\d+\.\d+", short)
    assert numbers and all(len(n.split(".")[1]) <= 4 for n in numbers), short
    assert repr(trace) == trace.format(decimals=8)
    assert np.array_equal(trace[-1].z, model.predict([0.3, 0.1]))  # the values themselves are not rounded


def test_the_decision_boundary_explorer_embeds_trained_weights_to_4_decimals():
    model = Sequential([Dense(3, "tanh", input_dim=2), Dense(1, "tanh")], seed=3)
    W, b, v, c = model.get_weights()
    model.set_weights([W + np.float32(1.23456789e-5), b, v, c])  # digits beyond the 4th, as training leaves them
    explorer = DecisionBoundaryExplorer(model=model)
    config = json.loads(
        re.search(r'class="nnx-config">(.*?)</script>', explorer.to_html()).group(1).replace("<\\/", "</")
    )
    hidden = np.array(config["hidden"]["W"])
    assert np.array_equal(hidden, np.round(hidden, 4))
    np.testing.assert_allclose(hidden, model.layers[0].W, atol=5e-5 + 1e-9)
