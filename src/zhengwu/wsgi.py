import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.settings")
application = get_wsgi_application()

# Import the URLconf now (the API's schemas take seconds to build), not on the first request.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns
