/* Rulebooks that extend rulebooks (province -> city -> district).
 *
 * Loading a file follows its `extends` chain and merges each parent into
 * the child's model: the parent's units, inputs, parameters, indicators,
 * rules, targets, scorecards and aggregates come first, then the child's,
 * so a name defined twice is reported by the compiler with both positions
 * (each position names its file). Overrides replace a parent parameter's
 * values, keeping its unit and respecting its direction; `disable` removes
 * a parent rule. Only the child's own tests are kept. */
/* realpath() */
#define _XOPEN_SOURCE 700

#include "model.h"
#include "alloc.h"
#include "compiled.h"
#include "idset.h"
#include "sha256.h"

#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RB_EXTENDS_MAX 16
#define RB_PATH_MAX 4096

static rulebook_status read_file(const char *path, const rb_limits *limits, char **data,
				 size_t *len, rulebook_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return rb_error_add(err, RULEBOOK_ERR_IO, (rb_pos){path, 0, 0}, NULL,
				    "cannot open %s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	rulebook_status st = RULEBOOK_OK;
	for (;;) {
		if (n > limits->file_size) {
			st = rb_error_add(err, RULEBOOK_ERR_LIMIT, (rb_pos){path, 0, 0}, NULL,
					  "%s is larger than the file size limit (%llu bytes)", path,
					  (unsigned long long)limits->file_size);
			break;
		}
		if (rb_grow((void **)&buf, &cap, n + 65536, 1) < 0) {
			st = rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
			break;
		}
		size_t got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0) {
			if (ferror(fp))
				st = rb_error_add(err, RULEBOOK_ERR_IO, (rb_pos){path, 0, 0}, NULL,
						  "cannot read %s: %s", path, strerror(errno));
			break;
		}
	}
	fclose(fp);
	if (st != RULEBOOK_OK) {
		rb_free(buf);
		return st;
	}
	*data = buf;
	*len = n;
	return RULEBOOK_OK;
}

/* a/b + suffix into out; false when it does not fit. */
static bool join(char *out, size_t size, const char *a, const char *b, const char *suffix)
{
	int n = a ? snprintf(out, size, "%s/%s%s", a, b, suffix) : snprintf(out, size, "%s%s", b, suffix);
	return n >= 0 && (size_t)n < size;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* What path is when it is not a regular file that can be read, or NULL. */
static const char *not_a_file(const char *path, char *buf, size_t size)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return NULL;
		if (errno == ELOOP)
			return "a symbolic link loop";
		snprintf(buf, size, "not readable (%s)", strerror(errno));
		return buf;
	}
	if (S_ISDIR(st.st_mode))
		return "a directory";
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return "a device";
	if (S_ISFIFO(st.st_mode))
		return "a pipe";
	if (S_ISSOCK(st.st_mode))
		return "a socket";
	if (!S_ISREG(st.st_mode))
		return "not a regular file";
	return NULL;
}

/* The parent's path: relative to the child's directory when it names a
 * file (contains '/' or ends in .yaml), else an id looked up as <id>.yaml
 * or with dots as directories, in the child's directory and the search
 * path. */
