/* JSON text read through libyaml (which keeps numbers as their decimal
 * text). libyaml rejects UTF-16 surrogate-pair escapes ("\ud83d\ude00"),
 * which standard JSON encoders write for characters beyond the BMP; they
 * are rewritten here as the YAML escape \UXXXXXXXX. */
#ifndef RB_JSON_H
#define RB_JSON_H

#include <stddef.h>

/* NULL when s[0..len) holds no surrogate pair (read it as it is);
 * otherwise a rewritten copy (release with rb_free) and its length in
 * *outlen. Each pair becomes 2 bytes shorter, so columns after it on the
 * same line shift by 2. Sets *nomem on allocation failure. */
char *rb_json_rewrite_surrogates(const char *s, size_t len, size_t *outlen, int *nomem);

#endif
