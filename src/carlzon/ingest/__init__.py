"""Ingest: customer voice from every channel into FeedbackRecords."""

from carlzon.ingest.models import Channel, FeedbackRecord

__all__ = ["Channel", "FeedbackRecord"]
