"""What "the same application" is (duplicates.py), and the applicant's name kept with
the data: 高橋さん claiming 児童手当 twice for 陽翔くん is a possible duplicate; a claim
for another child, 齊藤さん's claim, a rejected one or a draft are not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from madoguchi.applications import correspondence, duplicates, workflow
from madoguchi.applications.applicant import applicant_name
from madoguchi.applications.models import Application, Status
from madoguchi.catalog.form_schema import FormSpec
from madoguchi.catalog.registry import current_catalog

from .conftest import CLAIM, claim_post
from .test_correspondence import ask, in_review, make_clerk
from .test_submission import new_draft, send

pytestmark = pytest.mark.django_db

OTHER_CHILD = {
    "children-0-child_name__name": "高橋 結菜",
    "children-0-child_name__kana": "たかはし ゆいな",
}


def claim(user, **post) -> Application:
    app = new_draft(user, post=claim_post(**post))
    send(app, user)
    app.refresh_from_db()
    return app


def spec(procedure_id: str) -> FormSpec:
    form = current_catalog().procedures[procedure_id].form
    return FormSpec.model_validate(form.model_dump(mode="json", by_alias=True))


def test_the_subject_is_the_people_the_form_is_about():
    claim_spec = spec(CLAIM)
    child = {"child_name": {"name": "高橋 陽翔", "kana": "たかはし はると"},
             "child_birth_date": "2026-11-20"}  # fmt: skip
    sister = {"child_name": {"name": "高橋 結菜"}, "child_birth_date": "2024-04-02"}
    key = duplicates.subject_key(claim_spec, {"children": [child, sister]})
    # The same children in another order, spaces written otherwise, another kana: the same.
    respelled = {**child, "child_name": {"name": "高橋　陽翔", "kana": "タカハシ"}}
    assert duplicates.subject_key(claim_spec, {"children": [sister, respelled]}) == key
    # Another child, or the same name born another day: not the same.
    assert duplicates.subject_key(claim_spec, {"children": [child]}) != key
    twin = {**sister, "child_birth_date": "2024-04-03"}
    assert duplicates.subject_key(claim_spec, {"children": [child, twin]}) != key
    # 要介護認定: the 被保険者 (insured_name + insured_birth_date), not the applicant.
    care = spec("care-certification-application")
    mother = {"insured_name": {"name": "高橋 キヨ"}, "insured_birth_date": "1940-01-05"}
    assert duplicates.subject_key(care, mother) != duplicates.subject_key(
        care, {**mother, "insured_birth_date": "1941-01-05"}
    )
    assert duplicates.subject_key(care, {**mother, "applicant_name": {"name": "高橋 太郎"}}) == (
        duplicates.subject_key(care, mother)
    )
    # A form about nobody else: owner and procedure alone decide.
    assert (
        duplicates.subject_key(spec("dog-registration-change"), {"change_date": "2026-04-01"}) == ""
    )


def test_the_applicant_is_the_identity_or_profile_name_field():
    claim_spec = spec(CLAIM)
    data = {"spouse_name": {"name": "高橋 花子"}, "claimant_name": {"name": "高橋 太郎"}}
    assert applicant_name(claim_spec, data) == "高橋 太郎"
    assert applicant_name(claim_spec, {}) == ""


def test_the_same_resident_procedure_and_child_is_a_possible_duplicate(takahashi, saito):
    first = claim(takahashi)
    again = claim(takahashi)
    other_child = claim(takahashi, **OTHER_CHILD)
    someone_else = claim(saito)
    assert first.applicant_name == "高橋\u3000太郎" and first.subject_key
    assert list(duplicates.same_as(again)) == [first]
    assert list(duplicates.same_as(first)) == [again]
    assert not duplicates.same_as(other_child).exists()
    assert not duplicates.same_as(someone_else).exists()
    # A draft of the same claim does not count; nor does a rejected one.
    new_draft(takahashi, post=claim_post())
    assert list(duplicates.same_as(first)) == [again]
    clerk = make_clerk()
    for to in (Status.IN_REVIEW, Status.REJECTED):
        again.refresh_from_db()
        workflow.move(again, to, actor=clerk, by="staff", expected_revision=again.revision,
                      note="二重の申請のため")  # fmt: skip
    assert not duplicates.same_as(first).exists()


def test_a_page_finds_each_rows_other_in_the_same_query(takahashi, saito):
    a, b, c = claim(takahashi), claim(takahashi), claim(takahashi)
    alone = claim(saito)
    with CaptureQueriesContext(connection) as queries:
        rows = list(duplicates.with_first_other(Application.objects.order_by("pk")))
    assert len(queries) == 1
    found = {r.pk: r.other_public_id for r in rows}
    assert found == {a.pk: b.public_id, b.pk: a.public_id, c.pk: a.public_id, alone.pk: None}
    assert rows[1].other_receipt_number == a.receipt_number


def test_a_correction_of_the_children_changes_the_subject(takahashi):
    clerk = make_clerk()
    app = in_review(takahashi, clerk)
    before = app.subject_key
    ask(app, clerk, fields=["children"], note="お子さんの名前を確かめてください")
    app.refresh_from_db()
    correspondence.submit_correction(
        app, user=takahashi, post=claim_post(**OTHER_CHILD), expected_revision=app.revision
    )
    app.refresh_from_db()
    assert app.subject_key and app.subject_key != before
    assert app.applicant_name == "高橋\u3000太郎"


def test_sent_by_lists_what_the_resident_sent_per_procedure(takahashi, saito):
    first = claim(takahashi)
    new_draft(takahashi, "kokuho-enroll")
    assert {k: [a.pk for a in v] for k, v in duplicates.sent_by(takahashi).items()} == {
        CLAIM: [first.pk]
    }
    assert duplicates.sent_by(saito) == {}


# -- overlapping subjects: {A, B} then {B, C} claims B twice -----------------------


def _children(*kids: tuple[str, str, str]) -> dict[str, str]:
    """The claim's children as the form posts them: (氏名, ふりがな, 生年月日)."""
    post = {"children-TOTAL_FORMS": str(len(kids))}
    for n, (name, kana, born) in enumerate(kids):
        year, month, day = born.split("-")
        post |= {
            f"children-{n}-child_name__name": name,
            f"children-{n}-child_name__kana": kana,
            f"children-{n}-child_birth_date_era": "西暦",
            f"children-{n}-child_birth_date_year": year,
            f"children-{n}-child_birth_date_month": month,
            f"children-{n}-child_birth_date_day": day,
            f"children-{n}-lives_together": "yes",
            f"children-{n}-child_relationship": "child",
        }
    return post


