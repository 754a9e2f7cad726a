import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
application = get_wsgi_application()

# Load the catalogue now: a broken catalogue stops the server at start-up, and the
# first resident does not wait for it (with gunicorn --preload, workers share it).
from madoguchi.catalog.registry import current_catalog  # noqa: E402

current_catalog()
