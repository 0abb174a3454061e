"""Coding a corpus into a store: locally (``local``: this process or a process pool) or on Dask (``dask``).

Both runners share one contract: each batch is coded, then written in one transaction; articles
already stored are skipped by id, so an interrupted run resumes with the same command. ``dask``
imports Dask only when called, so this package loads without the optional extra.
"""

from __future__ import annotations

from detente.batch.dask import code_with_dask
from detente.batch.local import RunSummary, code_into_store

__all__ = ["RunSummary", "code_into_store", "code_with_dask"]
