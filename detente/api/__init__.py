"""The REST API and dashboard app (``detente serve``)."""

from __future__ import annotations

from detente.api.app import create_app

__all__ = ["create_app"]
