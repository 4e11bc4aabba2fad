/* Leaf hashes, the checkpoint tree of §4.1 (odd node paired with itself, no domain
 * separation) with its proofs, and the gateway/utils tree of §4.2.  One Merkle fold
 * (fold) serves lpm_proof_verify, lpm_proof_verify_at (proof files) and the utils
 * proofs. */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm_pool.h"
#include "merkle/lpm_state.h"

lpm_err lpm_hash_profile(const lpc_value *v, lpc_profile p, uint8_t out[LPM_HASH_LEN])
{
    lpc_buf b = {0};
    lpc_err e = lpc_dump(v, p, &b);
    if (e != LPC_OK) {
        lpc_buf_free(&b);
        return e == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_CANONICAL;
    }
    e = lpc_sha256(b.ptr, b.len, out);
    lpc_buf_free(&b);
    return e == LPC_OK ? LPM_OK : LPM_ERR_CRYPTO;
}

lpm_err lpm_hash_csa(const lpc_value *v, uint8_t out[LPM_HASH_LEN])
{
    return lpm_hash_profile(v, LPC_PROFILE_CS_A, out);
}

int lpm_hex32(const lpc_value *s, uint8_t out[LPM_HASH_LEN])
{
    size_t n;
    if (!s || s->type != LPC_STR || s->u.s.len != 64 || !lpc_is_lower_hex(s->u.s.ptr, 64)) return 0;
    return lpc_hex_decode(s->u.s.ptr, 64, out, LPM_HASH_LEN, &n) == LPC_OK && n == LPM_HASH_LEN;
}

static int hash_pair(lpc_hash_ctx *c, const uint8_t *l, const uint8_t *r, uint8_t *out)
{
    return lpc_hash_init(c) == LPC_OK && lpc_hash_update(c, l, LPM_HASH_LEN) == LPC_OK &&
           lpc_hash_update(c, r, LPM_HASH_LEN) == LPC_OK && lpc_hash_final(c, out) == LPC_OK;
}

void lpm_tree_free(lpm_tree *t)
{
    if (!t) return;
    free(t->nodes);
    memset(t, 0, sizeof *t);
}

#define LPM_TREE_PAR_MIN 4096  /* pairs in a level worth spreading over the cores */

typedef struct {
    uint8_t (*cur)[LPM_HASH_LEN], (*nxt)[LPM_HASH_LEN];
    size_t len;
    lpc_hash_ctx *c[LPM_MAX_THREADS];  /* one per worker, made on first use */
} level_job;

/* Parents [b, e) of one level: an odd last node is paired with itself (§4.1). */
static lpm_err level_chunk(void *ctx, unsigned w, size_t b, size_t e, size_t *bad)
{
    level_job *j = ctx;
    if (!j->c[w] && !(j->c[w] = lpc_hash_ctx_new(LPC_SHA256))) { *bad = b; return LPM_ERR_CRYPTO; }
    for (size_t p = b; p < e; p++) {
        size_t i = 2 * p;
        const uint8_t *r = i + 1 < j->len ? j->cur[i + 1] : j->cur[i];
        if (!hash_pair(j->c[w], j->cur[i], r, j->nxt[p])) { *bad = p; return LPM_ERR_CRYPTO; }
    }
    return LPM_OK;
}

lpm_err lpm_tree_build_from(const uint8_t *leaf0, size_t stride, size_t n, lpm_tree *t)
{
    if (!t) return LPM_ERR_ARG;
    memset(t, 0, sizeof *t);
    if (n == 0) return LPM_ERR_EMPTY_TREE;
    if (!leaf0 || stride < LPM_HASH_LEN || n > SIZE_MAX / 2 / LPM_HASH_LEN - 64) return LPM_ERR_ARG;
    size_t total = 0, m = n, lv = 0;
    for (;;) {
        if (lv > LPM_MAX_DEPTH) return LPM_ERR_INPUT_TOO_LARGE;
        t->level_off[lv] = total;
        t->level_len[lv] = m;
        total += m;
        lv++;
        if (m == 1) break;
        m = (m + 1) / 2;
    }
    t->n_levels = lv;
    t->nodes = malloc(total * LPM_HASH_LEN);
    if (!t->nodes) return LPM_ERR_NOMEM;
    if (stride == LPM_HASH_LEN) memcpy(t->nodes, leaf0, n * LPM_HASH_LEN);
    else
        for (size_t i = 0; i < n; i++) memcpy(t->nodes[i], leaf0 + i * stride, LPM_HASH_LEN);
    level_job j = {0};
    lpm_err err = LPM_OK;
    for (size_t k = 0; k + 1 < t->n_levels && err == LPM_OK; k++) {
        j.cur = t->nodes + t->level_off[k];
        j.nxt = t->nodes + t->level_off[k + 1];
        j.len = t->level_len[k];
        size_t bad, pairs = t->level_len[k + 1];
        /* wide levels over all cores; one pair costs about a microsecond */
        err = pairs >= LPM_TREE_PAR_MIN ? lpm_parallel_chunks(pairs, 1024, 0, level_chunk, &j, &bad)
                                        : level_chunk(&j, 0, 0, pairs, &bad);
    }
    for (unsigned w = 0; w < LPM_MAX_THREADS; w++) lpc_hash_ctx_free(j.c[w]);
    if (err != LPM_OK) lpm_tree_free(t);
    return err;
}

