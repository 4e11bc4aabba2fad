/* The one report layer of the verify/ tools.  A tool collects its checks (a
 * canonical/lp_check.h list that library entry points append to), top-level
 * members and human lines, then lp_report_finish renders exactly one outcome:
 *
 *   --json   one JSON object on stdout, keys sorted at every level, ASCII
 *            (json.dumps(sort_keys=True, separators=(",",":"))), always with
 *            "tool", "result", "checks" and "warnings";
 *   text     the human lines, the checks table, the verdict as the last line;
 *   stderr   exactly one line "TOOL: CODE: message" when the verdict is not OK,
 *            at most one "TOOL: warning: ..." line when it is;
 *   status   the exit class of the verdict (canonical/lp_code.h).
 *
 * The verdict is lp_checks_verdict of the checks.  Untrusted bytes may be given
 * anywhere: JSON keeps them exactly (invalid UTF-8 bytes as \udcXX, Python's
 * surrogateescape), human and stderr output pass every byte through
 * lp_safe_text (printable ASCII only).
 *
 * Memory: lp_report_init allocates nothing; everything the report holds is
 * released by lp_report_finish (or lp_report_free).  An allocation failure is
 * remembered and makes the verdict OUT_OF_MEMORY rather than dropping data. */
#ifndef LP_CLI_REPORT_H
#define LP_CLI_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "canonical/lp_check.h"
#include "canonical/lpc_json.h"

typedef struct {
    char *key;
    lpc_buf json;                 /* the member's value as CS-A text */
} lp_report_member;

typedef struct {
    const char *tool;
    int json;
    int text_report;              /* 0: text mode prints nothing on stdout (a tool whose
                                     output is data, not a report) */
    lp_checks checks;
    lp_report_member *members;
    size_t n_members, cap_members;
    lpc_buf warnings;             /* CS-A array items, comma-separated */
    lpc_buf warn_text;            /* for the stderr line */
    int oom;
    lp_code ok_code;              /* the result named when the verdict is OK (lp_report_ok_as) */
    int stopped;                  /* lp_report_stop: stop decides the verdict */
    lp_check stop;
} lp_report;

void lp_report_init(lp_report *r, const char *tool, int json);
void lp_report_free(lp_report *r);

/* The report's check list, for library entry points and lp_check_add. */
static inline lp_checks *lp_report_checks(lp_report *r) { return &r->checks; }

/* Top-level members (a repeated key replaces the earlier value). */
void lp_report_put(lp_report *r, const char *key, lpc_value *v);  /* takes v (NULL: out of memory) */
void lp_report_put_json(lp_report *r, const char *key, lpc_buf *json); /* takes CS-A text */
void lp_report_put_str(lp_report *r, const char *key, const char *s, size_t n); /* s NULL: null */
void lp_report_put_cstr(lp_report *r, const char *key, const char *s);          /* s NULL: null */
void lp_report_put_int(lp_report *r, const char *key, int64_t v);
void lp_report_put_ints(lp_report *r, const char *key, const int64_t *v, size_t n); /* [v0,v1,...] */
void lp_report_put_bool(lp_report *r, const char *key, int v);                   /* v < 0: null */

/* A human line, printed at once in text mode (escaped); nothing under --json. */
void lp_report_say(lp_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 when lp_report_say prints (a caller may skip formatting what would not be). */
int lp_report_says(const lp_report *r);
/* A warning: in "warnings", and on stderr as the one line when the verdict is OK. */
void lp_report_warn(lp_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Names a success more precisely (OK_BYTES_WRAPPED): when the checks' verdict is OK the
 * report's result is c.  Only codes of exit class 0 are taken; the verdict rule is
 * unchanged. */
static inline void lp_report_ok_as(lp_report *r, lp_code c) { r->ok_code = c; }
/* The verdict is why->code whatever the listed checks say, and why is the culprit of the
 * stderr and verdict lines, without being listed among the checks: for a procedure whose
 * report lists a spec's checks and whose early stop is not one of them (replay_sn46).
 * why is copied; a why with code OK is ignored. */
void lp_report_stop(lp_report *r, const lp_check *why);

/* Renders the report (ok_line: the verdict line when OK, e.g. "OK: the log verifies"),
 * frees it and returns the exit status. */
int lp_report_finish(lp_report *r, const char *ok_line);
/* Adds a failed check name with code and detail, then lp_report_finish. */
int lp_report_fail(lp_report *r, lp_code code, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* o[k] = v and a.append(v), taking v (freed on failure): 0 when v is NULL or memory ran
 * out, so a caller can fold a whole build into one flag. */
int lp_obj_set(lpc_value *o, const char *k, lpc_value *v);
int lp_arr_push(lpc_value *a, lpc_value *v);

/* The checks as a JSON array of {"name","ok","detail"[,"code"][,"index"][,"warning"]}
 * (what "checks" holds), for a tool that nests a sub-report; NULL when out of memory. */
lpc_value *lp_checks_value(const lp_checks *c);

/* ---- encoders shared by tools that write report members themselves ---- */
/* Appends the JSON string literal of bytes s[0..n) as json.dumps writes a str: WTF-8 is
 * taken as it is (a lone surrogate from parsed JSON stays \udXXX), every byte that is
 * not part of a valid sequence becomes \udcXX (Python's surrogateescape). */
lpc_err lp_json_bytes(lpc_buf *out, const char *s, size_t n);
/* A string value of bytes s[0..n) as above (NULL on allocation failure). */
lpc_value *lp_json_str(const char *s, size_t n);
/* Copies s[0..n) for a terminal: printable ASCII kept, a backslash doubled, every other
 * byte as \xNN; cut with "..." when it does not fit.  Returns buf (cap >= 8). */
const char *lp_safe_text(const char *s, size_t n, char *buf, size_t cap);

#endif
