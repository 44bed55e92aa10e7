app_name = "info_requests"

urlpatterns: list = []
