"""Errors raised by detente. The library raises these; only the CLI and the API turn them into output.

DetenteError                      base: every message says what went wrong and what to do
├── ConfigError                   invalid settings (unknown keys, bad values)
├── InputError                    one input file or record cannot be read (names the file)
│   ├── UnsupportedFormatError    an extension detente does not read
│   ├── EmptyInputError           nothing to code in the file
│   ├── BinaryInputError          the file is not text
│   ├── EncodingError             the bytes are not in any encoding we can detect
│   ├── RecordError               a malformed JSONL/CSV record (names file and line)
│   └── TooLargeError             over the size limit
├── CodingError                   one text's coding failed or ran past its budget (carries the Failure)
├── ModelError                    the spaCy model package is missing or broken
├── StoreError                    the database cannot be opened, migrated or written
│   └── StoreBusyError            another writer held the database past the write timeout: try again
├── NotFoundError                 an article, event, actor or claim id that is not stored
└── KnowledgeBaseError            a bad actor or gazetteer file (names file and entry)

DetenteWarning (UserWarning)      something was read, but not as given: the user should know
└── DecodingWarning               a file that is not UTF-8 was read in the encoding detected for it
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detente.records import Failure


class DetenteError(Exception):
    """Base class: ``str(error)`` is one line meant for the user."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} ({hint})" if hint else message)


class ConfigError(DetenteError):
    pass


class InputError(DetenteError):
    def __init__(self, path: object, message: str, *, hint: str | None = None) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}", hint=hint)


class UnsupportedFormatError(InputError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class EncodingError(InputError):
    pass


class RecordError(InputError):
    pass


class TooLargeError(InputError):
    pass


class CodingError(DetenteError):
    """A text whose coding failed (a stage raised, or it ran past the time or memory budget): what
    ``detente.code_texts`` gives in that text's place. ``failure`` says which stage and after how long."""

    def __init__(self, where: object, failure: Failure) -> None:
        self.where = str(where)
        self.failure = failure
        super().__init__(f"{self.where}: coding failed: {failure.message}")


class ModelError(DetenteError):
    pass


class StoreError(DetenteError):
    pass


class StoreBusyError(StoreError):
    """Another writer held the lock longer than this store waits; nothing was written, so the same
    write can simply be tried again (the API answers 503 with Retry-After)."""

    def __init__(self, message: str, *, retry_after: float, hint: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, hint=hint)


class NotFoundError(DetenteError):
    pass


class KnowledgeBaseError(DetenteError):
    pass


class DetenteWarning(UserWarning):
    """Issued with ``warnings.warn``: the CLI prints it as one ``warning: ...`` line on stderr."""


class DecodingWarning(DetenteWarning):
    pass
