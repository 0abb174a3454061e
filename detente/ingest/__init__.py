"""Reading sources into ``Article`` records: files, folders, HTML, JSONL and CSV corpora, feeds and URLs."""

from detente.ingest.feeds import read_feed
from detente.ingest.files import SUPPORTED, IngestOptions, make_article, read_paths
from detente.ingest.http import FetchLimits, read_url

__all__ = ["SUPPORTED", "FetchLimits", "IngestOptions", "make_article", "read_feed", "read_paths", "read_url"]
