"""The enterprise-year workload of bench/enterprise-year.yaml for Python:
generated records as a caller holds them (dicts of str, float, bool, None
when missing) and the same policy written by hand with floats (as
bench/enterprise-year-hand.c has it in C), the reference the benchmark
compares the binding with. workload.js generates the same records (same
generator, same seed)."""
import math

RULEBOOK = "bench/enterprise-year.yaml"
AS_OF = "2023-12-31"
RULES = ("R1.mu_tax", "R2.mu_value_added", "R3.labour_productivity", "R4.rd_share",
         "R5.energy_efficiency", "R6.hcle", "R7.energy_substitution")
NUMBERS = ("land_area", "tax", "value_added", "revenue", "rd_expense", "energy_use",
           "employees", "new_energy_use", "substitution_tce")
# as bench/gen.c: the first two towns are the platform towns, the first
# three industries the high-technology ones
TOWNS = ("青山湖街道", "锦南街道", "锦城街道", "锦北街道", "玲珑街道", "高虹镇", "太湖源镇",
         "於潜镇", "天目山镇", "太阳镇", "潜川镇", "昌化镇", "龙岗镇", "河桥镇", "湍口镇", "清凉峰镇",
         "岛石镇", "板桥镇")
INDUSTRIES = ("计算机、通信和其他电子设备制造业", "医药制造业", "专用设备制造业",
              "通用设备制造业", "电气机械和器材制造业", "金属制品业", "橡胶和塑料制品业", "纺织业",
              "造纸和纸制品业", "非金属矿物制品业")
PLATFORM_TOWNS = frozenset(TOWNS[:2])
HIGH_TECH = frozenset(INDUSTRIES[:3])

_M = 0xFFFFFFFF


def _generator(seed):
    """mulberry32, as workload.js has it."""
    s = seed & _M

    def uni(lo, hi):
        nonlocal s
        s = (s + 0x6D2B79F5) & _M
        t = s
        t = ((t ^ (t >> 15)) * (t | 1)) & _M
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & _M)) & _M
        return lo + ((t ^ (t >> 14)) & _M) % (hi - lo + 1)
    return uni


