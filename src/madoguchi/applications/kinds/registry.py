"""The kinds of catalogue form fields: one class per kind in this folder, each
registered under the id the catalogue writes (``kind: address``):

    @register("address")
    class Address(Kind): ...

``register`` refuses a kind that leaves out any part of ``Kind`` (its inputs,
fields, value ⇄ inputs, display, CSV, sample, check) or its labels, and
``check_registry`` (run by ``ApplicationsConfig.ready``) stops the server when the
registry and the catalogue schema's ``FieldKind`` disagree. Tests build their own
``Registry``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import get_args

from madoguchi.applications.kinds.base import Kind


class KindIncomplete(TypeError):
    """A kind lacks a part; the message names the kind and each missing part."""


class Registry:
    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def register(self, kind_id: str):
        def decorate(cls: type[Kind]) -> type[Kind]:
            missing = sorted(getattr(cls, "__abstractmethods__", ()))
            missing += [f"label[{lang!r}]" for lang in ("ja", "en") if not cls.label.get(lang)]
            if missing:
                raise KindIncomplete(
                    f"form field kind {kind_id!r} ({cls.__module__}.{cls.__name__}) is "
                    f"missing: {', '.join(missing)}"
                )
            if kind_id in self._kinds and type(self._kinds[kind_id]) is not cls:
                raise ValueError(f"form field kind {kind_id!r} is registered twice")
            cls.id = kind_id
            self._kinds[kind_id] = cls()
            return cls

        return decorate

    def ids(self) -> list[str]:
        return list(self._kinds)

    def get(self, kind_id: str) -> Kind:
        try:
            return self._kinds[kind_id]
        except KeyError:
            raise KeyError(f"no form field kind {kind_id!r}") from None

    def __contains__(self, kind_id: str) -> bool:
        return kind_id in self._kinds


registry = Registry()
register = registry.register


def of(field) -> Kind:
    """The kind of a catalogue form field."""
    return registry.get(field.kind)


def load_kinds() -> None:
    """Import every module of this folder so its ``@register`` runs."""
    from madoguchi.applications import kinds

    for module in pkgutil.iter_modules(kinds.__path__):
        if module.name not in ("base", "registry"):
            importlib.import_module(f"{kinds.__name__}.{module.name}")


def check_registry(reg: Registry | None = None) -> None:
    """Raise with one clear line unless every kind the catalogue schema allows is
    registered and complete, and nothing else is."""
    from madoguchi.catalog.form_schema import FieldKind

    reg = reg or registry
    allowed, known = set(get_args(FieldKind)), set(reg.ids())
    if allowed != known:
        raise KindIncomplete(
            "form field kinds disagree: the catalogue schema (FieldKind) allows "
            f"{sorted(allowed - known)} without a kind class, and kind classes "
            f"{sorted(known - allowed)} are not in FieldKind"
        )
    for kind_id in reg.ids():
        if inspect.isabstract(type(reg.get(kind_id))):
            raise KindIncomplete(f"form field kind {kind_id!r} is incomplete")
