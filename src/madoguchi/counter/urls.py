"""The counter's pages, by part: the visits and the waiting display (``urls_visits``),
a visit's steps from the card to the confirmation (``urls_flow``), and the card
agent's endpoints (``urls_card``)."""

from madoguchi.counter.urls_card import urlpatterns as card
from madoguchi.counter.urls_flow import urlpatterns as flow
from madoguchi.counter.urls_visits import urlpatterns as visits

app_name = "counter"
urlpatterns = [*visits, *flow, *card]
