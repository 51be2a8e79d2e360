/* Exact decimal arithmetic on the decimal text the library hands out: for
 * sorting targets by their lead over time progress, for thresholds plus or
 * minus a step, and for rounding figures for people. Nothing goes through
 * binary floating point and nothing depends on the C locale. */
#include "cli.h"

#include <string.h>

static void normalize(cli_dec *a)
{
	size_t lead = 0;
	while (lead < a->n && a->d[lead] == 0)
		lead++;
	if (lead) {
		memmove(a->d, a->d + lead, a->n - lead);
		a->n -= lead;
	}
	while (a->n && a->d[a->n - 1] == 0) {
		a->n--;
		a->scale++;
	}
	if (!a->n) {
		a->neg = false;
		a->scale = 0;
	}
}

void cli_dec_zero(cli_dec *out)
{
	memset(out, 0, sizeof(*out));
}

void cli_dec_pow10(int k, cli_dec *out)
{
	cli_dec_zero(out);
	out->n = 1;
	out->d[0] = 1;
	out->scale = k;
}

bool cli_dec_parse(const char *s, size_t len, cli_dec *out)
{
	cli_dec_zero(out);
	size_t i = 0;
	bool neg = false;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	long frac = 0;
	bool digits = false, point = false;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '.' && !point) {
			point = true;
			continue;
		}
		if (c < '0' || c > '9')
			break;
		digits = true;
		if (point)
			frac++;
		if (out->n == 0 && c == '0')
			continue; /* leading zeros */
		if (out->n == CLI_DEC_DIGITS)
			return false;
		out->d[out->n++] = (unsigned char)(c - '0');
	}
	if (!digits || frac > 1000)
		return false;
	long exp = 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= len || s[i] < '0' || s[i] > '9')
			return false;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			exp = exp * 10 + (s[i] - '0');
			if (exp > 1000)
				return false;
		}
		exp = eneg ? -exp : exp;
	}
	if (i != len)
		return false;
	out->scale = (int)(exp - frac);
	out->neg = neg;
	normalize(out);
	return true;
}

bool cli_dec_parse_text(const char *s, cli_dec *out)
{
	return s && cli_dec_parse(s, strlen(s), out);
}

/* Compare magnitudes. */
static int cmp_abs(const cli_dec *a, const cli_dec *b)
{
	if (!a->n || !b->n)
		return a->n ? 1 : b->n ? -1 : 0;
	/* Position of the most significant digit. */
	long ta = (long)a->n + a->scale, tb = (long)b->n + b->scale;
	if (ta != tb)
		return ta > tb ? 1 : -1;
	size_t n = a->n > b->n ? a->n : b->n;
	for (size_t i = 0; i < n; i++) {
		int da = i < a->n ? a->d[i] : 0, db = i < b->n ? b->d[i] : 0;
		if (da != db)
			return da > db ? 1 : -1;
	}
	return 0;
}

int cli_dec_cmp(const cli_dec *a, const cli_dec *b)
{
	if (a->neg != b->neg && (a->n || b->n))
		return a->neg ? -1 : 1;
	int c = cmp_abs(a, b);
	return a->neg ? -c : c;
}

/* Digit k (0 = units of 10^scale) of a, counted from the least significant
 * end at the scale s. */
static int digit_at(const cli_dec *a, int s, long k)
{
	long shift = (long)a->scale - s; /* zeros appended to a's digits */
	if (k < shift)
		return 0;
	long idx = (long)a->n - 1 - (k - shift);
	return idx >= 0 ? a->d[idx] : 0;
}

bool cli_dec_add(const cli_dec *a, const cli_dec *b, cli_dec *out)
{
	if (!a->n || !b->n) {
		*out = a->n ? *a : *b;
		return true;
	}
	int s = a->scale < b->scale ? a->scale : b->scale;
	long la = (long)a->n + a->scale - s, lb = (long)b->n + b->scale - s;
	long len = (la > lb ? la : lb) + 1;
	if (len > 2 * CLI_DEC_DIGITS)
		return false;
	unsigned char work[2 * CLI_DEC_DIGITS];
	bool neg;
	if (a->neg == b->neg) {
		int carry = 0;
		for (long k = 0; k < len; k++) {
			int v = digit_at(a, s, k) + digit_at(b, s, k) + carry;
			work[len - 1 - k] = (unsigned char)(v % 10);
			carry = v / 10;
		}
		neg = a->neg;
	} else {
		const cli_dec *big = a, *small = b;
		if (cmp_abs(a, b) < 0) {
			big = b;
			small = a;
		}
		int borrow = 0;
		for (long k = 0; k < len; k++) {
			int v = digit_at(big, s, k) - digit_at(small, s, k) - borrow;
			borrow = v < 0;
			work[len - 1 - k] = (unsigned char)(v + (borrow ? 10 : 0));
		}
		neg = big->neg;
	}
	/* Drop leading and trailing zeros before copying into out. */
	long first = 0, last = len - 1;
	while (first < len && work[first] == 0)
		first++;
	if (first == len) {
		cli_dec_zero(out);
		return true;
	}
	int scale = s;
	while (work[last] == 0) {
		last--;
		scale++;
	}
	if (last - first + 1 > CLI_DEC_DIGITS)
		return false;
	out->n = (size_t)(last - first + 1);
	memcpy(out->d, work + first, out->n);
	out->scale = scale;
	out->neg = neg;
	return true;
}

