/* libFuzzer target: the UTF-8 decoder (lpc_utf8.h) and the RFC 3339 parser and printer
 * (lpc_time.h) over the same input.
 * UTF-8, with and without LPC_UTF8_SURROGATES: lpc_utf8_valid agrees with a decoder
 * written from Unicode's table of well-formed byte sequences (Table 3-7) on validity
 * and on the first bad offset; valid text decodes, code point by code point, into
 * values that lpc_utf8_put re-encodes to the same bytes (never above U+10FFFF, a
 * surrogate only under the flag); the prefix before a bad offset decodes and nothing
 * decodes at it; strictly valid text is valid under the flag.
 * RFC 3339: nothing over LPC_TIME_TEXT_MAX bytes is accepted, nor any non-ASCII byte;
 * what is accepted without LPC_TIME_ZONE_OPTIONAL is accepted with it, at the same
 * instant; the microseconds are the fraction's first six digits; the accepted instant,
 * within years 0..9999, formats through lpc_time_format to text that parses back to the
 * same second, and for a "Z" or zone-less text without a leap second to the input's own
 * fields. */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_time.h"
#include "canonical/lpc_utf8.h"

/* Unicode 15 Table 3-7: lead byte range, second byte range, length. */
static const struct { uint8_t lo, hi, b2lo, b2hi, n; } k_wellformed[] = {
    {0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
    {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3}, {0xF0, 0xF0, 0x90, 0xBF, 4},
    {0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4},
};

/* Length of the well-formed sequence at p[0..n), 0 when there is none (ED A0..BF, the
 * surrogates, admitted with surrogates != 0). */
static size_t ref_seq(const uint8_t *p, size_t n, int surrogates)
{
    if (p[0] < 0x80) return 1;
    for (size_t r = 0; r < sizeof k_wellformed / sizeof k_wellformed[0]; r++) {
        if (p[0] < k_wellformed[r].lo || p[0] > k_wellformed[r].hi) continue;
        size_t len = k_wellformed[r].n;
        uint8_t hi = p[0] == 0xED && surrogates ? 0xBF : k_wellformed[r].b2hi;
        if (n < len || p[1] < k_wellformed[r].b2lo || p[1] > hi) return 0;
        for (size_t k = 2; k < len; k++)
            if (p[k] < 0x80 || p[k] > 0xBF) return 0;
        return len;
    }
    return 0;
}

static void check_utf8(const uint8_t *s, size_t n, unsigned flags)
{
    size_t ref_bad = n;
    for (size_t i = 0; i < n;) {
        size_t k = ref_seq(s + i, n - i, flags & LPC_UTF8_SURROGATES);
        if (!k) { ref_bad = i; break; }
        i += k;
    }
    size_t bad = (size_t)-1;
    int valid = lpc_utf8_valid(s, n, flags, &bad);
    if (valid != (ref_bad == n)) abort();
    if (!valid && bad != ref_bad) abort();
    size_t stop = valid ? n : bad;
    uint8_t again[4];
    for (size_t i = 0; i < stop;) {
        uint32_t cp;
        size_t k = lpc_utf8_next(s + i, n - i, flags, &cp);
        if (!k || k > n - i || cp > 0x10FFFF) abort();
        if (cp >= 0xD800 && cp <= 0xDFFF && !(flags & LPC_UTF8_SURROGATES)) abort();
        if (lpc_utf8_put(cp, again) != k || memcmp(again, s + i, k)) abort();
        i += k;
        if (i > stop) abort();
    }
    if (!valid && lpc_utf8_next(s + bad, n - bad, flags, NULL) != 0) abort();
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

static void check_time(const char *s, size_t n)
{
    int64_t us0 = 0, us1 = 0;
    int r0 = lpc_time_parse(s, n, 0, &us0), r1 = lpc_time_parse(s, n, LPC_TIME_ZONE_OPTIONAL, &us1);
    if ((r0 != 0 && r0 != -1) || (r1 != 0 && r1 != -1)) abort();
    if (r0 == 0 && (r1 != 0 || us0 != us1)) abort();
    if (r1 != 0) return;
    if (n > LPC_TIME_TEXT_MAX || n < 19) abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) abort();
    /* microseconds: the first six fraction digits, zero-padded */
    int64_t frac = 0;
    size_t i = 19, nd = 0;
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++)
            if (nd < 6) frac = frac * 10 + (s[i] - '0');
    for (; nd < 6; nd++) frac *= 10;
    if (us1 - floor_div(us1, 1000000) * 1000000 != frac) abort();
    int64_t t = floor_div(us1, 1000000);
    char out[LPC_RFC3339_LEN];
    if (lpc_time_format(t, out) != 0) {
        if (t >= -62167219200LL && t <= 253402300799LL) abort();  /* inside years 0..9999 */
        return;
    }
    int64_t back = -1;
    if (lpc_time_parse(out, strlen(out), 0, &back) != 0 || back != t * 1000000) abort();
    int utc = i == n || s[i] == 'Z' || s[i] == 'z';
    if (utc && !(s[17] == '6' && s[18] == '0')) {
        if (memcmp(out, s, 10) || out[10] != 'T' || memcmp(out + 11, s + 11, 8) || out[19] != 'Z') abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_utf8(data, size, 0);
    check_utf8(data, size, LPC_UTF8_SURROGATES);
    if (lpc_utf8_valid(data, size, 0, NULL) && !lpc_utf8_valid(data, size, LPC_UTF8_SURROGATES, NULL)) abort();
    check_time((const char *)data, size);
    return 0;
}
