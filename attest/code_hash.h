/* Leadpoet gateway code_hash (leadpoet-formats.md §13.6), both eras.
 *
 * Pure: the caller walks GATEWAY_DIR and passes (logical path, content) pairs;
 * this module selects the files of the era, orders them and hashes them with
 * SHA-256.  Logical paths are POSIX, relative to the gateway root ("api/a.py").
 *
 * current (gateway/tee/code_hash.py @5fe22c16): root files main.py, config.py,
 *   pcr0_allowlist.json + files under the include dirs; suffix in
 *   {.py,.json,.txt,.dat,.sh}; no component in the excluded dirs; no dot-file
 *   names, excluded suffixes or excluded names.  Sorted as strings (code point =
 *   UTF-8 byte order).  H = SHA-256(concat(path || 00 || content || 00)).
 * v1 (tee_service.py @7ca70bd9): main.py, config.py + every *.py under
 *   api, tasks, utils, models, tee; skip __pycache__, names starting "test_",
 *   provision_pcrs.py, verify_code_hash.py; dot-files kept.  Ordered like
 *   pathlib.Path (component by component).  H = SHA-256(concat(basename || content)).
 * Errors use lp_eif_err (shared enum of attest/eif.h and this file). */
#ifndef LP_CODE_HASH_H
#define LP_CODE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "attest/eif.h"

#define LP_CODEHASH_LEN 32u            /* SHA-256 */
#define LP_CODEHASH_MAX_PATH 4096u     /* longest logical path accepted */

typedef enum { LP_CODEHASH_CURRENT = 0, LP_CODEHASH_V1 = 1 } lp_codehash_era;

typedef struct {
    const char *path;        /* NUL-terminated logical path */
    const uint8_t *content;
    size_t len;
} lp_codehash_file;

/* 1 when a file at this logical path belongs to the era's hash (content is
 * irrelevant), 0 otherwise.  Callers walking a tree may use it to avoid reading
 * files that cannot count. */
int lp_codehash_selected(lp_codehash_era era, const char *path);

/* 1 when a directory at this logical path can contain selected files (so a
 * walker may prune the rest), 0 otherwise.  "" is the root. */
int lp_codehash_dir_relevant(lp_codehash_era era, const char *dir);

/* Selects and orders: order[0..*n_sel) receives indexes into files, in hashing
 * order.  order has room for n entries.  Every path must be clean (relative,
 * no empty, "." or ".." component, UTF-8) and unique. */
lp_eif_err lp_codehash_order(lp_codehash_era era, const lp_codehash_file *files, size_t n,
                             size_t *order, size_t *n_sel);

/* The code_hash itself; *n_sel (may be NULL) receives the number of files hashed. */
lp_eif_err lp_codehash_compute(lp_codehash_era era, const lp_codehash_file *files, size_t n,
                               uint8_t out[LP_CODEHASH_LEN], size_t *n_sel);

#endif
