"""Chapters 3 and 4: the checkers accept the solutions and reject wrong answers; the seeds' numbers are reproduced."""

import itertools

import numpy as np
import pytest

from nnlib import Dense, Sequential
from nnlib.exercises import ch03, ch04

# -- chapter 3 -------------------------------------------------------------------------------


def test_one_dense_neuron_on_two_inputs_has_three_parameters():
    model = Sequential([Dense(1, activation="sigmoid", input_dim=2)])
    assert model.count_params() == 3
    W, b = model.get_weights()
    assert W.shape == (2, 1) and b.shape == (1,)
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 3" in lines[0]


@pytest.mark.parametrize(
    "check, weights",
    [
        (ch03.check_or, (20.0, 20.0, -10.0)),
        (ch03.check_or, (1.0, 1.0, -0.5)),
        (ch03.check_nand, (-20.0, -20.0, 30.0)),
        (ch03.check_nand, (-2, -2, 3)),
    ],
)
def test_gate_checkers_accept_working_weights(check, weights):
    assert check(*weights)


@pytest.mark.parametrize(
    "check, weights, failing",
    [
        (ch03.check_or, (1.0, 1.0, -1.5), ["(0, 1)", "(1, 0)"]),  # that is AND
        (ch03.check_or, (0.0, 0.0, 0.0), ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]),  # exactly 0.5 is not an answer
        (ch03.check_nand, (20.0, 20.0, -30.0), ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]),
        (ch03.check_nand, (-1.0, -1.0, 0.5), ["(0, 1)", "(1, 0)"]),
    ],
)
def test_gate_checkers_name_the_rows_that_fail(check, weights, failing):
    verdict = check(*weights)
    assert not verdict
    assert f"{len(failing)} of 4 rows wrong: {', '.join(failing)}." in verdict.message
    assert f"For example {failing[0]} gives" in verdict.message


def test_tip_about_scaling_appears_only_for_timid_outputs():
    assert "Tip" in ch03.check_or(1.0, 1.0, -0.5).message
    assert "Tip" not in ch03.check_or(20.0, 20.0, -10.0).message


def test_xor_checker_never_accepts_one_neuron_and_explains_why():
    grid = np.linspace(-10, 10, 21)
    for w0, w1, b in itertools.product(grid, grid, grid):
        verdict = ch03.check_xor(w0, w1, b)
        assert not verdict
    verdict = ch03.check_xor(1.0, 1.0, -0.5)  # that is OR: only (1, 1) is wrong
    assert "1 of 4 rows wrong: (1, 1). For example (1, 1) gives" in verdict.message
    assert "w0 + w1 + 2b = +1.000" in verdict.message
    assert ch03.check_xor(1.0, 1.0, -0.5, claim="no")  # the book's form: "no weights can" is the answer
    assert not ch03.check_xor(1.0, 1.0, -0.5, claim="yes")


def test_one_neuron_gets_at_most_three_xor_rows_right():
    grid = np.linspace(-10, 10, 41)
    best = 0
    for w0, w1, b in itertools.product(grid, grid, grid):
        outputs, _ = ch03.neuron_outputs(w0, w1, b)
        best = max(best, int(np.sum((outputs > 0.5) == ch03.TRUTH_TABLES["XOR"])))
    assert best == 3


def test_xor_network_checker():
    W1 = np.array([[20.0, -20.0], [20.0, -20.0]])
    b1 = np.array([-10.0, 30.0])
    W2 = np.array([[20.0], [20.0]])
    assert ch03.check_xor_network(W1, b1, W2, [-30.0])
    wrong = ch03.check_xor_network(W1, b1, W2, [-10.0])  # OR of OR and NAND: always 1
    assert not wrong and "2 of 4 rows wrong: (0, 0), (1, 1)." in wrong.message
    with pytest.raises(ValueError, match=r"W2 must have shape \(2, 1\).*column"):
        ch03.check_xor_network(W1, b1, [20.0, 20.0], [-30.0])


def test_kernel_entry_checker():
    assert ch03.check_kernel_entry(0, 2)
    pytorch_reading = ch03.check_kernel_entry(2, 0)
    assert not pytorch_reading and "PyTorch" in pytorch_reading.message
    assert not ch03.check_kernel_entry(1, 1)
    right_row = ch03.check_kernel_entry(0, 1)
    assert not right_row and "row 0 is input x0, right" in right_row.message


def test_checkers_reject_bad_input_clearly():
    with pytest.raises(ValueError, match="w0 must be one number"):
        ch03.check_or("one", 1.0, 0.0)
    with pytest.raises(ValueError, match="b must be a finite number"):
        ch03.check_nand(1.0, 1.0, float("nan"))


