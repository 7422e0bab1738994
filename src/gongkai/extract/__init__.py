"""Extraction: raw document → canonical report. Small pure functions, no format branches."""

from gongkai.extract.pipeline import extract

__all__ = ["extract"]
