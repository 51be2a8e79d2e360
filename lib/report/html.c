/* The report: one self-contained HTML page (inline CSS and SVG, no script,
 * no network) built from a population and, when given, the JSON results of
 * its records as rulebook_result_json writes them. It renders what the
 * library already decided; it evaluates nothing.
 *
 * Sections: the header (document, rulebook, hash, as-of, data, version,
 * illustrative parameters), scorecards (class chart, class counts,
 * consequences, vetoes, ranking), rules (failures per rule, the 督办清单 by
 * responsible unit, each failure linked to the record's explanation),
 * targets (progress against time progress with a 绿/黄/红 light) and
 * aggregates. Every piece of data is escaped. */
#include "compiled.h"
#include "alloc.h"
#include "buf.h"
#include "columnar.h"
#include "date.h"
#include "decimal.h"
#include "error.h"
#include "json_read.h"
#include "node.h"
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct report {
	rb_buf *b;
	const rulebook *rb;
	rulebook_population *pop;
	bool en;
	rb_dec yellow, red;          /* points behind time progress for the lights */
	const char *yellow_text, *red_text;
	const char *data;            /* the data's name, for the header */
	size_t n;                    /* records */
	const rb_node **rec;         /* per record: its result object, or NULL */
	uint8_t *explained;          /* per record: has an explanation section */
	char label_buf[32];
} report;

/* ---- text ---- */

#define L(rep, zh_text, en_text) ((rep)->en ? (en_text) : (zh_text))

/* HTML text and attribute values: the five special characters become
 * entities, so no data can open an element or leave an attribute. */
static void esc(rb_buf *b, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		const char *ent = NULL;
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		rb_buf_append(b, run, (size_t)(s - run));
		rb_buf_puts(b, ent);
		run = s + 1;
	}
	rb_buf_puts(b, run);
}

static void put(report *r, const char *s)
{
	rb_buf_puts(r->b, s);
}

static void text(report *r, const char *s)
{
	esc(r->b, s);
}

/* A decimal for people: rounded half up to places decimals. Text that is
 * no plain decimal (a gap with its unit, a value too long) is shown as it
 * is. */
static void num(report *r, const char *s, int places)
{
	rb_dec d;
	if (!s) {
		put(r, "—");
		return;
	}
	if (rb_dec_parse(s, strlen(s), &d, NULL) != RB_DEC_OK ||
	    rb_dec_round(d, places, RB_ROUND_HALF_UP, &d) != RB_DEC_OK) {
		text(r, s);
		return;
	}
	char buf[RB_DEC_BUFSIZE];
	rb_dec_format(d, buf, sizeof buf);
	put(r, buf);
}

/* A ratio (0.4986) as a percentage with one decimal ("49.9%"). */
static void pct(report *r, const char *ratio)
{
	rb_dec d;
	if (!ratio || rb_dec_parse(ratio, strlen(ratio), &d, NULL) != RB_DEC_OK ||
	    rb_dec_mul(d, rb_dec_from_int(100), &d) != RB_DEC_OK) {
		num(r, ratio, 4);
		return;
	}
	char buf[RB_DEC_BUFSIZE];
	rb_dec_round(d, 1, RB_ROUND_HALF_UP, &d);
	rb_dec_format(d, buf, sizeof buf);
	put(r, buf);
	put(r, "%");
}

static double to_double(const char *s)
{
	rb_dec d;
	if (!s || rb_dec_parse(s, strlen(s), &d, NULL) != RB_DEC_OK)
		return 0;
	return rb_dec_to_double(d);
}

/* ---- the results JSON, read as a YAML flow document ---- */

static const rb_node *jget(const rb_node *obj, const char *key)
{
	if (!obj || obj->kind != RB_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < obj->count; i++)
		if (strcmp(obj->pairs[i].key->text, key) == 0)
			return obj->pairs[i].value;
	return NULL;
}

/* The text of a string or number; NULL for null, arrays and objects. */
static const char *jtext(const rb_node *n)
{
	if (!n || n->kind != RB_NODE_SCALAR)
		return NULL;
	if (n->style == RB_SCALAR_PLAIN && strcmp(n->text, "null") == 0)
		return NULL;
	return n->text;
}

static const char *jget_text(const rb_node *obj, const char *key)
{
	return jtext(jget(obj, key));
}

static const rb_node *jitem(const rb_node *seq, size_t i)
{
	if (!seq || seq->kind != RB_NODE_SEQ || i >= seq->count)
		return NULL;
	return seq->items[i];
}

static size_t jcount(const rb_node *seq)
{
	return seq && seq->kind == RB_NODE_SEQ ? seq->count : 0;
}

/* The result of rule i (target i, scorecard i) of record rec, or NULL. */
static const rb_node *rec_part(const report *r, size_t rec, const char *part, size_t i)
{
	return r->rec ? jitem(jget(r->rec[rec], part), i) : NULL;
}

/* ---- pieces shared by the sections ---- */

static const char *record_label(report *r, size_t i)
{
	const char *id = rulebook_population_record_id(r->pop, i);
	if (id)
		return id;
	snprintf(r->label_buf, sizeof r->label_buf, "#%zu", i + 1);
	return r->label_buf;
}

/* The record's name, linked to its explanation when it has one. */
static void record_link(report *r, size_t i)
{
	if (r->explained && r->explained[i]) {
		rb_buf_printf(r->b, "<a href=\"#r%zu\">", i + 1);
		text(r, record_label(r, i));
		put(r, "</a>");
	} else {
		text(r, record_label(r, i));
	}
}

static const char *verdict_word(const report *r, rulebook_verdict v)
{
	static const char *const zh[] = {"", "通过", "不通过", "不适用", "豁免", "待补数据",
					 "未生效", "错误"};
	static const char *const en[] = {"", "pass", "fail", "not applicable", "exempt",
					 "unknown", "not in force", "error"};
	if (v < RULEBOOK_PASS || v > RULEBOOK_ERROR)
		return "?";
	return r->en ? en[v] : zh[v];
}

static void verdict_badge(report *r, rulebook_verdict v)
{
	rb_buf_printf(r->b, "<span class=\"v v-%s\">", rulebook_verdict_str(v));
	put(r, verdict_word(r, v));
	put(r, "</span>");
}

static bool param_illustrative(const rulebook *rb, const rb_sym *s)
{
	return s->kind == RB_SYM_PARAM && rb->params[s->index].provenance == RB_PROV_ILLUSTRATIVE;
}

static bool uses_illustrative(const rulebook *rb, const rb_sym *const *deps, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (param_illustrative(rb, deps[i]))
			return true;
	return false;
}

static void illustrative_badge(report *r)
{
	put(r, " <span class=\"illus\" title=\"");
	put(r, L(r, "使用示例参数，非正式依据", "uses illustrative parameters: not an official figure"));
	put(r, "\">");
	put(r, L(r, "示例", "illustrative"));
	put(r, "</span>");
}

static void th_col(report *r, const char *s)
{
	put(r, "<th scope=\"col\">");
	put(r, s);
	put(r, "</th>");
}

/* A column head in both languages; numeric columns are right-aligned. */
typedef struct column {
	const char *zh, *en;
	bool numeric;
} column;

#define NCOLS(cols) (sizeof(cols) / sizeof((cols)[0]))

/* The column heads, from <thead> to the opening <tbody>. */
static void thead(report *r, const column *cols, size_t n)
{
	put(r, "<thead><tr>");
	for (size_t i = 0; i < n; i++) {
		put(r, cols[i].numeric ? "<th scope=\"col\" class=\"n\">" : "<th scope=\"col\">");
		put(r, L(r, cols[i].zh, cols[i].en));
		put(r, "</th>");
	}
	put(r, "</tr></thead>\n<tbody>\n");
}

/* Opens a table with a class (none when NULL), a caption and its heads. */
static void table_open(report *r, const char *cls, const char *caption, const column *cols,
		       size_t n)
{
	put(r, cls ? "<table class=\"" : "<table");
	if (cls) {
		put(r, cls);
		put(r, "\"");
	}
	put(r, "><caption>");
	put(r, caption);
	put(r, "</caption>\n");
	thead(r, cols, n);
}

/* ---- page ---- */