static bool resolve(const char *child, const char *ext, const char *const *search, size_t nsearch,
		    char *out, size_t size, char *what, size_t what_size)
{
	what[0] = '\0';
	char dir[RB_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", child);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	size_t len = strlen(ext);
	bool is_path = strchr(ext, '/') || (len > 5 && strcmp(ext + len - 5, ".yaml") == 0);
	char buf[160];
	const char *w;
	if (is_path) {
		if (!join(out, size, ext[0] == '/' ? NULL : dir, ext, ""))
			return false;
		if ((w = not_a_file(out, buf, sizeof buf)) != NULL) {
			snprintf(what, what_size, "%s is %s, not a rulebook file", out, w);
			return false;
		}
		return exists(out);
	}
	char nested[RB_PATH_MAX];
	snprintf(nested, sizeof nested, "%s", ext);
	for (char *p = nested; *p; p++)
		if (*p == '.')
			*p = '/';
	for (size_t i = 0; i <= nsearch; i++) {
		const char *d = i == 0 ? dir : search[i - 1];
		for (int k = 0; k < 2; k++) {
			if (!join(out, size, d, k ? nested : ext, ".yaml"))
				continue;
			if (exists(out))
				return true;
			if (!what[0] && (w = not_a_file(out, buf, sizeof buf)) != NULL)
				snprintf(what, what_size, "%s is %s, not a rulebook file", out, w);
		}
	}
	return false;
}

#define CONCAT(field, count)                                                                   \
	do {                                                                                   \
		size_t n_ = parent->count + child->count;                                      \
		void *a_ = rb_arena_calloc(&child->arena, n_ ? n_ : 1, sizeof(*child->field)); \
		if (!a_)                                                                       \
			return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL,        \
					    "out of memory");                                  \
		if (parent->count)                                                             \
			memcpy(a_, parent->field, parent->count * sizeof(*child->field));      \
		if (child->count)                                                              \
			memcpy((char *)a_ + parent->count * sizeof(*child->field), child->field, \
			       child->count * sizeof(*child->field));                          \
		child->field = a_;                                                             \
		child->count = n_;                                                             \
	} while (0)

static int cmp_value(const rb_m_value *v, rb_dec *out)
{
	size_t at;
	return rb_dec_parse_percent(v->value.s, v->value.len, out, &at) == RB_DEC_OK ? 0 : -1;
}


/* The identity of a rulebook is its whole closure: editing a parent changes
 * the verdicts, so it must change the hash. With no parent the hash is the
 * SHA-256 of the file's bytes (what sha256sum prints). With parents it is
 * the SHA-256 of one line per rulebook, "<sha-256 of its bytes> <id>\n",
 * the file itself first, then its parent, up to the root. */
bool rb_closure_hash(rulebook *rb, const rb_model *m, const char *source, size_t len)
{
	rb_sha256_hex(source, len, rb->file_hash);
	size_t n = 0;
	for (const rb_model *p = m->parent; p; p = p->parent)
		n++;
	if (!n) {
		memcpy(rb->hash, rb->file_hash, sizeof rb->hash);
		return true;
	}
	rb->parents = rb_arena_calloc(&rb->arena, n, sizeof(*rb->parents));
	/* 64 hex digits, a space, the id and a newline per rulebook */
	size_t cap = 0;
	for (const rb_model *p = m; p; p = p->parent)
		cap += 66 + (p->id.s ? p->id.len : 0);
	char *text = rb_malloc(cap);
	if (!rb->parents || !text) {
		rb_free(text);
		return false;
	}
	size_t at = 0, i = 0;
	for (const rb_model *p = m; p; p = p->parent) {
		const char *h = rb->file_hash;
		if (p != m) {
			struct rb_parent *e = &rb->parents[i++];
			e->id = p->id.s ? p->id.s : "";
			memcpy(e->hash, p->file_hash, sizeof e->hash);
			h = e->hash;
		}
		memcpy(text + at, h, 64);
		at += 64;
		text[at++] = ' ';
		if (p->id.s) {
			memcpy(text + at, p->id.s, p->id.len);
			at += p->id.len;
		}
		text[at++] = '\n';
	}
	rb->nparents = (uint32_t)n;
	rb_sha256_hex(text, at, rb->hash);
	rb_free(text);
	return true;
}

/* Each override value holds from its date until the next one's; it must
 * respect every parent value in force during that span. */
