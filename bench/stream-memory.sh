#!/usr/bin/env bash
# Peak memory of the command-line tool streaming 10^5 and 10^6 CSV rows
# through bench/bench.yaml: it should not grow with the number of rows.
#   bench/stream-memory.sh [path/to/rulebook]     (default build/cli/rulebook)
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-build/cli/rulebook}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in 100000 1000000; do
	python3 - "$n" > "$tmp/rows.csv" <<'PY'
import random, sys
n = int(sys.argv[1])
rnd = random.Random(2023)
print("_id,land_area,tax,value_added,revenue,rd_expense,energy_use,employees,"
      "new_energy_use,substitution_tce,is_key_chain_project")
for i in range(n):
    land = rnd.randint(300, 30000) / 100
    print(f"E{i},{land},{rnd.randint(100, 2000000) / 100},{rnd.randint(100, 4000000) / 100},"
          f"{rnd.randint(1000, 9000000) / 100},{rnd.randint(0, 200000) / 100},"
          f"{rnd.randint(100, 2000000) / 100},{rnd.randint(5, 2000)},"
          f"{rnd.randint(0, 50000) / 100},{rnd.randint(0, 50000) / 100},"
          f"{'true' if rnd.random() < 0.05 else 'false'}")
PY
	for fmt in csv jsonl; do
		/usr/bin/time -f "%M %e" -o "$tmp/time" "$tool" eval -d 2023-06-30 -f "$fmt" \
			bench/bench.yaml "$tmp/rows.csv" > /dev/null 2>&1 || true
		read -r kb secs < "$tmp/time"
		printf '%8d rows, -f %-5s  peak RSS %6.1f MB  %6.2f s  %5.0f rows/s\n' \
			"$n" "$fmt" "$(echo "$kb / 1024" | bc -l)" "$secs" "$(echo "$n / $secs" | bc -l)"
	done
done