static const char css[] =
	":root{--ink:#1f2937;--mute:#6b7280;--line:#d1d5db;--soft:#f3f4f6;--accent:#1d4ed8;"
	"--green:#15803d;--yellow:#b45309;--red:#b91c1c;--grey:#9ca3af}"
	"*{box-sizing:border-box}"
	"body{margin:0;color:var(--ink);background:#fff;font:14px/1.55 \"Noto Sans CJK SC\","
	"\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",\"WenQuanYi Micro Hei\","
	"\"Helvetica Neue\",Arial,sans-serif}"
	"main{max-width:1040px;margin:0 auto;padding:28px 32px 48px}"
	"h1{font-size:24px;line-height:1.3;margin:4px 0 14px}"
	"h2{font-size:19px;margin:36px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--ink)}"
	"h3{font-size:15px;margin:22px 0 8px}"
	".kicker{margin:0;color:var(--accent);font-weight:600;letter-spacing:.08em}"
	"table.docs{margin:0 0 10px}table.docs th{font-weight:600}"
	"dl.meta{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:6px 18px;margin:0;"
	"padding:12px 14px;background:var(--soft);border:1px solid var(--line);border-radius:6px}"
	"dl.meta div{min-width:0}dl.meta dt{color:var(--mute);font-size:12px}"
	"dl.meta dd{margin:0;overflow-wrap:anywhere}"
	"code{font-family:\"DejaVu Sans Mono\",monospace;font-size:12px}"
	".warn{margin:12px 0;padding:10px 14px;border:2px solid var(--yellow);border-radius:6px;"
	"background:#fffbeb}"
	".warn strong{color:var(--yellow)}"
	".illus{display:inline-block;padding:0 5px;border:1px solid var(--yellow);border-radius:3px;"
	"color:var(--yellow);font-size:11px;font-weight:600;white-space:nowrap}"
	".cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}"
	".card{flex:1 1 130px;padding:10px 12px;border:1px solid var(--line);border-radius:6px}"
	".card b{display:block;font-size:22px;line-height:1.2}.card span{color:var(--mute);font-size:12px}"
	"nav ol{margin:8px 0 0;padding-left:20px;columns:2}"
	"table{width:100%;border-collapse:collapse;margin:8px 0 14px;font-size:13px}"
	"caption{text-align:left;font-weight:600;padding:4px 0;caption-side:top}"
	"th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}"
	"thead th{background:var(--soft);border-bottom:2px solid var(--ink);font-weight:600}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	".v{font-weight:600;white-space:nowrap}.v-fail,.v-error{color:var(--red)}"
	".v-pass{color:var(--green)}.v-unknown{color:var(--yellow)}.v-exempt{color:var(--accent)}"
	".v-not_applicable,.v-not_in_force{color:var(--mute)}"
	".light{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;"
	"vertical-align:-1px;border:1px solid rgba(0,0,0,.25)}"
	".l-green{background:var(--green)}.l-yellow{background:#f59e0b}.l-red{background:var(--red)}"
	".l-none{background:#fff}"
	".chart{display:block;max-width:680px;margin:6px 0 10px}"
	".note{color:var(--mute);font-size:12px}"
	".rec{margin:16px 0;padding:10px 14px;border:1px solid var(--line);border-left:4px solid var(--red);"
	"border-radius:4px}"
	".rec h3{margin:0 0 6px}"
	".ids{font-size:12px;color:var(--mute);overflow-wrap:anywhere}"
	"a{color:var(--accent)}"
	"ul.fails{margin:0;padding-left:16px}.nw{white-space:nowrap}"
	"footer{margin-top:40px;padding-top:10px;border-top:1px solid var(--line);color:var(--mute);"
	"font-size:12px}"
	"@page{size:A4;margin:14mm 12mm}"
	"@media print{body{font-size:10.5pt}main{max-width:none;padding:0}nav{display:none}"
	"a{color:inherit;text-decoration:none}h2{break-after:avoid}h3{break-after:avoid}"
	"thead{display:table-header-group}tr,.card,.rec,svg{break-inside:avoid}"
	"dl.meta,.warn,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	".light,.illus{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static void header(report *r)
{
	const rulebook *rb = r->rb;
	const rb_model *m = rb->model;
	char date[16];
	put(r, "<header>\n<p class=\"kicker\">");
	put(r, L(r, "规则评估报告", "Rulebook evaluation report"));
	put(r, "</p>\n<h1>");
	text(r, rb_i18n_pick(&rb->title, r->en) ? rb_i18n_pick(&rb->title, r->en) : rb->id);
	put(r, "</h1>\n");
#define META(zh, en, body)                                                                      \
	do {                                                                                    \
		put(r, "<div><dt>");                                                            \
		put(r, L(r, zh, en));                                                           \
		put(r, "</dt><dd>");                                                            \
		body;                                                                           \
		put(r, "</dd></div>\n");                                                        \
	} while (0)
	const char *none = L(r, "未注明", "not stated");
	/* The documents the rulebook cites (its own first, then its parents'),
	 * one row each. */
	size_t ndocs = rulebook_document_count(rb);
	static const column docs[] = {{"文件", "Document", false},
				      {"发文机关", "Issuer", false},
				      {"文号", "Number", false},
				      {"发布日期", "Issued", false}};
	table_open(r, "docs", L(r, "依据文件", "Documents"), docs, NCOLS(docs));
	for (size_t d = 0; d < ndocs || d == 0; d++) {
		const char *title = ndocs ? rulebook_document_title(rb, d) : NULL;
		const char *issuer = ndocs ? rulebook_document_issuer(rb, d) : NULL;
		const char *number = ndocs ? rulebook_document_number(rb, d) : NULL;
		int32_t issued = ndocs ? rulebook_document_issued(rb, d) : 0;
		if (!ndocs && m) {
			title = m->source.document;
			issuer = m->source.issuer;
			number = m->source.number;
			issued = m->source.issued;
		}
		put(r, "<tr><th scope=\"row\">");
		text(r, title ? title : none);
		put(r, "</th><td>");
		text(r, issuer ? issuer : none);
		put(r, "</td><td>");
		text(r, number ? number : none);
		put(r, "</td><td>");
		if (issued)
			rb_date_format(issued, date);
		text(r, issued ? date : none);
		put(r, "</td></tr>\n");
		if (!ndocs)
			break;
	}
	put(r, "</tbody></table>\n<dl class=\"meta\">\n");
	META("规则集", "Rulebook", put(r, "<code>"); text(r, rb->id); put(r, "</code>"));
	META("规则集哈希 (SHA-256)", "Rulebook hash (SHA-256)",
	     put(r, "<code>"); text(r, rb->hash); put(r, "</code>"));
	rb_date_format(rb_population_as_of(r->pop), date);
	META("评估基准日", "As of", text(r, date));
	META("数据", "Data", {
		if (r->data) {
			put(r, "<code>");
			text(r, r->data);
			put(r, "</code>, ");
		}
		rb_buf_printf(r->b, "%zu&nbsp;%s", r->n, L(r, "条记录", r->n == 1 ? "record" : "records"));
	});
	META("程序版本", "Library version", put(r, "rulebook "); text(r, rulebook_version()));
#undef META
	put(r, "</dl>\n");
	size_t nill = 0;
	for (uint32_t i = 0; i < rb->nparams; i++)
		nill += rb->params[i].provenance == RB_PROV_ILLUSTRATIVE;
	if (nill) {
		put(r, "<div class=\"warn\" role=\"note\" id=\"illustrative\"><strong>");
		put(r, L(r, "⚠ 含示例参数", "⚠ Illustrative values"));
		put(r, "</strong> ");
		rb_buf_printf(r->b, L(r, "本规则集有 %zu 个示例参数（不是正式文件给出的数值），"
					 "用到它们的结论都标有",
				      "This rulebook has %zu illustrative parameters (values no "
				      "official document states); every conclusion that uses them "
				      "is marked"),
			      nill);
		illustrative_badge(r);
		put(r, L(r, "，仅作示意，不能作为正式评价依据：", ": they are examples, not "
								"official judgments: "));
		size_t k = 0;
		for (uint32_t i = 0; i < rb->nparams; i++) {
			if (rb->params[i].provenance != RB_PROV_ILLUSTRATIVE)
				continue;
			if (k++)
				put(r, L(r, "、", ", "));
			put(r, "<code>");
			text(r, rb->params[i].sym->name);
			put(r, "</code>");
		}
		put(r, L(r, "。", "."));
		put(r, "</div>\n");
	}
}

static void cards_and_nav(report *r)
{
	const rulebook *rb = r->rb;
	uint32_t counts[8];
	rulebook_population_counts(r->pop, counts);
	put(r, "<div class=\"cards\">");
	rb_buf_printf(r->b, "<div class=\"card\"><b>%zu</b><span>%s</span></div>", r->n,
		      L(r, "条记录", "records"));
	if (rb->nrules) {
		rb_buf_printf(r->b, "<div class=\"card\"><b>%u</b><span>%s</span></div>",
			      counts[RULEBOOK_FAIL], L(r, "项不通过（记录×规则）",
						       "failures (record × rule)"));
		rb_buf_printf(r->b, "<div class=\"card\"><b>%u</b><span>%s</span></div>",
			      counts[RULEBOOK_UNKNOWN], L(r, "项待补数据", "unknown for missing data"));
	}
	if (rb->ntargets)
		rb_buf_printf(r->b, "<div class=\"card\"><b>%u</b><span>%s</span></div>",
			      rb->ntargets, L(r, "项目标", "targets"));
	if (rb->naggregates)
		rb_buf_printf(r->b, "<div class=\"card\"><b>%u</b><span>%s</span></div>",
			      rb->naggregates, L(r, "项总量指标", "aggregates"));
	put(r, "</div>\n<nav aria-label=\"");
	put(r, L(r, "目录", "Contents"));
	put(r, "\"><strong>");
	put(r, L(r, "目录", "Contents"));
	put(r, "</strong><ol>");
	if (rb->nscorecards)
		rb_buf_printf(r->b, "<li><a href=\"#scorecards\">%s</a></li>",
			      L(r, "综合评价与分类", "Scorecards and classes"));
	if (rb->ntargets)
		rb_buf_printf(r->b, "<li><a href=\"#targets\">%s</a></li>",
			      L(r, "目标与序时进度", "Targets against time progress"));
	if (rb->nrules) {
		rb_buf_printf(r->b, "<li><a href=\"#rules\">%s</a></li>",
			      L(r, "规则执行情况", "Rules"));
		rb_buf_printf(r->b, "<li><a href=\"#follow-up\">%s</a></li>",
			      L(r, "督办清单（按责任单位）", "Follow-up by responsible unit"));
	}
	if (rb->naggregates)
		rb_buf_printf(r->b, "<li><a href=\"#aggregates\">%s</a></li>",
			      L(r, "总量指标", "Aggregates"));
	if (rb->nrules)
		rb_buf_printf(r->b, "<li><a href=\"#records\">%s</a></li>",
			      L(r, "逐条说明", "Explanations by record"));
	put(r, "</ol></nav>\n</header>\n");
}

/* ---- scorecards ---- */

typedef struct ranked {
	size_t rec;
	rb_dec score;
	bool scored;
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->scored != y->scored)
		return x->scored ? -1 : 1;
	if (x->scored) {
		int c = rb_dec_cmp(y->score, x->score);
		if (c)
			return c;
	}
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static const char *const class_colors[] = {"#15803d", "#2563eb", "#d97706", "#b91c1c",
					   "#7c3aed", "#0f766e"};

static void class_name(report *r, const rb_class *c)
{
	const char *label = rb_i18n_pick(&c->label, r->en);
	text(r, label ? label : c->id);
}

static void scorecard(report *r, uint32_t k)
{
	const rulebook *rb = r->rb;
	const rb_scorecard *sc = &rb->scorecards[k];
	uint32_t nc = sc->nclasses;
	/* classes, then not rated, not in force, unknown */
	size_t *cnt = rb_calloc(nc + 3, sizeof(size_t));
	ranked *rk = rb_calloc(r->n ? r->n : 1, sizeof(ranked));
	if (!cnt || !rk) {
		r->b->failed = true;
		rb_free(cnt);
		rb_free(rk);
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const char *cls = rulebook_population_class(r->pop, i, k);
		size_t slot = nc + 2;
		if (cls && strcmp(cls, "not_rated") == 0)
			slot = nc;
		else if (cls && strcmp(cls, "not_in_force") == 0)
			slot = nc + 1;
		else if (cls)
			for (uint32_t c = 0; c < nc; c++)
				if (strcmp(cls, sc->classes[c].id) == 0)
					slot = c;
		cnt[slot]++;
		rk[i].rec = i;
		const char *s = rulebook_population_score(r->pop, i, k);
		rk[i].scored = s && rb_dec_parse(s, strlen(s), &rk[i].score, NULL) == RB_DEC_OK;
	}
	bool illus = uses_illustrative(rb, sc->deps, sc->ndeps);
	const char *title = rb_i18n_pick(&sc->title, r->en);
	put(r, "<h3 id=\"sc-");
	text(r, sc->id);
	put(r, "\">");
	text(r, title ? title : sc->id);
	put(r, " <code>");
	text(r, sc->id);
	put(r, "</code>");
	if (illus)
		illustrative_badge(r);
	put(r, "</h3>\n");
	if (sc->cite) {
		put(r, "<p class=\"note\">");
		put(r, L(r, "依据：", "Basis: "));
		text(r, sc->cite);
		if (sc->by_rank)
			put(r, L(r, "。类别按得分在全体记录中的排名划分。",
				  ". Classes are decided by rank among all records."));
		put(r, "</p>\n");
	}

	/* The chart: one bar per class, then not rated and unknown. */
	const char *extra[3] = {L(r, "不参评", "not rated"), L(r, "未生效", "not in force"),
				L(r, "待补数据", "unknown")};
	size_t rows = nc + 2 + (cnt[nc + 1] ? 1 : 0), max = 1;
	for (size_t c = 0; c < nc + 3; c++)
		if (cnt[c] > max)
			max = cnt[c];
	unsigned height = (unsigned)(rows * 30 + 12);
	rb_buf_printf(r->b,
		      "<svg class=\"chart\" viewBox=\"0 0 680 %u\" width=\"680\" height=\"%u\" "
		      "role=\"img\" aria-labelledby=\"sc%u-t sc%u-d\" "
		      "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"sc%u-t\">",
		      height, height, k, k, k);
	put(r, L(r, "类别分布：", "Class distribution: "));
	text(r, title ? title : sc->id);
	rb_buf_printf(r->b, "</title>\n<desc id=\"sc%u-d\">", k);
	for (size_t c = 0, row = 0; c < nc + 3; c++) {
		if (c == nc + 1 && !cnt[c])
			continue;
		if (row++)
			put(r, L(r, "；", "; "));
		if (c < nc)
			class_name(r, &sc->classes[c]);
		else
			put(r, extra[c - nc]);
		rb_buf_printf(r->b, " %zu", cnt[c]);
	}
	put(r, "</desc>\n");
	for (size_t c = 0, row = 0; c < nc + 3; c++) {
		if (c == nc + 1 && !cnt[c])
			continue;
		unsigned y = (unsigned)(row * 30 + 8);
		unsigned w = (unsigned)(cnt[c] * 440 / max);
		const char *color = c < nc ? class_colors[c % 6] : c == nc ? "#9ca3af" : "#d1d5db";
		put(r, "<g><text x=\"120\" y=\"");
		rb_buf_printf(r->b, "%u\" text-anchor=\"end\" font-size=\"13\" fill=\"#1f2937\">", y + 16);
		if (c < nc)
			class_name(r, &sc->classes[c]);
		else
			put(r, extra[c - nc]);
		rb_buf_printf(r->b,
			      "</text><rect x=\"130\" y=\"%u\" width=\"%u\" height=\"22\" rx=\"2\" "
			      "fill=\"%s\"/><text x=\"%u\" y=\"%u\" font-size=\"13\" "
			      "fill=\"#1f2937\">%zu",
			      y, w ? w : 1, color, 130 + (w ? w : 1) + 8, y + 16, cnt[c]);
		if (r->n)
			rb_buf_printf(r->b, " (%.1f%%)", 100.0 * (double)cnt[c] / (double)r->n);
		put(r, "</text></g>\n");
		row++;
	}
	put(r, "</svg>\n");

	/* The same figures as a table. */
	static const column classes[] = {{"类别", "Class", false},
					 {"记录数", "Records", true},
					 {"占比", "Share", true}};
	table_open(r, "classes", L(r, "各类别记录数", "Records per class"), classes,
		   NCOLS(classes));
	static const char *const extra_id[3] = {"not_rated", "not_in_force", "unknown"};
	for (size_t c = 0; c < nc + 3; c++) {
		if (c == nc + 1 && !cnt[c])
			continue;
		put(r, "<tr data-scorecard=\"");
		text(r, sc->id);
		put(r, "\" data-class=\"");
		text(r, c < nc ? sc->classes[c].id : extra_id[c - nc]);
		put(r, "\"><th scope=\"row\">");
		if (c < nc)
			class_name(r, &sc->classes[c]);
		else
			put(r, extra[c - nc]);
		rb_buf_printf(r->b, "</th><td class=\"n\" data-count=\"%zu\">%zu</td><td class=\"n\">",
			      cnt[c], cnt[c]);
		if (r->n)
			rb_buf_printf(r->b, "%.1f%%", 100.0 * (double)cnt[c] / (double)r->n);
		put(r, "</td></tr>\n");
	}
	put(r, "</tbody></table>\n");

	/* Consequences of each class, with the values the records got and how
	 * many got them. */
	if (sc->nconsequences) {
		static const column cols[] = {{"类别", "Class", false},
					      {"后果", "Consequence", false},
					      {"数值", "Value", true},
					      {"记录数", "Records", true},
					      {"依据", "Basis", false}};
		table_open(r, "consequences", L(r, "各类别的政策后果", "Consequences per class"),
			   cols, NCOLS(cols));
		for (uint32_t q = 0; q < sc->nconsequences; q++) {
			const rb_consequence *cq = &sc->consequences[q];
			const char *value = NULL, *unit = cq->unit_text;
			/* the value a record of that class got (it may depend on the date),
			 * from the population: classes by rank carry consequences too */
			size_t got = 0;
			for (size_t i = 0; i < rulebook_population_size(r->pop); i++) {
				size_t m = rulebook_population_consequence_count(r->pop, i, k);
				for (size_t j = 0; j < m; j++) {
					if (strcmp(rulebook_population_consequence_name(r->pop, i, k, j),
						   cq->id) != 0)
						continue;
					got++;
					if (!value)
						value = rulebook_population_consequence_value(r->pop, i,
											      k, j);
				}
			}
			put(r, "<tr><th scope=\"row\">");
			class_name(r, &sc->classes[cq->cls]);
			put(r, "</th><td>");
			const char *label = rb_i18n_pick(&cq->label, r->en);
			text(r, label ? label : cq->id);
			put(r, "</td><td class=\"n\">");
			num(r, value, 4);
			if (value && unit && *unit) {
				put(r, " ");
				text(r, unit);
			}
			rb_buf_printf(r->b, "</td><td class=\"n\">%zu</td><td>", got);
			text(r, cq->cite);
			put(r, "</td></tr>\n");
		}
		put(r, "</tbody></table>\n");
	}

	/* Vetoes applied (一票否决). */
	if (sc->nvetoes) {
		static const column cols[] = {{"否决事项", "Veto", false},
					      {"依据", "Basis", false},
					      {"记录数", "Records", true},
					      {"记录", "Records vetoed", false}};
		table_open(r, "vetoes", L(r, "一票否决", "Vetoes applied"), cols, NCOLS(cols));
		for (uint32_t v = 0; v < sc->nvetoes; v++) {
			const rb_veto *vt = &sc->vetoes[v];
			size_t hits = 0;
			for (size_t i = 0; i < r->n; i++) {
				const char *got = jget_text(rec_part(r, i, "scorecards", k), "veto");
				hits += got && strcmp(got, vt->id) == 0;
			}
			put(r, "<tr data-veto=\"");
			text(r, vt->id);
			put(r, "\"><th scope=\"row\">");
			const char *label = rb_i18n_pick(&vt->label, r->en);
			text(r, label ? label : vt->id);
			put(r, "</th><td>");
			text(r, vt->cite);
			put(r, "</td><td class=\"n\">");
			if (r->rec)
				rb_buf_printf(r->b, "%zu", hits);
			else
				put(r, "—");
			put(r, "</td><td class=\"ids\">");
			size_t shown = 0;
			for (size_t i = 0; i < r->n; i++) {
				const char *got = jget_text(rec_part(r, i, "scorecards", k), "veto");
				if (!got || strcmp(got, vt->id) != 0)
					continue;
				if (shown++)
					put(r, " ");
				record_link(r, i);
			}
			put(r, "</td></tr>\n");
		}
		put(r, "</tbody></table>\n");
	}

	/* The ranking. */
	qsort(rk, r->n, sizeof(*rk), ranked_cmp);
	static const column ranking[] = {{"名次", "Rank", true},
					 {"记录", "Record", false},
					 {"得分", "Score", true},
					 {"类别", "Class", false},
					 {"一票否决", "Veto", false}};
	table_open(r, "ranking", L(r, "得分排名", "Ranking by score"), ranking, NCOLS(ranking));
	size_t rank = 0;
	for (size_t j = 0; j < r->n; j++) {
		size_t i = rk[j].rec;
		/* equal scores share a rank */
		if (rk[j].scored && (j == 0 || !rk[j - 1].scored ||
				     rb_dec_cmp(rk[j - 1].score, rk[j].score) != 0))
			rank = j + 1;
		const char *cls = rulebook_population_class(r->pop, i, k);
		put(r, "<tr><td class=\"n\">");
		if (rk[j].scored)
			rb_buf_printf(r->b, "%zu", rank);
		put(r, "</td><th scope=\"row\">");
		record_link(r, i);
		put(r, "</th><td class=\"n\">");
		num(r, rk[j].scored ? rulebook_population_score(r->pop, i, k) : NULL, 2);
		put(r, "</td><td>");
		const rb_class *c = NULL;
		for (uint32_t x = 0; cls && x < nc; x++)
			if (strcmp(cls, sc->classes[x].id) == 0)
				c = &sc->classes[x];
		if (c)
			class_name(r, c);
		else
			put(r, !cls ? extra[2]
			       : strcmp(cls, "not_rated") == 0 ? extra[0] : extra[1]);
		put(r, "</td><td>");
		const char *veto = jget_text(rec_part(r, i, "scorecards", k), "veto");
		for (uint32_t v = 0; veto && v < sc->nvetoes; v++)
			if (strcmp(veto, sc->vetoes[v].id) == 0) {
				const char *label = rb_i18n_pick(&sc->vetoes[v].label, r->en);
				veto = label ? label : veto;
			}
		text(r, veto);
		put(r, "</td></tr>\n");
	}
	put(r, "</tbody></table>\n");
	rb_free(cnt);
	rb_free(rk);
}

static void scorecards(report *r)
{
	put(r, "<section id=\"scorecards\">\n<h2>");
	put(r, L(r, "综合评价与分类", "Scorecards and classes"));
	put(r, "</h2>\n");
	for (uint32_t k = 0; k < r->rb->nscorecards; k++)
		scorecard(r, k);
	put(r, "</section>\n");
}

/* ---- responsible units ---- */

/* The distinct responsible units named by rules, aggregates or targets, in
 * order of first mention. Index n, one past the last, stands for the items
 * that name no unit. */
typedef struct unit_list {
	const char **name;
	size_t n;
} unit_list;

static bool units_new(report *r, unit_list *u, size_t capacity)
{
	u->n = 0;
	u->name = rb_calloc(capacity + 1, sizeof(*u->name));
	if (!u->name)
		r->b->failed = true;
	return u->name != NULL;
}

static void units_add(unit_list *u, const char **names, uint32_t n)
{
	for (uint32_t j = 0; j < n; j++) {
		size_t k = 0;
		while (k < u->n && strcmp(u->name[k], names[j]) != 0)
			k++;
		if (k == u->n)
			u->name[u->n++] = names[j];
	}
}

/* Whether an item naming these units is followed up by unit k. */
static bool units_has(const unit_list *u, size_t k, const char **names, uint32_t n)
{
	if (k == u->n)
		return n == 0;
	for (uint32_t j = 0; j < n; j++)
		if (strcmp(names[j], u->name[k]) == 0)
			return true;
	return false;
}

/* ---- rules ---- */

static const char *severity_word(const report *r, rb_severity s)
{
	static const char *const zh[] = {"", "提示", "一般", "重要", "严重"};
	static const char *const en[] = {"", "info", "minor", "major", "critical"};
	if (s < RB_SEV_INFO || s > RB_SEV_CRITICAL)
		return "";
	return r->en ? en[s] : zh[s];
}

static void rule_title(report *r, uint32_t i)
{
	const rb_rule *ru = &r->rb->rules[i];
	const char *title = rb_i18n_pick(&ru->title, r->en);
	text(r, title ? title : ru->id);
}

/* The rules unit k follows up that record x failed; with print, one list
 * item each with its clause and gap. */
static size_t record_fails(report *r, const unit_list *units, size_t k, size_t x, bool print)
{
	const rulebook *rb = r->rb;
	size_t fails = 0;
	for (uint32_t i = 0; i < rb->nrules; i++) {
		const rb_rule *ru = &rb->rules[i];
		if (!units_has(units, k, ru->responsible, ru->nresponsible) ||
		    rulebook_population_verdict(r->pop, x, i) != RULEBOOK_FAIL)
			continue;
		fails++;
		if (!print)
			continue;
		put(r, "<li>");
		rule_title(r, i);
		put(r, "（");
		text(r, ru->cite);
		put(r, "）");
		if (ru->illustrative)
			illustrative_badge(r);
		const rb_node *gap = jget(rec_part(r, x, "rules", i), "gap");
		if (jget_text(gap, "text")) {
			put(r, L(r, " 差距 ", " gap "));
			put(r, "<strong>");
			text(r, jget_text(gap, "text"));
			put(r, "</strong>");
		}
		put(r, "</li>");
	}
	return fails;
}

/* Whether aggregate a failed and unit k follows it up. */
static bool aggregate_followed(report *r, const unit_list *units, size_t k, uint32_t a)
{
	const rb_aggregate *ag = &r->rb->aggregates[a];
	return units_has(units, k, ag->responsible, ag->nresponsible) &&
	       rulebook_population_aggregate_verdict(r->pop, a) == RULEBOOK_FAIL;
}

static void aggregate_fail_item(report *r, uint32_t a)
{
	const rb_aggregate *ag = &r->rb->aggregates[a];
	const char *title = rb_i18n_pick(&ag->title, r->en);
	put(r, "<li data-follow-aggregate=\"");
	text(r, ag->id);
	put(r, "\"><a href=\"#aggregates\">");
	text(r, title ? title : ag->id);
	put(r, "</a>（");
	text(r, ag->cite);
	put(r, "）");
	const char *gap = rulebook_population_aggregate_value(r->pop, a, RULEBOOK_AGGREGATE_GAP);
	if (gap) {
		put(r, L(r, " 差距 ", " gap "));
		put(r, "<strong>");
		text(r, gap);
		put(r, "</strong>");
	}
	put(r, "</li>");
}

static void rules(report *r)
{
	const rulebook *rb = r->rb;
	put(r, "<section id=\"rules\">\n<h2>");
	put(r, L(r, "规则执行情况", "Rules"));
	put(r, "</h2>\n<table class=\"rules\"><caption>");
	put(r, L(r, "各规则的判定（记录数）", "Verdicts per rule (records)"));
	put(r, "</caption>\n<thead><tr>");
	th_col(r, L(r, "条款", "Clause"));
	th_col(r, L(r, "规则", "Rule"));
	th_col(r, L(r, "重要程度", "Severity"));
	static const rulebook_verdict shown[] = {RULEBOOK_FAIL, RULEBOOK_UNKNOWN, RULEBOOK_EXEMPT,
						 RULEBOOK_PASS, RULEBOOK_NOT_APPLICABLE};
	for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++) {
		put(r, "<th scope=\"col\" class=\"n\">");
		put(r, verdict_word(r, shown[s]));
		put(r, "</th>");
	}
	put(r, "</tr></thead>\n<tbody>\n");
	for (uint32_t i = 0; i < rb->nrules; i++) {
		const rb_rule *ru = &rb->rules[i];
		size_t cnt[8] = {0};
		for (size_t x = 0; x < r->n; x++) {
			rulebook_verdict v = rulebook_population_verdict(r->pop, x, i);
			if (v >= RULEBOOK_PASS && v <= RULEBOOK_ERROR)
				cnt[v]++;
		}
		put(r, "<tr data-rule=\"");
		text(r, ru->id);
		rb_buf_printf(r->b, "\" data-fail=\"%zu\" data-unknown=\"%zu\"><td class=\"nw\">",
			      cnt[RULEBOOK_FAIL], cnt[RULEBOOK_UNKNOWN]);
		text(r, ru->cite);
		put(r, "</td><th scope=\"row\">");
		rule_title(r, i);
		put(r, " <code>");
		text(r, ru->id);
		put(r, "</code>");
		if (ru->illustrative)
			illustrative_badge(r);
		put(r, "</th><td>");
		put(r, severity_word(r, ru->severity));
		put(r, "</td>");
		for (size_t s = 0; s < sizeof shown / sizeof shown[0]; s++) {
			size_t c = cnt[shown[s]];
			rb_buf_printf(r->b, "<td class=\"n\">%s%zu%s</td>",
				      c && shown[s] == RULEBOOK_FAIL ? "<span class=\"v v-fail\">" : "",
				      c, c && shown[s] == RULEBOOK_FAIL ? "</span>" : "");
		}
		put(r, "</tr>\n");
	}
	put(r, "</tbody></table>\n");
	if (!r->rec)
		put(r, L(r, "<p class=\"note\">未提供逐条结果：差距与数值从略。</p>\n",
			 "<p class=\"note\">No per-record results were given: gaps and values are "
			 "left out.</p>\n"));

	/* 督办清单: each unit with the failures it follows up, the failed
	 * aggregates (population-wide) first, then the records. */
	put(r, "<h2 id=\"follow-up\">");
	put(r, L(r, "督办清单（按责任单位）", "Follow-up by responsible unit"));
	put(r, "</h2>\n");
	size_t links = 0;
	for (uint32_t i = 0; i < rb->nrules; i++)
		links += rb->rules[i].nresponsible;
	for (uint32_t a = 0; a < rb->naggregates; a++)
		links += rb->aggregates[a].nresponsible;
	unit_list units;
	if (!units_new(r, &units, links))
		return;
	for (uint32_t i = 0; i < rb->nrules; i++)
		units_add(&units, rb->rules[i].responsible, rb->rules[i].nresponsible);
	for (uint32_t a = 0; a < rb->naggregates; a++)
		units_add(&units, rb->aggregates[a].responsible, rb->aggregates[a].nresponsible);
	bool any = false;
	for (size_t u = 0; u <= units.n; u++) {
		size_t fails = 0, recs = 0, agg_fails = 0;
		for (size_t x = 0; x < r->n; x++) {
			size_t f = record_fails(r, &units, u, x, false);
			fails += f;
			recs += f > 0;
		}
		for (uint32_t a = 0; a < rb->naggregates; a++)
			agg_fails += aggregate_followed(r, &units, u, a);
		if (!fails && !agg_fails)
			continue;
		any = true;
		const char *unit = u < units.n ? units.name[u] : NULL;
		put(r, "<table class=\"follow-up\" data-unit=\"");
		text(r, unit ? unit : "");
		rb_buf_printf(r->b, "\" data-fail=\"%zu\" data-aggregate-fail=\"%zu\"><caption>",
			      fails, agg_fails);
		text(r, unit ? unit : L(r, "未指定责任单位", "No responsible unit named"));
		rb_buf_printf(r->b, L(r, "：%zu 家记录，%zu 项不通过", ": %zu records, %zu failures"),
			      recs, fails);
		if (agg_fails)
			rb_buf_printf(r->b, L(r, "；%zu 项总量指标不通过", "; %zu aggregates failed"),
				      agg_fails);
		put(r, "</caption>\n");
		static const column cols[] = {{"记录", "Record", false},
					      {"不通过", "Failures", true},
					      {"不通过的规则（条款）与差距", "Rules failed (clause) and gap",
					       false}};
		thead(r, cols, NCOLS(cols));
		if (agg_fails) {
			put(r, "<tr class=\"aggregate\"><th scope=\"row\">");
			put(r, L(r, "全体记录（总量指标）", "All records (aggregates)"));
			rb_buf_printf(r->b, "</th><td class=\"n\">%zu</td><td><ul class=\"fails\">",
				      agg_fails);
			for (uint32_t a = 0; a < rb->naggregates; a++)
				if (aggregate_followed(r, &units, u, a))
					aggregate_fail_item(r, a);
			put(r, "</ul></td></tr>\n");
		}
		for (size_t x = 0; x < r->n; x++) {
			size_t f = record_fails(r, &units, u, x, false);
			if (!f)
				continue;
			put(r, "<tr><th scope=\"row\">");
			record_link(r, x);
			rb_buf_printf(r->b, "</th><td class=\"n\">%zu</td><td><ul class=\"fails\">", f);
			record_fails(r, &units, u, x, true);
			put(r, "</ul></td></tr>\n");
		}
		put(r, "</tbody></table>\n");
	}
	if (!any) {
		put(r, "<p>");
		put(r, L(r, "没有不通过的规则，无需督办。", "No rule failed: nothing to follow up."));
		put(r, "</p>\n");
	}
	rb_free(units.name);
	put(r, "</section>\n");
}

