from django.urls import path

from madoguchi.backoffice import (
    export_views,
    views,
    views_audit,
    views_correspondence,
    views_figures,
    views_files,
)

app_name = "backoffice"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("load/", views.load, name="load"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("figures/", views_figures.town_figures, name="figures"),
    path("applications/<uuid:public_id>/", views.detail, name="detail"),
    path("applications/<uuid:public_id>/move/", views.move, name="move"),
    path("applications/<uuid:public_id>/assign/", views.assign, name="assign"),
    path(
        "applications/<uuid:public_id>/files/<uuid:file_id>/",
        views_files.attachment,
        name="file",
    ),
    # The correspondence with the resident (views_correspondence.py).
    path(
        "applications/<uuid:public_id>/messages/",
        views_correspondence.send_message,
        name="send_message",
    ),
    path(
        "applications/<uuid:public_id>/correction/",
        views_correspondence.request_correction,
        name="request_correction",
    ),
    path(
        "applications/<uuid:public_id>/messages/files/<uuid:file_id>/",
        views_correspondence.message_file,
        name="message_file",
    ),
    # The CSV export (export_views.py); the report first: «<id>-report.csv» would
    # also match «<id>.csv».
    path("export/", export_views.export_page, name="export"),
    path("export/<str:procedure_id>-report.csv", export_views.export_report, name="export_report"),
    path("export/<str:procedure_id>.csv", export_views.export_csv, name="export_csv"),
]
