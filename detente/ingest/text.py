"""Bytes to clean text: binary detection, honest decoding, normalisation, language identification.

Normalisation happens once, before anything is stored; every character offset detente produces
indexes the normalised text that is stored as ``Article.text``.

Decoding is honest: UTF-8 first (with or without a byte-order mark; UTF-16 with one). Bytes that are
not UTF-8 are read in another encoding only when one fits them with confidence (the share of the
decoded non-ASCII characters that read as ordinary text: letters inside words of one script, the
quotes, dashes and symbols news uses), and then with a ``DecodingWarning`` naming the file and the
encoding. Otherwise the file is refused: a guess that turns "Moscow" into "Moscяюw" would become an
actor and be stored as if it had been read.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from detente.errors import BinaryInputError, DecodingWarning, EncodingError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# spaCy's tokenizer peels prefix and suffix marks off a chunk one at a time, searching and copying the
# rest each time: a chunk of n marks costs n² (10,000 quote marks: 8 s; 20,000 emoji: 50 s), and a chunk
# of runs of r marks between letters costs about r per character (runs of 50 in 1,000-character chunks:
# 30 µs a character, two thirds of a parse). Runs of marks longer than MAX_MARK_RUN and chunks longer than
# MAX_CHUNK are broken up with spaces, in place (the text keeps its length, so offsets into it stay
# valid): the worst chunk then tokenizes at about 5 µs a character. No news sentence has either.
MAX_MARK_RUN = 16
MAX_CHUNK = 1000
# The lookbehinds anchor each match at the start of its run: without them a run just short of the
# limit is rescanned from each of its characters (quadratic again).
_MARK_RUN = re.compile(rf"(?<![^\w\s])[^\w\s]{{{MAX_MARK_RUN + 1},}}")
_LONG_CHUNK = re.compile(rf"(?<!\S)\S{{{MAX_CHUNK + 1},}}")

MIN_ENCODING_CONFIDENCE = 0.9
# Besides letters, what a legacy-encoded news text plausibly holds: typographic quotes, dashes,
# currency and the few symbols news uses. Anything else (C1 controls, spacing accents, ¤ ¦ ¬ ...) is
# what a wrong code page makes of the bytes.
_ORDINARY_MARKS = frozenset("“”‘’„‚–—…«»‹›€£¥¢°§•·¡¿©®™±×÷½¼¾²³µ\u00a0")
# Letters a wrong single-byte decoding produces far more often than real text holds: the UTF-8 lead
# bytes read as Latin-1 (Ã, Â), the Icelandic letters, ÿ.
_MOJIBAKE_LETTERS = frozenset("ÃÂÐðÞþÿƒ")
_LETTERS = re.compile(r"[^\W\d_]+")
_ONE_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "IDEOGRAPHIC": "CJK"}
# A complete multi-byte UTF-8 sequence: many of them beside a few bad bytes mean damaged UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_ASCII_PROBE = b"The 2 sides met, officials said: (Monday) <p>\n"


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KB mean it is not text."""
    head = data[:8192]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding it was read in and how sure that reading is (1.0 for UTF-8)."""

    text: str
    encoding: str
    confidence: float = 1.0


def decode(data: bytes, path: str | Path) -> str:
    """The text of ``data`` (see :func:`decode_bytes`)."""
    return decode_bytes(data, path).text


def decode_bytes(data: bytes, path: str | Path) -> Decoded:
    """Decode bytes as UTF-8 (with or without BOM; UTF-16 with a BOM), else in an encoding that fits them
    with confidence ≥ MIN_ENCODING_CONFIDENCE, with a ``DecodingWarning``; else raise ``EncodingError``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(path, "starts with a UTF-16 mark but is not valid UTF-16") from exc
    if looks_binary(data):
        raise BinaryInputError(
            path, "is a binary file, not text", hint="give detente .txt, .html, .jsonl or .csv files"
        )
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    bad = f"byte 0x{data[first_bad]:02X} at offset {first_bad}"
    sequences = _UTF8_SEQUENCE.findall(data)
    stray = len(_HIGH_BYTE.findall(data)) - sum(len(s) for s in sequences)
    if len(sequences) >= stray:
        raise EncodingError(
            path, f"is damaged UTF-8: {stray} byte(s) are not UTF-8 (the first, {bad})",
            hint="re-export it as UTF-8, or drop the bad bytes (iconv -c -f UTF-8 -t UTF-8)",
        )  # fmt: skip
    best = _best_legacy_reading(data)
    if best is None:
        raise EncodingError(
            path, f"is not UTF-8 ({bad}) and its encoding could not be detected", hint="convert it to UTF-8"
        )
    if best.confidence < MIN_ENCODING_CONFIDENCE:
        raise EncodingError(
            path, f"is not UTF-8 ({bad}) and its encoding cannot be told with confidence (best guess "
            f"{best.encoding}: {best.confidence:.2f}, {MIN_ENCODING_CONFIDENCE:.2f} needed)",
            hint=f"convert it to UTF-8, e.g. iconv -f {best.encoding} -t UTF-8",
        )  # fmt: skip
    warnings.warn(
        DecodingWarning(f"{path}: is not UTF-8; read as {best.encoding} (confidence {best.confidence:.2f})"),
        stacklevel=2,
    )
    return best


