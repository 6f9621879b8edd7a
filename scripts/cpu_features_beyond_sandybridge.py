"""Print the numpy SIMD targets this CPU runs that a Sandy Bridge CPU (AVX, no AVX2/FMA/AVX-512) lacks.

`make test` runs its numeric checks twice: with the machine's own kernels, and as an older CPU would compute,
with OPENBLAS_CORETYPE=Sandybridge and NPY_DISABLE_CPU_FEATURES set to this script's output. numpy refuses to
disable a target it did not dispatch, so the list is read from this numpy on this CPU (numpy >= 2.4 names
groups such as X86_V3 and X86_V4; older releases name single features such as AVX2 and AVX512F).
"""

try:  # numpy >= 2
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
except ImportError:  # numpy 1.x
    from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__

# What Sandy Bridge has: everything up to AVX (x86-64-v2 plus AVX), but not F16C, FMA3, AVX2 or AVX-512.
SANDYBRIDGE = {"SSE", "SSE2", "SSE3", "SSSE3", "SSE41", "POPCNT", "SSE42", "AVX", "X86_V2"}

print(" ".join(t for t in __cpu_dispatch__ if __cpu_features__.get(t) and t not in SANDYBRIDGE))
