/* Synthetic enterprises: plausible ranges for a county's industrial firms
 * (3–300 亩, tens to tens of thousands of 万元), drawn from a fixed-seed
 * xorshift64* generator so every run sees the same records. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

const char *const gen_field_names[G_NFIELDS] = {
	"land_area", "tax", "value_added", "revenue", "rd_expense", "energy_use", "employees",
	"new_energy_use", "substitution_tce", "is_key_chain_project",
};

const char *const gen_kind_names[K_NKINDS] = {
	"random", "mu_tax = 37", "mu_value_added = 180", "labour_productivity = 33",
	"rd_share = 2.3 %", "energy_intensity = 0.52", "substitution = new energy",
	"score = 90", "hcle limits (0.8, 10)", "score = 70", "score = 50", "land_area = 5",
};

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * UINT64_C(2685821657736338717);
}

/* Uniform in [lo, hi]. */
static int64_t uni(rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)((next(r) >> 11) % (uint64_t)(hi - lo + 1));
}

static void random_record(rng *r, gen_rec *g)
{
	/* land in tenths of a 亩, 3.0 to 300.0, more small plots than large */
	int64_t a = uni(r, 0, 2970), b = uni(r, 0, 2970);
	int64_t L = 30 + a * b / 2970;
	int64_t land = L * 10;
	int64_t mu_tax = uni(r, 200, 8000);    /* hundredths of 万元/亩 */
	int64_t mu_va = uni(r, 2000, 40000);
	int64_t va = mu_va * L / 10;
	int64_t lp = uni(r, 800, 7000);        /* hundredths of 万元/人 */
	int64_t emp = va / lp;
	g->v[G_LAND] = land;
	g->v[G_TAX] = mu_tax * L / 10;
	g->v[G_VA] = va;
	g->v[G_REV] = va * uni(r, 250, 600) / 100;
	g->v[G_RD] = g->v[G_REV] * uni(r, 0, 500) / 10000;
	g->v[G_ENERGY] = va * uni(r, 5, 150) / 100;
	g->v[G_EMP] = (emp < 1 ? 1 : emp) * 100;
	if (uni(r, 0, 99) < 30) {
		g->v[G_NEW_ENERGY] = uni(r, 100, 50000);
		g->v[G_SUBST] = g->v[G_NEW_ENERGY] * uni(r, 50, 150) / 100;
	} else {
		g->v[G_NEW_ENERGY] = 0;
		g->v[G_SUBST] = 0;
	}
	g->key_chain = uni(r, 0, 9) == 0;
	g->missing = 0;
	for (int f = 0; f < G_NFIELDS; f++)
		if (uni(r, 0, 999) < 30)
			g->missing |= (uint16_t)(1u << f);
	g->kind = K_RANDOM;
}

static void boundary(rng *r, gen_rec *g, int kind)
{
	int64_t L = uni(r, 50, 3000), V, k;
	g->kind = (uint8_t)kind;
	switch (kind) {
	case K_MU_TAX:
		g->v[G_TAX] = 37 * g->v[G_LAND];
		g->missing &= (uint16_t)~(1u << G_TAX | 1u << G_LAND);
		break;
	case K_MU_VA:
		g->v[G_VA] = 180 * g->v[G_LAND];
		g->missing &= (uint16_t)~(1u << G_VA | 1u << G_LAND);
		break;
	case K_LP:
		k = uni(r, 1, 500);
		g->v[G_EMP] = 100 * k;
		g->v[G_VA] = 3300 * k;
		g->missing &= (uint16_t)~(1u << G_VA | 1u << G_EMP);
		break;
	case K_RD:
		k = uni(r, 1, 5000);
		g->v[G_REV] = 1000 * k;
		g->v[G_RD] = 23 * k;
		g->missing &= (uint16_t)~(1u << G_REV | 1u << G_RD);
		break;
	case K_EI:
		V = uni(r, 10, 50000);
		g->v[G_VA] = 100 * V;
		g->v[G_ENERGY] = 52 * V;
		g->missing &= (uint16_t)~(1u << G_VA | 1u << G_ENERGY);
		break;
	case K_SUBST:
		g->v[G_NEW_ENERGY] = uni(r, 100, 50000);
		g->v[G_SUBST] = g->v[G_NEW_ENERGY];
		g->v[G_ENERGY] = g->v[G_VA] * 9 / 10;
		g->key_chain = 0;
		g->missing = 0;
		break;
	case K_HCLE:
		V = uni(r, 10, 50000);
		g->v[G_TAX] = 10 * g->v[G_LAND];
		g->v[G_VA] = 100 * V;
		g->v[G_ENERGY] = 80 * V;
		g->missing = 0;
		break;
	case K_SCORE90:
	case K_SCORE70:
	case K_SCORE50:
		/* tax/land, va/land, va/employees and va/energy chosen so the
		 * weighted, capped points add up to exactly the cut-off */
		if (kind == K_SCORE90) {
			g->v[G_TAX] = 450 * L;
			g->v[G_VA] = 1500 * L;
			g->v[G_EMP] = 100 * L;
			g->v[G_ENERGY] = 750 * L;
		} else if (kind == K_SCORE70) {
			L -= L % 4;
			g->v[G_TAX] = 300 * L;
			g->v[G_VA] = 1125 * L;
			g->v[G_EMP] = 75 * L;
			g->v[G_ENERGY] = 1125 * L / 2;
		} else {
			L -= L % 2;
			g->v[G_TAX] = 150 * L;
			g->v[G_VA] = 750 * L;
			g->v[G_EMP] = 50 * L;
			g->v[G_ENERGY] = 375 * L;
		}
		g->v[G_LAND] = 10 * L;
		g->v[G_RD] = 0;
		g->v[G_REV] = 4 * g->v[G_VA];
		g->v[G_NEW_ENERGY] = 0;
		g->v[G_SUBST] = 0;
		g->missing = 0;
		break;
	case K_SCOPE:
		g->v[G_LAND] = 500;
		g->missing &= (uint16_t)~(1u << G_LAND);
		break;
	}
}

