"""Carlzon: Customer Experience Management built around Moments of Truth."""

__version__ = "0.1.0"
