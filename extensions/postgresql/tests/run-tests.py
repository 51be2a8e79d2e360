#!/usr/bin/env python3
"""The PostgreSQL extension's tests against a real server.

Creates a cluster with initdb in the build tree, starts it on a Unix socket
there (no TCP; as the user nobody when run as root), runs the SQL scripts of
sql/ with pg_regress and compares them with expected/, then checks what SQL
scripts cannot: two concurrent sessions, results equal to the rulebook
CLI's on the shipped sample data, and the no-extension route through COPY
and the CLI. The server is stopped whatever happens.

usage: run-tests.py BUILD_DIR MODULE CLI LIBDIR
  BUILD_DIR  where the cluster and the pg_regress output go
  MODULE     the built rulebook.so
  CLI        the built rulebook command-line tool
  LIBDIR     the directory of librulebook.so.0
Exit status 0 on success, 1 on failure, 77 when PostgreSQL is not there.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
EXT = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(EXT))
sys.path.insert(0, HERE)
import pgcluster  # noqa: E402

failures = []


def check(cond, what):
    if cond:
        print(f"ok   {what}")
    else:
        print(f"FAIL {what}")
        failures.append(what)


def b64(path):
    import base64
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def load_sql(path):
    """SQL that loads the rulebook file at path byte for byte."""
    return f"SELECT rulebook.load(convert_from(decode('{b64(path)}', 'base64'), 'UTF8'))"


def normalise(result):
    """A result without what names the rulebook's location (a path for the
    CLI, the table's id in the database)."""
    if isinstance(result, dict):
        return {k: normalise(v) for k, v in result.items() if k != "file"}
    if isinstance(result, list):
        return [normalise(v) for v in result]
    return result


def run_regress(c, bindir, build_dir):
    pg_regress = os.path.join(pgcluster.pg_config(bindir, "--pkglibdir"),
                              "pgxs/src/test/regress/pg_regress")
    outdir = os.path.join(build_dir, "regress")
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    c.psql("CREATE DATABASE rulebook_regress")  # --use-existing does not create it
    env = dict(os.environ, RULEBOOK_SOURCE_ROOT=ROOT, PGTZ="UTC", PGDATESTYLE="ISO, YMD")
    r = subprocess.run([pg_regress, "--use-existing", "--host", c.socket_dir, "--port", "5432",
                        "--user", c.user, "--bindir", bindir, "--inputdir", HERE,
                        "--outputdir", outdir, "--dbname", "rulebook_regress",
                        "--schedule", os.path.join(HERE, "schedule")],
                       env=env, capture_output=True, text=True)
    print(r.stdout + r.stderr)
    diffs = os.path.join(outdir, "regression.diffs")
    if r.returncode != 0 and os.path.exists(diffs):
        with open(diffs, encoding="utf-8", errors="replace") as f:
            print(f.read())
    check(r.returncode == 0, "pg_regress: SQL scripts give the expected output")


