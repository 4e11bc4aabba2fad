/* Bounded CBOR well-formedness scanner (RFC 8949 §F), run before libcbor ever
 * sees untrusted bytes.  It proves that every length fits in the input, caps
 * nesting depth, and records which features the item uses (indefinite lengths,
 * chunked strings, tags), so the caller can apply the profile of
 * nitro-attestation.md §1.2 / §2.1 and libcbor 0.8 and 0.11+ behave alike.
 * Pure; no allocation. */
#ifndef LPA_CBOR_H
#define LPA_CBOR_H

#include <stddef.h>
#include <stdint.h>

#define LPA_CBOR_MAX_DEPTH 8   /* deepest genuine structure: payload map -> pcrs map (2) */

typedef enum {
    LPA_SCAN_OK = 0,
    LPA_SCAN_TRUNCATED,   /* an item runs past the end of the input */
    LPA_SCAN_MALFORMED,   /* reserved additional info, stray break, bad chunk ... */
    LPA_SCAN_TOO_DEEP     /* nesting deeper than max_depth */
} lpa_scan_status;

typedef struct {
    size_t end;           /* bytes consumed by the first complete item */
    int indefinite;       /* an indefinite-length array or map occurs */
    int chunked;          /* an indefinite-length (chunked) byte/text string occurs */
    int tags;             /* number of tags */
} lpa_scan_info;

/* Scans exactly one data item at p[0..len).  Trailing bytes are allowed here;
 * compare info->end with len to reject them. */
lpa_scan_status lpa_cbor_scan(const uint8_t *p, size_t len, size_t max_depth, lpa_scan_info *info);

/* Appends a CBOR byte-string head for length n (RFC 8949 preferred form) to out,
 * which has room for 9 bytes; returns the head length. */
size_t lpa_cbor_bstr_head(uint64_t n, uint8_t out[9]);

#endif
