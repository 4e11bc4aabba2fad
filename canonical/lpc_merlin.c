/* STROBE-128 subset and Merlin transcripts (sr25519.md §3.5, §3.6). */
#include "canonical/lpc_merlin.h"

#include <string.h>

enum { F_I = 0x01, F_A = 0x02, F_C = 0x04, F_T = 0x08, F_M = 0x10, F_K = 0x20 };

/* §3.5 step 2 */
static void run_f(lpc_strobe *s)
{
    s->st[s->pos] ^= s->pos_begin;
    s->st[s->pos + 1] ^= 0x04;
    s->st[LPC_STROBE_RATE + 1] ^= 0x80;
    lpc_keccak_f1600(s->st);
    s->pos = 0;
    s->pos_begin = 0;
}

static void absorb(lpc_strobe *s, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        s->st[s->pos++] ^= d[i];
        if (s->pos == LPC_STROBE_RATE) run_f(s);
    }
}

static void overwrite(lpc_strobe *s, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        s->st[s->pos++] = d[i];
        if (s->pos == LPC_STROBE_RATE) run_f(s);
    }
}

static void squeeze(lpc_strobe *s, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = s->st[s->pos];
        s->st[s->pos++] = 0;
        if (s->pos == LPC_STROBE_RATE) run_f(s);
    }
}

/* §3.5 step 5: pos_begin is set before the two framing bytes are absorbed. */
static int begin_op(lpc_strobe *s, uint8_t flags, int more)
{
    if (more) return flags == s->cur_flags ? 0 : -1;
    uint8_t frame[2] = {s->pos_begin, flags};
    s->pos_begin = (uint8_t)(s->pos + 1);
    s->cur_flags = flags;
    absorb(s, frame, 2);
    if ((flags & (F_C | F_K)) && s->pos != 0) run_f(s);
    return 0;
}

void lpc_strobe_init(lpc_strobe *s, const uint8_t *label, size_t n)
{
    static const uint8_t head[18] = {0x01, 0xa8, 0x01, 0x00, 0x01, 0x60, 'S', 'T', 'R', 'O', 'B', 'E', 'v', '1', '.', '0', '.', '2'};
    memset(s, 0, sizeof *s);
    memcpy(s->st, head, sizeof head);
    lpc_keccak_f1600(s->st);
    lpc_strobe_meta_ad(s, label, n, 0);
}

int lpc_strobe_meta_ad(lpc_strobe *s, const uint8_t *d, size_t n, int more)
{
    if (begin_op(s, F_M | F_A, more)) return -1;
    absorb(s, d, n);
    return 0;
}

int lpc_strobe_ad(lpc_strobe *s, const uint8_t *d, size_t n, int more)
{
    if (begin_op(s, F_A, more)) return -1;
    absorb(s, d, n);
    return 0;
}

int lpc_strobe_prf(lpc_strobe *s, uint8_t *out, size_t n, int more)
{
    if (begin_op(s, F_I | F_A | F_C, more)) return -1;
    squeeze(s, out, n);
    return 0;
}

int lpc_strobe_key(lpc_strobe *s, const uint8_t *d, size_t n, int more)
{
    if (begin_op(s, F_A | F_C, more)) return -1;
    overwrite(s, d, n);
    return 0;
}

static void le32(uint8_t b[4], uint32_t v)
{
    for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
}

void lpc_merlin_init(lpc_merlin *t, const char *label)
{
    static const char proto[] = "Merlin v1.0";
    lpc_strobe_init(&t->s, (const uint8_t *)proto, sizeof proto - 1);
    lpc_iov m = {(const uint8_t *)label, strlen(label)};
    lpc_merlin_append(t, "dom-sep", &m, 1);
}

int lpc_merlin_append(lpc_merlin *t, const char *label, const lpc_iov *parts, size_t nparts)
{
    uint64_t total = 0;
    for (size_t i = 0; i < nparts; i++) total += parts[i].n;
    if (total > UINT32_MAX) return -1;
    uint8_t len[4];
    le32(len, (uint32_t)total);
    lpc_strobe_meta_ad(&t->s, (const uint8_t *)label, strlen(label), 0);
    lpc_strobe_meta_ad(&t->s, len, 4, 1);
    lpc_strobe_ad(&t->s, NULL, 0, 0);
    for (size_t i = 0; i < nparts; i++) absorb(&t->s, parts[i].p, parts[i].n);
    return 0;
}

void lpc_merlin_challenge(lpc_merlin *t, const char *label, uint8_t *out, size_t n)
{
    uint8_t len[4];
    le32(len, (uint32_t)n);
    lpc_strobe_meta_ad(&t->s, (const uint8_t *)label, strlen(label), 0);
    lpc_strobe_meta_ad(&t->s, len, 4, 1);
    lpc_strobe_prf(&t->s, out, n, 0);
}
