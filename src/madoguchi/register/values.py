"""The coded values of the register (続柄, 性別, 保険, 異動): one place for the words
a file may hold and what madoguchi keeps for them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# 続柄 as the 住民票 writes them (住民基本台帳事務処理要領: 子 for every child,
# 「妻の父」「子の妻」 for in-laws, 縁故者 and 同居人 for those not related).
RELATIONSHIPS = (
    "世帯主",
    "妻",
    "夫",
    "未届の妻",
    "未届の夫",
    "子",
    "子の妻",
    "子の夫",
    "父",
    "母",
    "養父",
    "養母",
    "妻の父",
    "妻の母",
    "夫の父",
    "夫の母",
    "祖父",
    "祖母",
    "妻の祖父",
    "妻の祖母",
    "夫の祖父",
    "夫の祖母",
    "孫",
    "孫の妻",
    "孫の夫",
    "曾孫",
    "兄",
    "姉",
    "弟",
    "妹",
    "兄の妻",
    "弟の妻",
    "姉の夫",
    "妹の夫",
    "伯父",
    "伯母",
    "叔父",
    "叔母",
    "甥",
    "姪",
    "縁故者",
    "同居人",
    "その他",
)


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Insurance(models.TextChoices):
    KOKUHO = "kokuho", _("国保")
    SHAHO = "shaho", _("社保")
    KOUKI = "kouki", _("後期")
    NONE = "none", _("なし")


class Status(models.TextChoices):
    RESIDENT = "resident", _("住民")
    MOVED_OUT = "moved_out", _("転出")
    DIED = "died", _("死亡")


# The words a file may use for each; the contract's words first (they are the ones
# messages name), then those a core system's export often writes instead.
SEX_WORDS = {"男": Sex.MALE, "女": Sex.FEMALE, "男性": Sex.MALE, "女性": Sex.FEMALE}
INSURANCE_WORDS = {
    "国保": Insurance.KOKUHO,
    "社保": Insurance.SHAHO,
    "後期": Insurance.KOUKI,
    "なし": Insurance.NONE,
    "国民健康保険": Insurance.KOKUHO,
    "社会保険": Insurance.SHAHO,
    "後期高齢者医療": Insurance.KOUKI,
    "無し": Insurance.NONE,
}
STATUS_WORDS = {"住民": Status.RESIDENT, "転出": Status.MOVED_OUT, "死亡": Status.DIED}
FLAG_WORDS = {"0": False, "1": True}