def generate(n, seed=1):
    """n records from seed: figures drawn as whole hundredths, handed over
    as the nearest float (h / 100); about 3 % missing (None); one record in
    200 built to sit exactly on a threshold."""
    uni = _generator(seed)
    out = []
    for i in range(n):
        L = 30 + uni(0, 2970) * uni(0, 2970) // 2970
        h = {"land_area": L * 10}
        va = uni(2000, 40000) * L // 10
        h["tax"] = uni(200, 8000) * L // 10
        h["value_added"] = va
        h["revenue"] = va * uni(250, 600) // 100
        h["rd_expense"] = h["revenue"] * uni(0, 500) // 10000
        h["energy_use"] = va * uni(5, 150) // 100
        h["employees"] = max(1, va // uni(800, 7000)) * 100
        if uni(0, 99) < 30:
            h["new_energy_use"] = uni(100, 50000)
            h["substitution_tce"] = h["new_energy_use"] * uni(50, 150) // 100
        else:
            h["new_energy_use"] = 0
            h["substitution_tce"] = 0
        key_chain = uni(0, 9) == 0
        town = uni(0, len(TOWNS) - 1)
        industry = uni(0, len(INDUSTRIES) - 1)
        kind = uni(1, 5) if uni(0, 199) == 0 else 0
        if kind == 1:
            h["tax"] = 37 * h["land_area"]
            town = uni(2, len(TOWNS) - 1)
        elif kind == 2:
            h["value_added"] = 180 * h["land_area"]
        elif kind == 3:
            k = uni(1, 5000)
            h["revenue"] = 1000 * k
            h["rd_expense"] = 23 * k
            industry = uni(3, len(INDUSTRIES) - 1)
        elif kind == 4:
            h["energy_use"] = h["value_added"] // 100 * 52
            h["value_added"] = h["value_added"] // 100 * 100
        elif kind == 5:
            h["substitution_tce"] = h["new_energy_use"] = uni(100, 50000)
            h["energy_use"] = h["value_added"] * 9 // 10
            key_chain = False
        rec = {
            "name": None if uni(0, 999) < 30 else f"临安样本企业{i:06d}",
            "industry": None if uni(0, 999) < 30 else INDUSTRIES[industry],
            "town": None if uni(0, 999) < 30 else TOWNS[town],
        }
        for k in NUMBERS:
            rec[k] = None if uni(0, 999) < 30 else h[k] / 100
        rec["is_key_chain_project"] = None if uni(0, 999) < 30 else key_chain
        out.append(rec)
    return out


PASS, FAIL, EXEMPT, UNKNOWN = 1, 2, 4, 5
_nan = math.nan


def _cmp3(ok, a, b):
    return 2 if a != a or b != b else 1 if ok else 0


def hand_evaluate(records):
    """The policy by hand, the loop a programmer would write: a list of
    (verdicts tuple, class, score) -- class 0..3 for A..D, -1 unknown, -2
    not rated; score NaN when none."""
    out = []
    append = out.append
    for r in records:
        g = r.get
        land = g("land_area")
        land = _nan if land is None else land
        va = g("value_added")
        va = _nan if va is None else va
        tax = g("tax")
        emp = g("employees")
        rd = g("rd_expense")
        rev = g("revenue")
        energy = g("energy_use")
        energy = _nan if energy is None else energy
        try:
            mu_tax = _nan if tax is None else tax / land
        except ZeroDivisionError:
            mu_tax = _nan
        mu_va = va / land
        lp = _nan if emp is None else va / emp
        rd_share = _nan if rd is None or rev is None else rd / rev
        ei = energy / va
        va_per_tce = va / energy
        town = g("town")
        tax_min = _nan if town is None else 45 if town in PLATFORM_TOWNS else 37
        industry = g("industry")
        rd_min = _nan if industry is None else 0.03 if industry in HIGH_TECH else 0.023
        if ei != ei:
            hcle = 2
        elif ei > 0.8:
            hcle = 2 if mu_tax != mu_tax else 1 if mu_tax < 10 else 0
        else:
            hcle = 0
        v1 = 5 if mu_tax != mu_tax or tax_min != tax_min else 1 if mu_tax >= tax_min else 2
        v2 = 5 if mu_va != mu_va else 1 if mu_va >= 180 else 2
        v3 = 5 if lp != lp else 1 if lp >= 33 else 2
        v4 = 5 if rd_share != rd_share or rd_min != rd_min else 1 if rd_share > rd_min else 2
        v5 = 5 if ei != ei else 1 if ei <= 0.52 else 2
        v6 = 5 if hcle == 2 else 2 if hcle else 1
        # the exception is tried first; a failure it might have excused is unknown
        kc = g("is_key_chain_project")
        ne = g("new_energy_use")
        ne = _nan if ne is None else ne
        a = 2 if ne != ne else 1 if ne > 0 else 0
        b = 2 if ei != ei else 1 if ei > 0.52 else 0
        c7 = 0 if a == 0 or b == 0 else 1 if a == 1 and b == 1 else 2
        if c7 == 2:
            req = 2
        elif c7:
            st = g("substitution_tce")
            req = 2 if st is None else 1 if st >= ne * 1 else 0
        else:
            req = 1
        if kc is True:
            v7 = EXEMPT
        elif req == 0 and kc is None:
            v7 = UNKNOWN
        else:
            v7 = 5 if req == 2 else 1 if req else 2
        # scorecard: five capped components (R&D counts zero when missing),
        # scope, veto, cut-offs
        rdc = min(rd_share / 0.03, 2)
        score = (30 * min(mu_tax / 30, 1.5) + 20 * min(mu_va / 150, 1.5) +
                 20 * min(lp / 30, 1.5) + 15 * (0 if rdc != rdc else rdc) +
                 15 * min(va_per_tce / 2, 1.5))
        if land != land:
            cls = -1
        elif land < 5:
            cls = -2
            score = _nan
        elif hcle == 1:
            cls = 3
        elif hcle == 2 or score != score:
            cls = -1
        else:
            cls = 0 if score >= 90 else 1 if score >= 70 else 2 if score >= 50 else 3
        append(((v1, v2, v3, v4, v5, v6, v7), cls, score))
    return out