/* One record's explanation: every rule that failed, was exempt or could
 * not be decided, with its message, gap, values and citation. */
static void explanation(report *r, size_t x)
{
	const rulebook *rb = r->rb;
	rb_buf_printf(r->b, "<article class=\"rec\" id=\"r%zu\">\n<h3>", x + 1);
	text(r, record_label(r, x));
	put(r, "</h3>\n");
	static const column cols[] = {{"条款", "Clause", false},
				      {"规则", "Rule", false},
				      {"判定", "Verdict", false},
				      {"说明", "Explanation", false}};
	table_open(r, NULL, L(r, "未通过或未能判定的规则", "Rules failed, exempt or undecided"),
		   cols, NCOLS(cols));
	for (uint32_t i = 0; i < rb->nrules; i++) {
		rulebook_verdict v = rulebook_population_verdict(r->pop, x, i);
		if (v != RULEBOOK_FAIL && v != RULEBOOK_EXEMPT && v != RULEBOOK_UNKNOWN &&
		    v != RULEBOOK_ERROR)
			continue;
		const rb_node *rn = rec_part(r, x, "rules", i);
		put(r, "<tr><td>");
		text(r, rb->rules[i].cite);
		put(r, "</td><th scope=\"row\">");
		rule_title(r, i);
		put(r, " <code>");
		text(r, rb->rules[i].id);
		put(r, "</code>");
		if (rb->rules[i].illustrative)
			illustrative_badge(r);
		put(r, "</th><td>");
		verdict_badge(r, v);
		put(r, "</td><td>");
		const char *msg = jget_text(rn, "message");
		if (msg && *msg) {
			text(r, msg);
			put(r, "<br>");
		}
		const rb_node *gap = jget(rn, "gap");
		if (jget_text(gap, "text")) {
			put(r, L(r, "差距：", "Gap: "));
			put(r, "<strong>");
			text(r, jget_text(gap, "text"));
			put(r, "</strong><br>");
		}
		const rb_node *exc = jget(rn, "exception");
		if (jget_text(exc, "id")) {
			put(r, L(r, "豁免情形：", "Exception: "));
			text(r, jget_text(exc, "id"));
			if (jget_text(exc, "cite")) {
				put(r, "（");
				text(r, jget_text(exc, "cite"));
				put(r, "）");
			}
			put(r, "<br>");
		}
		const rb_node *missing = jget(rn, "missing");
		if (jcount(missing)) {
			put(r, L(r, "缺少数据：", "Missing: "));
			for (size_t j = 0; j < jcount(missing); j++) {
				if (j)
					put(r, L(r, "、", ", "));
				put(r, "<code>");
				text(r, jtext(jitem(missing, j)));
				put(r, "</code>");
			}
			put(r, "<br>");
		}
		if (jget_text(rn, "error")) {
			text(r, jget_text(rn, "error"));
			put(r, "<br>");
		}
		const rb_node *values = jget(rn, "values");
		if (values && values->kind == RB_NODE_MAP && values->count) {
			put(r, "<span class=\"note\">");
			for (size_t j = 0; j < values->count; j++) {
				const rb_node *val = values->pairs[j].value;
				if (j)
					put(r, L(r, "；", "; "));
				text(r, values->pairs[j].key->text);
				put(r, " = ");
				num(r, jget_text(val, "value"), 4);
				const char *unit = jget_text(val, "unit");
				if (jget_text(val, "value") && unit && *unit) {
					put(r, " ");
					text(r, unit);
				}
				const char *prov = jget_text(val, "provenance");
				if (prov && strcmp(prov, "illustrative") == 0)
					illustrative_badge(r);
				else if (jget_text(val, "cite")) {
					put(r, "（");
					text(r, jget_text(val, "cite"));
					put(r, "）");
				}
			}
			put(r, "</span>");
		}
		put(r, "</td></tr>\n");
	}
	put(r, "</tbody></table>\n</article>\n");
}

