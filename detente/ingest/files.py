"""Files and folders to ``Article`` records.

Reads ``.txt .md .html .htm .jsonl .csv`` and feeds ``.rss .atom .xml`` (``feeds.py``); http(s) URLs
among the paths are fetched (``http.py``). A problem with one file or one record is yielded as an
``InputError`` value instead of raised, so a run reports it and goes on with the rest: every file and
every record is read inside its own error boundary, so even an error nobody foresaw ends only that
record (a RecursionError from a deeply nested JSON line, expat refusing a feed's declared encoding).
Every string field is scrubbed of lone surrogates, which UTF-8 (and so the database) cannot hold.

Plain-text and HTML files may carry metadata in a sidecar ``NAME.meta.json`` next to them
(``{"title", "url", "outlet", "published"}``), which is how the bundled example gets its date. An article
that no field, sidecar or feed dates takes the date its own top states ("KYIV, March 20, 2025 — ...",
``datelines.py``), marked ``published_from: "dateline"`` in its meta.
"""

from __future__ import annotations

import csv
import io
import json
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.errors import (
    DetenteError,
    EmptyInputError,
    InputError,
    RecordError,
    TooLargeError,
    UnsupportedFormatError,
)
from detente.ingest.datelines import dateline_date
from detente.ingest.html import extract_html
from detente.ingest.text import Decoded, decode_bytes, identify_language, normalize, scrub_all
from detente.records import Article, article_id, parse_published

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
RECORD_SUFFIXES = (".jsonl", ".csv")
FEED_SUFFIXES = (".rss", ".atom", ".xml")  # read by detente.ingest.feeds
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + RECORD_SUFFIXES + FEED_SUFFIXES
ARTICLE_FIELDS = ("id", "text", "title", "url", "outlet", "published")
MAX_NESTING = 32  # JSON nesting of a record's extra fields; deeper is a malformed or hostile record


@dataclass(frozen=True, slots=True)
class IngestOptions:
    max_chars: int = 2_000_000  # per article; a 20 MB text is refused with a message, not parsed for minutes
    max_file_bytes: int = 2_000_000_000  # per file; JSONL/CSV corpora stream record by record
    languages: tuple[str, ...] = ("en",)
    min_language_confidence: float = 0.8
    defaults: Mapping[str, Any] | None = None  # title/outlet/published for records that lack them


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | str | InputError]:
    """Files as given, folders walked recursively (sorted, supported extensions only), URLs as str."""
    from detente.ingest.http import is_url

    for raw in paths:
        if is_url(raw):
            yield str(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED and not _is_project_file(p)
            )  # fmt: skip
            if not found:
                yield EmptyInputError(path, f"folder has no {' '.join(SUPPORTED)} files")
            yield from found
        elif path.is_file():
            yield path
        else:
            yield InputError(path, "no such file or folder", hint="check the path")


def _is_project_file(path: Path) -> bool:
    # A folder of articles often carries its own README or LICENSE; those are not news.
    return path.stem.upper() in {"README", "LICENSE", "CHANGELOG", "NOTICE"}


def read_paths(
    paths: Iterable[str | Path], options: IngestOptions | None = None
) -> Iterator[Article | InputError]:
    options = options or IngestOptions()
    for item in expand_paths(paths):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            if isinstance(item, str):
                from detente.ingest.http import read_url

                yield from read_url(item, options)
            else:
                yield from read_file(item, options)
        except InputError as exc:
            yield exc
        except DetenteError as exc:
            yield InputError(item, str(exc))
        except OSError as exc:
            yield InputError(item, f"cannot be read: {exc.strerror or exc}")
        except Exception as exc:  # one file never ends a run: an unforeseen error is this file's error
            yield unexpected_error(item, exc)


def unexpected_error(where: object, exc: BaseException) -> InputError:
    """An error nobody foresaw while reading one file or record, as that input's InputError."""
    return InputError(
        where, f"could not be read ({type(exc).__name__}: {str(exc)[:200]})",
        hint="the other inputs were read; please report this input to the detente maintainers",
    )  # fmt: skip


