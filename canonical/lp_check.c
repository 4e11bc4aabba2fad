/* Check lists and the verdict rule (lp_check.h). */
#include "canonical/lp_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lp_checks_init(lp_checks *c)
{
    memset(c, 0, sizeof *c);
}

void lp_checks_free(lp_checks *c)
{
    free(c->items);
    memset(c, 0, sizeof *c);
}

static lp_check *push(lp_checks *c)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 16;
        lp_check *p = nc <= LP_CHECKS_MAX ? realloc(c->items, nc * sizeof *p) : NULL;
        if (!p) {
            c->lost = 1;
            return NULL;
        }
        c->items = p;
        c->cap = nc;
    }
    return &c->items[c->n++];
}

static lp_check *addv(lp_checks *c, const char *name, int ok, unsigned flags, lp_code code, size_t index,
                      const char *fmt, va_list ap)
{
    lp_check *k = push(c);
    if (!k) return NULL;
    snprintf(k->name, sizeof k->name, "%s", name);
    k->ok = ok;
    k->flags = flags;
    k->code = code;
    k->index = index;
    vsnprintf(k->detail, sizeof k->detail, fmt, ap);
    return k;
}

lp_check *lp_check_add(lp_checks *c, const char *name, lp_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lp_check *k = addv(c, name, code == LP_CODE_OK, 0, code, LP_NO_INDEX, fmt, ap);
    va_end(ap);
    return k;
}

lp_check *lp_check_addi(lp_checks *c, const char *name, lp_code code, size_t index, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lp_check *k = addv(c, name, code == LP_CODE_OK, 0, code, index, fmt, ap);
    va_end(ap);
    return k;
}

lp_check *lp_check_warn(lp_checks *c, const char *name, lp_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lp_check *k = addv(c, name, 0, LP_CHECK_WARNING, code, LP_NO_INDEX, fmt, ap);
    va_end(ap);
    return k;
}

void lp_checks_append(lp_checks *dst, const lp_checks *src)
{
    lp_checks_append_prefixed(dst, src, NULL);
}

void lp_checks_append_prefixed(lp_checks *dst, const lp_checks *src, const char *prefix)
{
    for (size_t i = 0; i < src->n; i++) {
        lp_check *k = push(dst);
        if (!k) return;
        *k = src->items[i];
        if (prefix) snprintf(k->name, sizeof k->name, "%s%s", prefix, src->items[i].name);
    }
    if (src->lost) dst->lost = 1;
}

const lp_check *lp_checks_culprit(const lp_checks *c)
{
    /* evidence found wrong, then evidence that could not be read, then a missing
     * trust anchor (which only matters when nothing else is wrong) */
    const lp_check *undecided = NULL, *anchor = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const lp_check *k = &c->items[i];
        if (k->ok || (k->flags & LP_CHECK_WARNING)) continue;
        if (lp_code_is_anchor(k->code)) {
            if (!anchor) anchor = k;
        } else if (lp_code_exit(k->code) == LP_EXIT_FAIL) {
            return k;
        } else if (!undecided) {
            undecided = k;
        }
    }
    return undecided ? undecided : anchor;
}

lp_code lp_checks_verdict(const lp_checks *c)
{
    if (c->lost) return LP_CODE_OUT_OF_MEMORY;
    const lp_check *k = lp_checks_culprit(c);
    if (!k) return LP_CODE_OK;
    /* a failed check always names a failing code */
    return k->code == LP_CODE_OK ? LP_CODE_INTERNAL : k->code;
}