static void explanations(report *r)
{
	put(r, "<section id=\"records\">\n<h2>");
	put(r, L(r, "逐条说明", "Explanations by record"));
	put(r, "</h2>\n<p class=\"note\">");
	put(r, L(r, "有规则不通过的记录：每条规则的判定、差距、所用数值与依据条款。",
		 "Records with a failed rule: each rule's verdict, gap, the values it used and "
		 "its clause."));
	put(r, "</p>\n");
	size_t shown = 0;
	for (size_t x = 0; x < r->n; x++)
		if (r->explained[x]) {
			explanation(r, x);
			shown++;
		}
	if (!shown) {
		put(r, "<p>");
		put(r, L(r, "没有不通过的记录。", "No record failed a rule."));
		put(r, "</p>\n");
	}
	put(r, "</section>\n");
}

/* ---- targets ---- */

typedef enum light { LIGHT_NONE, LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED } light;

static const char *const light_id[] = {"none", "green", "yellow", "red"};

/* met and on pace: green; missed: red; behind pace: by the points behind
 * time progress (time progress − completion, × 100) against the
 * thresholds; not started, unknown, not in force: no light. */
static light target_light(const report *r, const char *status, const char *completion,
			  const char *time_progress, rb_dec *behind)
{
	*behind = RB_DEC_ZERO;
	if (!status)
		return LIGHT_NONE;
	if (strcmp(status, "met") == 0 || strcmp(status, "on_pace") == 0)
		return LIGHT_GREEN;
	if (strcmp(status, "missed") == 0)
		return LIGHT_RED;
	if (strcmp(status, "behind_pace") != 0)
		return LIGHT_NONE;
	rb_dec c, t;
	if (!completion || !time_progress ||
	    rb_dec_parse(completion, strlen(completion), &c, NULL) != RB_DEC_OK ||
	    rb_dec_parse(time_progress, strlen(time_progress), &t, NULL) != RB_DEC_OK ||
	    rb_dec_sub(t, c, behind) != RB_DEC_OK ||
	    rb_dec_mul(*behind, rb_dec_from_int(100), behind) != RB_DEC_OK)
		return LIGHT_RED;
	if (rb_dec_cmp(*behind, r->red) > 0)
		return LIGHT_RED;
	if (rb_dec_cmp(*behind, r->yellow) > 0)
		return LIGHT_YELLOW;
	return LIGHT_GREEN;
}

