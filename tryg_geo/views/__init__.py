"""tryg_geo.views.registry."""
