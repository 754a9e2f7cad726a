"""Application forms parsed once: an application keeps its form as JSON (the
version it was made with); parsing it again on every page costs more than the page."""

from __future__ import annotations

import functools
import json

from madoguchi.catalog.form_schema import FormSpec


@functools.lru_cache(maxsize=256)
def _parse(procedure_id: str, version: int, raw: str) -> FormSpec:
    return FormSpec.model_validate_json(raw)


def parsed(procedure_id: str, version: int, spec_json: dict) -> FormSpec:
    # Keyed by the JSON itself too: a catalogue edited without raising the version
    # must not serve another form under the same key.
    return _parse(procedure_id, version, json.dumps(spec_json, sort_keys=True))
