"""Shared helpers of the browser tests (tests/e2e/test_*.py)."""

PASSWORD = "zhengwu2026"  # every demo account's password


def log_in(page, base: str, username: str) -> None:
    """Log in through the login form as a person would, and land on the inbox."""
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/login/'] button[type=submit]").click()
    page.wait_for_url(base + "/")


def stroke(page, canvas) -> None:
    """A finger's stroke across the pad: real touch events, which the browser turns into pointer
    events of type "touch" as on a phone (Playwright itself only taps)."""
    canvas.scroll_into_view_if_needed()
    c = canvas.bounding_box()
    cdp = page.context.new_cdp_session(page)
    points = [(c["x"] + 30 + i * 10, c["y"] + 40 + (30 if i % 2 else 0) + i * 2) for i in range(25)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]})
    for x, y in points[1:] + [points[-1]] * 3:  # the pen rests a moment before it lifts
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
