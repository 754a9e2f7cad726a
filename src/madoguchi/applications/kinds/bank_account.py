"""``bank_account``: a bank account for a payment (児童手当, 還付…), stored as
``{"bank_code": "0001", "branch_code": "001", "type": "ordinary", "number":
"1234567", "holder": "ﾀｶﾊｼ ﾀﾛｳ"}``.

The codes must exist in the 全銀 data (common/zengin.py) and the page shows the
bank's and branch's names; 口座番号 is 7 digits (a shorter one is zero-padded on
the left, as banks write it); 口座名義 is kept in 半角カナ as banks require it:
ひらがな and 全角カナ are turned into it, latin letters are refused. ``tidy`` is the
one check of a value, used by the form and by anything else that takes one.
"""

from __future__ import annotations

import re

import jaconv
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.applications.kinds.base import ERRORS, Input, Kind, Printed
from madoguchi.applications.kinds.registry import register
from madoguchi.common import zengin
from madoguchi.common.japanese import normalize

TYPES = {"ordinary": gettext_lazy("普通"), "current": gettext_lazy("当座"),
         "savings": gettext_lazy("貯蓄")}  # fmt: skip
TYPES_JA = {"ordinary": "普通", "current": "当座", "savings": "貯蓄"}
PARTS = ("bank_code", "branch_code", "type", "number", "holder")
# The 全銀 character set for a holder's name (no small kana, no latin letters here).
_HOLDER = re.compile(r"^[ｱ-ﾝﾞﾟ()./\- ]+$")
_SMALL = str.maketrans("ｧｨｩｪｫｯｬｭｮ", "ｱｲｳｴｵﾂﾔﾕﾖ")


def tidy_holder(text: str) -> str:
    """「やまだ はなこ」「ヤマダ　ハナコ」 → 「ﾔﾏﾀﾞ ﾊﾅｺ」; small kana become large
    (ｯ → ﾂ) and ー becomes -, as banks write them."""
    text = re.sub(r"[\s\u3000]+", " ", text.strip())
    text = jaconv.hira2kata(text).replace("ー", "-").replace("－", "-").replace("ｰ", "-")
    text = jaconv.z2h(text, kana=True, ascii=True, digit=True).translate(_SMALL)
    if re.search(r"[A-Za-z]", text):
        raise ValueError(_("口座名義は、カタカナかひらがなで入れてください(ローマ字は使えません)"))
    if not _HOLDER.match(text):
        raise ValueError(
            _("口座名義に使えない文字があります。カタカナ・ひらがなと「( ) . - /」で入れてください")
        )
    return text


def tidy(value: dict) -> dict:
    """A whole account, checked and tidied; ``ValueError`` lists what is wrong."""
    problems = []
    bank_code = normalize(value.get("bank_code") or "").strip()
    branch_code = normalize(value.get("branch_code") or "").strip()
    number = normalize(value.get("number") or "").replace("-", "").strip()
    kind = value.get("type") or ""
    found_bank = zengin.bank(bank_code) if re.fullmatch(r"[0-9]{4}", bank_code) else None
    if not re.fullmatch(r"[0-9]{4}", bank_code):
        problems.append(_("金融機関コードは4けたの数字で入れてください"))
    elif found_bank is None:
        problems.append(
            _("この金融機関コードは見つかりません。通帳やキャッシュカードで確かめてください")
        )
    if not re.fullmatch(r"[0-9]{3}", branch_code):
        problems.append(_("支店コード(店番号)は3けたの数字で入れてください"))
    elif found_bank is not None and zengin.branch(bank_code, branch_code) is None:
        problems.append(
            _("%(bank)sに支店コード %(code)s の支店はありません。通帳で確かめてください")
            % {"bank": found_bank.name, "code": branch_code}
        )
    if kind not in TYPES:
        problems.append(_("預金の種類を選んでください"))
    if not re.fullmatch(r"[0-9]{1,7}", number):
        problems.append(_("口座番号は7けたまでの数字で入れてください"))
    try:
        holder = tidy_holder(value.get("holder") or "")
    except ValueError as exc:
        problems.append(str(exc))
        holder = ""
    if problems:
        raise ValueError("\n".join(problems))
    return {"bank_code": bank_code, "branch_code": branch_code, "type": kind,
            "number": number.zfill(7), "holder": holder}  # fmt: skip


