"""A whole visit at the counter through the pages, as a counter clerk signed in
through the real forms: the four facts typed (no card), the guide for a birth,
two forms in one pass (the shared fields asked once), the print (受付番号 taken),
the confirmation (both applications in 子育て支援課's queue, channel 窓口, no
account, entered by the clerk). And who may use the counter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.applications.models import Application, Channel, IdentitySource, Status
from madoguchi.common.models import AuditEvent
from madoguchi.common.text_input import tidy_name
from madoguchi.counter.models import Visit
from tests.backoffice.conftest import client_for
from tests.counter.page_form import form_data, input_names
from tests.towns.conftest import sakura_catalogue  # noqa: F401

CLAIM, MEDICAL = "child-allowance-claim", "child-medical-subsidy"
NAME = tidy_name("高橋　太郎")  # as a form keeps it


@pytest.fixture
def clerk(madoguchi):
    return madoguchi


@pytest.fixture
def visit(clerk):
    now = timezone.localtime()
    return Visit.objects.create(day=now.date(), number=7, arrived_at=now, created_by=clerk)


def url(name, visit):
    return reverse(f"counter:{name}", args=[visit.public_id])


def typed_facts(client, visit):
    page = client.get(url("identity", visit))
    data = form_data(page.content.decode(), "name__name")
    data.update(
        {
            "name__name": "高橋　太郎",
            "name__kana": "タカハシ タロウ",
            "birth_date_era": "昭和",
            "birth_date_year": "63",
            "birth_date_month": "6",
            "birth_date_day": "15",
            "sex": "male",
            "address__postal": "100-0001",
            "address__address": "東京都千代田区千代田1-1",
            "phone": "090-1234-5678",
        }
    )
    return client.post(url("identity", visit), data)


def birth_guide(client, visit):
    client.post(url("guide", visit), {"event": "birth"})
    page = client.get(url("guide", visit)).content.decode()
    data = form_data(page, "m-TOTAL_FORMS")
    day = timezone.localdate() - timedelta(days=3)
    data.update(
        {
            "event_date_era": "西暦",
            "event_date_year": str(day.year),
            "event_date_month": str(day.month),
            "event_date_day": str(day.day),
        }
    )
    return client.post(url("guide", visit), data)


def test_a_walk_in_without_a_card_files_two_forms_in_one_pass(clerk, visit, kosodate):
    client = client_for(clerk)
    assert typed_facts(client, visit).status_code == 302
    visit.refresh_from_db()
    applicant = visit.applicant
    assert applicant.name == NAME and applicant.source == IdentitySource.TYPED
    assert applicant.birth_date.isoformat() == "1988-06-15"  # 昭和63年
    assert applicant.verified_at is None and applicant.entered_by == clerk

    assert birth_guide(client, visit).status_code == 302
    page = client.get(url("procedures", visit)).content.decode()
    choose = input_names(page, "procedure")
    assert "procedure" in choose
    response = client.post(
        url("procedures", visit), {"action": "choose", "procedure": [CLAIM, MEDICAL]}
    )
    assert response.status_code == 302
    apps = Application.objects.filter(visit_link__visit=visit)
    assert {a.procedure_id for a in apps} == {CLAIM, MEDICAL}
    assert all(a.owner is None and a.channel == Channel.COUNTER for a in apps)

    page = client.get(url("forms", visit)).content.decode()
    names = input_names(page, "s-identity_name__name")
    # What both forms ask is asked once: the applicant's name, the phone, the account.
    assert "s-identity_name__name" in names and "s-profile_phone" in names
    assert "s-field_bank_account_bank" in names or "s-field_bank_account_0" in names
    assert not any(n.startswith(("a1-claimant_name", "a2-guardian_name")) for n in names)
    data = form_data(page, "s-identity_name__name")
    # Typed facts fill the forms, editable (no card: nothing verified).
    assert data["s-identity_name__name"] == NAME
    assert data["s-profile_phone"] == "090-1234-5678"
    bank = {k for k in names if k.startswith("s-field_bank_account")}
    data.update(_bank(bank))
    data.update(
        {
            "a1-claimant_insurance": "kokuho",
            "a1-children-0-child_name__name": "高橋 陽翔",
            "a1-children-0-child_name__kana": "たかはし はると",
            "a1-children-0-child_relationship": "child",
            "a1-children-0-lives_together": "yes",
            "a2-children-0-child_name__name": "高橋 陽翔",
            "a2-children-0-child_name__kana": "たかはし はると",
            "a2-children-0-child_sex": "male",
            "a2-children-0-child_insurance": "kokuho",
            "a2-children-0-lives_together": "yes",
            "action": "print",
        }
    )
    response = client.post(url("forms", visit), data)
    assert response.status_code == 302, _errors(response)
    visit.refresh_from_db()
    assert visit.printed_at is not None
    apps = list(Application.objects.filter(visit_link__visit=visit).order_by("receipt_number"))
    assert all(a.receipt_number and a.status == Status.DRAFT for a in apps)
    assert apps[0].data["bank_account"] == apps[1].data["bank_account"]

    # Not confirmed without the signature's tick.
    client.post(url("confirm", visit), {})
    assert not Application.objects.filter(visit_link__visit=visit, status="submitted").exists()
    response = client.post(url("confirm", visit), {"signed": "1"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.confirmed_at is not None
    for app in Application.objects.filter(visit_link__visit=visit):
        assert app.status == Status.SUBMITTED and app.channel == Channel.COUNTER
        assert app.owner is None and app.entered_by == clerk and app.applicant == applicant
        assert app.applicant_name == NAME
        assert app.receipt_number in {a.receipt_number for a in apps}  # the printed ones
    # 子育て支援課 finds them in its queue, marked 窓口.
    queue = client_for(kosodate).get(reverse("backoffice:queue")).content.decode()
    for app in apps:
        assert app.receipt_number in queue
    assert AuditEvent.objects.filter(action="confirm", target_id=str(visit.public_id)).exists()


def _bank(names: set[str]) -> dict:
    """みずほ銀行 東京営業部 (codes present in the zengin data)."""
    values = ["0001", "001", "ordinary", "1234567", "タカハシ タロウ"]
    suffixes = ["_bank", "_branch", "_type", "_number", "_holder"]
    out = {}
    for suffix, value in zip(suffixes, values, strict=True):
        out.update({n: value for n in names if n.endswith(suffix)})
    return out


def _errors(response) -> str:
    import re

    html = response.content.decode()
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found[0]) if found else html[:2000]


def test_a_change_after_printing_asks_for_a_new_print(clerk, visit):
    from madoguchi.counter import filing

    client = client_for(clerk)
    typed_facts(client, visit)
    birth_guide(client, visit)
    client.post(url("procedures", visit), {"action": "choose", "procedure": [MEDICAL]})
    visit.refresh_from_db()
    app = filing.applications_of(visit)[0]
    filing.mark_printed(visit, by=clerk)
    app.data = {**app.data, "phone": "03-1234-5678"}
    Application.objects.filter(pk=app.pk).update(data=app.data)
    response = client.post(url("confirm", visit), {"signed": "1"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.DRAFT  # what was signed is not what is stored


def test_only_counter_clerks_reach_the_counter(clerk, visit, kosodate):
    # A department's clerk (no counter permission): 404, as in the back office.
    assert client_for(kosodate).get(url("visit", visit)).status_code == 404
    # Not signed in: the sign-in page.
    assert Client().get(url("visit", visit)).status_code == 302
    # A counter clerk files for every department but reads no department's queue.
    client = client_for(clerk)
    assert client.get(url("visit", visit)).status_code == 200
    assert client.get(reverse("backoffice:queue")).status_code == 404


def test_typed_facts_are_checked_by_the_online_forms_rules(clerk, visit):
    client = client_for(clerk)
    page = client.get(url("identity", visit))
    data = form_data(page.content.decode(), "name__name")
    data.update({"name__name": "高橋 太郎", "name__kana": "高橋", "birth_date_era": "令和",
                 "birth_date_year": "99", "birth_date_month": "1", "birth_date_day": "1"})  # fmt: skip
    response = client.post(url("identity", visit), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and "ふりがな" in html
    visit.refresh_from_db()
    assert visit.applicant is None  # nothing kept


def test_a_town_s_counter_is_its_own_clerks(clerk, sakura_catalogue):  # noqa: F811
    """With several towns, 総合窓口 of みどり市 cannot serve at さくら町's counter (the
    permission is the role; the town's ``CounterClerk`` row, the place)."""
    from madoguchi.towns.demo_town import CODE, SLUG
    from madoguchi.towns.models import Town

    client = client_for(clerk)  # signed in while one town serves /accounts/
    Town.objects.create(slug=SLUG, code=CODE, catalog_dir=str(sakura_catalogue))
    assert client.get("/t/midori/counter/").status_code == 200
    assert client.get(f"/t/{SLUG}/counter/").status_code == 404