void gen_records(gen_rec *out, size_t n, uint64_t seed)
{
	rng r = {seed ? seed : 1};
	for (size_t i = 0; i < n; i++) {
		random_record(&r, &out[i]);
		if (uni(&r, 0, 249) == 0)
			boundary(&r, &out[i], (int)uni(&r, 1, K_NKINDS - 1));
	}
}

size_t gen_format(int64_t h, char *buf)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u = h < 0 ? (uint64_t)0 - (uint64_t)h : (uint64_t)h;
	uint64_t ip = u / 100, fp = u % 100;
	if (h < 0)
		buf[len++] = '-';
	do {
		tmp[n++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (n)
		buf[len++] = tmp[--n];
	if (fp) {
		buf[len++] = '.';
		buf[len++] = (char)('0' + fp / 10);
		if (fp % 10)
			buf[len++] = (char)('0' + fp % 10);
	}
	buf[len] = '\0';
	return len;
}

const char *const gen_towns[GEN_TOWNS] = {
	"青山湖街道", "锦南街道", "锦城街道", "锦北街道", "玲珑街道", "高虹镇",
	"太湖源镇", "於潜镇", "天目山镇", "太阳镇", "潜川镇", "昌化镇",
	"龙岗镇", "河桥镇", "湍口镇", "清凉峰镇", "岛石镇", "板桥镇",
};

const char *const gen_industries[GEN_INDUSTRIES] = {
	"计算机、通信和其他电子设备制造业", "医药制造业", "专用设备制造业",
	"通用设备制造业", "电气机械和器材制造业", "金属制品业", "橡胶和塑料制品业",
	"纺织业", "造纸和纸制品业", "非金属矿物制品业",
};

void gen_labels(const gen_rec *records, gen_label *out, size_t n, uint64_t seed)
{
	rng r = {(seed ? seed : 1) ^ UINT64_C(0x9e3779b97f4a7c15)};
	for (size_t i = 0; i < n; i++) {
		gen_label *l = &out[i];
		l->town = (uint8_t)uni(&r, 0, GEN_TOWNS - 1);
		l->industry = (uint8_t)uni(&r, 0, GEN_INDUSTRIES - 1);
		l->missing = 0;
		for (int f = 0; f < GL_NFIELDS; f++)
			if (uni(&r, 0, 999) < 30)
				l->missing |= (uint8_t)(1u << f);
		if (records[i].kind == K_MU_TAX) {
			l->town = (uint8_t)uni(&r, GEN_PLATFORM_TOWNS, GEN_TOWNS - 1);
			l->missing &= (uint8_t)~(1u << GL_TOWN);
		} else if (records[i].kind == K_RD) {
			l->industry = (uint8_t)uni(&r, GEN_HIGH_TECH, GEN_INDUSTRIES - 1);
			l->missing &= (uint8_t)~(1u << GL_INDUSTRY);
		}
	}
}

size_t gen_name(size_t i, char *buf)
{
	return (size_t)snprintf(buf, 48, "临安样本企业%06zu", i);
}
