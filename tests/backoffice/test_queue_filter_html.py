"""The queue's filter selects are written by our own template (options in place,
for speed); they must render exactly what Django's ``Select`` renders."""

from __future__ import annotations

import pytest
from django import forms

from madoguchi.backoffice.queue import QueueFilter, Select, procedures_of

CHOICES = [
    ("", "すべて"),
    ("a&b", "<script>「髙橋」&</script>"),
    ("x", "選ばれる"),
    ("グループ", [("g1", "一"), ("g2", '"二"')]),
    (3, "数"),
]


@pytest.mark.parametrize("value", [None, "", "x", "g2", "3", ["x", "g1"]])
@pytest.mark.parametrize("attrs", [{}, {"id": "id_f", "class": "small", "disabled": True}])
def test_select_renders_as_djangos(value, attrs):
    ours = Select(choices=CHOICES).render("f", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("f", value, attrs=attrs)
    assert ours == django
    assert "<script>" not in ours  # escaped, as Django does


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [None, {"status": "submitted", "channel": "paper"}, {"status": "nonsense"}]
)
def test_the_queue_filter_renders_as_with_djangos_select(data):
    procedures = procedures_of({"kosodate", "shimin"})
    ours = QueueFilter(data, procedures=procedures)
    plain = QueueFilter(data, procedures=procedures)
    for name in ("status", "procedure", "channel"):
        assert isinstance(ours.fields[name].widget, Select)
        plain.fields[name].widget = forms.Select(choices=plain.fields[name].choices)
    for name in ("status", "procedure", "channel"):
        assert str(ours[name]) == str(plain[name])
