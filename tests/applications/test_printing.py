"""The counter's printed forms (applications/printing.py): one PDF with a form per
application and then the checklist, read back as a person and a scanner would:
its text with ``pdftotext``, its pages as images with ``pdftoppm``, and each
page's QR code decoded from the image (zxing-cpp) to the application it belongs to.

高橋 髙志さん (the card's 髙, outside JIS X 0208's common form) claims 児童手当 for
𠮷乃 (𠮷, outside the BMP) and joins 国民健康保険 at the みどり市 counter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from madoguchi.applications.entry_form import ApplicationForm
from madoguchi.applications.models import Application, Status
from madoguchi.applications.printing import QR_PREFIX, addressee, forms_pdf, title
from madoguchi.applications.samples import complete_input
from madoguchi.catalog.guide import run_guide
from madoguchi.catalog.registry import current_catalog
from madoguchi.catalog.views import checklist_context

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (./dev setup)"),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "printing"

CLAIMANT = {"name": "髙橋\u3000髙志", "kana": "たかはし たかし"}
ADDRESS = {"postal_code": "3792313", "address": "群馬県みどり市笠懸町鹿250番地"}

CLAIM_DATA = {
    "claimant_name": CLAIMANT,
    "claimant_birth_date": "1988-06-15",
    "claimant_address": ADDRESS,
    "phone": "090-1234-5678",
    "email": "takashi@example.jp",
    "claimant_insurance": "kokuho",
    "spouse_name": {"name": "髙橋\u3000美穂", "kana": "たかはし みほ"},
    "children": [
        {
            "child_name": {"name": "髙橋\u3000𠮷乃", "kana": "たかはし よしの"},
            "child_birth_date": "2026-11-20",
            "child_relationship": "child",
            "lives_together": True,
        }
    ],
    "older_children": [],
    "bank_account": {
        "bank_code": "0001",
        "branch_code": "001",
        "type": "ordinary",
        "number": "1234567",
        "holder": "ﾀｶﾊｼ ﾀｶｼ",
    },
}

KOKUHO_DATA = {
    "head_name": CLAIMANT,
    "head_birth_date": "1988-06-15",
    "head_address": ADDRESS,
    "phone": "090-1234-5678",
    "reason": "birth",
    "reason_date": "2026-11-20",
    "members": [
        {
            "member_name": {"name": "髙橋\u3000𠮷乃", "kana": "たかはし よしの"},
            "member_birth_date": "2026-11-20",
            "member_sex": "female",
            "relationship": "child",
            "previous_insurance": "none",
        }
    ],
    "delivery": "mail",
}


def make(user, procedure_id: str, data: dict, receipt_number: str = "") -> Application:
    catalog = current_catalog()
    proc = catalog.procedures[procedure_id]
    return Application.objects.create(
        owner=user,
        municipality_code=catalog.municipality.code,
        procedure_id=proc.id,
        procedure_name=proc.name.ja,
        department_id=proc.department,
        form_version=proc.form.version,
        form_spec=proc.form.model_dump(mode="json", by_alias=True),
        data=data,
        status=Status.SUBMITTED if receipt_number else Status.DRAFT,
        receipt_number=receipt_number,
        submitted_at=timezone.now() if receipt_number else None,
    )


def sample_data(spec) -> dict:
    form = ApplicationForm(spec, data=complete_input(spec), draft=False)
    assert form.is_valid(), form.problems()
    return form.values()


def write(pdf: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    return path


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(li for li in info.stdout.splitlines() if li.startswith("Pages:")).split()[1])


def page_text(path: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def flat(text: str) -> str:
    """The text without the spaces and line breaks of its layout."""
    return "".join(text.split())


def page_qr(path: Path, page: int) -> list[str]:
    """The QR codes the page's image carries (rendered at 150 dpi, as a scanner)."""
    stem = path.with_name(f"{path.stem}-p{page}")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(path), str(stem)],
        check=True,
    )  # fmt: skip
    return [b.text for b in zxingcpp.read_barcodes(Image.open(f"{stem}.png"))]


