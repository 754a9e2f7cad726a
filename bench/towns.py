"""Many towns for the benchmarks (``--towns N`` of ``bench_guide`` and
``bench_backoffice``, and ``bench_towns``).

Each extra town gets its own copy of the example catalogue (its own code, name
and slug), so that a worker holds N catalogues, not one shared object. The
example town keeps serving the benchmark's requests: it is given the host name
the load generator sends (``127.0.0.1``), so its URLs are the same with one town
as with twenty and only the number of loaded towns differs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "municipalities" / "example"
WEIGHTS = (6, 5, 4, 3, 2)  # 全国地方公共団体コード's check digit (JIS X 0402)


def with_check_digit(five: str) -> str | None:
    """The six-digit code, or None where the check digit's rule has a special case."""
    remainder = sum(int(d) * w for d, w in zip(five, WEIGHTS, strict=True)) % 11
    if remainder < 2:  # 0 and 1 are special cases of the rule: not needed here
        return None
    return five + str(11 - remainder)


def codes(count: int) -> list[str]:
    """``count`` made-up codes in 群馬県 (10), 10800 upwards: no real town's."""
    found, number = [], 800
    while len(found) < count:
        code = with_check_digit(f"10{number:03d}")
        if code is not None:
            found.append(code)
        number += 1
    return found


def write_catalogues(folder: Path, count: int) -> list[tuple[str, Path]]:
    """``count`` copies of the example catalogue as (slug, folder)."""
    yaml = YAML()
    made = []
    for i, code in enumerate(codes(count), start=1):
        slug = f"bench-{i:02d}"
        target = folder / slug
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(EXAMPLE, target)
        path = target / "municipality.yaml"
        data = yaml.load(path.read_text(encoding="utf-8"))
        data["name"] = {"ja": f"ベンチ{i}町", "en": f"Bench Town {i}"}
        data["code"] = code
        data["slug"] = slug
        with path.open("w", encoding="utf-8") as out:
            yaml.dump(data, out)
        made.append((slug, target))
    return made


def register(extra: int, folder: Path, env: dict) -> None:
    """Register ``extra`` towns beside the example one (already migrated), and give
    the example town the load generator's host name."""
    manage = [sys.executable, "manage.py"]
    run = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    for slug, target in write_catalogues(folder, extra):
        subprocess.run([*manage, "towns", "add", slug, "--catalog", str(target)], **run)
    code = (
        "from madoguchi.towns.models import Town; from django.conf import settings; "
        "from pathlib import Path; "
        "t = Town.objects.get(catalog_dir=str(Path(settings.CATALOG_DIR).resolve())); "
        "t.hosts = ['127.0.0.1']; t.save()"
    )
    subprocess.run([*manage, "shell", "-v", "0", "-c", code], **run)