HARUTO = ("高橋 陽翔", "たかはし はると", "2026-11-20")
YUNA = ("高橋 結菜", "たかはし ゆいな", "2024-04-02")
SORA = ("高橋 蒼空", "たかはし そら", "2022-07-07")


def test_applications_sharing_a_child_are_possible_duplicates(takahashi, saito):
    ab = claim(takahashi, **_children(HARUTO, YUNA))
    bc = claim(takahashi, **_children(YUNA, SORA))
    c_only = claim(takahashi, **_children(SORA))
    unrelated = claim(takahashi, **_children(("高橋 陸", "たかはし りく", "2020-01-01")))
    someone_else = claim(saito, **_children(HARUTO, YUNA))  # another family's claim
    assert list(duplicates.same_as(bc)) == [ab, c_only]  # 結菜 with ab, 蒼空 with c_only
    assert list(duplicates.same_as(ab)) == [bc]
    assert list(duplicates.same_as(c_only)) == [bc]
    assert not duplicates.same_as(unrelated).exists()
    assert not duplicates.same_as(someone_else).exists()
    # The queue: each row's first other, all in the rows' one query.
    with CaptureQueriesContext(connection) as queries:
        rows = list(duplicates.with_first_other(Application.objects.order_by("pk")))
    assert len(queries) == 1
    assert {r.pk: r.other_public_id for r in rows} == {
        ab.pk: bc.public_id, bc.pk: ab.public_id, c_only.pk: bc.public_id,
        unrelated.pk: None, someone_else.pk: None,
    }  # fmt: skip


def test_the_clerk_is_told_which_children_are_shared(takahashi):
    from tests.backoffice.conftest import KOSODATE, client_for, staff

    ab = claim(takahashi, **_children(HARUTO, YUNA))
    bc = claim(takahashi, **_children(YUNA, SORA))
    page = client_for(staff(KOSODATE)).get(f"/office/applications/{bc.public_id}/")
    html = page.content.decode()
    assert "重複の可能性" in html and ab.receipt_number in html
    notice = html.split("notice duplicate")[1].split("</div>")[0]
    assert "共通の対象: 高橋\u3000結菜<" in notice  # as kept: one full-width space
    assert "蒼空" not in notice and "陽翔" not in notice  # only the shared one


def test_a_correction_that_adds_a_claimed_child_makes_them_duplicates(takahashi):
    clerk = make_clerk()
    first = claim(takahashi, **_children(YUNA))
    app = in_review(takahashi, clerk)  # 陽翔 only: not the same
    assert not duplicates.same_as(app).exists()
    ask(app, clerk, fields=["children"], note="お子さんを確かめてください")
    app.refresh_from_db()
    correspondence.submit_correction(
        app,
        user=takahashi,
        post=claim_post(**_children(HARUTO, YUNA)),
        expected_revision=app.revision,
    )
    assert list(duplicates.same_as(app)) == [first]


def test_the_resident_is_told_before_sending_which_child_was_claimed(client, takahashi):
    from django.urls import reverse

    claim(takahashi, **_children(HARUTO, YUNA))
    draft = new_draft(takahashi, post=claim_post(**_children(YUNA, SORA)))
    client.force_login(takahashi)
    page = client.get(reverse("applications:review", args=[draft.public_id])).content.decode()
    assert "同じ申請を、もう送っています" in page and "同じ対象: 高橋\u3000結菜" in page
    assert "蒼空" not in page.split("同じ申請を、もう送っています")[1].split("</div>")[0]


def test_the_migration_fills_the_people_of_applications_already_sent(takahashi):
    """Applications sent before ``SubjectPerson`` existed get their people (and so
    their overlaps) from their own data."""
    from importlib import import_module

    from django.apps import apps

    from madoguchi.applications.models import SubjectPerson

    ab = claim(takahashi, **_children(HARUTO, YUNA))
    bc = claim(takahashi, **_children(YUNA, SORA))
    draft = new_draft(takahashi, post=claim_post(**_children(SORA)))
    SubjectPerson.objects.all().delete()  # as before the migration
    assert not duplicates.same_as(bc).exists()
    import_module("madoguchi.applications.migrations.0011_subject_people").fill(apps, None)
    assert list(duplicates.same_as(bc)) == [ab]
    assert SubjectPerson.objects.filter(application=bc).count() == 2
    assert not SubjectPerson.objects.filter(application=draft).exists()
