"""``address``: 郵便番号 and 住所, stored as ``{"postal_code": "1000001", "address"}``.
A verified identity vouches for the 住所 only; its 〒 is looked up from that
address (or asked), so it stays an input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.applications.kinds.base import ERRORS, Input, Kind, Printed, Tidied
from madoguchi.applications.kinds.registry import register
from madoguchi.common.text_input import format_postal_code, tidy_free_text, tidy_postal_code


@register("address")
class Address(Kind):
    label = {"ja": "郵便番号と住所", "en": "postal code and address"}
    print_wide = True
    template = "applications/kinds/_address.html"

    def inputs(self, field, name):
        return [
            Input(f"{name}__postal", "postal_code"),
            Input(f"{name}__address", "address", verified=True),
        ]

    def form_fields(self, field, name, common):
        required = common["required"]
        return {
            f"{name}__postal": Tidied(
                tidy_postal_code,
                max_length=10,
                required=required,
                label=_("郵便番号"),
                help_text=_("7けたの数字。例: 100-0001"),
                error_messages=ERRORS,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "postal-code", "class": "n8"}
                ),
            ),
            f"{name}__address": Tidied(
                tidy_free_text,
                max_length=200,
                required=required,
                label=_("住所"),
                help_text=_("番地・建物名・部屋番号まで"),
                error_messages=ERRORS,
            ),
        }

    def to_value(self, field, clean, name):
        postal, address = clean.get(f"{name}__postal"), clean.get(f"{name}__address")
        if not (postal or address):
            return None
        return {"postal_code": postal or "", "address": address or ""}

    def to_initial(self, field, value, name):
        return {
            f"{name}__postal": format_postal_code(value.get("postal_code", ""), mark=False),
            f"{name}__address": value.get("address", ""),
        }

    def display(self, field, value, attachments):
        postal = value.get("postal_code", "")
        return ([format_postal_code(postal)] if postal else []) + [value.get("address", "")]

    def printed(self, field, value, attachments):
        # One line, as written on paper: 〒 and the address (wrapped only when long).
        postal = value.get("postal_code", "")
        mark = f"{format_postal_code(postal)}\u3000" if postal else ""
        return Printed(lines=(f"{mark}{value.get('address', '')}",))

    def csv_columns(self, field, label, repeats):
        return [(("postal_code",), f"{label}(郵便番号)"), (("address",), f"{label}(住所)")]

    def csv_cells(self, field, value, files):
        postal = format_postal_code(value.get("postal_code", ""), mark=False)
        return {("postal_code",): postal, ("address",): value.get("address", "")}

    def sample(self, field, name):
        return {f"{name}__postal": "3792313", f"{name}__address": "群馬県みどり市笠懸町鹿2952"}

    def check(self, field, group):
        return []
