"""Build ``detente/events/data/embedding/`` from WordLlama's static sub-word table (the ``build`` extra).

WordLlama (``wordllama==0.4.0.post1`` on PyPI, MIT, Lee Miller) ships a 32,000 x 256 table of sub-word
embeddings (``l2_supercat_256``) with the BPE vocabulary of its tokenizer. The event type model reads the
mean of these rows over a sentence and over a clause (``detente.events.embedding``). Depending on the
package at run time would pull in its tokenizer library and a model-hub client (about 70 MB, and a loader
that tries the network), so this script keeps what the coder needs: the pieces made of printable ASCII
(25,195 of 32,000: news in English), their rows quantised to int8 with one float32 scale per row.

    python scripts/build_embedding.py

Same package, same file: pieces are kept in vocabulary order and the arrays are written uncompressed by
``numpy.savez`` into a deterministic zip (fixed member order, fixed timestamps).
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from io import BytesIO
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "detente" / "events" / "data" / "embedding"
SOURCE_VERSION = "wordllama==0.4.0.post1"
WORD_START = "\u2581"  # SentencePiece's mark of a piece that begins a word


def _package() -> Path:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("build_embedding: install the build extra first (pip install -e '.[build]')")
    return Path(next(iter(spec.submodule_search_locations)))


def printable(piece: str) -> bool:
    return bool(piece) and all(32 <= ord(c) < 127 or c == WORD_START for c in piece)


def main() -> int:
    from safetensors.numpy import load_file

    base = _package()
    table = load_file(str(base / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
    config = json.loads((base / "tokenizers" / "l2_supercat_tokenizer_config.json").read_text("utf-8"))
    vocabulary: dict[str, int] = config["model"]["vocab"]
    pieces = sorted(
        (p for p in vocabulary if printable(p) and not p.startswith("<")), key=vocabulary.__getitem__
    )
    rows = table[[vocabulary[p] for p in pieces]].astype(np.float32)
    scales = np.abs(rows).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.round(rows / scales[:, None]).astype(np.int8)
    OUT.mkdir(parents=True, exist_ok=True)
    arrays = {"pieces": np.array("\n".join(pieces)), "rows": quantised, "scales": scales.astype(np.float32)}
    with zipfile.ZipFile(OUT / "table.npz", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = BytesIO()
            np.save(buffer, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())
    (OUT / "source.json").write_text(
        json.dumps({"package": SOURCE_VERSION, "table": "l2_supercat_256", "pieces": len(pieces),
                    "dimensions": int(rows.shape[1]), "quantisation": "int8, one float32 scale per row"},
                   indent=1) + "\n", encoding="utf-8")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
