"""Reading sources into ``Article`` records: files, folders, HTML, JSONL and CSV corpora."""

from detente.ingest.files import SUPPORTED, IngestOptions, make_article, read_paths

__all__ = ["SUPPORTED", "IngestOptions", "make_article", "read_paths"]
