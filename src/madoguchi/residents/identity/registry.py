"""Identity providers: one interface, one folder per way of proving who one is.

A provider sends the resident somewhere (``begin``) and, when they come back,
says what it verified (``complete``). Plugins live in ``contrib/<id>/`` and
register themselves:

    @register("oidc")
    class OIDCProvider(IdentityProvider): ...

Which ones a site offers is ``settings.MADOGUCHI_IDENTITY_PROVIDERS`` (default
``["demo"]``); ``check_config()`` says in Japanese what is missing, so the admin
can show it and residents only see the ones that work. Tests make their own
``Registry`` instead of patching functions.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class IdentityError(Exception):
    """Verification failed; the message is Japanese and may be shown to the resident."""


@dataclass(frozen=True)
class VerifiedFacts:
    """The four facts (基本4情報) and who vouched for them. There is no field for the
    個人番号: a provider that sends one has it dropped before this is built."""

    subject: str  # the provider's stable id for the person (hashed before storing)
    name: str
    address: str
    birth_date: date
    sex: str = ""  # "female" / "male" / "" (not given)
    name_kana: str = ""
    extra: dict = field(default_factory=dict)  # never stored; for logging-free debugging


class IdentityProvider:
    """Base class. Subclasses set ``id`` (by ``@register``) and ``name``."""

    id: str = ""
    name: dict[str, str] = {"ja": "", "en": ""}
    demo: bool = False  # shown with a デモ badge

    def label(self, language: str = "ja") -> str:
        return self.name.get("en" if language.startswith("en") else "ja") or self.id

    def check_config(self) -> list[str]:
        """What is missing or wrong, each as a Japanese sentence; ``[]`` if ready."""
        return []

    def begin(self, request: HttpRequest) -> HttpResponse:
        """Send the resident to the provider (usually a redirect)."""
        raise NotImplementedError

    def complete(self, request: HttpRequest) -> VerifiedFacts:
        """Read the provider's answer; raise ``IdentityError`` if it is not good."""
        raise NotImplementedError


class Registry:
    def __init__(self) -> None:
        self._classes: dict[str, type[IdentityProvider]] = {}

    def register(self, provider_id: str):
        def decorate(cls: type[IdentityProvider]) -> type[IdentityProvider]:
            if provider_id in self._classes and self._classes[provider_id] is not cls:
                raise ValueError(f"identity provider {provider_id!r} is registered twice")
            cls.id = provider_id
            self._classes[provider_id] = cls
            return cls

        return decorate

    def ids(self) -> list[str]:
        return sorted(self._classes)

    def get(self, provider_id: str) -> IdentityProvider:
        try:
            return self._classes[provider_id]()
        except KeyError:
            raise KeyError(f"no identity provider {provider_id!r}") from None

    def enabled(self) -> list[IdentityProvider]:
        """The providers the site's setting names, in its order (unknown ids skipped
        here; ``settings_problems`` reports them)."""
        wanted = getattr(settings, "MADOGUCHI_IDENTITY_PROVIDERS", ["demo"])
        return [self.get(i) for i in wanted if i in self._classes]

    def usable(self) -> list[IdentityProvider]:
        """Enabled and configured: what residents are offered."""
        return [p for p in self.enabled() if not p.check_config()]

    def settings_problems(self) -> dict[str, list[str]]:
        """Every enabled id with its problems (for staff): unknown ids too."""
        wanted = getattr(settings, "MADOGUCHI_IDENTITY_PROVIDERS", ["demo"])
        problems = {}
        for provider_id in wanted:
            if provider_id not in self._classes:
                known = "、".join(self.ids())
                problems[provider_id] = [
                    f"「{provider_id}」という本人確認の方法はありません(使えるもの: {known})"
                ]
            else:
                problems[provider_id] = self.get(provider_id).check_config()
        return problems


registry = Registry()
register = registry.register


def load_contrib() -> None:
    """Import every ``contrib/<name>/`` package so its ``@register`` runs."""
    from madoguchi.residents.identity import contrib

    for module in pkgutil.iter_modules(contrib.__path__):
        importlib.import_module(f"{contrib.__name__}.{module.name}")
