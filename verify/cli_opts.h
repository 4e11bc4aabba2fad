/* The one command-line parser of the verify/ tools, driven by a table.
 *
 * Every tool accepts --NAME VALUE and --NAME=VALUE for valued options, --json,
 * --help (-h) and --version; "--" ends the options (an argument may begin with
 * "-"), and "-" alone is an argument (standard input).  The usage text is made
 * from the table.  A usage error is recorded in the tool's report as a failed
 * check "usage" with code USAGE, so --json prints one object for it too, wherever
 * --json stands on the command line. */
#ifndef LP_CLI_OPTS_H
#define LP_CLI_OPTS_H

#include <stddef.h>

#include "verify/cli_report.h"

/* A repeatable or checked option: 0, or -1 with a one-line reason in err. */
typedef int (*lp_opt_fn)(void *ctx, const char *value, char *err, size_t errlen);

typedef struct {
    const char *name;      /* "--pubkey" */
    const char *metavar;   /* "HEX"; NULL for a flag */
    const char *help;      /* one line */
    int *flag;             /* a flag: set to 1 */
    const char **value;    /* a valued option given at most once */
    lp_opt_fn fn;          /* a valued option called for every occurrence, in order */
} lp_opt;

typedef struct {
    const char *tool;
    const char *synopsis;  /* argument part of each usage line, lines separated by '\n' */
    const char *about;     /* printed after the usage lines */
    const lp_opt *opts;    /* ends with an entry whose name is NULL */
    size_t min_args, max_args;
    void *ctx;             /* passed to fn */
} lp_cli;

#define LP_CLI_GO (-1)   /* lp_cli_start: parsed, the tool goes on */

/* Initialises r (with --json when given anywhere before "--") and parses argv.
 * Arguments go to args[0..*nargs); args has room for c->max_args.  Returns LP_CLI_GO, or
 * the exit status the tool returns at once: 0 after --help or --version, or that of the
 * usage error it has reported. */
int lp_cli_start(const lp_cli *c, int argc, char **argv, lp_report *r, const char **args, size_t *nargs);

/* Records a usage error in r (for checks a tool makes after parsing) and finishes. */
int lp_cli_usage_error(lp_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
