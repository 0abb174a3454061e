"""Importing this module registers every built-in stage factory with spaCy.

Each stage module declares its own ``@Language.factory("detente.<name>.v1")``; third-party stages
register the same way from their own packages (or a ``spacy_factories`` entry point).
"""

from detente.actors import stage as actors  # noqa: F401
from detente.events import stage as events  # noqa: F401
from detente.stages import claims, dates, places  # noqa: F401