def test_two_walk_ins_each_file_the_same_procedure(clerk):
    """「一つの手続きに下書き一つ」 is a resident's online rule: a clerk serving two
    walk-ins files the same procedure for each."""
    from datetime import date

    from madoguchi.counter import filing, identity
    from madoguchi.counter.tickets import start_visit

    for name in ("高橋　太郎", "佐藤　一郎"):
        visit = start_visit(kind="general", by=clerk)
        identity.record_typed(
            visit,
            {"name": {"name": name, "kana": "たろう"}, "birth_date": "1988-06-15",
             "address": {"postal_code": "1000001", "address": "東京都千代田区千代田1-1"}},
            by=clerk,
        )  # fmt: skip
        visit.event = "birth"
        visit.situation = {"event": "birth", "event_date": date.today().isoformat()}
        visit.save()
        filing.choose(visit, [MEDICAL], by=clerk)
    drafts = Application.objects.filter(procedure_id=MEDICAL, status=Status.DRAFT)
    assert drafts.count() == 2 and {a.applicant.name for a in drafts} == {
        tidy_name("高橋　太郎"),
        tidy_name("佐藤　一郎"),
    }


def test_at_the_bereavement_desk_the_deceased_is_not_the_applicant(clerk):
    """The bereaved applicant's card fills the applicant's fields (locked); the
    deceased's come from the people the clerk entered; nothing crosses over."""
    from datetime import date, timedelta

    from madoguchi.counter import filing, identity, people
    from madoguchi.counter.models import VisitKind
    from madoguchi.counter.one_pass import OnePass
    from madoguchi.counter.tickets import start_visit

    visit = start_visit(kind=VisitKind.BEREAVEMENT, by=clerk)
    identity.record_card(
        visit, name="髙橋　花子", address="東京都千代田区千代田1-1", birth_date=date(1958, 3, 2),
        sex="female", by=clerk,
    )  # fmt: skip
    people.record(
        visit,
        {"deceased_name": {"name": "髙橋　一郎", "kana": "たかはし いちろう"},
         "deceased_birth_date": "1950-05-05",
         "deceased_address": {"postal_code": "1000001", "address": "東京都千代田区千代田1-1"},
         "heirs": [{"name": {"name": "髙橋　二郎", "kana": "たかはし じろう"}, "relation": "子"}]},
        by=clerk,
    )  # fmt: skip
    died = date.today() - timedelta(days=5)
    visit.event = "death"
    visit.situation = {
        "event": "death", "event_date": died.isoformat(),
        "members": [{"role": "deceased", "birth_date": "1950-05-05"},
                    {"role": "self", "birth_date": "1958-03-02"}],
    }  # fmt: skip
    visit.save()
    apps = filing.choose(visit, ["kokuho-funeral-expenses", "head-of-household-change"], by=clerk)
    funeral = next(a for a in apps if a.procedure_id == "kokuho-funeral-expenses")
    assert funeral.data["deceased_name"]["name"] == "髙橋　一郎"
    assert funeral.data["deceased_birth_date"] == "1950-05-05"
    assert funeral.data["death_date"] == died.isoformat()
    assert funeral.data["applicant_name"]["name"] == "髙橋　花子"
    one = OnePass(apps, identity=visit.applicant.identity_values())
    shared = {e.spec.id: e for e in one.shared.entries()}
    # The card locks the applicant's 氏名 (its ふりがな is still asked); the
    # deceased's name is an answer, asked once for both forms.
    assert shared["identity_name"].verified_lines and shared["identity_name"].fields
    assert "deceased_name" in shared and not shared["deceased_name"].verified_lines


