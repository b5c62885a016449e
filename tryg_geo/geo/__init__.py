"""tryg_geo.geo."""
