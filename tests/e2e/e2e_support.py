"""Shared helpers of the browser tests (tests/e2e/test_*.py)."""

PASSWORD = "Zhengwu@2026"  # every demo account's password


def log_in(page, base: str, username: str) -> None:
    """Log in through the login form as a person would, and land on the inbox. Leaders and
    administrators are then asked for their authenticator's code (two-factor authentication, on in
    the browser tests): the code is computed from the demo's TOTP secret, as the phone would."""
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():  # a form post always navigates (even to the same page)
        page.locator("form[action='/login/'] button[type=submit]").click()
    if "/login/verify/" in page.url:
        for step in (0, 1):  # the next step's code is accepted too (a code is used once per step)
            page.fill("#id_code", totp_code(username, step))
            with page.expect_navigation():
                page.locator("form[action='/login/verify/'] button[type=submit]").click()
            if "/login/verify/" not in page.url:
                break
    page.wait_for_url(base + "/")


def totp_code(username: str, steps_ahead: int = 0) -> str:
    """The current code of the person's authenticator (django_otp.oath.totp over the device's key)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = time.time() + steps_ahead * device.step
    return str(t.token()).zfill(device.digits)


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


# Collects Content-Security-Policy violations in window.__csp (added before any page script runs).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def watched(page) -> list:
    """Watch a page for policy violations (read with `page.evaluate("window.__csp")`), script errors
    and console errors; returns the list the errors are appended to ("page error: …", "console: …")."""
    problems = []
    page.add_init_script(WATCH)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    return problems
