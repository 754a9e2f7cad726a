from django.urls import path  # noqa: F401  (the back office's pages are added here)

app_name = "backoffice"
urlpatterns: list = []

# The correspondence with the resident (backoffice/views_correspondence.py).
from madoguchi.backoffice import views_correspondence  # noqa: E402

urlpatterns += [
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
]
