/* Runs the examples monitor-targets, land-supply-whatif, mujun-classes and
 * extend-district (argv[1..4]) on their data in examples/data and checks
 * what they print against figures worked out by hand in the comments. Each
 * is run once from the source root with its defaults, then with explicit
 * paths and arguments. The rulebooks' own test cases must pass too. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MONITOR, LAND, MUJUN, EXTEND, NEXAMPLES };
/* Room for the arguments: up to three quoted paths and some words. */
#define ARGS_SIZE 13000
static const char *exe[NEXAMPLES];

static char out[1 << 16];

/* Run example k with args (shell words) in dir (NULL: the current one);
 * return its exit status, the output (stdout and stderr) in out. */
static int run_in(const char *dir, int k, const char *args)
{
	char cmd[ARGS_SIZE + 4096 + 64];
	int n = snprintf(cmd, sizeof cmd, "%s%s%s'%s' %s 2>&1", dir ? "cd '" : "", dir ? dir : "",
			 dir ? "' && " : "", exe[k], args);
	ck_assert(n > 0 && (size_t)n < sizeof cmd);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t len = fread(out, 1, sizeof out - 1, p);
	out[len] = '\0';
	int st = pclose(p);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int run(int k, const char *args)
{
	return run_in(NULL, k, args);
}

static void ck_has(const char *line)
{
	ck_assert_msg(contains(out, line), "output lacks '%s':\n%s", line, out);
}

static void ck_lacks(const char *line)
{
	ck_assert_msg(!contains(out, line), "output has '%s':\n%s", line, out);
}

/* "'<source root>/rel'" as a shell word; a static buffer per slot. */
static const char *quoted(int slot, const char *rel)
{
	static char buf[4][4200];
	snprintf(buf[slot], sizeof buf[slot], "'%s'", source_path(rel));
	return buf[slot];
}

/* The source root, for running the examples with their defaults. */
static const char *root(void)
{
	const char *r = getenv("RULEBOOK_SOURCE_ROOT");
	ck_assert_ptr_nonnull(r);
	return r;
}

/* ---- monitor-targets ----
 *
 * Period of T14, T12 and T15: 2021-01-01 … 2023-12-31, 1095 days. On
 * 2022-06-30, 365 + 181 = 546 days have elapsed: time progress
 * 546 / 1095 = 0.49863 → 0.4986, and 549 days are left.
 * P8 is yearly: 181 / 365 = 0.49589 → 0.4959, 184 days left.
 *
 * T14: 1900 of 4000 亩, completion 0.475 < 0.4986: behind pace; shortfall
 *   2100, per month 2100 × 365 / (12 × 549) = 116.34790… → 116.3479.
 * T12: (0.468 − 0.44) / 0.468 = 0.0598290598290598290598…, 18 digits
 *   0.0598290598290598291, of a 10 % cut: completion 0.5983, on pace;
 *   shortfall 0.1 − 0.0598290598290598291 = 0.0401709401709401709; no
 *   monthly figure for a reduction.
 * P8: 7 of 18, completion 0.38889 → 0.3889 < 0.4959: behind pace;
 *   per month 11 × 365 / (12 × 184) = 1.81839… → 1.8184.
 * T15: 160 of 300 = 0.5333 ≥ 0.4986: on pace; per month
 *   140 × 365 / (12 × 549) = 7.75652… → 7.7565.
 *
 * On 2023-12-31 (the last day): T14 4120 ≥ 4000 met (completion 1.03);
 * T12 (0.468 − 0.4212) / 0.468 = 0.1 exactly, met; P8 17 of 18 missed
 * (0.94444 → 0.9444); T15 312 ≥ 300 met (1.04). */

START_TEST(test_monitor_mid_2022)
{
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s 2022-06-30 %s",
		 quoted(0, "examples/data/district-targets.yaml"),
		 quoted(1, "examples/data/district-progress-2022-06-30.json"));
	ck_assert_int_eq(run(MONITOR, args), 0);
	ck_has("District targets against time progress (example): 4 targets\n");
	ck_has("\nAs of 2022-06-30 (临安区 2022-06-30)\n");
	ck_has("  T14.freed_land, inefficient industrial land freed"
	       " (clause 二, measured in 亩): behind_pace\n"
	       "    achieved 1900 of target 4000\n"
	       "    completion 0.475 vs time progress 0.4986\n"
	       "    shortfall 2100, needed per month 116.3479\n");
	ck_has("  T12.energy_intensity, cut in energy intensity"
	       " (clause 三（一）4): on_pace\n"
	       "    achieved 0.0598290598290598291 of target 0.1\n"
	       "    completion 0.5983 vs time progress 0.4986\n"
	       "    shortfall 0.0401709401709401709, needed per month -\n");
	ck_has("  P8.projects_started, manufacturing projects started"
	       " (clause 二, measured in 项): behind_pace\n"
	       "    achieved 7 of target 18\n"
	       "    completion 0.3889 vs time progress 0.4959\n"
	       "    shortfall 11, needed per month 1.8184\n");
	ck_has("  T15.firms_upgraded, inefficient firms upgraded"
	       " (clause 三（一）3, measured in 家): on_pace\n"
	       "    achieved 160 of target 300\n"
	       "    completion 0.5333 vs time progress 0.4986\n"
	       "    shortfall 140, needed per month 7.7565\n");
	/* the two behind pace, with the units to ask; not the two on pace */
	ck_has("  Flagged (behind pace or missed), responsible units:\n"
	       "    T14.freed_land (behind_pace): 规划与自然资源局临安分局, 区经信局\n"
	       "    P8.projects_started (behind_pace): 区发改局, 区投促中心\n");
	ck_lacks("T15.firms_upgraded (behind_pace)");
	ck_lacks("T12.energy_intensity (behind_pace)");
}
END_TEST

