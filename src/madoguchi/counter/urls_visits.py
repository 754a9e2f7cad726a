"""Filled in by the counter's visits part (a placeholder list until it lands)."""

from django.urls import path

from madoguchi.counter import views_flow

urlpatterns: list = [path("", views_flow.visits_placeholder, name="visits")]
