/* Evidence sources (cli_source.h). */
#include "verify/cli_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "verify/cli_common.h"
#include "verify/cli_fetch.h"

#define LP_URL_MAX 2048

int lp_is_txid(const char *s)
{
    size_t n = strlen(s);
    if (n != 43) return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_'))
            return 0;
    }
    return 1;
}

lp_code lp_load_source(const char *src, const lp_source_opts *o, size_t max, uint8_t **out, size_t *len, char *err,
                       size_t errlen)
{
    struct stat st;
    int url = lp_is_url(src);
    int txid = !url && o->gateway && lp_is_txid(src) && stat(src, &st) != 0;
    lp_code c;
    if (!url && !txid) {
        c = lp_read_input(src, max, out, len, err, errlen);
    } else if (o->offline) {
        snprintf(err, errlen, "%.300s needs the network and --offline was given", src);
        return LP_CODE_OFFLINE;
    } else {
        char u[LP_URL_MAX];
        if (url) {
            if (strlen(src) >= sizeof u) {
                snprintf(err, errlen, "URL longer than %d bytes", LP_URL_MAX - 1);
                return LP_CODE_USAGE;
            }
            snprintf(u, sizeof u, "%s", src);
        } else {
            size_t gl = strlen(o->gateway);
            while (gl && o->gateway[gl - 1] == '/') gl--;
            if (gl + 45 >= sizeof u) {
                snprintf(err, errlen, "--gateway longer than %d bytes", LP_URL_MAX - 46);
                return LP_CODE_USAGE;
            }
            snprintf(u, sizeof u, "%.*s/%s", (int)gl, o->gateway, src);
            if (!lp_is_url(u)) {
                snprintf(err, errlen, "--gateway must be an http:// or https:// URL");
                return LP_CODE_USAGE;
            }
        }
        c = lp_fetch(u, max, out, len, err, errlen);
    }
    if (c != LP_CODE_OK) return c;
    if (o->save && (c = lp_save_bytes(o->save, *out, *len, err, errlen)) != LP_CODE_OK) {
        free(*out);
        *out = NULL;
    }
    return c;
}

char *lp_attest_source(const char *src)
{
    size_t n = strlen(src);
    char *u = malloc(n + 8);
    if (!u) return NULL;
    const char *p = lp_is_url(src) ? strstr(src, "://") : NULL;
    const char *path = p ? strchr(p + 3, '/') : NULL;
    if (p && !path) snprintf(u, n + 8, "%s/attest", src);
    else if (p && strcmp(path, "/") == 0) snprintf(u, n + 8, "%sattest", src);
    else memcpy(u, src, n + 1);
    return u;
}
