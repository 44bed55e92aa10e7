"""Template context for the UI shell: navigation for every module, the person and their positions.

`NAV` rows are (key, label, url). Labels are lazy translations: English msgids, shown in Chinese
(the default language) through locale/zh_Hans. A module not built yet is routed to the generic
"coming with a later release" page (see urls.py) until its own urls take the path.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAV = [
    ("inbox", _("Inbox"), "/"),  # 待办
    ("documents", _("Documents"), "/documents/"),  # 公文
    ("meetings", _("Meetings"), "/meetings/"),  # 会议
    ("decisions", _("Major decisions"), "/decisions/"),  # 三重一大
    ("supervision", _("Supervision"), "/supervision/"),  # 督查督办
    ("proposals", _("NPC and CPPCC proposals"), "/proposals/"),  # 建议提案
    ("seals", _("Seals and letters"), "/seals/"),  # 印信
    ("affairs", _("Requests and reports"), "/affairs/"),  # 请示报告
    ("disclosure", _("Government openness"), "/disclosure/"),  # 政务公开
    ("org", _("Organisation"), "/org/"),  # 组织机构
    ("calendar", _("Work calendar"), "/calendar/"),  # 工作日历
    ("rulebook", _("Work rules"), "/rulebook/"),  # 工作规则
]

# Modules whose pages exist; the others get the placeholder page.
BUILT = {"inbox", "documents", "meetings", "decisions", "org", "calendar", "rulebook", "proposals", "supervision", "seals", "affairs", "disclosure"}


def nav_label(key: str) -> str:
    for k, label, _url in NAV:
        if k == key:
            return label
    raise KeyError(key)


# Pages that belong to the inbox although their paths do not start with its url "/".
INBOX_PAGES = ("/tasks/", "/approvals/", "/notifications/")


def _active_key(path: str) -> str | None:
    if path.startswith(INBOX_PAGES):
        return "inbox"
    best = None
    for key, _label, url in NAV:
        if url == "/":
            if path == "/":
                return key
            continue
        if path.startswith(url) and (best is None or len(url) > len(best[1])):
            best = (key, url)
    return best[0] if best else None


def _read_person_context(user, today) -> dict:
    from zhengwu.org import selectors as org
    from zhengwu.workflow import selectors as workflow

    return {
        "shell_government": user.government if user.government_id else org.current_government(),
        "shell_positions": org.positions_of(user, today),
        "shell_unread": workflow.unread_count(user),  # the bell in the header
    }


def person_context(user, today) -> dict:
    """The shell's part that depends on the person: the government, the posts held today, the
    unread count. Cached per person under the version tokens of zhengwu.org.versions (the
    organisation's and the person's, bumped by the services that change what this shows), so a
    page costs one cache read here instead of three queries; recomputed when either token or the
    day changes.

    With the default local-memory cache each worker process has its own copy, and a change made
    in another process (another worker, `zhengwu tick`) bumps the tokens in that process's cache
    only: there an entry lives at most SHELL_LOCAL_CACHE_SECONDS (5 s) — a header (never an access
    check) may lag that long; sessions, which decide access, are not cached locally at all
    (zhengwu.web.sessions). With a shared cache (Redis) every process sees every bump at once.
    """
    from django.conf import settings
    from django.core.cache import cache

    from zhengwu.org import versions

    if user.pk is None:
        return _read_person_context(user, today)
    entry_key = f"zw:shell:e:{user.pk}"
    try:
        found = cache.get_many([versions.ORGANISATION, versions.person_key(user.pk), entry_key])
        tokens = (versions.ensure(versions.ORGANISATION, found), versions.ensure(versions.person_key(user.pk), found))
    except Exception:  # the cache server away: read the header from the database
        return _read_person_context(user, today)
    entry = found.get(entry_key)
    if entry is not None and entry[0] == (tokens, today):
        return dict(entry[1])
    value = _read_person_context(user, today)  # read after the tokens: a change meanwhile bumps them
    if "locmem" in settings.CACHES["default"]["BACKEND"]:
        timeout = getattr(settings, "SHELL_LOCAL_CACHE_SECONDS", 5)
    else:
        timeout = getattr(settings, "SHELL_CACHE_SECONDS", 3600)
    from zhengwu.web.replica import reads_replica

    # not from a lagging replica (its rows would outlive the bump that preceded them), not without tokens
    if timeout and None not in tokens and not reads_replica():
        try:
            cache.set(entry_key, ((tokens, today), value), timeout)
        except Exception:
            pass  # the next page reads it again
    return dict(value)


def shell(request) -> dict:
    """Context for base.html: nav items, the government, the person's positions today.

    The person's part (government, positions, unread notifications for the bell) comes from the
    cache (`person_context`) or costs three queries, whatever the page shows; computed once per
    request.
    """
    from zhengwu import rules
    from zhengwu.org import selectors as org
    from zhengwu.security.admins_web import admin_nav
    from zhengwu.security.roles import is_administrator

    path = getattr(request, "path", "") or ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and is_administrator(user):
        # an administrator account has its own menu, not the business's (三权分立, zhengwu.security)
        nav = [{"key": k, "label": label, "url": url, "active": path.startswith(url), "built": True}
               for k, label, url in admin_nav(user)]
    else:
        active = _active_key(path)
        nav = [{"key": k, "label": label, "url": url, "active": k == active, "built": k in BUILT}
               for k, label, url in NAV]
    ctx = {"nav": NAV, "shell_nav": nav, "shell_today": rules.today(),
           "shell_administrator": bool(user is not None and user.is_authenticated and is_administrator(user))}
    if not hasattr(request, "_zw_shell"):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request._zw_shell = person_context(user, ctx["shell_today"])
        else:  # the login page still names the government
            request._zw_shell = {"shell_government": org.current_government(), "shell_positions": [],
                                 "shell_unread": 0}
    ctx.update(request._zw_shell)
    return ctx
