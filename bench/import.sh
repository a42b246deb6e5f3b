#!/usr/bin/env bash
# The import benchmark of issue 2: N engagements (default 1,000,000) from CSV
# and from JSON into a fresh SQLite store, with wall time, documents/s and
# peak RSS; beside it, the sqlite3 shell's .import of the same CSV into an
# equivalent table, in the same run; and, when TAMLEDGER_BENCH_PG holds a
# postgres:// DSN, the same imports into PostgreSQL.
#
#   bash bench/import.sh            # 1,000,000
#   N=200000 bash bench/import.sh   # quicker
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
work=$(mktemp -d /tmp/tamledger-import-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install sqlite3" >&2; exit 2; }

go build -o "$work/tamledger" ./cmd/tamledger
go run ./internal/bench/importdata -n "$N" -dir "$work"
ls -l "$work"/engagements.* | awk '{print "input:", $NF, $5, "bytes"}'

measure() { # label, then the command; prints seconds and peak RSS in MB
	local label=$1; shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
	read -r secs kb <"$work/time"
	printf "%-34s %8.2f s %10.0f docs/s %6.0f MB\n" "$label" "$secs" "$(echo "$N / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
	echo "$secs" >"$work/last"
}

echo "== $N engagements, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for fmt in csv json; do
	rm -f "$work"/s.db*
	"$work/tamledger" --db "$work/s.db" import -q "$work/org.yaml"
	measure "tamledger import $fmt (SQLite)" "$work/tamledger" --db "$work/s.db" import -q --max-bytes 0 "$work/engagements.$fmt"
	cp "$work/last" "$work/t_$fmt"
done

# The floor: the sqlite3 shell importing the same CSV into a table with the
# same key and typed columns (no JSON, no validation).
rm -f "$work"/floor.db*
sqlite3 "$work/floor.db" >/dev/null <<'SQL'
PRAGMA journal_mode=WAL;
CREATE TABLE engagements (id TEXT NOT NULL, organization TEXT NOT NULL, date TEXT NOT NULL,
  service TEXT NOT NULL, initiated_by TEXT NOT NULL, workloads TEXT, summary TEXT,
  PRIMARY KEY (organization, id));
CREATE INDEX engagements_date ON engagements (organization, date);
SQL
measure "sqlite3 .import csv (floor)" sqlite3 "$work/floor.db" ".mode csv" ".import --skip 1 $work/engagements.csv engagements"
floor=$(cat "$work/last")
echo "ratio tamledger/sqlite3: csv $(echo "$(cat "$work/t_csv") / $floor" | bc -l | cut -c1-4)x, json $(echo "$(cat "$work/t_json") / $floor" | bc -l | cut -c1-4)x"

if [[ "${TAMLEDGER_BENCH_PG:-}" == postgres* ]]; then
	for fmt in csv json; do
		schema="bench_$RANDOM$RANDOM"
		psql -q "$TAMLEDGER_BENCH_PG" -c "CREATE SCHEMA $schema"
		dsn="$TAMLEDGER_BENCH_PG$([[ $TAMLEDGER_BENCH_PG == *\?* ]] && echo '&' || echo '?')search_path=$schema"
		"$work/tamledger" --db "$dsn" import -q "$work/org.yaml"
		measure "tamledger import $fmt (PostgreSQL)" "$work/tamledger" --db "$dsn" import -q --max-bytes 0 "$work/engagements.$fmt"
		psql -q "$TAMLEDGER_BENCH_PG" -c "DROP SCHEMA $schema CASCADE"
	done
fi
