#!/usr/bin/env bash
# The whole test suite: install, lint, type-check, then pytest on SQLite and, when it answers, PostgreSQL.
#
#   TEST_POSTGRES_URL       PostgreSQL server to use (default postgresql://postgres@127.0.0.1:5432/suivi_test)
#   SUIVI_REQUIRE_POSTGRES  1: fail instead of skipping when PostgreSQL does not answer (CI sets it)
#   SUIVI_REQUIRE_BROWSER   1: fail instead of skipping browser tests when Chromium is missing
set -euo pipefail
cd "$(dirname "$0")/.."

make --no-print-directory install-dev
PY=.venv/bin/python
if command -v npm >/dev/null 2>&1 && [ -f package.json ]; then
  npm install --silent --no-audit --no-fund >/dev/null \
    || echo "npm install failed (offline?): using node_modules as it is" >&2
fi

echo "== ruff"
$PY -m ruff check .
$PY -m ruff format --check .

echo "== mypy"
$PY -m mypy

PG_URL="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/suivi_test}"
pg_up() {
  $PY - "$PG_URL" <<'PYEOF'
import sys
import psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"   ({exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
    sys.exit(1)
PYEOF
}

skipped=()
if [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "${SUIVI_REQUIRE_BROWSER:-0}" = 1 ]; then
    echo "Chromium is required (SUIVI_REQUIRE_BROWSER=1) but not installed." >&2
    exit 1
  fi
  skipped+=("browser tests: Chromium is not installed (apt-get install chromium)")
elif [ ! -f node_modules/axe-core/axe.min.js ]; then
  if [ "${SUIVI_REQUIRE_BROWSER:-0}" = 1 ]; then
    echo "axe-core is required (SUIVI_REQUIRE_BROWSER=1) but node_modules/axe-core is missing (npm install)." >&2
    exit 1
  fi
  skipped+=("accessibility checks: node_modules/axe-core is missing (install npm, then npm install)")
fi

echo "== pytest on SQLite"
env -u TEST_DATABASE_URL $PY -m pytest "$@"

if pg_up; then
  echo "== pytest on PostgreSQL ($PG_URL)"
  TEST_DATABASE_URL="$PG_URL" $PY -m pytest "$@"
else
  if [ "${SUIVI_REQUIRE_POSTGRES:-0}" = 1 ]; then
    echo "PostgreSQL is required (SUIVI_REQUIRE_POSTGRES=1) but does not answer at $PG_URL." >&2
    exit 1
  fi
  skipped+=("the PostgreSQL pass: no server answers at $PG_URL")
fi

if [ ${#skipped[@]} -gt 0 ]; then
  echo
  echo "SKIPPED (the rest ran and passed):"
  for s in "${skipped[@]}"; do echo "  - $s"; done
fi
