"""Phone numbers stored as people read them (090-1234-5678), as the ``phone`` kind's
cleaning now writes them, so that showing and exporting them never parse them again.
Each application's values and its sent versions are rewritten alike (the same
number, written the way every page and the CSV already showed it), so that comparing
two versions still finds only what the resident changed."""

from django.db import migrations


def _phone_paths(spec) -> list[tuple[str, str | None]]:
    """(field id, sub-field id inside a group or None) of each phone field."""
    paths = []
    for f in spec.fields:
        if f.kind == "phone":
            paths.append((f.id, None))
        elif f.kind == "group":
            paths += [(f.id, sub.id) for sub in f.fields if sub.kind == "phone"]
    return paths


def _rewrite(data, paths, write) -> bool:
    changed = False

    def one(holder, key):
        nonlocal changed
        value = holder.get(key)
        if isinstance(value, str) and value.isdigit():
            new = write(value)
            if new != value:
                holder[key] = new
                changed = True

    for field_id, sub in paths:
        if not isinstance(data, dict):
            break
        if sub is None:
            one(data, field_id)
        else:
            for item in data.get(field_id) or []:
                if isinstance(item, dict):
                    one(item, sub)
    return changed


def canonicalise(apps, schema_editor):
    from madoguchi.applications.specs import parsed
    from madoguchi.common.text_input import canonical_phone

    def write(digits: str) -> str:
        try:
            return canonical_phone(digits)
        except ValueError:  # not a number entry would take: read as before
            return digits

    Application = apps.get_model("applications", "Application")
    ApplicationVersion = apps.get_model("applications", "ApplicationVersion")
    forms = Application.objects.order_by().values_list("procedure_id", "form_version").distinct()
    for procedure_id, version in list(forms):
        of_form = Application.objects.filter(procedure_id=procedure_id, form_version=version)
        raw = of_form.values_list("form_spec", flat=True).first()
        paths = _phone_paths(parsed(procedure_id, version, raw))
        if not paths:
            continue
        for model, rows in (
            (Application, of_form.only("pk", "data")),
            (
                ApplicationVersion,
                ApplicationVersion.objects.filter(application__in=of_form).only("pk", "data"),
            ),  # fmt: skip
        ):
            batch = []
            for row in rows.iterator(chunk_size=1000):
                if _rewrite(row.data, paths, write):
                    batch.append(row)
                if len(batch) >= 1000:
                    model.objects.bulk_update(batch, ["data"])
                    batch = []
            model.objects.bulk_update(batch, ["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0011_subject_people"),
    ]

    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
