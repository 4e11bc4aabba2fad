/* Errors, hashing helpers, the checkpoint tree (§4.1), gateway/utils trees (§4.2)
 * and capped gunzip (§6). */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "canonical/lpc_hash.h"
#include "merkle/lp_merkle.h"

static const struct { const char *name, *msg; } k_err[] = {
    [LPM_OK] = {"OK", "ok"},
    [LPM_ERR_NOMEM] = {"OUT_OF_MEMORY", "out of memory"},
    [LPM_ERR_ARG] = {"BAD_ARGUMENT", "invalid argument"},
    [LPM_ERR_INPUT_TOO_LARGE] = {"INPUT_TOO_LARGE", "input exceeds a size cap"},
    [LPM_ERR_MALFORMED] = {"MALFORMED_INPUT", "input does not have the documented structure"},
    [LPM_ERR_BASE64] = {"BAD_BASE64", "events_compressed is not strict standard base64"},
    [LPM_ERR_GZIP] = {"BAD_GZIP", "events_compressed is not one valid gzip member"},
    [LPM_ERR_EVENTS_JSON] = {"BAD_EVENTS_JSON", "inflated events are not a JSON array of objects"},
    [LPM_ERR_CANONICAL] = {"CANONICAL_ERROR", "a record cannot be serialised as Python does"},
    [LPM_ERR_EMPTY_TREE] = {"EMPTY_TREE", "cannot compute a Merkle tree from an empty list"},
    [LPM_ERR_CRYPTO] = {"CRYPTO_ERROR", "cryptographic backend failed"},
    [LPM_ERR_EMPTY_CHECKPOINT] = {"EMPTY_CHECKPOINT", "unsigned empty host checkpoint: nothing can be included"},
    [LPM_ERR_SIGNATURE_INVALID] = {"SIGNATURE_INVALID", "header signature does not verify"},
    [LPM_ERR_ROOT_MISMATCH] = {"ROOT_MISMATCH", "computed Merkle root differs from the header"},
    [LPM_ERR_TREE_LEVELS_MISMATCH] = {"TREE_LEVELS_MISMATCH", "tree_levels differ from the computed tree"},
    [LPM_ERR_EVENT_COUNT_MISMATCH] = {"EVENT_COUNT_MISMATCH", "header event_count differs from the decoded events"},
    [LPM_ERR_SEQUENCE_GAP] = {"SEQUENCE_GAP", "sequence numbers are not contiguous over sequence_range"},
    [LPM_ERR_NOT_INCLUDED] = {"NOT_INCLUDED", "the lead id is in no leaf"},
    [LPM_ERR_PROOF_INVALID] = {"PROOF_INVALID", "inclusion proof does not lead to the root"},
    [LPM_ERR_EVENT_HASH_MISMATCH] = {"EVENT_HASH_MISMATCH", "event_hash differs from the recomputed hash"},
    [LPM_ERR_EVENT_SIGNATURE_INVALID] = {"EVENT_SIGNATURE_INVALID", "event signature does not verify"},
    [LPM_ERR_PUBKEY_MISMATCH] = {"PUBKEY_MISMATCH", "signer key differs from the pinned key"},
    [LPM_ERR_PAYLOAD_HASH_MISMATCH] = {"PAYLOAD_HASH_MISMATCH", "record event_hash/payload_hash inconsistent with its entry"},
    [LPM_ERR_CHAIN_BROKEN] = {"CHAIN_BROKEN", "prev_event_hash does not link to the previous entry"},
    [LPM_ERR_SEQUENCE_NOT_MONOTONIC] = {"SEQUENCE_NOT_MONOTONIC", "monotonic_seq does not increase within a boot"},
    [LPM_ERR_INVALID_EMPTY_CHECKPOINT] = {"INVALID_EMPTY_CHECKPOINT", "unsigned checkpoint claims events or a non-zero root"},
};

