#!/usr/bin/env python3
"""Generate the SYNTHETIC sample data in this folder.

Everything written here is invented: no record describes a real enterprise,
project, parcel or the real figures of 杭州市临安区. The numbers have
realistic magnitudes so that the rulebooks in rules/linan/ and
rules/zhejiang/ have something sensible to evaluate.

Deterministic: a fixed seed and the standard library only. Run from
anywhere; the files are written next to this script:

    python3 examples/data/generate.py

Amounts are Decimal and are written as JSON numbers with their exact
decimal text (the rulebook library reads JSON numbers as decimals).
"""

import json
import os
import random
from decimal import Decimal, ROUND_HALF_EVEN, localcontext

SEED = 20220519
HERE = os.path.dirname(os.path.abspath(__file__))

D = Decimal


# ---------------------------------------------------------------------------
# JSON output with exact decimal text


class Raw(str):
    """Text written into the JSON as it is (a number's decimal text)."""


def num(x, places):
    """A Decimal rounded to `places` decimals, written as a JSON number."""
    q = D(1).scaleb(-places)
    d = D(x).quantize(q, rounding=ROUND_HALF_EVEN)
    text = format(d.normalize(), "f")
    if text == "-0":
        text = "0"
    return Raw(text)


def to_json(value, indent=0):
    pad = "  " * indent
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f'{pad}  {json.dumps(k, ensure_ascii=False)}: {to_json(v, indent + 1)}'
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [pad + "  " + to_json(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def write(name, value):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(to_json(value))
        f.write("\n")


def lognormal(rng, median, spread, lo, hi):
    """A value around `median` (multiplicative spread), clipped to [lo, hi]."""
    x = median * (2.718281828459045 ** rng.gauss(0, spread))
    return min(max(x, lo), hi)


# ---------------------------------------------------------------------------
# The illustrative parameters of the rulebooks, used here only to give the
# synthetic records plausible follow-up fields (a remedy for a 高耗低效 firm,
# its 亩均效益 class). They mirror rules/linan/enterprise.yaml,
# rules/zhejiang/mujun-evaluation.yaml and rules/linan/mujun.yaml; the
# rulebooks stay the reference.

HCLE_ENERGY_INTENSITY_LIMIT = D("0.8")    # tce(等价值)/万元
HCLE_MU_TAX_LIMIT = D("10")               # 万元/亩
ELEC_FACTOR_2023 = D("0.300")             # kgce(等价值)/kWh, illustrative, 2023
MUJUN_MIN_LAND = D(3)                     # 亩, scope of the evaluation
MUJUN_WEIGHTS = {"mu_tax": D(30), "mu_va": D(20), "energy": D(20),
                 "emission": D(10), "lp": D(10), "rd": D(10)}
MUJUN_BENCH = {"mu_tax": D(30), "mu_va": D(150), "energy": D("2.5"),
               "emission": D(5000), "lp": D(30), "rd": D("2.5")}   # rd in %
LINAN_BENCH_MU_TAX = D(37)                # rules/linan/mujun.yaml overrides bench_mu_tax
MUJUN_CAP = D(2)
MUJUN_CUTS = [(D(110), "A"), (D(80), "B"), (D(60), "C")]

# Veto events and the class-D history of the 亩均 records come from their own
# random stream, so that adding them left every other field unchanged.
HISTORY_SEED = SEED + 1


def mujun_class(e, bench_mu_tax=MUJUN_BENCH["mu_tax"]):
    """Class of scorecard `mujun` (same steps as the rulebooks): None when the
    record is not rated or its class is unknown. Arithmetic as the library's:
    each division and product rounded to 18 significant digits, half even."""
    def val(k):
        x = e.get(k)
        return None if x is None else D(str(x))

    with localcontext() as ctx:
        ctx.prec = 18
        ctx.rounding = ROUND_HALF_EVEN
        above, land = e.get("above_scale"), val("land_area")
        if above is not True or land is None or land < MUJUN_MIN_LAND:
            return None                     # not rated, or scope unknown
        vetoes = [e.get("major_safety_accident"), e.get("major_environmental_violation")]
        if True in vetoes:
            return "D"
        if None in vetoes:
            return None
        v = {k: val(k) for k in ["tax", "value_added", "energy_use", "pollutant_emission",
                                 "employees", "rd_expense", "revenue"]}
        if any(v[k] is None for k in ["tax", "value_added", "energy_use",
                                      "pollutant_emission", "employees"]):
            return None                     # missing: unknown

        def points(w, ratio):
            return w * min(max(ratio, D(0)), MUJUN_CAP)

        W, B = MUJUN_WEIGHTS, MUJUN_BENCH
        s = points(W["mu_tax"], (v["tax"] / land) / bench_mu_tax)
        s += points(W["mu_va"], (v["value_added"] / land) / B["mu_va"])
        va_energy = v["value_added"] / v["energy_use"] if v["energy_use"] > 0 \
            else B["energy"] * MUJUN_CAP
        s += points(W["energy"], va_energy / B["energy"])
        va_emission = v["value_added"] / v["pollutant_emission"] if v["pollutant_emission"] > 0 \
            else B["emission"] * MUJUN_CAP
        s += points(W["emission"], va_emission / B["emission"])
        s += points(W["lp"], (v["value_added"] / v["employees"]) / B["lp"])
        if v["rd_expense"] is not None and v["revenue"] is not None:
            s += points(W["rd"], (v["rd_expense"] / v["revenue"] * 100) / B["rd"])
        # missing: zero for R&D
        for cut, cls in MUJUN_CUTS:
            if s >= cut:
                return cls
        return "D"


# ---------------------------------------------------------------------------
# Enterprises

SECTORS = ["电线电缆", "复合装饰材料", "光电", "装备制造", "新材料", "生命健康",
           "微电子（精密仪器）", "食品", "纺织", "化工", "竹木制品", "汽车零部件"]

# Inputs of rules/linan/enterprise.yaml, in the order written.
LINAN_KEYS = ["above_scale", "is_manufacturing", "land_area", "tax", "value_added", "revenue",
              "rd_expense", "employees", "energy_use", "energy_other", "electricity_use",
              "energy_intensity_base", "water_use", "gas_use", "has_violation",
              "rectification_deadline", "rectified", "remedy_path", "digitally_transformed",
              "mujun_class", "differential_pricing_applied", "land_use_tax_relief"]
# Inputs of rules/zhejiang/mujun-evaluation.yaml (and rules/linan/mujun.yaml),
# besides the veto events and the class-D history added below.
MUJUN_KEYS = ["above_scale", "land_area", "tax", "value_added", "employees", "energy_use",
              "pollutant_emission", "rd_expense", "revenue"]
# Fields that may be left out to make some records incomplete.
OPTIONAL_GAPS = ["tax", "value_added", "revenue", "rd_expense", "employees", "energy_use",
                 "energy_intensity_base", "digitally_transformed", "pollutant_emission"]


def crafted_enterprises():
    """Records exactly at the thresholds of the plan and of the screens."""
    base = {"above_scale": True, "is_manufacturing": True, "water_use": num(42000, 0),
            "gas_use": num(60000, 0), "has_violation": False, "digitally_transformed": True,
            "land_use_tax_relief": False}
    recs = [
        # tax 1158.1 万元 on 31.3 亩 = 37 万元/亩 exactly (T1)
        ("exactly 37 万元/亩 tax per mu (T1)",
         {"land_area": num("31.3", 1), "tax": num("1158.1", 1), "value_added": num(6260, 0),
          "revenue": num(31300, 0), "rd_expense": num(800, 0), "employees": num(170, 0),
          "energy_use": num(1565, 0), "energy_intensity_base": num("0.3", 2),
          "electricity_use": num(300, 0), "pollutant_emission": num("1.2", 2)}),
        # value added 180 万元/亩 exactly, labour productivity 33 exactly (T2, T3)
        ("exactly 180 万元/亩 value added and 33 万元/(人·年) (T2, T3)",
         {"land_area": num(33, 1), "tax": num(1221, 1), "value_added": num(5940, 0),
          "revenue": num(28000, 0), "rd_expense": num(700, 0), "employees": num(180, 0),
          "energy_use": num(1782, 0), "energy_intensity_base": num("0.35", 2),
          "electricity_use": num(330, 0), "pollutant_emission": num("0.9", 2)}),
        # R&D exactly 2.3 % of revenue: not 突破 (T10 fails)
        ("R&D exactly 2.3 % of revenue (T10: not above)",
         {"land_area": num(48, 1), "tax": num(1920, 1), "value_added": num(9600, 0),
          "revenue": num(40000, 0), "rd_expense": num(920, 0), "employees": num(240, 0),
          "energy_use": num(2880, 0), "energy_intensity_base": num("0.4", 2),
          "electricity_use": num(520, 0), "pollutant_emission": num("2.4", 2)}),
        # energy intensity exactly 10 % below its 2020 level (T12)
        ("energy intensity exactly 10 % below 2020 (T12)",
         {"land_area": num(25, 1), "tax": num(1000, 1), "value_added": num(5000, 0),
          "revenue": num(22000, 0), "rd_expense": num(600, 0), "employees": num(140, 0),
          "energy_use": num(2250, 0), "energy_intensity_base": num("0.5", 2),
          "electricity_use": num(420, 0), "pollutant_emission": num("1.5", 2)}),
        # 高耗低效 screen: intensity exactly at the illustrative limit 0.8 → not HCLE
        ("energy intensity exactly at the illustrative 高耗低效 limit 0.8",
         {"land_area": num(20, 1), "tax": num(100, 1), "value_added": num(1000, 0),
          "revenue": num(6000, 0), "rd_expense": num(30, 0), "employees": num(60, 0),
          "energy_use": num(800, 0), "energy_intensity_base": num("0.85", 2),
          "electricity_use": num(150, 0), "pollutant_emission": num("0.8", 2)}),
        # 高耗低效 screen: tax per mu exactly at the illustrative limit 10 → not HCLE
        ("tax per mu exactly at the illustrative 高耗低效 limit 10",
         {"land_area": num(20, 1), "tax": num(200, 1), "value_added": num(1000, 0),
          "revenue": num(6500, 0), "rd_expense": num(40, 0), "employees": num(55, 0),
          "energy_use": num(1000, 0), "energy_intensity_base": num("1.05", 2),
          "electricity_use": num(160, 0), "pollutant_emission": num("1.1", 2)}),
        # a clear 高耗低效 firm with violations past the rectification deadline
        ("高耗低效 with violations, deadline passed",
         {"land_area": num(60, 1), "tax": num(300, 1), "value_added": num(2400, 0),
          "revenue": num(15000, 0), "rd_expense": num(150, 0), "employees": num(120, 0),
          "energy_use": num(3000, 0), "energy_intensity_base": num("1.3", 2),
          "electricity_use": num(800, 0), "pollutant_emission": num("3.6", 2),
          "water_use": num(30000, 0), "gas_use": num(100000, 0), "has_violation": True,
          "rectification_deadline": "2023-09-30", "rectified": False,
          "digitally_transformed": False, "differential_pricing_applied": False,
          "land_use_tax_relief": True}),
        # a 高耗低效 firm without violations, relocating into a park
        ("高耗低效 without violations, 搬迁入园",
         {"land_area": num(40, 1), "tax": num(200, 1), "value_added": num(1600, 0),
          "revenue": num(9000, 0), "rd_expense": num(60, 0), "employees": num(90, 0),
          "energy_use": num(1600, 0), "energy_intensity_base": num("1.1", 2),
          "electricity_use": num(400, 0), "pollutant_emission": num("2.0", 2),
          "water_use": num(10000, 0), "gas_use": num(20000, 0), "remedy_path": "搬迁入园",
          "differential_pricing_applied": True}),
    ]
    out = []
    for note, fields in recs:
        e = dict(base)
        e.update(fields)
        e["_note"] = note
        out.append(e)
    return out


def random_enterprise(rng):
    e = {}
    above = rng.random() < 0.78
    e["above_scale"] = above
    e["is_manufacturing"] = rng.random() < 0.93
    land = D(str(round(lognormal(rng, 35, 0.9, 5, 300), 1)))
    e["land_area"] = num(land, 1)
    mu_tax = D(str(lognormal(rng, 21 if above else 8, 0.75, 0.8, 180)))
    tax = min(max(land * mu_tax, D(10)), D(20000))
    e["tax"] = num(tax, 1)
    mu_va = D(str(lognormal(rng, 125 if above else 55, 0.6, 15, 900)))
    va = (land * mu_va).quantize(D(1))
    e["value_added"] = num(va, 0)
    revenue = (va * D(str(rng.uniform(2.8, 6.0)))).quantize(D(1))
    e["revenue"] = num(revenue, 0)
    rd_share = D(str(lognormal(rng, 0.021, 0.6, 0.001, 0.08)))
    e["rd_expense"] = num(revenue * rd_share, 1)
    lp = D(str(lognormal(rng, 26, 0.45, 6, 160)))
    employees = max((va / lp).quantize(D(1)), D(8))
    e["employees"] = num(employees, 0)
    intensity = D(str(lognormal(rng, 0.4, 0.8, 0.03, 3.0)))
    energy = (va * intensity).quantize(D(1))
    elec_share = D(str(rng.uniform(0.35, 0.85)))
    # 1 万kWh × 0.300 kgce/kWh = 3 tce(等价值)
    elec_wan_kwh = (energy * elec_share / D(3)).quantize(D("0.1"))
    e["electricity_use"] = num(elec_wan_kwh, 1)
    if rng.random() < 0.05:
        # energy reported in parts: other fuels plus electricity (converted
        # by the rulebook with the dated 等价值 factor)
        other = energy - elec_wan_kwh * D(3)
        e["energy_other"] = num(max(other, D(0)), 1)
        # the total the rulebook computes with the 2023 factor (1 万kWh × 0.300
        # kgce/kWh = 3 tce), carried into enterprises-mujun.json
        e["_energy_use_2023_factor"] = num(max(other, D(0)) + elec_wan_kwh * ELEC_FACTOR_2023 * 10, 1)
    else:
        e["energy_use"] = num(energy, 0)
    base_intensity = intensity * D(str(rng.uniform(0.95, 1.35)))
    e["energy_intensity_base"] = num(base_intensity, 3)
    e["water_use"] = num(employees * D(str(rng.uniform(40, 400))), 0)
    e["gas_use"] = num(energy * D(str(rng.uniform(0, 260))), 0)
    emission_rate = D(str(lognormal(rng, 5000, 0.8, 300, 60000)))
    e["pollutant_emission"] = num(0 if rng.random() < 0.06 else va / emission_rate, 2)
    if above:
        e["digitally_transformed"] = rng.random() < 0.82
    e["land_use_tax_relief"] = rng.random() < 0.35

    # follow-up fields for a firm the illustrative screen marks 高耗低效
    hcle = (energy / va > HCLE_ENERGY_INTENSITY_LIMIT) and (tax / land < HCLE_MU_TAX_LIMIT)
    e["has_violation"] = hcle and rng.random() < 0.3
    if hcle and e["has_violation"]:
        e["rectification_deadline"] = rng.choice(["2023-03-31", "2023-06-30", "2023-09-30",
                                                  "2023-12-31", "2024-03-31"])
        e["rectified"] = rng.random() < 0.5
    elif hcle:
        e["remedy_path"] = rng.choice(["改造提升", "改造提升", "兼并重组", "搬迁入园", "整体腾退",
                                       "未确定"])
    if hcle:
        e["differential_pricing_applied"] = rng.random() < 0.8
    return e


def enterprises(rng):
    recs = crafted_enterprises()
    while len(recs) < 210:
        recs.append(random_enterprise(rng))
    # a few % of fields missing: left out or given as null
    for e in recs[len(crafted_enterprises()):]:
        for k in OPTIONAL_GAPS:
            if k in e and rng.random() < 0.012:
                if rng.random() < 0.5:
                    del e[k]
                else:
                    e[k] = None
    linan, mujun = [], []
    hist = random.Random(HISTORY_SEED)
    ncrafted = len(crafted_enterprises())
    for i, e in enumerate(recs, 1):
        eid = f"E{i:04d}"
        m = {"_id": eid}
        for k in MUJUN_KEYS:
            if k in e:
                m[k] = e[k]
        if "energy_use" not in m and "_energy_use_2023_factor" in e:
            m["energy_use"] = e["_energy_use_2023_factor"]
        # veto events of the evaluation year (一票否决); a few records still
        # await the environment department's figure (null)
        safety = hist.random() < 0.015
        environment = hist.random() < 0.02
        awaiting = hist.random() < 0.01
        crafted = i <= ncrafted
        m["major_safety_accident"] = safety and not crafted
        m["major_environmental_violation"] = None if awaiting and not crafted \
            else environment and not crafted
        # the class used in Lin'an (P7 of enterprise.yaml) is that of
        # rules/linan/mujun.yaml, which takes 37 万元/亩 as the tax benchmark
        cls = mujun_class(m, LINAN_BENCH_MU_TAX)
        # years in class D before the evaluation year: more often for a
        # firm that is D this year
        r = hist.random()
        if crafted:
            d_before = 0
        elif cls == "D":
            d_before = 0 if r < 0.45 else 1 if r < 0.7 else 2 if r < 0.88 else 3
        else:
            d_before = 0 if r < 0.9 else 1
        m["d_years_before"] = d_before
        rec = {"_id": eid, "_name": f"合成企业{i:03d}", "_sector": SECTORS[(i * 7) % len(SECTORS)]}
        if "_note" in e:
            rec["_note"] = e["_note"]
        for k in LINAN_KEYS:
            if k == "mujun_class":
                if cls is not None:
                    rec["mujun_class"] = cls
                continue
            if k in e:
                rec[k] = e[k]
        linan.append(rec)
        mujun.append(m)
    return linan, mujun


# ---------------------------------------------------------------------------
# Projects (inputs of rules/linan/project.yaml)


def projects(rng):
    P = []

    # What a project record states when a provision does not concern it.
    defaults = dict(in_industrial_platform=False, is_new_industrial_land=False,
                    is_two_high=False, new_energy_use=num(0, 0), is_key_chain_project=False,
                    converted_area=num(0, 1), is_capacity_increase=False,
                    uses_freed_quota=False)

    def add(note, parcel=False, **kw):
        rec = {"_id": f"P{len(P) + 1:02d}", "_note": note}
        if not parcel:
            for k, v in defaults.items():
                rec[k] = v
        rec.update(kw)
        P.append(rec)

    add("55 亿元 key-chain project, high energy intensity, exempt from substitution",
        is_manufacturing=True, total_investment=num(55, 2), in_industrial_platform=True,
        land_area=num(420, 1), fixed_asset_investment=num(380000, 0),
        expected_annual_tax=num(21000, 0), expected_annual_output=num(420000, 0),
        is_new_industrial_land=True, is_standard_land=True, is_industrial_land=True,
        has_parcel_file=True, land_approved=True, land_supplied=True, land_in_use=True,
        is_low_efficiency_land=False, is_two_high=False, new_energy_use=num(42000, 0),
        new_value_added=num(70000, 0), is_key_chain_project=True, substitution_secured=num(0, 0),
        responsibility_assigned=True, next_milestone="竣工验收", milestone_deadline="2024-06-30",
        milestone_reached=False, uses_freed_quota=True, project_category="强链补链项目")
    add("12 亿元 key-chain project above the city energy target, exempt",
        is_manufacturing=True, total_investment=num(12, 2), in_industrial_platform=True,
        land_area=num(110, 1), fixed_asset_investment=num(90000, 0),
        expected_annual_tax=num(4200, 0), expected_annual_output=num(88000, 0),
        is_new_industrial_land=True, is_standard_land=True, is_industrial_land=True,
        has_parcel_file=True, land_approved=True, land_supplied=True, land_in_use=False,
        revitalization_mode="企业自行改造", new_energy_use=num(9000, 0),
        new_value_added=num(15000, 0), is_key_chain_project=True, responsibility_assigned=True,
        next_milestone="建设实施", milestone_deadline="2023-10-31", milestone_reached=True)
    add("3.5 亿元 key-chain project, exempt",
        is_manufacturing=True, total_investment=num("3.5", 2), new_energy_use=num(2600, 0),
        new_value_added=num(4000, 0), is_key_chain_project=True, responsibility_assigned=True,
        next_milestone="投产达产", milestone_deadline="2023-12-31", milestone_reached=False)
    add("land-use change: 15 亩 converted, 18 亩 compensating land provided (1:1.2 met exactly)",
        is_manufacturing=False, total_investment=num("2.2", 2), is_industrial_land=True,
        has_parcel_file=True, converted_area=num(15, 1), compensating_land_provided=num(18, 1))
    add("land-use change given in m²: 10000 m² (15 亩) converted, 9000 m² (13.5 亩) provided",
        is_manufacturing=False, total_investment=num("1.6", 2), is_industrial_land=True,
        has_parcel_file=True, converted_area="10000 m²", compensating_land_provided="9000 m²")
    add("两高 project beyond the energy dual-control target, not yet stopped",
        is_manufacturing=True, total_investment=num("6.8", 2), is_two_high=True,
        two_high_assessed=True, exceeds_energy_control=True, exceeds_emission_capacity=False,
        halted=False, new_energy_use=num(18000, 0), new_value_added=num(9000, 0),
        is_key_chain_project=False, substitution_secured=num(12000, 0),
        responsibility_assigned=True, next_milestone="建设实施", milestone_deadline="2023-09-30",
        milestone_reached=False)
    add("两高 project assessed, beyond the emission capacity, stopped",
        is_manufacturing=True, total_investment=num("4.1", 2), is_two_high=True,
        two_high_assessed=True, exceeds_energy_control=False, exceeds_emission_capacity=True,
        halted=True, responsibility_assigned=True, next_milestone="招引落地",
        milestone_deadline="2023-03-31", milestone_reached=True)
    add("两高 project not yet assessed",
        is_manufacturing=True, total_investment=num("2.9", 2), is_two_high=True,
        two_high_assessed=False, exceeds_energy_control=False, exceeds_emission_capacity=False)
    add("new energy-using project, substitution secured exactly (6000 × 1.5 = 9000)",
        is_manufacturing=True, total_investment=num("8.5", 2), new_energy_use=num(6000, 0),
        new_value_added=num(10000, 0), is_key_chain_project=False,
        substitution_secured=num(9000, 0), responsibility_assigned=True,
        next_milestone="竣工验收", milestone_deadline="2023-12-31", milestone_reached=False)
    add("new energy-using project exactly at the illustrative city target (not above it)",
        is_manufacturing=True, total_investment=num("5", 2), new_energy_use=num(5000, 0),
        new_value_added=num(10000, 0), is_key_chain_project=False)
    add("exactly 10 亿元: a major manufacturing project",
        is_manufacturing=True, total_investment=num(10, 2), in_industrial_platform=True,
        land_area=num(100, 1), fixed_asset_investment=num(35000, 0),
        expected_annual_tax=num(3000, 0), expected_annual_output=num(50000, 0),
        is_new_industrial_land=True, is_standard_land=True, responsibility_assigned=True,
        next_milestone="建设实施", milestone_deadline="2024-03-31", milestone_reached=False)
    add("exactly 1 亿元: a 亿元 project",
        is_manufacturing=True, total_investment=num(1, 2), responsibility_assigned=False,
        next_milestone="招引落地", milestone_deadline="2023-05-31", milestone_reached=False)
    add("new industrial land not supplied as 标准地",
        is_manufacturing=True, total_investment=num("1.8", 2), land_area=num(36, 1),
        is_new_industrial_land=True, is_standard_land=False, is_industrial_land=True,
        has_parcel_file=False)
    add("parcel approved but not supplied (批而未供), no revitalisation decided", parcel=True,
        is_industrial_land=True, has_parcel_file=True, land_approved=True, land_supplied=False,
        revitalization_mode="未确定", land_area=num(58, 1))
    add("low-efficiency parcel bought back by the government", parcel=True,
        is_industrial_land=True, has_parcel_file=True, land_approved=True, land_supplied=True,
        land_in_use=True, is_low_efficiency_land=True, revitalization_mode="政府回购收储",
        land_area=num(27.5, 1))
    add("提容增效 on own industrial land, conforming, land use unchanged",
        is_manufacturing=True, total_investment=num("0.6", 2), is_capacity_increase=True,
        on_own_industrial_land=True, conforms_to_plan=True, keeps_land_use=True)
    add("提容增效 that would change the land use",
        is_manufacturing=True, total_investment=num("0.9", 2), is_capacity_increase=True,
        on_own_industrial_land=True, conforms_to_plan=True, keeps_land_use=False)
    add("freed energy quota given to a project of another kind",
        is_manufacturing=False, total_investment=num("2.4", 2), uses_freed_quota=True,
        project_category="其他")

    # the rest: ordinary projects with random figures
    while len(P) < 30:
        inv = D(str(round(lognormal(rng, 3, 1.0, 0.3, 30), 2)))
        land = D(str(round(lognormal(rng, 45, 0.6, 8, 260), 1)))
        intensity = D(str(round(lognormal(rng, 0.4, 0.5, 0.08, 1.6), 3)))
        va = (inv * D(10000) * D(str(rng.uniform(0.25, 0.6)))).quantize(D(1))
        mfg = rng.random() < 0.85
        rec = dict(
            is_manufacturing=mfg, total_investment=num(inv, 2),
            in_industrial_platform=rng.random() < 0.7, land_area=num(land, 1),
            fixed_asset_investment=num(inv * D(10000) * D(str(rng.uniform(0.6, 0.9))), 0),
            expected_annual_tax=num(land * D(str(lognormal(rng, 35, 0.4, 8, 120))), 0),
            expected_annual_output=num(land * D(str(lognormal(rng, 600, 0.4, 150, 2000))), 0),
            is_new_industrial_land=True, is_standard_land=rng.random() < 0.95,
            is_industrial_land=True, has_parcel_file=rng.random() < 0.9,
            land_approved=True, land_supplied=True, land_in_use=rng.random() < 0.7,
            is_low_efficiency_land=False, is_two_high=False,
            new_energy_use=num(va * intensity, 0), new_value_added=num(va, 0),
            is_key_chain_project=rng.random() < 0.15,
            substitution_secured=num(va * intensity * D(str(rng.choice([0, 1, 1.5, 2]))), 0),
            responsibility_assigned=rng.random() < 0.9,
            next_milestone=rng.choice(["建设实施", "竣工验收", "投产达产", "履约监管"]),
            milestone_deadline=rng.choice(["2023-06-30", "2023-09-30", "2023-12-31", "2024-06-30"]),
            milestone_reached=rng.random() < 0.5,
        )
        if not rec["land_in_use"]:
            rec["revitalization_mode"] = rng.choice(["企业自行改造", "市场主体联合开发", "未确定"])
        add("ordinary project (random figures)", **rec)
    return P


# ---------------------------------------------------------------------------
# One year (2023) of land-supply parcels, and the district totals they sum to


def parcels(rng):
    uses = ["工业"] * 17 + ["商服"] * 6 + ["住宅"] * 10 + ["公共管理与公共服务"] * 5 + ["交通运输"] * 2
    rng.shuffle(uses)
    out = []
    months = list(range(1, 13))
    for i, use in enumerate(uses, 1):
        if use == "工业":
            area = D(str(round(lognormal(rng, 38, 0.5, 8, 140), 1)))
        elif use == "住宅":
            area = D(str(round(lognormal(rng, 45, 0.5, 10, 160), 1)))
        else:
            area = D(str(round(lognormal(rng, 22, 0.6, 4, 90), 1)))
        month = months[(i * 5) % 12]
        day = 1 + (i * 11) % 28
        rec = {"_id": f"L2023-{i:03d}", "supply_date": f"2023-{month:02d}-{day:02d}", "_use": use,
               "land_area": num(area, 1), "is_industrial_land": use == "工业",
               "is_new_industrial_land": use == "工业"}
        if use == "工业":
            rec["is_standard_land"] = True
            rec["has_parcel_file"] = True
        out.append(rec)
    # one new industrial parcel supplied outside the 标准地 mode
    for rec in out:
        if rec["_use"] == "工业":
            rec["is_standard_land"] = False
            rec["_note"] = "new industrial land supplied outside the 标准地 mode"
            break
    out.sort(key=lambda r: r["supply_date"])
    industrial = sum(D(r["land_area"]) for r in out if r["_use"] == "工业")
    total = sum(D(r["land_area"]) for r in out)
    standard = sum(D(r["land_area"]) for r in out if r.get("is_standard_land"))
    totals = {"industrial_land_supplied": num(industrial, 1), "total_land_supplied": num(total, 1),
              "new_industrial_land_supplied": num(industrial, 1),
              "standard_land_supplied": num(standard, 1)}
    return out, totals


# ---------------------------------------------------------------------------
# District figures at two dates (inputs of rules/linan/district.yaml)


def district(totals):
    mid = {
        "_id": "临安区 2022-06-30",
        "_note": "SYNTHETIC. *_year figures are 2022 year to date; *_cum figures run from 2021-01-01.",
        "above_scale_land": num(24600, 1),
        "above_scale_tax": num(432000, 0),
        "above_scale_value_added": num(2150000, 0),
        "above_scale_mfg_value_added": num(1960000, 0),
        "above_scale_mfg_employees": num(118500, 0),
        "above_scale_mfg_revenue": num(8950000, 0),
        "above_scale_mfg_rd": num(206000, 0),
        "mfg_value_added": num(112, 2),
        "gdp": num(338, 2),
        "mfg_investment_2020": num(86.5, 2),
        "mfg_investment_year": num(52.3, 2),
        "industrial_energy_use": num("92.6", 2),
        "industrial_value_added": num(221, 2),
        "energy_intensity_2020": num("0.468", 3),
        "platform_mu_tax_2020": num(31.2, 2),
        "platform_mu_tax_year": num(19.8, 2),
        "new_industrial_land_supplied": num(236.4, 1),
        "standard_land_supplied": num(236.4, 1),
        "clusters_100yi": 3,
        "clusters_100yi_with_iip": 2,
        "mfg_projects_year": 38,
        "yiyuan_mfg_projects_year": 21,
        "mfg_projects_landed_year": 17,
        "above_scale_firms": 652,
        "above_scale_firms_transformed": 518,
        "it_fund_prev_year": num(21800, 0),
        "it_fund_year": num(22600, 0),
        "land_revenue_year": num(486000, 0),
        "earmark_year": num(6200, 0),
        "industrial_land_supplied": num(236.4, 1),
        "total_land_supplied": num(598.7, 1),
        "zhejiang_made_standards_cum": 14,
        "pinzibiao_firms_cum": 16,
        "major_projects_cum": 8,
        "mega_projects_cum": 0,
        "new_above_scale_mfg_firms_cum": 81,
        "gap_filling_results_cum": 2,
        "firms_upgraded_cum": 486,
        "idle_land_vacated_cum": num(2032.6, 1),
        "energy_vacated_cum": num("1.21", 2),
        "carbon_reduced_cum": num("3.48", 2),
        "star4_parks_cum": 0,
        "small_micro_parks_cum": 2,
        "green_factories_cum": 14,
        "key_rd_projects_cum": 17,
        "district_tech_projects_cum": 11,
        "chain_collab_projects_year": 1,
        "incubators_cum": 3,
        "technology_trade_cum": num("5.3", 2),
        "first_sets_year": 2,
        "high_level_talents_cum": 41,
        "leading_teams_cum": 0,
        "national_key_labs_cum": 0,
        "provincial_key_labs_cum": 1,
        "single_champions_year": 0,
        "little_giants_year": 2,
        "hidden_champions_year": 1,
        "specialised_pool": 22,
        "new_high_tech_firms_year": 31,
        "new_tech_smes_year": 88,
        "new_rd_institutions_year": 4,
        "chain_communities_cum": 3,
        "innovation_centers_cum": 0,
        "industry_brains_cum": 1,
        "future_factories_cum": 1,
        "smart_factories_cum": 8,
        "future_factory_pool_cum": 33,
        "strategic_projects_year": 1,
        "fund_projects_year": 1,
        "foreign_investment_cum": num("1.05", 2),
        "yiyuan_projects_year": 19,
        "chain_task_forces": 4,
        "listed_financing_cum": num("23.6", 2),
        "mergers_cum": num("9.4", 2),
        "ipo_reserve_year": 1,
        "international_standards_cum": 1,
        "national_standards_cum": 2,
        "benchmarking_firms_cum": 54,
        "quality_awards_cum": 1,
        "key_upgrade_projects_year": 4,
        "industrial_robots_cum": 82,
        "service_mfg_demos_cum": 1,
        "export_brands_cum": 3,
        "training_year": 260,
    }
    end = {
        "_id": "临安区 2023-12-31",
        "_note": ("SYNTHETIC. *_year figures are for 2023; *_cum figures run from 2021-01-01. "
                  "Land supply totals are the sums of parcels.json."),
        "above_scale_land": num(25100, 1),
        "above_scale_tax": num(948000, 0),
        "above_scale_value_added": num(4610000, 0),
        "above_scale_mfg_value_added": num(4180000, 0),
        "above_scale_mfg_employees": num(121400, 0),
        "above_scale_mfg_revenue": num(19200000, 0),
        "above_scale_mfg_rd": num(451200, 0),
        "mfg_value_added": num(246, 2),
        "gdp": num(722, 2),
        "mfg_investment_2020": num(86.5, 2),
        "mfg_investment_year": num(123.9, 2),
        "industrial_energy_use": num("185.4", 2),
        "industrial_value_added": num(468, 2),
        "energy_intensity_2020": num("0.468", 3),
        "platform_mu_tax_2020": num(31.2, 2),
        "platform_mu_tax_year": num(40.6, 2),
        "clusters_100yi": 3,
        "clusters_100yi_with_iip": 3,
        "mfg_projects_year": 74,
        "yiyuan_mfg_projects_year": 39,
        "mfg_projects_landed_year": 41,
        "above_scale_firms": 671,
        "above_scale_firms_transformed": 671,
        "it_fund_prev_year": num(22600, 0),
        "it_fund_year": num(23400, 0),
        "land_revenue_year": num(912000, 0),
        "earmark_year": num(18240, 0),
        "zhejiang_made_standards_cum": 29,
        "pinzibiao_firms_cum": 31,
        "major_projects_cum": 17,
        "mega_projects_cum": 1,
        "new_above_scale_mfg_firms_cum": 158,
        "gap_filling_results_cum": 5,
        "firms_upgraded_cum": 1046,
        "idle_land_vacated_cum": num(4123.8, 1),
        "energy_vacated_cum": num("2.57", 2),
        "carbon_reduced_cum": num("6.72", 2),
        "star4_parks_cum": 1,
        "small_micro_parks_cum": 4,
        "green_factories_cum": 31,
        "key_rd_projects_cum": 33,
        "district_tech_projects_cum": 22,
        "chain_collab_projects_year": 1,
        "incubators_cum": 6,
        "technology_trade_cum": num("11.8", 2),
        "first_sets_year": 6,
        "high_level_talents_cum": 83,
        "leading_teams_cum": 1,
        "national_key_labs_cum": 0,
        "provincial_key_labs_cum": 1,
        "single_champions_year": 1,
        "little_giants_year": 3,
        "hidden_champions_year": 1,
        "specialised_pool": 26,
        "new_high_tech_firms_year": 74,
        "new_tech_smes_year": 162,
        "new_rd_institutions_year": 11,
        "chain_communities_cum": 5,
        "innovation_centers_cum": 1,
        "industry_brains_cum": 3,
        "future_factories_cum": 3,
        "smart_factories_cum": 17,
        "future_factory_pool_cum": 62,
        "strategic_projects_year": 2,
        "fund_projects_year": 2,
        "foreign_investment_cum": num("2.14", 2),
        "yiyuan_projects_year": 42,
        "chain_task_forces": 4,
        "listed_financing_cum": num("52.7", 2),
        "mergers_cum": num("18.6", 2),
        "ipo_reserve_year": 1,
        "international_standards_cum": 2,
        "national_standards_cum": 5,
        "benchmarking_firms_cum": 108,
        "quality_awards_cum": 3,
        "key_upgrade_projects_year": 9,
        "industrial_robots_cum": 163,
        "service_mfg_demos_cum": 3,
        "export_brands_cum": 6,
        "training_year": 540,
    }
    end.update(totals)
    return mid, end


def main():
    rng = random.Random(SEED)
    linan, mujun = enterprises(rng)
    write("enterprises.json", linan)
    write("enterprises-mujun.json", mujun)
    write("projects.json", projects(rng))
    plist, totals = parcels(rng)
    write("parcels.json", plist)
    write("parcels-totals.json", dict({"_id": "临安区 2023 land supply (sum of parcels.json)"}, **totals))
    mid, end = district(totals)
    write("district-2022-06-30.json", mid)
    write("district-2023-12-31.json", end)


if __name__ == "__main__":
    main()
