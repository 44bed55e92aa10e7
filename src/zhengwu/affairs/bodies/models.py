"""Coordination bodies (arts. 71-74), emergency reports (75) and items for the 区委, 人大 and 政协 (6, 38, 76-78). Writes go through services.py only."""

from __future__ import annotations