START_TEST(test_monitor_end_2023)
{
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s 2023-12-31 %s",
		 quoted(0, "examples/data/district-targets.yaml"),
		 quoted(1, "examples/data/district-progress-2023-12-31.json"));
	ck_assert_int_eq(run(MONITOR, args), 0);
	ck_lacks("As of 2022-06-30");
	ck_has("  T14.freed_land, inefficient industrial land freed (clause 二, measured in 亩): met\n"
	       "    achieved 4120 of target 4000\n"
	       "    completion 1.03 vs time progress 1\n"
	       "    shortfall 0, needed per month -\n");
	ck_has("  T12.energy_intensity, cut in energy intensity"
	       " (clause 三（一）4): met\n"
	       "    achieved 0.1 of target 0.1\n");
	ck_has("  P8.projects_started, manufacturing projects started (clause 二, measured in 项): missed\n"
	       "    achieved 17 of target 18\n"
	       "    completion 0.9444 vs time progress 1\n"
	       "    shortfall 1, needed per month -\n");
	ck_has("  T15.firms_upgraded, inefficient firms upgraded (clause 三（一）3, measured in 家): met\n"
	       "    achieved 312 of target 300\n"
	       "    completion 1.04 vs time progress 1\n");
	ck_has("  Flagged (behind pace or missed), responsible units:\n"
	       "    P8.projects_started (missed): 区发改局, 区投促中心\n");
	ck_lacks("T14.freed_land (behind_pace)");
}
END_TEST

/* From the source root without arguments: both dates, in order. */
START_TEST(test_monitor_defaults)
{
	ck_assert_int_eq(run_in(root(), MONITOR, ""), 0);
	const char *a = strstr(out, "\nAs of 2022-06-30 (临安区 2022-06-30)\n");
	const char *b = strstr(out, "\nAs of 2023-12-31 (临安区 2023-12-31)\n");
	ck_assert_msg(a && b && a < b, "%s", out);
	ck_assert_msg(strstr(a, "completion 0.475 vs time progress 0.4986") < b, "%s", out);
	ck_assert_msg(strstr(b, "P8.projects_started (missed)") != NULL, "%s", out);
}
END_TEST

