"""tryg_geo.ingest."""
