"""The data folder: the only code that reads or writes it (versions, lock, import log, schema),
and what is loaded from it (dataset, status).
"""
