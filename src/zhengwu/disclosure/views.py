"""/disclosure/: the index of the 政务公开 sections, each declared by an AppConfig of this package
as `disclosure_sections = [(url_name, label, description), ...]` (labels lazy translations)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse


def sections() -> list[dict]:
    out = []
    for config in apps.get_app_configs():
        if config.name == "zhengwu.disclosure" or config.name.startswith("zhengwu.disclosure."):
            for url_name, label, description in getattr(config, "disclosure_sections", ()):
                out.append({"url": reverse(url_name), "label": label, "description": description})
    return out


@login_required
def index(request):
    return render(request, "disclosure/index.html", {"sections": sections()})
