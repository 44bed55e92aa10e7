"""Proactive disclosure: the queue, the release gate and what the public site shows. Writes go
through services.py only."""

from __future__ import annotations
