"""Foreign-affairs invitations, outbound visits and gifts (arts. 79-81), research (93) and speeches and inscriptions (96). Writes go through services.py only."""

from __future__ import annotations