START_TEST(test_monitor_errors)
{
	char args[ARGS_SIZE];
	/* a date without its progress file */
	snprintf(args, sizeof args, "%s 2022-06-30",
		 quoted(0, "examples/data/district-targets.yaml"));
	ck_assert_int_eq(run(MONITOR, args), 1);
	ck_has("usage:");
	snprintf(args, sizeof args, "%s 2022-02-30 %s",
		 quoted(0, "examples/data/district-targets.yaml"),
		 quoted(1, "examples/data/district-progress-2022-06-30.json"));
	ck_assert_int_eq(run(MONITOR, args), 1);
	ck_has("2022-02-30: not a date (YYYY-MM-DD)\n");
	snprintf(args, sizeof args, "%s 2022-06-30 %s.missing",
		 quoted(0, "examples/data/district-targets.yaml"),
		 source_path("examples/data/district-progress-2022-06-30.json"));
	ck_assert_int_eq(run(MONITOR, args), 1);
	ck_has(".missing");
	/* progress for another rulebook: a key that is not an input */
	snprintf(args, sizeof args, "%s 2022-06-30 %s",
		 quoted(0, "examples/data/district-targets.yaml"),
		 quoted(1, "examples/data/district-2022-06-30.json"));
	ck_assert_int_eq(run(MONITOR, args), 1);
}
END_TEST

/* ---- land-supply-whatif ----
 *
 * Parcels of 2023: L01 25 (industrial, 标准地), L02 30, L03 20 (industrial,
 * 标准地), L04 40, L05 15 (industrial, not 标准地), L06 20; L07 (2022) is
 * filtered out. Industrial share 25 + 20 + 15 = 60 of 150 = 0.4 ≥ 40 %:
 * pass, exactly on the threshold. 标准地 share 45 / 60 = 0.75 < 100 %:
 * fail, gap +25 %.
 *
 * What-if, 15 亩 of non-industrial land more: 60 / 165 = 0.3636…, 18
 * digits 0.363636363636363636: fail, gap 0.4 − 0.363636363636363636 =
 * 0.036363636363636364 = +3.6363636363636364 %. The parcel is not
 * industrial, so the 标准地 share is unchanged.
 * With 2 亩: 60 / 152 = 0.394736842105263157894… → 0.394736842105263158,
 * gap 0.4 − that = 0.005263157894736842 = +0.5263157894736842 %. */

START_TEST(test_land_supply)
{
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s", quoted(0, "examples/data/land-supply.yaml"),
		 quoted(1, "examples/data/land-supply-2023.csv"));
	ck_assert_int_eq(run(LAND, args), 0);
	ck_has("Land supply shares (example): 7 parcels as of 2023-12-31\n");
	ck_has("\nP4.industrial_share, industrial share of the year's land supply (clause 四（二）): pass\n"
	       "  value 0.4 = 60 / 150, threshold 0.4\n"
	       "  counted 6: L01 L02 L03 L04 L05 L06\n");
	ck_has("\nK5.standard_land_share, share of new industrial land supplied as 标准地"
	       " (clause 三（一）2): fail\n"
	       "  value 0.75 = 45 / 60, threshold 1\n"
	       "  gap: +25 %\n"
	       "  responsible: 规划与自然资源局临安分局, 区经信局\n"
	       "  counted 3: L01 L03 L05\n");
	ck_has("\nWhat if a non-industrial parcel of 15 亩 is supplied in 2023?\n"
	       "  P4.industrial_share: pass -> fail, value 0.4 -> 0.363636363636363636,"
	       " gap +3.6363636363636364 %\n"
	       "  K5.standard_land_share: fail -> fail, value 0.75 -> 0.75, gap +25 %\n");
	/* the pass has no gap */
	ck_lacks("  value 0.4 = 60 / 150, threshold 0.4\n  gap");
}
END_TEST

