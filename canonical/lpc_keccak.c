/* Keccak-f[1600] over the byte state (sr25519.md §3.4). */
#include "canonical/lpc_keccak.h"

static const uint64_t k_rc[24] = {
    0x0000000000000001u, 0x0000000000008082u, 0x800000000000808Au, 0x8000000080008000u,
    0x000000000000808Bu, 0x0000000080000001u, 0x8000000080008081u, 0x8000000000008009u,
    0x000000000000008Au, 0x0000000000000088u, 0x0000000080008009u, 0x000000008000000Au,
    0x000000008000808Bu, 0x800000000000008Bu, 0x8000000000008089u, 0x8000000000008003u,
    0x8000000000008002u, 0x8000000000000080u, 0x000000000000800Au, 0x800000008000000Au,
    0x8000000080008081u, 0x8000000000008080u, 0x0000000080000001u, 0x8000000080008008u};

/* rho offsets r[x+5y] */
static const unsigned k_rho[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                   25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

static uint64_t rotl(uint64_t v, unsigned n) { return n ? (v << n) | (v >> (64 - n)) : v; }

void lpc_keccak_f1600(uint8_t st[LPC_KECCAK_STATE_BYTES])
{
    /* destination of lane i under pi: B[y + 5((2x + 3y) mod 5)] for i = x + 5y */
    static const unsigned char k_pi[25] = {0,  10, 20, 5,  15, 16, 1,  11, 21, 6,  7,  17, 2,
                                           12, 22, 23, 8,  18, 3,  13, 14, 24, 9,  19, 4};
    uint64_t a[25], b[25], c[5], d[5];
    for (int i = 0; i < 25; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--) v = (v << 8) | st[8 * i + j];
        a[i] = v;
    }
    for (int r = 0; r < 24; r++) {
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        d[0] = c[4] ^ rotl(c[1], 1);
        d[1] = c[0] ^ rotl(c[2], 1);
        d[2] = c[1] ^ rotl(c[3], 1);
        d[3] = c[2] ^ rotl(c[4], 1);
        d[4] = c[3] ^ rotl(c[0], 1);
        for (int i = 0; i < 25; i++) b[k_pi[i]] = rotl(a[i] ^ d[i % 5], k_rho[i]);
        for (int y = 0; y < 25; y += 5) {
            a[y + 0] = b[y + 0] ^ (~b[y + 1] & b[y + 2]);
            a[y + 1] = b[y + 1] ^ (~b[y + 2] & b[y + 3]);
            a[y + 2] = b[y + 2] ^ (~b[y + 3] & b[y + 4]);
            a[y + 3] = b[y + 3] ^ (~b[y + 4] & b[y + 0]);
            a[y + 4] = b[y + 4] ^ (~b[y + 0] & b[y + 1]);
        }
        a[0] ^= k_rc[r];
    }
    for (int i = 0; i < 25; i++)
        for (int j = 0; j < 8; j++) st[8 * i + j] = (uint8_t)(a[i] >> (8 * j));
}
