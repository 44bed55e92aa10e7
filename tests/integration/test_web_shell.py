"""The web shell: login, logout, navigation, language switch, the placeholder page, static files,
and no external URL anywhere (government intranets have no CDN)."""

import datetime as dt
import re
from pathlib import Path

import pytest

from zhengwu import rules
from zhengwu.org import demo
from zhengwu.org.models import Person, Unit
from zhengwu.web.context import BUILT, NAV

pytestmark = pytest.mark.django_db

WEB = Path(__file__).resolve().parents[2] / "src" / "zhengwu" / "web"
LOGIN_REQUIRED = ["/", "/rulebook/", "/rulebook/params/", "/org/", "/calendar/?year=2026", "/documents/"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The demo sets 17 passwords; PBKDF2 would spend seconds on them in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gov(org_demo):
    return org_demo  # loaded once for the module (tests/conftest.py)


@pytest.fixture
def quzhang(client, gov):
    client.force_login(Person.objects.get(username="quzhang"))
    return client


@pytest.mark.parametrize("url", LOGIN_REQUIRED)
def test_every_page_but_login_needs_a_logged_in_person(client, url):
    r = client.get(url)
    assert r.status_code == 302
    assert r["Location"].startswith("/login/?next=")


def test_login_with_a_demo_account_lands_on_the_home_page(client, gov):
    page = client.get("/login/")
    assert page.status_code == 200
    assert 'id="demo-hint"' in page.content.decode()  # the demo is loaded: its hint is shown (test_demo_honest)
    r = client.post("/login/", {"username": "quzhang", "password": demo.PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"
    home = client.get("/").content.decode()
    assert "张甲" in home and "区长" in home


def test_a_wrong_password_is_refused_with_a_message(client, gov):
    r = client.post("/login/", {"username": "quzhang", "password": "wrong"})
    assert r.status_code == 200
    assert 'class="errorlist"' in r.content.decode()
    assert client.get("/").status_code == 302


def test_logout_is_a_post_and_returns_to_login(quzhang):
    html = quzhang.get("/").content.decode()
    assert re.search(r'<form method="post" action="/logout/">', html)
    assert quzhang.get("/logout/").status_code == 405  # a link cannot log anyone out
    r = quzhang.post("/logout/")
    assert r.status_code == 302 and r["Location"] == "/login/"
    assert quzhang.get("/").status_code == 302


def test_the_shell_shows_every_module_and_the_person(quzhang):
    html = quzhang.get("/").content.decode()
    assert "<title>首页 · 政务 zhengwu</title>" in html
    assert '<meta charset="utf-8">' in html and 'name="viewport"' in html
    for _key, _label, url in NAV:
        assert f'href="{url}"' in html
    for label in ("待办", "公文", "会议", "三重一大", "督查督办", "印信", "请示报告", "组织机构", "工作日历", "工作规则"):
        assert f">{label}</a>" in html
    assert 'id="notifications"' in html  # the slot a later issue fills
    assert 'aria-current="page"' in html.split(">待办</a>")[0].rsplit("<a", 1)[1]


def test_a_module_not_built_yet_has_the_generic_placeholder(quzhang):
    for key, label, url in NAV:
        if key in BUILT:
            continue
        r = quzhang.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert "建设中" in html and f"{label}</h1>" in html


def test_home_says_whether_today_is_a_working_day(quzhang, monkeypatch):
    monkeypatch.setattr(rules, "today", lambda: dt.date(2026, 10, 1))
    html = quzhang.get("/").content.decode()
    assert "2026年10月1日" in html and "休息日" in html and "国庆节" in html
    monkeypatch.setattr(rules, "today", lambda: dt.date(2026, 10, 10))  # a Saturday, 调休上班
    html = quzhang.get("/").content.decode()
    assert "2026年10月10日" in html and "工作日" in html and "休息日" not in html


def test_home_shows_whom_a_person_acts_for(client, gov, monkeypatch):
    from zhengwu.org import services

    day = dt.date(2026, 3, 2)
    monkeypatch.setattr(rules, "today", lambda: day)
    head = Person.objects.get(username="quzhang")
    services.absence_create(actor=None, person=head, start=day, end=day, reason="赴省城开会", designated_by=head)  # 委托
    client.force_login(Person.objects.get(username="changwu"))
    html = client.get("/").content.decode()
    assert "今日补位" in html and "区长" in html


def test_switching_to_english_changes_the_navigation(quzhang):
    assert ">组织机构</a>" in quzhang.get("/org/").content.decode()
    r = quzhang.post("/i18n/setlang/", {"language": "en", "next": "/org/"})
    assert r.status_code == 302 and r["Location"] == "/org/"
    html = quzhang.get("/org/").content.decode()
    assert ">Organisation</a>" in html and ">组织机构</a>" not in html
    assert '<html lang="en"' in html
    assert "白城市洮北区人民政府" in html  # names stay Chinese
    quzhang.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert ">组织机构</a>" in quzhang.get("/org/").content.decode()


def pages(gov):
    unit = Unit.objects.get(short_name="财政局")
    person = Person.objects.get(username="changwu")
    return ["/", "/rulebook/", "/rulebook/?q=分管", "/rulebook/params/", "/org/", f"/org/units/{unit.pk}/",
            f"/org/people/{person.pk}/", "/calendar/?year=2026", "/calendar/?year=2027", "/documents/"]


def test_no_page_references_an_external_url(client, quzhang, gov):
    anonymous = client.__class__()
    rendered = {"/login/": anonymous.get("/login/").content.decode()}
    for url in pages(gov):
        r = quzhang.get(url)
        assert r.status_code == 200, url
        rendered[url] = r.content.decode()
    for url, html in rendered.items():
        assert not re.search(r"https?://", html), f"{url} references an external URL"
        for src in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert src.startswith(("/", "#", "?")), f"{url}: {src}"


def test_our_templates_css_and_js_name_no_cdn():
    banned = re.compile(r"https?://|cdn\.|unpkg|jsdelivr|fonts\.googleapis", re.I)
    files = [*WEB.glob("templates/**/*.html"), WEB / "static/web/app.css", WEB / "static/web/app.js"]
    assert len(files) > 10
    for f in files:
        assert not banned.search(f.read_text(encoding="utf-8")), f
    for vendored in WEB.glob("static/vendor/**/*.*"):
        if vendored.suffix in (".js", ".css"):
            assert not re.search(r"cdn\.|unpkg|jsdelivr|fonts\.googleapis", vendored.read_text(encoding="utf-8")), vendored


def test_vendored_files_are_served_locally(quzhang):
    html = quzhang.get("/org/").content.decode()
    for path in ("/static/vendor/pico/pico.min.css", "/static/vendor/htmx/htmx.min.js",
                 "/static/vendor/echarts/echarts.min.js", "/static/web/app.css", "/static/web/app.js"):
        assert f'"{path}"' in html
        r = quzhang.get(path)
        assert r.status_code == 200, path
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert len(body) > 1000, path
    for licence in ("htmx/LICENSE", "echarts/LICENSE", "echarts/NOTICE", "pico/LICENSE.md"):
        assert (WEB / "static/vendor" / licence).is_file()


def po_entries(path: Path) -> list[tuple[str | None, str, str]]:
    """(msgctxt, msgid, msgstr) of the singular entries of a .po file (enough to compare with the .mo)."""
    import ast

    entries, cur, field = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if m:
            field = m.group(1)
            cur[field] = ast.literal_eval(m.group(2))
        elif line.startswith('"') and field:
            cur[field] += ast.literal_eval(line)
        elif not line.strip():
            if cur.get("msgid") and "msgid_plural" not in cur:
                entries.append((cur.get("msgctxt"), cur["msgid"], cur.get("msgstr", "")))
            cur, field = {}, None
    return entries


CATALOGUES = sorted(WEB.parent.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parents[3].relative_to(WEB.parent.parent)))
def test_the_compiled_translations_match_the_po_file(po):
    """Every catalogue (the shell's and each app's own): complete, compiled, nothing fuzzy."""
    import gettext

    lc = po.parent
    entries = po_entries(lc / "django.po")
    assert entries and (len(entries) > 100 or lc != WEB.parent / "locale" / "zh_Hans" / "LC_MESSAGES")
    with open(lc / "django.mo", "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for ctx, msgid, msgstr in entries:
        assert msgstr, f"untranslated: {msgid!r}"
        got = mo.pgettext(ctx, msgid) if ctx else mo.gettext(msgid)
        assert got == msgstr, f"{msgid!r}: the .mo says {got!r}, the .po {msgstr!r} (run compilemessages)"
    assert "fuzzy" not in (lc / "django.po").read_text(encoding="utf-8")


@pytest.mark.parametrize("amount, shown", [(42_000_000, "4200万元"), (125_000, "12.5万元"), (3_500, "3,500元"),
                                           (None, "")])
def test_amounts_are_shown_in_wan_yuan_as_clerks_write_them(amount, shown):
    from zhengwu.web.templatetags.zw import yuan

    assert yuan(amount) == shown
