'use strict';
// The enterprise-year workload of bench/enterprise-year.yaml for Node:
// generated records as a caller holds them (plain objects: text, numbers,
// booleans, null when missing) and the same policy written by hand with
// doubles (as bench/enterprise-year-hand.c has it in C), the reference the
// benchmark compares the binding with. workload.py generates the same
// records (same generator, same seed).

const RULEBOOK = 'bench/enterprise-year.yaml';
const AS_OF = '2023-12-31';
const RULES = ['R1.mu_tax', 'R2.mu_value_added', 'R3.labour_productivity', 'R4.rd_share',
  'R5.energy_efficiency', 'R6.hcle', 'R7.energy_substitution'];
const NUMBERS = ['land_area', 'tax', 'value_added', 'revenue', 'rd_expense', 'energy_use',
  'employees', 'new_energy_use', 'substitution_tce'];
// as bench/gen.c: the first two towns are the platform towns, the first
// three industries the high-technology ones
const TOWNS = ['青山湖街道', '锦南街道', '锦城街道', '锦北街道', '玲珑街道', '高虹镇', '太湖源镇',
  '於潜镇', '天目山镇', '太阳镇', '潜川镇', '昌化镇', '龙岗镇', '河桥镇', '湍口镇', '清凉峰镇',
  '岛石镇', '板桥镇'];
const INDUSTRIES = ['计算机、通信和其他电子设备制造业', '医药制造业', '专用设备制造业',
  '通用设备制造业', '电气机械和器材制造业', '金属制品业', '橡胶和塑料制品业', '纺织业',
  '造纸和纸制品业', '非金属矿物制品业'];

/* A 32-bit generator (mulberry32) that Python reproduces bit for bit. */
function generator(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6D2B79F5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (lo, hi) => lo + (next() % (hi - lo + 1));
}

/*
 * n records from seed. Figures are drawn as whole hundredths and handed
 * over as the nearest double (h / 100), as a program reading them from a
 * database or a spreadsheet would hold them; about 3 % of the figures are
 * missing (null), text too. One record in 200 is built to sit exactly on a
 * threshold.
 */
function generate(n, seed = 1) {
  const uni = generator(seed);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const L = 30 + Math.floor(uni(0, 2970) * uni(0, 2970) / 2970); // tenths of a 亩
    const h = {};
    h.land_area = L * 10;
    const va = Math.floor(uni(2000, 40000) * L / 10);
    h.tax = Math.floor(uni(200, 8000) * L / 10);
    h.value_added = va;
    h.revenue = Math.floor(va * uni(250, 600) / 100);
    h.rd_expense = Math.floor(h.revenue * uni(0, 500) / 10000);
    h.energy_use = Math.floor(va * uni(5, 150) / 100);
    h.employees = Math.max(1, Math.floor(va / uni(800, 7000))) * 100;
    if (uni(0, 99) < 30) {
      h.new_energy_use = uni(100, 50000);
      h.substitution_tce = Math.floor(h.new_energy_use * uni(50, 150) / 100);
    } else {
      h.new_energy_use = 0;
      h.substitution_tce = 0;
    }
    let keyChain = uni(0, 9) === 0;
    let town = uni(0, TOWNS.length - 1);
    let industry = uni(0, INDUSTRIES.length - 1);
    switch (uni(0, 199) === 0 ? uni(1, 5) : 0) {
      case 1: h.tax = 37 * h.land_area; town = uni(2, TOWNS.length - 1); break; // mu_tax = 37
      case 2: h.value_added = 180 * h.land_area; break; // mu_value_added = 180
      case 3: { // 2.3 % outside the high-technology industries
        const k = uni(1, 5000);
        h.revenue = 1000 * k;
        h.rd_expense = 23 * k;
        industry = uni(3, INDUSTRIES.length - 1);
        break;
      }
      case 4: h.energy_use = Math.floor(h.value_added / 100) * 52; // 0.52
        h.value_added = Math.floor(h.value_added / 100) * 100; break;
      case 5: h.substitution_tce = h.new_energy_use = uni(100, 50000); // substitution = new energy
        h.energy_use = Math.floor(h.value_added * 9 / 10); keyChain = false; break;
      default: break;
    }
    const rec = {
      name: uni(0, 999) < 30 ? null : `临安样本企业${String(i).padStart(6, '0')}`,
      industry: uni(0, 999) < 30 ? null : INDUSTRIES[industry],
      town: uni(0, 999) < 30 ? null : TOWNS[town],
    };
    for (const k of NUMBERS) rec[k] = uni(0, 999) < 30 ? null : h[k] / 100;
    rec.is_key_chain_project = uni(0, 999) < 30 ? null : keyChain;
    out[i] = rec;
  }
  return out;
}

