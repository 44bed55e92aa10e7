"""Seals, seal-use cards and introduction letters (arts. 82-84). Writes go through services.py only."""

from __future__ import annotations