START_TEST(test_land_supply_areas)
{
	char args[ARGS_SIZE];
	/* 10000 m² is exactly 15 亩 */
	snprintf(args, sizeof args, "%s %s '10000 m²'", quoted(0, "examples/data/land-supply.yaml"),
		 quoted(1, "examples/data/land-supply-2023.csv"));
	ck_assert_int_eq(run(LAND, args), 0);
	ck_has("\nWhat if a non-industrial parcel of 10000 m² is supplied in 2023?\n"
	       "  P4.industrial_share: pass -> fail, value 0.4 -> 0.363636363636363636,");
	snprintf(args, sizeof args, "%s %s 2", quoted(0, "examples/data/land-supply.yaml"),
		 quoted(1, "examples/data/land-supply-2023.csv"));
	ck_assert_int_eq(run(LAND, args), 0);
	ck_has("  P4.industrial_share: pass -> fail, value 0.4 -> 0.394736842105263158,"
	       " gap +0.5263157894736842 %\n");
	/* not a number */
	snprintf(args, sizeof args, "%s %s 15x", quoted(0, "examples/data/land-supply.yaml"),
		 quoted(1, "examples/data/land-supply-2023.csv"));
	ck_assert_int_eq(run(LAND, args), 1);
	ck_has("15x");
}
END_TEST

/* A table with a bad cell: that parcel is left out (add_table reports its
 * row), the others are added. A: 10 industrial 标准地; B: area "abc";
 * C: 5 non-industrial. Share 10 / 15 = 0.666666666666666667. */
START_TEST(test_land_supply_bad_row)
{
	char path[] = "/tmp/rulebook-parcels-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	static const char csv[] = "_id,land_area,supply_year,is_industrial,is_standard_land\r\n"
				  "A,10,2023,true,true\r\n"
				  "B,abc,2023,false,\r\n"
				  "\r\n"
				  "C,5,2023,false,\r\n";
	ck_assert_int_eq(write(fd, csv, sizeof csv - 1), (int)(sizeof csv - 1));
	close(fd);
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s '%s'", quoted(0, "examples/data/land-supply.yaml"), path);
	int rc = run(LAND, args);
	unlink(path);
	ck_assert_int_eq(rc, 0);
	ck_has("parcel B (row 2) skipped: a cell is not a valid value\n");
	ck_has(": 2 parcels as of 2023-12-31\n");
	ck_has("  value 0.666666666666666667 = 10 / 15, threshold 0.4\n"
	       "  counted 2: A C\n");
}
END_TEST

START_TEST(test_land_supply_defaults)
{
	ck_assert_int_eq(run_in(root(), LAND, ""), 0);
	ck_has("  value 0.4 = 60 / 150, threshold 0.4\n");
	ck_has("pass -> fail, value 0.4 -> 0.363636363636363636");
	/* the parcels with another rulebook: a column that is not an input */
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s", quoted(0, "examples/data/mujun-scorecard.yaml"),
		 quoted(1, "examples/data/land-supply-2023.csv"));
	ck_assert_int_eq(run(LAND, args), 1);
	ck_has("column 'supply_year' is not an input of example.mujun\n");
}
END_TEST

