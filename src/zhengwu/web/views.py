"""The pages of the first web UI: placeholder, rulebook, organisation, calendar (the home page,
the inbox, and the task pages are in inbox.py).

Views only read (through the selectors) and render; they never write models.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import chain

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu import rules
from zhengwu.audit import selectors as audit
from zhengwu.org import demo as org_demo
from zhengwu.org import selectors as org
from zhengwu.rulebook import implementations, load_rules
from zhengwu.rulebook.coverage import code_sites

from . import present
from .context import nav_label

# Leaf colours of the org chart and the unit lists, one per unit kind (calm, distinguishable).
KIND_COLOURS = ["#1f4f8f", "#2f7d4f", "#8a5a00", "#6a4c93", "#0f7c8c", "#b8322a", "#5b6b7b", "#9c6b30",
                "#3f7f3f", "#7a3e65", "#44546a", "#c07a00"]


class LoginForm(AuthenticationForm):
    """Django's login form with its words matching the page: 登录名 (the field's label), not the
    user model's 用户名."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("The login name or the password is not correct. Both are case-sensitive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("Username")


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        # the demo's accounts are mentioned only where the demo is loaded (a flag its loader sets)
        loaded = org.demo_loaded()
        return {**super().get_context_data(**kwargs), "demo_loaded": loaded,
                "demo_password": org_demo.PASSWORD if loaded else ""}


def _today() -> dt.date:
    return rules.today()


def _government(request):
    user = request.user
    if getattr(user, "government_id", None):
        return user.government
    return org.current_government()


# ---- placeholder (the home page is the inbox: see inbox.py) ------------------------------------

@login_required
def coming_soon(request, module: str):
    """One generic page for every module not built yet (建设中)."""
    try:
        label = nav_label(module)
    except KeyError:
        raise Http404(module) from None
    return render(request, "coming_soon.html", {"module": module, "module_label": label})


# ---- rulebook -------------------------------------------------------------------------------

def _book():
    return rules.lib().current


@login_required
def rulebook(request):
    book = _book()
    q = present.clean_query(request.GET.get("q"))
    code = code_sites(book)  # where code checks each rule, starts each route, reads each parameter
    enforcers = present.enforcers_by_article(book, load_rules(), implementations(), code)
    views = present.article_views(book, enforcers, q, read_params=set(code[2]))
    ctx = {
        "book": book, "q": q, "chapters": present.group_by_chapter(book, views), "found": len(views),
        "total": len(book.articles), "index": present.chapter_index(book),
        "class_labels": present.CLASS_LABELS,
        # the issuing government's name is a proper name: Chinese (lang="zh") in every language
        "issuer_html": format_html('<span lang="zh">{}</span>', book.issuer),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "rulebook/_articles.html" if partial else "rulebook/index.html", ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def rulebook_params(request):
    book = _book()
    today = _today()
    on = today if book.in_force_on(today) else book.effective_from
    labels = present.code_labels(book, on)
    params = []
    for p in sorted(book.parameters.values(), key=lambda p: (p.article, p.name)):
        try:
            value_html = present.render_value(p.at(on), labels, book)
        except Exception:
            value_html = _("(not in force)")
        dated = [(start, present.render_value(v, labels, book) if v is not None else None)
                 for start, v in p.values if start != dt.date.min]
        params.append({"p": p, "value_html": value_html, "dated": dated if len(dated) > 1 else []})
    # a route's description may name another route by its id: the reader sees that route's title
    titles = {r.id: f"“{present.book_name(book, r.title)}”" for r in book.routes.values()}
    named = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(titles, key=len, reverse=True)) + r")\b")
    routes = [{"route": r, "stages": present.route_stages(r, labels, book, on),
               "description": named.sub(lambda m: titles[m.group(1)],
                                        (r.description_en if present.reads_english() and r.description_en
                                         else r.description) or "")}
              for r in sorted(book.routes.values(), key=lambda r: (r.article, r.id))]
    return render(request, "rulebook/params.html", {"book": book, "params": params, "routes": routes, "on": on})


