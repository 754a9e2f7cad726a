"""Filled in by the counter's visits part."""

urlpatterns: list = []
