/* Where evidence comes from: a file, "-" (standard input), an http(s) URL, or an
 * Arweave transaction id fetched from a gateway.  Read or fetched once, capped,
 * optionally saved byte for byte (--save) so the verdict can be reproduced with
 * --offline. */
#ifndef LP_CLI_SOURCE_H
#define LP_CLI_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "canonical/lp_code.h"

#define LP_DEFAULT_GATEWAY "https://arweave.net"

typedef struct {
    const char *gateway;   /* base URL for transaction ids; NULL: ids are not recognised */
    int offline;           /* refuse the network (OFFLINE) */
    const char *save;      /* write the bytes read here; NULL: no */
} lp_source_opts;

/* 1 when s is 43 base64url characters (an Arweave transaction id). */
int lp_is_txid(const char *s);

/* Reads src (a local file wins over a transaction id of the same name) or fetches it
 * (GET <gateway>/<txid> for an id).  LP_CODE_OK with *out malloc'd (caller frees), or
 * IO_ERROR, INPUT_TOO_LARGE, OUT_OF_MEMORY, OFFLINE, NETWORK_ERROR, USAGE with err set. */
lp_code lp_load_source(const char *src, const lp_source_opts *o, size_t max, uint8_t **out, size_t *len, char *err,
                       size_t errlen);

/* A gateway base URL (no path, or "/") stands for its /attest endpoint; any other source
 * is itself.  Returns a malloc'd string (caller frees), NULL when out of memory. */
char *lp_attest_source(const char *src);

#endif
