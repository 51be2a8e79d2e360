/* Text as a JSON string, escaped as the library's own JSON output escapes
 * it, for programs that write JSON documents of their own around the
 * library's figures (the command-line tool's diff and monitor reports). */
#include "buf.h"

#include <rulebook.h>

#include <string.h>

RULEBOOK_API rulebook_status rulebook_json_string(const char *text, size_t len, char *buf,
						  size_t size, size_t *out_len)
{
	if (!text || (!buf && size))
		return RULEBOOK_ERR_INVALID;
	rb_buf b;
	rb_buf_init(&b);
	rb_buf_json_string(&b, text, len);
	if (b.failed) {
		rb_buf_release(&b);
		return RULEBOOK_ERR_NOMEM;
	}
	if (out_len)
		*out_len = b.len;
	rulebook_status st = RULEBOOK_OK;
	if (b.len >= size) {
		if (size)
			buf[0] = '\0';
		st = RULEBOOK_ERR_LIMIT;
	} else {
		memcpy(buf, b.data, b.len);
		buf[b.len] = '\0';
	}
	rb_buf_release(&b);
	return st;
}
