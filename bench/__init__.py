"""Benchmarks of Tryg Geo: ``make bench`` (:mod:`bench.run`) and ``make load`` (:mod:`bench.load`)."""
