"""Requests for information (依申请公开, 政府信息公开条例 arts. 29-45) on their statutory clocks, and the 舆情 register with its response clocks (art. 36). Writes go through services.py only."""

from __future__ import annotations
