import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
# A web request evaluates one household: Polars' thread pool only adds contention
# between the worker processes that already use every core.
os.environ.setdefault("POLARS_MAX_THREADS", "1")
application = get_wsgi_application()

# Load every town's catalogue now, so the first resident does not wait for it; a
# broken one is logged with file and line and its town answers 503, the others
# serve (towns/directory.py). (Each worker loads its own: Polars is not fork-safe,
# so gunicorn must not --preload it.)
from madoguchi.towns.directory import load_catalogues  # noqa: E402

load_catalogues()

# Start the PDF helper process now (common/pdf_pool.py), so that the first counter
# print does not wait for it to import WeasyPrint and load the fonts.
from django.conf import settings  # noqa: E402

from madoguchi.common import pdf_pool  # noqa: E402

pdf_pool.warm_up(settings.MADOGUCHI_PDF_HELPERS)

# Everything made so far (Django, the catalogue, its compiled rules: ~170,000
# objects) lives as long as the worker. Without this, each full collection of the
# garbage collector walks all of them again (~130 ms of CPU, a pause in whichever
# request triggers it); frozen, they are left out of every collection.
import gc  # noqa: E402

gc.collect()
gc.freeze()
