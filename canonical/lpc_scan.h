/* Internal to canonical/: the lexical scans the parser (lpc_parse.c), the CS-A path
 * (lpc_csa.c) and the serialiser (lpc_dump.c) share, so that they read the same grammar.
 * Spec: leadpoet-formats.md §1.1.  Pure, static inline. */
#ifndef LPC_SCAN_H
#define LPC_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LPC_SWAR_ONES  0x0101010101010101ULL
#define LPC_SWAR_HIGHS 0x8080808080808080ULL

static inline int lpc_is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/* Per 8 bytes, a byte's high bit is set in the result where the byte is below 0x20, at or
 * above 0x80, or equal to q1 or q2 (the lowest flagged byte is always a true one; higher
 * ones may be false: borrows only run upwards from a true one). */
static inline uint64_t lpc_swar_special(uint64_t x, uint8_t q1, uint8_t q2)
{
    uint64_t a = x ^ (LPC_SWAR_ONES * q1), b = x ^ (LPC_SWAR_ONES * q2);
    return (x | ((x - LPC_SWAR_ONES * 0x20) & ~x) | ((a - LPC_SWAR_ONES) & ~a) | ((b - LPC_SWAR_ONES) & ~b)) &
           LPC_SWAR_HIGHS;
}

/* The first index in [i, end) of a byte below 0x20, at or above 0x80, a backslash or q
 * (end when there is none), a word at a time: the lowest flagged byte of a word is a
 * true one (lpc_swar_special). */
static inline size_t lpc_scan_plain(const uint8_t *p, size_t i, size_t end, uint8_t q)
{
    for (; i + 8 <= end; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        uint64_t m = lpc_swar_special(x, q, '\\');
        if (m) return i + (size_t)__builtin_ctzll(m) / 8;
    }
    while (i < end && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '\\' && p[i] != q) i++;
    return i;
}

/* The first index in [i, end) of a byte below 0x20, at or above 0x7F (DEL included), '"'
 * or a backslash: the end of a run json.dumps with ensure_ascii copies as it is.  A word
 * at a time as lpc_scan_plain (the DEL test flags its lowest match truly too). */
static inline size_t lpc_scan_ascii_plain(const uint8_t *p, size_t i, size_t end)
{
    for (; i + 8 <= end; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        uint64_t del = x ^ (LPC_SWAR_ONES * 0x7f);
        uint64_t m = lpc_swar_special(x, '"', '\\') | ((del - LPC_SWAR_ONES) & ~del & LPC_SWAR_HIGHS);
        if (m) return i + (size_t)__builtin_ctzll(m) / 8;
    }
    while (i < end && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"') i++;
    return i;
}

/* The index of the quote that closes a string whose text starts at start, searching from
 * from (no quote lies in [start, from)): the first quote after an even run of backslashes
 * (an odd run escapes it).  len when there is none. */
static inline size_t lpc_scan_string_end(const uint8_t *p, size_t len, size_t start, size_t from)
{
    size_t end = from;
    for (;;) {
        const uint8_t *q = end < len ? memchr(p + end, '"', len - end) : NULL;
        if (!q) return len;
        end = (size_t)(q - p);
        size_t bs = 0;
        while (end - bs > start && p[end - 1 - bs] == '\\') bs++;
        if (bs % 2 == 0) return end;
        end++;
    }
}

/* The number token at p[s..]: CPython's NUMBER_RE, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?,
 * the fraction and exponent taken only when complete, as its scanner does.  Returns the
 * end, or s's position after an optional '-' with *ok = 0 when no digit follows. */
static inline size_t lpc_scan_number(const uint8_t *p, size_t len, size_t s, int *is_float, int *ok)
{
    size_t i = s;
    *is_float = 0;
    if (i < len && p[i] == '-') i++;
    *ok = i < len && lpc_is_digit(p[i]);
    if (!*ok) return i;
    if (p[i] == '0') i++;
    else while (i < len && lpc_is_digit(p[i])) i++;
    if (i + 1 < len && p[i] == '.' && lpc_is_digit(p[i + 1])) {
        *is_float = 1;
        i += 2;
        while (i < len && lpc_is_digit(p[i])) i++;
    }
    if (i < len && (p[i] == 'e' || p[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (p[j] == '+' || p[j] == '-')) j++;
        if (j < len && lpc_is_digit(p[j])) {
            *is_float = 1;
            i = j;
            while (i < len && lpc_is_digit(p[i])) i++;
        }
    }
    return i;
}

#endif
