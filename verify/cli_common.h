/* Shared command-line plumbing for the verify/ tools: exit codes, one-line
 * errors, capped input reading.  No verification logic lives here. */
#ifndef LP_CLI_COMMON_H
#define LP_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Version printed by every tool's --version: the Makefile passes the VERSION file's
 * text as -DLP_VERSION_STRING. */
#ifndef LP_VERSION_STRING
#define LP_VERSION_STRING "0.1.0"
#endif

/* Exit status contract (DESIGN.md): */
#define LP_EXIT_OK        0   /* verified */
#define LP_EXIT_FAIL      1   /* verification or policy failed */
#define LP_EXIT_UNDECIDED 2   /* usage, unreadable or malformed input, network error */

/* Prints "tool: CODE: message" as one line on stderr. */
void lp_cli_error(const char *tool, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An option with a value, given as "NAME VALUE" or "NAME=VALUE" at argv[*i]:
 * 1 with *val set (and *i moved past a separate VALUE); 0 when argv[*i] is not
 * NAME; -1 after printing "tool: USAGE: NAME needs a value" when VALUE is missing. */
int lp_cli_opt_value(const char *tool, int argc, char **argv, int *i, const char *name,
                     const char **val);

typedef enum {
    LP_READ_OK = 0,
    LP_READ_IO,        /* cannot open or read */
    LP_READ_TOO_LARGE, /* more than max bytes */
    LP_READ_NOMEM
} lp_read_status;

/* Reads a whole file, or stdin when path is "-", refusing more than max bytes.
 * On success *out is malloc'd (caller frees; one spare NUL byte is appended and
 * not counted in *len).  On failure errno-style detail goes to err (may be NULL). */
lp_read_status lp_read_input(const char *path, size_t max, uint8_t **out, size_t *len,
                             char *err, size_t errlen);

#endif
