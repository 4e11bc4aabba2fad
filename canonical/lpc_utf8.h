/* The toolkit's one UTF-8 decoder (RFC 3629: no overlong forms, nothing above
 * U+10FFFF).  Surrogates U+D800..U+DFFF are refused unless LPC_UTF8_SURROGATES
 * is given (WTF-8, Python's "surrogatepass"), which the JSON parser uses for
 * json.loads(bytes).  Pure; no state. */
#ifndef LPC_UTF8_H
#define LPC_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define LPC_UTF8_SURROGATES 1u  /* accept ED A0..BF xx (encoded lone surrogates) */

/* Decodes the sequence at p[0..avail): its length (1..4) with the code point in *cp
 * (cp may be NULL), or 0 when it is invalid or truncated (avail == 0 included). */
size_t lpc_utf8_next(const uint8_t *p, size_t avail, unsigned flags, uint32_t *cp);

/* 1 when s[0..n) is valid throughout; else 0, with *bad (if non-NULL) the offset of
 * the first byte that does not start a valid sequence. */
int lpc_utf8_valid(const uint8_t *s, size_t n, unsigned flags, size_t *bad);

/* Writes cp (at most U+10FFFF; surrogates are written as WTF-8) to out; returns its
 * length (1..4), or 0 when cp is above U+10FFFF. */
size_t lpc_utf8_put(uint32_t cp, uint8_t out[4]);

#endif
