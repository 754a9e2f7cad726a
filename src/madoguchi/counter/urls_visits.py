"""The counter's visits: today's list, starting and calling, the waiting display
(views_visits.py)."""

from django.urls import path

from madoguchi.counter import views_visits

urlpatterns = [
    path("", views_visits.visits, name="visits"),
    path("start/", views_visits.start, name="start"),
    path("call-next/", views_visits.call_next, name="call_next"),
    path("display/", views_visits.display, name="display"),
    path("visits/<uuid:public_id>/ticket/", views_visits.ticket, name="ticket"),
    path("visits/<uuid:public_id>/call/", views_visits.call, name="call"),
    path("visits/<uuid:public_id>/cancel/", views_visits.cancel, name="cancel"),
]
