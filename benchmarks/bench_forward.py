"""How fast is nnlib's forward pass? Side by side, in one run, on the 10,000 MNIST test images.

    NNLIB_DATA=../shared/data python benchmarks/bench_forward.py [--repeats 30]

Rows (all float32, the book's 784-50-100-10 sigmoid/sigmoid/softmax network):
    nnlib predict       model.predict(x_test)
    numpy chain         the straightforward x @ W1 + b1, 1 / (1 + exp(-a)), ... as the book writes it
    PyTorch no_grad     the same network as torch.nn layers on the CPU (skipped if torch is missing)
    compute limit       0.904 GFLOP (2 * 10,000 * (784*50 + 50*100 + 100*10)) at the rate of a
                        2048x2048 float32 matmul, the best this machine's BLAS does
    per-image loop      model.predict(x) for one image at a time, 10,000 calls

The rows take turns in `--rounds` rounds of a few runs each, so that a busy machine slows all
of them alike; each row reports the median over the rounds of its best run in the round, and
the spread (fastest and slowest round) shows how noisy the machine was. Goals (issue 17):
nnlib <= 0.8x PyTorch's time, and within 1.5x of the limit.
On a machine shared with other work, compare on one core, where waiting threads do not
distort the times:  OPENBLAS_NUM_THREADS=1 python benchmarks/bench_forward.py  (PyTorch then
gets one thread too), and add --cpu-time to time the process's CPU seconds instead of the wall
clock: with one thread that leaves out the time other programs hold the core.
The OpenBLAS kernels can be chosen with OPENBLAS_CORETYPE (e.g. Haswell); the run prints which
kernels it used.
"""

import argparse
import ctypes
import glob
import os
import time

import numpy as np

import nnlib

FORWARD_GFLOP = 2 * 10_000 * (784 * 50 + 50 * 100 + 100 * 10) / 1e9  # 0.904


def best_time(fn, repeats, clock=time.perf_counter):
    best = np.inf
    for _ in range(repeats):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def blas_kernels():
    """The OpenBLAS kernel family numpy runs on this CPU (SkylakeX, Haswell, ...), or 'unknown'."""
    for lib in glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "*openblas*")):
        for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            try:
                corename = getattr(ctypes.CDLL(lib), symbol)
            except (OSError, AttributeError):
                continue
            corename.restype = ctypes.c_char_p
            return corename().decode()
    return "unknown"


def numpy_chain(x, W1, b1, W2, b2, W3, b3):
    """The forward pass as "Deep Learning from Scratch" writes it."""

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    def softmax(a):
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    with np.errstate(over="ignore"):  # exp(-a) overflows to inf for a < -88; 1 / inf = 0 is right
        z1 = sigmoid(x @ W1 + b1)
        z2 = sigmoid(z1 @ W2 + b2)
        return softmax(z2 @ W3 + b3)


def torch_model(weights):
    try:
        import torch
    except ImportError:
        return None, None
    W1, b1, W2, b2, W3, b3 = weights
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 50),
        torch.nn.Sigmoid(),
        torch.nn.Linear(50, 100),
        torch.nn.Sigmoid(),
        torch.nn.Linear(100, 10),
        torch.nn.Softmax(dim=1),
    )
    with torch.no_grad():
        for linear, W, b in zip(net[::2], (W1, W2, W3), (b1, b2, b3)):
            linear.weight.copy_(torch.from_numpy(W.T.copy()))  # PyTorch stores (units, inputs)
            linear.bias.copy_(torch.from_numpy(b))
    return torch, net


def main():
    parser = argparse.ArgumentParser(description="nnlib forward pass vs numpy, PyTorch and the compute limit")
    parser.add_argument("--repeats", type=int, default=30, help="runs per row in all (default 30)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds the runs are spread over (default 10)")
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="time CPU seconds of the process, not the wall clock (meaningful with one thread)",
    )
    args = parser.parse_args()
    clock = time.process_time if args.cpu_time else time.perf_counter

    (_, _), (x, t) = nnlib.load_mnist(normalize=True, flatten=True)
    model = nnlib.load_sample_network()
    weights = model.get_weights()
    assert x.dtype == np.float32 and all(w.dtype == np.float32 for w in weights)
    torch, net = torch_model(weights)
    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS")
    if torch is not None and blas_threads:
        torch.set_num_threads(int(blas_threads))

    # All implementations must agree before their times mean anything.
    y = model.predict(x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(numpy_chain(x, *weights), y, atol=1e-5)
    print(f"nnlib accuracy on the test set: {np.mean(y.argmax(axis=1) == t):.4f}")
    rows = {}
    runners = {"nnlib predict": lambda: model.predict(x), "numpy chain": lambda: numpy_chain(x, *weights)}
    if torch is not None:
        xt = torch.from_numpy(x)
        with torch.no_grad():
            np.testing.assert_allclose(net(xt).numpy(), y, atol=1e-5)

        def run_torch():
            with torch.no_grad():
                return net(xt)

        runners["PyTorch no_grad"] = run_torch
    A = np.random.default_rng(0).random((2048, 2048), dtype=np.float32)
    runners["matmul 2048^3"] = lambda: A @ A

    # Rounds of a few runs per row. Between rows a short pause lets the other library's
    # worker threads, which spin for a while after their work, go to sleep: otherwise they
    # compete for the 2 cores with the row being timed.
    per_round = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, fn in runners.items():
            time.sleep(0.3)
            fn()  # warm up: caches, thread pools
            per_round[name].append(best_time(fn, max(1, args.repeats // args.rounds), clock))
    median = {name: float(np.median(times)) for name, times in per_round.items()}
    spread = {name: (min(times), max(times)) for name, times in per_round.items()}
    gflops = 2 * 2048**3 / median.pop("matmul 2048^3") / 1e9
    rows.update(median)
    rows["compute limit"] = FORWARD_GFLOP / gflops

    loop_x = list(x)
    time.sleep(0.3)
    rows["per-image loop"] = best_time(lambda: [model.predict(image) for image in loop_x], 2, clock)

    print(
        f"OpenBLAS kernels: {blas_kernels()};  threads: numpy BLAS {blas_threads or 'default (all cores)'}, "
        + (f"torch {torch.get_num_threads()}" if torch else "torch not installed")
        + ("; clock: CPU time" if args.cpu_time else "; clock: wall")
    )
    print(
        f"2048x2048 float32 matmul: {gflops:.1f} GFLOP/s -> forward pass of {FORWARD_GFLOP:.3f} GFLOP "
        f"takes at least {rows['compute limit'] * 1e3:.2f} ms"
    )
    print()
    print(f"{'10,000 MNIST test images':<28}{'median':>10}   fastest-slowest round")
    for name, seconds in rows.items():
        low, high = spread.get(name, (None, None))
        noise = f"   {low * 1e3:.2f}-{high * 1e3:.2f} ms" if low is not None else ""
        print(f"{name:<28}{seconds * 1e3:>8.2f} ms{noise}")
    print()
    nn = rows["nnlib predict"]
    print(f"nnlib / numpy chain          {nn / rows['numpy chain']:6.2f}")
    if "PyTorch no_grad" in rows:
        print(f"nnlib / PyTorch              {nn / rows['PyTorch no_grad']:6.2f}   (goal <= 0.8)")
    else:
        print("nnlib / PyTorch              skipped (torch not installed)")
    print(f"nnlib / compute limit        {nn / rows['compute limit']:6.2f}   (goal <= 1.5)")
    print(f"per-image loop / batch       {rows['per-image loop'] / nn:6.0f}")


if __name__ == "__main__":
    main()
