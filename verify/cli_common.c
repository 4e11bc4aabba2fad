#include "verify/cli_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canonical/lpc_mem.h"

lp_code lp_read_input(const char *path, size_t max, uint8_t **out, size_t *len,
                             char *err, size_t errlen)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        if (err) snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return LP_CODE_IO_ERROR;
    }
    size_t cap = 8192, n = 0;
    uint8_t *buf = NULL;
    lp_code st = LP_CODE_OK;
    /* A regular file over the cap is refused from its size, before any byte is read
     * (a sparse 1 GiB file costs nothing); pipes and files that grow are still
     * stopped by the read loop at max + 1 bytes. */
    struct stat sb;
    int regular = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= 0;
    if (regular && (uintmax_t)sb.st_size > (uintmax_t)max) {
        st = LP_CODE_INPUT_TOO_LARGE;
        if (err) snprintf(err, errlen, "%s: more than %zu bytes", path, max);
        goto done;
    }
    /* A regular file is read into one buffer of its size (+1 to see EOF without
     * growing); the loop below still copes if it changes meanwhile. */
    if (regular && (size_t)sb.st_size + 1 > cap)
        cap = (size_t)sb.st_size + 1;
    buf = malloc(cap + 1);
    if (!buf) { st = LP_CODE_OUT_OF_MEMORY; goto done; }
    lpc_mem_hint_huge(buf, cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > max) { st = LP_CODE_INPUT_TOO_LARGE; break; }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap + 1);
            if (!nb) { st = LP_CODE_OUT_OF_MEMORY; break; }
            buf = nb;
            cap = ncap;
            lpc_mem_hint_huge(buf, cap + 1);
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n > max) { st = LP_CODE_INPUT_TOO_LARGE; break; }
        if (r == 0) {
            if (ferror(f)) st = LP_CODE_IO_ERROR;
            break;
        }
    }
    if (st == LP_CODE_INPUT_TOO_LARGE && err) snprintf(err, errlen, "%s: more than %zu bytes", path, max);
    else if (st == LP_CODE_IO_ERROR && err) snprintf(err, errlen, "%s: read error", path);
    else if (st == LP_CODE_OUT_OF_MEMORY && err) snprintf(err, errlen, "%s: out of memory", path);
done:
    if (!is_stdin) fclose(f);
    if (st != LP_CODE_OK) {
        free(buf);
        return st;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return LP_CODE_OK;
}

lp_code lp_save_bytes(const char *path, const uint8_t *p, size_t len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return LP_CODE_IO_ERROR;
    }
    int ok = fwrite(p, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        snprintf(err, errlen, "%s: write failed", path);
        return LP_CODE_IO_ERROR;
    }
    return LP_CODE_OK;
}
