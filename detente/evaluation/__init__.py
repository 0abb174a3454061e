"""Scoring detente against gold files: one module per area (dates, events, claims, ...)."""
