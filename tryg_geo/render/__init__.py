"""tryg_geo.render."""
