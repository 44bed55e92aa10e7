"""/affairs/: the index of the 政务事务 sections, each declared by its sub-app's AppConfig as
`affairs_sections = [(url_name, label, description), ...]` (labels lazy translations)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string

from zhengwu import rules


def sections(person=None, today=None) -> list[dict]:
    """A section may name a fourth item, the dotted path of `fn(person, today) -> bool`: who may open
    it (the page is not offered to the others, who would only meet a refusal)."""
    out = []
    for config in apps.get_app_configs():
        if config.name.startswith("zhengwu.affairs."):
            for url_name, label, description, *who in getattr(config, "affairs_sections", ()):
                if who and person is not None and not import_string(who[0])(person, today):
                    continue
                out.append({"url": reverse(url_name), "label": label, "description": description})
    return out


@login_required
def index(request):
    return render(request, "affairs/index.html", {"sections": sections(request.user, rules.today())})
