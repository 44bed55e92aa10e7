app_name = "foreign"

urlpatterns: list = []