# -- chapter 4 -------------------------------------------------------------------------------


def test_seed_weights_reproduce_the_seed_prediction():
    # Seed 001: Keras printed array([[ 0.93015909]], dtype=float32) for x = (0.3, 0.1).
    model = ch04.seed_network()
    y = model.predict(np.array([[0.3, 0.1]], dtype=np.float32))
    assert y.shape == (1, 1) and y.dtype == np.float32
    assert abs(float(y[0, 0]) - 0.93015909) < 1e-7
    assert round(float(y[0, 0]), 4) == 0.9302


def test_hand_computation_of_the_seed_network_matches_predict():
    x = np.array([0.3, 0.1], dtype=np.float32)
    h = np.tanh(ch04.SEED_W.T @ x + ch04.SEED_B)
    y = np.tanh(ch04.SEED_V.T @ h + ch04.SEED_C)
    # The seed's four-decimal hand computation.
    np.testing.assert_allclose(np.round(h, 4), [-0.5112, 0.4034, 0.3715, 0.3063, -0.1133])
    assert round(float(ch04.SEED_V[:, 0] @ h), 4) == 1.3855
    assert y[0] == ch04.seed_network().predict(x)[0]


def test_seed_network_is_wrong_at_the_worked_example():
    y = ch04.seed_network().predict([0.3, 0.1])
    assert 0.3 + 0.1 <= 0.5 and y[0] > 0


def test_perfect_model_classifies_new_points():
    model = Sequential([Dense(1, "tanh", input_dim=2)])
    model.set_weights([np.array([[1.0], [1.0]]), np.array([-0.5])])
    test = np.random.default_rng(1).random((200, 2))
    predicted = np.sign(model.predict(test)[:, 0])
    real = np.where(test.sum(axis=1) > 0.5, 1, -1)
    assert np.mean(predicted == real) == 1.0


def test_hand_output_checker():
    trace = ch04.seed_network().trace(ch04.EXERCISE_INPUT)
    y, z = float(trace.output[0]), trace[0].z
    assert ch04.check_hand_output(round(y, 4))
    assert ch04.check_hand_output(round(y, 4), z=np.round(z, 4))
    assert not ch04.check_hand_output(round(y, 4) - 0.01)
    forgot_tanh = ch04.check_hand_output(float(trace[1].a[0]))
    assert not forgot_tanh and "final tanh" in forgot_tanh.message
    wrong_z = ch04.check_hand_output(y, z=trace[0].a)  # sums, not yet through tanh
    assert not wrong_z and "z[0]" in wrong_z.message
    with pytest.raises(ValueError, match="z must have shape"):
        ch04.check_hand_output(y, z=[0.1, 0.2])


@pytest.mark.parametrize("W, b", [([[1.0], [1.0]], [-1.2]), ([[10.0], [10.0]], [-12.0]), ([2.5, 2.5], -3.0)])
def test_sum_above_checker_accepts_the_exact_boundary(W, b):
    assert ch04.check_sum_above_1_2(W, b)


@pytest.mark.parametrize(
    "W, b, says",
    [
        ([[1.0], [1.0]], [-0.5], "wrong place"),
        ([[1.0], [1.0]], [-1.19], "wrong place"),
        ([[1.0], [0.9]], [-1.2], "not parallel"),
        ([[-1.0], [-1.0]], [1.2], "sides are swapped"),
        ([[0.0], [0.0]], [0.0], "W is all zeros"),
        ([[0.0], [0.0]], [1.0], "W is all zeros"),
        ([[1.0], [1.0]], [-1.2000001], "wrong place"),
    ],
)
def test_sum_above_checker_rejects_other_lines(W, b, says):
    verdict = ch04.check_sum_above_1_2(W, b)
    assert not verdict and says in verdict.message


def test_x0_above_x1_checker():
    assert ch04.check_x0_above_x1([[1.0], [-1.0]], [0.0])
    assert ch04.check_x0_above_x1([[4.0], [-4.0]], 0)
    assert not ch04.check_x0_above_x1([[1.0], [-1.0]], [0.1])
    assert not ch04.check_x0_above_x1([[1.0], [1.0]], [-1.0])
    with pytest.raises(ValueError, match="PyTorch"):
        ch04.check_x0_above_x1([[1.0, -1.0]], [0.0])


def test_seed_network_says_positive_on_the_whole_unit_square():
    # Why seed 001 reached only about 85%: its network answers +1 everywhere on [0, 1]^2,
    # and the points with x0 + x1 <= 0.5 fill 1/8 of the square.
    g = np.linspace(0, 1, 101)
    grid = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2).astype(np.float32)
    assert np.all(ch04.seed_network().predict(grid) > 0)
