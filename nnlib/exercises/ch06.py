"""Checkers for chapter 6, "Reading handwritten digits" and its second page, "Inside the digit network".

    check_class_accuracy(digit, accuracy)        share of the test images of one digit read correctly
    time_batch_sizes(model, x, sizes)            seconds to run x through the model in batches of each size
    check_batch_plateau(batch_size, timings)     the batch size beyond which batching stops helping
    check_most_confused(true_digit, read_as)     the commonest mistake of the book's network
    check_strongest_pixel(row, column)           where ink raises first-layer neuron 15's sum the most

Exercises 1 and 2 are on the chapter's first page (notebooks/06_handwritten_digits.ipynb), 3 and 4 on its
second (notebooks/06_inside_the_digit_network.ipynb). They keep one chapter, "ch06", and the ids they had when
the chapter was one page, so the progress a reader's browser stored counts on both pages ("3 of 4 solved").

Exercises 1 and 3 compare with the book's network (`nnlib.load_sample_network()`) on the 10,000
MNIST test images. Exercise 2 depends on the reader's machine, so it checks a reasoned answer
against the reader's own measurements rather than a fixed number; the book's form asks the same
question about timings measured once on the machine that built the book (MEASURED_TIMINGS).

The exercises are defined once, as data (rules.py). Exercises 1 and 3 need the network's answers on
the test set, so they are built on first use (ch06.CLASS_ACCURACY, ch06.MOST_CONFUSED), not on import.
"""

import functools
import time

import numpy as np

from .rules import Exercise, NotYet, Number, Right, chapter

# check_batch_plateau: "stopped helping" means within this factor of the fastest measured time ...
PLATEAU_SLACK = 1.25
# ... and an answer may lie up to this factor past the first such batch size (timings are noisy).
PLATEAU_SPAN = 10


@functools.lru_cache(maxsize=1)
def _sample_predictions():
    """(labels, predicted digits) of the book's network on the MNIST test set; computed once."""
    from ..datasets import load_mnist
    from ..weights import load_sample_network

    x_test, t_test = load_mnist(normalize=True, flatten=True, split="test")  # the training set is not needed
    predicted = load_sample_network().predict(x_test).argmax(axis=1)
    return t_test.astype(int), predicted