# ---- organisation ---------------------------------------------------------------------------

def _kind_styles(kind_labels: dict[str, str]) -> dict[str, dict]:
    # tone: the CSS class .tone-<n> (web/app.css) that paints the swatch; no style="" (the CSP)
    return {code: {"label": label, "colour": KIND_COLOURS[i % len(KIND_COLOURS)], "tone": i % len(KIND_COLOURS)}
            for i, (code, label) in enumerate(kind_labels.items())}


def _kind_style(styles: dict[str, dict], code: str) -> dict:
    return styles.get(code) or {"label": code, "colour": KIND_COLOURS[6], "tone": 6}


@login_required
def org_index(request):
    gov = _government(request)
    today = _today()
    if gov is None:
        return render(request, "org/index.html", {"government": None})
    domain_labels = rules.param("org.domain_labels", today)
    kind_labels = rules.param("org.unit_kinds", today)
    position_labels = rules.param("org.positions", today)
    styles = _kind_styles(kind_labels)

    portfolios = org.portfolios(gov)  # 2 queries: portfolios + their units
    members = org.government_members(gov, today)  # 1 query: 区长, 副区长 (and heads of 组成部门)
    holders = {pos.pk: person for person, pos in members}
    by_position = {pf.position.pk: pf for pf in portfolios if pf.position.code in org.LEADER_CODES}
    # Leaders in rank order: those with a 分工 and those members who have none yet.
    leader_positions = {pf.position.pk: pf.position for pf in by_position.values()}
    for _person, pos in members:
        if pos.code in org.LEADER_CODES:
            leader_positions.setdefault(pos.pk, pos)
    unit_leader: dict[int, object] = {}
    for pf in by_position.values():
        for u in pf.units.all():
            unit_leader.setdefault(u.pk, pf.position)

    leaders = []
    absences = []
    away_by_person = {a.person_id: a for a in org.absences_on(gov, today)}  # 1 query
    for pos in sorted(leader_positions.values(), key=lambda p: (p.rank, p.pk)):
        pf = by_position.get(pos.pk)
        person = holders[pos.pk] if pos.pk in holders else org.holder_of(pos, today)
        entry = {
            "position": pos, "person": person, "code_label": position_labels.get(pos.code, pos.code),
            "units": [{"unit": u, "kind": _kind_style(styles, u.kind)} for u in (pf.units.all() if pf else [])],
            "domains": [domain_labels.get(d, d) for d in (pf.domains if pf else [])], "note": pf.note if pf else "",
            "absence": None, "acting": None,
        }
        if person is not None:
            away = away_by_person.get(person.pk)
            if away is not None:
                entry["absence"] = away
                entry["acting"] = org.acting_for(pos, today)
                absences.append(entry)
        leaders.append(entry)

    all_units = list(org.units(gov))  # 1 query
    groups: dict[str, list] = {}
    for u in all_units:
        groups.setdefault(u.kind, []).append({"unit": u, "leader": unit_leader.get(u.pk)})
    kind_groups = [{"code": code, **_kind_style(styles, code), "units": groups[code]}
                   for code in list(kind_labels) + sorted(k for k in groups if k not in kind_labels) if code in groups]

    return render(request, "org/index.html", {
        "government": gov, "term": org.term_on(gov, today), "today": today, "leaders": leaders,
        "absences": absences, "kind_groups": kind_groups, "unit_count": len(all_units),
        "chart": _org_chart(leaders, styles),
        "legend": [g for g in kind_groups if any(u["leader"] for u in g["units"])],
    })


