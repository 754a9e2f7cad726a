from django.urls import path  # noqa: F401  (the back office's pages are added here)

app_name = "backoffice"
urlpatterns: list = []

# The CSV export (export_views.py).
from madoguchi.backoffice import export_views  # noqa: E402

urlpatterns += [
    path("export/", export_views.export_page, name="export"),
    # The report first: «<id>-report.csv» would also match «<id>.csv».
    path("export/<str:procedure_id>-report.csv", export_views.export_report, name="export_report"),
    path("export/<str:procedure_id>.csv", export_views.export_csv, name="export_csv"),
]
