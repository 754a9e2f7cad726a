from django.urls import path

from madoguchi.residents import checklist_views, views
from madoguchi.residents.identity import views as identity

app_name = "residents"

urlpatterns = [
    path("", views.mypage, name="mypage"),
    path("profile/", views.profile_edit, name="profile"),
    path("checklists/save/<slug:event>/", checklist_views.save, name="save_checklist"),
    path("checklists/<uuid:public_id>/", checklist_views.detail, name="checklist"),
    path("checklists/<uuid:public_id>/delete/", checklist_views.delete, name="delete_checklist"),
    path("identity/", identity.identity, name="identity"),
    path("identity/demo/", identity.demo, name="identity_demo"),
    path("identity/<slug:provider_id>/begin/", identity.begin, name="identity_begin"),
    path("identity/<slug:provider_id>/complete/", identity.complete, name="identity_complete"),
]
