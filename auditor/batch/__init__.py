"""Batch stage: many contracts through a pool of worker processes or a Dask cluster, results kept in a
store keyed by content hash so a re-run skips what has not changed.
"""
