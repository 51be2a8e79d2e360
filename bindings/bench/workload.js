'use strict';
// The enterprise-year workload of bindings/bench/enterprise_year.yaml for
// Node: generated records as a caller holds them (plain objects: text,
// numbers, booleans, null when missing) and the same policy written by hand
// with doubles, the reference the benchmark compares the binding with.
// workload.py generates the same records (same generator, same seed).

const RULEBOOK = 'bindings/bench/enterprise_year.yaml';
const AS_OF = '2023-12-31';
const RULES = ['R1.mu_tax', 'R2.mu_value_added', 'R3.labour_productivity', 'R4.rd_share',
  'R5.energy_efficiency', 'R6.hcle', 'R7.energy_substitution'];
const NUMBERS = ['land_area', 'tax', 'value_added', 'revenue', 'rd_expense', 'energy_use',
  'employees', 'new_energy_use', 'substitution_tce'];
const TOWNS = ['锦城街道', '锦北街道', '锦南街道', '玲珑街道', '青山湖街道', '高虹镇', '太湖源镇',
  '於潜镇', '天目山镇', '太阳镇', '潜川镇', '昌化镇', '龙岗镇', '河桥镇', '湍口镇', '清凉峰镇',
  '岛石镇', '板桥镇'];
const INDUSTRIES = ['通用设备制造业', '电气机械和器材制造业', '金属制品业', '化学原料和化学制品制造业',
  '橡胶和塑料制品业', '计算机、通信和其他电子设备制造业', '纺织业', '非金属矿物制品业'];
const WORDS = ['青山', '天目', '锦江', '太湖', '昌化', '东方', '华立', '万向', '恒达', '振宇'];

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
 * missing (null). One record in 200 is built to sit exactly on a threshold.
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
    switch (uni(0, 199) === 0 ? uni(1, 5) : 0) {
      case 1: h.tax = 37 * h.land_area; break; // mu_tax = 37
      case 2: h.value_added = 180 * h.land_area; break; // mu_value_added = 180
      case 3: { const k = uni(1, 5000); h.revenue = 1000 * k; h.rd_expense = 23 * k; break; } // 2.3 %
      case 4: h.energy_use = Math.floor(h.value_added / 100) * 52; // 0.52
        h.value_added = Math.floor(h.value_added / 100) * 100; break;
      case 5: h.substitution_tce = h.new_energy_use = uni(100, 50000); // substitution = new energy
        h.energy_use = Math.floor(h.value_added * 9 / 10); keyChain = false; break;
      default: break;
    }
    const rec = {
      name: `临安${WORDS[uni(0, WORDS.length - 1)]}${i}有限公司`,
      industry: INDUSTRIES[uni(0, INDUSTRIES.length - 1)],
      town: TOWNS[uni(0, TOWNS.length - 1)],
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
    const o = i * 7;
    verdicts[o] = verdict(ge(muTax, 37));
    verdicts[o + 1] = verdict(ge(muVa, 180));
    verdicts[o + 2] = verdict(ge(lp, 33));
    verdicts[o + 3] = verdict(gt(rdShare, 0.023));
    verdicts[o + 4] = verdict(le(ei, 0.52));
    const c6 = gt(ei, 0.8);
    verdicts[o + 5] = c6 === 2 ? UNKNOWN : c6 ? verdict(ge(muTax, 10)) : PASS;
    if (kc === 1) {
      verdicts[o + 6] = EXEMPT;
    } else {
      const newEnergy = num(r.new_energy_use);
      const c7 = and3(gt(newEnergy, 0), gt(ei, 0.52));
      const req = c7 === 2 ? 2 : c7 ? ge(num(r.substitution_tce), newEnergy * 1) : 1;
      verdicts[o + 6] = req === 0 && kc < 0 ? UNKNOWN : verdict(req);
    }
    const hcle = and3(gt(ei, 0.8), lt(muTax, 10));
    const scope = ge(land, 5);
    let cls;
    let score = NaN;
    if (scope === 2) cls = -1;
    else if (!scope) cls = -2;
    else {
      const rd = cap(rdShare / 0.03, 2);
      score = 30 * cap(muTax / 30, 1.5) + 20 * cap(muVa / 150, 1.5) + 20 * cap(lp / 30, 1.5)
        + 15 * (rd !== rd ? 0 : rd) + 15 * cap(vaPerTce / 2, 1.5);
      if (hcle === 1) cls = 3;
      else if (hcle === 2 || score !== score) cls = -1;
      else cls = score >= 90 ? 0 : score >= 70 ? 1 : score >= 50 ? 2 : 3;
    }
    classes[i] = cls;
    scores[i] = score;
  }
}

module.exports = { RULEBOOK, AS_OF, RULES, NUMBERS, generate, handEvaluate };
