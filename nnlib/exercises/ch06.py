"""Checkers for chapter 6, "Reading handwritten digits".

    check_class_accuracy(digit, accuracy)        share of the test images of one digit read correctly
    check_most_confused(true_digit, read_as)     the commonest mistake of the book's network
    time_batch_sizes(model, x, sizes)            seconds to run x through the model in batches of each size
    check_batch_plateau(batch_size, timings)     the batch size beyond which batching stops helping

The first two compare with the book's network (`nnlib.load_sample_network()`) on the 10,000
MNIST test images. The third depends on the reader's machine, so it checks a reasoned answer
against the reader's own measurements rather than a fixed number.
"""

import functools
import time

import numpy as np

from . import not_yet, right

# check_batch_plateau: "stopped helping" means within this factor of the fastest measured time ...
PLATEAU_SLACK = 1.25
# ... and an answer may lie up to this factor past the first such batch size (timings are noisy).
PLATEAU_SPAN = 10


@functools.lru_cache(maxsize=1)
def _sample_predictions():
    """(labels, predicted digits) of the book's network on the MNIST test set; computed once."""
    from ..datasets import load_mnist
    from ..weights import load_sample_network

    _, (x_test, t_test) = load_mnist(normalize=True, flatten=True)
    predicted = load_sample_network().predict(x_test).argmax(axis=1)
    return t_test.astype(int), predicted


def _digit(value, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not 0 <= value <= 9:
        raise ValueError(f"{what} must be a digit 0..9, got {value!r}")
    return int(value)


def check_class_accuracy(digit, accuracy):
    """The fraction of the test images showing `digit` that the book's network reads as `digit`."""
    digit = _digit(digit, "digit")
    accuracy = float(accuracy)
    t, p = _sample_predictions()
    of_digit = t == digit
    truth = float(np.mean(p[of_digit] == digit))
    if abs(accuracy - truth) < 5e-5:
        return right(f"the network reads {truth:.4f} of the {of_digit.sum():,} test images of the digit {digit} "
                     f"correctly (all digits: {np.mean(p == t):.4f}).")
    if accuracy > 1 and round(accuracy) == int((p[of_digit] == digit).sum()):
        return not_yet(f"{accuracy:g} is the number of correct {digit}s; divide by how many {digit}s there are.")
    read_as_digit = p == digit
    if read_as_digit.any() and abs(accuracy - float(np.mean(t[read_as_digit] == digit))) < 5e-5:
        return not_yet(f"that is the share of the network's answers '{digit}' that are right; the question is "
                       f"the share of the real {digit}s (t == {digit}) that it reads correctly.")
    if abs(accuracy - float(np.mean(p == t))) < 5e-5:
        return not_yet("that is the accuracy over all ten digits; keep only the images whose label is "
                       f"{digit}: x_test[t_test == {digit}].")
    return not_yet(f"not {accuracy:.4f}: select the images with t_test == {digit}, predict them, and "
                   f"count how many come out as {digit}.")


def check_most_confused(true_digit, read_as):
    """The commonest mistake of the book's network: a `true_digit` read as `read_as`."""
    true_digit = _digit(true_digit, "true_digit")
    read_as = _digit(read_as, "read_as")
    t, p = _sample_predictions()
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (t, p), 1)
    if true_digit == read_as:
        return not_yet("the diagonal counts correct answers; the mistakes are off the diagonal.")
    off = confusion.copy()
    np.fill_diagonal(off, 0)
    worst = np.unravel_index(np.argmax(off), off.shape)
    count = int(off[true_digit, read_as])
    if (true_digit, read_as) == tuple(int(i) for i in worst):
        return right(f"{count} test images of the digit {true_digit} are read as {read_as}, "
                     "more than any other mix-up.")
    if (read_as, true_digit) == tuple(int(i) for i in worst):
        return not_yet(f"rows are the true digit and columns the network's answer: {count} {true_digit}s were "
                       f"read as {read_as}; swap them.")
    return not_yet(f"{count} {true_digit}s were read as {read_as}; one mix-up happens more often. "
                   "Look for the largest number off the diagonal.")


def time_batch_sizes(model, x, sizes=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000), repeat=3,
                     min_images=2000):
    """{batch size: seconds} to run all of x through `model` in batches of that size (best of `repeat`).

    Small batch sizes are slow to time on all of x, so each size runs on the first
    max(size, min_images) images (a whole number of batches) and the time is scaled to len(x).
    The repeats go round all sizes in turn, so a moment when the machine is busy with something
    else slows one measurement of many sizes rather than every measurement of one size.
    Sizes larger than len(x) are skipped.
    """
    plan = []
    for size in sizes:
        size = int(size)
        if size < 1:
            raise ValueError(f"batch sizes are whole numbers >= 1, got {size}")
        if size <= len(x):
            plan.append((size, min(len(x), max(size, min_images)) // size * size))
    timings = {size: float("inf") for size, _ in plan}
    for _ in range(repeat):
        for size, used in plan:
            start = time.perf_counter()
            for i in range(0, used, size):
                model.predict(x[i:i + size])
            timings[size] = min(timings[size], (time.perf_counter() - start) * len(x) / used)
    return timings


def _plateau(timings):
    """The first batch size whose time is within PLATEAU_SLACK of the fastest, and the fastest time."""
    fastest = min(timings.values())
    first = min(size for size, seconds in timings.items() if seconds <= PLATEAU_SLACK * fastest)
    return first, fastest


def check_batch_plateau(batch_size, timings):
    """A batch size beyond which larger batches do not help much, judged by the reader's own `timings`.

    timings: {batch size: seconds for the whole data set}, e.g. from `time_batch_sizes`. Right
    is any measured size from the first one within 25% of the fastest time up to 10 times that
    size: past it, larger batches save at most a quarter of the time.
    """
    try:
        timings = {int(size): float(seconds) for size, seconds in dict(timings).items()}
    except (TypeError, ValueError):
        raise ValueError("timings must map batch sizes to seconds, e.g. {1: 0.8, 10: 0.1, 100: 0.03}") from None
    if len(timings) < 3 or any(s < 1 or not np.isfinite(t) or t <= 0 for s, t in timings.items()):
        raise ValueError("timings needs at least 3 batch sizes >= 1 with positive times in seconds")
    batch_size = int(batch_size)
    if batch_size not in timings:
        return not_yet(f"pick one of the batch sizes you measured: {sorted(timings)}.")
    first, fastest = _plateau(timings)
    speedup = timings[batch_size] / fastest
    if batch_size < first:
        return not_yet(f"at {batch_size} there is still a lot to gain: the fastest batch size runs "
                       f"{speedup:.1f} times faster. Look further right on your curve.")
    if batch_size > PLATEAU_SPAN * first:
        return not_yet(f"batching had already stopped helping much at {first} "
                       f"(within {PLATEAU_SLACK - 1:.0%} of your fastest time); look further left.")
    return right(f"from about {first} on, larger batches save at most {PLATEAU_SLACK - 1:.0%}: "
                 f"{batch_size} takes {timings[batch_size]:.3g} s, the fastest {fastest:.3g} s.")