def read_file(path: Path, options: IngestOptions) -> Iterator[Article | InputError]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFormatError(
            path, f"unsupported file type {suffix or '(none)'!r}",
            hint=f"detente reads {' '.join(SUPPORTED)}; convert the file or rename it",
        )  # fmt: skip
    size = path.stat().st_size
    if size == 0:
        raise EmptyInputError(path, "is empty", hint="nothing to code")
    if suffix in FEED_SUFFIXES:
        from detente.ingest.feeds import read_feed_file

        yield from read_feed_file(path, options)
        return
    if suffix in RECORD_SUFFIXES:
        if size > options.max_file_bytes:
            raise TooLargeError(
                path, f"is {size / 1e6:.0f} MB, over the {options.max_file_bytes / 1e6:.0f} MB limit"
            )
        reader = _read_jsonl if suffix == ".jsonl" else _read_csv
        yield from reader(path, options)
        return
    if size > options.max_chars * 4:  # cheap check before decoding: UTF-8 is at most 4 bytes a character
        raise _too_large(path, size, options)
    decoded = decode_bytes(path.read_bytes(), path)
    meta = _sidecar(path)
    if suffix in HTML_SUFFIXES:
        fields = extract_html(decoded.text, path)
        fields.update({k: v for k, v in meta.items() if v})
    else:
        text = normalize(decoded.text)
        first_line = text.split("\n", 1)[0].strip()
        fields = {"text": text, "title": first_line if 0 < len(first_line) <= 200 else None, **meta}
    fields.setdefault("meta", {})["source"] = str(path)
    if decoded.encoding != "utf-8":
        fields["meta"]["encoding"] = _encoding_note(decoded)
    yield make_article(fields, path, options)


def _too_large(path: Path | str, size: int, options: IngestOptions) -> TooLargeError:
    return TooLargeError(
        path, f"is too large to code as one article ({size / 1e6:.1f} MB; limit {options.max_chars:,} characters)",
        hint="split it into articles (one per line in a .jsonl file) or raise --max-chars",
    )  # fmt: skip


def _encoding_note(decoded: Decoded) -> dict[str, Any]:
    return {"name": decoded.encoding, "confidence": round(decoded.confidence, 3)}


def _sidecar(path: Path) -> dict[str, Any]:
    side = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.json")
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RecordError(side, f"is not valid JSON: {exc}", hint="fix or remove the sidecar") from exc
    if not isinstance(data, dict):
        raise RecordError(side, "must hold a JSON object")
    return {k: data[k] for k in ("title", "url", "outlet", "published") if k in data}


def make_article(fields: Mapping[str, Any], where: object, options: IngestOptions) -> Article:
    """An Article from input fields: normalised text, stable id, language checked, every string scrubbed
    of lone surrogates."""
    if _nesting(fields) > MAX_NESTING:  # checked without recursion: the depth is what is in doubt
        raise RecordError(
            str(where), f"nests deeper than {MAX_NESTING} levels", hint="flatten its extra fields"
        )
    fields = {**(options.defaults or {}), **{k: v for k, v in fields.items() if v not in (None, "")}}
    fields = scrub_all(fields)
    text = fields.get("text")
    # Checked after normalising: a text of control characters alone normalises to nothing.
    text = normalize(text) if isinstance(text, str) else ""
    if not text:
        raise EmptyInputError(str(where), "has no text to code")
    if len(text) > options.max_chars:
        raise _too_large(str(where), len(text.encode("utf-8")), options)
    url = _str_or_none(fields.get("url"))
    meta = dict(fields.get("meta") or {})
    if fields.get("id") not in (None, ""):
        meta["input_id"] = str(fields["id"])
    published = parse_published(fields.get("published"))
    if fields.get("published") and published is None:
        meta["unparsed_published"] = str(fields["published"])
    if not fields.get("published") and (stated := dateline_date(text)) is not None:
        published = stated  # "KYIV, March 20, 2025 — ...": the text's own date, when nothing else gives one
        meta["published_from"] = "dateline"
    language = identify_language(text)
    skip = None
    if language.code not in options.languages and language.confidence >= options.min_language_confidence:
        skip = (
            f"language is {language.code!r} (confidence {language.confidence:.2f}); detente codes "
            f"{'/'.join(options.languages)} text: machine-translate it to English first"
        )
    return Article(
        id=article_id(text, url), text=text, title=_str_or_none(fields.get("title")), url=url,
        outlet=_str_or_none(fields.get("outlet")), published=published, language=language.code,
        meta=meta, skip_reason=skip,
    )  # fmt: skip