@pytest.fixture
def claim(takahashi):
    return make(takahashi, "child-allowance-claim", CLAIM_DATA, receipt_number="2026-000123")


@pytest.fixture
def kokuho(takahashi):
    return make(takahashi, "kokuho-enroll", KOKUHO_DATA)


def test_one_page_per_form_with_its_values_then_the_checklist(claim, kokuho, takahashi_birth):
    catalog = current_catalog()
    result = run_guide(catalog, takahashi_birth, "ja")
    checklist = checklist_context(catalog.life_events["birth"], takahashi_birth, result, "ja")
    path = write(forms_pdf([claim, kokuho], checklist=checklist, visit_label="窓口 A-012"), "two")

    assert page_count(path) >= 3
    first, second = flat(page_text(path, 1)), flat(page_text(path, 2))
    # The paper form's head: title, addressee, date in 和暦, the 受付番号.
    assert "児童手当認定請求書" in first and "みどり市長様" in first
    assert f"請求日{_wareki_today()}" in first
    assert "2026-000123" in first and "窓口A-012" in first
    # Names with their reading (above them in the layout), 𠮷 and 髙 as written.
    assert "たかはしたかし" in first and "髙橋髙志" in first and "髙橋𠮷乃" in first
    # Dates in 和暦 with the 西暦; choices and yes/no by their labels; the bank by name.
    assert "昭和63年6月15日" in first and "1988年6月15日" in first
    assert "令和8年11月20日" in first
    assert "国民健康保険" in first and "kokuho" not in first and "はい" in first
    assert "みずほ" in first and "東京営業部" in first and "普通" in first
    # An empty group says so; the declaration, then one signature box, no tick.
    assert "なし" in first
    assert "上のとおり児童手当の認定を請求します" in first
    assert first.count("署名") >= 1 and "同意" not in first

    # The second form: its own title (print options), its table of members, no number.
    assert "国民健康保険被保険者資格取得届" in second and "届出日" in second
    assert "2026-000123" not in second and "髙橋𠮷乃" in second and "女性" in second
    assert "上のとおり国民健康保険の加入を届け出ます" in second

    # Then the resident's checklist, from the guide's own checklist template.
    rest = flat("".join(page_text(path, n) for n in range(3, page_count(path) + 1)))
    assert "やることリスト" in rest and "出生届" in rest
    assert "署名" not in rest


def test_each_page_carries_a_qr_code_of_its_application(claim, kokuho):
    path = write(forms_pdf([claim, kokuho]), "qr")
    assert page_qr(path, 1) == [f"{QR_PREFIX}{claim.public_id}"]
    assert page_qr(path, 2) == [f"{QR_PREFIX}{kokuho.public_id}"]


def test_a_long_form_runs_on_with_its_header_and_signs_on_its_last_page(takahashi):
    children = [
        {
            "child_name": {"name": f"髙橋\u3000{n}", "kana": f"たかはし {k}"},
            "child_birth_date": f"20{10 + i}-04-0{1 + i % 9}",
            "child_relationship": "child",
            "lives_together": i % 2 == 0,
        }
        for i, (n, k) in enumerate(
            zip("一郎 二郎 三郎 四郎 五郎 六郎 七郎 八郎 九郎 十郎".split(),
                "いちろう じろう さぶろう しろう ごろう ろくろう しちろう はちろう くろう じゅうろう".split(),
                strict=True)
        )
    ]  # fmt: skip
    older = [
        {"older_child_name": {"name": "髙橋\u3000𠮷男", "kana": "たかはし よしお"},
         "older_child_birth_date": "2005-05-05"}
    ] * 5  # fmt: skip
    app = make(
        takahashi,
        "child-allowance-claim",
        CLAIM_DATA | {"children": children, "older_children": older},
        receipt_number="2026-000124",
    )
    path = write(forms_pdf([app]), "long")

    assert page_count(path) == 2
    first, last = flat(page_text(path, 1)), flat(page_text(path, 2))
    for page, text in ((1, first), (2, last)):
        # The header repeats: title, 受付番号, QR code, and which page of how many.
        assert "児童手当認定請求書" in text and "2026-000124" in text
        assert f"{page}/2" in text
        assert page_qr(path, page) == [f"{QR_PREFIX}{app.public_id}"]
    assert "署名" not in first and "署名" in last
    assert "十郎" in first + last and "𠮷男" in last


