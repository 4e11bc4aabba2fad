/* UTF-8 decoding and encoding (lpc_utf8.h; RFC 3629 §3-§4). */
#include "canonical/lpc_utf8.h"

#include <string.h>

size_t lpc_utf8_next(const uint8_t *p, size_t avail, unsigned flags, uint32_t *cp)
{
    if (avail == 0) return 0;
    uint8_t c = p[0];
    uint32_t v, min;
    size_t n;
    if (c < 0x80) {
        if (cp) *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1Fu; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0Fu; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07u; min = 0x10000; }
    else return 0;
    if (avail < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF) return 0;
    if (v >= 0xD800 && v <= 0xDFFF && !(flags & LPC_UTF8_SURROGATES)) return 0;
    if (cp) *cp = v;
    return n;
}

int lpc_utf8_valid(const uint8_t *s, size_t n, unsigned flags, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            /* ASCII runs a word at a time */
            uint64_t w;
            while (i + 8 <= n && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ULL) == 0)) i += 8;
            while (i < n && s[i] < 0x80) i++;
            continue;
        }
        size_t k = lpc_utf8_next(s + i, n - i, flags, NULL);
        if (!k) {
            if (bad) *bad = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

size_t lpc_utf8_put(uint32_t cp, uint8_t out[4])
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF) return 0;
    out[0] = (uint8_t)(0xF0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}
