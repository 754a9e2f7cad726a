"""Every attached file is handed out one way (``applications.serving``): the
resident's own file, the department's view of a form's file and of a message's
file give the same headers and the same audit entry."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from madoguchi.applications import correspondence, files
from madoguchi.applications.models import MESSAGE_FILES
from madoguchi.common.models import AuditEvent
from tests.applications.conftest import png_bytes

from .conftest import client_for, sent

pytestmark = pytest.mark.django_db

NAME = "保険証 おもて.png"  # not ASCII, with a space: the RFC 5987 name is needed
DISPOSITION = re.compile(
    r"^(?P<how>inline|attachment); filename=\"(?P<ascii>[ -~]+)\"; "
    r"filename\*=UTF-8''(?P<utf8>[A-Za-z0-9%._~!$&'()*+,;=:@-]+)$"
)
# (URL name, who asks, shown in the browser)
WAYS = {
    "resident": ("applications:file", "takahashi", False),
    "staff-form-file": ("backoffice:file", "kosodate", True),
    "staff-message-file": ("backoffice:message_file", "kosodate", False),
}


@pytest.fixture
def claim(takahashi):
    """高橋さん's claim with a photo as the form's file and one sent with a message."""
    app = sent(takahashi)
    with files.atomic_with_files():
        upload = SimpleUploadedFile(NAME, png_bytes(), content_type="image/png")
        form_file = files.store(app, "insurance_document", upload, files.Limits(("png",), 10**7, 5))
    app.data["insurance_document"] = [str(form_file.public_id)]
    app.save(update_fields=["data"])
    note = SimpleUploadedFile(NAME, png_bytes(), content_type="image/png")
    correspondence.post_message(
        app, author=takahashi, from_staff=False, body="写真を送ります", uploads=[note]
    )
    return app


def fetch(way, claim, request):
    url_name, who, _inline = WAYS[way]
    user = request.getfixturevalue(who)
    field = MESSAGE_FILES if way == "staff-message-file" else "insurance_document"
    attachment = claim.attachments.get(field_id=field)
    url = reverse(url_name, args=[claim.public_id, attachment.public_id])
    before = AuditEvent.objects.count()
    response = client_for(user).get(url)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    return response, attachment, user, events, url


@pytest.mark.parametrize("way", list(WAYS))
def test_each_way_gives_the_same_headers_and_audit_entry(way, claim, request):
    response, attachment, user, events, _url = fetch(way, claim, request)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    shown = WAYS[way][2]
    found = DISPOSITION.match(response["Content-Disposition"])
    assert found, response["Content-Disposition"]
    assert found["how"] == ("inline" if shown else "attachment")
    assert unquote(found["utf8"]) == NAME
    assert found["ascii"] == f"file-{attachment.public_id}.png"
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    cache = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache
    (event,) = events
    assert event.actor == user
    assert (event.action, event.target_type, event.target_id) == (
        "view" if shown else "download",
        "attachment",
        str(attachment.public_id),
    )
    assert event.detail == {"application": str(claim.public_id)}


def test_the_three_ways_send_one_set_of_headers(claim, request):
    names, values = {}, {}
    for way in WAYS:
        response = fetch(way, claim, request)[0]
        names[way] = {name.lower() for name, _value in response.items()}
        values[way] = {
            name.lower(): value
            for name, value in response.items()
            # The way (inline or not), the size and the time are each response's own.
            if name.lower() not in ("content-disposition", "content-length", "date", "expires")
        }
    assert names["resident"] == names["staff-form-file"] == names["staff-message-file"]
    assert values["resident"] == values["staff-form-file"] == values["staff-message-file"]


@pytest.mark.parametrize("way", list(WAYS))
def test_a_changed_file_is_not_handed_out_by_any_way(way, claim, request):
    field = MESSAGE_FILES if way == "staff-message-file" else "insurance_document"
    files.path_of(claim.attachments.get(field_id=field)).write_bytes(b"other bytes")
    response, _attachment, _user, events, _url = fetch(way, claim, request)
    assert response.status_code == 404 and events == []
