import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# A full (generation 2) garbage collection walks every object the process holds, and most of them are the
# modules, settings and URLs loaded above, which live as long as the worker. Frozen, they are left out of
# every later collection: at national size those pauses fell from 55-90 ms to 20-30 ms, and a national
# page's slowest requests with them (docs/benchmarks.md).
gc.freeze()
