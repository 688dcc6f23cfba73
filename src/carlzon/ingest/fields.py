"""The feedback fields a file's columns can map onto (a module of its own so that the CLI's help can
name them without importing the ingest machinery)."""

FIELDS = (
    "id",
    "text",
    "channel",
    "brand",
    "customer_id",
    "store",
    "created_at",
    "nps",
    "csat",
    "ces",
    "rating",
    "reach",
)
