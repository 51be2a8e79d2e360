/* Encodings: every data file is turned into UTF-8 before it is read.
 *
 * A byte order mark decides first (UTF-8, UTF-16LE, UTF-16BE). Without one,
 * a file that starts with a zero byte beside a nonzero one is UTF-16
 * without a mark. Otherwise the bytes pass through untouched while they
 * are ASCII, which reads the same in UTF-8 and GB18030; at the first byte
 * that is not, the rest of that chunk decides: valid UTF-8 stays UTF-8,
 * anything else is GB18030 (which covers GBK and GB2312, what Excel and
 * WPS write on a Chinese Windows machine). --encoding overrides all of it.
 * Conversion goes through iconv (glibc). */
#include "input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Names people write, and the name iconv knows them by. */
static const char *canonical(const char *name)
{
	static const struct {
		const char *alias, *name;
	} names[] = {
		{"utf8", "UTF-8"},        {"utf-8", "UTF-8"},         {"gb18030", "GB18030"},
		{"gbk", "GB18030"},       {"gb2312", "GB18030"},      {"cp936", "GB18030"},
		{"utf-16", "UTF-16"},     {"utf16", "UTF-16"},        {"utf-16le", "UTF-16LE"},
		{"utf16le", "UTF-16LE"},  {"utf-16be", "UTF-16BE"},   {"utf16be", "UTF-16BE"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i].alias) == 0)
			return names[i].name;
	return name;
}

int cli_encoding_check(const char *name)
{
	const char *enc = canonical(name);
	if (strcmp(enc, "UTF-8") == 0)
		return 0;
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return -1;
	iconv_close(cd);
	return 0;
}

void input_decoder_free(input_decoder *d)
{
	if (d->cd != (iconv_t)-1 && d->cd)
		iconv_close(d->cd);
	d->cd = (iconv_t)-1;
	free(d->out);
	d->out = NULL;
	d->out_cap = 0;
}

bool input_decoder_init(input_decoder *d, const char *encoding)
{
	memset(d, 0, sizeof(*d));
	d->cd = (iconv_t)-1;
	if (!encoding)
		return true;
	const char *enc = canonical(encoding);
	d->forced = true;
	snprintf(d->name, sizeof d->name, "%s", enc);
	if (strcmp(enc, "UTF-8") == 0) {
		d->state = DEC_UTF8;
		return true;
	}
	d->cd = iconv_open("UTF-8", enc);
	if (d->cd == (iconv_t)-1)
		return false;
	d->state = DEC_ICONV;
	return true;
}

static bool start_iconv(input_decoder *d, const char *enc)
{
	snprintf(d->name, sizeof d->name, "%s", enc);
	d->cd = iconv_open("UTF-8", enc);
	if (d->cd == (iconv_t)-1)
		return false;
	d->state = DEC_ICONV;
	return true;
}

/* Is s[0..len) valid UTF-8, allowing a character cut off at the end? */
static bool utf8_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t c;
		size_t n = cli_utf8_char(s + i, len - i, &c);
		if (n) {
			i += n;
			continue;
		}
		/* A lead byte whose sequence runs past the end: undecided. */
		size_t want = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC2 ? 2 : 0;
		if (!want || i + want <= len)
			return false;
		for (size_t k = i + 1; k < len; k++)
			if ((s[k] & 0xC0) != 0x80)
				return false;
		return true;
	}
	return true;
}

/* The first chunk: byte order marks and UTF-16 without one. Returns how
 * many bytes of the mark to skip. */
static size_t first_chunk(input_decoder *d, const unsigned char *s, size_t len, bool *ok)
{
	*ok = true;
	if (d->forced) {
		/* A mark that agrees with the named encoding is dropped. */
		if (d->state == DEC_UTF8 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			return 3;
		if (strcmp(d->name, "UTF-16LE") == 0 && len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
			return 2;
		if (strcmp(d->name, "UTF-16BE") == 0 && len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
			return 2;
		return 0;
	}
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		d->state = DEC_UTF8;
		snprintf(d->name, sizeof d->name, "UTF-8");
		return 3;
	}
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		*ok = start_iconv(d, "UTF-16LE");
		return 2;
	}
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		*ok = start_iconv(d, "UTF-16BE");
		return 2;
	}
	if (len >= 2 && s[0] && !s[1])
		*ok = start_iconv(d, "UTF-16LE");
	else if (len >= 2 && !s[0] && s[1])
		*ok = start_iconv(d, "UTF-16BE");
	return 0;
}

const char *input_decode(input_decoder *d, const char *in, size_t len, bool last,
			 size_t *out_len, const char **problem)
{
	const unsigned char *s = (const unsigned char *)in;
	*problem = NULL;
	*out_len = 0;
	if (!d->started && len) {
		d->started = true;
		bool ok;
		size_t skip = first_chunk(d, s, len, &ok);
		if (!ok) {
			*problem = "cannot convert the text (iconv failed)";
			return in;
		}
		s += skip;
		len -= skip;
		d->consumed += skip;
	}
	if (d->state == DEC_UNDECIDED) {
		size_t i = 0;
		while (i < len && s[i] < 0x80)
			i++;
		if (i < len) {
			if (utf8_prefix(s + i, len - i)) {
				d->state = DEC_UTF8;
				snprintf(d->name, sizeof d->name, "UTF-8");
			} else if (!start_iconv(d, "GB18030")) {
				*problem = "cannot convert the text from GB18030 (iconv failed)";
				return in;
			}
		}
	}
	if (d->state != DEC_ICONV) {
		d->consumed += len;
		*out_len = len;
		return (const char *)s;
	}
	/* The bytes left over from the last chunk, then this chunk. */
	size_t total = d->ncarry + len;
	size_t need = total * 2 + 16; /* UTF-16 and GB18030 grow at most 3/2 */
	if (need > d->out_cap) {
		char *p = realloc(d->out, need);
		if (!p) {
			*problem = "out of memory";
			return in;
		}
		d->out = p;
		d->out_cap = need;
	}
	char *src = NULL;
	const char *from = (const char *)s;
	if (d->ncarry) {
		src = malloc(total);
		if (!src) {
			*problem = "out of memory";
			return in;
		}
		memcpy(src, d->carry, d->ncarry);
		memcpy(src + d->ncarry, s, len);
		from = src;
	}
	char *ip = (char *)from, *op = d->out;
	size_t il = total, ol = d->out_cap;
	size_t r = iconv(d->cd, &ip, &il, &op, &ol);
	d->ncarry = 0;
	if (r == (size_t)-1) {
		if (errno == EINVAL && !last && il <= sizeof d->carry) {
			memcpy(d->carry, ip, il); /* a character cut by the chunk */
			d->ncarry = il;
		} else if (errno == EINVAL) {
			*problem = "the file ends in the middle of a character";
		} else {
			d->bad_at = d->consumed + (uint64_t)(ip - from);
			*problem = "a byte sequence that is not valid in this encoding";
		}
	}
	d->consumed += (uint64_t)(ip - from);
	free(src);
	*out_len = (size_t)(op - d->out);
	return d->out;
}
