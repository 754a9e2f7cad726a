from django.urls import path

from madoguchi.catalog import views, views_look

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("procedures/", views.procedure_search, name="search"),
    path("procedures/<slug:procedure_id>/", views.procedure_detail, name="procedure"),
    path("guide/<slug:event>/", views.guide_start, name="start"),
    path("guide/<slug:event>/checklist/", views.guide_checklist, name="checklist"),
    path("guide/<slug:event>/answers/", views.guide_answers, name="answers"),
    path("guide/<slug:event>/change/<slug:fact>/", views.guide_change, name="change"),
    path(
        "guide/<slug:event>/change/<slug:fact>/<int:member>/",
        views.guide_change,
        name="change_member",
    ),
    path("guide/<slug:event>/clear/", views.guide_clear, name="clear"),
    path("guide/<slug:event>/checklist.pdf", views.guide_pdf, name="pdf"),
    # The town's colours and logo (its catalogue's look:).
    path("look.css", views_look.look_css, name="look_css"),
    path("look/logo", views_look.logo, name="logo"),
]
