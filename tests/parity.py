"""Shared parts of the property-based differential tests (tests/test_parity_*.py, tests/browser/test_parity_*.py):
Hypothesis settings, strategies for values with their extremes, and the comparison of nnlib's numbers with nn.js's.

Settings: the "ci" profile is deterministic (derandomize: the same examples on every run, no example database) and
bounded so that the Node suites take under 25 s and the Chromium sample under 15 s on the course's machine.
PARITY_EXAMPLES=1000 (an environment variable, the examples per 100 of the profile) searches deeper, and
PARITY_RANDOM=1 draws fresh examples on every run instead of the fixed ones.
"""

import math
import os

import numpy as np
from hypothesis import HealthCheck, settings, strategies as st

FLOAT32_MAX = float(np.finfo(np.float32).max)
FLOAT32_TINY = float(np.finfo(np.float32).tiny)

# The values naive formulas get wrong: overflow of exp (88.7 in float32, 709.8 in float64), the float32 limits,
# subnormals, signed zeros, the infinities.
EXTREMES = [
    0.0,
    -0.0,
    1e-300,
    -1e-300,
    5e-324,
    -5e-324,
    1e-8,
    -1e-8,
    40.0,
    -40.0,
    88.72,
    -88.72,
    709.78,
    -709.78,
    750.0,
    -750.0,
    1e4,
    -1e4,
    FLOAT32_MAX,
    -FLOAT32_MAX,
    FLOAT32_TINY,
    -FLOAT32_TINY,
    1e308,
    -1e308,
    math.inf,
    -math.inf,
]


def examples(count):
    """Hypothesis settings running `count` examples (times PARITY_EXAMPLES / 100 when that is set)."""
    scale = int(os.environ.get("PARITY_EXAMPLES", "100")) / 100
    return settings(
        max_examples=max(1, int(count * scale)),
        deadline=None,
        derandomize="PARITY_RANDOM" not in os.environ,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


def values(nan=True, everyday=(-8.0, 8.0)):
    """Numbers: mostly the everyday range, often an extreme, sometimes any double (NaN if `nan`)."""
    return st.one_of(
        st.floats(*everyday),
        st.sampled_from(EXTREMES),
        st.floats(allow_nan=nan, allow_infinity=True),
        *([st.just(math.nan)] if nan else []),
    )


def same(js, py, rtol=1e-10, atol=1e-13, what=""):
    """Assert nn.js's numbers equal nnlib's: NaN where nnlib has NaN, the same infinities, finite ones close."""
    js = np.asarray(js, dtype=np.float64).ravel()
    py = np.asarray(py, dtype=np.float64).ravel()
    assert js.shape == py.shape, f"{what}: nn.js gave {js.size} numbers, nnlib {py.size}"
    nan_js, nan_py = np.isnan(js), np.isnan(py)
    assert np.array_equal(nan_js, nan_py), (
        f"{what}: NaN at {np.flatnonzero(nan_js)} in nn.js, "
        f"{np.flatnonzero(nan_py)} in nnlib\n  nn.js {js}\n  nnlib {py}"
    )
    inf = np.isinf(js) | np.isinf(py)
    assert np.array_equal(js[inf], py[inf]), f"{what}: infinities differ\n  nn.js {js}\n  nnlib {py}"
    ok = ~(nan_py | inf)
    np.testing.assert_allclose(js[ok], py[ok], rtol=rtol, atol=atol, err_msg=what)
