import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_portal.settings")
application = get_wsgi_application()

# What loading the portal allocated (modules, models, settings, middleware: some 100,000 objects)
# lives as long as the process. Frozen, the garbage collector no longer walks it on each full
# collection, which took a search page about 7 ms on average (docs/performance.md).
gc.freeze()
