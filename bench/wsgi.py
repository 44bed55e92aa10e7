import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

# the product's WSGI module, with its start-up import of the URLconf (the API's schemas take seconds
# to build): a gunicorn worker then takes no request before it is ready, so a short wrk run never
# waits on a cold worker (P3's servers start just before their runs)
from zhengwu.wsgi import application  # noqa: E402,F401
