"""Demodata: seeded, deterministic generators per kind and the one function that writes them."""
