"""detente's own MinHash (numpy alone) gives the signatures and LSH bands datasketch 2.0 gave, so story
clustering is unchanged by dropping datasketch and the 143 MB of scipy it pulls in (issue 15)."""

from __future__ import annotations

import numpy as np

from detente.analytics import minhash
from detente.analytics.stories import shingles

ODESA = "Russian forces launched a wave of drone attacks on the Ukrainian port city of Odesa overnight"


def test_signatures_are_those_datasketch_computed():
    # datasketch.MinHash(num_perm=128) updated with the same shingles (values recorded from datasketch 2.0.0).
    assert list(minhash.signature(shingles(ODESA))[:4]) == [579473721, 333632079, 120410100, 133729518]
    assert list(minhash.signature(shingles("short"))[:4]) == [653442442, 3686376727, 424366163, 4066110172]
    sig = minhash.signature(shingles("one two three four five six seven"))
    assert sig.dtype == np.uint32 and len(sig) == 128
    assert list(sig[:4]) == [984630812, 833933089, 1167325145, 1194518338]
    assert minhash.signature(set()) is None


def test_bands_are_those_datasketch_lsh_chooses():
    # MinHashLSH(threshold=t, num_perm=128).b, .r for each threshold.
    assert minhash.bands(0.7) == (14, 9)
    assert minhash.bands(0.5) == (25, 5)
    assert minhash.bands(0.9) == (5, 25)
    assert minhash.bands(0.15) == (51, 2)


def test_band_keys_match_exactly_when_a_band_matches():
    a = minhash.signature(shingles(ODESA))
    b = a.copy()
    b[9 * 3] ^= 1  # one value of the fourth band differs
    keys_a, keys_b = minhash.band_keys(a, 0.7), minhash.band_keys(b, 0.7)
    assert len(keys_a) == 14 and all(0 <= k < 2**63 for k in keys_a)
    assert [x == y for x, y in zip(keys_a, keys_b, strict=True)] == [i != 3 for i in range(14)]
    # The same rows in another band give another key: bands never meet across positions.
    assert len(set(minhash.band_keys(np.zeros(128, dtype=np.uint32), 0.7))) == 14


def test_jaccard_and_round_trip_through_text():
    a = minhash.signature(shingles(ODESA))
    b = minhash.signature(shingles(ODESA + " and more words were added to the end of it"))
    assert minhash.jaccard(a, a) == 1.0 and 0.3 < minhash.jaccard(a, b) < 1.0
    assert (
        np.array_equal(minhash.decode(minhash.encode(a)), a)
        and minhash.decode(minhash.encode(a)).dtype == np.uint32
    )
