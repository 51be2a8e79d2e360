/* Lookup tables after evaluation: which row a lookup took, and the key of
 * a lookup written out ("far_min[C27]"), so a result can name the row it
 * used or the key that has none. The evaluation itself runs the chain of
 * selections compile.c built. */
#include "result.h"
#include "buf.h"

#include <string.h>

static bool key_matches(const rulebook *rb, const rb_table *t, uint32_t k, const rb_val *v,
			const rb_table_key *rk)
{
	const rb_input *in = &rb->inputs[t->key_input[k]];
	if (in->type == RB_T_ENUM)
		return v->u.e == rk->e;
	if (in->type == RB_T_TEXT)
		return v->u.t.len == rk->len && memcmp(v->u.t.s, rk->text, rk->len) == 0;
	return rb_dec_cmp(v->u.d, rk->lo) >= 0 && rb_dec_cmp(v->u.d, rk->hi) <= 0;
}

int64_t rb_table_row_of(const rulebook *rb, const rb_lookup_site *site, const rb_val *slots)
{
	const rb_table *t = site->table;
	for (uint32_t k = 0; k < t->nkeys; k++)
		if (slots[site->keys[k]].state != RB_V_OK)
			return -2;
	for (uint32_t r = 0; r < t->nrows; r++) {
		uint32_t k = 0;
		while (k < t->nkeys && key_matches(rb, t, k, &slots[site->keys[k]], &t->rows[r].keys[k]))
			k++;
		if (k == t->nkeys)
			return r;
	}
	return -1;
}

const char *rb_lookup_key_text(rulebook_result *r, const rb_sym *s)
{
	const rulebook *rb = r->rb;
	const rb_lookup_site *site = s->lookup;
	const rb_table *t = site->table;
	const rb_val *slots = rb_exact(r);
	rb_buf buf, *b = &buf;
	rb_buf_init(b);
	rb_buf_puts(b, t->id);
	rb_buf_putc(b, '[');
	for (uint32_t k = 0; k < t->nkeys; k++) {
		const rb_val *v = &slots[site->keys[k]];
		const rb_input *in = &rb->inputs[t->key_input[k]];
		if (k)
			rb_buf_puts(b, ", ");
		if (v->state != RB_V_OK) {
			rb_buf_puts(b, "?");
		} else if (in->type == RB_T_ENUM) {
			rb_buf_puts(b, in->values[v->u.e]);
		} else if (in->type == RB_T_TEXT) {
			rb_buf_append(b, v->u.t.s, v->u.t.len);
		} else {
			char d[RB_DEC_BUFSIZE];
			rb_dec_format(v->u.d, d, sizeof d);
			rb_buf_puts(b, d);
		}
	}
	rb_buf_putc(b, ']');
	const char *out = b->failed ? NULL : rb_result_strdup(r, b->data, b->len);
	rb_buf_release(b);
	return out;
}

/* ---- lint ---- */

static bool keys_overlap(const rb_input *in, const rb_table_key *a, const rb_table_key *b)
{
	if (in->type == RB_T_ENUM)
		return a->e == b->e;
	if (in->type == RB_T_TEXT)
		return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
	return rb_dec_cmp(a->lo, b->hi) <= 0 && rb_dec_cmp(b->lo, a->hi) <= 0;
}

static bool key_covers(const rb_input *in, const rb_table_key *a, const rb_table_key *b)
{
	if (in->type != RB_T_INTEGER)
		return keys_overlap(in, a, b); /* single values: overlap is equality */
	return rb_dec_cmp(a->lo, b->lo) <= 0 && rb_dec_cmp(a->hi, b->hi) >= 0;
}

void rb_lint_tables(const rulebook *rb, rulebook_error *out)
{
	for (uint32_t i = 0; i < rb->ntables; i++) {
		const rb_table *t = &rb->tables[i];
		for (uint32_t r = 1; r < t->nrows; r++) {
			const rb_table_row *row = &t->rows[r];
			const char *name = rb->params[row->param].sym->name;
			for (uint32_t j = 0; j < r; j++) {
				const rb_table_row *prev = &t->rows[j];
				bool overlap = true, covered = true;
				for (uint32_t k = 0; k < t->nkeys; k++) {
					const rb_input *in = &rb->inputs[t->key_input[k]];
					overlap = overlap && keys_overlap(in, &prev->keys[k], &row->keys[k]);
					covered = covered && key_covers(in, &prev->keys[k], &row->keys[k]);
				}
				if (!overlap)
					continue;
				const char *pname = rb->params[prev->param].sym->name;
				if (covered)
					rb_error_add(out, RULEBOOK_LINT, row->pos, t->id,
						     "row %s of table '%s' can never be used: the row %s "
						     "before it has all its keys",
						     name, t->id, pname);
				else
					rb_error_add(out, RULEBOOK_LINT, row->pos, t->id,
						     "rows %s and %s of table '%s' overlap: for keys in "
						     "both, the first one applies",
						     pname, name, t->id);
				break;
			}
		}
	}
}
