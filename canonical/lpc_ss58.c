/* SS58 decoding (sr25519.md §5): base58 (Bitcoin alphabet, bs58 0.5.1), prefix rules,
 * the SS58PRE BLAKE2b-512 checksum and the registered formats. */
#include "canonical/lpc_ss58.h"

#include <sodium.h>
#include <string.h>

static const char k_alpha[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* ss58-registry 1.50.0 prefixes (§5 step 7), ascending; 46/47 are refused before. */
static const uint16_t k_registered[] = {
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,   16,
    17,   18,   19,   20,   21,   22,   23,   24,   25,   26,   27,   28,   29,   30,   31,   32,   33,
    34,   35,   36,   37,   38,   39,   40,   41,   42,   43,   44,   45,   48,   49,   50,   51,   52,
    53,   54,   55,   56,   57,   58,   63,   65,   66,   67,   68,   69,   71,   72,   73,   77,   78,
    81,   88,   89,   90,   92,   93,   98,   99,   100,  101,  105,  110,  113,  117,  126,  128,  129,
    131,  136,  137,  172,  252,  255,  268,  420,  440,  666,  777,  789,  995,  1110, 1221, 1222, 1284,
    1285, 1328, 1337, 1516, 1985, 2007, 2009, 2021, 2024, 2032, 2092, 2106, 2112, 2199, 2206, 2207, 2254,
    3333, 4450, 5234, 5845, 6094, 7007, 7013, 7306, 7391, 8866, 8883, 8886, 8888, 9072, 9807, 9935, 10041,
    11330, 11331, 11486, 11820, 12155, 12191, 12850, 13116, 14697, 14998};

int lpc_ss58_prefix_known(unsigned ident)
{
    for (size_t i = 0; i < sizeof k_registered / sizeof *k_registered; i++)
        if (k_registered[i] == ident) return 1;
    return ident == LPC_SS58_DEFAULT_PREFIX;
}

static int b58val(unsigned char c)
{
    const char *p = c ? strchr(k_alpha, c) : NULL;
    return p ? (int)(p - k_alpha) : -1;
}

/* Base58 to bytes: leading '1's are zero bytes, the rest a big-endian number.  *len is
 * the decoded length; out holds it (cap >= n: every character adds at most one byte). */
static int b58_decode(const char *s, size_t n, uint8_t *out, size_t *len)
{
    size_t zeros = 0, used = 0; /* used: bytes of the number, little-endian in out */
    for (size_t i = 0; i < n; i++)
        if (b58val((unsigned char)s[i]) < 0) return -1;
    while (zeros < n && s[zeros] == '1') zeros++;
    for (size_t i = zeros; i < n; i++) {
        unsigned carry = (unsigned)b58val((unsigned char)s[i]);
        for (size_t j = 0; j < used; j++) {
            carry += 58u * out[j];
            out[j] = (uint8_t)carry;
            carry >>= 8;
        }
        while (carry) {
            out[used++] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    /* to big-endian after the zero bytes */
    for (size_t i = 0; i < used / 2; i++) {
        uint8_t t = out[i];
        out[i] = out[used - 1 - i];
        out[used - 1 - i] = t;
    }
    memmove(out + zeros, out, used);
    memset(out, 0, zeros);
    *len = zeros + used;
    return 0;
}

static int ss58_checksum(const uint8_t *d, size_t n, uint8_t sum[2])
{
    uint8_t h[crypto_generichash_BYTES_MAX];
    crypto_generichash_state st;
    if (crypto_generichash_init(&st, NULL, 0, sizeof h) || crypto_generichash_update(&st, (const uint8_t *)"SS58PRE", 7) ||
        crypto_generichash_update(&st, d, n) || crypto_generichash_final(&st, h, sizeof h))
        return -1;
    memcpy(sum, h, 2);
    return 0;
}

lp_code lpc_ss58_decode(const char *s, size_t n, lpc_ss58 *out)
{
    uint8_t d[LPC_SS58_TEXT_MAX];
    size_t len = 0;
    if (!out || (!s && n)) return LP_CODE_BAD_ARGUMENT;
    if (n > LPC_SS58_TEXT_MAX) return LP_CODE_INPUT_TOO_LARGE;
    if (b58_decode(s, n, d, &len)) return LP_CODE_SS58_BAD_BASE58;
    if (len < 2) return LP_CODE_SS58_BAD_LENGTH;
    size_t pl;
    unsigned ident;
    if (d[0] <= 63) {
        pl = 1;
        ident = d[0];
    } else if (d[0] <= 127) {
        pl = 2;
        ident = ((unsigned)(d[0] << 2 | d[1] >> 6) & 0xFFu) | ((unsigned)(d[1] & 0x3F) << 8);
    } else {
        return LP_CODE_SS58_INVALID_PREFIX;
    }
    if (len != pl + LPC_SS58_KEY_LEN + 2) return LP_CODE_SS58_BAD_LENGTH;
    if (ident == 46 || ident == 47) return LP_CODE_SS58_FORMAT_NOT_ALLOWED;
    uint8_t sum[2];
    if (ss58_checksum(d, pl + LPC_SS58_KEY_LEN, sum)) return LP_CODE_CRYPTO_BACKEND;
    if (memcmp(sum, d + pl + LPC_SS58_KEY_LEN, 2) != 0) return LP_CODE_SS58_BAD_CHECKSUM;
    if (!lpc_ss58_prefix_known(ident)) return LP_CODE_SS58_UNKNOWN_FORMAT;
    memcpy(out->key, d + pl, LPC_SS58_KEY_LEN);
    out->prefix = (uint16_t)ident;
    out->prefix_len = (uint8_t)pl;
    return LP_CODE_OK;
}

int lpc_ss58_is_canonical(const lpc_ss58 *a)
{
    return a->prefix_len == 1 && a->prefix == LPC_SS58_DEFAULT_PREFIX;
}

int lpc_ss58_encode(const uint8_t key[LPC_SS58_KEY_LEN], unsigned prefix, char out[64])
{
    uint8_t d[2 + LPC_SS58_KEY_LEN + 2];
    size_t pl;
    if (prefix >= 16384 || prefix == 46 || prefix == 47) return -1;
    if (prefix < 64) {
        d[0] = (uint8_t)prefix;
        pl = 1;
    } else {
        d[0] = (uint8_t)(((prefix & 0xFC) >> 2) | 0x40);
        d[1] = (uint8_t)((prefix >> 8) | ((prefix & 3) << 6));
        pl = 2;
    }
    memcpy(d + pl, key, LPC_SS58_KEY_LEN);
    if (ss58_checksum(d, pl + LPC_SS58_KEY_LEN, d + pl + LPC_SS58_KEY_LEN)) return -1;
    size_t n = pl + LPC_SS58_KEY_LEN + 2, zeros = 0, used = 0;
    uint8_t digits[64];
    while (zeros < n && d[zeros] == 0) zeros++;
    for (size_t i = zeros; i < n; i++) {
        unsigned carry = d[i];
        for (size_t j = 0; j < used; j++) {
            carry += (unsigned)digits[j] << 8;
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry) {
            digits[used++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    size_t o = 0;
    for (size_t i = 0; i < zeros; i++) out[o++] = '1';
    for (size_t i = used; i-- > 0;) out[o++] = k_alpha[digits[i]];
    out[o] = 0;
    return 0;
}
