/* CPython 3.11's `random` module generator, bit for bit (spec subnet46-zipcode.md §6.4
 * tier 3 and §6.7): the MT19937 state that `random.seed(int)` sets up
 * (Modules/_randommodule.c: init_by_array over the 32-bit words of abs(s), least
 * significant first), getrandbits, _randbelow (the getrandbits rejection method),
 * random(), uniform() and sample(range(n), k) (Lib/random.py: pool method when
 * n <= setsize, else the set method).
 *
 * Pure: no I/O, no globals, no allocation.  The generator state is the caller's struct;
 * sample_range uses a bounded stack scratch (LPC_PYRANDOM_POOL_MAX 32-bit slots) and
 * the caller's output array for membership, so k is capped at LPC_PYRANDOM_SAMPLE_MAX.
 * shuffle() is not provided: the spec never calls it.
 *
 * Error contract: the functions never fail except where stated (sample_range's return
 * code; randbelow's LPC_PYRANDOM_REFUSED for n == 0, where CPython loops forever). */
#ifndef LPC_PYRANDOM_H
#define LPC_PYRANDOM_H

#include <stddef.h>
#include <stdint.h>

#define LPC_PYRANDOM_N 624
typedef struct { uint32_t mt[LPC_PYRANDOM_N]; int mti; } lpc_pyrandom;

/* Largest k sample_range accepts (the set method checks membership against the k
 * results drawn so far, O(k^2)); the spec's k is at most 50. */
#define LPC_PYRANDOM_SAMPLE_MAX 256
/* Pool scratch: the largest setsize for k <= LPC_PYRANDOM_SAMPLE_MAX,
 * 21 + 4^ceil(log4(3 * 256)) = 21 + 1024. */
#define LPC_PYRANDOM_POOL_MAX 1045
/* randbelow's refusal (n == 0); never a result, since results are < n <= 2^64 - 1. */
#define LPC_PYRANDOM_REFUSED UINT64_MAX

/* sample_range return codes */
#define LPC_PYRANDOM_SAMPLE_OK 0
#define LPC_PYRANDOM_SAMPLE_TOO_LARGE (-1)  /* k > n: ValueError("Sample larger than population or is negative") */
#define LPC_PYRANDOM_SAMPLE_REFUSED (-2)    /* k > LPC_PYRANDOM_SAMPLE_MAX (a named refusal, not CPython) */

/* random.seed(s) for a non-negative int s (init_by_array over the 32-bit words of s,
 * least significant first; s == 0 is one word 0). */
void lpc_pyrandom_seed(lpc_pyrandom *r, uint64_t s);
/* genrand_uint32(): the next MT19937 output word. */
uint32_t lpc_pyrandom_genrand32(lpc_pyrandom *r);
/* getrandbits(k), 0 <= k <= 64 (k == 0 is 0 without a draw, as CPython 3.9+; k > 32:
 * words least significant first, the last word keeping its top k mod 32 bits).
 * k > 64 is outside the contract: returns 0 without drawing. */
uint64_t lpc_pyrandom_getrandbits(lpc_pyrandom *r, unsigned k);
/* _randbelow(n): b = bit_length(n), draw getrandbits(b) until < n.  Any n >= 1;
 * n == 0 returns LPC_PYRANDOM_REFUSED without drawing. */
uint64_t lpc_pyrandom_randbelow(lpc_pyrandom *r, uint64_t n);
/* random(): (a * 67108864 + b) / 2^53, a = genrand >> 5, b = genrand >> 6. */
double lpc_pyrandom_random(lpc_pyrandom *r);
/* uniform(a, b) = a + (b - a) * random(). */
double lpc_pyrandom_uniform(lpc_pyrandom *r, double a, double b);
/* random.sample(range(n), k): out[0..k) in CPython's draw order (unsorted; the spec's
 * callers sort).  The caller gives out with room for k.  Returns
 * LPC_PYRANDOM_SAMPLE_OK, LPC_PYRANDOM_SAMPLE_TOO_LARGE when k > n (checked first, as
 * CPython; no draw), or LPC_PYRANDOM_SAMPLE_REFUSED when k > LPC_PYRANDOM_SAMPLE_MAX
 * (no draw).  On failure out is untouched and the state unchanged. */
int lpc_pyrandom_sample_range(lpc_pyrandom *r, uint64_t n, size_t k, uint64_t *out);
/* The setsize sample() compares n with: 21, plus 4^ceil(log4(3k)) when k > 5 (exact
 * integer arithmetic; equal to CPython's float log for every k <= SAMPLE_MAX).  k <=
 * LPC_PYRANDOM_SAMPLE_MAX, else 0. */
uint64_t lpc_pyrandom_setsize(size_t k);

#endif