def test_cli_equal(c, cli):
    """Every result of the sample enterprises equals the CLI's."""
    db = "rulebook_cli"
    c.psql(f"CREATE DATABASE {db}")
    c.psql("CREATE EXTENSION rulebook", db=db)
    rules = os.path.join(ROOT, "rules/linan/enterprise.yaml")
    data = os.path.join(ROOT, "examples/data/enterprises.json")
    c.psql(load_sql(rules), db=db)
    cli_out = subprocess.run([cli, "eval", "-d", "2023-06-30", "-f", "json", "--no-summary",
                              rules, data], capture_output=True, text=True)
    check(cli_out.returncode in (0, 1), f"CLI eval runs ({cli_out.stderr.strip()[:200]})")
    expected = json.loads(cli_out.stdout)
    sql = (f"SELECT json_agg(rulebook.evaluate('linan.enterprise', r, '2023-06-30') ORDER BY n) "
           f"FROM jsonb_array_elements(convert_from(decode('{b64(data)}', 'base64'), 'UTF8')::jsonb) "
           f"WITH ORDINALITY AS a(r, n)")
    got = json.loads(c.psql(sql, db=db).stdout)
    check(len(got) == len(expected) == 210, f"210 results from SQL and CLI ({len(got)}, {len(expected)})")
    same = sum(1 for a, b in zip(got, expected) if normalise(a) == normalise(b))
    check(same == len(expected), f"SQL results equal the CLI's: {same} of {len(expected)}")
    # The rulebook hash is the file's: both saw the same bytes.
    check(all(a["rulebook"]["hash"] == b["rulebook"]["hash"] for a, b in zip(got, expected)),
          "the stored rulebook has the file's hash")

    # Population: aggregates and classes by rank equal the CLI's.
    rules = os.path.join(ROOT, "examples/data/mujun-scorecard.yaml")
    data = os.path.join(ROOT, "examples/data/mujun-firms.jsonl")
    c.psql(load_sql(rules), db=db)
    cli_out = subprocess.run([cli, "eval", "-d", "2023-12-31", "-f", "json", "--population",
                              "--no-summary", rules, data], capture_output=True, text=True)
    expected = json.loads(cli_out.stdout)
    rows = ("SELECT line::jsonb AS r, n FROM regexp_split_to_table(convert_from(decode("
            f"'{b64(data)}', 'base64'), 'UTF8'), E'\\n') WITH ORDINALITY AS a(line, n) "
            "WHERE line <> ''")
    pop = json.loads(c.psql(f"SELECT rulebook.population('example.mujun', r, '2023-12-31') "
                            f"FROM ({rows}) x", db=db).stdout)
    exp_pop = expected["population"]
    check(pop["counts"] == exp_pop["counts"], "population verdict counts equal the CLI's")
    check(pop["classes"] == exp_pop["classes"],
          f"population class counts equal the CLI's ({pop['classes']} / {exp_pop['classes']})")
    check(normalise(pop["aggregates"]) == normalise(exp_pop["aggregates"]),
          "population aggregates equal the CLI's")
    classes = c.psql("SELECT r->>'_id', rulebook.population_class('example.mujun', r, "
                     "'2023-12-31', 'mujun_rank') OVER (ORDER BY n) FROM "
                     f"({rows}) x ORDER BY n", db=db).stdout.split()
    got = dict(line.split("|") for line in classes)
    want = {e["record"]: e["class"] for e in expected["classes"] if e["scorecard"] == "mujun_rank"}
    check(got == want and len(got) == 12, f"rank classes equal the CLI's ({got} / {want})")


def test_concurrent(c):
    """Two sessions: one reloads a rulebook while the other keeps
    evaluating; the other sees the reload at its next statement, and both
    evaluate at the same time with the same answers."""
    db = "rulebook_sessions"
    c.psql(f"CREATE DATABASE {db}")
    c.psql("CREATE EXTENSION rulebook", db=db)

    def floor(value):
        return f"""SELECT rulebook.load($$
rulebook: 1
id: t.floor
title: {{zh: 测试, en: test}}
subject: enterprise
source: {{issuer: 测试, document: 测试文件, issued: 2022-01-01}}
inputs:
  - {{id: tax, type: number, unit: 万元}}
  - {{id: land_area, type: number, unit: 亩}}
parameters:
  - {{id: min_mu_tax, unit: 万元/亩, cite: 二, provenance: cited, value: {value}}}
indicators:
  - {{id: mu_tax, expr: tax / land_area, unit: 万元/亩}}
rules:
  - {{id: mu_tax, cite: 二, require: mu_tax >= min_mu_tax}}
$$)"""
    c.psql(floor(37), db=db)
    verdict = ("SELECT rulebook.verdict('t.floor', '{\"tax\": 1158.1, \"land_area\": 31.3}'::jsonb, "
               "'2023-06-30', 'mu_tax');\n")
    argv = [os.path.join(c.sys_bindir, "psql"), "-X", "-q", "-A", "-t"] + c.conninfo(db)
    a = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, bufsize=1)
    try:
        a.stdin.write(verdict)
        a.stdin.write("\\echo --\n")
        first = a.stdout.readline().strip()
        a.stdout.readline()
        check(first == "pass", f"session A compiles and evaluates (got {first})")
        c.psql(floor(38), db=db)  # session B reloads
        a.stdin.write(verdict)
        a.stdin.write("\\echo --\n")
        second = a.stdout.readline().strip()
        a.stdout.readline()
        check(second == "fail", f"session A sees session B's reload at its next statement (got {second})")
        # B reloads inside a transaction it has not committed: A keeps the
        # committed rulebook.
        b = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, bufsize=1)
        b.stdin.write("BEGIN;\n" + floor(30) + ";\n\\echo loaded\n")
        while b.stdout.readline().strip() != "loaded":
            pass
        a.stdin.write(verdict)
        a.stdin.write("\\echo --\n")
        third = a.stdout.readline().strip()
        a.stdout.readline()
        check(third == "fail", f"an uncommitted reload is not seen (got {third})")
        b.stdin.write("COMMIT;\n\\q\n")
        b.communicate(timeout=60)
        a.stdin.write(verdict)
        a.stdin.write("\\echo --\n")
        fourth = a.stdout.readline().strip()
        a.stdout.readline()
        check(fourth == "pass", f"the committed reload is seen (got {fourth})")
    finally:
        a.stdin.close()
        a.wait(timeout=60)

    # Both sessions evaluate 20000 records at once.
    c.psql("CREATE TABLE big AS SELECT (g % 2000)::numeric AS tax, 20::numeric AS land_area "
           "FROM generate_series(1, 20000) g", db=db)
    q = ("SELECT rulebook.verdict('t.floor', b, '2023-06-30', 'mu_tax') AS v, count(*) "
         "FROM big b GROUP BY 1 ORDER BY 1")
    outs = [None, None]

    def run(i):
        outs[i] = c.psql(q, db=db).stdout

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 30 万元/亩 on 20 亩 is 600: tax 600..1999 passes in each of 10 cycles
    want = "fail|6000\npass|14000\n"
    check(outs[0] == outs[1] == want, f"two concurrent sessions agree ({outs})")


