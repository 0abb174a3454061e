"""Bytes to clean text: binary detection, encoding detection, normalisation, language identification.

Normalisation happens once, before anything is stored; every character offset detente produces
indexes the normalised text that is stored as ``Article.text``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from detente.errors import BinaryInputError, EncodingError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KB mean it is not text."""
    head = data[:8192]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def decode(data: bytes, path: str | Path) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else the encoding charset-normalizer detects."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(path, "starts with a UTF-16 mark but is not valid UTF-16") from exc
    if looks_binary(data):
        raise BinaryInputError(
            path, "is a binary file, not text", hint="give detente .txt, .html, .jsonl or .csv files"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise EncodingError(
            path, "is not valid UTF-8 and its encoding could not be detected", hint="convert it to UTF-8"
        )
    return str(best)


def normalize(text: str) -> str:
    """NFC, unified newlines and spaces, no control characters, no runs of blank lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _ODD_SPACE.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    confidence: float


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> Language:
    """Offline language identification (py3langid) on the first few thousand characters."""
    sample = text[:3000]
    if len(sample.split()) < 4:
        # Too short to tell; headlines and fragments are treated as English.
        return Language("en", 0.0)
    code, confidence = _identifier().classify(sample)
    return Language(str(code), float(confidence))
