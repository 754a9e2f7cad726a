from django.urls import path

from madoguchi.applications import views, views_correspondence, views_documents

app_name = "applications"
urlpatterns = [
    path("apply/<slug:procedure_id>/", views.start, name="start"),
    path("mypage/applications/", views.listing, name="list"),
    path("mypage/applications/<uuid:public_id>/", views.detail, name="detail"),
    path("mypage/applications/<uuid:public_id>/edit/", views.edit, name="edit"),
    path("mypage/applications/<uuid:public_id>/review/", views.review, name="review"),
    path("mypage/applications/<uuid:public_id>/submit/", views.send, name="submit"),
    path("mypage/applications/<uuid:public_id>/done/", views.done, name="done"),
    path("mypage/applications/<uuid:public_id>/discard/", views.discard, name="discard"),
    path(
        "mypage/applications/<uuid:public_id>/messages/",
        views_correspondence.reply,
        name="reply",
    ),
    path(
        "mypage/applications/<uuid:public_id>/correct/",
        views_correspondence.correct,
        name="correct",
    ),
    path(
        "mypage/applications/<uuid:public_id>/correct/review/",
        views_correspondence.correct_review,
        name="correct_review",
    ),
    path(
        "mypage/applications/<uuid:public_id>/receipt.pdf",
        views_documents.receipt_pdf,
        name="receipt_pdf",
    ),
    path(
        "mypage/applications/<uuid:public_id>/files/<uuid:file_id>/",
        views_documents.attachment,
        name="file",
    ),
]
