"""The card agent's endpoints (counter/views_card.py)."""

from django.urls import path

from madoguchi.counter import views_card

urlpatterns = [
    path("visits/<uuid:public_id>/card/token", views_card.card_token, name="card_token"),
    path("card/check", views_card.card_check, name="card_check"),
    path("card/facts", views_card.card_facts, name="card_facts"),
]