def _digit(value, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not 0 <= value <= 9:
        raise ValueError(f"{what} must be a digit 0..9, got {value!r}")
    return int(value)


@functools.lru_cache(maxsize=1)
def _answer_exercises():
    t, p = _sample_predictions()
    correct = np.array([int(np.sum((t == d) & (p == d))) for d in range(10)])
    counts = np.array([int(np.sum(t == d)) for d in range(10)])
    answered = np.array([int(np.sum(p == d)) for d in range(10)])
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (t, p), 1)
    off = confusion.copy()
    np.fill_diagonal(off, 0)
    worst = [int(i) for i in np.unravel_index(np.argmax(off), off.shape)]
    # Shares as exact quotients of whole numbers: the same float in Python and in the page.
    accuracy = correct / counts
    precision = correct / np.maximum(answered, 1)
    class_accuracy = Exercise(
        "ch06-accuracy",
        "ch06",
        "Exercise 1: accuracy of one digit",
        [Number("accuracy", "share of the 8s read as 8", close=("ACCURACY[digit]", 4))],
        params={"digit": 8},
        constants={
            "ACCURACY": accuracy,
            "CORRECT": correct,
            "COUNT": counts,
            "PRECISION": precision,
            "OVERALL": float(np.mean(p == t)),
        },
        rules=[
            Right(
                "abs(accuracy - ACCURACY[digit]) < 5e-5",
                "the network reads {ACCURACY[digit]:.4f} of the {COUNT[digit]:g} test images of the digit "
                "{digit:g} correctly (all digits: {OVERALL:.4f}).",
            ),
            NotYet(
                "accuracy > 1 and round(accuracy, 0) == CORRECT[digit]",
                "{accuracy:g} is the number of correct {digit:g}s; divide by how many {digit:g}s there are.",
            ),
            NotYet(
                "abs(accuracy - PRECISION[digit]) < 5e-5",
                "that is the share of the network's answers '{digit:g}' that are right; the question is the "
                "share of the real {digit:g}s (t == {digit:g}) that it reads correctly.",
            ),
            NotYet(
                "abs(accuracy - OVERALL) < 5e-5",
                "that is the accuracy over all ten digits; keep only the images whose label is {digit:g}: "
                "x_test[t_test == {digit:g}].",
            ),
            NotYet(
                None,
                "not {accuracy:.4f}: select the images with t_test == {digit:g}, predict them, and count "
                "how many come out as {digit:g} (see “What the network gets wrong”).",
            ),
        ],
        solution=(
            f"<p>Keep the images labelled 8, predict them, and count the 8s: <code>eights = x_test[t_test == "
            f"8]</code>, then <code>np.mean(network.predict(eights).argmax(axis=1) == 8)</code>. The network "
            f"reads {correct[8]} of the {counts[8]} eights correctly: <code>{accuracy[8]:.4f}</code>.</p>"
        ),
        answers={"accuracy": f"{accuracy[8]:.4f}"},
        starter={"accuracy": f"{float(np.mean(p == t)):.4f}"},
        secrets=[f"{accuracy[8]:.4f}"],
    )
    most_confused = Exercise(
        "ch06-confused",
        "ch06",
        "Exercise 3: the commonest mistake",
        [Number("true_digit", "true digit", integer=True), Number("read_as", "read as", integer=True)],
        constants={"CONFUSION": confusion, "WORST": worst},
        values={"count": "CONFUSION[true_digit][read_as]"},
        rules=[
            NotYet("true_digit < 0 or true_digit > 9 or read_as < 0 or read_as > 9", "digits are 0 to 9."),
            NotYet("true_digit == read_as", "the diagonal counts correct answers; the mistakes are off the diagonal."),
            Right(
                "true_digit == WORST[0] and read_as == WORST[1]",
                "{count:g} test images of the digit {true_digit:g} are read as {read_as:g}, more than any other "
                "mix-up.",
            ),
            NotYet(
                "read_as == WORST[0] and true_digit == WORST[1]",
                "rows are the true digit and columns the network's answer: {count:g} {true_digit:g}s were read "
                "as {read_as:g}; read the matrix the other way round.",
            ),
            NotYet(
                None,
                "{count:g} {true_digit:g}s were read as {read_as:g}; one mix-up happens more often. Look "
                "for the largest number off the diagonal of the confusion matrix.",
            ),
        ],
        solution=(
            f"<p>The largest count off the diagonal of the confusion matrix: {off[worst[0], worst[1]]} "
            f"images of the digit {worst[0]} are read as {worst[1]}, so <code>true digit = {worst[0]}, read "
            f"as = {worst[1]}</code>.</p>"
        ),
        answers={"true_digit": str(worst[0]), "read_as": str(worst[1])},
        starter={"true_digit": str(worst[1]), "read_as": str(worst[0])},
        secrets=[f"true digit = {worst[0]}"],
    )
    return class_accuracy, most_confused


# Exercise 4 reads one of the weight pictures of the chapter's second page: this first-layer neuron of the book's
# network.
PICTURE_NEURON = 15


