"""Losses and optimisers: values on inputs small enough to check by hand, stability, lookup by name."""

import math

import numpy as np
import pytest

from nnlib import activations, losses, optimizers


# -- loss values computed by hand -----------------------------------------------------------------


def test_mse_value_and_gradient():
    z = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = np.array([[1.0, 0.0], [0.0, 4.0]])
    # squared errors 0, 4, 9, 0 -> mean 13 / 4
    assert losses.mean_squared_error(z, t) == 3.25
    np.testing.assert_array_equal(losses.MeanSquaredError().gradient(z, t), [[0.0, 1.0], [1.5, 0.0]])


def test_binary_crossentropy_values():
    assert losses.binary_crossentropy([[0.5]], [[1]]) == pytest.approx(math.log(2), abs=1e-15)
    # both samples 80% sure and right: -log 0.8 each
    assert losses.binary_crossentropy([0.8, 0.2], [1, 0]) == pytest.approx(-math.log(0.8), abs=1e-15)


def test_hinge_values_and_label_forms():
    z = np.array([0.5, -2.0, 3.0])
    # max(0, 1 - 0.5) + max(0, 1 + 2) + max(0, 1 + 3) = 7.5, mean 2.5
    assert losses.hinge(z, [1, 1, -1]) == 2.5
    loss = losses.get("hinge")
    # Keras converts labels 0/1 to -1/+1
    np.testing.assert_array_equal(loss.prepare([1, 1, 0], 1), [[1], [1], [-1]])
    assert loss.value(z, loss.prepare([1, 1, 0], 1)) == 2.5
    with pytest.raises(ValueError, match="-1 or \\+1"):
        loss.prepare([0, 2, 1], 1)
    # only the margin violators push: t z < 1
    np.testing.assert_allclose(loss.gradient(z, [1, 1, -1]), [[-1 / 3], [-1 / 3], [1 / 3]])
    np.testing.assert_array_equal(loss.gradient([2.0], [1]), [[0.0]])


def test_categorical_crossentropy_value_with_one_hot_and_integer_labels():
    z = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    expected = -(math.log(0.7) + math.log(0.8)) / 2
    assert losses.categorical_crossentropy(z, [[1, 0, 0], [0, 1, 0]]) == pytest.approx(expected, abs=1e-15)
    for name in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
        loss = losses.get(name)
        t = loss.prepare(np.array([0, 1]), 3)
        np.testing.assert_array_equal(t, [[1, 0, 0], [0, 1, 0]])
        assert loss.value(z, t) == pytest.approx(expected, abs=1e-15)


def test_label_form_errors_name_the_problem():
    with pytest.raises(ValueError, match="integer class labels"):
        losses.get("sparse_categorical_crossentropy").prepare(np.eye(3), 3)
    with pytest.raises(ValueError, match="0..2"):
        losses.get("categorical_crossentropy").prepare([0, 3], 3)
    with pytest.raises(ValueError, match="one-hot"):
        losses.get("categorical_crossentropy").prepare([[1, 1, 0]], 3)
    with pytest.raises(ValueError, match="hinge"):
        losses.get("binary_crossentropy").prepare([-1, 1], 1)
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*1 output"):
        losses.get("mse").prepare(np.zeros((3, 2)), 1)
    with pytest.raises(TypeError, match="numbers"):
        losses.get("mse").prepare(np.array(["a", "b"]), 1)
    with pytest.raises(ValueError, match="must match"):
        losses.mean_squared_error(np.zeros((2, 2)), np.zeros((2, 3)))


def test_empty_batch_is_refused_clearly():
    for name in losses.NAMES:
        with pytest.raises(ValueError, match="0 samples"):
            losses.get(name).value(np.zeros((0, 3)), np.zeros((0, 3)))


# -- accuracy rules -----------------------------------------------------------------------------------


def test_each_loss_has_its_accuracy_rule():
    # hinge: sign of the output
    assert losses.get("hinge").accuracy([0.1, -0.1, 0.9, -0.2], [1, 1, -1, -1]) == 0.5
    # binary cross-entropy: threshold 0.5
    assert losses.get("binary_crossentropy").accuracy([0.6, 0.4, 0.49], [1, 0, 1]) == pytest.approx(2 / 3)
    # categorical cross-entropy: argmax
    z = np.array([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]])
    assert losses.get("categorical_crossentropy").accuracy(z, [[0, 1, 0], [0, 0, 1]]) == 0.5


