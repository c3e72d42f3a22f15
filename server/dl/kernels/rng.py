"""SplitMix64 in counter form: the dropout draws of a training row, computed side by side.

The state lives in a one-element ``uint64`` array so that helper kernels can advance it.  Draw j
of a call is ``mix(state + (j + 1) * GOLDEN)`` and the call then adds ``n * GOLDEN`` to the state:
the numbers are those of sequential SplitMix64 (Steele, Lea & Flood 2014), but no draw waits for
the one before, so a row's draws form one vectorized loop.  The xorshift64* generator this replaced
was a serial chain of six dependent operations per draw, and input dropout on MNIST's ~150
non-zero inputs per row took 330 ns/row against 130 ns now (the booklet's trial net: 5% faster).

``chunk_state`` derives a well-mixed state per thread's chunk, so a given (seed, chunk,
processed_before) always gives the same stream: reproducible for a thread count.
"""
import numpy as np

from .jit import kernel

_MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def _splitmix64(x: int) -> int:
    x = (x + GOLDEN) & _MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def chunk_state(seed: int, chunk: int, processed_before: int) -> np.ndarray:
    """RNG state for one chunk of rows."""
    s = _splitmix64(int(seed) & _MASK)
    s = _splitmix64(s ^ ((int(chunk) + 1) * 0xD1B54A32D192ED03 & _MASK))
    s = _splitmix64(s ^ (int(processed_before) & _MASK))
    return np.array([s], dtype=np.uint64)


@kernel(fastmath=False, inline=True)
def uniform_at(x, j):
    """Draw j after state ``x``: a float32 uniform in [0, 1) from the top 24 bits of SplitMix64."""
    z = x + np.uint64(j + 1) * np.uint64(GOLDEN)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return np.float32(np.float64(z >> np.uint64(40)) * (1.0 / 16777216.0))


@kernel
def draw_uniforms(rng, u, n):
    """Fill ``u[0:n]`` with uniforms in [0, 1) and advance the state past them."""
    x = rng[0]
    for j in range(n):
        u[np.uint64(j)] = uniform_at(x, j)
    rng[0] = x + np.uint64(n) * np.uint64(GOLDEN)
