"""allauth's mail, signed by the town: its name (the catalogue's municipality) in
the subject and the greeting instead of the server's host name, and its links on
the site residents use (``MADOGUCHI_PUBLIC_URL``, else the request's address)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter

from madoguchi.common.site import absolute_url, site_name


@dataclass(frozen=True)
class TownSite:
    """Stands for ``current_site`` in allauth's mail templates."""

    name: str
    domain: str


def _on_public_site(url: str) -> str:
    bits = urlsplit(url)
    path = bits.path + (f"?{bits.query}" if bits.query else "")
    return absolute_url(path, f"{bits.scheme}://{bits.netloc}")


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"【{site_name()}】{subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        ctx = dict(context)
        for key, value in context.items():
            if key.endswith("_url") and isinstance(value, str) and "://" in value:
                ctx[key] = _on_public_site(value)
        ctx["current_site"] = TownSite(name=site_name(), domain=absolute_url("/"))
        super().send_mail(template_prefix, email, ctx)
