"""How fast does nnlib train? MNIST, batch 100, Adam, side by side with PyTorch in one run.

    NNLIB_DATA=../shared/data python benchmarks/bench_training.py            # + the full training run
    NNLIB_DATA=../shared/data python benchmarks/bench_training.py --quick    # samples/s only

Rows:
    nnlib fit         one epoch of nnlib.training.fit over the 60,000 training images: the
                      784-50-100-10 sigmoid/sigmoid/softmax network, categorical cross-entropy,
                      Adam (Keras defaults), batch 100, shuffled
    PyTorch           the same network, loss (CrossEntropyLoss on the logits = softmax + CE),
                      optimiser (Adam with eps 1e-7 like Keras) and batch, on the CPU
                      (skipped if torch is missing)
    time to shipped   scripts/train_mnist_mlp.py's whole run, which makes nnlib/data/mnist-mlp.npz,
                      and the test accuracy it reaches (skipped with --quick)

Each samples/s figure is the best of `--epochs` epochs, nnlib and PyTorch taking turns.
On a shared machine compare on one core: OPENBLAS_NUM_THREADS=1 (PyTorch then gets one thread).
"""

import argparse
import importlib.util
import os
import time
from pathlib import Path

import numpy as np

import nnlib
from nnlib import Dense, Sequential
from nnlib.optimizers import Adam
from nnlib.training import fit

ROOT = Path(__file__).resolve().parents[1]


def nnlib_epoch(x, t, seed):
    model = Sequential([Dense(50, "sigmoid"), Dense(100, "sigmoid"), Dense(10, "softmax")], seed=seed)
    start = time.perf_counter()
    history = fit(
        model, x, t, "sparse_categorical_crossentropy", Adam(), epochs=1, batch_size=100, seed=seed, verbose=False
    )
    return time.perf_counter() - start, history["accuracy"][0]


def torch_epoch(torch, x, t, seed):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 50),
        torch.nn.Sigmoid(),
        torch.nn.Linear(50, 100),
        torch.nn.Sigmoid(),
        torch.nn.Linear(100, 10),
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, tt = torch.from_numpy(x), torch.from_numpy(t.astype(np.int64))
    start = time.perf_counter()
    order = torch.randperm(len(x))
    correct = 0
    for i in range(0, len(x), 100):
        rows = order[i : i + 100]
        logits = net(xt[rows])
        loss = loss_fn(logits, tt[rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (logits.argmax(1) == tt[rows]).sum().item()
    return time.perf_counter() - start, correct / len(x)


def main():
    parser = argparse.ArgumentParser(description="nnlib training speed vs PyTorch")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the full run of scripts/train_mnist_mlp.py")
    args = parser.parse_args()

    (x, t), _ = nnlib.load_mnist(normalize=True, flatten=True)
    try:
        import torch
    except ImportError:
        torch = None
    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS")
    if torch is not None and blas_threads:
        torch.set_num_threads(int(blas_threads))
    print(
        f"threads: numpy BLAS {blas_threads or 'default (all cores)'}, "
        + (f"torch {torch.get_num_threads()}" if torch else "torch not installed")
    )

    times = {"nnlib fit": [], "PyTorch": []}
    for epoch in range(args.epochs):
        # the pauses let the other library's spinning worker threads go to sleep first
        time.sleep(0.3)
        seconds, acc = nnlib_epoch(x, t, epoch)
        times["nnlib fit"].append(seconds)
        print(f"nnlib   epoch {epoch + 1}: {seconds:6.2f} s, training accuracy {acc:.4f}", flush=True)
        if torch is not None:
            time.sleep(0.3)
            seconds, acc = torch_epoch(torch, x, t, epoch)
            times["PyTorch"].append(seconds)
            print(f"PyTorch epoch {epoch + 1}: {seconds:6.2f} s, training accuracy {acc:.4f}", flush=True)

    print()
    print(f"{'MNIST, batch 100, Adam':<26}{'samples/s':>12}")
    rate = {name: len(x) / min(s) for name, s in times.items() if s}
    for name, r in rate.items():
        print(f"{name:<26}{r:>12,.0f}")
    if "PyTorch" in rate:
        print(f"nnlib / PyTorch speed      {rate['nnlib fit'] / rate['PyTorch']:>8.2f}")
    else:
        print("PyTorch                    skipped (torch not installed)")

    if not args.quick:
        spec = importlib.util.spec_from_file_location("train_mnist_mlp", ROOT / "scripts" / "train_mnist_mlp.py")
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        _, report = script.train(verbose=False)
        print(
            f"time to the shipped accuracy: {report['seconds']:.1f} s for test accuracy "
            f"{report['test_accuracy']:.4f} (scripts/train_mnist_mlp.py, default settings)"
        )


if __name__ == "__main__":
    main()
