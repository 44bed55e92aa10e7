"""Demo for the approval engine: the leaders' saved phrases (常用意见).

The matters in the demo's inboxes are real objects of the domains (documents, meetings, leave …),
loaded by their own demos through their services — never approvals over objects that do not exist.
"""

from __future__ import annotations

import datetime as dt

from zhengwu.org.models import Person

from . import services


def load(on: dt.date | None = None) -> None:
    p = {x.username: x for x in Person.objects.all()}
    for name in ("quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4"):
        for text in ("同意", "同意，请按程序办理", "请办公室牵头研究后报我"):
            services.phrase_add(actor=p[name], text=text)
