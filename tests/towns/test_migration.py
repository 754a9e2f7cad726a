"""An existing single-town database becomes the first town's with one command
(``manage.py migrate``), losing nothing: the demo is built by the code of the
commit before towns, then migrated by today's; every table keeps its rows, every
受付番号 stays, every row names the town of MADOGUCHI_CATALOG_DIR, and the audit
log's chain still verifies."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BEFORE_TOWNS = "166ba9cfdbe27ecafbe7f0af221ea0348cb1cd91"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None
    or subprocess.run(
        ["git", "cat-file", "-e", BEFORE_TOWNS], cwd=ROOT, capture_output=True
    ).returncode,
    reason="needs the repository's history",
)


def manage(code: Path, var: Path, *args: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": str(code / "src"),
        "DJANGO_SETTINGS_MODULE": "madoguchi.settings",
        "MADOGUCHI_VAR_DIR": str(var),
        "MADOGUCHI_CATALOG_DIR": str(code / "municipalities" / "example"),
        "DATABASE_URL": f"sqlite:///{var / 'old.sqlite3'}",
        "MADOGUCHI_TASKS": "immediate",
        "MADOGUCHI_EMAIL_URL": "console:",
    }
    done = subprocess.run(
        [sys.executable, str(code / "manage.py"), *args],
        cwd=code, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def rows(db: Path, sql: str) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_the_demo_database_of_before_becomes_the_first_town_s(tmp_path):
    old = tmp_path / "before"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", BEFORE_TOWNS, "src", "manage.py", "municipalities"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    (old / "node_modules").symlink_to(ROOT / "node_modules")  # bank codes, design tokens
    var = tmp_path / "var"
    var.mkdir()
    manage(old, var, "migrate", "-v0")
    manage(old, var, "createcachetable")
    manage(old, var, "demo", "--password", "demo-migration-2026")
    db = var / "old.sqlite3"
    before = counts(db)
    receipts = rows(
        db,
        "SELECT public_id, receipt_number, municipality_code FROM applications_application ORDER BY id",
    )
    assert before["applications_application"] >= 4 and before["common_auditevent"] > 0

    manage(ROOT, var, "migrate", "-v0")  # the one command

    after = counts(db)
    # Django's own bookkeeping gains the towns app's rows; everything else is unchanged.
    bookkeeping = {"django_migrations", "sqlite_sequence", "django_content_type", "auth_permission"}
    changed = {
        t: (n, after.get(t))
        for t, n in before.items()
        if t != "applications_statuscount"  # recounted per town: checked below
        and (after.get(t) != n if t not in bookkeeping else after.get(t) < n)
    }
    lost = changed
    assert not lost, lost
    assert after["towns_town"] == 1
    ((town_id, code, slug),) = rows(db, "SELECT id, code, slug FROM towns_town")
    assert (code, slug) == ("102121", "midori")
    assert (
        rows(
            db,
            "SELECT public_id, receipt_number, municipality_code FROM applications_application ORDER BY id",
        )
        == receipts
    )
    for table in (
        "applications_application",
        "applications_receiptcounter",
        "backoffice_membership",
        "residents_savedchecklist",
    ):
        assert rows(db, f"SELECT DISTINCT town_id FROM {table}") in ([(town_id,)], []), table  # noqa: S608
    # The counts are the same figures, now per town.
    assert rows(db, "SELECT SUM(n) FROM applications_statuscount") == rows(
        db, "SELECT COUNT(*) FROM applications_application WHERE status <> 'draft'"
    )
    assert "書き換えや削除はありません" in manage(ROOT, var, "audit", "verify")
    # And the town serves: the first town's data through the scoped managers.
    out = manage(ROOT, var, "shell", "--no-imports", "-c", (
        "from madoguchi.towns.models import Town; from madoguchi.towns.context import activate; "
        "from madoguchi.applications.models import Application; from madoguchi.common.models import AuditEvent; "
        "t = Town.objects.get(); a = activate(t); a.__enter__(); "
        "print(Application.objects.count(), AuditEvent.objects.count())"
    ))  # fmt: skip
    assert out.split() == [str(after["applications_application"]), str(after["common_auditevent"])]
