"""One package per importer; each registers itself with ``@register("<id>")``."""