lpm_err lpm_tree_build(const uint8_t (*leaves)[LPM_HASH_LEN], size_t n, lpm_tree *t)
{
    return lpm_tree_build_from((const uint8_t *)leaves, LPM_HASH_LEN, n, t);
}

const uint8_t *lpm_tree_root(const lpm_tree *t)
{
    if (!t || !t->nodes || !t->n_levels) return NULL;
    return t->nodes[t->level_off[t->n_levels - 1]];
}

lpm_err lpm_tree_proof(const lpm_tree *t, size_t idx, lpm_step steps[LPM_MAX_DEPTH], size_t *n_steps)
{
    if (!t || !t->nodes || !steps || !n_steps || idx >= t->level_len[0]) return LPM_ERR_ARG;
    size_t s = 0;
    for (size_t k = 0; k + 1 < t->n_levels; k++) {
        const uint8_t (*lvl)[LPM_HASH_LEN] = (const uint8_t (*)[LPM_HASH_LEN])(t->nodes + t->level_off[k]);
        size_t len = t->level_len[k];
        if (idx % 2 == 0) {
            memcpy(steps[s].sibling, idx + 1 < len ? lvl[idx + 1] : lvl[idx], LPM_HASH_LEN);
            steps[s].left = 0;
        } else {
            memcpy(steps[s].sibling, lvl[idx - 1], LPM_HASH_LEN);
            steps[s].left = 1;
        }
        s++;
        idx /= 2;
    }
    *n_steps = s;
    return LPM_OK;
}

int lpm_proof_shape_ok(size_t idx, size_t n, const lpm_step *steps, size_t n_steps)
{
    if (n == 0 || idx >= n || (n_steps && !steps)) return 0;
    size_t s = 0, len = n;
    while (len > 1) {
        if (s >= n_steps) return 0;
        if ((steps[s].left != 0) != (idx % 2 == 1)) return 0;
        s++;
        idx /= 2;
        len = (len + 1) / 2;
    }
    return s == n_steps;
}

/* Where a proof is bound to leaf idx of a tree of n leaves. */
typedef struct { size_t idx, n; } fold_bind;

/* The one Merkle fold: cur = leaf; step s hashes cur with steps[s].sibling, the sibling on
 * the left when steps[s].left, except that where by_order[s] is set (the §4.2 legacy
 * element without a "L:"/"R:" prefix) the smaller of the two is on the left.  With bind,
 * the node that is the last of an odd level must be paired with itself (§4.1), which the
 * positions alone (lpm_proof_shape_ok) cannot say.  out = the folded root.  LPM_OK, or
 * LPM_ERR_PROOF_INVALID (a bound self-pair broken) or LPM_ERR_CRYPTO. */
