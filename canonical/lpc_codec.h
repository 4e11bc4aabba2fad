/* Lowercase hex and strict base64 (RFC 4648).  Pure; output into caller buffers or
 * appended to a caller-owned lpc_buf (lpc_buf.h). */
#ifndef LPC_CODEC_H
#define LPC_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_buf.h"
#include "canonical/lpc_err.h"

/* Lowercase hex; out has room for 2n+1 bytes (NUL-terminated). */
void lpc_hex_encode(const uint8_t *p, size_t n, char *out);
/* Strict: even length, [0-9a-fA-F] only.  *outlen = len/2 <= outcap. */
lpc_err lpc_hex_decode(const char *s, size_t len, uint8_t *out, size_t outcap, size_t *outlen);
/* CPython bytes.fromhex (3.7+) on a str given as bytes (sr25519.md §2.2): runs of ASCII
 * whitespace (space, \t \n \v \f \r) are skipped before each byte, every byte is two
 * adjacent [0-9a-fA-F] digits; anything else (a non-ASCII byte, 0x, an odd digit, a space
 * inside a pair) is LPC_ERR_HEX.  Writes the first cap bytes to out and sets *outlen to the
 * number of bytes the whole text decodes to (which may exceed cap). */
lpc_err lpc_py_fromhex(const char *s, size_t len, uint8_t *out, size_t cap, size_t *outlen);
/* 1 when s is exactly len lowercase hex digits. */
int lpc_is_lower_hex(const char *s, size_t len);

typedef enum {
    LPC_B64_STD,        /* RFC 4648 §4, '=' padding required */
    LPC_B64_URL_NOPAD   /* RFC 4648 §5, no padding (Arweave /tx/{id}/data) */
} lpc_b64_variant;

/* Appends the encoding to out. */
lpc_err lpc_b64_encode(const uint8_t *p, size_t n, lpc_b64_variant v, lpc_buf *out);
/* Strict: only the variant's alphabet, no whitespace, exact padding rule,
 * zero trailing bits.  Appends decoded bytes to out. */
lpc_err lpc_b64_decode(const char *s, size_t len, lpc_b64_variant v, lpc_buf *out);
/* As lpc_b64_decode into out[0..cap) (*n bytes written; LPC_ERR_TOO_LARGE when cap is
 * short; out's contents are unspecified on error).  A text split at multiples of 4
 * characters decodes part by part to the same bytes, provided no part but the last ends
 * in '=' (the caller checks: a padded middle part would pass on its own). */
lpc_err lpc_b64_decode_to(const char *s, size_t len, lpc_b64_variant v, uint8_t *out, size_t cap, size_t *n);

#endif
