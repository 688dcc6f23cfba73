"""Storage: SQLite by default, PostgreSQL by URL. The only package that writes SQL."""

from carlzon.storage.engine import make_engine
from carlzon.storage.store import AddFeedbackResult, Store

__all__ = ["AddFeedbackResult", "Store", "make_engine"]
