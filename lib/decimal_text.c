/* The public decimal functions: exact decimal numbers given and returned as
 * text, so that programs (and the command-line tool) compare, compute with
 * and format the figures the library hands out without binary floating
 * point and without a decimal library of their own. */
#include "decimal.h"
#include "error.h"

#include <rulebook.h>

#include <string.h>

/* Text to a decimal: the forms rb_dec_parse_percent reads. */
static rulebook_status read_decimal(const char *text, size_t len, rb_dec *out,
				    rulebook_error *err)
{
	if (!text)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL,
				    "no decimal text given");
	size_t at = 0;
	switch (rb_dec_parse_percent(text, len, out, &at)) {
	case RB_DEC_OK:
		return RULEBOOK_OK;
	case RB_DEC_PRECISION:
		return rb_error_add(err, RULEBOOK_ERR_RANGE, (rb_pos){NULL, 1, 1}, NULL,
				    "'%.*s' needs more than 18 significant digits",
				    (int)(len > 64 ? 64 : len), text);
	case RB_DEC_OVERFLOW:
		return rb_error_add(err, RULEBOOK_ERR_RANGE, (rb_pos){NULL, 1, 1}, NULL,
				    "'%.*s' is outside the decimal range", (int)(len > 64 ? 64 : len),
				    text);
	default:
		return rb_error_add(err, RULEBOOK_ERR_VALUE,
				    (rb_pos){NULL, 1, (uint32_t)(at < len ? at : len) + 1}, NULL,
				    "'%.*s' is not a decimal number", (int)(len > 64 ? 64 : len),
				    text);
	}
}

/* Copy text (n bytes) into buf: RULEBOOK_ERR_LIMIT, with the length that
 * is needed in *out_len, when it does not fit with its NUL. */