const char *lpm_strerror(lpm_err e)
{
    if ((unsigned)e >= sizeof k_err / sizeof k_err[0] || !k_err[e].msg) return "unknown error";
    return k_err[e].msg;
}

const char *lpm_errname(lpm_err e)
{
    if ((unsigned)e >= sizeof k_err / sizeof k_err[0] || !k_err[e].name) return "UNKNOWN";
    return k_err[e].name;
}

int lpm_err_undecided(lpm_err e)
{
    return e != LPM_OK && e < LPM_ERR_EMPTY_CHECKPOINT;
}

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

/* Level k+1 pairs (0,1),(2,3)...; an odd last node is paired with itself (§4.1). */
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

lpm_err lpm_tree_build(const uint8_t (*leaves)[LPM_HASH_LEN], size_t n, lpm_tree *t)
{
    if (!t) return LPM_ERR_ARG;
    memset(t, 0, sizeof *t);
    if (n == 0) return LPM_ERR_EMPTY_TREE;
    if (!leaves || n > SIZE_MAX / 2 / LPM_HASH_LEN - 64) return LPM_ERR_ARG;
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
    memcpy(t->nodes, leaves, n * LPM_HASH_LEN);
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

lpm_err lpm_proof_verify(const uint8_t leaf[LPM_HASH_LEN], const lpm_step *steps, size_t n_steps,
                         const uint8_t root[LPM_HASH_LEN])
{
    if (!leaf || !root || (n_steps && !steps) || n_steps > LPM_MAX_DEPTH) return LPM_ERR_ARG;
    uint8_t cur[LPM_HASH_LEN], nxt[LPM_HASH_LEN];
    memcpy(cur, leaf, LPM_HASH_LEN);
    lpc_hash_ctx *c = lpc_hash_ctx_new(LPC_SHA256);
    if (!c) return LPM_ERR_CRYPTO;
    for (size_t i = 0; i < n_steps; i++) {
        int ok = steps[i].left ? hash_pair(c, steps[i].sibling, cur, nxt) : hash_pair(c, cur, steps[i].sibling, nxt);
        if (!ok) { lpc_hash_ctx_free(c); return LPM_ERR_CRYPTO; }
        memcpy(cur, nxt, LPM_HASH_LEN);
    }
    lpc_hash_ctx_free(c);
    return memcmp(cur, root, LPM_HASH_LEN) == 0 ? LPM_OK : LPM_ERR_PROOF_INVALID;
}

int lpm_proof_shape_ok(size_t idx, size_t n, const lpm_step *steps, size_t n_steps)
{
    if (n == 0 || idx >= n) return 0;
    size_t s = 0, len = n;
    while (len > 1) {
        if (s >= n_steps) return 0;
        if (steps[s].left != (int)(idx % 2)) return 0;
        /* the last node of an odd level must be paired with itself; checked by the caller's
         * fold (sibling must equal cur), which the position alone cannot express */
        s++;
        idx /= 2;
        len = (len + 1) / 2;
    }
    return s == n_steps;
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
    uint8_t cur[LPM_HASH_LEN], sib[LPM_HASH_LEN], nxt[LPM_HASH_LEN];
    size_t got;
    memcpy(cur, leaf, LPM_HASH_LEN);
    lpc_hash_ctx *c = lpc_hash_ctx_new(LPC_SHA256);
    if (!c) return 0;
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        const char *p = proof[i], *colon = strchr(p, ':');
        const char *hex = colon ? colon + 1 : p;
        if (lpc_hex_decode(hex, strlen(hex), sib, sizeof sib, &got) != LPC_OK || got != LPM_HASH_LEN) { ok = 0; break; }
        int left;
        if (colon) left = (colon - p == 1 && p[0] == 'L');
        else left = memcmp(sib, cur, LPM_HASH_LEN) < 0;  /* legacy: smaller bytes on the left */
        ok = left ? hash_pair(c, sib, cur, nxt) : hash_pair(c, cur, sib, nxt);
        memcpy(cur, nxt, LPM_HASH_LEN);
    }
    lpc_hash_ctx_free(c);
    return ok && memcmp(cur, root, LPM_HASH_LEN) == 0;
}

