#include "verify/cli_fetch.h"

#include "verify/cli_common.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int lp_is_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

typedef struct {
    uint8_t *buf;
    size_t len, cap, max;
    int too_large, nomem;
} sink;

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
    sink *s = ud;
    size_t add = sz * n;
    if (add > s->max - s->len) {
        s->too_large = 1;
        return 0; /* aborts the transfer */
    }
    if (s->len + add + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 16384;
        while (nc < s->len + add + 1) nc *= 2;
        uint8_t *nb = realloc(s->buf, nc);
        if (!nb) {
            s->nomem = 1;
            return 0;
        }
        s->buf = nb;
        s->cap = nc;
    }
    memcpy(s->buf + s->len, p, add);
    s->len += add;
    return add;
}

lp_code lp_fetch(const char *url, size_t max, uint8_t **out, size_t *len, char *err, size_t errlen)
{
    if (!lp_is_url(url)) {
        snprintf(err, errlen, "%s: only http:// and https:// URLs are fetched", url);
        return LP_CODE_USAGE;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "libcurl initialisation failed");
        return LP_CODE_NETWORK_ERROR;
    }
    CURL *c = curl_easy_init();
    sink s = {NULL, 0, 0, max, 0, 0};
    lp_code st = LP_CODE_NETWORK_ERROR;
    char ebuf[CURL_ERROR_SIZE] = "";
    if (!c) {
        snprintf(err, errlen, "libcurl initialisation failed");
        goto done;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, LP_FETCH_MAX_REDIRS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, LP_FETCH_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, LP_FETCH_CONNECT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "leadpoet-verify/" LP_VERSION_STRING);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    CURLcode rc = curl_easy_perform(c);
    if (s.nomem) {
        st = LP_CODE_OUT_OF_MEMORY;
        snprintf(err, errlen, "%s: out of memory", url);
        goto done;
    }
    if (s.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        st = LP_CODE_INPUT_TOO_LARGE;
        snprintf(err, errlen, "%s: response larger than %zu bytes", url, max);
        goto done;
    }
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", url, ebuf[0] ? ebuf : curl_easy_strerror(rc));
        goto done;
    }
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) {
        st = LP_CODE_NETWORK_ERROR;
        snprintf(err, errlen, "%s: HTTP status %ld", url, code);
        goto done;
    }
    if (!s.buf && !(s.buf = malloc(1))) {
        st = LP_CODE_OUT_OF_MEMORY;
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    s.buf[s.len] = 0;
    *out = s.buf;
    *len = s.len;
    s.buf = NULL;
    st = LP_CODE_OK;
done:
    free(s.buf);
    if (c) curl_easy_cleanup(c);
    curl_global_cleanup();
    return st;
}
