"""Events: who did what to whom, in PLOVER — candidates, roles, the learned model, lexicon, modality,
the annotated news corpus and its evaluation, in one package (docs/events.md)."""