# -- gradients against finite differences, in float64 ----------------------------------------------


def _numeric_gradient(f, z, h=1e-6):
    g = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[i] += h
        zm[i] -= h
        g[i] = (f(zp) - f(zm)) / (2 * h)
    return g


@pytest.mark.parametrize(
    "name, z, t",
    [
        ("mse", np.array([[0.3, -1.2], [2.0, 0.1]]), np.array([[1.0, 0.0], [0.5, -0.5]])),
        ("binary_crossentropy", np.array([[0.3], [0.9], [0.05]]), np.array([[1.0], [0.0], [0.0]])),
        ("hinge", np.array([[0.3], [-0.4], [1.7], [-2.0]]), np.array([[1.0], [1.0], [1.0], [-1.0]])),
        (
            "categorical_crossentropy",
            np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]),
            np.array([[0, 1.0, 0], [0, 0, 1.0]]),
        ),
        # rows that do not sum to 1 (a sigmoid last layer): Keras divides each row by its sum first
        (
            "categorical_crossentropy",
            np.array([[0.7, 0.9, 0.2], [0.6, 0.1, 0.8]]),
            np.array([[0, 1.0, 0], [0.5, 0, 0.5]]),
        ),
        ("mae", np.array([[0.3, -1.2], [2.0, 0.1]]), np.array([[1.0, 0.0], [0.5, -0.5]])),
    ],
)
def test_loss_gradient_matches_finite_differences(name, z, t):
    loss = losses.get(name)
    np.testing.assert_allclose(
        loss.gradient(z, t), _numeric_gradient(lambda zz: loss.value(zz, t), z), rtol=1e-6, atol=1e-9
    )


# -- stability at extreme inputs (pytest turns RuntimeWarnings into errors) ---------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropies_are_finite_for_certain_wrong_answers(dtype):
    bce = losses.get("binary_crossentropy")
    z = np.array([[0.0], [1.0]], dtype=dtype)
    t = np.array([[1.0], [0.0]], dtype=dtype)
    value = bce.value(z, t)
    # clipped to 1e-7 (as Keras does): -log(1e-7) = 16.118
    assert value == pytest.approx(-math.log(1e-7), rel=1e-3)
    assert np.all(np.isfinite(bce.gradient(z, t)))
    cce = losses.get("categorical_crossentropy")
    p = np.array([[0.0, 1.0]], dtype=dtype)
    assert cce.value(p, np.array([[1.0, 0.0]])) == pytest.approx(-math.log(1e-7), rel=1e-3)
    assert np.all(np.isfinite(cce.gradient(p, np.array([[1.0, 0.0]], dtype=dtype))))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_output_gradients_are_exact_and_finite_at_huge_logits(dtype):
    a = np.array([[1e4, -1e4, 0.0]], dtype=dtype)
    softmax = activations.get("softmax")
    z = softmax(a)
    t = np.array([[0.0, 1.0, 0.0]], dtype=dtype)
    da = losses.get("categorical_crossentropy").output_gradient(a, z, t, softmax)
    np.testing.assert_array_equal(da, [[1.0, -1.0, 0.0]])
    assert da.dtype == dtype
    sigmoid = activations.get("sigmoid")
    a = np.array([[1e4], [-1e4]], dtype=dtype)
    da = losses.get("binary_crossentropy").output_gradient(a, sigmoid(a), np.array([[0.0], [0.0]]), sigmoid)
    np.testing.assert_array_equal(da, [[0.5], [0.0]])


def test_fused_gradient_equals_the_chain_rule_where_both_are_defined():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(4, 3))
    softmax = activations.get("softmax")
    t = np.eye(3)[[0, 2, 1, 1]]
    cce = losses.get("categorical_crossentropy")
    z = softmax(a)
    np.testing.assert_allclose(
        cce.output_gradient(a, z, t, softmax), softmax.backward(a, z, cce.gradient(z, t)), atol=1e-15
    )