static lpm_err fold(const uint8_t leaf[LPM_HASH_LEN], const lpm_step *steps, const uint8_t *by_order, size_t n_steps,
                    const fold_bind *bind, uint8_t out[LPM_HASH_LEN])
{
    uint8_t cur[LPM_HASH_LEN], nxt[LPM_HASH_LEN];
    memcpy(cur, leaf, LPM_HASH_LEN);
    lpc_hash_ctx *c = lpc_hash_ctx_new(LPC_SHA256);
    if (!c) return LPM_ERR_CRYPTO;
    size_t i = bind ? bind->idx : 0, lvl = bind ? bind->n : 0;
    lpm_err err = LPM_OK;
    for (size_t s = 0; s < n_steps && err == LPM_OK; s++) {
        const uint8_t *sib = steps[s].sibling;
        int left = by_order && by_order[s] ? memcmp(sib, cur, LPM_HASH_LEN) < 0 : steps[s].left != 0;
        if (bind) {
            if (!left && i + 1 == lvl && memcmp(sib, cur, LPM_HASH_LEN) != 0) { err = LPM_ERR_PROOF_INVALID; break; }
            i /= 2;
            lvl = (lvl + 1) / 2;
        }
        if (!(left ? hash_pair(c, sib, cur, nxt) : hash_pair(c, cur, sib, nxt))) err = LPM_ERR_CRYPTO;
        memcpy(cur, nxt, LPM_HASH_LEN);
    }
    lpc_hash_ctx_free(c);
    if (err == LPM_OK) memcpy(out, cur, LPM_HASH_LEN);
    return err;
}

lpm_err lpm_proof_verify(const uint8_t leaf[LPM_HASH_LEN], const lpm_step *steps, size_t n_steps,
                         const uint8_t root[LPM_HASH_LEN])
{
    if (!leaf || !root || (n_steps && !steps) || n_steps > LPM_MAX_DEPTH) return LPM_ERR_ARG;
    uint8_t got[LPM_HASH_LEN];
    lpm_err e = fold(leaf, steps, NULL, n_steps, NULL, got);
    if (e != LPM_OK) return e;
    return memcmp(got, root, LPM_HASH_LEN) == 0 ? LPM_OK : LPM_ERR_PROOF_INVALID;
}

lpm_err lpm_proof_verify_at(const uint8_t leaf[LPM_HASH_LEN], const lpm_step *steps, size_t n_steps, size_t idx,
                            size_t n, const uint8_t root[LPM_HASH_LEN])
{
    if (!leaf || !root || (n_steps && !steps) || n_steps > LPM_MAX_DEPTH) return LPM_ERR_ARG;
    if (!lpm_proof_shape_ok(idx, n, steps, n_steps)) return LPM_ERR_PROOF_INVALID;
    fold_bind b = {idx, n};
    uint8_t got[LPM_HASH_LEN];
    lpm_err e = fold(leaf, steps, NULL, n_steps, &b, got);
    if (e != LPM_OK) return e;
    return memcmp(got, root, LPM_HASH_LEN) == 0 ? LPM_OK : LPM_ERR_PROOF_INVALID;
}

lpm_err lpm_utils_root(const uint8_t (*leaves)[LPM_HASH_LEN], size_t n, uint8_t root[LPM_HASH_LEN])
{
    if (!root) return LPM_ERR_ARG;
    if (n == 0) { memset(root, 0, LPM_HASH_LEN); return LPM_OK; }
    lpm_tree t;
    lpm_err e = lpm_tree_build(leaves, n, &t);
    if (e != LPM_OK) return e;
    memcpy(root, lpm_tree_root(&t), LPM_HASH_LEN);
    lpm_tree_free(&t);
    return LPM_OK;
}

int lpm_utils_proof_verify(const uint8_t leaf[LPM_HASH_LEN], const char *const *proof, size_t n,
                           const uint8_t root[LPM_HASH_LEN])
{
    if (!leaf || !root || (n && !proof) || n > LPM_MAX_DEPTH) return 0;
    lpm_step steps[LPM_MAX_DEPTH];
    uint8_t by_order[LPM_MAX_DEPTH];
    for (size_t i = 0; i < n; i++) {
        const char *p = proof[i], *colon = p ? strchr(p, ':') : NULL;
        if (!p) return 0;
        const char *hex = colon ? colon + 1 : p;
        size_t got;
        if (lpc_hex_decode(hex, strlen(hex), steps[i].sibling, LPM_HASH_LEN, &got) != LPC_OK || got != LPM_HASH_LEN)
            return 0;
        steps[i].left = colon && colon - p == 1 && p[0] == 'L';  /* any other prefix: right */
        by_order[i] = colon == NULL;                               /* legacy: smaller bytes on the left */
    }
    uint8_t got[LPM_HASH_LEN];
    return fold(leaf, steps, by_order, n, NULL, got) == LPM_OK && memcmp(got, root, LPM_HASH_LEN) == 0;
}
