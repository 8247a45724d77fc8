"""Execution health of gallery notebooks: ingest, day aggregates, the formula, endpoints."""