/* ---- mujun-classes ----
 *
 * Weights 40/30/20/10 分, benchmarks 30 万元/亩, 150 万元/亩,
 * 2.5 万元/tce, 2.5 %, ratios within 0 … 1.5, cut-offs A 100, B 80, C 60.
 * F03: 600 / 25 = 24 → 24 / 30 = 0.8 → 32; 4500 / 25 = 180 → 1.2 → 36;
 * 4500 / 1500 = 3 → 1.2 → 24; 225 / 15000 = 1.5 % → 0.6 → 6: 98, class
 * B, so a land-use tax relief of 50 %.
 * The others have every ratio r (score 100 r): F01 1.5 (150), F02 and
 * F04 1.2 (120), F05 0.9, F06 0.85, F07 0.7, F08 0.6, F09 0.5, F10 0.4
 * (D, and D the two years before: the further surcharge); F11 1.2 with a
 * safety accident (veto: D); F12 below designated size (not rated).
 * By rank over the 10 ranked firms: A below ⌊20 % × 10⌋ = 2 → F01, F02,
 * and F04 ties with F02 → A; B below ⌊60 % × 10⌋ = 6 → F03, F05, F06;
 * C below ⌊90 % × 10⌋ = 9 → F07, F08, F09 (D by score); D → F10. With the
 * veto: A 3, B 3, C 3, D 2, not rated 1. */

START_TEST(test_mujun_firm)
{
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s F03", quoted(0, "examples/data/mujun-scorecard.yaml"),
		 quoted(1, "examples/data/mujun-firms.jsonl"));
	ck_assert_int_eq(run(MUJUN, args), 0);
	ck_has("Per-mu efficiency evaluation (example), as of 2023-12-31\n");
	ck_has("NOTE: 18 of 18 parameters are illustrative;");
	ck_has("\nFirm F03, scorecard mujun\n"
	       "  component             value    ratio   weight   points\n"
	       "  mu_tax                   24      0.8       40       32\n"
	       "  mu_value_added          180      1.2       30       36\n"
	       "  energy                    3      1.2       20       24\n"
	       "  rd_share                1.5      0.6       10        6\n"
	       "  score 98, class B, veto none\n"
	       "  consequence land_use_tax_relief: 50 %\n");
}
END_TEST

START_TEST(test_mujun_population)
{
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s", quoted(0, "examples/data/mujun-scorecard.yaml"),
		 quoted(1, "examples/data/mujun-firms.jsonl"));
	ck_assert_int_eq(run(MUJUN, args), 0);
	ck_has("\n12 firms, classes by score (mujun) and by rank (mujun_rank)\n"
	       "  firm      score   by score    by rank\n"
	       "  F01         150          A          A\n"
	       "  F02         120          A          A\n"
	       "  F03          98          B          B\n"
	       "  F04         120          A          A\n"
	       "  F05          90          B          B\n"
	       "  F06          85          B          B\n"
	       "  F07          70          C          C\n"
	       "  F08          60          C          C\n"
	       "  F09          50          D          C\n"
	       "  F10          40          D          D\n"
	       "  F11         120          D          D\n"
	       "  F12           -  not_rated  not_rated\n"
	       "  class D by veto (一票否决): F11 (safety)\n"
	       "  by rank: A 3, B 3, C 3, D 2, not_rated 1\n");
}
END_TEST

START_TEST(test_mujun_veto_and_repeat)
{
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s F11", quoted(0, "examples/data/mujun-scorecard.yaml"),
		 quoted(1, "examples/data/mujun-firms.jsonl"));
	ck_assert_int_eq(run(MUJUN, args), 0);
	/* 720 / 20 = 36 → 1.2 → 48: 48 + 36 + 24 + 12 = 120, vetoed to D */
	ck_has("  mu_tax                   36      1.2       40       48\n");
	ck_has("  score 120, class D, veto safety\n"
	       "  consequence electricity_surcharge: 0.1 元/kWh\n");
	ck_lacks("electricity_surcharge_repeat");
	snprintf(args, sizeof args, "%s %s F10", quoted(0, "examples/data/mujun-scorecard.yaml"),
		 quoted(1, "examples/data/mujun-firms.jsonl"));
	ck_assert_int_eq(run(MUJUN, args), 0);
	/* D for the third year running: both surcharges */
	ck_has("  score 40, class D, veto none\n"
	       "  consequence electricity_surcharge: 0.1 元/kWh\n"
	       "  consequence electricity_surcharge_repeat: 0.1 元/kWh\n");
	snprintf(args, sizeof args, "%s %s F12", quoted(0, "examples/data/mujun-scorecard.yaml"),
		 quoted(1, "examples/data/mujun-firms.jsonl"));
	ck_assert_int_eq(run(MUJUN, args), 0);
	ck_has("  score -, class not_rated, veto none\n  no consequence for this class\n");
}
END_TEST

