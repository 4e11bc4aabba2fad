/* Shared network fetch for the verify/ tools (libcurl).  http and https only
 * (also on redirects), a total timeout, a size cap, HTTP 200 required.  The
 * bytes returned are exactly the body received, so a tool can --save them and
 * reproduce its verdict offline. */
#ifndef LP_CLI_FETCH_H
#define LP_CLI_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "canonical/lp_code.h"

#define LP_FETCH_TIMEOUT_S   10L   /* nitro-attestation.md §8.5 */
#define LP_FETCH_CONNECT_S    5L
#define LP_FETCH_MAX_REDIRS   3L

/* 1 when s starts with http:// or https:// (case-insensitive). */
int lp_is_url(const char *s);

/* GETs url: LP_CODE_OK, USAGE (not http(s)), NETWORK_ERROR (including a final status
 * other than 200), INPUT_TOO_LARGE (body over max) or OUT_OF_MEMORY.  On success *out is
 * malloc'd (caller frees; one spare NUL appended, not counted in *len).  err gets a
 * one-line reason on failure. */
lp_code lp_fetch(const char *url, size_t max, uint8_t **out, size_t *len, char *err, size_t errlen);

#endif