static rulebook_status hand_out(const char *text, size_t n, char *buf, size_t size,
				size_t *out_len)
{
	if (out_len)
		*out_len = n;
	if (n >= size) {
		if (size)
			buf[0] = '\0';
		return RULEBOOK_ERR_LIMIT;
	}
	memcpy(buf, text, n);
	buf[n] = '\0';
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_decimal_parse(const char *text, size_t len, char *buf,
						    size_t size, size_t *out_len,
						    rulebook_error *err)
{
	rulebook_error_clear(err);
	if (!buf && size)
		return rb_error_add(err, RULEBOOK_ERR_INVALID, (rb_pos){0}, NULL, "no buffer given");
	rb_dec d;
	rulebook_status st = read_decimal(text, len, &d, err);
	if (st != RULEBOOK_OK)
		return st;
	char tmp[RB_DEC_BUFSIZE];
	size_t n = rb_dec_format(d, tmp, sizeof tmp);
	st = hand_out(tmp, n, buf, size, out_len);
	if (st != RULEBOOK_OK)
		rb_error_add(err, st, (rb_pos){0}, NULL, "the buffer needs %zu bytes", n + 1);
	return st;
}

RULEBOOK_API rulebook_status rulebook_decimal_compare(const char *a, size_t alen, const char *b,
						      size_t blen, int *out)
{
	rb_dec x, y;
	rulebook_status st;
	if (!out)
		return RULEBOOK_ERR_INVALID;
	if ((st = read_decimal(a, alen, &x, NULL)) != RULEBOOK_OK ||
	    (st = read_decimal(b, blen, &y, NULL)) != RULEBOOK_OK)
		return st;
	*out = rb_dec_cmp(x, y);
	return RULEBOOK_OK;
}

RULEBOOK_API rulebook_status rulebook_decimal_calc(const char *a, size_t alen,
						   rulebook_decimal_op op, const char *b,
						   size_t blen, char *buf, size_t size,
						   size_t *out_len)
{
	rb_dec x, y, r;
	rulebook_status st;
	if (!buf && size)
		return RULEBOOK_ERR_INVALID;
	if ((st = read_decimal(a, alen, &x, NULL)) != RULEBOOK_OK ||
	    (st = read_decimal(b, blen, &y, NULL)) != RULEBOOK_OK)
		return st;
	rb_dec_status ds;
	switch (op) {
	case RULEBOOK_DECIMAL_ADD:
		ds = rb_dec_add(x, y, &r);
		break;
	case RULEBOOK_DECIMAL_SUB:
		ds = rb_dec_sub(x, y, &r);
		break;
	case RULEBOOK_DECIMAL_MUL:
		ds = rb_dec_mul(x, y, &r);
		break;
	case RULEBOOK_DECIMAL_DIV:
		ds = rb_dec_div(x, y, &r);
		break;
	default:
		return RULEBOOK_ERR_INVALID;
	}
	if (ds == RB_DEC_DIVZERO)
		return RULEBOOK_ERR_VALUE;
	if (ds != RB_DEC_OK)
		return RULEBOOK_ERR_RANGE;
	char tmp[RB_DEC_BUFSIZE];
	return hand_out(tmp, rb_dec_format(r, tmp, sizeof tmp), buf, size, out_len);
}

RULEBOOK_API rulebook_status rulebook_decimal_format(const char *text, size_t len, int32_t places,
						     rulebook_rounding rounding, uint32_t flags,
						     char *buf, size_t size, size_t *out_len)
{
	static const rb_dec_rounding modes[] = {
		[RULEBOOK_ROUND_HALF_UP] = RB_ROUND_HALF_UP,
		[RULEBOOK_ROUND_HALF_EVEN] = RB_ROUND_HALF_EVEN,
		[RULEBOOK_ROUND_DOWN] = RB_ROUND_DOWN,
		[RULEBOOK_ROUND_FLOOR] = RB_ROUND_FLOOR,
		[RULEBOOK_ROUND_CEILING] = RB_ROUND_CEILING,
	};
	const uint32_t known = RULEBOOK_FORMAT_THOUSANDS | RULEBOOK_FORMAT_FIXED |
			       RULEBOOK_FORMAT_SIGN;
	if ((!buf && size) || places < RULEBOOK_DECIMAL_ALL_PLACES || places > 300 ||
	    (unsigned)rounding > RULEBOOK_ROUND_CEILING || (flags & ~known) ||
	    ((flags & RULEBOOK_FORMAT_FIXED) && places < 0))
		return RULEBOOK_ERR_INVALID;
	rb_dec d;
	rulebook_status st = read_decimal(text, len, &d, NULL);
	if (st != RULEBOOK_OK)
		return st;
	if (places >= 0 && rb_dec_round(d, places, modes[rounding], &d) != RB_DEC_OK)
		return RULEBOOK_ERR_RANGE;
	char plain[RB_DEC_BUFSIZE];
	size_t n = rb_dec_format(d, plain, sizeof plain);
	/* sign, integer digits with separators, fraction padded to places */
	char out[RB_DEC_BUFSIZE * 3];
	size_t o = 0;
	const char *p = plain;
	if (*p == '-')
		out[o++] = *p++;
	else if ((flags & RULEBOOK_FORMAT_SIGN) && !rb_dec_is_zero(d))
		out[o++] = '+';
	const char *dot = memchr(p, '.', n - (size_t)(p - plain));
	size_t nint = dot ? (size_t)(dot - p) : n - (size_t)(p - plain);
	for (size_t i = 0; i < nint; i++) {
		if ((flags & RULEBOOK_FORMAT_THOUSANDS) && i && (nint - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	size_t nfrac = dot ? n - (size_t)(dot + 1 - plain) : 0;
	size_t want = (flags & RULEBOOK_FORMAT_FIXED) ? (size_t)places : nfrac;
	if (want) {
		out[o++] = '.';
		memcpy(out + o, dot ? dot + 1 : "", nfrac);
		o += nfrac;
		for (; nfrac < want; nfrac++)
			out[o++] = '0';
	}
	return hand_out(out, o, buf, size, out_len);
}
