"""tryg_geo.demo.make."""
