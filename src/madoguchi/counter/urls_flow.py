"""Filled in by the counter's flow part."""

urlpatterns: list = []
