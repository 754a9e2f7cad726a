#!/usr/bin/env bash
# The whole suite: lint, migrations check, tests on SQLite, then on PostgreSQL 15
# (a throw-away cluster in a temporary directory, started and stopped here).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

say "lint (ruff)"
uv run --frozen ruff check src tests bench scripts
uv run --frozen ruff format --check src tests bench scripts

say "migrations are up to date"
uv run --frozen python manage.py makemigrations --check --dry-run -v 0

say "catalogue check"
uv run --frozen python manage.py catalog check

# Both cores (pytest-xdist; work stealing balances the slow browser tests), unless
# the caller passes its own -n (e.g. `./dev test -n 0 tests/catalog` to debug).
WORKERS=(-n "${MADOGUCHI_TEST_WORKERS:-auto}" --dist worksteal)

say "tests on SQLite"
DATABASE_URL= uv run --frozen pytest "${WORKERS[@]}" "$@"

say "tests on PostgreSQL"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
PGTMP=$(mktemp -d /tmp/madoguchi-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root; the cluster belongs to the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PGTMP"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT
"${as_pg[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U madoguchi --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
  -o "-k $PGTMP -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
DATABASE_URL="postgres://madoguchi@${PGTMP//\//%2F}/postgres" uv run --frozen pytest "${WORKERS[@]}" "$@"
