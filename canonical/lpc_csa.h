/* CS-A (compact-sorted-ascii, leadpoet-formats.md §1.2) straight from JSON text, without
 * a value tree, for the plain form most records take; the tree path (lpc_parse +
 * lpc_dump) decides everything else.
 *
 * Memory: output is appended to a caller-owned lpc_buf; the scratch is the caller's,
 * released with lpc_csa_scratch_free. */
#ifndef LPC_CSA_H
#define LPC_CSA_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_buf.h"
#include "canonical/lpc_err.h"

#define LPC_CSA_MAX_DEPTH   64   /* deeper nesting is declined (the tree path decides) */
#define LPC_CSA_MAX_MEMBERS 256  /* objects with more members are declined */
/* With LPC_CSA_DECODE: a value string (not a key) longer than this is declined.  Both
 * sizes may be set smaller at build time (the fuzz build does, to reach both branches). */
#ifndef LPC_CSA_MAX_DECODED
#define LPC_CSA_MAX_DECODED ((size_t)1 << 20)
#endif
/* An unsorted object's body of at most this many bytes is reordered through a copy aside;
 * a larger one in place, by rotations that set aside at most this much (else reverse). */
#ifndef LPC_CSA_MAX_ASIDE
#define LPC_CSA_MAX_ASIDE   ((size_t)4 << 20)
#endif

/* Scratch reused across lpc_csa_from_text calls (one per thread); zero-initialise,
 * release with lpc_csa_scratch_free.  Fields are private. */
typedef struct {
    struct lpc_csa_member *m;
    size_t mn, mcap;
    lpc_buf tmp;
} lpc_csa_scratch;
void lpc_csa_scratch_free(lpc_csa_scratch *s);

/* Appends CS-A(json.loads(text)) to out when text is in the plain form most records
 * take: strings of printable ASCII whose escapes are exactly those json.dumps with
 * ensure_ascii writes (so the string's bytes are already its CS-A form), object keys
 * without escapes and unique, at most LPC_CSA_MAX_MEMBERS members, nesting at most
 * LPC_CSA_MAX_DEPTH, finite numbers, no NaN/Infinity, len <= LPC_JSON_MAX_INPUT.
 * Anything else (including any text lpc_parse rejects) returns LPC_ERR_UNSUPPORTED, or
 * LPC_ERR_NOMEM/TOO_LARGE, with out unchanged: the caller then decides with lpc_parse +
 * lpc_dump.  When it returns LPC_OK the bytes equal lpc_dump(lpc_parse(text), LPC_PROFILE_CS_A), and every
 * string of the value occurs in text exactly as CS-A writes it.
 * key (NULL for none): span receives [start, end) in out of the value of that member of
 * the top-level object, or {0, 0} when absent. */
lpc_err lpc_csa_from_text(const uint8_t *text, size_t len, lpc_csa_scratch *s, const char *key, size_t span[2],
                          lpc_buf *out);

/* flags of lpc_csa_from_text_ex */
#define LPC_CSA_DECODE 1u  /* value strings in any form lpc_parse accepts (raw UTF-8, lone
                              surrogates, any escape) are decoded by lpc_parse and written
                              by lpc_dump_string, up to LPC_CSA_MAX_DECODED bytes each;
                              keys stay in the plain form */

/* As lpc_csa_from_text; flags 0 is exactly lpc_csa_from_text.  The same guarantee: on
 * LPC_OK the bytes equal lpc_dump(lpc_parse(text), LPC_PROFILE_CS_A).  Memory beyond the
 * output: the scratch's member table and at most LPC_CSA_MAX_ASIDE bytes set aside, so a
 * document of plain records costs its output and no tree. */
lpc_err lpc_csa_from_text_ex(const uint8_t *text, size_t len, unsigned flags, lpc_csa_scratch *s, const char *key,
                             size_t span[2], lpc_buf *out);

#endif