static const char *light_word(const report *r, light l)
{
	static const char *const zh[] = {"无", "绿", "黄", "红"};
	static const char *const en[] = {"none", "green", "yellow", "red"};
	return r->en ? en[l] : zh[l];
}

static const char *status_word(const report *r, const char *s)
{
	static const char *const ids[] = {"met", "on_pace", "behind_pace", "missed",
					  "not_started", "unknown", "not_in_force"};
	static const char *const zh[] = {"已完成", "符合序时进度", "落后序时进度", "未完成",
					 "未开始", "待补数据", "未生效"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (s && strcmp(s, ids[i]) == 0)
			return r->en ? ids[i] : zh[i];
	return s ? s : "";
}

static void progress_bar(report *r, const char *completion, const char *time_progress, light l)
{
	double c = to_double(completion), t = to_double(time_progress);
	if (c < 0)
		c = 0;
	if (c > 1)
		c = 1;
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	static const char *const fill[] = {"#9ca3af", "#15803d", "#f59e0b", "#b91c1c"};
	put(r, "<svg viewBox=\"0 0 180 22\" width=\"180\" height=\"22\" role=\"img\" "
	       "xmlns=\"http://www.w3.org/2000/svg\" aria-label=\"");
	put(r, L(r, "完成进度 ", "completion "));
	pct(r, completion);
	put(r, L(r, "，序时进度 ", ", time progress "));
	pct(r, time_progress);
	put(r, "\"><title>");
	put(r, L(r, "完成进度 ", "completion "));
	pct(r, completion);
	put(r, L(r, "，序时进度 ", ", time progress "));
	pct(r, time_progress);
	rb_buf_printf(r->b,
		      "</title><rect x=\"0\" y=\"5\" width=\"180\" height=\"12\" rx=\"2\" "
		      "fill=\"#e5e7eb\"/><rect x=\"0\" y=\"5\" width=\"%.1f\" height=\"12\" rx=\"2\" "
		      "fill=\"%s\"/><line x1=\"%.1f\" x2=\"%.1f\" y1=\"1\" y2=\"21\" "
		      "stroke=\"#111827\" stroke-width=\"2\"/></svg>",
		      180 * c, fill[l], 1 + 178 * t, 1 + 178 * t);
}

static void target_row(report *r, size_t x, uint32_t t, size_t *by_light)
{
	const rb_target *tg = &r->rb->targets[t];
	const rb_node *tn = rec_part(r, x, "targets", t);
	const char *status = jget_text(tn, "status");
	const char *completion = jget_text(tn, "completion");
	const char *tp = jget_text(tn, "time_progress");
	rb_dec behind;
	light l = target_light(r, status, completion, tp, &behind);
	if (by_light)
		by_light[l]++;
	put(r, "<tr data-target=\"");
	text(r, tg->id);
	put(r, "\" data-status=\"");
	text(r, status);
	rb_buf_printf(r->b, "\" data-light=\"%s\"><td class=\"nw\">", light_id[l]);
	text(r, tg->cite);
	put(r, "</td><th scope=\"row\">");
	const char *title = rb_i18n_pick(&tg->title, r->en);
	text(r, title ? title : tg->id);
	if (uses_illustrative(r->rb, tg->deps, tg->ndeps))
		illustrative_badge(r);
	put(r, "</th><td>");
	progress_bar(r, completion, tp, l);
	put(r, "</td><td class=\"n\">");
	pct(r, completion);
	put(r, "</td><td class=\"n\">");
	pct(r, tp);
	put(r, "</td><td class=\"n\">");
	if (l != LIGHT_NONE && !rb_dec_is_zero(behind)) {
		char buf[RB_DEC_BUFSIZE];
		rb_dec_round(behind, 1, RB_ROUND_HALF_UP, &behind);
		rb_dec_format(behind, buf, sizeof buf);
		put(r, buf);
	}
	rb_buf_printf(r->b, "</td><td class=\"nw\"><span class=\"light l-%s\" "
			    "aria-hidden=\"true\"></span>",
		      light_id[l]);
	put(r, light_word(r, l));
	put(r, "<br><span class=\"note\">");
	put(r, status_word(r, status));
	put(r, "</span>");
	put(r, "</td><td class=\"n\">");
	const char *unit = jget_text(tn, "unit");
	num(r, jget_text(tn, "achieved"), 4);
	put(r, " / ");
	num(r, jget_text(tn, "target"), 4);
	if (unit && *unit) {
		put(r, " ");
		text(r, unit);
	}
	put(r, "</td><td class=\"n\">");
	num(r, jget_text(tn, "shortfall"), 4);
	put(r, "</td><td class=\"n\">");
	num(r, jget_text(tn, "needed_per_month"), 4);
	put(r, "</td></tr>\n");
}

static void target_head(report *r)
{
	static const column cols[] = {{"条款", "Clause", false},
				      {"目标", "Target", false},
				      {"进度（竖线为序时进度）", "Progress (line: time progress)", false},
				      {"完成进度", "Completion", true},
				      {"序时进度", "Time progress", true},
				      {"落后（百分点）", "Behind (points)", true},
				      {"灯 · 状态", "Light · status", false},
				      {"已完成 / 目标", "Achieved / target", true},
				      {"尚缺", "Remaining", true},
				      {"每月需完成", "Needed per month", true}};
	thead(r, cols, NCOLS(cols));
}

static void targets(report *r)
{
	const rulebook *rb = r->rb;
	put(r, "<section id=\"targets\">\n<h2>");
	put(r, L(r, "目标与序时进度", "Targets against time progress"));
	put(r, "</h2>\n<p class=\"note\">");
	rb_buf_printf(r->b,
		      L(r, "灯：已完成或不落后于序时进度为绿；落后序时进度超过 %s 个百分点为黄，"
			   "超过 %s 个百分点或期末未完成为红；落后不超过 %s 个百分点仍为绿。",
			"Lights: met or on pace is green; behind time progress by more than %s "
			"points is yellow, by more than %s points or missed at the end of the "
			"period red; behind by at most %s points stays green."),
		      r->yellow_text, r->red_text, r->yellow_text);
	put(r, "</p>\n");
	if (!r->rec) {
		put(r, L(r, "<p>未提供逐条结果，无法列出目标进度。</p>\n",
			 "<p>No per-record results were given: target progress cannot be "
			 "shown.</p>\n"));
		put(r, "</section>\n");
		return;
	}
	/* Counts by status and by light over all records. */
	static const char *const statuses[] = {"met", "on_pace", "behind_pace", "missed",
					       "not_started", "unknown", "not_in_force"};
	size_t by_status[7] = {0}, by_light[4] = {0};
	for (size_t x = 0; x < r->n; x++)
		for (uint32_t t = 0; t < rb->ntargets; t++) {
			const rb_node *tn = rec_part(r, x, "targets", t);
			const char *st = jget_text(tn, "status");
			for (size_t s = 0; s < 7; s++)
				if (st && strcmp(st, statuses[s]) == 0)
					by_status[s]++;
			rb_dec behind;
			by_light[target_light(r, st, jget_text(tn, "completion"),
					      jget_text(tn, "time_progress"), &behind)]++;
		}
	put(r, "<div class=\"cards\">");
	for (int l = LIGHT_RED; l >= LIGHT_GREEN; l--) {
		rb_buf_printf(r->b, "<div class=\"card\" data-light-count=\"%s\"><b>"
				    "<span class=\"light l-%s\" aria-hidden=\"true\"></span>%zu</b><span>",
			      light_id[l], light_id[l], by_light[l]);
		put(r, L(r, "项", "targets "));
		put(r, light_word(r, (light)l));
		put(r, L(r, "灯", " light"));
		put(r, "</span></div>");
	}
	put(r, "</div>\n");
	static const column cols[] = {{"状态", "Status", false}, {"目标数", "Targets", true}};
	table_open(r, "statuses", L(r, "各状态目标数", "Targets per status"), cols, NCOLS(cols));
	for (size_t s = 0; s < 7; s++) {
		if (!by_status[s])
			continue;
		rb_buf_printf(r->b, "<tr data-target-status=\"%s\"><th scope=\"row\">", statuses[s]);
		put(r, status_word(r, statuses[s]));
		rb_buf_printf(r->b, "</th><td class=\"n\" data-count=\"%zu\">%zu</td></tr>\n",
			      by_status[s], by_status[s]);
	}
	put(r, "</tbody></table>\n");

	/* Per record, grouped by responsible unit. */
	size_t links = 0;
	for (uint32_t t = 0; t < rb->ntargets; t++)
		links += rb->targets[t].nresponsible;
	unit_list units;
	if (!units_new(r, &units, links))
		return;
	for (uint32_t t = 0; t < rb->ntargets; t++)
		units_add(&units, rb->targets[t].responsible, rb->targets[t].nresponsible);
	for (size_t x = 0; x < r->n; x++) {
		if (r->n > 1) {
			put(r, "<h3>");
			text(r, record_label(r, x));
			put(r, "</h3>\n");
		}
		for (size_t u = 0; u <= units.n; u++) {
			bool any = false;
			for (uint32_t t = 0; t < rb->ntargets && !any; t++)
				any = units_has(&units, u, rb->targets[t].responsible,
						 rb->targets[t].nresponsible);
			if (!any)
				continue;
			const char *unit = u < units.n ? units.name[u] : NULL;
			put(r, "<table class=\"targets\" data-unit=\"");
			text(r, unit ? unit : "");
			put(r, "\"><caption>");
			if (unit) {
				put(r, L(r, "责任单位：", "Responsible: "));
				text(r, unit);
			} else {
				put(r, L(r, "未指定责任单位", "No responsible unit named"));
			}
			put(r, "</caption>\n");
			target_head(r);
			for (uint32_t t = 0; t < rb->ntargets; t++)
				if (units_has(&units, u, rb->targets[t].responsible,
					      rb->targets[t].nresponsible))
					target_row(r, x, t, NULL);
			put(r, "</tbody></table>\n");
		}
	}
	rb_free(units.name);
	put(r, "</section>\n");
}

/* ---- aggregates ---- */

static void aggregates(report *r)
{
	const rulebook *rb = r->rb;
	put(r, "<section id=\"aggregates\">\n<h2>");
	put(r, L(r, "总量指标", "Aggregates"));
	put(r, "</h2>\n");
	static const column cols[] = {{"条款", "Clause", false},
				      {"指标", "Aggregate", false},
				      {"数值", "Value", true},
				      {"阈值", "Threshold", true},
				      {"判定", "Verdict", false},
				      {"计入记录", "Records counted", true},
				      {"差距", "Gap", true},
				      {"责任单位", "Responsible", false}};
	table_open(r, "aggregates", L(r, "全体记录的汇总判定", "Verdicts over all records"), cols,
		   NCOLS(cols));
	for (uint32_t a = 0; a < rb->naggregates; a++) {
		const rb_aggregate *ag = &rb->aggregates[a];
		bool share = ag->measure == RB_AGG_SHARE;
		rulebook_verdict v = rulebook_population_aggregate_verdict(r->pop, a);
		const char *counted =
			rulebook_population_aggregate_value(r->pop, a, RULEBOOK_AGGREGATE_COUNTED);
		put(r, "<tr data-aggregate=\"");
		text(r, ag->id);
		rb_buf_printf(r->b, "\" data-verdict=\"%s\" data-counted=\"", rulebook_verdict_str(v));
		text(r, counted ? counted : "0");
		put(r, "\"><td>");
		text(r, ag->cite);
		put(r, "</td><th scope=\"row\">");
		const char *title = rb_i18n_pick(&ag->title, r->en);
		text(r, title ? title : ag->id);
		put(r, " <code>");
		text(r, ag->id);
		put(r, "</code>");
		if (uses_illustrative(rb, ag->deps, ag->ndeps))
			illustrative_badge(r);
		put(r, "</th><td class=\"n\">");
		const char *value =
			rulebook_population_aggregate_value(r->pop, a, RULEBOOK_AGGREGATE_VALUE);
		if (share)
			pct(r, value);
		else
			num(r, value, 4);
		if (!share && value && ag->unit_text && *ag->unit_text) {
			put(r, " ");
			text(r, ag->unit_text);
		}
		if (share) {
			put(r, "<br><span class=\"note\">");
			num(r, rulebook_population_aggregate_value(r->pop, a,
								   RULEBOOK_AGGREGATE_NUMERATOR), 4);
			put(r, " / ");
			num(r, rulebook_population_aggregate_value(r->pop, a,
								   RULEBOOK_AGGREGATE_DENOMINATOR), 4);
			put(r, "</span>");
		}
		put(r, "</td><td class=\"n\">");
		const char *thr =
			rulebook_population_aggregate_value(r->pop, a, RULEBOOK_AGGREGATE_THRESHOLD);
		if (share)
			pct(r, thr);
		else
			num(r, thr, 4);
		put(r, "</td><td>");
		verdict_badge(r, v);
		put(r, "</td><td class=\"n\">");
		text(r, counted ? counted : "0");
		put(r, "</td><td class=\"n\">");
		text(r, rulebook_population_aggregate_value(r->pop, a, RULEBOOK_AGGREGATE_GAP));
		put(r, "</td><td>");
		for (uint32_t j = 0; j < ag->nresponsible; j++) {
			if (j)
				put(r, L(r, "、", ", "));
			text(r, ag->responsible[j]);
		}
		put(r, "</td></tr>\n");
	}
	put(r, "</tbody></table>\n");
	for (uint32_t a = 0; a < rb->naggregates; a++) {
		size_t nrec = rulebook_population_aggregate_record_count(r->pop, a);
		put(r, "<p class=\"ids\"><strong>");
		text(r, rb->aggregates[a].id);
		rb_buf_printf(r->b, L(r, "</strong> 计入的 %zu 条记录：", "</strong>: the %zu records "
									 "counted: "),
			      nrec);
		for (size_t j = 0; j < nrec; j++) {
			if (j)
				put(r, " ");
			record_link(r, rulebook_population_aggregate_record(r->pop, a, j));
		}
		put(r, "</p>\n");
	}
	put(r, "</section>\n");
}

/* ---- settings and results ---- */

static rulebook_status parse_json(const char *s, size_t len, const char *name, rb_doc **out,
				  rulebook_error *err)
{
	/* The text comes from the library or the caller, not from a stranger:
	 * only the depth stays limited. */
	rb_limits lim = rb_limits_default;
	lim.file_size = len + 1;
	lim.nodes = UINT64_MAX;
	lim.depth = 64;
	lim.scalar = len + 1;
	lim.items = UINT64_MAX;
	return rb_json_load(s, len, name, &lim, out, err);
}

static rulebook_status bad(rulebook_error *err, const char *name, const rb_node *at,
			   const char *msg, const char *what)
{
	rb_pos pos = at ? at->pos : (rb_pos){name, 0, 0};
	return rb_error_add(err, RULEBOOK_ERR_INVALID, pos, NULL, "%s%s", msg, what ? what : "");
}

static rulebook_status read_settings(report *r, const rb_node *s, rulebook_error *err)
{
	if (s->kind != RB_NODE_MAP)
		return bad(err, "settings", s, "the report settings must be a JSON object", NULL);
	for (size_t i = 0; i < s->count; i++) {
		const char *key = s->pairs[i].key->text;
		const rb_node *v = s->pairs[i].value;
		const char *t = jtext(v);
		if (strcmp(key, "lang") == 0) {
			if (!t || (strcmp(t, "zh") != 0 && strcmp(t, "en") != 0))
				return bad(err, "settings", v, "\"lang\" must be \"zh\" or \"en\"",
					   NULL);
			r->en = t[0] == 'e';
		} else if (strcmp(key, "data") == 0) {
			if (!t)
				return bad(err, "settings", v, "\"data\" must be a string", NULL);
			r->data = t;
		} else if (strcmp(key, "yellow_behind") == 0 || strcmp(key, "red_behind") == 0) {
			bool yellow = key[0] == 'y';
			rb_dec d;
			if (!t || rb_dec_parse(t, strlen(t), &d, NULL) != RB_DEC_OK ||
			    rb_dec_sign(d) < 0)
				return bad(err, "settings", v, "not a number of points (0 or more): ",
					   key);
			if (yellow) {
				r->yellow = d;
				r->yellow_text = t;
			} else {
				r->red = d;
				r->red_text = t;
			}
		} else {
			return bad(err, "settings", s->pairs[i].key,
				   "unknown report setting (use lang, data, yellow_behind, "
				   "red_behind): ",
				   key);
		}
	}
	if (rb_dec_cmp(r->yellow, r->red) > 0)
		return bad(err, "settings", s,
			   "yellow_behind must not be larger than red_behind", NULL);
	return RULEBOOK_OK;
}

static rulebook_status read_results(report *r, const rb_node *root, rulebook_error *err)
{
	const rulebook *rb = r->rb;
	if (root->kind != RB_NODE_SEQ)
		return bad(err, "results", root,
			   "the results must be a JSON array of record results", NULL);
	if (root->count != r->n)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, root->pos, NULL,
				    "%zu results for a population of %zu records", root->count,
				    r->n);
	for (size_t i = 0; i < root->count; i++) {
		const rb_node *res = root->items[i];
		const char *id = jget_text(jget(res, "rulebook"), "id");
		if (res->kind != RB_NODE_MAP || !id || strcmp(id, rb->id) != 0 ||
		    jcount(jget(res, "rules")) != rb->nrules ||
		    jcount(jget(res, "targets")) != rb->ntargets ||
		    jcount(jget(res, "scorecards")) != rb->nscorecards ||
		    (rb->nrules && !jget(jitem(jget(res, "rules"), 0), "message")) ||
		    (rb->ntargets && !jget(jitem(jget(res, "targets"), 0), "completion")) ||
		    (rb->nscorecards && !jget(jitem(jget(res, "scorecards"), 0), "components")))
			return rb_error_add(err, RULEBOOK_ERR_INVALID, res->pos, NULL,
					    "result %zu is not a full result of rulebook %s (as "
					    "rulebook_result_json writes it, without "
					    "RULEBOOK_OUT_VERDICTS)",
					    i + 1, rb->id);
		const char *rec = jget_text(res, "record");
		const char *pid = rulebook_population_record_id(r->pop, i);
		if ((rec || pid) && (!rec || !pid || strcmp(rec, pid) != 0))
			return rb_error_add(err, RULEBOOK_ERR_INVALID, res->pos, NULL,
					    "result %zu is for record %s, but record %zu of the "
					    "population is %s",
					    i + 1, rec ? rec : "(no id)", i + 1,
					    pid ? pid : "(no id)");
		r->rec[i] = res;
	}
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_population_report_html(
	rulebook_population *pop, const char *results, size_t results_len, const char *settings,
	size_t settings_len, char **out, size_t *out_len, rulebook_error *err)
{
	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!pop || !out || (!results && results_len) || (!settings && settings_len))
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){NULL, 0, 0}, NULL,
				    "rulebook_population_report_html: invalid argument");
	rb_buf b;
	rb_buf_init(&b);
	report r = {0};
	r.b = &b;
	r.pop = pop;
	r.rb = rb_population_rulebook(pop);
	r.n = rulebook_population_size(pop);
	rb_dec_parse("10", 2, &r.yellow, NULL);
	rb_dec_parse("30", 2, &r.red, NULL);
	r.yellow_text = "10";
	r.red_text = "30";
	rb_doc *sdoc = NULL, *rdoc = NULL;
	rulebook_status st = RULEBOOK_OK;
	if (settings && settings_len) {
		st = parse_json(settings, settings_len, "settings", &sdoc, err);
		if (st == RULEBOOK_OK)
			st = read_settings(&r, sdoc->root, err);
	}
	if (st == RULEBOOK_OK && results && results_len) {
		r.rec = rb_calloc(r.n ? r.n : 1, sizeof(*r.rec));
		st = r.rec ? parse_json(results, results_len, "results", &rdoc, err)
			   : rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){NULL, 0, 0}, NULL,
					  "out of memory");
		if (st == RULEBOOK_OK)
			st = read_results(&r, rdoc->root, err);
	}
	r.explained = rb_calloc(r.n ? r.n : 1, 1);
	if (st == RULEBOOK_OK && !r.explained)
		st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){NULL, 0, 0}, NULL,
				  "out of memory");
	if (st == RULEBOOK_OK) {
		const rulebook *rb = r.rb;
		/* records with a failed rule get an explanation (with results only) */
		for (size_t x = 0; r.rec && x < r.n; x++)
			for (uint32_t i = 0; i < rb->nrules && !r.explained[x]; i++)
				r.explained[x] = rulebook_population_verdict(pop, x, i) == RULEBOOK_FAIL;
		put(&r, "<!DOCTYPE html>\n<html lang=\"");
		put(&r, r.en ? "en" : "zh-CN");
		put(&r, "\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<meta name=\"generator\" content=\"rulebook ");
		text(&r, rulebook_version());
		put(&r, "\">\n<title>");
		const char *title = rb_i18n_pick(&rb->title, r.en);
		text(&r, title ? title : rb->id);
		put(&r, L(&r, " — 评估报告", " — evaluation report"));
		put(&r, "</title>\n<style>");
		put(&r, css);
		put(&r, "</style>\n</head>\n<body>\n<main>\n");
		header(&r);
		cards_and_nav(&r);
		if (rb->nscorecards)
			scorecards(&r);
		if (rb->ntargets)
			targets(&r);
		if (rb->nrules)
			rules(&r);
		if (rb->naggregates)
			aggregates(&r);
		if (rb->nrules && r.rec)
			explanations(&r);
		put(&r, "<footer>");
		put(&r, L(&r, "由 rulebook ", "Made by rulebook "));
		text(&r, rulebook_version());
		put(&r, L(&r, " 根据规则集的评估结果生成。数值按四舍五入显示，判定依据精确小数。"
			      "标有“示例”的结论使用示例参数，不能作为正式评价依据。",
			  " from the rulebook's results. Figures are rounded for reading; "
			  "verdicts come from exact decimals. Conclusions marked illustrative use "
			  "example parameters and are not official judgments."));
		put(&r, "</footer>\n</main>\n</body>\n</html>\n");
		if (b.failed)
			st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){NULL, 0, 0}, NULL,
					  "out of memory");
	}
	if (st == RULEBOOK_OK) {
		char *copy = rb_malloc(b.len + 1);
		if (!copy) {
			st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){NULL, 0, 0}, NULL,
					  "out of memory");
		} else {
			memcpy(copy, b.data, b.len);
			copy[b.len] = '\0';
			*out = copy;
			if (out_len)
				*out_len = b.len;
		}
	}
	rb_buf_release(&b);
	rb_free(r.rec);
	rb_free(r.explained);
	rb_doc_free(sdoc);
	rb_doc_free(rdoc);
	return st;
}
