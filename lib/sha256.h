/* SHA-256 (FIPS 180-4), used for the content hash of a rulebook. */
#ifndef RB_SHA256_H
#define RB_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Hash len bytes of data into 64 lowercase hex digits and a NUL. */
void rb_sha256_hex(const void *data, size_t len, char out[65]);

#endif
