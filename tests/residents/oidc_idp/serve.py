"""Set up and serve the test IdP: ``python serve.py PORT REDIRECT_URI``.

Environment: IDP_SITE_URL, IDP_DB. Creates the signing key, the user
``takahashi``/``idp-pass-2026`` (and ``numbered``, whose ``sub`` is 12 digits) and the client ``madoguchi``/``rp-secret``."""

import os
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "idp_settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oidc_provider.models import Client, ResponseType  # noqa: E402

USER, PASSWORD = "takahashi", "idp-pass-2026"
CLIENT_ID, CLIENT_SECRET = "madoguchi", "rp-secret"


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    port, redirect_uri = int(sys.argv[1]), sys.argv[2]
    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    get_user_model().objects.create_user(USER, "t@example.jp", PASSWORD)
    get_user_model().objects.create_user("numbered", "n@example.jp", PASSWORD)  # 12-digit sub
    client = Client.objects.create(
        name="madoguchi",
        client_type="confidential",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=redirect_uri,
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=Quiet)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
