#!/usr/bin/env bash
# Regenerate samples/*/expected.sql with Prisma's own engine (the offline oracle).
# Usage: samples/regen.sh [case ...]      (default: every case)
# expected.sql is ALWAYS produced by this script, never written by hand.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
oracle="${PRISMA_ORACLE:-/work/shared/oracle}"
cd "$here"
if [ "$#" -gt 0 ]; then cases=("$@"); else cases=(); for d in */; do cases+=("${d%/}"); done; fi
for c in "${cases[@]}"; do
  if [ -f "$c/schema.prisma" ]; then src="$c/schema.prisma"
  elif [ -d "$c/schema" ]; then src="$c/schema"
  else continue; fi
  "$oracle/prisma-ddl" "$src" > "$c/expected.sql.tmp"
  mv "$c/expected.sql.tmp" "$c/expected.sql"
  echo "regenerated $c/expected.sql"
done