def _org_chart(leaders: list[dict], styles: dict) -> dict:
    """Tree data for ECharts: 区长 at the root, the deputies below, their units as leaves."""
    def person_node(entry: dict) -> dict:
        person, pos = entry["person"], entry["position"]
        who = str(person) if person else _("vacant")
        node = {
            "name": f"{entry['code_label']}\n{who}",  # short: 副区长 / 王丙; the full title is in the tip
            "url": reverse("org-person", args=[person.pk]) if person else "",
            "tip": f"{pos.title}：{who}",
            "kind": "position",
            "children": [],
        }
        for item in entry["units"]:
            u = item["unit"]
            node["children"].append({
                "name": u.short_name or u.name, "url": reverse("org-unit", args=[u.pk]), "kind": u.kind,
                "tip": f"{u.name}（{item['kind']['label']}）", "color": item["kind"]["colour"], "unit_id": u.pk,
                "full_name": u.name, "short_name": u.short_name or u.name,
            })
        return node

    heads = [e for e in leaders if e["position"].code == "district_head"]
    others = [e for e in leaders if e["position"].code != "district_head"]
    if heads:
        root = person_node(heads[0])
        root["children"] = root["children"] + [person_node(e) for e in chain(heads[1:], others)]
    else:
        root = {"name": _("District government"), "url": "", "tip": "", "kind": "root",
                "children": [person_node(e) for e in others]}
    return {"tree": root}


@login_required
def org_unit(request, pk: int):
    gov = _government(request)
    unit = org.unit_get(gov, pk) if gov else None
    if unit is None:
        raise Http404("unit")
    today = _today()
    kind_labels = rules.param("org.unit_kinds", today)
    domain_labels = rules.param("org.domain_labels", today)
    position_labels = rules.param("org.positions", today)
    leader_pos = org.leader_position_of_unit(unit)
    leader = org.holder_of(leader_pos, today) if leader_pos else None
    acting = org.acting_for(leader_pos, today) if leader_pos else None
    positions = []
    for pos in unit.positions.all():
        holder = org.holder_of(pos, today)
        portfolio = getattr(pos, "portfolio", None)  # reverse one-to-one: None when there is none
        positions.append({"position": pos, "holder": holder, "code_label": position_labels.get(pos.code, pos.code),
                          "domains": [domain_labels.get(d, d) for d in (portfolio.domains if portfolio else [])]})
    return render(request, "org/unit.html", {
        "unit": unit, "kind_label": kind_labels.get(unit.kind, unit.kind),
        "domains": [domain_labels.get(d, d) for d in unit.domains],
        "leader_position": leader_pos, "leader": leader, "acting": acting,
        "positions": positions, "events": audit.history_for("org.unit", str(unit.pk)),
    })


@login_required
def org_person(request, pk: int):
    gov = _government(request)
    person = org.person_get(gov, pk) if gov else None
    if person is None:
        raise Http404("person")  # unknown, or someone of another government
    today = _today()
    domain_labels = rules.param("org.domain_labels", today)
    position_labels = rules.param("org.positions", today)
    held = org.positions_of(person, today)
    positions = []
    for pos in held:
        portfolio = getattr(pos, "portfolio", None)  # reverse one-to-one: None when there is none
        positions.append({
            "position": pos, "code_label": position_labels.get(pos.code, pos.code),
            "units": list(portfolio.units.all()) if portfolio else [],
            "domains": [domain_labels.get(d, d) for d in (portfolio.domains if portfolio else [])],
        })
    # The person's own events and those of the positions they hold (分工 changes are on the position).
    events = list(audit.history_for("org.person", str(person.pk)))
    for pos in held:
        events.extend(audit.history_for("org.position", str(pos.pk)))
    events.sort(key=lambda e: e.seq, reverse=True)
    return render(request, "org/person.html", {
        "person": person, "positions": positions, "absence": org.absence_on(person, today),
        "acting_for": org.acted_for_by(person, today), "events": events, "today": today,
    })


# ---- calendar -------------------------------------------------------------------------------

MIN_YEAR, MAX_YEAR = 1990, 2100


@login_required
def calendar_year(request):
    today = _today()
    raw = request.GET.get("year", "")
    try:
        year = int(raw) if raw else today.year
    except ValueError:
        year = today.year
    year = min(max(year, MIN_YEAR), MAX_YEAR)
    from . import calendar_view

    ctx = calendar_view.year_context(year, today)
    return render(request, "calendar/year.html", ctx)
