"""Shared helpers of the browser tests (tests/e2e/test_*.py)."""

PASSWORD = "zhengwu2026"  # every demo account's password


def log_in(page, base: str, username: str) -> None:
    """Log in through the login form as a person would, and land on the inbox."""
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/login/'] button[type=submit]").click()
    page.wait_for_url(base + "/")