static rulebook_status apply_override(rb_m_param *p, const rb_m_override *o, rulebook_error *err)
{
	for (size_t k = 0; p->direction != RB_PDIR_NONE && k < o->nvalues; k++) {
		int32_t from = o->values[k].from;
		int32_t until = k + 1 < o->nvalues ? o->values[k + 1].from : INT32_MAX;
		rb_dec a;
		if (cmp_value(&o->values[k], &a) < 0)
			continue; /* reported by the compiler */
		for (size_t j = 0; j < p->nvalues; j++) {
			/* parent value j holds over [its from, the next one's from) */
			int32_t pf = j == 0 ? INT32_MIN : p->values[j].from;
			int32_t pu = j + 1 < p->nvalues ? p->values[j + 1].from : INT32_MAX;
			if (pu <= from || pf >= until)
				continue;
			rb_dec b;
			if (cmp_value(&p->values[j], &b) < 0)
				continue;
			int c = rb_dec_cmp(a, b);
			if ((p->direction == RB_PDIR_FLOOR && c < 0) ||
			    (p->direction == RB_PDIR_CEILING && c > 0)) {
				const rb_m_value *pv = &p->values[j];
				rb_error_add(err, RULEBOOK_ERR_VALUE, o->values[k].pos, p->id.s,
					     "override of '%s' to %s is laxer than the parent's %s (%s:%u): "
					     "a %s may only be %s",
					     p->id.s, o->values[k].value.s, pv->value.s, pv->pos.file,
					     pv->pos.line, p->direction == RB_PDIR_FLOOR ? "floor" : "ceiling",
					     p->direction == RB_PDIR_FLOOR ? "raised" : "lowered");
				break;
			}
		}
	}
	p->values = o->values;
	p->nvalues = o->nvalues;
	p->cite = o->cite;
	if (o->provenance)
		p->provenance = o->provenance;
	p->note = o->note ? o->note : p->note;
	return RULEBOOK_OK;
}

static rulebook_status merge(rb_model *child, rb_model *parent, rulebook_error *err)
{
	if (strcmp(child->subject.s, parent->subject.s) != 0)
		return rb_error_add(err, RULEBOOK_ERR_SCHEMA, child->subject.pos, child->id.s,
				    "subject '%s' differs from the parent's '%s' (%s:%u)",
				    child->subject.s, parent->subject.s, parent->subject.pos.file,
				    parent->subject.pos.line);
	size_t errors = rb_error_total(err);
	CONCAT(units, nunits);
	CONCAT(inputs, ninputs);
	CONCAT(params, nparams);
	CONCAT(tables, ntables);
	CONCAT(sources, nsources);
	CONCAT(indicators, nindicators);
	CONCAT(rules, nrules);
	CONCAT(targets, ntargets);
	CONCAT(scorecards, nscorecards);
	CONCAT(aggregates, naggregates);
	/* The parent's parameters and rules by name (the first of a name). */
	rb_idset names = RB_IDSET_INIT;
	for (size_t k = 0; k < parent->nparams; k++)
		if (rb_idset_add(&names, child->params[k].id.s, child->params[k].id.len, (uint32_t)k,
				 NULL) < 0)
			goto nomem;
	for (size_t i = 0; i < child->noverrides; i++) {
		const rb_m_override *o = &child->overrides[i];
		int64_t k = rb_idset_find(&names, o->parameter.s, o->parameter.len);
		if (k < 0) {
			rb_error_add(err, RULEBOOK_ERR_NAME, o->parameter.pos, o->parameter.s,
				     "override of '%s': the parent rulebook has no such parameter",
				     o->parameter.s);
			continue;
		}
		apply_override(&child->params[k], o, err);
	}
	rb_idset_free(&names);
	size_t parent_rules = parent->nrules;
	bool *gone = NULL;
	if (child->ndisables) {
		gone = rb_calloc(parent_rules ? parent_rules : 1, sizeof(*gone));
		if (!gone)
			goto nomem;
		for (size_t k = 0; k < parent_rules; k++)
			if (rb_idset_add(&names, child->rules[k].id.s, child->rules[k].id.len,
					 (uint32_t)k, NULL) < 0) {
				rb_free(gone);
				goto nomem;
			}
	}
	for (size_t i = 0; i < child->ndisables; i++) {
		const rb_m_disable *d = &child->disables[i];
		int64_t k = rb_idset_find(&names, d->rule.s, d->rule.len);
		if (k < 0 || gone[k]) {
			rb_error_add(err, RULEBOOK_ERR_NAME, d->rule.pos, d->rule.s,
				     "disable '%s': the parent rulebook has no such rule", d->rule.s);
			continue;
		}
		gone[k] = true;
	}
	if (gone) {
		size_t kept = 0;
		for (size_t k = 0; k < child->nrules; k++)
			if (k >= parent_rules || !gone[k])
				child->rules[kept++] = child->rules[k];
		child->nrules = kept;
		rb_free(gone);
	}
	rb_idset_free(&names);
	if (!child->from)
		child->from = parent->from;
	if (!child->until)
		child->until = parent->until;
	child->parent = parent;
	if (rb_error_total(err) == errors)
		return RULEBOOK_OK;
	/* the first of the merge's diagnostics (or the last kept one) */
	size_t n = rulebook_error_count(err);
	return rulebook_error_status_at(err, errors < n ? errors : n - 1);
nomem:
	rb_idset_free(&names);
	return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
}

