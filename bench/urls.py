"""The product's URLs plus /bench/ok/: a view that returns "ok" through the same middleware, the
reference of P2. Only reachable under bench.settings."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok/", ok),
    path("", include("zhengwu.urls")),
]
