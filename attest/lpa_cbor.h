/* The module's one CBOR pre-scanner (RFC 8949 §3, well-formedness per Appendix F),
 * run before libcbor ever sees untrusted bytes, and the one "load exactly" step after
 * it.  The scanner proves that every length fits in the input, caps nesting depth,
 * and records which features the item uses (tags, indefinite-length arrays and maps,
 * chunked strings); flags refuse them outright, so callers apply their profile
 * (nitro-attestation.md §1.2 / §2.1, eif-pcr-repro.md §1.6) in one place and libcbor
 * 0.8 and 0.11+ behave alike.  The scanner is pure and allocates nothing. */
#ifndef LPA_CBOR_H
#define LPA_CBOR_H

#include <stddef.h>
#include <stdint.h>

#define LPA_CBOR_MAX_DEPTH 8   /* deepest genuine structure: payload map -> pcrs map (2) */

/* lpa_cbor_scan flags. */
#define LPA_SCAN_EXACT          0x1u  /* the item must end at len: else LPA_SCAN_TRAILING */
#define LPA_SCAN_NO_TAGS        0x2u  /* a tag is LPA_SCAN_REFUSED */
#define LPA_SCAN_NO_INDEFINITE  0x4u  /* an indefinite-length array or map is LPA_SCAN_REFUSED */
#define LPA_SCAN_NO_CHUNKED     0x8u  /* an indefinite-length (chunked) string is LPA_SCAN_REFUSED */
#define LPA_SCAN_STRICT (LPA_SCAN_EXACT | LPA_SCAN_NO_TAGS | LPA_SCAN_NO_INDEFINITE | LPA_SCAN_NO_CHUNKED)

typedef enum {
    LPA_SCAN_OK = 0,
    LPA_SCAN_TRUNCATED,   /* an item runs past the end of the input */
    LPA_SCAN_MALFORMED,   /* reserved additional info, stray break, bad chunk ... */
    LPA_SCAN_TOO_DEEP,    /* nesting deeper than max_depth */
    LPA_SCAN_TRAILING,    /* LPA_SCAN_EXACT: bytes after the item (info->end says where it ends) */
    LPA_SCAN_REFUSED      /* a feature a flag forbids (info->refused names the flag) */
} lpa_scan_status;

typedef struct {
    size_t end;           /* bytes consumed by the first complete item */
    int indefinite;       /* an indefinite-length array or map occurs */
    int chunked;          /* an indefinite-length (chunked) byte/text string occurs */
    int tags;             /* number of tags */
    unsigned refused;     /* LPA_SCAN_REFUSED: the LPA_SCAN_NO_* flag that stopped the scan */
} lpa_scan_info;

/* Scans one data item at p[0..len); containers nest at most max_depth levels
 * (capped at LPA_CBOR_MAX_DEPTH).  Without LPA_SCAN_EXACT trailing bytes are allowed:
 * compare info->end with len.  A refused feature stops the scan where it occurs. */
lpa_scan_status lpa_cbor_scan(const uint8_t *p, size_t len, size_t max_depth, unsigned flags, lpa_scan_info *info);

/* One-line reason for a scan status ("truncated CBOR", "CBOR tag not allowed", ...),
 * naming the refused feature from info (static, never NULL; info may be NULL). */
const char *lpa_cbor_scan_msg(lpa_scan_status s, const lpa_scan_info *info);

/* libcbor's view of p[0..len), which lpa_cbor_scan accepted with LPA_SCAN_EXACT: the
 * item, or NULL when libcbor refuses it, fails to allocate, or reads another length.
 * The caller releases it with cbor_decref. */
struct cbor_item_t;
struct cbor_item_t *lpa_cbor_load_exact(const uint8_t *p, size_t len);

/* Appends a CBOR byte-string head for length n (RFC 8949 preferred form) to out,
 * which has room for 9 bytes; returns the head length. */
size_t lpa_cbor_bstr_head(uint64_t n, uint8_t out[9]);

#endif