/* The parent's source from the caller's resolver (rulebook_options_set_resolver):
 * the text is parsed before the next call, and the parent is named by its
 * id in diagnostics. */
static rulebook_status fetch_parent(const rb_resolver *res, const rb_model *m, const char **data,
				    size_t *len, rulebook_error *err)
{
	*data = NULL;
	*len = 0;
	rulebook_status st = res->fn(m->extends.s, strlen(m->extends.s), data, len, res->payload);
	if (st == RULEBOOK_ERR_NOT_FOUND)
		return rb_error_add(err, RULEBOOK_ERR_NOT_FOUND, m->extends.pos, m->id.s,
				    "extends '%s': no such rulebook", m->extends.s);
	if (st != RULEBOOK_OK)
		return rb_error_add(err, st, m->extends.pos, m->id.s,
				    "extends '%s': the resolver failed: %s", m->extends.s,
				    rulebook_status_str(st));
	if (!*data && *len)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, m->extends.pos, m->id.s,
				    "extends '%s': the resolver returned no text", m->extends.s);
	if (!*data)
		*data = "";
	return RULEBOOK_OK;
}

static rulebook_status load(const char *path, const char *data, size_t len,
			    const rb_limits *limits, const char *const *search, size_t nsearch,
			    const rb_resolver *resolver, bool allow, char chain[][RB_PATH_MAX],
			    int depth, uint64_t *total, rb_model **out, rulebook_error *err)
{
	char *owned = NULL;
	rulebook_status st;
	if (!data) {
		st = read_file(path, limits, &owned, &len, err);
		if (st != RULEBOOK_OK)
			return st;
		data = owned;
	}
	/* The bytes of every file of the chain count, though a parent's are
	 * freed once its model is read. */
	*total += len;
	if (*total > limits->chain_size) {
		rb_free(owned);
		return rb_error_add(err, RULEBOOK_ERR_LIMIT, (rb_pos){path, 0, 0}, NULL,
				    "the files of the extends chain (up to %s) are larger than the chain "
				    "size limit (%llu bytes)",
				    path, (unsigned long long)limits->chain_size);
	}
	rb_doc *doc = NULL;
	st = rb_yaml_load(data, len, path, limits, &doc, err);
	rb_free(owned);
	if (st != RULEBOOK_OK)
		return st;
	rb_model *m = NULL;
	st = rb_model_read(doc, &m, err);
	if (st != RULEBOOK_OK)
		return st;
	/* A parent's bytes are needed no longer: its hash is taken now and its
	 * tree holds what the model uses. The chain then holds each parent's
	 * tree, not its text as well. */
	rb_sha256_hex(m->doc->source, m->doc->source_len, m->file_hash);
	if (depth > 0)
		rb_doc_drop_source(m->doc);
	if (m->extends.s && !allow) {
		st = rb_error_add(err, RULEBOOK_ERR_INVALID, m->extends.pos, m->id.s,
				  "extends '%s': loading other rulebooks is forbidden by the options",
				  m->extends.s);
		rb_model_free(m);
		return st;
	}
	if (m->extends.s) {
		char ppath[RB_PATH_MAX];
		if (depth + 1 >= RB_EXTENDS_MAX) {
			st = rb_error_add(err, RULEBOOK_ERR_LIMIT, m->extends.pos, m->id.s,
					  "extends chain deeper than %d rulebooks", RB_EXTENDS_MAX);
			rb_model_free(m);
			return st;
		}
		const char *pdata = NULL;
		size_t plen = 0;
		char what[RB_PATH_MAX + 64];
		if (resolver) {
			st = fetch_parent(resolver, m, &pdata, &plen, err);
			if (st != RULEBOOK_OK) {
				rb_model_free(m);
				return st;
			}
			snprintf(ppath, sizeof ppath, "%s", m->extends.s);
		} else if (!resolve(path, m->extends.s, search, nsearch, ppath, sizeof ppath, what,
				    sizeof what)) {
			if (what[0])
				st = rb_error_add(err, RULEBOOK_ERR_IO, m->extends.pos, m->id.s,
						  "extends '%s': %s", m->extends.s, what);
			else
				st = rb_error_add(err, RULEBOOK_ERR_IO, m->extends.pos, m->id.s,
						  "extends '%s': no such rulebook file (looked relative to %s "
						  "and in the search path)",
						  m->extends.s, path);
			rb_model_free(m);
			return st;
		}
		char real[RB_PATH_MAX];
		if (resolver || !realpath(ppath, real))
			snprintf(real, sizeof real, "%s", ppath);
		for (int i = 0; i <= depth; i++)
			if (strcmp(chain[i], real) == 0) {
				st = rb_error_add(err, RULEBOOK_ERR_CYCLE, m->extends.pos, m->id.s,
						  "extends '%s' makes a cycle: %s is already in the chain",
						  m->extends.s, ppath);
				rb_model_free(m);
				return st;
			}
		snprintf(chain[depth + 1], RB_PATH_MAX, "%s", real);
		rb_model *parent = NULL;
		st = load(ppath, pdata, plen, limits, search, nsearch, resolver, allow, chain, depth + 1,
			  total, &parent, err);
		if (st != RULEBOOK_OK)
			/* the parent's own diagnostics come first; this one says who asked */
			rb_error_add(err, st, m->extends.pos, m->id.s,
				     "extends '%s': the parent rulebook %s could not be loaded", m->extends.s,
				     ppath);
		if (st == RULEBOOK_OK)
			st = merge(m, parent, err);
		if (st != RULEBOOK_OK) {
			if (!m->parent)
				rb_model_free(parent);
			rb_model_free(m);
			return st;
		}
	}
	*out = m;
	return RULEBOOK_OK;
}

rulebook_status rb_model_load(const char *path, const char *data, size_t len,
			      const rb_limits *limits, const char *const *search, size_t nsearch,
			      const rb_resolver *resolver, bool allow_extends, rb_model **out,
			      rulebook_error *err)
{
	char (*chain)[RB_PATH_MAX] = rb_malloc(RB_EXTENDS_MAX * sizeof(*chain));
	if (!chain)
		return rb_error_add(err, RULEBOOK_ERR_NOMEM, (rb_pos){0}, NULL, "out of memory");
	if (resolver || !realpath(path, chain[0]))
		snprintf(chain[0], RB_PATH_MAX, "%s", path);
	uint64_t total = 0;
	rulebook_status st = load(path, data, len, limits, search, nsearch, resolver, allow_extends,
				  chain, 0, &total, out, err);
	rb_free(chain);
	return st;
}