@functools.lru_cache(maxsize=1)
def _strongest_pixel_exercise():
    from ..weights import load_sample_network

    # The neuron's 784 weights as its 28 x 28 picture, to 4 decimals (what the picture shows; the same in the page).
    picture = np.round(load_sample_network().layers[0].W[:, PICTURE_NEURON].astype(np.float64), 4).reshape(28, 28)
    row, column = (int(i) for i in np.unravel_index(np.argmax(picture), picture.shape))
    low_row, low_column = (int(i) for i in np.unravel_index(np.argmin(picture), picture.shape))
    n = PICTURE_NEURON
    return Exercise(
        "ch06-pixel",
        "ch06",
        "Exercise 4: read a weight picture",
        [Number("row", "row (0 at the top)", integer=True), Number("column", "column (0 at the left)", integer=True)],
        params={"neuron": n},
        # Only the pixels the verdicts name travel to the page (the digit canvas makes its page a heavy one).
        constants={
            "ROW": row,
            "COLUMN": column,
            "LOW_ROW": low_row,
            "LOW_COLUMN": low_column,
            "WEIGHT": float(picture[row, column]),
        },
        values={"inside": "row >= 0 and row <= 27 and column >= 0 and column <= 27"},
        rules=[
            NotYet("not inside", "a picture has rows and columns 0 to 27."),
            Right(
                "row == ROW and column == COLUMN",
                "ink at row {row:g}, column {column:g} adds {WEIGHT:.4f} per unit of ink to neuron z{neuron:g}'s "
                "sum, more than anywhere else: the neuron looks for a stroke through there.",
            ),
            NotYet(
                "row == LOW_ROW and column == LOW_COLUMN",
                "that is the pixel where ink LOWERS the sum the most (the strongest negative weight); the "
                "question asks where ink raises it the most (see “What each hidden neuron looks for”).",
            ),
            NotYet(
                "column == ROW and row == COLUMN",
                "close: you have swapped row and column; rows count down from the top, columns from the left.",
            ),
            NotYet(
                None,
                "ink at row {row:g}, column {column:g} does not raise z{neuron:g}'s sum the most. Find the "
                "strongest colour on the positive side of the scale in its picture, or let numpy find it "
                "(np.argmax and np.unravel_index).",
            ),
        ],
        solution=(
            f"<p>The largest entry of column {n} of W1, reshaped to 28 x 28: <code>picture = "
            f"network.layers[0].W[:, {n}].reshape(28, 28)</code>, then <code>np.unravel_index(np.argmax("
            f"picture), picture.shape)</code> gives <code>({row}, {column})</code>, a weight of "
            f"{picture[row, column]:.4f}.</p>"
        ),
        answers={"row": str(row), "column": str(column)},
        starter={"row": "0", "column": "0"},
        secrets=[f"({row}, {column})"],
    )


@functools.lru_cache(maxsize=1)
def _chapter():
    """The four exercises in page order (1 and 2 on the first page, 3 and 4 on the second), built together, so that
    every form counts the chapter's progress out of four, whichever form a kernel shows first."""
    class_accuracy, most_confused = _answer_exercises()
    return chapter(class_accuracy, _BATCH_PLATEAU, most_confused, _strongest_pixel_exercise())


# The names a chapter's cells use; each builds the whole chapter on first use (the network's answers on the test set).
_BY_NAME = {"CLASS_ACCURACY": 0, "BATCH_PLATEAU": 1, "MOST_CONFUSED": 2, "STRONGEST_PIXEL": 3}


def __getattr__(name):
    if name in _BY_NAME:
        return _chapter()[_BY_NAME[name]]
    if name == "EXERCISES":
        return _chapter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_class_accuracy(digit, accuracy):
    """The fraction of the test images showing `digit` that the book's network reads as `digit`."""
    digit = _digit(digit, "digit")
    return _answer_exercises()[0].check(accuracy=float(accuracy), digit=digit)


def check_most_confused(true_digit, read_as):
    """The commonest mistake of the book's network: a `true_digit` read as `read_as`."""
    true_digit = _digit(true_digit, "true_digit")
    read_as = _digit(read_as, "read_as")
    return _answer_exercises()[1].check(true_digit=true_digit, read_as=read_as)


def time_batch_sizes(
    model, x, sizes=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000), repeat=3, min_images=2000
):
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
                model.predict(x[i : i + size])
            timings[size] = min(timings[size], (time.perf_counter() - start) * len(x) / used)
    return timings


def _plateau(timings):
    """The first batch size whose time is within PLATEAU_SLACK of the fastest, and the fastest time."""
    fastest = min(timings.values())
    first = min(size for size, seconds in timings.items() if seconds <= PLATEAU_SLACK * fastest)
    return first, fastest


