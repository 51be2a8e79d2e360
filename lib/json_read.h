/* A strict JSON (RFC 8259) reader for facts, into the document tree of
 * node.h (json_read.c). */
#ifndef RB_JSON_READ_H
#define RB_JSON_READ_H

#include "node.h"

/* Read one JSON value from data[0..len) (name appears in diagnostics;
 * limits may be NULL for the defaults). Strings are RB_SCALAR_DOUBLE
 * scalars with escapes resolved; numbers keep their exact text and, like
 * true, false and null, are RB_SCALAR_PLAIN. A leading UTF-8 byte order
 * mark is skipped. Refused, with line and column (bytes): anything that is
 * not RFC 8259 (RULEBOOK_ERR_SYNTAX), a NUL byte or invalid UTF-8
 * (RULEBOOK_ERR_SYNTAX), "\u0000" (RULEBOOK_ERR_VALUE), an empty text or a
 * key twice in one object (RULEBOOK_ERR_SCHEMA), and the file size, depth,
 * node and scalar limits (RULEBOOK_ERR_LIMIT). On success *out is
 * a document to free with rb_doc_free. */
rulebook_status rb_json_load(const char *data, size_t len, const char *name,
			     const rb_limits *limits, rb_doc **out, rulebook_error *err);

#endif
