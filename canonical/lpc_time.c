/* RFC 3339 date-times (lpc_time.h). */
#include "canonical/lpc_time.h"

#include <stdio.h>

int64_t lpc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's days_from_civil: eras of 400 years from 0000-03-01 */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int lpc_time_parse(const char *s, size_t n, unsigned flags, int64_t *us)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int Y, M, D, h, m, sec;
    if (!s || n < 19 || n > LPC_TIME_TEXT_MAX) return -1;
    if (digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' || digits(s + 8, 2, &D) ||
        (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &m) ||
        s[16] != ':' || digits(s + 17, 2, &sec))
        return -1;
    if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] + (M == 2 && leap(Y)) || h > 23 || m > 59 || sec > 60)
        return -1;
    size_t i = 19;
    int64_t frac = 0;
    if (i < n && s[i] == '.') {
        int nd = 0;
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++)
            if (nd < 6) frac = frac * 10 + (s[i] - '0');
        if (nd == 0) return -1;
        for (; nd < 6; nd++) frac *= 10;
    }
    int64_t off = 0;
    if (i == n) {
        if (!(flags & LPC_TIME_ZONE_OPTIONAL)) return -1;
    } else if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        int oh, om;
        if (n - i < 6 || digits(s + i + 1, 2, &oh) || s[i + 3] != ':' || digits(s + i + 4, 2, &om) || oh > 23 ||
            om > 59)
            return -1;
        off = (int64_t)(oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
        i += 6;
    } else {
        return -1;
    }
    if (i != n) return -1;
    int64_t t = lpc_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + m * 60 + sec - off;
    *us = t * 1000000 + frac;
    return 0;
}

int lpc_time_format(int64_t t, char out[LPC_RFC3339_LEN])
{
    /* 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z */
    if (t < -62167219200LL || t > 253402300799LL) {
        snprintf(out, LPC_RFC3339_LEN, "%lld", (long long)t);
        return -1;
    }
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    /* Hinnant's civil_from_days */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned mo = mp < 10 ? mp + 3 : mp - 9;
    y += mo <= 2;
    unsigned f[6] = {(unsigned)y, mo, d, (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60), (unsigned)(secs % 60)};
    static const char sep[6] = {'-', '-', 'T', ':', ':', 'Z'};
    char *o = out;
    for (int k = 0; k < 6; k++) {
        for (unsigned w = k == 0 ? 1000u : 10u; w; w /= 10) *o++ = (char)('0' + f[k] / w % 10);
        *o++ = sep[k];
    }
    *o = 0;
    return 0;
}
