"""The checkers of chapters 5 and 6 accept the solutions and reject wrong answers."""

import numpy as np
import pytest

import nnlib
from nnlib.exercises import ch05


# -- chapter 5 ------------------------------------------------------------------------------
def test_layer_shapes_accepts_what_a_real_dense_layer_has():
    layer = nnlib.Dense(ch05.SHAPES_UNITS, input_dim=ch05.SHAPES_INPUTS, seed=0)
    x = np.zeros((ch05.SHAPES_BATCH, ch05.SHAPES_INPUTS))
    assert ch05.check_layer_shapes(layer.W.shape, layer.b.shape, layer(x).shape)


@pytest.mark.parametrize("answer, hint", [
    (((5, 3), (5,), (4, 5)), "PyTorch"),
    (((3, 5), (4, 5), (4, 5)), "one number per neuron"),
    (((3, 5), (5,), (4, 3)), "inner"),
    (((4, 5), (5,), (4, 5)), "one row per input"),
])
def test_layer_shapes_rejects_wrong_shapes_with_a_hint(answer, hint):
    feedback = ch05.check_layer_shapes(*answer)
    assert not feedback
    assert hint in feedback.message


def test_layer_shapes_names_a_non_shape():
    with pytest.raises(TypeError, match="shape"):
        ch05.check_layer_shapes(3, (5,), (4, 5))


def test_layer_by_hand_accepts_the_computation_and_rejects_slips():
    layer = nnlib.Dense(3, "relu")
    layer.set_weights([ch05.HAND_W, ch05.HAND_B])
    trace = nnlib.Sequential([layer]).trace(ch05.HAND_X)
    assert ch05.check_layer_by_hand(trace[0].a, trace[0].z)
    a = trace[0].a.copy()
    assert not ch05.check_layer_by_hand(a, a)             # forgot the ReLU
    assert not ch05.check_layer_by_hand(a - ch05.HAND_B, trace[0].z)  # forgot the bias
    assert not ch05.check_layer_by_hand(a[:2], trace[0].z)  # wrong shape
    feedback = ch05.check_layer_by_hand(a + [0, 0, 1], trace[0].z)
    assert not feedback and "a[2]" in feedback.message


def test_softmax_shift_accepts_stable_softmax_and_rejects_nan_and_non_softmax():
    assert ch05.check_softmax_shift(nnlib.softmax(ch05.SOFTMAX_A))
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(ch05.SOFTMAX_A) / np.exp(ch05.SOFTMAX_A).sum()
    assert not ch05.check_softmax_shift(naive)
    assert not ch05.check_softmax_shift([1 / 3, 1 / 3, 1 / 3])
    assert not ch05.check_softmax_shift(np.exp([1.0, 2.0, 0.0]))  # forgot to divide by the sum
    assert not ch05.check_softmax_shift([0.5, 0.5])
