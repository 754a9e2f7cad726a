"""A resident's household profile and the identity a provider has verified.

Other apps do not read these tables: they call ``profile.profile_for(user)`` and
``identity.verified_identity_for(user)``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.towns.scoping import TownOwned

SEX_CHOICES = [("female", _("女性")), ("male", _("男性"))]


class Profile(models.Model):
    """What the resident tells us about themselves and their household, to fill
    forms in. Not proof of anything (that is ``VerifiedIdentity``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident_profile"
    )
    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50)
    family_name_kana = models.CharField(_("せい(ふりがな)"), max_length=100)
    given_name_kana = models.CharField(_("めい(ふりがな)"), max_length=100)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=8, choices=SEX_CHOICES, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    # [{"role": "spouse", "name": "高橋　美穂", "name_kana": "たかはし みほ",
    #   "birth_date": "1993-01-08", "sex": "female"}, …] — the guide's situation
    # members (catalog/situation.py) with their names, without the resident. The
    # names fill the forms (applications/prefill.py); the guide never sees them.
    members = models.JSONField(_("世帯員"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("世帯のプロフィール")
        verbose_name_plural = _("世帯のプロフィール")

    def __str__(self) -> str:
        return f"Profile #{self.pk}"  # never the name: this string ends up in logs

    @property
    def name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()


class VerifiedIdentity(models.Model):
    """The four facts (氏名・住所・生年月日・性別) an identity provider confirmed, and
    when. The 個人番号 (My Number) is never read or kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_identities"
    )
    provider = models.CharField(_("確認の方法"), max_length=32)
    # A keyed hash of the provider's subject: tells whether the same person verified
    # again, without keeping the provider's identifier for them.
    subject_hash = models.CharField(max_length=64)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("ふりがな"), max_length=200, blank=True)
    address = models.CharField(_("住所"), max_length=200)
    birth_date = models.DateField(_("生年月日"))
    sex = models.CharField(_("性別"), max_length=8, choices=SEX_CHOICES, blank=True)
    verified_at = models.DateTimeField(_("確認した日時"), auto_now_add=True)

    class Meta:
        ordering = ["-verified_at", "-id"]
        get_latest_by = "verified_at"
        verbose_name = _("本人確認の結果")
        verbose_name_plural = _("本人確認の結果")

    def __str__(self) -> str:
        return f"VerifiedIdentity #{self.pk} ({self.provider})"


class SavedChecklist(TownOwned):
    """A guide's checklist kept on MyPage: the situation it was made from (the
    life event, its date, the household's relationships, birth dates and answers;
    never a name). The list itself is worked out again when shown, so its deadlines
    follow the catalogue of the day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_checklists"
    )
    event = models.CharField(max_length=20)
    situation = models.JSONField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-saved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} {self.saved_at:%Y-%m-%d}"
