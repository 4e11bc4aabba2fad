/* --json reports for the verify/ tools: one object with sorted keys holding
 * "result", "checks" (array of {"name","ok","detail"} in the order run) and
 * tool-specific members.  Built as an lpc_value tree and written with the
 * canonical serializer (compact, sorted keys, ASCII; floats as Python repr).
 * Allocation failures are remembered and make lp_report_print fail. */
#ifndef LP_CLI_REPORT_H
#define LP_CLI_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "canonical/lpc_json.h"

typedef struct {
    lpc_value *root;
    lpc_value *checks;
    int oom;
} lp_report;

void lp_report_init(lp_report *r);
/* Appends {"name","ok","detail"} to checks. */
void lp_report_check(lp_report *r, const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* obj[key] = v (takes ownership of v; a NULL v records an allocation failure). */
void lp_put(lp_report *r, lpc_value *obj, const char *key, lpc_value *v);
void lp_push(lp_report *r, lpc_value *arr, lpc_value *v);
lpc_value *lp_str(const char *s);          /* NUL-terminated */
lpc_value *lp_strn(const char *s, size_t n);
lpc_value *lp_bool_or_null(int v);         /* v < 0: null */
/* Sets "result", writes the object and a newline to f, frees the tree.
 * Returns 0 on success, -1 on allocation/serialisation/write failure. */
int lp_report_print(lp_report *r, const char *result, FILE *f);
void lp_report_free(lp_report *r);

/* Copies untrusted text s[0..n) into buf for one-line human output: printable
 * ASCII kept, a backslash doubled, other bytes as \xNN; cut with "..." when
 * it does not fit.  Returns buf (cap >= 8). */
const char *lp_safe(const char *s, size_t n, char *buf, size_t cap);

#endif
