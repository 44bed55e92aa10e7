"""/affairs/: the index of the 政务事务 sections, each declared by its sub-app's AppConfig as
`affairs_sections = [(url_name, label, description), ...]` (labels lazy translations)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse


def sections() -> list[dict]:
    out = []
    for config in apps.get_app_configs():
        if config.name.startswith("zhengwu.affairs."):
            for url_name, label, description in getattr(config, "affairs_sections", ()):
                out.append({"url": reverse(url_name), "label": label, "description": description})
    return out


@login_required
def index(request):
    return render(request, "affairs/index.html", {"sections": sections()})