/* One gzip member spanning the whole input; output capped (a bomb is INPUT_TOO_LARGE). */
size_t lpm_gzip_isize(const uint8_t *in, size_t len)
{
    if (!in || len < 4) return 0;
    return (size_t)in[len - 4] | (size_t)in[len - 3] << 8 | (size_t)in[len - 2] << 16 | (size_t)in[len - 1] << 24;
}

#define LPM_INFLATE_STEP ((size_t)1 << 20)  /* output per inflate call when reporting progress */

lpm_err lpm_gunzip(const uint8_t *in, size_t len, size_t max_out, uint8_t **out, size_t *out_len)
{
    return lpm_gunzip_cb(in, len, max_out, NULL, NULL, out, out_len);
}

lpm_err lpm_gunzip_cb(const uint8_t *in, size_t len, size_t max_out, lpm_gunzip_progress progress, void *ctx,
                      uint8_t **out, size_t *out_len)
{
    if (!in || !out || !out_len) return LPM_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    if (len > LPM_MAX_COMPRESSED) return LPM_ERR_INPUT_TOO_LARGE;
    if (len < 18 || in[0] != 0x1f || in[1] != 0x8b) return LPM_ERR_GZIP;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return LPM_ERR_NOMEM;
    size_t cap = len * 4 + 1024;
    /* ISIZE (output length mod 2^32, untrusted) sizes the buffer once when it is plausible:
     * within the cap and within deflate's best ratio (~1032:1) of the input */
    size_t isize = lpm_gzip_isize(in, len);
    if (isize >= cap && isize <= max_out && isize / 1032 <= len) cap = isize + 1;
    if (cap > max_out + 1) cap = max_out + 1;
    uint8_t *buf = malloc(cap);
    if (!buf) { inflateEnd(&z); return LPM_ERR_NOMEM; }
    size_t have = 0, fed = 0;
    lpm_err err = LPM_OK;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (have == cap) {
            if (cap > max_out) { err = LPM_ERR_INPUT_TOO_LARGE; break; }
            size_t nc = cap * 2 > max_out + 1 ? max_out + 1 : cap * 2;
            if (progress) progress(ctx, buf, have, 1);
            uint8_t *nb = realloc(buf, nc);
            if (!nb) { err = LPM_ERR_NOMEM; break; }
            buf = nb;
            cap = nc;
        }
        size_t chunk_in = len - fed > (1u << 30) ? (1u << 30) : len - fed;
        size_t step = progress ? LPM_INFLATE_STEP : (size_t)1 << 30;
        size_t chunk_out = cap - have > step ? step : cap - have;
        z.next_in = (Bytef *)(in + fed);
        z.avail_in = (uInt)chunk_in;
        z.next_out = buf + have;
        z.avail_out = (uInt)chunk_out;
        rc = inflate(&z, Z_NO_FLUSH);
        fed += chunk_in - z.avail_in;
        have += chunk_out - z.avail_out;
        if (rc == Z_STREAM_END) break;
        if (progress && rc == Z_OK) progress(ctx, buf, have, 0);
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && fed == len) { err = LPM_ERR_GZIP; break; } /* truncated */
        if (rc != Z_OK && rc != Z_BUF_ERROR) { err = rc == Z_MEM_ERROR ? LPM_ERR_NOMEM : LPM_ERR_GZIP; break; }
    }
    inflateEnd(&z);
    if (err == LPM_OK && have > max_out) err = LPM_ERR_INPUT_TOO_LARGE;
    if (err == LPM_OK && fed != len) err = LPM_ERR_GZIP;  /* trailing bytes or a second member */
    if (err != LPM_OK) {
        if (progress) progress(ctx, buf, have, 1);
        free(buf);
        return err;
    }
    if (progress) progress(ctx, buf, have, 2);
    *out = buf;
    *out_len = have;
    return LPM_OK;
}
