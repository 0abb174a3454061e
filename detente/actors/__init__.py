"""Actors: who is named in the news — the knowledge base and its packs, matching mentions on the parse,
coreference, the spaCy stage (a thin adapter) and the evaluation, in one package (docs/actors.md)."""
