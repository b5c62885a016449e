"""tryg_geo.store.folder."""