def test_copy_route(c, cli):
    """Without the extension: COPY out as CSV, the CLI evaluates, COPY the
    verdicts back in. Booleans go out as ::text (COPY writes t and f)."""
    db = "rulebook_copy"
    c.psql(f"CREATE DATABASE {db}")
    c.psql("CREATE TABLE enterprise_years (_id text, above_scale boolean, is_manufacturing boolean, "
           "land_area numeric, tax numeric)", db=db)
    c.psql("INSERT INTO enterprise_years VALUES ('E1', true, true, 31.3, 1158.1), "
           "('E2', true, true, 20, 600), ('E3', true, true, NULL, 100), ('E4', false, true, 10, 1)",
           db=db)
    c.psql("CREATE TABLE results (record text, rule text, cite text, verdict text, gap text, "
           "message text, rulebook text, rulebook_hash text, as_of date, library_version text)",
           db=db)
    psql = os.path.join(c.sys_bindir, "psql")
    conn = " ".join(c.conninfo(db))
    rules = os.path.join(ROOT, "rules/linan/enterprise.yaml")
    pipeline = (f"{psql} -X {conn} -c \"COPY (SELECT _id, above_scale::text, is_manufacturing::text, land_area, tax "
                f"FROM enterprise_years ORDER BY _id) TO STDOUT "
                f"(FORMAT csv, HEADER)\" | {cli} eval {rules} - -i csv -d 2023-06-30 --format csv "
                f"--no-summary --ignore-unknown | {psql} -X {conn} -c \"COPY results FROM STDIN "
                f"(FORMAT csv, HEADER)\"")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True)
    check(r.returncode in (0,), f"COPY | rulebook eval | COPY runs ({r.stderr.strip()[:300]})")
    out = c.psql("SELECT record, verdict, gap FROM results WHERE rule = 'T1.mu_tax' ORDER BY record",
                 db=db).stdout
    # E1 is exactly 37 万元/亩; E2 is 30 (7 short); E3 has no land area;
    # E4 is not above scale (T1 does not apply).
    want = "E1|pass|\nE2|fail|+7 万元/亩\nE3|unknown|\nE4|not_applicable|\n"
    check(out == want, f"the verdicts came back through COPY ({out!r})")
    n = c.psql("SELECT count(*) FROM results", db=db).stdout.strip()
    check(n == str(4 * 11), f"one row per record and rule ({n})")


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    build_dir, module, cli, libdir = sys.argv[1:]
    bindir = None
    pgc = shutil.which("pg_config")
    if pgc:
        bindir = subprocess.run([pgc, "--bindir"], capture_output=True, text=True).stdout.strip()
    if not bindir or not os.path.exists(os.path.join(bindir, "initdb")):
        print("PostgreSQL server binaries not found: skipped")
        return 77
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        print("running as root without setpriv: cannot start PostgreSQL as another user: skipped")
        return 77
    c = pgcluster.Cluster(os.path.join(build_dir, "cluster"), module,
                          [os.path.join(EXT, "rulebook.control"),
                           os.path.join(EXT, "rulebook--0.1.0.sql")],
                          bindir, libpath=libdir)

    def on_signal(signum, frame):
        raise SystemExit(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        c.start()
        run_regress(c, bindir, build_dir)
        test_concurrent(c)
        test_cli_equal(c, cli)
        test_copy_route(c, cli)
    except Exception as e:  # report, then stop the server
        failures.append(str(e))
        print(f"FAIL {e}")
    finally:
        c.stop()
        log = c.log()
        if failures or "PANIC" in log or "server process" in log:
            print("---- server log ----\n" + log[-20000:])
        if "was terminated by signal" in log:
            failures.append("a server process crashed")
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
