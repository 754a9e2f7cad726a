"""Applications made straight in the database for the export's tests (not a
conftest: another part of the back office owns tests/backoffice/conftest.py)."""

from __future__ import annotations

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

from madoguchi.applications.models import Application, Status
from madoguchi.catalog.registry import current_catalog

CLAIM = "child-allowance-claim"  # 子育て支援課 (kosodate)
JST = ZoneInfo("Asia/Tokyo")


def claim_data(**changes) -> dict:
    data = {
        "claimant_name": {"name": "高橋\u3000太郎", "kana": "たかはし\u3000たろう"},
        "claimant_birth_date": "1988-06-15",
        "claimant_address": {"postal_code": "0100001", "address": "秋田県秋田市中通1-1"},
        "phone": "09012345678",
        "email": "",
        "claimant_insurance": "kokuho",
        "spouse_name": None,
        "children": [
            {
                "child_name": {"name": "高橋\u3000陽翔", "kana": "たかはし\u3000はると"},
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
            "number": "0012345",
            "holder": "ﾀｶﾊｼ ﾀﾛｳ",
        },  # fmt: skip
        "insurance_document": [],
    }
    data.update(changes)
    return data


def form_spec(procedure_id: str = CLAIM) -> dict:
    return current_catalog().procedures[procedure_id].form.model_dump(mode="json", by_alias=True)


def make(owner, n: int = 1, *, data=None, procedure_id=CLAIM, spec=None, version=None,
         status=Status.SUBMITTED, first: int = 1, department=None) -> list[Application]:  # fmt: skip
    proc = current_catalog().procedures[procedure_id]
    spec = spec or form_spec(procedure_id)
    apps = [
        Application(
            owner=owner,
            municipality_code="999999",
            procedure_id=proc.id,
            procedure_name=proc.name.ja,
            department_id=department or proc.department,
            form_version=version or spec["version"],
            form_spec=spec,
            status=status,
            data=copy.deepcopy(data if data is not None else claim_data()),
            receipt_year=2026,
            receipt_number=f"2026-{first + i:06d}",
            submitted_at=datetime(2026, 11, 20, 9, 30, tzinfo=JST),
        )
        for i in range(n)
    ]
    return Application.objects.bulk_create(apps, batch_size=1000)