# -- lookup by name ---------------------------------------------------------------------------------


def test_keras_names_and_typos():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    assert isinstance(losses.get("mean_squared_error"), losses.MeanSquaredError)
    assert isinstance(losses.get("Binary_Crossentropy"), losses.BinaryCrossentropy)
    assert losses.get("sparse_categorical_crossentropy").sparse
    assert not losses.get("categorical_crossentropy").sparse
    with pytest.raises(ValueError, match="Did you mean 'hinge'.*Valid names:.*mean_squared_error"):
        losses.get("hinj")
    with pytest.raises(TypeError):
        losses.get(3)
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("SGD"), optimizers.SGD)
    with pytest.raises(ValueError, match="Did you mean 'adam'.*Valid names: adam, rmsprop, sgd"):
        optimizers.get("adma")


# -- optimisers: one step by hand -------------------------------------------------------------------


def test_keras_default_hyper_parameters():
    adam = optimizers.Adam()
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.001, 0.9, 0.999, 1e-7)
    sgd = optimizers.SGD()
    assert (sgd.learning_rate, sgd.momentum) == (0.01, 0.0)
    assert repr(adam) == "Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07)"


def test_sgd_step_by_hand():
    w = np.array([1.0, 2.0])
    optimizers.SGD(learning_rate=0.1).update([w], [np.array([0.5, -1.0])])
    np.testing.assert_allclose(w, [0.95, 2.1], rtol=0, atol=1e-15)


def test_sgd_momentum_two_steps_by_hand():
    w = np.array([1.0, 2.0])
    g = np.array([0.5, -1.0])
    sgd = optimizers.SGD(learning_rate=0.1, momentum=0.9)
    sgd.update([w], [g])  # v = -0.1 g = [-0.05, 0.1]
    np.testing.assert_allclose(w, [0.95, 2.1], atol=1e-15)
    sgd.update([w], [g])  # v = 0.9 v - 0.1 g = [-0.095, 0.19]
    np.testing.assert_allclose(w, [0.855, 2.29], atol=1e-15)


def test_adam_two_steps_by_hand():
    w = np.array([1.0])
    adam = optimizers.Adam()
    adam.update([w], [np.array([0.5])])
    # m = 0.05, v = 0.00025, alpha = 0.001 sqrt(0.001) / 0.1
    w1 = 1.0 - (0.001 * math.sqrt(0.001) / 0.1) * 0.05 / (math.sqrt(0.00025) + 1e-7)
    assert w[0] == pytest.approx(w1, abs=1e-15)
    assert w[0] == pytest.approx(1.0 - 0.001, abs=1e-8)  # the first step is about lr * sign(g)
    adam.update([w], [np.array([0.25])])
    # m = 0.9 * 0.05 + 0.1 * 0.25 = 0.07, v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225
    alpha = 0.001 * math.sqrt(1 - 0.999**2) / (1 - 0.9**2)
    assert w[0] == pytest.approx(w1 - alpha * 0.07 / (math.sqrt(0.00031225) + 1e-7), abs=1e-15)
    assert adam.iterations == 2


def test_optimizers_keep_float32_and_check_shapes():
    w = np.ones((2, 3), dtype=np.float32)
    for opt in (optimizers.Adam(), optimizers.SGD(momentum=0.5)):
        opt.update([w], [np.ones((2, 3))])
        assert w.dtype == np.float32
        with pytest.raises(ValueError, match=r"shape \(2, 3\).*\(3, 2\)"):
            opt.update([w], [np.ones((3, 2))])
        with pytest.raises(ValueError, match="1 parameters but 2 gradients"):
            opt.update([w], [np.ones((2, 3)), np.ones(3)])
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate=-1)
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)


def test_an_optimizer_belongs_to_one_network():
    adam = optimizers.Adam()
    adam.update([np.ones(3)], [np.ones(3)])
    with pytest.raises(ValueError, match="use a new optimizer"):
        adam.update([np.ones(4)], [np.ones(4)])
    adam.reset()
    assert adam.iterations == 0 and adam.learning_rate == 0.001
    adam.update([np.ones(4)], [np.ones(4)])


# -- Keras' other names and arguments: mae, from_logits, row normalisation, RMSprop ---------------


def test_mae_value_and_gradient_by_hand():
    z = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = np.array([[1.0, 0.0], [0.0, 5.0]])
    # absolute errors 0, 2, 3, 1 -> mean 6 / 4; gradient sign(z - t) / 4, 0 where z = t (Keras' sign(0))
    assert losses.get("mae").value(z, t) == 1.5 == losses.mean_absolute_error(z, t)
    np.testing.assert_array_equal(losses.get("MAE").gradient(z, t), [[0, 0.25], [0.25, -0.25]])
    assert losses.get("mae").name == "mean_absolute_error"


def test_binary_crossentropy_from_logits():
    a = np.array([[-2.0], [0.5], [3.0]])
    t = np.array([[0.0], [1.0], [1.0]])
    p = [1 / (1 + math.exp(-v)) for v in a[:, 0]]
    by_hand = -(math.log(1 - p[0]) + math.log(p[1]) + math.log(p[2])) / 3
    loss = losses.BinaryCrossentropy(from_logits=True)
    assert loss.value(a, t) == pytest.approx(by_hand, rel=1e-14)
    assert losses.binary_crossentropy(a, t, from_logits=True) == pytest.approx(by_hand, rel=1e-14)
    np.testing.assert_allclose(loss.gradient(a, t), _numeric_gradient(lambda aa: loss.value(aa, t), a), rtol=1e-6)
    # the same as the plain loss on sigmoid(a) where the clip does not act
    assert losses.BinaryCrossentropy().value(np.array(p)[:, None], t) == pytest.approx(by_hand, rel=1e-12)
    # no clip with logits: a logit of -40 for a 1 costs 40, not -log(1e-7) = 16.1
    assert loss.value(np.array([[-40.0]]), np.array([[1.0]])) == pytest.approx(40.0)
    # accuracy: a logit above 0 is a probability above 0.5
    assert loss.accuracy(np.array([[0.2], [-0.1]]), np.array([[1.0], [0.0]])) == 1.0
    assert repr(loss) == "BinaryCrossentropy(from_logits=True)"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropies_from_huge_logits_are_finite(dtype):
    a = np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=dtype)
    t = np.array([[0.0, 1.0], [0.0, 1.0]])
    cce = losses.CategoricalCrossentropy(from_logits=True)
    assert cce.value(a, t) == pytest.approx(1e4)  # (2e4 + 0) / 2 samples
    np.testing.assert_allclose(cce.gradient(a, t), [[0.5, -0.5], [0, 0]])
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert bce.value(a, t) == pytest.approx(5e3)  # two of the four entries wrong by 1e4: mean 2e4 / 4
    assert np.all(np.isfinite(bce.gradient(a, t)))


def test_categorical_crossentropy_from_logits():
    a = np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])
    t = np.array([[0, 1.0, 0], [1.0, 0, 0]])
    rows = [math.log(sum(math.exp(v) for v in row)) - row[k] for row, k in zip(a.tolist(), (1, 0))]
    loss = losses.CategoricalCrossentropy(from_logits=True)
    assert loss.value(a, t) == pytest.approx(sum(rows) / 2, rel=1e-14)
    assert losses.categorical_crossentropy(a, t, from_logits=True) == pytest.approx(sum(rows) / 2, rel=1e-14)
    np.testing.assert_allclose(loss.gradient(a, t), _numeric_gradient(lambda aa: loss.value(aa, t), a), rtol=1e-6)
    sparse = losses.CategoricalCrossentropy(sparse=True, from_logits=True)
    assert sparse.value(a, sparse.prepare(np.array([1, 0]), 3)) == loss.value(a, t)