def _timing_params(timings):
    sizes = sorted(timings)
    first, fastest = _plateau(timings)
    return {"SIZES": sizes, "SECONDS": [timings[s] for s in sizes], "FIRST": first, "FASTEST": fastest}


# Seconds for the 10,000 test images, by batch size, measured with time_batch_sizes on the machine that
# built the book (best of several runs, 3 significant digits); the book's form judges answers on these.
MEASURED_TIMINGS = {
    1: 1.76,
    2: 0.899,
    5: 0.401,
    10: 0.236,
    20: 0.107,
    50: 0.0469,
    100: 0.0207,
    200: 0.04,
    500: 0.0263,
    1000: 0.0536,
    2000: 0.0315,
    5000: 0.0595,
    10000: 0.055,
}


def _timings_table(timings):
    rows = "".join(f"<tr><td>{size}</td><td>{seconds:.3g}</td></tr>" for size, seconds in timings.items())
    return (
        "<p>In the book: the table holds the seconds the 10,000 test images took on the machine that built "
        "this book, by batch size (a busy machine: the numbers are noisy, as real timings are). From which "
        "batch size on do larger batches barely help, that is, come within 25 % of the fastest time?</p>"
        '<table><thead><tr><th scope="col">batch size</th><th scope="col">seconds</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


_BATCH_PLATEAU = Exercise(
    "ch06-batches",
    "ch06",
    "Exercise 2: when do batches stop helping?",
    [Number("batch_size", "batch size", integer=True)],
    params=_timing_params(MEASURED_TIMINGS),
    constants={"SLACK": PLATEAU_SLACK, "SPAN": PLATEAU_SPAN},
    values={"i": "argmax(SIZES == batch_size)", "seconds": "SECONDS[i]"},
    rules=[
        NotYet("not any(SIZES == batch_size)", "pick one of the measured batch sizes: {SIZES:g}."),
        NotYet(
            "batch_size < FIRST",
            "at {batch_size:g} there is still a lot to gain: the fastest batch size runs "
            "{seconds / FASTEST:.1f} times faster. Look further right on the curve.",
        ),
        NotYet(
            "batch_size > SPAN * FIRST",
            "batching had already stopped helping much at a smaller size (within "
            "{SLACK - 1:.0%} of the fastest time); look further left.",
        ),
        Right(
            None,
            "from about {FIRST:g} on, larger batches save at most {SLACK - 1:.0%}: {batch_size:g} takes "
            "{seconds:.3g} s, the fastest {FASTEST:.3g} s.",
        ),
    ],
    solution=(
        f"<p>The fastest time is {min(MEASURED_TIMINGS.values()):.3g} s; 25 % more is "
        f"{PLATEAU_SLACK * min(MEASURED_TIMINGS.values()):.3g} s. The first batch size at or below that is "
        f"<code>{_plateau(MEASURED_TIMINGS)[0]}</code>: past it, larger batches save at most a quarter of "
        f"the time (any measured size up to ten times it counts).</p>"
    ),
    answers={"batch_size": str(_plateau(MEASURED_TIMINGS)[0])},
    starter={"batch_size": "1"},
    secrets=[f"at or below that is {_plateau(MEASURED_TIMINGS)[0]}"],
    intro=_timings_table(MEASURED_TIMINGS),
)


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
    return _BATCH_PLATEAU.check(batch_size=int(batch_size), **_timing_params(timings))


def check_strongest_pixel(row, column):
    """Exercise 4: the pixel (row, column) where ink raises neuron PICTURE_NEURON's weighted sum the most.

    The neuron is one of the book's first layer: its 784 weights W1[:, 15], shown as a 28 x 28 picture.
    """
    row, column = _pixel(row, "row"), _pixel(column, "column")
    return _strongest_pixel_exercise().check(row=row, column=column)


def _pixel(value, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{what} must be a whole number 0..27, got {value!r}")
    return int(value)