def _str_or_none(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _read_jsonl(path: Path, options: IngestOptions) -> Iterator[Article | InputError]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                data, decoded = _jsonl_record(line, where)
                yield _record_article(data, where, options, decoded)
            except InputError as exc:
                yield exc
            except Exception as exc:  # one record never ends a run
                yield unexpected_error(where, exc)


def _jsonl_record(line: bytes, where: str) -> tuple[Mapping[str, Any], Decoded]:
    decoded = decode_bytes(line, where)
    try:
        data = json.loads(decoded.text)
    except RecursionError:
        raise RecordError(
            where, "nests JSON too deeply to read", hint="fix the line; the others were read"
        ) from None
    except ValueError as exc:
        raise RecordError(
            where, f"is not valid JSON ({exc})", hint="fix the line; the others were read"
        ) from exc
    if not isinstance(data, dict):
        raise RecordError(where, "is not a JSON object", hint='each line must be {"text": ...}')
    return data, decoded


def _read_csv(path: Path, options: IngestOptions) -> Iterator[Article | InputError]:
    decoded = decode_bytes(path.read_bytes(), path)
    csv.field_size_limit(max(options.max_chars * 2, 131072))
    # newline="": the csv module sees every line ending as written (\n, \r\n, or the old Mac \r alone).
    reader = csv.DictReader(io.StringIO(decoded.text, newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise RecordError(path, f"is not valid CSV: {exc}") from exc
    if not fieldnames or "text" not in fieldnames:
        found = ",".join(name for name in fieldnames or () if name) or "none"
        raise RecordError(
            path, f"has no 'text' column (its columns: {found})",
            hint=f"name the article text's column 'text'; detente reads {','.join(ARTICLE_FIELDS)}",
        )  # fmt: skip
    rows = iter(reader)
    line_starts: array[int] | None = None  # where each line starts, made when a row first spans lines
    while True:
        line = reader.line_num
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader has consumed the broken row's lines (it parses whole lines it has pulled), so
            # the next call reads on from the row after it.
            yield RecordError(
                f"{path}:{line + 1}", f"is not valid CSV: {exc}", hint="the other rows were read"
            )
            continue
        where = f"{path}:{line + 1}"
        if reader.line_num - line > 1:  # a quoted field over several lines: was it closed where it should be?
            if line_starts is None:
                line_starts = _line_starts(decoded.text)
            end = line_starts[reader.line_num] if reader.line_num < len(line_starts) else len(decoded.text)
            if _misquoted(decoded.text[line_starts[line] : end]):
                yield RecordError(
                    where, "has a quoted field over several lines that is not closed where a field ends, "
                    "so the lines after its quote were read as part of it",
                    hint='close the quote (a quote inside a quoted field is written twice: ""); the other rows were read',
                )  # fmt: skip
                continue
        try:
            yield _record_article(row, where, options, decoded)
        except InputError as exc:
            yield exc
        except Exception as exc:  # one record never ends a run
            yield unexpected_error(where, exc)


def _line_starts(text: str) -> array[int]:
    """The offset where each line of ``text`` starts, lines as the csv reader counts them (LF, CRLF, CR)."""
    starts = array("q", [0])
    starts.extend(match.end() for match in _LINE_END.finditer(text))
    return starts


_LINE_END = re.compile(r"\r\n|\r|\n")


def _misquoted(record: str) -> bool:
    """Whether the csv module's reader (the excel dialect, not strict) read ``record``, one row's own text,
    through a quote that was never closed: a quoted field still open at the end (the reader took every line
    after it), or one closed by a quote followed by anything but a comma or a line end (a quote meant to open
    a field of a later row, which then joins this one). The reader's rules: a field that starts with a quote
    is quoted; inside it a doubled quote is one quote and any other quote ends the quoting."""
    quoted = False
    field_start = True
    i, n = 0, len(record)
    while i < n:
        c = record[i]
        if quoted:
            if c == '"':
                if i + 1 < n and record[i + 1] == '"':
                    i += 2
                    continue
                if i + 1 < n and record[i + 1] not in ",\r\n":
                    return True
                quoted = False
        elif c == '"' and field_start:
            quoted = True
        field_start = not quoted and c in ",\r\n"
        i += 1
    return quoted


def _record_article(
    data: Mapping[str, Any], where: str, options: IngestOptions, decoded: Decoded | None = None
) -> Article:
    fields: dict[str, Any] = {k: data.get(k) for k in ARTICLE_FIELDS}
    meta = {k: v for k, v in data.items() if k not in ARTICLE_FIELDS and k is not None}
    fields["meta"] = {**meta, "source": where}
    if decoded is not None and decoded.encoding != "utf-8":
        fields["meta"]["encoding"] = _encoding_note(decoded)
    if "text" in data and not isinstance(data["text"], str):
        raise RecordError(where, "'text' must be a string")
    return make_article(fields, where, options)


def _nesting(value: Any) -> int:
    """How deeply JSON containers nest in ``value`` (iterative: the depth is what is being checked)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_NESTING:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest
