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


@pytest.mark.parametrize(
    "answer, hint",
    [
        (((5, 3), (5,), (4, 5)), "PyTorch"),
        (((3, 5), (4, 5), (4, 5)), "one number per neuron"),
        (((3, 5), (5,), (4, 3)), "inner"),
        (((4, 5), (5,), (4, 5)), "one row per input"),
    ],
)
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
    assert not ch05.check_layer_by_hand(a, a)  # forgot the ReLU
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


# -- chapter 6 ------------------------------------------------------------------------------
from nnlib.exercises import ch06  # noqa: E402


@pytest.fixture(scope="module")
def sample_on_test_set():
    _, (x, t) = nnlib.load_mnist()
    return t, nnlib.load_sample_network().predict(x).argmax(axis=1)


def test_class_accuracy_accepts_the_computation_and_rejects_the_usual_slips(sample_on_test_set):
    t, p = sample_on_test_set
    assert np.mean(p == t) == 0.9352  # the book's golden number, on which the checker rests
    for digit in (0, 5, 8):
        of_digit = t == digit
        accuracy = np.mean(p[of_digit] == digit)
        assert ch06.check_class_accuracy(digit, accuracy)
        assert ch06.check_class_accuracy(digit, round(accuracy, 4))
        count = ch06.check_class_accuracy(digit, (p[of_digit] == digit).sum())
        assert not count and "divide" in count.message
        precision = ch06.check_class_accuracy(digit, np.mean(t[p == digit] == digit))
        assert not precision and "share of the network's answers" in precision.message
        overall = ch06.check_class_accuracy(digit, np.mean(p == t))
        assert not overall and "all ten digits" in overall.message
        assert not ch06.check_class_accuracy(digit, accuracy + 0.001)
    assert ch06.check_class_accuracy(8, 0.9117)  # 888 of 974, worked out once by hand from the counts
    with pytest.raises(ValueError, match="digit 0..9"):
        ch06.check_class_accuracy(10, 0.5)


def test_most_confused_finds_the_largest_off_diagonal_count(sample_on_test_set):
    t, p = sample_on_test_set
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (t, p), 1)
    np.fill_diagonal(confusion, 0)
    true_digit, read_as = np.unravel_index(confusion.argmax(), confusion.shape)
    assert ch06.check_most_confused(int(true_digit), int(read_as))
    swapped = ch06.check_most_confused(int(read_as), int(true_digit))
    assert not swapped and "the other way round" in swapped.message
    assert not ch06.check_most_confused(3, 3)
    second = np.argsort(confusion.ravel())[-2]
    assert not ch06.check_most_confused(*(int(i) for i in np.unravel_index(second, confusion.shape)))


# Timings as a reader's machine might measure them: seconds for 10,000 images per batch size.
TIMINGS = {1: 0.80, 10: 0.12, 50: 0.045, 100: 0.036, 200: 0.031, 500: 0.030, 1000: 0.029, 10000: 0.028}


def test_batch_plateau_accepts_the_knee_of_the_readers_own_curve():
    # fastest 0.028; within 25%: 200 (0.031) and beyond; 100 (0.036) is 29% slower.
    assert ch06.check_batch_plateau(200, TIMINGS)
    assert ch06.check_batch_plateau(500, TIMINGS)
    assert ch06.check_batch_plateau(1000, TIMINGS)
    too_early = ch06.check_batch_plateau(10, TIMINGS)
    assert not too_early and "further right" in too_early.message
    assert not ch06.check_batch_plateau(100, TIMINGS)
    too_late = ch06.check_batch_plateau(10000, TIMINGS)
    assert not too_late and "further left" in too_late.message
    assert not ch06.check_batch_plateau(300, TIMINGS)  # not measured
    slow_machine = {size: seconds * 3 for size, seconds in TIMINGS.items()}
    assert ch06.check_batch_plateau(200, slow_machine)  # only the shape of the curve matters


def test_batch_plateau_refuses_unusable_timings():
    with pytest.raises(ValueError, match="at least 3"):
        ch06.check_batch_plateau(1, {1: 0.5, 10: 0.1})
    with pytest.raises(ValueError, match="map batch sizes to seconds"):
        ch06.check_batch_plateau(1, [0.5, 0.1, 0.05])
    with pytest.raises(ValueError, match="positive"):
        ch06.check_batch_plateau(1, {1: 0.5, 10: 0.0, 100: 0.1})


def test_time_batch_sizes_times_every_size_on_a_real_model():
    model = nnlib.Sequential([nnlib.Dense(3, "relu", input_dim=4), nnlib.Dense(2)], seed=0)
    calls = []
    predict = model.predict
    model.predict = lambda x: calls.append(len(x)) or predict(x)
    timings = ch06.time_batch_sizes(model, np.ones((40, 4)), sizes=(1, 8, 40, 50), repeat=1, min_images=16)
    assert sorted(timings) == [1, 8, 40] and all(seconds > 0 for seconds in timings.values())
    # size 1 and 8 run on the first 16 images only, size 40 on all of them; 50 > 40 is skipped
    assert calls == [1] * 16 + [8] * 2 + [40]
    with pytest.raises(ValueError, match=">= 1"):
        ch06.time_batch_sizes(model, np.ones((40, 4)), sizes=(0,))


def test_strongest_pixel_is_where_neuron_15_has_its_largest_weight():
    picture = nnlib.load_sample_network().layers[0].W[:, 15].reshape(28, 28)
    row, column = (int(i) for i in np.unravel_index(np.argmax(picture), picture.shape))
    assert ch06.check_strongest_pixel(row, column)
    swapped = ch06.check_strongest_pixel(column, row)
    assert not swapped and "swapped" in swapped.message
    low = np.unravel_index(np.argmin(picture), picture.shape)
    lowest = ch06.check_strongest_pixel(int(low[0]), int(low[1]))
    assert not lowest and "LOWERS" in lowest.message
    assert f"({row}, {column})" not in ch06.check_strongest_pixel(0, 0).message
    for bad in (True, 1.5, "3"):
        with pytest.raises(ValueError, match="whole number 0..27"):
            ch06.check_strongest_pixel(bad, 3)


# Chapter 6 is two pages, and a reader's kernel may show any of its four forms first (page two's, or exercise 2's
# alone). Each form must still count the chapter's progress out of four, the forms of both pages, not out of the
# forms on its own page: a form without the chapter's total counted the page's forms, so page one said "of 2" and,
# once two were solved there, page two said "2 of 2 solved" before its own were touched.
@pytest.mark.parametrize("name", ["CLASS_ACCURACY", "BATCH_PLATEAU", "MOST_CONFUSED", "STRONGEST_PIXEL"])
def test_each_chapter_6_form_counts_the_whole_chapter_whichever_comes_first(name):
    import json
    import os
    import re
    import subprocess
    import sys

    # A fresh interpreter: the chapter's exercises are built on first use, and this form is the first one used.
    script = f"from nnlib.exercises import ch06; print(ch06.{name}.to_html())"
    page = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ, check=True)
    specs = [json.loads(s) for s in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page.stdout)]
    assert [spec["total"] for spec in specs] == [4], specs and {k: specs[0][k] for k in ("id", "total")}
