"""A tiny xorshift64* generator usable inside Numba kernels (dropout masks).

The state lives in a one-element ``uint64`` array so that helper kernels can advance it.
``chunk_state`` derives a well-mixed, non-zero state per HOGWILD chunk with SplitMix64, so a
given (seed, chunk, processed_before) always gives the same stream: reproducible with 1 thread.
"""
import numpy as np

from .jit import kernel

_MASK = (1 << 64) - 1


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def chunk_state(seed: int, chunk: int, processed_before: int) -> np.ndarray:
    """RNG state for one chunk of rows (never zero: xorshift would stay at zero)."""
    s = _splitmix64(int(seed) & _MASK)
    s = _splitmix64(s ^ ((int(chunk) + 1) * 0xD1B54A32D192ED03 & _MASK))
    s = _splitmix64(s ^ (int(processed_before) & _MASK))
    return np.array([s or 0x2545F4914F6CDD1D], dtype=np.uint64)


@kernel(fastmath=False, inline=True)
def next_u64(state):
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return x * np.uint64(0x2545F4914F6CDD1D)


@kernel(fastmath=False, inline=True)
def next_f32(state):
    """Uniform float32 in [0, 1) from the top 24 bits."""
    return np.float32(np.float64(next_u64(state) >> np.uint64(40)) * (1.0 / 16777216.0))


@kernel(fastmath=False, inline=True)
def step(x):
    """One xorshift64* step on a state held in a local variable: ``(new state, output)``.

    Loops drawing many numbers keep the state in a register this way (the array form makes
    every draw a store and a reload, since the compiler cannot rule out aliasing)."""
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    return x, x * np.uint64(0x2545F4914F6CDD1D)


@kernel(fastmath=False, inline=True)
def two_u24(out):
    """Two uniform 24-bit integers from one output (bits 40-63 and 16-39 of xorshift64*'s
    output, both of good quality): half the serial generator steps of two ``next_f32`` calls."""
    return out >> np.uint64(40), (out >> np.uint64(16)) & np.uint64(0xFFFFFF)


@kernel(fastmath=False, inline=True)
def u24_threshold(p):
    """The integer ``t`` with ``u24 >= t`` exactly when ``u24 / 2**24 >= p`` (``next_f32() >= p``)."""
    return np.uint64(np.ceil(np.float64(p) * 16777216.0))
