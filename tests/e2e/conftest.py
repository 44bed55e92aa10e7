"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM calls
from a thread with a running loop (SynchronousOnlyOperation); the tests' own ORM calls (loading the
demo, checking the database) are plain synchronous code, so that guard is switched off
(DJANGO_ALLOW_ASYNC_UNSAFE) while these browser tests run, and put back after them.

Without chromium (/usr/bin/chromium, or ZHENGWU_CHROMIUM) the tests are skipped with the reason —
unless ZHENGWU_REQUIRE_E2E=1 (CI sets it), when they fail instead. Install it with
`apt-get install -y chromium fonts-noto-cjk`.
Set ZHENGWU_E2E_SHOTS=/some/dir to keep a screenshot of each test's last page (development only).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ZHENGWU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _require_chromium() -> None:
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)"
    if os.environ.get("ZHENGWU_REQUIRE_E2E") == "1":
        pytest.fail(f"browser tests are required (ZHENGWU_REQUIRE_E2E=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """Tests only: allow the test body's ORM calls while Playwright's loop runs in this thread."""
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture(scope="session", autouse=True)
def _urlconf_imported():
    """Import the URLconf before any page is asked for: the API's schemas take seconds to build
    (more on a busy machine), which the first page of a test would otherwise spend inside the
    browser's timeout (as zhengwu.wsgi does for a deployment)."""
    from django.urls import get_resolver

    get_resolver().url_patterns


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module; the Playwright loop ends with the module."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def demo_site(live_server):
    """The live server with the demo government and its traffic loaded (transactional database)."""
    from zhengwu import demo

    demo.load()
    return live_server.url


def _new_page(browser, request, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    shots = os.environ.get("ZHENGWU_E2E_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request):
    """A desktop-sized page (1280×900)."""
    yield from _new_page(browser, request, **DESKTOP)


@pytest.fixture
def phone(browser, request):
    """A phone-sized page (375×812, touch)."""
    yield from _new_page(browser, request, **PHONE)
