"""The kinds of catalogue form fields, one module each (see ``registry``)."""

from madoguchi.applications.kinds.base import Input, Kind, Printed  # noqa: F401
from madoguchi.applications.kinds.registry import (  # noqa: F401
    KindIncomplete,
    check_registry,
    load_kinds,
    of,
    register,
    registry,
)

load_kinds()
