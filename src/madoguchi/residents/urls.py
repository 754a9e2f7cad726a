from django.urls import path

from madoguchi.residents import views
from madoguchi.residents.identity import views as identity

app_name = "residents"

urlpatterns = [
    path("", views.mypage, name="mypage"),
    path("profile/", views.profile_edit, name="profile"),
    path("identity/", identity.identity, name="identity"),
    path("identity/demo/", identity.demo, name="identity_demo"),
    path("identity/<slug:provider_id>/begin/", identity.begin, name="identity_begin"),
    path("identity/<slug:provider_id>/complete/", identity.complete, name="identity_complete"),
]