def test_categorical_crossentropy_divides_rows_by_their_sum_as_keras():
    # A sigmoid last layer: 0.5 everywhere reads as 1/3 each, so the loss is log 3, not log 2.
    z = np.array([[0.5, 0.5, 0.5]])
    t = np.array([[0, 1.0, 0]])
    assert losses.categorical_crossentropy(z, t) == pytest.approx(math.log(3), rel=1e-14)
    # Keras clips to [1e-7, 1 - 1e-7]: a certain right answer still costs -log(1 - 1e-7)
    assert losses.categorical_crossentropy(np.array([[1.0, 0.0]]), np.array([[1.0, 0.0]])) == pytest.approx(
        -math.log(1 - 1e-7), rel=1e-9
    )
    assert losses.categorical_crossentropy(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])) == pytest.approx(
        -math.log(1e-7), rel=1e-12
    )


def test_binary_crossentropy_gradient_in_float16_at_one():
    loss = losses.BinaryCrossentropy()
    z = np.array([[1.0], [1.0], [0.5]], dtype=np.float16)
    t = np.array([[0.0], [1.0], [0.0]])
    g = loss.gradient(z, t)
    # z = 1 is outside Keras' clip [1e-7, 1 - 1e-7]: the clip passes no gradient (in float16 the
    # bound 1 - 1e-7 itself rounds to 1, and p (1 - p) to 0, which divided by zero before)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g[:, 0], [0, 0, (0.5 - 0) / (0.5 * 0.5) / 3], rtol=1e-6)
    assert np.isfinite(loss.value(z, t))


@pytest.mark.parametrize("name", ["mse", "mae", "binary_crossentropy", "hinge", "categorical_crossentropy"])
def test_accuracy_never_counts_nan_outputs(name):
    loss = losses.get(name)
    if "categorical" in name:
        z = np.array([[np.nan, np.nan], [0.9, 0.1], [np.nan, 0.5]])
        t = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    else:
        z = np.array([[np.nan], [0.9], [np.nan]])
        t = np.array([[0.0], [1.0], [-1.0 if name == "hinge" else 0.0]])
    assert loss.accuracy(z, t) == pytest.approx(1 / 3)


def test_rmsprop_keras_defaults_and_two_steps_by_hand():
    rms = optimizers.get("rmsprop")
    assert (rms.learning_rate, rms.rho, rms.momentum, rms.epsilon, rms.centered) == (0.001, 0.9, 0.0, 1e-7, False)
    assert repr(rms) == "RMSprop(learning_rate=0.001, rho=0.9, momentum=0, epsilon=1e-07, centered=False)"
    w = np.array([1.0, -2.0])
    g1, g2 = np.array([0.5, -0.1]), np.array([0.25, 0.3])
    rms.update([w], [g1])
    v1 = 0.1 * g1**2  # v = 0.9 * 0 + 0.1 g^2
    w1 = np.array([1.0, -2.0]) - 0.001 * g1 / np.sqrt(v1 + 1e-7)
    np.testing.assert_allclose(w, w1, rtol=0, atol=1e-15)
    rms.update([w], [g2])
    v2 = 0.9 * v1 + 0.1 * g2**2
    np.testing.assert_allclose(w, w1 - 0.001 * g2 / np.sqrt(v2 + 1e-7), rtol=0, atol=1e-15)
    # the first step is about lr / sqrt(0.1) = 0.00316 whatever the size of the gradient
    np.testing.assert_allclose(np.abs(w1 - [1.0, -2.0]), 0.001 / math.sqrt(0.1), rtol=1e-4)


def test_rmsprop_momentum_and_centered_by_hand():
    g = np.array([0.5])
    w = np.array([0.0])
    rms = optimizers.RMSprop(learning_rate=0.1, momentum=0.5)
    rms.update([w], [g])
    step1 = 0.1 * 0.5 / math.sqrt(0.1 * 0.25 + 1e-7)
    rms.update([w], [g])
    step2 = 0.5 * step1 + 0.1 * 0.5 / math.sqrt(0.19 * 0.25 + 1e-7)
    assert w[0] == pytest.approx(-(step1 + step2), abs=1e-15)
    w = np.array([0.0])
    optimizers.RMSprop(learning_rate=0.1, centered=True).update([w], [g])
    # v = 0.025, mean g = 0.05: denominator 0.025 - 0.0025 + 1e-7
    assert w[0] == pytest.approx(-0.1 * 0.5 / math.sqrt(0.0225 + 1e-7), abs=1e-15)
