#include "verify/cli_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void lp_cli_error(const char *tool, const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One line: fold any newline the message carries. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    fprintf(stderr, "%s: %s: %s\n", tool, code, msg);
}

int lp_cli_opt_value(const char *tool, int argc, char **argv, int *i, const char *name,
                     const char **val)
{
    const char *a = argv[*i];
    size_t nl = strlen(name);
    if (strncmp(a, name, nl) != 0) return 0;
    if (a[nl] == '=') {
        *val = a + nl + 1;
        return 1;
    }
    if (a[nl] != 0) return 0;
    if (*i + 1 >= argc) {
        lp_cli_error(tool, "USAGE", "%s needs a value", name);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}

lp_read_status lp_read_input(const char *path, size_t max, uint8_t **out, size_t *len,
                             char *err, size_t errlen)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        if (err) snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return LP_READ_IO;
    }
    size_t cap = 8192, n = 0;
    uint8_t *buf = NULL;
    lp_read_status st = LP_READ_OK;
    /* A regular file over the cap is refused from its size, before any byte is read
     * (a sparse 1 GiB file costs nothing); pipes and files that grow are still
     * stopped by the read loop at max + 1 bytes. */
    struct stat sb;
    int regular = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= 0;
    if (regular && (uintmax_t)sb.st_size > (uintmax_t)max) {
        st = LP_READ_TOO_LARGE;
        if (err) snprintf(err, errlen, "%s: more than %zu bytes", path, max);
        goto done;
    }
    /* A regular file is read into one buffer of its size (+1 to see EOF without
     * growing); the loop below still copes if it changes meanwhile. */
    if (regular && (size_t)sb.st_size + 1 > cap)
        cap = (size_t)sb.st_size + 1;
    buf = malloc(cap + 1);
    if (!buf) { st = LP_READ_NOMEM; goto done; }
    for (;;) {
        if (n == cap) {
            if (cap > max) { st = LP_READ_TOO_LARGE; break; }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap + 1);
            if (!nb) { st = LP_READ_NOMEM; break; }
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n > max) { st = LP_READ_TOO_LARGE; break; }
        if (r == 0) {
            if (ferror(f)) st = LP_READ_IO;
            break;
        }
    }
    if (st == LP_READ_TOO_LARGE && err) snprintf(err, errlen, "%s: more than %zu bytes", path, max);
    else if (st == LP_READ_IO && err) snprintf(err, errlen, "%s: read error", path);
    else if (st == LP_READ_NOMEM && err) snprintf(err, errlen, "%s: out of memory", path);
done:
    if (!is_stdin) fclose(f);
    if (st != LP_READ_OK) {
        free(buf);
        return st;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return LP_READ_OK;
}