def test_a_form_without_a_number_gets_a_blank_box_and_an_undated_form_blanks(kokuho):
    path = write(forms_pdf([kokuho], dated=False), "undated")
    text = page_text(path, 1)
    assert "受付番号" in text
    assert "令和" in flat(text) and "年" in text and _wareki_today() not in flat(text)


def test_every_example_form_prints_on_one_page_with_its_fields(takahashi):
    """The generic layout (and each form's print options) fits every form of the
    example catalogue, filled with a right answer, on one A4 page."""
    catalog = current_catalog()
    with_forms = [p for p in catalog.procedures.values() if p.form]
    apps = [make(takahashi, p.id, sample_data(p.form)) for p in with_forms]
    path = write(forms_pdf(apps), "every")
    assert page_count(path) == len(apps)
    for n, (proc, app) in enumerate(zip(with_forms, apps, strict=True), start=1):
        text = flat(page_text(path, n))
        assert flat(title(app, app.spec)) in text, proc.id
        layout = proc.form.print_layout
        for f in proc.form.fields:
            if f.kind == "file":
                continue  # no file attached at the counter: not printed
            label = layout.labels.get(f.id) if layout else None
            # A long label wraps in its cell; its first characters are on the page.
            assert flat((label or f.label).ja)[:6] in text, (proc.id, f.id)
        if proc.form.declaration:
            assert flat(proc.form.declaration.ja)[:12] in text, proc.id
        assert "署名" in text


def test_print_options_give_the_paper_forms_title_sections_labels_and_notes(kokuho):
    layout = kokuho.spec.print_layout
    path = write(forms_pdf([kokuho]), "options")
    text = flat(page_text(path, 1))
    assert flat(layout.title.ja) in text
    for section in layout.sections:
        assert section.title is None or flat(section.title.ja) in text
    for note in layout.notes:
        assert flat(note.ja)[:15] in text
    assert "注意" in text


def test_the_addressee_is_the_head_of_the_municipality():
    town = current_catalog().municipality
    assert addressee(town) == "みどり市長\u3000様"
    assert addressee(town.model_copy(update={"name": town.name.model_copy(update={"ja": "さくら町"})})) == "さくら町長\u3000様"  # fmt: skip


def test_forms_are_in_japanese_whatever_the_screen_language(claim):
    from django.utils import translation

    with translation.override("en"):
        path = write(forms_pdf([claim]), "english-screen")
    text = flat(page_text(path, 1))
    assert "国民健康保険" in text and "NationalHealthInsurance" not in text
    assert "署名" in text


def test_nothing_to_print_is_refused():
    with pytest.raises(ValueError):
        forms_pdf([])


def _wareki_today() -> str:
    from madoguchi.common.japanese import wareki

    return wareki(timezone.localdate())


def test_dates_print_in_wareki_first():
    from madoguchi.applications.kinds import registry
    from madoguchi.catalog.form_schema import FormField

    f = FormField(id="birth_date", kind="date", label="生年月日")
    printed = registry.get("date").printed(f, "2019-05-01", {})
    assert printed.lines == ("令和元年5月1日",) and printed.note == "2019年5月1日"
    name = FormField(id="name", kind="name", label="氏名")
    printed = registry.get("name").printed(name, {"name": "𠮷田 花子", "kana": "よしだ はなこ"}, {})
    assert printed.lines == ("𠮷田 花子",) and printed.reading == "よしだ はなこ"
