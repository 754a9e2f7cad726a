"""A town (市区町村) of the installation: its code, its address on the site and its
catalogue. Its name and look are the catalogue's (municipality.yaml)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

SLUG = RegexValidator(r"^[a-z0-9-]+$", "英小文字・数字・ハイフンで書いてください")
CODE = RegexValidator(r"^[0-9]{6}$", "全国地方公共団体コード(6桁の数字)で書いてください")


class Town(models.Model):
    # 全国地方公共団体コード (6 digits): the applications' municipality_code and the
    # 受付番号 series are this town's.
    code = models.CharField("団体コード", max_length=6, unique=True, validators=[CODE])
    # Its address on the site: /t/<slug>/ (and the town list's link).
    slug = models.SlugField("URL名", max_length=40, unique=True, validators=[SLUG])
    catalog_dir = models.CharField("カタログのフォルダ", max_length=500)
    # Host names that serve this town alone (may be empty: served by path).
    hosts = models.JSONField("ホスト名", default=list, blank=True)
    active = models.BooleanField("公開中", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "市区町村"
        verbose_name_plural = "市区町村"

    def __str__(self) -> str:
        return f"{self.slug} ({self.code})"

    @property
    def catalog(self):
        """This town's catalogue (loaded once per process, see catalog/registry.py)."""
        from madoguchi.catalog.registry import catalog_of

        return catalog_of(self)