def names(value: dict) -> tuple[str, str]:
    """The bank's and branch's names ('' when unknown)."""
    found = zengin.bank(value.get("bank_code", ""))
    place = zengin.branch(value.get("bank_code", ""), value.get("branch_code", ""))
    return (found.name if found else "", place.name if place else "")


class BankAccountWidget(forms.MultiWidget):
    template_name = "applications/kinds/widgets/bank_account.html"

    def __init__(self, attrs=None):
        def digits(size: int) -> forms.TextInput:
            return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                          "maxlength": size, "class": f"n{size + 1}"})  # fmt: skip

        widgets = {
            "bank": digits(4),
            "branch": digits(3),
            "type": forms.RadioSelect(choices=list(TYPES.items())),
            "number": digits(7),
            "holder": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if not value:
            return [None] * 5
        return [value.get(p) for p in PARTS]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = value if isinstance(value, list) else self.decompress(value)
        bank_name, branch_name = names({"bank_code": parts[0] or "", "branch_code": parts[1] or ""})
        context["widget"] |= {"bank_name": bank_name, "branch_name": branch_name}
        return context


class BankAccountField(forms.MultiValueField):
    widget = BankAccountWidget

    def __init__(self, **kwargs):
        fields = (forms.CharField(), forms.CharField(), forms.CharField(), forms.CharField(),
                  forms.CharField())  # fmt: skip
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        try:
            return tidy(dict(zip(PARTS, data_list, strict=False)))
        except ValueError as exc:
            raise ValidationError(
                [ValidationError(m, code="invalid") for m in str(exc).split("\n")]
            ) from None


@register("bank_account")
class BankAccount(Kind):
    label = {"ja": "振込先の口座", "en": "bank account"}
    print_wide = True

    def inputs(self, field, name):
        return [Input(name)]

    def form_fields(self, field, name, common):
        return {name: BankAccountField(error_messages=ERRORS, **common)}

    def error_anchor(self, input_name, auto_id):
        return f"{auto_id}_0"  # the widget draws id_<name>_0 (金融機関コード) … _4

    def to_value(self, field, clean, name):
        return clean.get(name) or None

    def to_initial(self, field, value, name):
        return {name: value}

    def display(self, field, value, attachments):
        bank_name, branch_name = names(value)
        return [
            f"{bank_name}({value['bank_code']}) {branch_name}({value['branch_code']})",
            f"{TYPES[value['type']]} {value['number']}",
            value["holder"],
        ]

    def printed(self, field, value, attachments):
        # The cells of a paper form's 振込先 box, names first (codes after them);
        # printed forms are in Japanese only (the town's record).
        bank_name, branch_name = names(value)
        return Printed(
            parts=(
                ("金融機関", f"{bank_name}({value['bank_code']})"),
                ("支店", f"{branch_name}({value['branch_code']})"),
                ("預金種目", TYPES_JA[value["type"]]),
                ("口座番号", value["number"]),
                ("口座名義(カナ)", value["holder"]),
            )
        )

    def csv_columns(self, field, label, repeats):
        return [
            (("bank_code",), f"{label}(金融機関コード)"),
            (("bank_name",), f"{label}(金融機関名)"),
            (("branch_code",), f"{label}(支店コード)"),
            (("branch_name",), f"{label}(支店名)"),
            (("type",), f"{label}(預金種目)"),
            (("number",), f"{label}(口座番号)"),
            (("holder",), f"{label}(口座名義)"),
        ]

    def csv_cells(self, field, value, files):
        bank_name, branch_name = names(value)
        return {
            ("bank_code",): value["bank_code"],
            ("bank_name",): bank_name,
            ("branch_code",): value["branch_code"],
            ("branch_name",): branch_name,
            ("type",): TYPES_JA[value["type"]],
            ("number",): value["number"],
            ("holder",): value["holder"],
        }

    def sample(self, field, name):
        return {f"{name}_bank": "0001", f"{name}_branch": "001", f"{name}_type": "ordinary",
                f"{name}_number": "1234567", f"{name}_holder": "ﾐﾄﾞﾘ ﾀﾛｳ"}  # fmt: skip

    def check(self, field, group):
        return []
