"""MinHash signatures and LSH band keys for near-duplicate detection, in numpy alone.

The signatures are bit for bit those of ``datasketch.MinHash`` (version 2, its default ``affine32``
scheme: SHA-1's first four bytes, the MurmurHash3 finalizer, then ``a * h + b`` modulo 2³² with seed 1),
and the bands those ``datasketch.MinHashLSH`` chooses for a threshold (the split into ``bands`` × ``rows``
that minimises the summed false positive and false negative probability). datasketch needs scipy
(143 MB) for that one integral; computing it here keeps the runtime install lean (issue 15), and
``tests/test_minhash.py`` pins values datasketch produced.

A signature is stored as 128 unsigned 32-bit values. Its **band keys** are 63-bit integers, one per
band, hashing the band's index and its rows: two articles are candidates when they share a key, exactly
when datasketch's LSH would put them in one bucket (up to a 2⁻⁶³ collision, which the Jaccard estimate
that confirms every candidate would catch anyway). Keys fit a signed 64-bit column on every database.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

NUM_PERM = 128
SEED = 1
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_MAX = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def signature(shingles: Iterable[bytes], num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray | None:
    """The MinHash signature of a set of shingles (``num_perm`` uint32 values); None for an empty set."""
    hashes = [struct.unpack("<I", hashlib.sha1(s).digest()[:4])[0] for s in shingles]
    if not hashes:
        return None
    a, b = _permutations(num_perm, seed)
    hv = _fmix(np.array(hashes, dtype=np.uint32).reshape(-1, 1))
    with np.errstate(over="ignore"):
        permuted = hv * a + b  # wraps modulo 2**32, as intended
    return np.minimum(np.full(num_perm, _MAX, dtype=np.uint32), permuted.min(axis=0))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity the two signatures estimate: the share of equal values."""
    return float(np.count_nonzero(a == b)) / float(len(a))


def _integrate(f: object, lo: float, hi: float, steps: int = 2000) -> float:
    xs = np.linspace(lo, hi, steps + 1)
    ys = f(xs)  # type: ignore[operator]
    return float(np.sum((ys[1:] + ys[:-1]) * (xs[1:] - xs[:-1])) / 2.0)


@lru_cache(maxsize=8)
def bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) minimising false positives plus false negatives, as datasketch's LSH does."""
    best, choice = float("inf"), (1, 1)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _integrate(lambda s, b=b, r=r: 1 - (1 - s**r) ** b, 0.0, threshold)
            fn = _integrate(lambda s, b=b, r=r: (1 - s**r) ** b, threshold, 1.0)
            if fp + fn < best:
                best, choice = fp + fn, (b, r)
    return choice


def band_keys(sig: np.ndarray, threshold: float) -> list[int]:
    """One signed 63-bit key per LSH band of ``sig`` (band index and rows hashed together)."""
    count, rows = bands(threshold, len(sig))
    keys = []
    for band in range(count):
        digest = hashlib.blake2b(
            sig[band * rows : (band + 1) * rows].astype("<u4").tobytes(),
            digest_size=8,
            person=b"band%04d" % band,
        ).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def encode(sig: np.ndarray) -> str:
    """A signature as text (base64 of little-endian uint32), for a TEXT column on every database."""
    return base64.b64encode(sig.astype("<u4").tobytes()).decode("ascii")


def decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)
