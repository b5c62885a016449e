"""Import: one entry point (importer) and the loaders per kind (districts, incidents,
measurements, places) over the shared readers (tables, vector files) and parsers; result.py
holds what a loader returns.
"""
