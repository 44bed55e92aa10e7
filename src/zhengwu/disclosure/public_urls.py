"""/public/: the public web site (no login, no session, read-only)."""

app_name = "public"

urlpatterns: list = []
