"""Filled in by the counter's card part."""

urlpatterns: list = []
