#!/usr/bin/env bash
# Check every sample: (1) `prisma-psl validate` accepts it (url/directUrl lines removed
# first, since Prisma 7 rejects them), (2) expected.sql is what the oracle prints now,
# (3) expected.sql applies to a fresh database: PostgreSQL (scratch db with citext and
# pg_trgm pre-created) or SQLite (in-memory, sqlite3 CLI or python3).
# Usage: samples/check.sh [case ...]   env: PGHOST (127.0.0.1) PGUSER (postgres)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
oracle="${PRISMA_ORACLE:-/work/shared/oracle}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
export PGOPTIONS="${PGOPTIONS:--c client_min_messages=warning}"
cd "$here"
if [ "$#" -gt 0 ]; then cases=("$@"); else cases=(); for d in */; do cases+=("${d%/}"); done; fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail=0
for c in "${cases[@]}"; do
  if [ -f "$c/schema.prisma" ]; then src="$c/schema.prisma"
  elif [ -d "$c/schema" ]; then src="$c/schema"
  else continue; fi
  # validate a copy without url/directUrl/shadowDatabaseUrl lines (a folder stays a folder)
  rm -rf "$tmp/v"; mkdir -p "$tmp/v"
  if [ -d "$src" ]; then
    (cd "$src" && find . -name '*.prisma') | while read -r f; do
      mkdir -p "$tmp/v/$(dirname "$f")"
      grep -Ev '^\s*(url|directUrl|shadowDatabaseUrl)\s*=' "$src/$f" > "$tmp/v/$f"
    done
    vsrc="$tmp/v"
  else
    grep -Ev '^\s*(url|directUrl|shadowDatabaseUrl)\s*=' "$src" > "$tmp/v/schema.prisma"
    vsrc="$tmp/v/schema.prisma"
  fi
  if ! out="$("$oracle/prisma-psl" validate "$vsrc" 2>&1)"; then
    echo "FAIL $c: validate"; echo "$out"; fail=1; continue; fi
  # expected.sql up to date
  if ! "$oracle/prisma-ddl" "$src" | cmp -s - "$c/expected.sql"; then
    echo "FAIL $c: expected.sql differs from oracle output (run samples/regen.sh $c)"; fail=1; continue; fi
  # apply
  if grep -rEqs --include='*.prisma' 'provider\s*=\s*"sqlite"' "$src"; then
    if command -v sqlite3 >/dev/null; then
      if ! out="$(sqlite3 -bail ':memory:' < "$c/expected.sql" 2>&1)"; then
        echo "FAIL $c: sqlite apply"; echo "$out"; fail=1; continue; fi
    else
      if ! out="$(python3 -c 'import sqlite3,sys; sqlite3.connect(":memory:").executescript(open(sys.argv[1]).read())' "$c/expected.sql" 2>&1)"; then
        echo "FAIL $c: sqlite apply"; echo "$out"; fail=1; continue; fi
    fi
  else
    db="sample_check_$$_$(echo "$c" | tr -c 'a-z0-9\n' '_')"
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" >/dev/null || { fail=1; continue; }
    if ! out="$( { echo 'CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pg_trgm;'; cat "$c/expected.sql"; } \
                 | psql -qX -v ON_ERROR_STOP=1 -d "$db" 2>&1 >/dev/null)"; then
      echo "FAIL $c: postgres apply"; echo "$out"; fail=1
      psql -qX -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; continue
    fi
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null
  fi
  echo "ok   $c"
done
exit $fail
