/* CPython 3.11's random generator; see lpc_pyrandom.h. */
#include "canonical/lpc_pyrandom.h"

#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

/* MT19937 init_genrand (Matsumoto-Nishimura's 2002 initialisation). */
static void init_genrand(lpc_pyrandom *r, uint32_t s)
{
    r->mt[0] = s;
    for (int i = 1; i < LPC_PYRANDOM_N; i++) {
        uint32_t p = r->mt[i - 1];
        r->mt[i] = 1812433253u * (p ^ (p >> 30)) + (uint32_t)i;
    }
    r->mti = LPC_PYRANDOM_N;
}

/* init_by_array(key[0..len)), len >= 1. */
static void init_by_array(lpc_pyrandom *r, const uint32_t *key, int len)
{
    init_genrand(r, 19650218u);
    int i = 1, j = 0;
    for (int c = LPC_PYRANDOM_N > len ? LPC_PYRANDOM_N : len; c > 0; c--) {
        uint32_t p = r->mt[i - 1];
        r->mt[i] = (r->mt[i] ^ ((p ^ (p >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= LPC_PYRANDOM_N) {
            r->mt[0] = r->mt[LPC_PYRANDOM_N - 1];
            i = 1;
        }
        if (j >= len) j = 0;
    }
    for (int c = LPC_PYRANDOM_N - 1; c > 0; c--) {
        uint32_t p = r->mt[i - 1];
        r->mt[i] = (r->mt[i] ^ ((p ^ (p >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= LPC_PYRANDOM_N) {
            r->mt[0] = r->mt[LPC_PYRANDOM_N - 1];
            i = 1;
        }
    }
    r->mt[0] = 0x80000000u; /* the state is never all zero */
}

void lpc_pyrandom_seed(lpc_pyrandom *r, uint64_t s)
{
    uint32_t key[2] = {(uint32_t)s, (uint32_t)(s >> 32)};
    init_by_array(r, key, key[1] ? 2 : 1);
}

static uint32_t twist_one(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t y = (a & MT_UPPER) | (b & MT_LOWER);
    return c ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
}

uint32_t lpc_pyrandom_genrand32(lpc_pyrandom *r)
{
    if (r->mti >= LPC_PYRANDOM_N) {
        int k;
        for (k = 0; k < LPC_PYRANDOM_N - MT_M; k++)
            r->mt[k] = twist_one(r->mt[k], r->mt[k + 1], r->mt[k + MT_M]);
        for (; k < LPC_PYRANDOM_N - 1; k++)
            r->mt[k] = twist_one(r->mt[k], r->mt[k + 1], r->mt[k + MT_M - LPC_PYRANDOM_N]);
        r->mt[LPC_PYRANDOM_N - 1] = twist_one(r->mt[LPC_PYRANDOM_N - 1], r->mt[0], r->mt[MT_M - 1]);
        r->mti = 0;
    }
    uint32_t y = r->mt[r->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

uint64_t lpc_pyrandom_getrandbits(lpc_pyrandom *r, unsigned k)
{
    if (k == 0 || k > 64) return 0;
    if (k <= 32) return (uint64_t)(lpc_pyrandom_genrand32(r) >> (32u - k));
    /* low word first (full 32 bits), then the high word's top k - 32 bits */
    uint64_t lo = lpc_pyrandom_genrand32(r);
    uint64_t hi = lpc_pyrandom_genrand32(r) >> (64u - k);
    return lo | (hi << 32);
}

static unsigned bit_length(uint64_t n)
{
    unsigned b = 0;
    while (n) {
        b++;
        n >>= 1;
    }
    return b;
}

uint64_t lpc_pyrandom_randbelow(lpc_pyrandom *r, uint64_t n)
{
    if (n == 0) return LPC_PYRANDOM_REFUSED;
    unsigned b = bit_length(n);
    uint64_t x = lpc_pyrandom_getrandbits(r, b);
    while (x >= n) x = lpc_pyrandom_getrandbits(r, b); /* expected < 2 draws: n >= 2^(b-1) */
    return x;
}

double lpc_pyrandom_random(lpc_pyrandom *r)
{
    uint32_t a = lpc_pyrandom_genrand32(r) >> 5, b = lpc_pyrandom_genrand32(r) >> 6;
    return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}

double lpc_pyrandom_uniform(lpc_pyrandom *r, double a, double b)
{
    return a + (b - a) * lpc_pyrandom_random(r);
}

uint64_t lpc_pyrandom_setsize(size_t k)
{
    if (k > LPC_PYRANDOM_SAMPLE_MAX) return 0;
    uint64_t size = 21;
    if (k > 5) {
        /* smallest 4^e >= 3k; 3k is never a power of 4, so this is ceil(log4(3k)) */
        uint64_t p = 1;
        while (p < 3u * (uint64_t)k) p *= 4;
        size += p;
    }
    return size;
}

int lpc_pyrandom_sample_range(lpc_pyrandom *r, uint64_t n, size_t k, uint64_t *out)
{
    if ((uint64_t)k > n) return LPC_PYRANDOM_SAMPLE_TOO_LARGE;
    if (k > LPC_PYRANDOM_SAMPLE_MAX) return LPC_PYRANDOM_SAMPLE_REFUSED;
    if (n <= lpc_pyrandom_setsize(k)) {
        /* pool method: n <= LPC_PYRANDOM_POOL_MAX here */
        uint32_t pool[LPC_PYRANDOM_POOL_MAX];
        for (uint32_t i = 0; i < (uint32_t)n; i++) pool[i] = i;
        for (size_t i = 0; i < k; i++) {
            uint64_t j = lpc_pyrandom_randbelow(r, n - i);
            out[i] = pool[j];
            pool[j] = pool[n - i - 1];
        }
        return LPC_PYRANDOM_SAMPLE_OK;
    }
    /* set method: out[0..i) is the selected set */
    for (size_t i = 0; i < k; i++) {
        uint64_t j;
        int seen;
        do {
            j = lpc_pyrandom_randbelow(r, n);
            seen = 0;
            for (size_t t = 0; t < i; t++)
                if (out[t] == j) {
                    seen = 1;
                    break;
                }
        } while (seen);
        out[i] = j;
    }
    return LPC_PYRANDOM_SAMPLE_OK;
}