bool cli_dec_sub(const cli_dec *a, const cli_dec *b, cli_dec *out)
{
	cli_dec nb = *b;
	nb.neg = nb.n ? !nb.neg : false;
	return cli_dec_add(a, &nb, out);
}

void cli_dec_shift(cli_dec *a, int k)
{
	if (a->n)
		a->scale += k;
}

void cli_dec_round(const cli_dec *a, int places, cli_dec *out)
{
	*out = *a;
	if (!a->n || a->scale >= -places)
		return;
	long drop = -(long)places - a->scale; /* digits below the last kept place */
	long keep = (long)a->n - drop;
	int next = keep >= 0 ? a->d[keep] : 0; /* first dropped digit */
	if (keep <= 0) {
		cli_dec_zero(out);
		if (keep == 0 && next >= 5) {
			cli_dec_pow10(-places, out);
			out->neg = a->neg;
		}
		return;
	}
	out->n = (size_t)keep;
	out->scale = -places;
	if (next >= 5) {
		long i = keep - 1;
		while (i >= 0 && out->d[i] == 9)
			out->d[i--] = 0;
		if (i >= 0) {
			out->d[i]++;
		} else {
			/* 9.99 -> 10.0: one more digit at the front */
			if (out->n == CLI_DEC_DIGITS) {
				out->n--;
				out->scale++;
			}
			memmove(out->d + 1, out->d, out->n);
			out->d[0] = 1;
			out->n++;
		}
	}
	normalize(out);
}

bool cli_dec_is_integer(const cli_dec *a)
{
	return a->scale >= 0 || !a->n;
}

bool cli_dec_format(const cli_dec *a, char *buf, size_t size)
{
	size_t at = 0;
#define PUT(c)                                                                                     \
	do {                                                                                       \
		if (at + 1 >= size)                                                                \
			goto full;                                                                 \
		buf[at++] = (c);                                                                   \
	} while (0)
	if (!size)
		return false;
	if (!a->n) {
		PUT('0');
		buf[at] = '\0';
		return true;
	}
	if (a->neg)
		PUT('-');
	long n = (long)a->n, s = a->scale;
	if (s >= 0) {
		for (long i = 0; i < n; i++)
			PUT((char)('0' + a->d[i]));
		for (long i = 0; i < s; i++)
			PUT('0');
	} else if (n + s > 0) {
		for (long i = 0; i < n; i++) {
			if (i == n + s)
				PUT('.');
			PUT((char)('0' + a->d[i]));
		}
	} else {
		PUT('0');
		PUT('.');
		for (long i = 0; i < -(n + s); i++)
			PUT('0');
		for (long i = 0; i < n; i++)
			PUT((char)('0' + a->d[i]));
	}
#undef PUT
	buf[at] = '\0';
	return true;
full:
	buf[0] = '\0';
	return false;
}

int cli_decimals_written(const char *text)
{
	const char *p = strchr(text, '.');
	if (!p)
		return 0;
	int n = 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		n++;
	return n;
}

const char *cli_round_text(const char *text, int places, int shift, char *buf, size_t size)
{
	if (!text)
		return NULL;
	/* An optional '>' or '<', an optional sign, the number, then anything
	 * (a unit after a space, a '%'). */
	size_t at = 0;
	char prefix[4];
	size_t np = 0;
	if (text[at] == '>' || text[at] == '<')
		prefix[np++] = text[at++];
	bool plus = text[at] == '+';
	if (plus)
		at++;
	size_t end = at;
	while (text[end] && text[end] != ' ' && text[end] != '%')
		end++;
	cli_dec d, r;
	if (!cli_dec_parse(text + at, end - at, &d)) {
		snprintf(buf, size, "%s", text);
		return buf;
	}
	cli_dec_shift(&d, shift);
	cli_dec_round(&d, places, &r);
	char num[CLI_DEC_DIGITS * 2 + 8];
	if (!cli_dec_format(&r, num, sizeof num)) {
		snprintf(buf, size, "%s", text);
		return buf;
	}
	if (plus && !r.neg)
		prefix[np++] = '+';
	prefix[np] = '\0';
	snprintf(buf, size, "%s%s%s", prefix, num, text + end);
	return buf;
}
