"""A visit's steps (views_flow)."""

from django.urls import path

from madoguchi.counter import views_flow as v

urlpatterns = [
    path("visits/<uuid:public_id>/", v.visit, name="visit"),
    path("visits/<uuid:public_id>/identity/", v.identity_typed, name="identity"),
    path("visits/<uuid:public_id>/people/", v.visit_people, name="people"),
    path("visits/<uuid:public_id>/guide/", v.guide, name="guide"),
    path("visits/<uuid:public_id>/procedures/", v.procedures, name="procedures"),
    path("visits/<uuid:public_id>/forms/", v.forms, name="forms"),
    path("visits/<uuid:public_id>/forms.pdf", v.forms_pdf, name="forms_pdf"),
    path("visits/<uuid:public_id>/confirm/", v.confirm, name="confirm"),
]
