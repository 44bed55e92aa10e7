"""The product's URLs plus the bench's reference views, reachable only under bench.settings:

- /bench/ok/: "ok" through the same middleware — the reference of P2;
- /bench/ok-auth/: "ok" for a logged-in person (session and user loaded) — what any page costs
  before it does anything;
- /bench/shell/: the UI shell (base.html: navigation, the person's positions, the bell) with an
  empty page — what every page costs before its own content.
The last two are not figures: they split a page's cost in the summary (docs/performance.md)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def ok_auth(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


@login_required
def shell(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/ok/", ok),
    path("bench/ok-auth/", ok_auth),
    path("bench/shell/", shell),
    path("", include("zhengwu.urls")),
]
