"""Content-Security-Policy and the other browser-side defaults (issue 12, "Defaults"): every page
carries a policy that runs only our own static scripts and styles, and no template relies on what
that policy refuses (inline <script>, on…= handlers, javascript: URLs, <style> blocks, style=""
attributes, htmx's eval). The browser tests (tests/e2e/test_csp_pages.py) prove the pages then work."""

import re
from pathlib import Path

import pytest

import zhengwu
from zhengwu.org import demo
from zhengwu.web import views as web_views

SRC = Path(zhengwu.__file__).resolve().parent
TEMPLATES = sorted(p for p in SRC.rglob("*.html") if "templates" in p.parts)

TAG = r"<[a-zA-Z][^<>]*?"
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json[\"'])[^>]*>", re.I),
    "on…= event handler": re.compile(TAG + r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    'style="" attribute': re.compile(TAG + r"\sstyle\s*=", re.I),
    "hx-on (eval)": re.compile(TAG + r"\shx-on", re.I),
}


def violations(text: str) -> list[str]:
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", "", text, flags=re.S)
    return [what for what, pattern in INLINE.items() if pattern.search(text)]


@pytest.fixture
def gov(org_demo):
    return org_demo


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def test_the_scan_finds_what_the_policy_refuses():
    assert violations('<select onchange="this.form.submit()">') == ["on…= event handler"]
    assert violations("<script>alert(1)</script>") == ["inline <script>"]
    assert violations('<span class="g" style="left:3%">') == ['style="" attribute']
    assert violations('<a href="javascript:void(0)">') == ["javascript: URL"]
    assert violations("<style>.a{}</style>") == ["<style> block"]
    assert violations('<button hx-on:click="x()">') == ["hx-on (eval)"]
    clean = ('<script src="/static/web/app.js"></script><script id="d" type="application/json">{}</script>'
             '<select data-autosubmit name="one"><option>one=1</option></select>'
             '{# <b style="x"> #}<p>Jason=1 styles=2</p>')
    assert violations(clean) == []


def test_no_template_relies_on_inline_script_or_style():
    assert len(TEMPLATES) > 20
    found = {str(p.relative_to(SRC)): v for p in TEMPLATES if (v := violations(p.read_text(encoding="utf-8")))}
    assert found == {}, "move these to static/*.js or *.css (see settings.CONTENT_SECURITY_POLICY)"


def test_every_page_carries_the_policy(client, gov):
    for response in (client.get("/login/"), client.get("/no-such-page/")):
        p = policy(response)
        assert p["default-src"] == ["'self'"] and p["script-src"] == ["'self'"] and p["style-src"] == ["'self'"]
        assert p["object-src"] == ["'none'"] and p["base-uri"] == ["'self'"]
        assert p["frame-ancestors"] == ["'none'"] and p["form-action"] == ["'self'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_cookies_are_httponly_and_samesite_lax(client, gov):
    client.get("/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post("/login/", {"username": "fuqu1", "password": demo.PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_every_unit_kind_colour_has_its_css_class():
    css = (SRC / "web" / "static" / "web" / "app.css").read_text()
    for n, colour in enumerate(web_views.KIND_COLOURS):
        assert f".tone-{n} {{ --swatch: {colour}; }}" in css
