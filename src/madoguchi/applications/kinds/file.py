"""``file``: attached files, stored as a list of attachment ids (the files are
kept apart, applications/files.py). Drawn and checked by the entry form itself."""

from madoguchi.applications.kinds.base import Input, Kind
from madoguchi.applications.kinds.registry import register


@register("file")
class File(Kind):
    label = {"ja": "添付ファイル", "en": "attached files"}
    template = "applications/kinds/_file.html"
    structural = True

    def inputs(self, field, name):
        return [Input(name)]

    def form_fields(self, field, name, common):
        return {}  # uploads are read from request.FILES (drafting.save)

    def to_value(self, field, clean, name):
        return None

    def to_initial(self, field, value, name):
        return {}

    def display(self, field, value, attachments):
        by_id = {str(a.public_id): a for a in (attachments or {}).get(field.id, [])}
        return [by_id[i].original_name for i in value if i in by_id] or ["—"]

    def csv_columns(self, field, label, repeats):
        return [((), label)]

    def csv_cells(self, field, value, files):
        # An id whose file is gone (removed by its owner) is still a fact to export.
        return {(): "\n".join(files.get(str(i), str(i)) for i in value)}

    def sample(self, field, name):
        return {}  # a sample cannot post a file

    def check(self, field, group):
        out = []
        if group is not None:
            out.append(
                (
                    f"添付ファイルの項目「{field.id}」が group「{group.id}」の中にあります。"
                    "ファイルはフォームのいちばん上の階層に書いてください",
                    "kind",
                )
            )
        if not field.accept:
            out.append(("accept が空です。pdf・jpeg・png から1つ以上書いてください", "accept"))
        return out
