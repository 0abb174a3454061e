"""Analyses over the store: dyads over time, public-vs-internal divergence, stories."""
