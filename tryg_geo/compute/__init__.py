"""Numbers under filters: counts, discretion (privacy), statistics, map class breaks, the
registry of initiatives (with initiatives.toml) and the indicator series and summaries.
"""