START_TEST(test_mujun_defaults_and_errors)
{
	ck_assert_int_eq(run_in(root(), MUJUN, ""), 0);
	ck_has("\nFirm F03, scorecard mujun\n");
	ck_has("  by rank: A 3, B 3, C 3, D 2, not_rated 1\n");
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s F99", quoted(0, "examples/data/mujun-scorecard.yaml"),
		 quoted(1, "examples/data/mujun-firms.jsonl"));
	ck_assert_int_eq(run(MUJUN, args), 1);
	ck_has("no firm with \"_id\": \"F99\"\n");
	/* a rulebook without the two scorecards */
	snprintf(args, sizeof args, "%s", quoted(0, "examples/data/land-supply.yaml"));
	ck_assert_int_eq(run(MUJUN, args), 1);
	ck_has("needs the scorecards mujun and mujun_rank\n");
}
END_TEST

/* ---- extend-district ----
 *
 * The firm: 984 / 30 = 32.8 万元/亩, at least the province's floor of 30
 * (pass) but below the district's 37 (fail); 1500 / 3000 = 0.5 ≤ 0.6
 * tce/万元 (pass, the province's ceiling, inherited); 60 / 2000 = 3 % >
 * 2.3 % (pass, the district's own rule). Z3.land_reported is disabled. */

START_TEST(test_extend_sources)
{
	char args[ARGS_SIZE], want[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s", quoted(0, "examples/data/linan-industry.yaml"),
		 quoted(1, "examples/data/provincial"));
	ck_assert_int_eq(run(EXTEND, args), 0);
	ck_has("Lin'an industrial enterprise rules (example) (linan.industry), as of 2023-06-30, "
	       "firm E1\n");
	char province[4200], district[4200];
	snprintf(province, sizeof province, "%s",
		 source_path("examples/data/provincial/zhejiang/industry.yaml"));
	snprintf(district, sizeof district, "%s", source_path("examples/data/linan-industry.yaml"));
	snprintf(want, sizeof want,
		 "  Z1.mu_tax (clause 亩均税收): fail\n"
		 "    rule from %s\n"
		 "    min_mu_tax = 37 万元/亩 (clause 二, cited) from %s\n",
		 province, district);
	ck_has(want);
	snprintf(want, sizeof want,
		 "  Z2.energy_intensity (clause 单位能耗增加值): pass\n"
		 "    rule from %s\n"
		 "    max_energy_intensity = 0.6 tce(等价值)/万元 (clause 单位能耗增加值, "
		 "illustrative) from %s\n",
		 province, province);
	ck_has(want);
	snprintf(want, sizeof want,
		 "  T10.rd_share (clause 二): pass\n"
		 "    rule from %s\n"
		 "    min_rd_share = 2.3 %% (clause 二, cited) from %s\n",
		 district, district);
	ck_has(want);
	ck_lacks("Z3.land_reported (clause");
	ck_has("  overridden: min_mu_tax 30 -> 37 万元/亩 (clause 二)\n"
	       "  verdict changed: Z1.mu_tax pass -> fail\n"
	       "  disabled: Z3.land_reported\n"
	       "  added: T10.rd_share\n");
	ck_lacks("verdict changed: Z2");
}
END_TEST

