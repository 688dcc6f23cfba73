"""The analysis driver's sizes (a module of their own so that the CLI's options can show them cheaply)."""

CHUNK = 5_000  # records per chunk: the per-chunk costs (a worker round trip, a transaction) vanish beside it
SAMPLE = 20_000  # records the pipeline is fitted on: bounds the fit's memory whatever the size of the data
SEED = 0
