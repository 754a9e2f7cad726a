"""The export's pages: scoping (404), the count, the cp932 refusal page, the
streamed download and its audit entry. Everyone signs in through the real forms
(the clerks with their second factor)."""

from __future__ import annotations

import codecs

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from madoguchi.common.models import AuditEvent

from .conftest import client_for
from .export_fixtures import CLAIM, claim_data, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def kosodate(kosodate):
    """子育て支援課's clerk 小林さん (conftest's), as her client signed in with the
    second factor."""
    return client_for(kosodate)


def test_a_clerk_of_another_department_gets_404(hoken, takahashi):
    make(takahashi)
    client = client_for(hoken)  # 保険年金課 (hoken-nenkin)
    assert client.get(reverse("backoffice:export_csv", args=[CLAIM])).status_code == 404
    assert client.get(reverse("backoffice:export"), {"procedure": CLAIM}).status_code == 404
    assert client.get(reverse("backoffice:export_report", args=[CLAIM])).status_code == 404
    page = client.get(reverse("backoffice:export"))
    assert page.status_code == 200 and CLAIM not in page.content.decode()


def test_not_staff_gets_404(takahashi):
    client = client_for(takahashi)
    assert client.get(reverse("backoffice:export")).status_code == 404


def test_the_page_shows_the_count_before_the_download(kosodate, takahashi):
    make(takahashi, 3)
    page = kosodate.get(reverse("backoffice:export"), {"procedure": CLAIM, "encoding": "utf-8"})
    text = page.content.decode()
    assert "3 件を書き出します" in text
    assert f"/office/export/{CLAIM}.csv?encoding=utf-8" in text


def test_the_download_streams_with_a_bom_and_is_audited(kosodate, takahashi):
    make(takahashi, 2)
    response = kosodate.get(reverse("backoffice:export_csv", args=[CLAIM]), {"encoding": "utf-8"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "2rows-utf8.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8) and body.count(b"\r\n") == 3
    event = AuditEvent.objects.get(action="download", target_type="export")
    assert event.target_id == CLAIM
    assert event.detail == {"rows": 2, "encoding": "utf-8", "status": "all", "substitute": False}


def test_cp932_with_unwritable_characters_goes_back_to_the_list(kosodate, takahashi):
    make(takahashi, data=claim_data(claimant_name={"name": "𠮷田\u3000一", "kana": "よしだ"}))
    url = reverse("backoffice:export_csv", args=[CLAIM])
    refused = kosodate.get(url, {"encoding": "cp932"})
    assert refused.status_code == 302 and "encoding=cp932" in refused["Location"]
    assert not AuditEvent.objects.filter(action="download").exists()
    page = kosodate.get(refused["Location"]).content.decode()
    assert "2026-000001" in page and "請求者の氏名(氏名)" in page
    assert "𠮷" in page and "U+20BB7" in page and "UTF-8 でダウンロードする" in page
    chosen = kosodate.get(url, {"encoding": "cp932", "substitute": "1"})
    assert "吉田" in b"".join(chosen.streaming_content).decode("cp932")
    report = kosodate.get(reverse("backoffice:export_report", args=[CLAIM]))
    assert "U+20BB7" in b"".join(report.streaming_content).decode("utf-8-sig")
    assert AuditEvent.objects.get(action="download", target_type="export").detail["substitute"]
    assert AuditEvent.objects.filter(target_type="export_report").count() == 1


def test_cp932_without_problems_downloads_directly(kosodate, takahashi):
    make(takahashi)
    page = kosodate.get(reverse("backoffice:export"), {"procedure": CLAIM, "encoding": "cp932"})
    assert "CSVをダウンロードする" in page.content.decode()
    response = kosodate.get(reverse("backoffice:export_csv", args=[CLAIM]), {"encoding": "cp932"})
    assert "高橋" in b"".join(response.streaming_content).decode("cp932")


def test_status_filter(kosodate, takahashi):
    make(takahashi, 2)
    make(takahashi, 1, status="completed", first=3)
    response = kosodate.get(reverse("backoffice:export_csv", args=[CLAIM]), {"status": "completed"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "2026-000003" in body and "2026-000001" not in body
    assert kosodate.get(reverse("backoffice:export"), {"status": "draft"}).status_code == 404


def test_the_shift_jis_check_page_is_audited(kosodate, takahashi):
    """The list of characters cp932 lacks shows residents' names: it is a view."""
    make(takahashi, data=claim_data(claimant_name={"name": "𠮷田\u3000一", "kana": "よしだ"}))
    page = kosodate.get(reverse("backoffice:export"), {"procedure": CLAIM, "encoding": "cp932"})
    assert "𠮷" in page.content.decode()
    event = AuditEvent.objects.get(action="view", target_type="export")
    assert event.target_id == CLAIM
    assert event.detail == {"page": "sjis_check", "status": "all", "characters": 1, "rows": 1}
    kosodate.get(reverse("backoffice:export"), {"procedure": CLAIM, "encoding": "utf-8"})
    assert AuditEvent.objects.filter(action="view", target_type="export").count() == 1


def test_cp932_checked_as_it_streams_a_later_row_ends_the_download(
    kosodate, takahashi, monkeypatch
):
    """One pass: the first rows are checked before answering (above); a row further on
    that cp932 cannot write (sent after the page's check) stops the download as
    failed, rather than losing a character."""
    from madoguchi.backoffice import export

    monkeypatch.setattr(export, "CHUNK", 2)
    make(takahashi, 3)
    make(takahashi, data=claim_data(claimant_name={"name": "𠮷田\u3000一", "kana": "よしだ"}),
         first=4)  # fmt: skip
    response = kosodate.get(reverse("backoffice:export_csv", args=[CLAIM]), {"encoding": "cp932"})
    assert response.status_code == 200
    with pytest.raises(export.Unwritable):
        b"".join(response.streaming_content)
