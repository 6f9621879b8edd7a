"""load_mnist(split="test"): the test set alone, the same arrays as from the full load, without reading the training files."""

import shutil

import numpy as np
import pytest

import nnlib
from nnlib import datasets


def test_test_split_equals_the_full_load():
    (_, _), (x_full, t_full) = nnlib.load_mnist(normalize=True, flatten=False, one_hot_label=True)
    x, t = nnlib.load_mnist(normalize=True, flatten=False, one_hot_label=True, split="test")
    assert x.shape == (10000, 1, 28, 28) and x.dtype == np.float32 and t.shape == (10000, 10)
    np.testing.assert_array_equal(x, x_full)
    np.testing.assert_array_equal(t, t_full)
    x_train, t_train = nnlib.load_mnist(normalize=False, split="train")
    assert x_train.shape == (60000, 784) and x_train.dtype == np.uint8 and t_train.shape == (60000,)


def test_test_split_reads_only_the_two_test_files(tmp_path):
    # A folder with only the test files is enough for split="test"; the full load names what is missing.
    source = datasets.mnist_dir()
    for key in ("test_images", "test_labels"):
        fname = datasets.MNIST_FILES[key][0]
        shutil.copy(source / fname, tmp_path / fname)
    x, t = nnlib.load_mnist(normalize=False, data_dir=tmp_path, split="test")
    assert x.shape == (10000, 784) and t[:5].tolist() == [7, 2, 1, 0, 4]
    x[0, :] = 255  # the caller's copy: the next call is unaffected
    assert nnlib.load_mnist(normalize=False, data_dir=tmp_path, split="test")[0][0].min() == 0


def test_a_missing_test_file_offline_names_the_split_files(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MIRRORS", ["http://127.0.0.1:9/"])  # nothing listens on port 9
    with pytest.raises(
        datasets.DownloadError,
        match=r"MNIST test files t10k-images-idx3-ubyte\.gz and "
        r"t10k-labels-idx1-ubyte\.gz into",
    ):
        nnlib.load_mnist(data_dir=tmp_path, split="test")


def test_bad_split_is_refused():
    with pytest.raises(ValueError, match="split must be None"):
        nnlib.load_mnist(split="validation")
