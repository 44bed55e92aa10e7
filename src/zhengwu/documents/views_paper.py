"""纸质来文登记: the page on which the 区政府办公室 (文书) registers a 来文 that arrived on paper,
with the day it actually arrived and its scan (intake.document_receive_paper). GET shows the
form; POST registers and redirects to the document (Post/Redirect/Get) or shows the form again
with the refusal at its field (400)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhengwu import rules
from zhengwu.errors import Forbidden, NotFound, Refused
from zhengwu.org import selectors as org
from zhengwu.web.present import refused_page

from . import access, intake

FIELDS = ("unit", "kind", "title", "dated", "received_on", "urgency", "main_recipients", "body", "note")


def _page(request, *, form: dict, today: dt.date, refusal: Refused | None = None, status: int = 200):
    gov = request.user.government or org.current_government()
    return render(request, "documents/paper.html", {
        "form": form, "today": today, "refusal": refusal, "error_field": refusal.field if refusal else None,
        "units": [u for u in org.units(gov)] if gov is not None else [],
        "kinds": list(rules.param("documents.kinds", today)),
        "urgencies": list(rules.param("approval.urgencies", today)),
        "recipients": list(rules.param("documents.government_recipients", today)),
        "limits": rules.param("approval.limit_days", today),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def intake_paper(request):
    me = request.user
    today = rules.today()
    if not access.is_office_staff(me, today):
        return refused_page(request, Forbidden(_("Only the district government office registers paper documents.")))
    if request.method == "GET":
        return _page(request, form={"received_on": today.isoformat(), "urgency": "一般", "kind": "请示"}, today=today)
    form = {k: (request.POST.get(k) or "").strip() for k in FIELDS}
    scan = request.FILES.get("scan")
    gov = me.government or org.current_government()
    try:
        try:
            unit = org.unit_get(gov, int(form["unit"])) if form["unit"] else None
        except ValueError:
            unit = None
        if unit is None:
            raise Refused(_("Choose the unit the document came from."), field="unit")
        doc = intake.document_receive_paper(
            actor=me, unit=unit, kind=form["kind"], title=form["title"], dated=form["dated"],
            received_on=form["received_on"] or None, urgency=form["urgency"] or "一般",
            main_recipients=[form["main_recipients"]], body=form["body"], note=form["note"],
            scan_name=scan.name if scan else "", scan=scan, on=today)
    except (Forbidden, NotFound) as e:
        return refused_page(request, e)
    except Refused as e:
        return _page(request, form=form, today=today, refusal=e, status=e.status)
    finally:
        if scan is not None:
            scan.close()
    messages.success(request, _("Paper document registered as %(number)s, received on %(day)s.")
                     % {"number": doc.intake_number, "day": doc.received_on.isoformat()})
    return redirect("documents:detail", doc_id=doc.pk)
