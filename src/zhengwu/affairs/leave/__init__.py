"""Leave and absence (arts. 15, 89), the org write API (arts. 10-15, 29) and the leaders' calendar (94)."""