START_TEST(test_extend_defaults_and_errors)
{
	ck_assert_int_eq(run_in(root(), EXTEND, ""), 0);
	ck_has("    rule from examples/data/provincial/zhejiang/industry.yaml\n");
	ck_has("    min_mu_tax = 37 万元/亩 (clause 二, cited) from examples/data/linan-industry.yaml\n");
	/* without the provincial directory on the search path the parent is
	 * not found */
	char args[ARGS_SIZE];
	snprintf(args, sizeof args, "%s %s %s", quoted(0, "examples/data/linan-industry.yaml"),
		 quoted(1, "examples"),
		 quoted(2, "examples/data/provincial/zhejiang/industry.yaml"));
	ck_assert_int_eq(run(EXTEND, args), 1);
	ck_has("extends 'zhejiang.industry'");
}
END_TEST

/* ---- the rulebooks' own cases ---- */

static void ck_selftest(const char *rel, const char *search, size_t passed)
{
	rulebook_options *opts = rulebook_options_new();
	ck_assert_ptr_nonnull(opts);
	if (search)
		ck_assert_int_eq(rulebook_options_add_search_path(opts, source_path(search)),
				 RULEBOOK_OK);
	rulebook *rb = NULL;
	ck_assert_int_eq(rulebook_load_file(source_path(rel), opts, &rb, NULL), RULEBOOK_OK);
	rulebook_test_report *rep = NULL;
	ck_assert_int_eq(rulebook_run_tests(rb, &rep, NULL), RULEBOOK_OK);
	ck_assert_uint_eq(rulebook_test_report_failed(rep), 0);
	ck_assert_uint_eq(rulebook_test_report_passed(rep), passed);
	rulebook_test_report_free(rep);
	rulebook_free(rb);
	rulebook_options_free(opts);
}

START_TEST(test_rulebook_cases)
{
	ck_selftest("examples/data/district-targets.yaml", NULL, 8);
	ck_selftest("examples/data/land-supply.yaml", NULL, 4);
	ck_selftest("examples/data/mujun-scorecard.yaml", NULL, 10);
	ck_selftest("examples/data/linan-industry.yaml", "examples/data/provincial", 7);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 1 + NEXAMPLES) {
		fprintf(stderr,
			"usage: %s MONITOR-TARGETS LAND-SUPPLY-WHATIF MUJUN-CLASSES "
			"EXTEND-DISTRICT\n",
			argv[0]);
		return 2;
	}
	/* Absolute paths: some runs change into the source root first. */
	static char paths[NEXAMPLES][4096];
	char cwd[2048];
	if (!getcwd(cwd, sizeof cwd))
		return 2;
	for (int k = 0; k < NEXAMPLES; k++) {
		const char *a = argv[1 + k];
		snprintf(paths[k], sizeof paths[k], "%s%s%s", a[0] == '/' ? "" : cwd,
			 a[0] == '/' ? "" : "/", a);
		exe[k] = paths[k];
	}
	Suite *s = suite_create("examples-more");
	TCase *tc = tcase_create("monitor-targets");
	tcase_add_test(tc, test_monitor_mid_2022);
	tcase_add_test(tc, test_monitor_end_2023);
	tcase_add_test(tc, test_monitor_defaults);
	tcase_add_test(tc, test_monitor_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("land-supply-whatif");
	tcase_add_test(tc, test_land_supply);
	tcase_add_test(tc, test_land_supply_areas);
	tcase_add_test(tc, test_land_supply_bad_row);
	tcase_add_test(tc, test_land_supply_defaults);
	suite_add_tcase(s, tc);
	tc = tcase_create("mujun-classes");
	tcase_add_test(tc, test_mujun_firm);
	tcase_add_test(tc, test_mujun_population);
	tcase_add_test(tc, test_mujun_veto_and_repeat);
	tcase_add_test(tc, test_mujun_defaults_and_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("extend-district");
	tcase_add_test(tc, test_extend_sources);
	tcase_add_test(tc, test_extend_defaults_and_errors);
	tcase_add_test(tc, test_rulebook_cases);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
