"""tryg_geo.compute."""
