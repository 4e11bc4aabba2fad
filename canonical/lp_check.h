/* A verification procedure's result: the checks it ran, in order, each with its
 * name, outcome, result code (canonical/lp_code.h), the index of the item it is
 * about and a one-line detail.  Every library entry point that verifies fills
 * one; the tools render it.  The verdict rule lives here, once.
 *
 * Memory: the caller owns an lp_checks (zero-initialised or lp_checks_init) and
 * releases it with lp_checks_free; items grow with malloc.  A failed allocation
 * is remembered (lost) and makes the verdict OUT_OF_MEMORY, so a check is never
 * dropped silently.  Details are bytes as given (they may quote untrusted input):
 * a renderer escapes them. */
#ifndef LP_CHECK_H
#define LP_CHECK_H

#include <stddef.h>
#include "canonical/lp_code.h"

#define LP_CHECK_NAME_MAX   64
#define LP_CHECK_DETAIL_MAX 320
#define LP_NO_INDEX         ((size_t)-1)
#define LP_CHECKS_MAX       ((size_t)1 << 20)  /* more is an allocation failure */

#define LP_CHECK_WARNING 1u  /* failed, reported, not enforced: never the verdict */

typedef struct {
    char name[LP_CHECK_NAME_MAX];      /* "header_signature", "link[0->1].checkpoint_number" */
    int ok;                            /* 1 passed; 0 failed (or a warning) */
    unsigned flags;                    /* LP_CHECK_WARNING */
    lp_code code;                      /* LP_CODE_OK when ok */
    size_t index;                      /* record, entry or input the check is about; LP_NO_INDEX */
    char detail[LP_CHECK_DETAIL_MAX];  /* NUL-terminated, cut to fit */
} lp_check;

typedef struct {
    lp_check *items;
    size_t n, cap;
    int lost;                          /* an append failed: the list is incomplete */
} lp_checks;

void lp_checks_init(lp_checks *c);
void lp_checks_free(lp_checks *c);

/* Appends a check: passed when code is LP_CODE_OK, else failed with that code.
 * Returns the new item (to set index or flags), or NULL when memory ran out. */
lp_check *lp_check_add(lp_checks *c, const char *name, lp_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* As lp_check_add with an index. */
lp_check *lp_check_addi(lp_checks *c, const char *name, lp_code code, size_t index, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A failed check that is reported but not enforced (code may be LP_CODE_OK). */
lp_check *lp_check_warn(lp_checks *c, const char *name, lp_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends copies of every item of src (src->lost carries over). */
void lp_checks_append(lp_checks *dst, const lp_checks *src);
/* As lp_checks_append, each name prefixed ("boot[2]." + "cose"; cut to fit). */
void lp_checks_append_prefixed(lp_checks *dst, const lp_checks *src, const char *prefix);

/* The verdict of a list: OUT_OF_MEMORY when an item was lost; else the code of the
 * first enforced failure whose code decides (exit class 1) and is not a missing trust
 * anchor; else of the first enforced failure that could not decide (exit class 2); else
 * of the first missing trust anchor (KEY_NOT_PINNED, PCR_NOT_PINNED: exit class 1, but
 * it only says nothing was proven, so any finding about the evidence itself comes
 * first); else LP_CODE_OK. */
lp_code lp_checks_verdict(const lp_checks *c);
/* The check behind the verdict, or NULL when it is OK or only memory was lost. */
const lp_check *lp_checks_culprit(const lp_checks *c);

#endif