def _best_legacy_reading(data: bytes) -> Decoded | None:
    """The most plausible reading among the encodings charset-normalizer proposes, plus cp1252 (the
    Western legacy default, as browsers read Latin-1); ties go to cp1252, then to the detector's order."""
    from charset_normalizer import from_bytes

    proposed = [match.encoding for match in from_bytes(data)][:5]
    best: Decoded | None = None
    for encoding in dict.fromkeys(["cp1252", *proposed]):
        try:
            text = data.decode(encoding)
            # UTF-16 without a mark or EBCDIC would read plain ASCII as something else entirely.
            ascii_compatible = _ASCII_PROBE.decode(encoding) == _ASCII_PROBE.decode("ascii")
        except (UnicodeDecodeError, LookupError):
            continue
        if not ascii_compatible:
            continue
        reading = Decoded(text, encoding, reading_confidence(text))
        if best is None or reading.confidence > best.confidence:
            best = reading
    return best


def reading_confidence(text: str) -> float:
    """How sure a reading of legacy-encoded bytes is: the share of its non-ASCII characters that read as
    ordinary text, discounted when there are few of them. A wrong code page still reads about one
    character in two as something ordinary, so n ordinary characters are wrong by chance 2^-n of the
    time: one or two bytes ("Mosc\\xff\\xfew") cannot tell an encoding, a page of accents can."""
    ordinary, total = _ordinary_characters(text)
    if not total:
        return 1.0
    return ordinary / total * (1 - 0.5**ordinary)


def _ordinary_characters(text: str) -> tuple[int, int]:
    """(ordinary, all) non-ASCII characters. A letter is ordinary inside a word of one script
    ("Moscяюw" is not), unless it is one a wrong code page typically makes (Ã, þ, ÿ) or its Latin word is
    mostly accents ("Ìîñêâà" is Cyrillic read as cp1252); a mark is ordinary when news uses it (quotes,
    dashes, €, °)."""
    ordinary = total = 0
    for match in _LETTERS.finditer(text):
        word = match.group()
        foreign = sum(1 for ch in word if ord(ch) > 127)
        if foreign:
            total += foreign
            ordinary += foreign if _ordinary_word(word, foreign) else 0
    for ch in text:
        if ord(ch) > 127 and not _LETTERS.fullmatch(ch):
            total += 1
            ordinary += ch in _ORDINARY_MARKS
    return ordinary, total


def _ordinary_word(word: str, foreign: int) -> bool:
    if any(ch in _MOJIBAKE_LETTERS for ch in word):
        return False
    scripts = {_script(ch) for ch in word}
    if len(scripts) > 1:
        return False
    return not (scripts == {"LATIN"} and len(word) >= 4 and foreign > len(word) / 2)


def _script(ch: str) -> str:
    if ord(ch) < 128:
        return "LATIN"
    first = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return _ONE_SCRIPT.get(first, first)


def scrub(text: str) -> str:
    """``text`` without lone surrogates (a JSON "\\ud800" escape decodes to one): a surrogate pair split
    in two is joined, a lone one becomes U+FFFD. UTF-8 cannot encode them, so a database write fails."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def scrub_all(value: Any) -> Any:
    """:func:`scrub` applied to every string in parsed JSON, keys included (a JSON "\\ud800" escape is
    legal JSON)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, Mapping):
        return {scrub_all(k): scrub_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_all(v) for v in value]
    return value


def neutralize(text: str) -> str:
    """Runs of marks and giant chunks broken up with spaces, keeping every character's offset (see
    MAX_MARK_RUN): what spaCy's tokenizer can read in time linear in the text."""
    if _MARK_RUN.search(text):
        text = _MARK_RUN.sub(lambda m: m.group()[:MAX_MARK_RUN] + " " * (len(m.group()) - MAX_MARK_RUN), text)
    if _LONG_CHUNK.search(text):
        text = _LONG_CHUNK.sub(_split_chunk, text)
    return text


def _split_chunk(match: re.Match[str]) -> str:
    chars = list(match.group())
    chars[MAX_CHUNK - 1 :: MAX_CHUNK] = " " * len(chars[MAX_CHUNK - 1 :: MAX_CHUNK])
    return "".join(chars)


def normalize(text: str) -> str:
    """NFC, unified newlines and spaces, no control characters or lone surrogates, runs of marks and
    giant chunks broken up (:func:`neutralize`), no runs of blank lines."""
    text = unicodedata.normalize("NFC", scrub(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _ODD_SPACE.sub(" ", text)
    text = neutralize(text)
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
