/* The serialiser: Python's json.dumps of a value tree under Leadpoet's profiles.
 * Spec: leadpoet-formats.md §1.2.
 *
 * Memory: output is appended to a caller-owned lpc_buf (lpc_buf.h); on error its
 * length is unchanged. */
#ifndef LPC_DUMP_H
#define LPC_DUMP_H

#include <stddef.h>
#include "canonical/lpc_buf.h"
#include "canonical/lpc_err.h"
#include "canonical/lpc_value.h"

typedef enum {
    LPC_PROFILE_CS_A,        /* compact-sorted-ascii:   separators=(",",":"), sort_keys */
    LPC_PROFILE_DS_A,        /* default-sorted-ascii:   sort_keys */
    LPC_PROFILE_DU_A,        /* default-unsorted-ascii: defaults */
    LPC_PROFILE_CS_U,        /* compact-sorted-utf8:    compact, sort_keys, ensure_ascii=False */
    LPC_PROFILE_CS_U_NONAN,  /* as CS_U with allow_nan=False */
    LPC_PROFILE_INDENT2      /* indent2-sorted-ascii:   indent=2, sort_keys */
} lpc_profile;

/* Accepts the CLI names (compact-sorted-ascii ...) and the vector names
 * (compact_sorted_ascii ...). */
lpc_err lpc_profile_from_name(const char *name, lpc_profile *out);
const char *lpc_profile_name(lpc_profile p);

#define LPC_DUMP_SURROGATEPASS 1u  /* UTF-8 profiles: emit lone surrogates as WTF-8
                                      (Python .encode("utf-8","surrogatepass")) */

/* Appends the serialisation of v to out.  UTF-8 profiles fail with
 * LPC_ERR_SURROGATE on a lone surrogate (Python's .encode("utf-8") raises);
 * CS_U_NONAN fails with LPC_ERR_NAN on NaN/inf.  On error out->len is unchanged. */
lpc_err lpc_dump(const lpc_value *v, lpc_profile p, lpc_buf *out);
lpc_err lpc_dump_ex(const lpc_value *v, lpc_profile p, unsigned flags, lpc_buf *out);

/* Appends the JSON string literal for WTF-8 s, as json.dumps writes a str
 * (ensure_ascii selects the escaping rule of §1.2). */
lpc_err lpc_dump_string(const char *s, size_t len, int ensure_ascii, lpc_buf *out);

#endif
