"""The benchmark server's settings: the project's own, plus one bare view.

The bare view (``bench_urls``) goes through the same gunicorn, WSGI handler and
middleware as the guide API but does no work: the guide's throughput is reported
as a share of it, which cancels out how busy and how fast the machine is.
"""

from madoguchi.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
