"""The demo's second town, 「さくら町」: its catalogue is the example's with a few
differences, written under var/ by ``./dev manage demo`` (not kept in the
repository: a copy of every procedure would drift from the example's)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from ruamel.yaml import YAML

SLUG = "sakura"
# A made-up town in 群馬県 (10); 10999 is no real town's, with its check digit.
CODE = "109991"
# What さくら町 does differently from みどり市: no 斎場 of its own (its crematorium
# is a union's), and no 新生児訪問 card (the health centre calls every family).
DROPPED_PROCEDURES = ("newborn-visit-card",)
OPTIONS = {"city_crematorium": False}
# Its own colour (white text on it stays readable) and logo.
LOOK = {"key_color": "#8a1c4a", "key_dark_color": "#5e1132", "logo": "logo.svg"}
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<circle cx="16" cy="16" r="15" fill="#fff"/>'
    '<circle cx="16" cy="16" r="6" fill="#e8799f"/></svg>\n'
)


def write_catalogue(source: Path, target: Path) -> Path:
    """(Re)write さくら町's catalogue from ``source`` into ``target``."""
    tmp = target.with_name(target.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp)
    for procedure in DROPPED_PROCEDURES:
        (tmp / "procedures" / f"{procedure}.yaml").unlink(missing_ok=True)
    yaml = YAML()
    path = tmp / "municipality.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["name"] = {"ja": "さくら町", "en": "Sakura Town"}
    data["code"] = CODE
    data["slug"] = SLUG
    data["postal_code"] = "379-9999"
    data["address"] = {"ja": "群馬県さくら町役場前1番地", "en": "1 Yakubamae, Sakura, Gunma"}
    data["options"].update(OPTIONS)
    data["look"] = LOOK
    (tmp / "logo.svg").write_text(LOGO, encoding="utf-8")
    with path.open("w", encoding="utf-8") as out:
        out.write("# デモの町(./dev manage demo が municipalities/example から作ります)。\n")
        yaml.dump(data, out)
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    return target


def ensure_sakura():
    """The Town row of さくら町, its catalogue written under var/demo-towns/."""
    from madoguchi.towns.models import Town

    folder = write_catalogue(
        Path(settings.CATALOG_DIR), Path(settings.VAR_DIR) / "demo-towns" / SLUG
    )
    town, _ = Town.objects.update_or_create(
        slug=SLUG, defaults={"code": CODE, "catalog_dir": str(folder.resolve()), "active": True}
    )
    return town
