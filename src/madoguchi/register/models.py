"""The town's resident register (住民記録) as madoguchi holds it, and its imports.

The town's core system (住民記録システム) is the source: madoguchi holds a copy,
refreshed by importing its file (``importing.py``). A ``Person`` is keyed by the
town's 宛名番号; a person is never deleted: a 転出 or 死亡 row marks them (and ends
their notices), so that what was sent to whom stays explained. The 個人番号 is never
read nor kept: there is no field for it, and a file holding one is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.register.values import Insurance, Sex, Status
from madoguchi.towns.scoping import TownOwned


class Import(TownOwned):
    """One run of an import that was stored (a refused file or a dry run leaves no
    row: the database is unchanged). The counts are those of the diff."""

    importer = models.CharField(_("取り込みの方法"), max_length=40)
    file_name = models.CharField(_("ファイル名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    encoding = models.CharField(_("文字コード"), max_length=20)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    new = models.PositiveIntegerField(_("新しく記録した人"), default=0)
    returned = models.PositiveIntegerField(_("住民に戻った人"), default=0)
    moved_out = models.PositiveIntegerField(_("転出"), default=0)
    died = models.PositiveIntegerField(_("死亡"), default=0)
    household_changed = models.PositiveIntegerField(_("世帯・続柄の変更"), default=0)
    changed = models.PositiveIntegerField(_("その他の変更"), default=0)
    unchanged = models.PositiveIntegerField(_("変更なし"), default=0)
    not_in_file = models.PositiveIntegerField(_("ファイルになかった人"), default=0)
    warnings = models.PositiveIntegerField(_("注意"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("実行した職員"),
    )
    # The command line's user (``./dev register import`` runs with no web sign-in).
    run_by = models.CharField(_("実行したユーザー(OS)"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("開始"))
    finished_at = models.DateTimeField(_("終了"))

    class Meta:
        verbose_name = _("住民記録の取り込み")
        verbose_name_plural = _("住民記録の取り込み")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class Person(TownOwned):
    """One person of the register, by the town's 宛名番号 (unique in the town)."""

    number = models.CharField(_("宛名番号"), max_length=32)
    household = models.CharField(_("世帯番号"), max_length=32)
    relationship = models.CharField(_("続柄"), max_length=20)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名かな"), max_length=200, blank=True)
    birth_date = models.DateField(_("生年月日"))
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices)
    postal_code = models.CharField(_("郵便番号"), max_length=7, blank=True)
    address = models.CharField(_("住所"), max_length=300)
    insurance = models.CharField(_("保険"), max_length=10, choices=Insurance.choices)
    shaho_dependant = models.BooleanField(_("社保被扶養者"), default=False)
    care_certified = models.BooleanField(_("要介護認定"), default=False)
    resident_since = models.DateField(_("住民となった日"))
    status = models.CharField(_("異動"), max_length=10, choices=Status.choices)
    status_date = models.DateField(_("異動日"), null=True, blank=True)
    first_import = models.ForeignKey(
        Import, on_delete=models.PROTECT, related_name="+", verbose_name=_("最初の取り込み")
    )
    last_import = models.ForeignKey(
        Import, on_delete=models.PROTECT, related_name="+", verbose_name=_("最後の取り込み")
    )
    # The import that last changed a fact of this person (the push run's "since").
    changed_import = models.ForeignKey(
        Import, on_delete=models.PROTECT, related_name="+", verbose_name=_("最後に変わった取り込み")
    )

    class Meta:
        verbose_name = _("住民")
        verbose_name_plural = _("住民")
        constraints = [
            models.UniqueConstraint(fields=["town", "number"], name="one_person_per_number")
        ]
        indexes = [models.Index(fields=["town", "household"], name="register_household")]

    def __str__(self) -> str:
        return self.number  # never the name: it shows in logs and the admin's history
