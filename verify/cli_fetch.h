/* Shared network fetch for the verify/ tools (libcurl).  http and https only
 * (also on redirects), a total timeout, a size cap, HTTP 200 required.  The
 * bytes returned are exactly the body received, so a tool can --save them and
 * reproduce its verdict offline. */
#ifndef LP_CLI_FETCH_H
#define LP_CLI_FETCH_H

#include <stddef.h>
#include <stdint.h>

#define LP_FETCH_TIMEOUT_S   10L   /* nitro-attestation.md §8.5 */
#define LP_FETCH_CONNECT_S    5L
#define LP_FETCH_MAX_REDIRS   3L

typedef enum {
    LP_FETCH_OK = 0,
    LP_FETCH_BAD_URL,      /* not http:// or https:// */
    LP_FETCH_NETWORK,      /* DNS, connect, TLS, timeout, bad redirect ... */
    LP_FETCH_HTTP_STATUS,  /* final status is not 200 */
    LP_FETCH_TOO_LARGE,    /* body over max bytes */
    LP_FETCH_NOMEM
} lp_fetch_status;

/* 1 when s starts with http:// or https:// (case-insensitive). */
int lp_is_url(const char *s);

/* GETs url.  On success *out is malloc'd (caller frees; one spare NUL appended,
 * not counted in *len).  err gets a one-line reason on failure. */
lp_fetch_status lp_fetch(const char *url, size_t max, uint8_t **out, size_t *len, char *err, size_t errlen);

/* Writes len bytes to path exactly (truncating).  0 on success, -1 with err set. */
int lp_save_bytes(const char *path, const uint8_t *p, size_t len, char *err, size_t errlen);

#endif
