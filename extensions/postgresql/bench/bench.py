#!/usr/bin/env python3
"""Throughput of the PostgreSQL extension on generated enterprise-years.

Starts a throwaway cluster in the build tree (the test suite's harness,
tests/pgcluster.py), loads rules/linan/enterprise.yaml, generates N
enterprise-years with generate_series into a table of typed columns, and
times the same queries with 0, 1 and 2 parallel workers:

  baseline  SELECT num_nonnulls(e), count(*) ... GROUP BY 1   (no rulebook: the
            scan, the whole-row value and the grouping PostgreSQL does anyway)
  verdict   SELECT rulebook.verdict(id, t, as_of, 'T1.mu_tax'), count(*) ... GROUP BY 1
  verdicts  SELECT v.verdict, count(*) FROM t, rulebook.verdicts(id, t, as_of) v GROUP BY 1

Each prints rows/s (records per second, best of RULEBOOK_BENCH_RUNS runs,
default 1), its time as a multiple of the baseline's with as many workers,
and the verdict counts, which must be identical for every number of
workers. The verdicts query runs on tables of at most 10^5 records.
Never part of the test verdict.

usage: bench.py BUILD_DIR [N ...]   (default N: 1000000)
BUILD_DIR is the meson build directory (with extensions/postgresql/rulebook.so).
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXT = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(EXT))
sys.path.insert(0, os.path.join(EXT, "tests"))
import pgcluster  # noqa: E402

RUNS = int(os.environ.get("RULEBOOK_BENCH_RUNS", "1"))

# Figures spread around the Lin'an thresholds: tax per mu around 37 万元,
# value added per mu around 180 万元, R&D share around 2.3 %, some missing.
GENERATE = """
CREATE UNLOGGED TABLE enterprise_years AS
SELECT 'E' || g AS _id,
       g % 10 <> 0 AS above_scale,
       true AS is_manufacturing,
       (5 + g % 60)::numeric AS land_area,
       round(((5 + g % 60) * (20 + (g * 7919) % 40))::numeric + (g % 100) / 100.0, 2) AS tax,
       ((5 + g % 60) * (100 + (g * 104729) % 160))::numeric AS value_added,
       (10000 + (g * 31) % 90000)::numeric AS revenue,
       CASE WHEN g % 50 = 0 THEN NULL ELSE (100 + (g * 17) % 3000)::numeric END AS rd_expense,
       (50 + g % 900) AS employees,
       (200 + (g * 13) % 5000)::numeric AS energy_use,
       ((g * 11) % 100)::numeric AS electricity_use,
       (0.1 + ((g * 7) % 90) / 100.0)::numeric AS energy_intensity_base,
       g % 97 = 0 AS has_violation,
       g % 3 = 0 AS digitally_transformed
  FROM generate_series(1::bigint, {n}) g
"""


def timed(c, db, setup, sql):
    out = c.psql(None, db=db, input=setup + "\\timing on\n" + sql, args=["-f", "-"]).stdout
    ms = None
    rows = []
    for line in out.splitlines():
        if line.startswith("Time: "):
            ms = float(line.split()[1])
        elif line.strip():
            rows.append(line.strip())
    return ms, rows


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    build = os.path.abspath(sys.argv[1])
    sizes = [int(a) for a in sys.argv[2:]] or [1000000]
    bindir = pgcluster.pg_config("/usr/bin", "--bindir")
    c = pgcluster.Cluster(os.path.join(build, "extensions/postgresql/bench-cluster"),
                          os.path.join(build, "extensions/postgresql/rulebook.so"),
                          [os.path.join(EXT, "rulebook.control"),
                           os.path.join(EXT, "rulebook--0.1.0.sql")],
                          bindir, libpath=os.path.join(build, "lib"),
                          settings={"max_parallel_workers": "2", "work_mem": "'64MB'",
                                    "shared_buffers": "'512MB'"})
    try:
        c.start()
        db = "bench"
        c.psql(f"CREATE DATABASE {db}")
        c.psql("CREATE EXTENSION rulebook", db=db)
        with open(os.path.join(ROOT, "rules/linan/enterprise.yaml"), encoding="utf-8") as f:
            src = f.read()
        c.psql("SELECT rulebook.load($rulebook$" + src + "$rulebook$)", db=db)
        print(f"PostgreSQL {c.psql('SHOW server_version').stdout.strip()}, "
              f"{os.cpu_count()} CPUs; rows/s is records per second, best of {RUNS} run(s)")
        for n in sizes:
            c.psql("DROP TABLE IF EXISTS enterprise_years", db=db)
            c.psql(GENERATE.format(n=n), db=db)
            c.psql("VACUUM ANALYZE enterprise_years", db=db)
            queries = {
                # the same scan, whole-row value and GROUP BY without the
                # library: what PostgreSQL itself costs
                "baseline": "SELECT num_nonnulls(e) AS v, count(*) FROM enterprise_years e "
                            "GROUP BY 1 ORDER BY 1;",
                "verdict": "SELECT rulebook.verdict('linan.enterprise', e, '2023-06-30', "
                           "'T1.mu_tax') AS v, count(*) FROM enterprise_years e GROUP BY 1 ORDER BY 1;",
                "verdicts": "SELECT v.verdict, count(*) FROM enterprise_years e, "
                            "rulebook.verdicts('linan.enterprise', e, '2023-06-30') v "
                            "GROUP BY 1 ORDER BY 1;",
            }
            if n > 100000:  # every rule with its message and gap: a smaller table
                del queries["verdicts"]
            base = {}
            for name, sql in queries.items():
                counts = {}
                for workers in (0, 1, 2):
                    setup = (f"SET max_parallel_workers_per_gather = {workers};\n"
                             "SET parallel_setup_cost = 0;\nSET parallel_tuple_cost = 0;\n"
                             "SET min_parallel_table_scan_size = 0;\n")
                    best = None
                    for _ in range(RUNS):
                        ms, rows = timed(c, db, setup, sql)
                        best = ms if best is None or ms < best else best
                    counts[workers] = rows
                    if name == "baseline":
                        base[workers] = best
                    ratio = (f"  {best / base[workers]:.1f}x the baseline"
                             if name != "baseline" and workers in base else "")
                    plan = c.psql(None, db=db, input=setup + "EXPLAIN (COSTS OFF) " + sql,
                                  args=["-f", "-"]).stdout
                    planned = "Workers Planned: " + str(workers) in plan if workers else "Gather" not in plan
                    print(f"{n:>9} records  {name:<8}  {workers} workers  {n / (best / 1000):>10.0f} rows/s"
                          f"  ({best / 1000:.2f} s{'' if planned else ', plan differs'}){ratio}  "
                          + " ".join(r.replace('|', '=') for r in rows))
                same = counts[0] == counts[1] == counts[2]
                if name == "baseline":
                    continue
                print(f"{'':>9} {name}: verdict counts {'identical' if same else 'DIFFER'} for 0, 1, 2 workers")
    finally:
        c.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