// rulebook_verdict values
const PASS = 1;
const FAIL = 2;
const EXEMPT = 4;
const UNKNOWN = 5;

/* Three-valued comparisons on doubles: NaN (missing) is unknown (2). */
const ge = (a, b) => (a !== a || b !== b ? 2 : a >= b ? 1 : 0);
const gt = (a, b) => (a !== a || b !== b ? 2 : a > b ? 1 : 0);
const le = (a, b) => (a !== a || b !== b ? 2 : a <= b ? 1 : 0);
const lt = (a, b) => (a !== a || b !== b ? 2 : a < b ? 1 : 0);
const and3 = (a, b) => (a === 0 || b === 0 ? 0 : a === 1 && b === 1 ? 1 : 2);
const verdict = (t) => (t === 2 ? UNKNOWN : t ? PASS : FAIL);
const cap = (x, c) => (x > c ? c : x);
const num = (v) => (v === null || v === undefined ? NaN : v);

/*
 * The policy by hand, the loop a programmer would write: verdicts into
 * verdicts[i * 7 ...], the class into classes[i] (0..3 for A..D, -1
 * unknown, -2 not rated) and the score into scores[i] (NaN when none).
 */
function handEvaluate(records, verdicts, classes, scores) {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const land = num(r.land_area);
    const va = num(r.value_added);
    const muTax = num(r.tax) / land;
    const muVa = va / land;
    const lp = va / num(r.employees);
    const rdShare = num(r.rd_expense) / num(r.revenue);
    const energy = num(r.energy_use);
    const ei = energy / va;
    const vaPerTce = va / energy;
    const kc = r.is_key_chain_project === null || r.is_key_chain_project === undefined ? -1
      : r.is_key_chain_project ? 1 : 0;
    const town = r.town === null || r.town === undefined ? NaN : r.town;
    const industry = r.industry;
    const taxMin = town !== town ? NaN : town === '青山湖街道' || town === '锦南街道' ? 45 : 37;
    const rdMin = industry === null || industry === undefined ? NaN
      : industry === '计算机、通信和其他电子设备制造业' || industry === '医药制造业'
        || industry === '专用设备制造业' ? 0.03 : 0.023;
    const c6 = gt(ei, 0.8);
    const hcle = c6 === 2 ? 2 : c6 ? lt(muTax, 10) : 0;
    const o = i * 7;
    verdicts[o] = verdict(ge(muTax, taxMin));
    verdicts[o + 1] = verdict(ge(muVa, 180));
    verdicts[o + 2] = verdict(ge(lp, 33));
    verdicts[o + 3] = verdict(gt(rdShare, rdMin));
    verdicts[o + 4] = verdict(le(ei, 0.52));
    verdicts[o + 5] = hcle === 2 ? UNKNOWN : hcle ? FAIL : PASS;
    // the exception is tried first; a failure it might have excused is unknown
    const newEnergy = num(r.new_energy_use);
    const c7 = and3(gt(newEnergy, 0), gt(ei, 0.52));
    const req = c7 === 2 ? 2 : c7 ? ge(num(r.substitution_tce), newEnergy * 1) : 1;
    if (kc === 1) verdicts[o + 6] = EXEMPT;
    else if (req === 0 && kc < 0) verdicts[o + 6] = UNKNOWN;
    else verdicts[o + 6] = verdict(req);
    // scorecard: five capped components (R&D counts zero when missing),
    // scope, veto, cut-offs
    const rd = cap(rdShare / 0.03, 2);
    let score = 30 * cap(muTax / 30, 1.5) + 20 * cap(muVa / 150, 1.5) + 20 * cap(lp / 30, 1.5)
      + 15 * (rd !== rd ? 0 : rd) + 15 * cap(vaPerTce / 2, 1.5);
    const scope = ge(land, 5);
    let cls;
    if (scope === 2) cls = -1;
    else if (!scope) {
      cls = -2;
      score = NaN;
    } else if (hcle === 1) cls = 3;
    else if (hcle === 2 || score !== score) cls = -1;
    else cls = score >= 90 ? 0 : score >= 70 ? 1 : score >= 50 ? 2 : 3;
    classes[i] = cls;
    scores[i] = score;
  }
}

module.exports = { RULEBOOK, AS_OF, RULES, NUMBERS, generate, handEvaluate };