def test_the_guide_is_not_asked_what_the_counter_knows(clerk):
    """The card's birth date and sex, and the people page's deceased, fill the
    guide's household: the guide does not ask them again."""
    from datetime import date, timedelta

    from madoguchi.catalog.situation import Situation
    from madoguchi.counter import filing, identity, people
    from madoguchi.counter.models import VisitKind
    from madoguchi.counter.tickets import start_visit

    visit = start_visit(kind=VisitKind.BEREAVEMENT, by=clerk)
    identity.record_card(
        visit, name="髙橋　花子", address="東京都千代田区千代田1-1", birth_date=date(1958, 3, 2),
        sex="female", by=clerk,
    )  # fmt: skip
    people.record(
        visit,
        {"deceased_name": {"name": "髙橋　一郎", "kana": "たかはし いちろう"},
         "deceased_birth_date": "1950-05-05", "deceased_sex": "male"},
        by=clerk,
    )  # fmt: skip
    rows = filing.start_rows(visit, [{"role": "deceased"}, {"role": "self"}, {}])
    assert rows[0]["birth_date"] == date(1950, 5, 5) and rows[1]["birth_date"] == date(1958, 3, 2)
    died = date.today() - timedelta(days=3)
    typed = Situation(
        event="death", event_date=died, members=[{"role": "deceased"}, {"role": "self"}]
    )
    situation = filing.with_known_people(visit, typed)
    deceased, me = situation.members
    assert (deceased.birth_date, deceased.sex) == (date(1950, 5, 5), "male")
    assert (me.birth_date, me.sex) == (date(1958, 3, 2), "female")
