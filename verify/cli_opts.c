/* Table-driven option parsing and usage text (cli_opts.h). */
#include "verify/cli_opts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "verify/cli_common.h"

#define OPT_NAME_MAX 64

static void usage(const lp_cli *c, FILE *f)
{
    const char *s = c->synopsis;
    int first = 1;
    do {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        fprintf(f, "%s %s %.*s\n", first ? "usage:" : "      ", c->tool, (int)n, s);
        first = 0;
        s = nl ? nl + 1 : NULL;
    } while (s);
    if (c->about && c->about[0]) fprintf(f, "%s\n", c->about);
    fprintf(f, "options:\n");
    for (const lp_opt *o = c->opts; o->name; o++) {
        char head[OPT_NAME_MAX + 32];
        snprintf(head, sizeof head, "%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        fprintf(f, "  %-26s %s\n", head, o->help);
    }
    fprintf(f, "  %-26s %s\n", "--json", "one JSON object on standard output, whatever the outcome");
    fprintf(f, "  %-26s %s\n", "--help, --version", "this text; the version");
    fprintf(f, "exit: 0 verified, 1 verification failed, 2 could not decide (usage, input, network)\n");
}

int lp_cli_usage_error(lp_report *r, const char *fmt, ...)
{
    char d[LP_CHECK_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    if (!lp_check_add(lp_report_checks(r), "usage", LP_CODE_USAGE, "%s (see --help)", d)) r->oom = 1;
    return lp_report_finish(r, NULL);
}

static const lp_opt *find(const lp_cli *c, const char *name, size_t n)
{
    for (const lp_opt *o = c->opts; o->name; o++)
        if (strlen(o->name) == n && memcmp(o->name, name, n) == 0) return o;
    return NULL;
}

int lp_cli_start(const lp_cli *c, int argc, char **argv, lp_report *r, const char **args, size_t *nargs)
{
    int json = 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strncmp(argv[i], "--json", 6) == 0 && (argv[i][6] == 0 || argv[i][6] == '=')) json = 1;
    lp_report_init(r, c->tool, json);
    *nargs = 0;
    /* a valued option given twice is refused: which one the user meant is unclear */
    unsigned char seen[64] = {0};
    int opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts_done || a[0] != '-' || a[1] == 0) {
            if (*nargs == c->max_args) return lp_cli_usage_error(r, "unexpected argument \"%.80s\"", a);
            args[(*nargs)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            opts_done = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(c, stdout);
            return LP_EXIT_OK;
        }
        if (strcmp(a, "--version") == 0) {
            printf("%s %s\n", c->tool, LP_VERSION_STRING);
            return LP_EXIT_OK;
        }
        if (strcmp(a, "--json") == 0) continue;
        const char *eq = strchr(a, '=');
        size_t n = eq ? (size_t)(eq - a) : strlen(a);
        if (n == 6 && memcmp(a, "--json", 6) == 0) return lp_cli_usage_error(r, "--json takes no value");
        const lp_opt *o = a[1] == '-' ? find(c, a, n) : NULL;
        if (!o) return lp_cli_usage_error(r, "unknown option \"%.*s\"", (int)(n > OPT_NAME_MAX ? OPT_NAME_MAX : n), a);
        if (!o->metavar) {
            if (eq) return lp_cli_usage_error(r, "%s takes no value", o->name);
            *o->flag = 1;
            continue;
        }
        const char *v = eq ? eq + 1 : NULL;
        if (!v) {
            if (i + 1 >= argc) return lp_cli_usage_error(r, "%s needs a value (%s)", o->name, o->metavar);
            v = argv[++i];
        }
        if (o->fn) {
            char err[LP_CHECK_DETAIL_MAX - 32] = "";
            if (o->fn(c->ctx, v, err, sizeof err) != 0) return lp_cli_usage_error(r, "%s: %s", o->name, err);
            continue;
        }
        size_t k = (size_t)(o - c->opts);
        if (k < sizeof seen && seen[k]) return lp_cli_usage_error(r, "%s given twice", o->name);
        if (k < sizeof seen) seen[k] = 1;
        *o->value = v;
    }
    if (*nargs < c->min_args) {
        const char *s = c->synopsis;
        const char *nl = strchr(s, '\n');
        return lp_cli_usage_error(r, "missing arguments: %s %.*s", c->tool, (int)(nl ? (size_t)(nl - s) : strlen(s)), s);
    }
    return LP_CLI_GO;
}
