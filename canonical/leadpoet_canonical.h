/* leadpoet_canonical: the stable C ABI of leadpoet-verify's canonical core.
 *
 * Reproduces, byte for byte, what Leadpoet's Python hashes: json.dumps profiles,
 * commit-reveal hashes, u16 weight normalisation and weight bundle hashes.
 * Link with -lleadpoet_canonical (pkg-config leadpoet_canonical).
 *
 * Conventions
 * - Every function returns 0 on success or a positive error code;
 *   leadpoet_strerror() names it.  No function prints, exits or keeps state.
 * - Hex digests are written to caller buffers of LEADPOET_HEX_DIGEST_SIZE bytes
 *   (64 lowercase hex digits and a NUL).
 * - Variable-size output is malloc'd by the library and released by the caller
 *   with leadpoet_free().
 * - JSON inputs are UTF-8 text parsed with Python's json.loads model (insertion
 *   order kept, duplicate key: first position, last value; int and float distinct).
 * - Thread-safe: no globals. */
#ifndef LEADPOET_CANONICAL_H
#define LEADPOET_CANONICAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LEADPOET_CANONICAL_ABI 1
#define LEADPOET_HEX_DIGEST_SIZE 65

/* ABI version of the loaded library (LEADPOET_CANONICAL_ABI it was built with). */
int leadpoet_abi_version(void);
/* Static text for an error code; never NULL. */
const char *leadpoet_strerror(int code);
/* Stable upper-snake name for an error code ("JSON_SYNTAX", ...); never NULL. */
const char *leadpoet_errname(int code);
/* Releases memory returned by this library; NULL is ignored. */
void leadpoet_free(void *p);

/* Profile names: "compact-sorted-ascii", "default-sorted-ascii",
 * "default-unsorted-ascii", "compact-sorted-utf8", "compact-sorted-utf8-nonan",
 * "indent2-sorted-ascii" (underscores accepted for dashes). */

/* Parses json[0..len) and writes its serialisation under profile to *out
 * (malloc'd, *out_len bytes plus a NUL not counted; free with leadpoet_free). */
int leadpoet_canonical_dumps(const uint8_t *json, size_t len, const char *profile,
                             uint8_t **out, size_t *out_len);

/* SHA-256 hex of the serialisation above. */
int leadpoet_canonical_sha256_hex(const uint8_t *json, size_t len, const char *profile,
                                  char out_hex[LEADPOET_HEX_DIGEST_SIZE]);

/* SHA-256 hex of raw bytes. */
int leadpoet_sha256_hex(const uint8_t *data, size_t len, char out_hex[LEADPOET_HEX_DIGEST_SIZE]);

/* Python round(x, ndigits) for 0 <= ndigits <= 323. */
double leadpoet_py_round(double x, int ndigits);

/* Python repr(float): writes at most 32 bytes including the NUL; returns the length. */
size_t leadpoet_float_repr(double x, char out[32]);

#ifdef __cplusplus
}
#endif
#endif
