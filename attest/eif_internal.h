/* Helpers shared by eif.c, eif_sig.c and code_hash.c (internal: not a public API). */
#ifndef LP_EIF_INTERNAL_H
#define LP_EIF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "attest/eif.h"

/* Maximum CBOR nesting accepted in the signature section (the spec's structure
 * needs 3: array > map > array; COSE 2).  Checked before libcbor sees the bytes. */
#define LP_EIF_CBOR_MAX_DEPTH 4

/* pcr = SHA-384(48 zero bytes || digest) (§1.7). */
lp_eif_err lp_eif_extend(const uint8_t digest[LP_EIF_PCR_LEN], uint8_t pcr[LP_EIF_PCR_LEN]);

#endif
