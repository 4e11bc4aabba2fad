/* merkle/: checkpoint trees and proofs (merkle_tee_checkpoint.json), the
 * gateway/utils tree (merkle_gateway_utils.json), both checkpoint eras end to
 * end from the raw Arweave bytes (checkpoint_v1/current*.json), the empty host
 * checkpoint, signed envelopes and chains (event_signing.json), proof files,
 * and hostile inputs built from those vectors.  Spec §2-§7. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm.h"
#include "merkle/lpm_pool.h"
#include "tests/lp_test.h"

/* A counting allocator for the plain build: the largest single request made while
 * g_counting is set.  Sanitizer builds bring their own allocator (no hook there). */
#include <stdatomic.h>
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LP_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define LP_COUNT_MALLOC 0
#endif
#endif
#ifndef LP_COUNT_MALLOC
#define LP_COUNT_MALLOC 1
#endif

/* Parsed trees are read-only (lpc_value.h): the tests that tamper with a parsed
 * document parse it into a mutable copy. */
static lpc_err parse_mut(const uint8_t *t, size_t n, lpc_value **out, size_t *off)
{
    lpc_value *doc = NULL;
    lpc_err e = lpc_parse(t, n, &doc, off);
    *out = NULL;
    if (e != LPC_OK) return e;
    e = lpc_clone(doc, out);
    lpc_free(doc);
    return e;
}

static atomic_size_t g_max_req;
static atomic_int g_counting;
static inline void note_req(size_t n)
{
    if (!atomic_load(&g_counting)) return;
    size_t m = atomic_load(&g_max_req);
    while (n > m && !atomic_compare_exchange_weak(&g_max_req, &m, n)) {}
}
#if LP_COUNT_MALLOC
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
void *malloc(size_t n) { note_req(n); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { note_req(b && a > SIZE_MAX / b ? SIZE_MAX : a * b); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { note_req(n); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
#endif

#define HDR_KEY "760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54"
#define EVT_KEY "efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780"

static void unhex32(const char *hex, uint8_t out[32])
{
    size_t n;
    ck_assert_int_eq(lpc_hex_decode(hex, strlen(hex), out, 32, &n), LPC_OK);
    ck_assert_uint_eq(n, 32);
}

/* The vector case a loop is on; loop assertions name it when they fail. */
static char g_case[160];
#define SET_CASE(...) snprintf(g_case, sizeof g_case, __VA_ARGS__)
#define EQ(a, b) ck_assert_msg((a) == (b), "%s: %s == %s fails", g_case, #a, #b)
#define OK(x) ck_assert_msg((x), "%s: %s fails", g_case, #x)

static void hex_eq(const uint8_t *p, const char *want)
{
    char h[65];
    lpc_hex_encode(p, 32, h);
    ck_assert_msg(!strcmp(h, want), "%s: %s, want %s", g_case, h, want);
}

/* ---------- merkle_tee_checkpoint.json ---------- */

START_TEST(tee_tree_all_cases)
{
    lpc_value *d = lp_load_json_vector("leadpoet/merkle_tee_checkpoint.json");
    const lpc_value *cases = lp_field(d, "cases");
    EQ(cases->u.a.n, 19);
    for (size_t c = 0; c < cases->u.a.n; c++) {
        const lpc_value *k = cases->u.a.items[c], *ev = lp_field(k, "events"), *pre = lp_field(k, "leaf_preimages");
        size_t n = (size_t)lp_field_i64(k, "n");
        SET_CASE("merkle_tee_checkpoint case %zu (n = %zu)", c, n);
        EQ(ev->u.a.n, n);
        uint8_t (*leaves)[32] = malloc(n * 32);
        for (size_t i = 0; i < n; i++) {
            lpc_buf b = {0};
            EQ(lpc_dump(ev->u.a.items[i], LPC_PROFILE_CS_A, &b), LPC_OK);
            EQ(b.len, pre->u.a.items[i]->u.s.len);
            OK(!memcmp(b.ptr, pre->u.a.items[i]->u.s.ptr, b.len));
            lpc_buf_free(&b);
            EQ(lpm_hash_csa(ev->u.a.items[i], leaves[i]), LPM_OK);
        }
        lpm_tree t;
        EQ(lpm_tree_build((const uint8_t (*)[32])leaves, n, &t), LPM_OK);
        const lpc_value *lv = lp_field(k, "tree_levels");
        EQ(t.n_levels, lv->u.a.n);
        for (size_t L = 0; L < t.n_levels; L++) {
            EQ(t.level_len[L], lv->u.a.items[L]->u.a.n);
            for (size_t i = 0; i < t.level_len[L]; i++) hex_eq(t.nodes[t.level_off[L] + i], lv->u.a.items[L]->u.a.items[i]->u.s.ptr);
        }
        hex_eq(lpm_tree_root(&t), lp_field_str(k, "merkle_root"));
        /* the repo script's root (§4.3) is a different tree: never equal */
        OK(strcmp(lp_field_str(k, "scripts_verify_merkle_inclusion_root"), lp_field_str(k, "merkle_root")) != 0);
        uint8_t root[32];
        unhex32(lp_field_str(k, "merkle_root"), root);
        const lpc_value *proofs = lp_field(k, "proofs");
        for (size_t i = 0; i < n; i++) {
            lpm_step st[LPM_MAX_DEPTH];
            size_t ns;
            EQ(lpm_tree_proof(&t, i, st, &ns), LPM_OK);
            const lpc_value *want = proofs->u.a.items[i];
            EQ(ns, want->u.a.n);
            for (size_t s = 0; s < ns; s++) {
                hex_eq(st[s].sibling, lp_field_str(want->u.a.items[s], "sibling"));
                OK(!strcmp(lp_field_str(want->u.a.items[s], "position"), st[s].left ? "left" : "right"));
            }
            EQ(lpm_proof_verify(leaves[i], st, ns, root), LPM_OK);
            OK(lpm_proof_shape_ok(i, n, st, ns));
            if (ns) {
                /* negatives: a flipped sibling bit, a flipped position, the wrong leaf */
                st[ns - 1].sibling[0] ^= 1;
                EQ(lpm_proof_verify(leaves[i], st, ns, root), LPM_ERR_PROOF_INVALID);
                st[ns - 1].sibling[0] ^= 1;
                st[0].left ^= 1;
                OK(!lpm_proof_shape_ok(i, n, st, ns));
                if (memcmp(st[0].sibling, leaves[i], 32) != 0)
                    EQ(lpm_proof_verify(leaves[i], st, ns, root), LPM_ERR_PROOF_INVALID);
                st[0].left ^= 1;
                EQ(lpm_proof_verify(leaves[(i + 1) % n], st, ns, root),
                                 memcmp(leaves[(i + 1) % n], leaves[i], 32) ? LPM_ERR_PROOF_INVALID : LPM_OK);
                OK(!lpm_proof_shape_ok(i, n, st, ns - 1));
            }
        }
        lpm_step st[LPM_MAX_DEPTH];
        size_t ns;
        EQ(lpm_tree_proof(&t, n, st, &ns), LPM_ERR_ARG);  /* out of range */
        lpm_tree_free(&t);
        free(leaves);
    }
    lpc_free(d);
}
END_TEST

START_TEST(tee_tree_special)
{
    lpc_value *d = lp_load_json_vector("leadpoet/merkle_tee_checkpoint.json");
    const lpc_value *sp = lp_field(d, "special");
    /* duplicate records give identical leaves and are not rejected */
    const lpc_value *dp = lp_field(sp, "duplicate_pair"), *ev = lp_field(dp, "events");
    uint8_t l[6][32];
    for (size_t i = 0; i < 2; i++) ck_assert_int_eq(lpm_hash_csa(ev->u.a.items[i], l[i]), LPM_OK);
    lpm_tree t;
    ck_assert_int_eq(lpm_tree_build((const uint8_t (*)[32])l, 2, &t), LPM_OK);
    hex_eq(lpm_tree_root(&t), lp_field_str(dp, "merkle_root"));
    lpm_tree_free(&t);
    /* n = 1: root is the leaf, the proof is empty */
    const lpc_value *sl = lp_field(sp, "single_leaf");
    ck_assert_int_eq(lpm_hash_csa(lp_field(sl, "events")->u.a.items[0], l[0]), LPM_OK);
    ck_assert_int_eq(lpm_tree_build((const uint8_t (*)[32])l, 1, &t), LPM_OK);
    hex_eq(lpm_tree_root(&t), lp_field_str(sl, "merkle_root"));
    hex_eq(l[0], lp_field_str(sl, "leaf_hash"));
    lpm_step st[LPM_MAX_DEPTH];
    size_t ns = 99;
    ck_assert_int_eq(lpm_tree_proof(&t, 0, st, &ns), LPM_OK);
    ck_assert_uint_eq(ns, 0);
    lpm_tree_free(&t);
    /* the odd-node collision: roots of [e0,e1,e2] and [e0,e1,e2,e2] agree (so event_count must be checked) */
    const lpc_value *oc = lp_field(sp, "odd_duplication_collision");
    for (int i = 0; i < 6; i++) { memset(l[i], 0, 32); l[i][0] = (uint8_t)(0x10 + i); }
    lpm_tree a, b;
    ck_assert_int_eq(lpm_tree_build((const uint8_t (*)[32])l, 3, &a), LPM_OK);
    memcpy(l[3], l[2], 32);
    ck_assert_int_eq(lpm_tree_build((const uint8_t (*)[32])l, 4, &b), LPM_OK);
    ck_assert(!memcmp(lpm_tree_root(&a), lpm_tree_root(&b), 32));
    ck_assert(lpc_get(oc, "equal")->u.b == 1);
    lpm_tree_free(&a);
    lpm_tree_free(&b);
    /* the empty list raises */
    ck_assert_str_eq(lp_field_str(sp, "empty_list"),
                     "compute_merkle_tree([]) raises ValueError('Cannot compute Merkle tree from empty event list')");
    ck_assert_int_eq(lpm_tree_build((const uint8_t (*)[32])l, 0, &t), LPM_ERR_EMPTY_TREE);
    lpc_free(d);
}
END_TEST

/* ---------- merkle_gateway_utils.json ---------- */

START_TEST(gateway_utils_tree)
{
    lpc_value *d = lp_load_json_vector("leadpoet/merkle_gateway_utils.json");
    const lpc_value *cases = lp_field(d, "cases");
    for (size_t c = 0; c < cases->u.a.n; c++) {
        const lpc_value *k = cases->u.a.items[c], *lv = lp_field(k, "leaves");
        size_t n = lv->u.a.n;
        SET_CASE("merkle_gateway_utils case %zu (%zu leaves)", c, n);
        uint8_t (*h)[32] = malloc((n ? n : 1) * 32), root[32], want[32];
        for (size_t i = 0; i < n; i++) EQ(lpc_sha256(lv->u.a.items[i]->u.s.ptr, lv->u.a.items[i]->u.s.len, h[i]), LPC_OK);
        EQ(lpm_utils_root((const uint8_t (*)[32])h, n, root), LPM_OK);
        hex_eq(root, lp_field_str(k, "merkle_root"));
        /* root_from_hashes: raw 32-byte leaves, not re-hashed */
        const lpc_value *ls = lp_field(k, "leaf_sha256");
        for (size_t i = 0; i < n; i++) unhex32(ls->u.a.items[i]->u.s.ptr, h[i]);
        EQ(lpm_utils_root((const uint8_t (*)[32])h, n, root), LPM_OK);
        hex_eq(root, lp_field_str(k, "root_from_hashes"));
        unhex32(lp_field_str(k, "merkle_root"), want);
        const lpc_value *pr = lp_field(k, "proofs");
        for (size_t i = 0; i < pr->u.a.n; i++) {
            const lpc_value *p = pr->u.a.items[i];
            const char *el[64];
            for (size_t s = 0; s < p->u.a.n; s++) el[s] = p->u.a.items[s]->u.s.ptr;
            OK(lpm_utils_proof_verify(h[i], el, p->u.a.n, want));
            OK(!lpm_utils_proof_verify(h[(i + 1) % n], el, p->u.a.n, want) || n == 1 ||
                      !memcmp(h[i], h[(i + 1) % n], 32));
        }
        free(h);
    }
    const lpc_value *sp = lp_field(d, "special"), *u = lp_field(sp, "unicode"), *ul = lp_field(u, "leaves");
    uint8_t h[3][32], root[32];
    for (size_t i = 0; i < 3; i++) EQ(lpc_sha256(ul->u.a.items[i]->u.s.ptr, ul->u.a.items[i]->u.s.len, h[i]), LPC_OK);
    EQ(lpm_utils_root((const uint8_t (*)[32])h, 3, root), LPM_OK);
    hex_eq(root, lp_field_str(u, "merkle_root"));
    /* legacy unprefixed proof: smaller bytes on the left; false for this vector */
    const lpc_value *lg = lp_field(sp, "legacy_unprefixed_proof"), *ll = lp_field(lg, "leaves");
    for (size_t i = 0; i < 3; i++) EQ(lpc_sha256(ll->u.a.items[i]->u.s.ptr, 1, h[i]), LPC_OK);
    EQ(lpm_utils_root((const uint8_t (*)[32])h, 3, root), LPM_OK);
    const lpc_value *pp = lp_field(lg, "prefixed_proof"), *up = lp_field(lg, "unprefixed_proof");
    const char *e1[2] = {pp->u.a.items[0]->u.s.ptr, pp->u.a.items[1]->u.s.ptr};
    const char *e2[2] = {up->u.a.items[0]->u.s.ptr, up->u.a.items[1]->u.s.ptr};
    OK(lpm_utils_proof_verify(h[2], e1, 2, root));
    EQ(lpm_utils_proof_verify(h[2], e2, 2, root), lpc_get(lg, "verify_unprefixed_result")->u.b);
    /* any prefix other than L is a right sibling */
    char x0[80];
    snprintf(x0, sizeof x0, "X:%s", e1[0] + 2);
    const char *e3[2] = {x0, e1[1]};
    OK(lpm_utils_proof_verify(h[2], e3, 2, root));
    /* the level-1 sibling moved to the right: fails (the level-0 one is c itself, either side) */
    char r1[80];
    snprintf(r1, sizeof r1, "R:%s", e1[1] + 2);
    const char *e4[2] = {e1[0], r1};
    OK(!lpm_utils_proof_verify(h[2], e4, 2, root));
    lpc_free(d);
}
END_TEST

/* ---------- checkpoints end to end ---------- */

static lpm_checkpoint *parse_ok(const uint8_t *buf, size_t len)
{
    lpm_checkpoint *cp = NULL;
    ck_assert_int_eq(lpm_checkpoint_parse(buf, len, &cp), LPM_OK);
    ck_assert_ptr_nonnull(cp);
    return cp;
}

static lpm_checkpoint *parse_str(const lpc_value *s)
{
    return parse_ok((const uint8_t *)s->u.s.ptr, s->u.s.len);
}

/* Runs §7.3 on a signed checkpoint and compares with the vector's walk. */
static void full_walk(lpm_checkpoint *cp, const lpc_value *walk, const lpc_value *proofs, lpm_era era)
{
    SET_CASE("verification_walk of %zu events, era %s", (size_t)lp_field_i64(walk, "events_count"), lpm_era_name(era));
    uint8_t key[32], d[32];
    unhex32(HDR_KEY, key);
    EQ(lpm_checkpoint_header_digest(cp, d), LPM_OK);
    hex_eq(d, lp_field_str(walk, "header_sha256"));
    lpc_buf b = {0};
    EQ(lpc_dump(lpm_checkpoint_header_value(cp), LPC_PROFILE_DS_A, &b), LPC_OK);
    EQ(b.len, lp_field(walk, "header_signing_json")->u.s.len);
    OK(!memcmp(b.ptr, lp_field_str(walk, "header_signing_json"), b.len));
    lpc_buf_free(&b);
    EQ(lpm_checkpoint_verify_signature(cp, key), LPM_OK);
    /* compact separators give another digest, over which the signature fails (§4.3 item 2) */
    EQ(lpm_hash_profile(lpm_checkpoint_header_value(cp), LPC_PROFILE_CS_A, d), LPM_OK);
    OK(sodium_init() >= 0);
    ck_assert_int_ne(crypto_sign_verify_detached(lpm_checkpoint_signature(cp), d, 32, key), 0);
    OK(lpc_get(walk, "signature_valid_if_compact_separators_used")->u.b == 0);
    /* wrong key: the event-signing key is not the header key (§5.4) */
    unhex32(EVT_KEY, key);
    EQ(lpm_checkpoint_verify_signature(cp, key), LPM_ERR_SIGNATURE_INVALID);
    EQ(lpm_checkpoint_decode_events(cp), LPM_OK);
    EQ(lpm_checkpoint_era(cp), era);
    EQ(lpm_checkpoint_n_events(cp), (size_t)lp_field_i64(walk, "events_count"));
    EQ(lpm_checkpoint_check_count(cp), LPM_OK);
    size_t bad;
    EQ(lpm_checkpoint_check_sequence(cp, &bad), LPM_OK);
    EQ(lpm_checkpoint_build_tree(cp), LPM_OK);
    const lpc_value *lh = lp_field(walk, "leaf_hashes");
    for (size_t i = 0; i < lpm_checkpoint_n_events(cp); i++) hex_eq(lpm_checkpoint_leaf(cp, i), lh->u.a.items[i]->u.s.ptr);
    hex_eq(lpm_tree_root(lpm_checkpoint_tree(cp)), lp_field_str(walk, "recomputed_root"));
    EQ(lpm_checkpoint_check_root(cp), LPM_OK);
    int present = 0;
    EQ(lpm_checkpoint_check_tree_levels(cp, &present), LPM_OK);
    OK(present);
    for (size_t i = 0; i < lpm_checkpoint_n_events(cp); i++) {
        lpm_step st[LPM_MAX_DEPTH];
        size_t ns;
        EQ(lpm_tree_proof(lpm_checkpoint_tree(cp), i, st, &ns), LPM_OK);
        const lpc_value *want = proofs->u.a.items[i];
        EQ(ns, want->u.a.n);
        for (size_t s = 0; s < ns; s++) {
            hex_eq(st[s].sibling, lp_field_str(want->u.a.items[s], "sibling"));
            OK(!strcmp(lp_field_str(want->u.a.items[s], "position"), st[s].left ? "left" : "right"));
        }
    }
    if (era == LPM_ERA_D) EQ(lpm_checkpoint_check_envelopes(cp, 2, &bad), LPM_OK);
}

START_TEST(checkpoint_v1_end_to_end)
{
    size_t len;
    uint8_t *raw = lp_read_vector("leadpoet/checkpoint_v1.arweave_payload.json", &len);
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    /* the raw bytes are the vector's payload text */
    const lpc_value *pt = lp_field(d, "arweave_payload_text");
    ck_assert_uint_eq(len, pt->u.s.len);
    ck_assert(!memcmp(raw, pt->u.s.ptr, len));
    char hex[65];
    lpc_sha256_hex(raw, len, hex);
    ck_assert_str_eq(hex, lp_field_str(d, "arweave_payload_sha256"));
    lpm_checkpoint *cp = parse_ok(raw, len);
    ck_assert_int_eq(lpm_checkpoint_encoding(cp), LPM_ENC_V1);
    ck_assert_int_eq(lpm_checkpoint_header(cp)->number, 0);
    ck_assert(!lpm_checkpoint_header(cp)->has_prev_root);
    full_walk(cp, lp_field(d, "verification_walk"), lp_field(d, "inclusion_proofs"), LPM_ERA_A);
    /* lead ids (§3.3: payload.lead_id and payload.validations[].lead_id) */
    const lpc_value *idx = lp_field(d, "lead_id_index");
    for (size_t k = 0; k < idx->u.o.n; k++) {
        size_t *got, n;
        SET_CASE("lead_id_index %s", idx->u.o.items[k].key);
        EQ(lpm_checkpoint_find_lead(cp, idx->u.o.items[k].key, idx->u.o.items[k].klen, &got, &n), LPM_OK);
        const lpc_value *want = idx->u.o.items[k].val;
        EQ(n, want->u.a.n);
        for (size_t i = 0; i < n; i++) {
            int64_t w;
            OK(lpc_int_i64(want->u.a.items[i], &w));
            EQ((int64_t)got[i], w);
        }
        free(got);
    }
    size_t *got, n;
    ck_assert_int_eq(lpm_checkpoint_find_lead(cp, "00000000-0000-0000-0000-000000000000", 36, &got, &n), LPM_OK);
    ck_assert_uint_eq(n, 0);
    free(got);
    lpm_checkpoint_free(cp);
    /* second checkpoint: chained, odd count */
    const lpc_value *sc = lp_field(d, "second_checkpoint");
    cp = parse_str(lp_field(sc, "arweave_payload_text"));
    full_walk(cp, lp_field(sc, "verification_walk"), lp_field(sc, "inclusion_proofs"), LPM_ERA_A);
    ck_assert(lpm_checkpoint_header(cp)->has_prev_root);
    ck_assert_str_eq(lpm_checkpoint_header(cp)->prev_root, lp_field_str(lp_field(lp_field(d, "checkpoint_rpc_result"), "header"), "merkle_root"));
    lpm_checkpoint_free(cp);
    lpc_free(d);
    free(raw);
}
END_TEST

START_TEST(checkpoint_current_end_to_end)
{
    size_t len;
    uint8_t *raw = lp_read_vector("leadpoet/checkpoint_current.arweave_payload.json", &len);
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_current.json");
    char hex[65];
    lpc_sha256_hex(raw, len, hex);
    ck_assert_str_eq(hex, lp_field_str(d, "arweave_payload_sha256"));
    lpm_checkpoint *cp = parse_ok(raw, len);
    ck_assert_int_eq(lpm_checkpoint_encoding(cp), LPM_ENC_CURRENT);
    full_walk(cp, lp_field(d, "verification_walk"), lp_field(d, "inclusion_proofs"), LPM_ERA_D);
    /* era D lead ids live in signed_log_entry.signed_event.payload (§3.3): expected indexes
     * from the RPC result's events, searched in the decoded gzip */
    const lpc_value *rpc_ev = lp_field(lp_field(d, "checkpoint_rpc_result"), "events");
    const char *lead = "8b6482bf-116e-41db-b8ec-a87ba3c86b8b";
    size_t want[8], nw = 0;
    for (size_t i = 0; i < rpc_ev->u.a.n; i++) {
        const lpc_value *pl = lpc_get(lpc_get(lpc_get(rpc_ev->u.a.items[i], "signed_log_entry"), "signed_event"), "payload");
        if (lpc_str_eq(lpc_get(pl, "lead_id"), lead)) want[nw++] = i;
    }
    ck_assert_uint_eq(nw, 1);
    size_t *got, ng;
    ck_assert_int_eq(lpm_checkpoint_find_lead(cp, lead, strlen(lead), &got, &ng), LPM_OK);
    ck_assert_uint_eq(ng, nw);
    ck_assert_uint_eq(got[0], want[0]);
    free(got);
    /* a lead id only at the top level of a record is not a §3.3 location */
    ck_assert_int_eq(lpm_checkpoint_find_lead(cp, "ENCLAVE_RESTART", 15, &got, &ng), LPM_OK);
    ck_assert_uint_eq(ng, 0);
    free(got);
    lpm_checkpoint_free(cp);
    /* the base64url body of /tx/<id>/data gives the same checkpoint */
    cp = parse_str(lp_field(d, "arweave_tx_data_base64url"));
    ck_assert_int_eq(lpm_checkpoint_encoding(cp), LPM_ENC_CURRENT);
    full_walk(cp, lp_field(d, "verification_walk"), lp_field(d, "inclusion_proofs"), LPM_ERA_D);
    lpm_checkpoint_free(cp);
    const lpc_value *sc = lp_field(d, "second_checkpoint");
    cp = parse_str(lp_field(sc, "arweave_payload_text"));
    full_walk(cp, lp_field(sc, "verification_walk"), lp_field(sc, "inclusion_proofs"), LPM_ERA_D);
    ck_assert_str_eq(lpm_checkpoint_header(cp)->prev_root, lp_field_str(lp_field(lp_field(d, "checkpoint_rpc_result"), "header"), "merkle_root"));
    lpm_checkpoint_free(cp);
    lpc_free(d);
    free(raw);
}
END_TEST

START_TEST(empty_host_checkpoint)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    const lpc_value *e = lp_field(d, "empty_host_checkpoint");
    lpm_checkpoint *cp = parse_str(lp_field(e, "arweave_payload_text"));
    ck_assert(lpm_checkpoint_unsigned_empty(cp));
    ck_assert_int_eq(lpm_checkpoint_era(cp), LPM_ERA_EMPTY);
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(cp, key), LPM_ERR_EMPTY_CHECKPOINT);
    ck_assert_int_eq(lpm_checkpoint_check_empty(cp), LPM_ERR_EMPTY_CHECKPOINT);
    ck_assert_uint_eq(lpm_checkpoint_n_events(cp), 0);
    ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_ERR_EMPTY_TREE);
    lpm_checkpoint_free(cp);
    lpc_free(d);
}
END_TEST

/* ---------- hostile inputs built from the vectors ---------- */

static void gzip_bytes(const uint8_t *p, size_t n, lpc_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, n) + 64;
    uint8_t *buf = malloc(cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    lpc_buf_append(out, buf, z.total_out);
    deflateEnd(&z);
    free(buf);
}

/* A payload equal to the v1 second checkpoint with its members replaced. */
static void rebuild(const lpc_value *doc, const char *key, lpc_value *val, lpc_buf *out)
{
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(doc, &c), LPC_OK);
    if (key) ck_assert_int_eq(lpc_object_set(c, key, strlen(key), val), LPC_OK);
    ck_assert_int_eq(lpc_dump(c, LPC_PROFILE_DU_A, out), LPC_OK);
    lpc_free(c);
}

static lpc_value *b64_str(const uint8_t *p, size_t n)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_b64_encode(p, n, LPC_B64_STD, &b), LPC_OK);
    lpc_value *v = lpc_new_str((const char *)b.ptr, b.len);
    lpc_buf_free(&b);
    return v;
}

static lpm_err decode_of(const lpc_buf *payload)
{
    lpm_checkpoint *cp = parse_ok(payload->ptr, payload->len);
    lpm_err e = lpm_checkpoint_decode_events(cp);
    lpm_checkpoint_free(cp);
    return e;
}

START_TEST(hostile_gzip_and_base64)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    lpc_value *doc = NULL;
    const lpc_value *t = lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text");
    ck_assert_int_eq(parse_mut((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
    lpc_buf gz = {0};
    const lpc_value *ec = lp_field(doc, "events_compressed");
    ck_assert_int_eq(lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz), LPC_OK);
    lpc_buf p = {0};
    /* unchanged: decodes */
    rebuild(doc, NULL, NULL, &p);
    ck_assert_int_eq(decode_of(&p), LPM_OK);
    /* a flipped bit anywhere in the member: an error, or (only in unused padding bits of the
     * last deflate byte) exactly the original text */
    uint8_t *orig;
    size_t olen;
    ck_assert_int_eq(lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &orig, &olen), LPM_OK);
    size_t errors = 0;
    for (size_t off = 0; off < gz.len; off++) {
        for (int bit = 0; bit < 8; bit += 3) {
            gz.ptr[off] ^= (uint8_t)(1u << bit);
            uint8_t *o2 = NULL;
            size_t l2;
            lpm_err e = lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &o2, &l2);
            if (e == LPM_OK) {
                ck_assert_msg((off >= 3 && off < 10) || (l2 == olen && !memcmp(o2, orig, olen)),
                              "offset %zu bit %d inflated to different text", off, bit);
                free(o2);
            } else {
                ck_assert_int_eq(e, LPM_ERR_GZIP);
                errors++;
            }
            gz.ptr[off] ^= (uint8_t)(1u << bit);
        }
    }
    ck_assert_uint_gt(errors, gz.len * 2);
    free(orig);
    /* and through the checkpoint: a flipped CRC byte */
    gz.ptr[gz.len - 6] ^= 0x40;
    p.len = 0;
    rebuild(doc, "events_compressed", b64_str(gz.ptr, gz.len), &p);
    ck_assert_int_eq(decode_of(&p), LPM_ERR_GZIP);
    gz.ptr[gz.len - 6] ^= 0x40;
    /* truncated gzip, trailing garbage, a second member */
    size_t full = gz.len;
    for (size_t cut = 1; cut < full; cut += full / 9 + 1) {
        p.len = 0;
        rebuild(doc, "events_compressed", b64_str(gz.ptr, full - cut), &p);
        ck_assert_int_eq(decode_of(&p), LPM_ERR_GZIP);
    }
    lpc_buf two = {0};
    lpc_buf_append(&two, gz.ptr, gz.len);
    lpc_buf_append(&two, gz.ptr, gz.len);
    p.len = 0;
    rebuild(doc, "events_compressed", b64_str(two.ptr, two.len), &p);
    ck_assert_int_eq(decode_of(&p), LPM_ERR_GZIP);
    lpc_buf_free(&two);
    /* truncated or non-standard base64 */
    p.len = 0;
    rebuild(doc, "events_compressed", lpc_new_str(ec->u.s.ptr, ec->u.s.len - 3), &p);
    ck_assert_int_eq(decode_of(&p), LPM_ERR_BASE64);
    char *u = strndup(ec->u.s.ptr, ec->u.s.len);
    for (char *q = u; *q; q++) if (*q == '+') *q = '-'; else if (*q == '/') *q = '_';
    p.len = 0;
    rebuild(doc, "events_compressed", lpc_new_str(u, strlen(u)), &p);
    ck_assert_int_eq(decode_of(&p), strpbrk(ec->u.s.ptr, "+/") ? LPM_ERR_BASE64 : LPM_OK);
    free(u);
    /* inflated text that is not an array of objects */
    static const char *bad_json[] = {"{}", "[1]", "[{}", "[{}] x", ""};
    for (size_t i = 0; i < 5; i++) {
        lpc_buf g = {0};
        gzip_bytes((const uint8_t *)bad_json[i], strlen(bad_json[i]), &g);
        p.len = 0;
        rebuild(doc, "events_compressed", b64_str(g.ptr, g.len), &p);
        ck_assert_int_eq(decode_of(&p), LPM_ERR_EVENTS_JSON);
        lpc_buf_free(&g);
    }
    lpc_buf_free(&p);
    lpc_buf_free(&gz);
    lpc_free(doc);
    lpc_free(d);
}
END_TEST

START_TEST(hostile_gzip_bomb)
{
    /* 32 MiB more '[' than the inflated cap, compressed to ~160 KiB: inflating must stop at the cap */
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    static uint8_t chunk[1 << 16];
    memset(chunk, '[', sizeof chunk);
    lpc_buf out = {0};
    uint8_t ob[1 << 16];
    size_t total = LPM_MAX_INFLATED + ((size_t)32 << 20);
    for (size_t done = 0; done < total; done += sizeof chunk) {
        z.next_in = chunk;
        z.avail_in = sizeof chunk;
        int flush = done + sizeof chunk >= total ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = ob;
            z.avail_out = sizeof ob;
            deflate(&z, flush);
            lpc_buf_append(&out, ob, sizeof ob - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    ck_assert_uint_lt(out.len, (size_t)1 << 20);
    uint8_t *inf = NULL;
    size_t il = 0;
    ck_assert_int_eq(lpm_gunzip(out.ptr, out.len, LPM_MAX_INFLATED, &inf, &il), LPM_ERR_INPUT_TOO_LARGE);
    ck_assert_ptr_null(inf);
    ck_assert_int_eq(lpm_gunzip(out.ptr, out.len, 1000, &inf, &il), LPM_ERR_INPUT_TOO_LARGE);
    /* and inside a checkpoint */
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json"), *doc = NULL;
    const lpc_value *t = lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text");
    ck_assert_int_eq(parse_mut((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
    lpc_buf p = {0};
    rebuild(doc, "events_compressed", b64_str(out.ptr, out.len), &p);
    ck_assert_int_eq(decode_of(&p), LPM_ERR_INPUT_TOO_LARGE);
    lpc_buf_free(&p);
    lpc_buf_free(&out);
    lpc_free(doc);
    lpc_free(d);
}
END_TEST

START_TEST(hostile_payload_shapes)
{
    /* oversized payload refused before parsing */
    uint8_t *big = calloc(1, LPM_MAX_PAYLOAD + 1);
    static char sentinel;
    lpm_checkpoint *cp = (lpm_checkpoint *)(void *)&sentinel;  /* set to NULL on failure */
    ck_assert_int_eq(lpm_checkpoint_parse(big, LPM_MAX_PAYLOAD + 1, &cp), LPM_ERR_INPUT_TOO_LARGE);
    ck_assert_ptr_null(cp);
    free(big);
    static const char *bad[] = {
        "", "[]", "{}", "not json",
        "{\"header\":{},\"signature\":\"empty_checkpoint\",\"events_compressed\":\"\"}",
        "{\"header\":{\"checkpoint_number\":1,\"event_count\":0,\"merkle_root\":\"00\"},\"signature\":\"empty_checkpoint\",\"events_compressed\":\"\"}",
        "{\"header\":{\"checkpoint_number\":1,\"event_count\":0,\"merkle_root\":\"" "0000000000000000000000000000000000000000000000000000000000000000" "\"},\"signature\":\"abcd\",\"events_compressed\":\"\"}",
        "{\"header\":{\"checkpoint_number\":1,\"event_count\":-1,\"merkle_root\":\"" "0000000000000000000000000000000000000000000000000000000000000000" "\"},\"signature\":\"empty_checkpoint\",\"events_compressed\":\"\"}",
        "{\"header\":{\"checkpoint_number\":1.0,\"event_count\":0,\"merkle_root\":\"" "0000000000000000000000000000000000000000000000000000000000000000" "\"},\"signature\":\"empty_checkpoint\",\"events_compressed\":\"\"}",
        "eyJoZWFkZXIiOnt9fQ",  /* base64url of {"header":{}} */
        "eyJoZWFkZXIiOnt9fQ==", /* padded: not the /tx/data form */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(lpm_checkpoint_parse((const uint8_t *)bad[i], strlen(bad[i]), &cp) == LPM_ERR_MALFORMED, "case %zu: %s", i, bad[i]);
        ck_assert_ptr_null(cp);
    }
    /* an "empty_checkpoint" that claims events or a root is not a consistent empty checkpoint */
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json"), *doc = NULL;
    const lpc_value *t = lp_field(lp_field(d, "empty_host_checkpoint"), "arweave_payload_text");
    ck_assert_int_eq(parse_mut((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
    lpc_value *h = NULL;
    ck_assert_int_eq(lpc_clone(lpc_get(doc, "header"), &h), LPC_OK);
    ck_assert_int_eq(lpc_object_set(h, "event_count", 11, lpc_new_int(1)), LPC_OK);
    lpc_buf p = {0};
    rebuild(doc, "header", h, &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_check_empty(cp), LPM_ERR_INVALID_EMPTY_CHECKPOINT);
    lpm_checkpoint_free(cp);
    /* empty_checkpoint whose gzip holds events */
    const char *one = "[{\"event_type\":\"X\"}]";
    lpc_buf g = {0};
    gzip_bytes((const uint8_t *)one, strlen(one), &g);
    p.len = 0;
    rebuild(doc, "events_compressed", b64_str(g.ptr, g.len), &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_check_empty(cp), LPM_ERR_INVALID_EMPTY_CHECKPOINT);
    lpm_checkpoint_free(cp);
    lpc_buf_free(&g);
    lpc_buf_free(&p);
    lpc_free(doc);
    lpc_free(d);
}
END_TEST

/* The v1 second checkpoint (3 events) with header or events changed. */
START_TEST(hostile_header_and_events)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json"), *doc = NULL;
    const lpc_value *t = lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text");
    ck_assert_int_eq(parse_mut((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_buf p = {0};
    /* altered root: signature and root both fail */
    lpc_value *h = NULL;
    lpc_clone(lpc_get(doc, "header"), &h);
    lpc_object_set(h, "merkle_root", 11, lpc_new_str("1111111111111111111111111111111111111111111111111111111111111111", 64));
    rebuild(doc, "header", h, &p);
    lpm_checkpoint *cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(cp, key), LPM_ERR_SIGNATURE_INVALID);
    ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_root(cp), LPM_ERR_ROOT_MISMATCH);
    lpm_checkpoint_free(cp);
    /* signature altered by one bit */
    char sig[129];
    memcpy(sig, lp_field_str(doc, "signature"), 129);
    sig[5] = sig[5] == '0' ? '1' : '0';
    p.len = 0;
    rebuild(doc, "signature", lpc_new_str(sig, 128), &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(cp, key), LPM_ERR_SIGNATURE_INVALID);
    lpm_checkpoint_free(cp);
    /* the odd-node collision: events [e0,e1,e2,e2] under the signed header of [e0,e1,e2]:
     * root and signature hold, event_count and sequence catch it */
    const lpc_value *ec = lp_field(doc, "events_compressed");
    lpc_buf gz = {0};
    lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz);
    uint8_t *txt;
    size_t tl;
    ck_assert_int_eq(lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &txt, &tl), LPM_OK);
    lpc_value *arr = NULL, *dup = NULL;
    ck_assert_int_eq(parse_mut(txt, tl, &arr, NULL), LPC_OK);
    free(txt);
    ck_assert_uint_eq(arr->u.a.n, 3);
    lpc_clone(arr->u.a.items[2], &dup);
    lpc_array_append(arr, dup);
    lpc_buf et = {0}, g = {0};
    lpc_dump(arr, LPC_PROFILE_DU_A, &et);
    gzip_bytes(et.ptr, et.len, &g);
    p.len = 0;
    rebuild(doc, "events_compressed", b64_str(g.ptr, g.len), &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(cp, key), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_root(cp), LPM_OK);  /* the collision */
    ck_assert_int_eq(lpm_checkpoint_check_count(cp), LPM_ERR_EVENT_COUNT_MISMATCH);
    size_t bad;
    ck_assert_int_eq(lpm_checkpoint_check_sequence(cp, &bad), LPM_ERR_SEQUENCE_GAP);
    ck_assert_uint_eq(bad, 3);
    lpm_checkpoint_free(cp);
    /* a changed sequence number in one record: gap, and the root no longer matches */
    lpc_free(arr->u.a.items[3]);
    arr->u.a.n = 3;
    lpc_object_set(arr->u.a.items[1], "sequence", 8, lpc_new_int(99));
    et.len = 0; g.len = 0;
    lpc_dump(arr, LPC_PROFILE_DU_A, &et);
    gzip_bytes(et.ptr, et.len, &g);
    p.len = 0;
    rebuild(doc, "events_compressed", b64_str(g.ptr, g.len), &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_count(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_sequence(cp, &bad), LPM_ERR_SEQUENCE_GAP);
    ck_assert_uint_eq(bad, 1);
    ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_root(cp), LPM_ERR_ROOT_MISMATCH);
    ck_assert_int_eq(lpm_checkpoint_check_tree_levels(cp, (int[]){0}), LPM_ERR_TREE_LEVELS_MISMATCH);
    lpm_checkpoint_free(cp);
    lpc_buf_free(&et);
    lpc_buf_free(&g);
    lpc_buf_free(&gz);
    lpc_free(arr);
    lpc_buf_free(&p);
    lpc_free(doc);
    lpc_free(d);
}
END_TEST

/* ---------- event_signing.json ---------- */

/* ---------- the parallel decode (records split, parsed and hashed over all cores) ---------- */

/* The events of a vector payload, decoded serially and independently of lpm_*. */
static lpc_value *vector_events(const char *rel)
{
    size_t len;
    uint8_t *raw = lp_read_vector(rel, &len);
    lpc_value *doc = NULL, *arr = NULL;
    ck_assert_int_eq(parse_mut(raw, len, &doc, NULL), LPC_OK);
    free(raw);
    const lpc_value *ec = lp_field(doc, "events_compressed");
    lpc_buf gz = {0};
    ck_assert_int_eq(lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz), LPC_OK);
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    static uint8_t txt[1 << 20];
    z.next_in = gz.ptr;
    z.avail_in = (uInt)gz.len;
    z.next_out = txt;
    z.avail_out = sizeof txt;
    ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    ck_assert_int_eq(parse_mut(txt, z.total_out, &arr, NULL), LPC_OK);
    inflateEnd(&z);
    lpc_buf_free(&gz);
    lpc_free(doc);
    return arr;
}

/* lpm_checkpoint_check_sequence's rule (§7.3 step 4) over serially parsed records. */
static lpm_err serial_sequence(const lpm_header *h, const lpc_value *arr, size_t *bad)
{
    *bad = 0;
    if (!h->has_sequence_range) return LPM_ERR_MALFORMED;
    for (size_t i = 0; i < arr->u.a.n; i++) {
        int64_t s;
        if (!lpc_int_i64(lpc_get(arr->u.a.items[i], "sequence"), &s) || s != h->seq_first + (int64_t)i) {
            *bad = i;
            return LPM_ERR_SEQUENCE_GAP;
        }
    }
    if (arr->u.a.n == 0 || h->seq_last - h->seq_first + 1 != (int64_t)arr->u.a.n || h->seq_last < h->seq_first) {
        *bad = arr->u.a.n;
        return LPM_ERR_SEQUENCE_GAP;
    }
    return LPM_OK;
}

/* Lead ids searched in every decoded text: plain, escaped in CS-A (quote, backslash,
 * control, non-ASCII, astral), a '/' and ids of the vectors. */
static const char *const k_lead_probe[] = {
    "L", "M", "caf\xc3\xa9", "x\"y", "a\\b", "a/b", "tab\there", "\xf0\x9f\x98\x80", "", "zzz", "1",
    "8b6482bf-116e-41db-b8ec-a87ba3c86b8b", "lead-00000001"};

/* The v1 vector's second checkpoint payload, parsed (the doc the decode tests rebuild). */
static lpc_value *second_checkpoint_doc(void)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json"), *doc = NULL;
    const lpc_value *pt = lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text");
    ck_assert_int_eq(parse_mut((const uint8_t *)pt->u.s.ptr, pt->u.s.len, &doc, NULL), LPC_OK);
    lpc_free(d);
    return doc;
}

/* The payload doc with events text t as its events_compressed and, when range is
 * non-NULL, header.sequence_range {first, last} = range, dumped in DU-A and parsed (not
 * decoded).  The header signature no longer matches unless nothing changed. */
static lpm_checkpoint *checkpoint_with(const lpc_value *doc, const uint8_t *t, size_t tl, const int64_t *range)
{
    lpc_buf g = {0}, p = {0};
    gzip_bytes(t, tl, &g);
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(doc, &c), LPC_OK);
    ck_assert_int_eq(lpc_object_set(c, "events_compressed", 17, b64_str(g.ptr, g.len)), LPC_OK);
    if (range) {
        lpc_value *h = (lpc_value *)lpc_get(c, "header"), *sr = lpc_new_object();
        ck_assert_int_eq(lpc_object_set(sr, "first", 5, lpc_new_int(range[0])), LPC_OK);
        ck_assert_int_eq(lpc_object_set(sr, "last", 4, lpc_new_int(range[1])), LPC_OK);
        ck_assert_int_eq(lpc_object_set(h, "sequence_range", 14, sr), LPC_OK);
    }
    ck_assert_int_eq(lpc_dump(c, LPC_PROFILE_DU_A, &p), LPC_OK);
    lpm_checkpoint *cp = parse_ok(p.ptr, p.len);
    lpc_free(c);
    lpc_buf_free(&g);
    lpc_buf_free(&p);
    return cp;
}

static lpm_checkpoint *checkpoint_with_events(const lpc_value *doc, const uint8_t *t, size_t tl)
{
    return checkpoint_with(doc, t, tl, NULL);
}

/* Decodes events text t inside the v1 vector payload and compares with a serial
 * lpc_parse of the same text: same verdict, same records, same leaves (and, era C/D,
 * the same envelope verdict as the serial path's envelope-only pass). */
static void decode_like_serial(const lpc_value *doc, const uint8_t *t, size_t tl)
{
    lpm_checkpoint *cp = checkpoint_with_events(doc, t, tl);
    lpm_err e = lpm_checkpoint_decode_events(cp);
    lpc_value *arr = NULL;
    int ok = parse_mut(t, tl, &arr, NULL) == LPC_OK && arr->type == LPC_ARRAY;
    for (size_t i = 0; ok && i < arr->u.a.n; i++) ok = arr->u.a.items[i]->type == LPC_OBJECT;
    ck_assert_int_eq(e, ok ? LPM_OK : LPM_ERR_EVENTS_JSON);
    size_t n = lpm_checkpoint_n_events(cp);
    if (ok) {
        ck_assert_uint_eq(n, arr->u.a.n);
        if (n) {
            ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_OK);
            for (size_t i = 0; i < n; i++) {
                uint8_t h[32];
                ck_assert_int_eq(lpm_hash_csa(arr->u.a.items[i], h), LPM_OK);
                ck_assert_msg(!memcmp(h, lpm_checkpoint_leaf(cp, i), 32), "leaf %zu", i);
            }
            /* records kept as text: each as a tree, the sequence check and the lead search
             * give what the serially parsed records give */
            for (size_t i = 0; i < n; i++) {
                const lpc_value *r = NULL;
                lpc_value *own = NULL;
                lpc_buf x = {0}, y = {0};
                ck_assert_int_eq(lpm_checkpoint_record(cp, i, &r, &own), LPM_OK);
                ck_assert_int_eq(lpc_dump(r, LPC_PROFILE_CS_A, &x), LPC_OK);
                ck_assert_int_eq(lpc_dump(arr->u.a.items[i], LPC_PROFILE_CS_A, &y), LPC_OK);
                ck_assert_uint_eq(x.len, y.len);
                ck_assert(!memcmp(x.ptr, y.ptr, x.len));
                lpc_free(own);
                lpc_buf_free(&x);
                lpc_buf_free(&y);
            }
            for (int hv = 0; hv < 2; hv++) {  /* the payload's range, then 0..n-1 */
                int64_t range[2] = {0, (int64_t)n - 1};
                lpm_checkpoint *c2 = hv ? checkpoint_with(doc, t, tl, range) : cp;
                if (hv) ck_assert_int_eq(lpm_checkpoint_decode_events(c2), LPM_OK);
                size_t sb = 77, want_bad = 0;
                lpm_err want_seq = serial_sequence(lpm_checkpoint_header(c2), arr, &want_bad);
                ck_assert_int_eq(lpm_checkpoint_check_sequence(c2, &sb), want_seq);
                ck_assert_uint_eq(sb, want_bad);
                if (hv) lpm_checkpoint_free(c2);
            }
            for (size_t k = 0; k < sizeof k_lead_probe / sizeof *k_lead_probe; k++) {
                const char *id = k_lead_probe[k];
                size_t *ix = NULL, ni = 0, m = 0;
                ck_assert_int_eq(lpm_checkpoint_find_lead(cp, id, strlen(id), &ix, &ni), LPM_OK);
                for (size_t i = 0; i < arr->u.a.n; i++)
                    if (lpm_record_has_lead(arr->u.a.items[i], id, strlen(id))) {
                        ck_assert_uint_lt(m, ni);
                        ck_assert_uint_eq(ix[m], i);
                        m++;
                    }
                ck_assert_msg(m == ni, "lead probe %s: %zu vs %zu", id, m, ni);
                free(ix);
            }
            if (lpm_checkpoint_era(cp) == LPM_ERA_D) {
                /* the same text behind a BOM: the splitter declines it and the serial parse
                 * decides; envelopes checked before any tree, by the envelope-only pass */
                lpc_buf bt = {0};
                lpc_buf_append(&bt, "\xEF\xBB\xBF", 3);
                lpc_buf_append(&bt, t, tl);
                lpm_checkpoint *c2 = checkpoint_with_events(doc, bt.ptr, bt.len);
                ck_assert_int_eq(lpm_checkpoint_decode_events(c2), LPM_OK);
                ck_assert_int_eq(lpm_checkpoint_decode_path(c2), LPM_DECODE_SERIAL);
                size_t b1 = 7, b2 = 9;
                lpm_err e1 = lpm_checkpoint_check_envelopes(cp, 0, &b1);
                lpm_err e2 = lpm_checkpoint_check_envelopes(c2, 3, &b2);
                ck_assert_int_eq(e1, e2);
                ck_assert_uint_eq(b1, b2);
                lpm_checkpoint_free(c2);
                lpc_buf_free(&bt);
            }
        }
    }
    lpc_free(arr);
    lpm_checkpoint_free(cp);
}

static void decode_text(const lpc_value *doc, const char *t)
{
    decode_like_serial(doc, (const uint8_t *)t, strlen(t));
}

START_TEST(parallel_decode_equals_serial)
{
    lpc_value *doc = second_checkpoint_doc();
    lpc_value *v1 = vector_events("leadpoet/checkpoint_v1.arweave_payload.json");
    lpc_value *cur = vector_events("leadpoet/checkpoint_current.arweave_payload.json");

    /* the CS-A preimage with spans is lpc_dump's, and each span is the nested value's CS-A */
    static const char *const path[3] = {"signed_log_entry", "signed_event", "payload"};
    const lpc_value *sets[2] = {v1, cur};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sets[k]->u.a.n; i++) {
            const lpc_value *rec = sets[k]->u.a.items[i];
            lpc_buf a = {0}, b = {0}, c = {0};
            size_t sp[3][2];
            ck_assert_int_eq(lpm_dump_csa_spans(rec, path, 3, &a, sp), LPC_OK);
            ck_assert_int_eq(lpc_dump(rec, LPC_PROFILE_CS_A, &b), LPC_OK);
            ck_assert_uint_eq(a.len, b.len);
            ck_assert(!memcmp(a.ptr, b.ptr, a.len));
            const lpc_value *v = rec;
            for (int s = 0; s < 3; s++) {
                v = lpc_get(v, path[s]);
                if (!v) { ck_assert_uint_eq(sp[s][0], 0); ck_assert_uint_eq(sp[s][1], 0); break; }
                c.len = 0;
                ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_A, &c), LPC_OK);
                ck_assert_uint_eq(sp[s][1] - sp[s][0], c.len);
                ck_assert(!memcmp(a.ptr + sp[s][0], c.ptr, c.len));
            }
            ck_assert_int_eq(k == 1, lpc_get(rec, path[0]) != NULL);
            lpc_buf_free(&a);
            lpc_buf_free(&b);
            lpc_buf_free(&c);
        }

    /* texts the splitter takes and texts it must leave to the serial parser */
    lpc_buf t = {0};
    ck_assert_int_eq(lpc_dump(v1, LPC_PROFILE_DU_A, &t), LPC_OK);
    decode_like_serial(doc, t.ptr, t.len);
    t.len = 0;
    ck_assert_int_eq(lpc_dump(v1, LPC_PROFILE_INDENT2, &t), LPC_OK);
    decode_like_serial(doc, t.ptr, t.len);
    decode_text(doc, " \r\n\t[ {\"a\": \"\\\\\"}\n ,\t{\"b\": \"}]\\\", {\\\"c\\\": [\"} , {\"a\": 1, \"a\": {\"x\": \"{[\"}} ] \n");
    decode_text(doc, "\xEF\xBB\xBF[{\"a\": 1}]");      /* BOM: json.loads(bytes) accepts it */
    decode_text(doc, "[]");
    decode_text(doc, "[{\"a\": 1},]");
    decode_text(doc, "[{\"a\": 1}] x");
    decode_text(doc, "[{\"a\": 1}, 2]");
    decode_text(doc, "[{\"a\": 1}, [{}]]");
    decode_text(doc, "[{\"a\": [1}]");
    decode_text(doc, "[{\"a\": \"1}]");
    decode_text(doc, "[{\"a\": 1} {\"b\": 2}]");
    decode_text(doc, "[{\"a\": 1}");
    decode_text(doc, "[{\"a\": \"\x01\"}]");
    decode_text(doc, "[{\"a\": \"\xff\"}]");
    decode_text(doc, "[{\"a\": \"\\ud800\"}, {\"b\": 1e400}]");
    decode_text(doc, "[{\"a\": 1}]]");
    decode_text(doc, "{\"a\": 1}");
    /* era A records, plain and not (raw UTF-8, \\u0041, repeated keys, floats, deep), with
     * lead ids in every §3.3 location and sequences of every shape */
    decode_text(doc, "[{\"sequence\": 0}, {\"payload\": {\"lead_id\": \"caf\\u00e9\"}, \"sequence\": 1},"
                     " {\"sequence\": 1, \"payload\": {\"lead_id\": \"caf\xc3\xa9\"}},"
                     " {\"payload\": {\"validations\": [{\"lead_id\": \"x\\\"y\"}, {\"lead_id\": \"a\\\\b\"}]}, \"sequence\": 2},"
                     " {\"payload\": {\"assignment\": {\"assigned_lead_ids\": [\"a/b\", \"\\ud83d\\ude00\", \"tab\\there\"]}}, \"sequence\": 3},"
                     " {\"sequence\": 4, \"payload\": {\"lead_id\": \"L\", \"lead_id\": \"M\"}},"
                     " {\"payload\": {\"lead_id\": \"a\\/b\", \"x\": 1.50, \"y\": -0}, \"sequence\": 5},"
                     " {\"payload\": {\"lead_id\": \"\\u0041\"}, \"note\": \"L\", \"sequence\": 6},"
                     " {\"payload\": {\"lead_id\": \"\"}, \"sequence\": 7e0},"
                     " {\"payload\": {\"lead_id\": \"zzz\"}, \"sequence\": 8, \"sequence\": 9},"
                     " {\"payload\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"1\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], \"sequence\": 10}]");
    decode_text(doc, "[{\"sequence\": 0, \"payload\": {\"lead_id\": \"L\"}}, {\"sequence\": 1}, {\"sequence\": 2, \"payload\": {\"lead_id\": \"L\"}}]");
    decode_text(doc, "[{\"sequence\": 0}, {\"sequence\": true}, {\"sequence\": 9223372036854775808}]");
    decode_text(doc, "[{\"sequence\": -0}, {\"sequence\": 1.0}, {\"sequence\": \"2\"}]");
    /* nesting at and just over the parser's limit, counted from the array */
    for (int extra = 0; extra < 2; extra++) {
        lpc_buf n = {0};
        lpc_buf_append(&n, "[{\"a\": ", 7);
        for (int i = 0; i < LPC_JSON_MAX_DEPTH - 2 + extra; i++) lpc_buf_append(&n, "[", 1);
        for (int i = 0; i < LPC_JSON_MAX_DEPTH - 2 + extra; i++) lpc_buf_append(&n, "]", 1);
        lpc_buf_append(&n, "}]", 2);
        decode_like_serial(doc, n.ptr, n.len);
        lpc_buf_free(&n);
    }
    /* many records over several workers, era A and era C/D with two broken envelopes: the
     * fused pass reports the smaller index, as the record-by-record path does */
    for (int k = 0; k < 2; k++) {
        lpc_value *big = lpc_new_array();
        for (size_t r = 0; r < 1500; r++) {
            lpc_value *c = NULL;
            ck_assert_int_eq(lpc_clone(sets[k]->u.a.items[r % sets[k]->u.a.n], &c), LPC_OK);
            if (k == 1 && (r == 1000 || r == 1300))
                lpc_object_set(c, "payload_hash", 12, lpc_new_str("00000000000000000000000000000000", 32));
            if (k == 1 && r == 1200)
                lpc_object_set((lpc_value *)lpc_get(c, "signed_log_entry"), "enclave_signature", 17, lpc_new_str("00", 2));
            ck_assert_int_eq(lpc_array_append(big, c), LPC_OK);
        }
        t.len = 0;
        ck_assert_int_eq(lpc_dump(big, LPC_PROFILE_DU_A, &t), LPC_OK);
        decode_like_serial(doc, t.ptr, t.len);
        if (k == 1) {
            lpm_checkpoint *cp = checkpoint_with_events(doc, t.ptr, t.len);
            ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
            ck_assert_int_eq(lpm_checkpoint_era(cp), LPM_ERA_D);
            size_t bad = 0;
            ck_assert_int_eq(lpm_checkpoint_check_envelopes(cp, 0, &bad), LPM_ERR_PAYLOAD_HASH_MISMATCH);
            ck_assert_uint_eq(bad, 1000);
            lpm_checkpoint_free(cp);
        }
        lpc_free(big);
    }
    lpc_buf_free(&t);
    lpc_free(v1);
    lpc_free(cur);
    lpc_free(doc);
}
END_TEST

/* Records are split while the text is inflated, in steps of about 1 MiB: ~5 MB of
 * records of random sizes whose strings are runs of backslashes, escaped quotes and
 * brackets, so that step ends fall inside strings, escape runs and nesting; one text
 * ends with a broken record after many good ones.  Same verdict and leaves as serial. */
START_TEST(streamed_split_equals_serial)
{
    lpc_value *doc = second_checkpoint_doc();
    static const char *const piece[] = {"\\\\", "\\\"", "x", "{", "}", "[", "]", "\\u00e9", " ", ",", ":"};
    uint64_t r = 0x9e3779b97f4a7c15u;
    for (int variant = 0; variant < 2; variant++) {
        lpc_buf t = {0};
        lpc_buf_append(&t, "[", 1);
        size_t total = 0;
        for (size_t i = 0; total < ((size_t)5 << 20); i++) {
            char head[96];
            int hl = snprintf(head, sizeof head, "%s{\"sequence\": %zu, \"payload\": {\"lead_id\": \"L%zu\", \"s\": [\"",
                              i ? ", " : "", i, i % 7);
            lpc_buf_append(&t, head, (size_t)hl);
            r ^= r << 13; r ^= r >> 7; r ^= r << 17;
            size_t len = r % 3 == 0 ? r % 300000 : r % 3000;
            for (size_t k = 0; k < len; k++) {
                r ^= r << 13; r ^= r >> 7; r ^= r << 17;
                const char *pc = piece[r % (sizeof piece / sizeof *piece)];
                lpc_buf_append(&t, pc, strlen(pc));
            }
            lpc_buf_append(&t, "\"]}}", 4);
            total = t.len;
        }
        if (variant) lpc_buf_append(&t, ", {\"a\": [}", 10);
        lpc_buf_append(&t, "]", 1);
        decode_like_serial(doc, t.ptr, t.len);
        if (!variant && lpm_thread_count(0) > 1) {  /* and it was decoded while inflating */
            lpm_checkpoint *cp = checkpoint_with_events(doc, t.ptr, t.len);
            ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
            ck_assert_int_eq(lpm_checkpoint_decode_path(cp), LPM_DECODE_STREAMED);
            lpm_checkpoint_free(cp);
        }
        lpc_buf_free(&t);
    }
    lpc_free(doc);
}
END_TEST

/* Wide trees, whose levels are hashed over all cores: the root and every node equal a
 * plain one-level-at-a-time fold written here from §4.1 (odd node paired with itself),
 * over leaves from a counter-seeded SHA-256 stream; and proofs of the edges verify. */
START_TEST(wide_tree_equals_plain_fold)
{
    static const size_t sizes[] = {8192, 8193, 8194, 10001, 16385, 40000};
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
        size_t n = sizes[z];
        uint8_t (*lv)[32] = malloc(n * 32), (*w)[32] = malloc(n * 32);
        for (size_t i = 0; i < n; i++) {
            char seed[32];
            snprintf(seed, sizeof seed, "leaf %zu", i);
            lpc_sha256(seed, strlen(seed), lv[i]);
        }
        lpm_tree t;
        ck_assert_int_eq(lpm_tree_build((const uint8_t (*)[32])lv, n, &t), LPM_OK);
        memcpy(w, lv, n * 32);
        size_t m = n, k = 0;
        while (1) {
            ck_assert_uint_eq(t.level_len[k], m);
            ck_assert(!memcmp(t.nodes[t.level_off[k]], w, m * 32));
            if (m == 1) break;
            for (size_t i = 0; i < m; i += 2) {
                uint8_t pair[64];
                memcpy(pair, w[i], 32);
                memcpy(pair + 32, w[i + 1 < m ? i + 1 : i], 32);
                lpc_sha256(pair, 64, w[i / 2]);
            }
            m = (m + 1) / 2;
            k++;
        }
        ck_assert_uint_eq(t.n_levels, k + 1);
        size_t probe[3] = {0, n / 2, n - 1};
        for (int q = 0; q < 3; q++) {
            lpm_step st[LPM_MAX_DEPTH];
            size_t ns;
            ck_assert_int_eq(lpm_tree_proof(&t, probe[q], st, &ns), LPM_OK);
            ck_assert_int_eq(lpm_proof_verify(lv[probe[q]], st, ns, w[0]), LPM_OK);
        }
        lpm_tree_free(&t);
        free(lv);
        free(w);
    }
}
END_TEST

/* events_compressed of more than 4 MiB characters is decoded in equal parts over the
 * cores: a valid gzip decodes (the records equal the serial parse), and every corruption
 * gets lpc_b64_decode's verdict on the whole string: padding closing a middle part,
 * padding or a foreign byte anywhere, non-zero final bits, a length not a multiple of 4. */
START_TEST(parallel_base64_equals_serial)
{
    lpc_value *doc = second_checkpoint_doc();
    lpc_buf t = {0};
    lpc_buf_append(&t, "[", 1);
    for (int r = 0; r < 8; r++) {
        char h[65];
        uint8_t x[32];
        const char *head = r ? ", {\"sequence\": 0, \"s\": \"" : "{\"sequence\": 0, \"s\": \"";
        lpc_buf_append(&t, head, strlen(head));
        for (int i = 0; i < 16000; i++) {
            char seed[32];
            snprintf(seed, sizeof seed, "%d/%d", r, i);
            lpc_sha256(seed, strlen(seed), x);
            lpc_hex_encode(x, 32, h);
            lpc_buf_append(&t, h, 64);
        }
        lpc_buf_append(&t, "\"}", 2);
    }
    lpc_buf_append(&t, "]", 1);
    decode_like_serial(doc, t.ptr, t.len);  /* ~8 MB of hex: base64 of its gzip > 4 MiB */

    lpc_buf g = {0}, b = {0};
    gzip_bytes(t.ptr, t.len, &g);
    size_t cut = g.len - 1;
    while (cut % 3 != 1) cut--;  /* the last group is "xx==": one byte, four zero bits */
    ck_assert_int_eq(lpc_b64_encode(g.ptr, cut, LPC_B64_STD, &b), LPC_OK);
    ck_assert_uint_gt(b.len, (size_t)4 << 20);
    size_t part = b.len / 4 / lpm_thread_count(0) * 4;
    for (int v = 0; v < 9; v++) {
        lpc_buf c = {0};
        lpc_buf_append(&c, b.ptr, b.len);
        switch (v) {
        case 1: c.ptr[part - 2] = 'A'; c.ptr[part - 1] = '='; break;  /* "xyA=" is a valid last group */
        case 2: c.ptr[part - 3] = 'A'; c.ptr[part - 2] = '='; c.ptr[part - 1] = '='; break;  /* "xA==" too */
        case 3: c.ptr[part] = '='; break;
        case 4: c.ptr[c.len / 3] = '='; break;
        case 5: c.ptr[part + 1] = '*'; break;
        case 6: c.ptr[c.len - 3] = 'B'; break;     /* "xB==": low bits of the last group */
        case 7: c.len -= 2; break;
        case 8: c.ptr[c.len - 5] = '-'; break;     /* base64url in a standard field */
        default: break;
        }
        lpc_buf o = {0};
        lpc_err want = lpc_b64_decode((const char *)c.ptr, c.len, LPC_B64_STD, &o);
        lpc_buf p = {0};
        rebuild(doc, "events_compressed", lpc_new_str((const char *)c.ptr, c.len), &p);
        ck_assert_int_eq(decode_of(&p), want == LPC_OK ? LPM_ERR_GZIP : LPM_ERR_BASE64);
        ck_assert_int_eq(want, v == 0 ? LPC_OK : LPC_ERR_BASE64);
        lpc_buf_free(&o);
        lpc_buf_free(&p);
        lpc_buf_free(&c);
    }
    lpc_buf_free(&g);
    lpc_buf_free(&b);
    lpc_buf_free(&t);
    lpc_free(doc);
}
END_TEST

START_TEST(event_signing_entries)
{
    lpc_value *d = lp_load_json_vector("leadpoet/event_signing.json");
    const lpc_value *ent = lp_field(d, "entries");
    const char *pk = lp_field_str(d, "enclave_pubkey");
    const lpc_value *list[8];
    for (size_t i = 0; i < ent->u.a.n; i++) {
        const lpc_value *e = ent->u.a.items[i], *le = lp_field(e, "log_entry");
        SET_CASE("event_signing entry %zu", i);
        list[i] = le;
        lpc_buf b = {0};
        lpc_dump(lp_field(le, "signed_event"), LPC_PROFILE_CS_A, &b);
        OK(b.len == lp_field(e, "signed_event_canonical_json")->u.s.len &&
                  !memcmp(b.ptr, lp_field_str(e, "signed_event_canonical_json"), b.len));
        lpc_buf_free(&b);
        uint8_t h[32];
        lpm_hash_csa(lp_field(lp_field(le, "signed_event"), "payload"), h);
        hex_eq(h, lp_field_str(e, "payload_hash_compact_sorted"));
        EQ(lpm_log_entry_verify(le, pk) == LPM_OK, lpc_get(e, "verify_log_entry_expected_pubkey")->u.b);
        EQ(lpm_log_entry_verify(le, NULL) == LPM_OK, lpc_get(e, "verify_log_entry_no_pubkey")->u.b);
        /* the pin is a case-sensitive string */
        char up[65];
        for (int k = 0; k < 65; k++) up[k] = (char)((pk[k] >= 'a' && pk[k] <= 'f') ? pk[k] - 32 : pk[k]);
        EQ(lpm_log_entry_verify(le, up), LPM_ERR_PUBKEY_MISMATCH);
    }
    size_t bad;
    EQ(lpm_log_entries_verify(list, ent->u.a.n, pk, 3, &bad), LPM_OK);
    EQ(lpm_log_chain_check(list, ent->u.a.n, &bad), LPM_OK);
    EQ(lpm_log_chain_check(list, 0, &bad), LPM_OK);   /* Python: no entry, no break */
    EQ(lpm_log_chain_check(list, 1, &bad), LPM_OK);
    OK(lpc_get(lp_field(d, "verify_hash_chain_continuity"), "all")->u.a.items[0]->u.b);
    /* entry 2 removed: chain broken at index 2 */
    const lpc_value *rm[8];
    for (size_t i = 0, j = 0; i < ent->u.a.n; i++) if (i != 2) rm[j++] = list[i];
    EQ(lpm_log_chain_check(rm, ent->u.a.n - 1, &bad), LPM_ERR_CHAIN_BROKEN);
    EQ(bad, 2);
    OK(!lpc_get(lp_field(d, "verify_hash_chain_continuity"), "with_index2_removed")->u.a.items[0]->u.b);
    /* swapped order: the chain breaks and the sequence goes backwards */
    const lpc_value *sw[8];
    memcpy(sw, list, sizeof(list[0]) * ent->u.a.n);
    sw[3] = list[4];
    sw[4] = list[3];
    EQ(lpm_log_chain_check(sw, ent->u.a.n, &bad), LPM_ERR_CHAIN_BROKEN);
    EQ(bad, 3);
    lpc_free(d);
}
END_TEST

START_TEST(event_signing_negatives)
{
    lpc_value *d = lp_load_json_vector("leadpoet/event_signing.json");
    const lpc_value *neg = lp_field(d, "negative");
    const char *pk = lp_field_str(d, "enclave_pubkey");
    ck_assert_uint_eq(neg->u.a.n, 6);
    for (size_t i = 0; i < neg->u.a.n; i++) {
        const lpc_value *n = neg->u.a.items[i];
        const lpc_value *exp = lpc_get(n, "expected_pubkey");
        const char *pin = exp && exp->type == LPC_STR ? exp->u.s.ptr : pk;
        lpm_err e = lpm_log_entry_verify(lp_field(n, "log_entry"), pin);
        ck_assert_msg((e == LPM_OK) == lpc_get(n, "verify")->u.b, "%s: %s", lp_field_str(n, "name"), lpm_errname(e));
        const char *name = lp_field_str(n, "name");
        if (!strcmp(name, "tampered_payload") || !strcmp(name, "tampered_hash") || !strcmp(name, "uppercase_event_hash_rejected_string_compare"))
            ck_assert_int_eq(e, LPM_ERR_EVENT_HASH_MISMATCH);
        if (!strcmp(name, "bad_signature")) ck_assert_int_eq(e, LPM_ERR_EVENT_SIGNATURE_INVALID);
        if (!strcmp(name, "wrong_expected_pubkey")) ck_assert_int_eq(e, LPM_ERR_PUBKEY_MISMATCH);
    }
    /* missing and empty fields */
    const lpc_value *le = lp_field(lp_field(d, "entries")->u.a.items[1], "log_entry");
    static const char *fields[] = {"signed_event", "event_hash", "enclave_pubkey", "enclave_signature"};
    for (int f = 0; f < 4; f++) {
        lpc_value *c = NULL;
        lpc_clone(le, &c);
        lpc_object_set(c, fields[f], strlen(fields[f]), lpc_new_str("", 0));
        ck_assert_int_eq(lpm_log_entry_verify(c, NULL), LPM_ERR_MALFORMED);
        lpc_free(c);
    }
    /* a non-monotonic sequence within a boot */
    lpc_value *a = NULL, *b = NULL;
    lpc_clone(le, &a);
    lpc_clone(le, &b);
    lpc_object_set((lpc_value *)lpc_get(b, "signed_event"), "event_type", 10, lpc_new_str("ENCLAVE_RESTART", 15));
    const lpc_value *two[2] = {a, b};
    size_t bad;
    ck_assert_int_eq(lpm_log_chain_check(two, 2, &bad), LPM_ERR_SEQUENCE_NOT_MONOTONIC);
    ck_assert_uint_eq(bad, 1);
    /* six restart entries (no chain links): boots X X Y X Y Y with seqs s[i]; the smallest
     * position whose seq does not exceed the previous one of its own boot is reported, a
     * malformed entry anywhere is reported first, whether one boot or several */
    lpc_value *e6[6];
    const lpc_value *c6[6];
    static const struct { const char *boots; int seq[6]; int want; size_t at; } cs[] = {
        {"XXXXXX", {1, 2, 3, 4, 5, 6}, LPM_OK, 0},
        {"XXXXXX", {1, 2, 3, 3, 2, 6}, LPM_ERR_SEQUENCE_NOT_MONOTONIC, 3},
        {"XXYXYY", {5, 6, 1, 7, 2, 3}, LPM_OK, 0},
        {"XXYXYY", {5, 6, 1, 6, 2, 3}, LPM_ERR_SEQUENCE_NOT_MONOTONIC, 3},
        {"XXYXYY", {5, 6, 4, 9, 2, 3}, LPM_ERR_SEQUENCE_NOT_MONOTONIC, 4},
        {"XXXXXX", {1, 1, 3, 4, 5, -1}, LPM_ERR_MALFORMED, 5},  /* -1: no monotonic_seq */
        {"XXYXYY", {1, 1, 3, 4, 5, -1}, LPM_ERR_MALFORMED, 5},
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        for (int i = 0; i < 6; i++) {
            lpc_clone(le, &e6[i]);
            lpc_value *se = (lpc_value *)lpc_get(e6[i], "signed_event");
            lpc_object_set(se, "event_type", 10, lpc_new_str("ENCLAVE_RESTART", 15));
            lpc_object_set(se, "boot_id", 7, lpc_new_str(cs[k].boots[i] == 'X' ? "boot-x" : "boot-y", 6));
            if (cs[k].seq[i] < 0) lpc_object_set(se, "monotonic_seq", 13, lpc_new_str("none", 4));
            else lpc_object_set(se, "monotonic_seq", 13, lpc_new_int(cs[k].seq[i]));
            c6[i] = e6[i];
        }
        bad = 99;
        ck_assert_int_eq(lpm_log_chain_check(c6, 6, &bad), cs[k].want);
        ck_assert_uint_eq(bad, cs[k].at);
        for (int i = 0; i < 6; i++) lpc_free(e6[i]);
    }
    lpc_free(a);
    lpc_free(b);
    lpc_free(d);
}
END_TEST

/* ---------- proof files ---------- */

START_TEST(proof_file_round_trip)
{
    size_t len;
    uint8_t *raw = lp_read_vector("leadpoet/checkpoint_v1.arweave_payload.json", &len);
    lpm_checkpoint *cp = parse_ok(raw, len);
    free(raw);
    ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_OK);
    uint8_t key[32], wrong[32];
    unhex32(HDR_KEY, key);
    unhex32(EVT_KEY, wrong);
    const char *lead = "0f0e0d0c-0000-4000-8000-000000000003";
    lpc_buf out = {0};
    ck_assert_int_eq(lpm_proof_write(cp, 4, lead, strlen(lead), key, &out), LPM_OK);
    lpm_proof_file pf;
    ck_assert_int_eq(lpm_proof_check(out.ptr, out.len, NULL, &pf), LPM_OK);
    ck_assert(pf.signature_checked);
    ck_assert_uint_eq(pf.index, 4);
    lpm_proof_file_free(&pf);
    ck_assert_int_eq(lpm_proof_check(out.ptr, out.len, key, &pf), LPM_OK);
    lpm_proof_file_free(&pf);
    ck_assert_int_eq(lpm_proof_check(out.ptr, out.len, wrong, &pf), LPM_ERR_SIGNATURE_INVALID);
    lpm_proof_file_free(&pf);
    /* tampering with any part */
    lpc_value *doc = NULL;
    ck_assert_int_eq(parse_mut(out.ptr, out.len, &doc, NULL), LPC_OK);
    struct { const char *key; lpc_value *(*mk)(void); lpm_err want; } cases[] = {0};
    (void)cases;
    lpc_buf t = {0};
#define TAMPER(k, v, want) do { lpc_value *c = NULL; lpc_clone(doc, &c); lpc_object_set(c, k, strlen(k), v); \
        t.len = 0; lpc_dump(c, LPC_PROFILE_CS_A, &t); lpc_free(c); \
        lpm_err got = lpm_proof_check(t.ptr, t.len, NULL, &pf); lpm_proof_file_free(&pf); \
        ck_assert_msg(got == (want), "%s: %s", k, lpm_errname(got)); } while (0)
    TAMPER("index", lpc_new_int(3), LPM_ERR_PROOF_INVALID);
    TAMPER("index", lpc_new_int(5), LPM_ERR_MALFORMED);
    TAMPER("event_count", lpc_new_int(6), LPM_ERR_EVENT_COUNT_MISMATCH); /* same path shape: the header count binds it */
    TAMPER("event_count", lpc_new_int(8), LPM_ERR_EVENT_COUNT_MISMATCH);
    TAMPER("event_count", lpc_new_int(4), LPM_ERR_MALFORMED);
    TAMPER("event_count", lpc_new_int(9), LPM_ERR_PROOF_INVALID); /* one step more */
    TAMPER("lead_id", lpc_new_str("someone-else", 12), LPM_ERR_NOT_INCLUDED);
    TAMPER("merkle_root", lpc_new_str("2222222222222222222222222222222222222222222222222222222222222222", 64), LPM_ERR_PROOF_INVALID);
    TAMPER("format", lpc_new_str("other", 5), LPM_ERR_MALFORMED);
    TAMPER("signature", lpc_new_str("empty_checkpoint", 16), LPM_ERR_EMPTY_CHECKPOINT);
    const lpc_value *pre = lpc_get(doc, "leaf_preimage");
    char *mod = strndup(pre->u.s.ptr, pre->u.s.len);
    char *q = strstr(mod, "\"sequence\":4");
    ck_assert_ptr_nonnull(q);
    q[11] = '5';
    TAMPER("leaf_preimage", lpc_new_str(mod, strlen(mod)), LPM_ERR_PROOF_INVALID);
    free(mod);
    lpc_value *h = NULL;
    lpc_clone(lpc_get(doc, "header"), &h);
    lpc_object_set(h, "event_count", 11, lpc_new_int(4));
    TAMPER("header", h, LPM_ERR_EVENT_COUNT_MISMATCH);
    /* a sibling flipped */
    lpc_value *c = NULL;
    lpc_clone(doc, &c);
    lpc_value *st = lpc_get(c, "proof")->u.a.items[0];
    const lpc_value *sib = lpc_get(st, "sibling");
    char s2[65];
    memcpy(s2, sib->u.s.ptr, 65);
    s2[0] = s2[0] == 'a' ? 'b' : 'a';
    lpc_object_set(st, "sibling", 7, lpc_new_str(s2, 64));
    t.len = 0;
    lpc_dump(c, LPC_PROFILE_CS_A, &t);
    ck_assert_int_eq(lpm_proof_check(t.ptr, t.len, NULL, &pf), LPM_ERR_PROOF_INVALID);
    lpm_proof_file_free(&pf);
    lpc_free(c);
    lpc_buf_free(&t);
    lpc_free(doc);
    lpc_buf_free(&out);
    lpm_checkpoint_free(cp);
}
END_TEST

/* ---------- result codes ---------- */

/* The names are a contract (earlier issues' verdict names); CRYPTO is the shared
 * CRYPTO_BACKEND; the exit class is the registry's. */
START_TEST(error_codes_map_into_the_registry)
{
    static const struct { lpm_err e; const char *name; int undecided; } want[] = {
        {LPM_OK, "OK", 0},
        {LPM_ERR_NOMEM, "OUT_OF_MEMORY", 1},
        {LPM_ERR_ARG, "BAD_ARGUMENT", 1},
        {LPM_ERR_INPUT_TOO_LARGE, "INPUT_TOO_LARGE", 1},
        {LPM_ERR_MALFORMED, "MALFORMED_INPUT", 1},
        {LPM_ERR_BASE64, "BAD_BASE64", 1},
        {LPM_ERR_GZIP, "BAD_GZIP", 1},
        {LPM_ERR_EVENTS_JSON, "BAD_EVENTS_JSON", 1},
        {LPM_ERR_CANONICAL, "CANONICAL_ERROR", 1},
        {LPM_ERR_EMPTY_TREE, "EMPTY_TREE", 1},
        {LPM_ERR_CRYPTO, "CRYPTO_BACKEND", 1},
        {LPM_ERR_ABANDONED, "INTERNAL", 1},
        {LPM_ERR_EMPTY_CHECKPOINT, "EMPTY_CHECKPOINT", 0},
        {LPM_ERR_SIGNATURE_INVALID, "SIGNATURE_INVALID", 0},
        {LPM_ERR_ROOT_MISMATCH, "ROOT_MISMATCH", 0},
        {LPM_ERR_TREE_LEVELS_MISMATCH, "TREE_LEVELS_MISMATCH", 0},
        {LPM_ERR_EVENT_COUNT_MISMATCH, "EVENT_COUNT_MISMATCH", 0},
        {LPM_ERR_SEQUENCE_GAP, "SEQUENCE_GAP", 0},
        {LPM_ERR_NOT_INCLUDED, "NOT_INCLUDED", 0},
        {LPM_ERR_PROOF_INVALID, "PROOF_INVALID", 0},
        {LPM_ERR_EVENT_HASH_MISMATCH, "EVENT_HASH_MISMATCH", 0},
        {LPM_ERR_EVENT_SIGNATURE_INVALID, "EVENT_SIGNATURE_INVALID", 0},
        {LPM_ERR_PUBKEY_MISMATCH, "PUBKEY_MISMATCH", 0},
        {LPM_ERR_PAYLOAD_HASH_MISMATCH, "PAYLOAD_HASH_MISMATCH", 0},
        {LPM_ERR_CHAIN_BROKEN, "CHAIN_BROKEN", 0},
        {LPM_ERR_SEQUENCE_NOT_MONOTONIC, "SEQUENCE_NOT_MONOTONIC", 0},
        {LPM_ERR_INVALID_EMPTY_CHECKPOINT, "INVALID_EMPTY_CHECKPOINT", 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_msg(!strcmp(lpm_errname(want[i].e), want[i].name), "%s: %s", want[i].name, lpm_errname(want[i].e));
        ck_assert_msg(!strcmp(lp_code_name(lpm_code(want[i].e)), want[i].name), "%s", want[i].name);
        ck_assert_msg(lpm_err_undecided(want[i].e) == want[i].undecided, "%s", want[i].name);
        ck_assert_msg(lpm_strerror(want[i].e)[0] != 0, "%s", want[i].name);
    }
    ck_assert_uint_eq(sizeof want / sizeof want[0], (size_t)LPM_ERR_INVALID_EMPTY_CHECKPOINT + 1);
    ck_assert_str_eq(lpm_errname((lpm_err)999), "INTERNAL");
    ck_assert(lpm_err_undecided((lpm_err)999));
    ck_assert_str_eq(lpm_sig_state_name(LPM_SIG_NOT_CHECKED), "not_checked");
    ck_assert_str_eq(lpm_sig_state_name(LPM_SIG_VALID), "valid");
    ck_assert_str_eq(lpm_sig_state_name(LPM_SIG_INVALID), "invalid");
}
END_TEST

/* ---------- helpers for the verification entry points ---------- */

typedef struct { const char *name; lp_code code; int warn; size_t index; } want_check;
#define ANY_INDEX ((size_t)-2)
#define NO_INDEX LP_NO_INDEX

/* The checks out->items[from..) are exactly w[0..n): name, code, pass/fail/warning, index. */
static void expect_checks(const char *what, const lp_checks *c, size_t from, const want_check *w, size_t n)
{
    char got[1024] = "";
    for (size_t k = from; k < c->n; k++) {
        size_t l = strlen(got);
        snprintf(got + l, sizeof got - l, "%s%s=%s%s", k > from ? ", " : "", c->items[k].name, lp_code_name(c->items[k].code),
                 c->items[k].flags & LP_CHECK_WARNING ? "(w)" : "");
    }
    ck_assert_msg(c->n - from == n, "%s: %zu checks [%s], want %zu", what, c->n - from, got, n);
    ck_assert_msg(!c->lost, "%s: a check was lost", what);
    for (size_t k = 0; k < n; k++) {
        const lp_check *it = &c->items[from + k];
        ck_assert_msg(!strcmp(it->name, w[k].name), "%s: check %zu is %s, want %s [%s]", what, k, it->name, w[k].name, got);
        ck_assert_msg(it->code == w[k].code, "%s: %s is %s, want %s (%s)", what, it->name, lp_code_name(it->code),
                      lp_code_name(w[k].code), it->detail);
        ck_assert_msg(it->ok == (w[k].code == LP_CODE_OK && !w[k].warn), "%s: %s ok=%d", what, it->name, it->ok);
        ck_assert_msg(((it->flags & LP_CHECK_WARNING) != 0) == (w[k].warn != 0), "%s: %s warning flag", what, it->name);
        if (w[k].index != ANY_INDEX)
            ck_assert_msg(it->index == w[k].index, "%s: %s index %zu, want %zu", what, it->name, it->index, w[k].index);
    }
}

static const lp_check *find_check(const lp_checks *c, const char *name)
{
    for (size_t k = 0; k < c->n; k++)
        if (!strcmp(c->items[k].name, name)) return &c->items[k];
    return NULL;
}

static lpc_value *vector_doc(const char *rel)
{
    size_t len;
    uint8_t *raw = lp_read_vector(rel, &len);
    lpc_value *doc = NULL;
    ck_assert_int_eq(parse_mut(raw, len, &doc, NULL), LPC_OK);
    free(raw);
    return doc;
}

static lpm_checkpoint *doc_checkpoint(const lpc_value *doc)
{
    lpc_buf p = {0};
    ck_assert_int_eq(lpc_dump(doc, LPC_PROFILE_DU_A, &p), LPC_OK);
    lpm_checkpoint *cp = parse_ok(p.ptr, p.len);
    lpc_buf_free(&p);
    return cp;
}

/* doc with header[key] = val (val owned by the callee). */
static lpm_checkpoint *with_header(const lpc_value *doc, const char *key, lpc_value *val)
{
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(doc, &c), LPC_OK);
    ck_assert_int_eq(lpc_object_set((lpc_value *)lpc_get(c, "header"), key, strlen(key), val), LPC_OK);
    lpm_checkpoint *cp = doc_checkpoint(c);
    lpc_free(c);
    return cp;
}

/* doc with its events replaced by arr (DU-A text, gzip). */
static lpm_checkpoint *with_events(const lpc_value *doc, const lpc_value *arr)
{
    lpc_buf t = {0};
    ck_assert_int_eq(lpc_dump(arr, LPC_PROFILE_DU_A, &t), LPC_OK);
    lpm_checkpoint *cp = checkpoint_with_events(doc, t.ptr, t.len);
    lpc_buf_free(&t);
    return cp;
}

static const char k_v1[] = "leadpoet/checkpoint_v1.arweave_payload.json";
static const char k_cur[] = "leadpoet/checkpoint_current.arweave_payload.json";

#define V1_CHECKS(sig_code) \
    {"header_signature", sig_code, 0, NO_INDEX}, {"events_decoded", LP_CODE_OK, 0, NO_INDEX}, \
    {"event_count", LP_CODE_OK, 0, NO_INDEX}, {"sequence_range", LP_CODE_OK, 0, NO_INDEX}, \
    {"merkle_root", LP_CODE_OK, 0, NO_INDEX}, {"tree_levels", LP_CODE_OK, 0, NO_INDEX}

/* ---------- lpm_checkpoint_verify (§7.3 steps 2-5, 7) ---------- */

START_TEST(checkpoint_verify_key_rules)
{
    uint8_t key[32], wrong[32];
    unhex32(HDR_KEY, key);
    unhex32(EVT_KEY, wrong);
    static const char *const files[2] = {k_v1, k_cur};
    for (int f = 0; f < 2; f++) {
        static const struct { const char *name; int key; unsigned flags; lp_code sig; int sig_warn, pinned; lp_code pin_code;
                              int pin_warn; lp_code verdict; lpm_sig_state state; } cs[] = {
            {"pinned key", 1, 0, LP_CODE_OK, 0, 0, LP_CODE_OK, 0, LP_CODE_OK, LPM_SIG_VALID},
            {"no key", 0, 0, LP_CODE_KEY_NOT_PINNED, 0, 0, LP_CODE_OK, 0, LP_CODE_KEY_NOT_PINNED, LPM_SIG_NOT_CHECKED},
            {"--no-key", 0, LPM_ALLOW_NO_KEY, LP_CODE_KEY_NOT_PINNED, 1, 0, LP_CODE_OK, 0, LP_CODE_OK, LPM_SIG_NOT_CHECKED},
            {"unpinned attestation key", 1, LPM_KEY_UNPINNED, LP_CODE_OK, 0, 1, LP_CODE_KEY_NOT_PINNED, 0,
             LP_CODE_KEY_NOT_PINNED, LPM_SIG_VALID},
            {"unpinned key, --no-key", 1, LPM_KEY_UNPINNED | LPM_ALLOW_NO_KEY, LP_CODE_OK, 0, 1, LP_CODE_KEY_NOT_PINNED, 1,
             LP_CODE_OK, LPM_SIG_VALID},
            {"wrong key", 2, 0, LP_CODE_SIGNATURE_INVALID, 0, 0, LP_CODE_OK, 0, LP_CODE_SIGNATURE_INVALID, LPM_SIG_INVALID},
            {"wrong key, --no-key", 2, LPM_ALLOW_NO_KEY, LP_CODE_SIGNATURE_INVALID, 0, 0, LP_CODE_OK, 0,
             LP_CODE_SIGNATURE_INVALID, LPM_SIG_INVALID},
        };
        for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
            char what[96];
            snprintf(what, sizeof what, "%s: %s", files[f], cs[k].name);
            size_t len;
            uint8_t *raw = lp_read_vector(files[f], &len);
            lpm_checkpoint *cp = parse_ok(raw, len);
            free(raw);
            lp_checks c;
            lp_checks_init(&c);
            lpm_sig_state st = (lpm_sig_state)77;
            lp_code v = lpm_checkpoint_verify(cp, cs[k].key == 1 ? key : cs[k].key == 2 ? wrong : NULL, cs[k].flags, &c, &st);
            want_check w[9];
            size_t n = 0;
            w[n++] = (want_check){"header_signature", cs[k].sig, cs[k].sig_warn, NO_INDEX};
            if (cs[k].pinned) w[n++] = (want_check){"key_pinned", cs[k].pin_code, cs[k].pin_warn, NO_INDEX};
            static const char *const rest[] = {"events_decoded", "event_count", "sequence_range", "merkle_root", "tree_levels"};
            for (int r = 0; r < 5; r++) w[n++] = (want_check){rest[r], LP_CODE_OK, 0, NO_INDEX};
            if (f == 1) w[n++] = (want_check){"envelopes", LP_CODE_OK, 0, NO_INDEX};
            expect_checks(what, &c, 0, w, n);
            ck_assert_msg(v == cs[k].verdict, "%s: verdict %s", what, lp_code_name(v));
            ck_assert_msg(v == lp_checks_verdict(&c), "%s", what);
            ck_assert_msg(st == cs[k].state, "%s: signature %s", what, lpm_sig_state_name(st));
            if (!cs[k].key && !(cs[k].flags & LPM_ALLOW_NO_KEY))
                ck_assert_msg(strstr(c.items[0].detail, "no trusted key") != NULL, "%s: %s", what, c.items[0].detail);
            if (cs[k].flags & LPM_ALLOW_NO_KEY && !cs[k].key)
                ck_assert_msg(strstr(c.items[0].detail, "not checked (--no-key)") == c.items[0].detail, "%s", what);
            lp_checks_free(&c);
            lpm_checkpoint_free(cp);
        }
    }
}
END_TEST

/* The verdict is of the checks appended by this call only. */
START_TEST(checkpoint_verify_appends)
{
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    size_t len;
    uint8_t *raw = lp_read_vector(k_v1, &len);
    lpm_checkpoint *cp = parse_ok(raw, len);
    free(raw);
    lp_checks c;
    lp_checks_init(&c);
    lp_check_add(&c, "earlier", LP_CODE_ROOT_MISMATCH, "a failure before this call");
    ck_assert_int_eq(lpm_checkpoint_verify(cp, key, 0, &c, NULL), LP_CODE_OK);
    static const want_check w[] = {V1_CHECKS(LP_CODE_OK)};
    expect_checks("appended", &c, 1, w, sizeof w / sizeof w[0]);
    ck_assert_int_eq(lp_checks_verdict(&c), LP_CODE_ROOT_MISMATCH);
    /* a second run over the same checkpoint decodes again and says the same */
    ck_assert_int_eq(lpm_checkpoint_verify(cp, key, 0, &c, NULL), LP_CODE_OK);
    expect_checks("again", &c, 7, w, sizeof w / sizeof w[0]);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
}
END_TEST

/* Tampered headers, events and tree_levels of the v1 checkpoint (§7.3 steps 3-5). */
START_TEST(checkpoint_verify_tampered)
{
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_value *doc = vector_doc(k_v1);
    lp_checks c;
    typedef struct { const char *name; lpm_checkpoint *cp; want_check w[8]; size_t n; lp_code verdict; } tamper_case;
    tamper_case cs[8];
    size_t nc = 0;
    /* root: signature and root fail; tree_levels (unsigned) still equal the events' tree */
    cs[nc] = (tamper_case){"root", with_header(doc, "merkle_root", lpc_new_str("1111111111111111111111111111111111111111111111111111111111111111", 64)),
                             {{"header_signature", LP_CODE_SIGNATURE_INVALID, 0, NO_INDEX}, {"events_decoded", LP_CODE_OK, 0, NO_INDEX},
                              {"event_count", LP_CODE_OK, 0, NO_INDEX}, {"sequence_range", LP_CODE_OK, 0, NO_INDEX},
                              {"merkle_root", LP_CODE_ROOT_MISMATCH, 0, NO_INDEX}, {"tree_levels", LP_CODE_OK, 0, NO_INDEX}}, 6,
                             LP_CODE_SIGNATURE_INVALID};
    nc++;
    cs[nc] = (tamper_case){"count", with_header(doc, "event_count", lpc_new_int(6)),
                             {{"header_signature", LP_CODE_SIGNATURE_INVALID, 0, NO_INDEX}, {"events_decoded", LP_CODE_OK, 0, NO_INDEX},
                              {"event_count", LP_CODE_EVENT_COUNT_MISMATCH, 0, NO_INDEX}, {"sequence_range", LP_CODE_OK, 0, NO_INDEX},
                              {"merkle_root", LP_CODE_OK, 0, NO_INDEX}, {"tree_levels", LP_CODE_OK, 0, NO_INDEX}}, 6,
                             LP_CODE_SIGNATURE_INVALID};
    nc++;
    /* a record's sequence changed: gap at record 1, root and tree_levels differ, signature holds */
    lpc_value *ev = vector_events(k_v1);
    lpc_object_set(ev->u.a.items[1], "sequence", 8, lpc_new_int(99));
    cs[nc] = (tamper_case){"sequence", with_events(doc, ev),
                             {{"header_signature", LP_CODE_OK, 0, NO_INDEX}, {"events_decoded", LP_CODE_OK, 0, NO_INDEX},
                              {"event_count", LP_CODE_OK, 0, NO_INDEX}, {"sequence_range", LP_CODE_SEQUENCE_GAP, 0, 1},
                              {"merkle_root", LP_CODE_ROOT_MISMATCH, 0, NO_INDEX}, {"tree_levels", LP_CODE_TREE_LEVELS_MISMATCH, 0, NO_INDEX}},
                             6, LP_CODE_SEQUENCE_GAP};
    nc++;
    lpc_free(ev);
    /* tree_levels: one node changed; nothing signed changed */
    lpc_value *c2 = NULL;
    lpc_clone(doc, &c2);
    lpc_value *lv1 = lpc_get(c2, "tree_levels")->u.a.items[1];
    lpc_value *node = lv1->u.a.items[0];
    node->u.s.ptr[0] = node->u.s.ptr[0] == 'a' ? 'b' : 'a';
    cs[nc] = (tamper_case){"tree_levels", doc_checkpoint(c2),
                             {V1_CHECKS(LP_CODE_OK)}, 6, LP_CODE_TREE_LEVELS_MISMATCH};
    cs[nc].w[5].code = LP_CODE_TREE_LEVELS_MISMATCH;
    nc++;
    lpc_free(c2);
    /* the gzip truncated: decoding cannot decide and ends the run */
    const lpc_value *ecv = lpc_get(doc, "events_compressed");
    lpc_buf gz = {0};
    lpc_b64_decode(ecv->u.s.ptr, ecv->u.s.len, LPC_B64_STD, &gz);
    lpc_value *c3 = NULL;
    lpc_clone(doc, &c3);
    lpc_object_set(c3, "events_compressed", 17, b64_str(gz.ptr, gz.len - 5));
    cs[nc] = (tamper_case){"truncated gzip", doc_checkpoint(c3),
                             {{"header_signature", LP_CODE_OK, 0, NO_INDEX}, {"events_decoded", LP_CODE_BAD_GZIP, 0, NO_INDEX}}, 2,
                             LP_CODE_BAD_GZIP};
    nc++;
    lpc_free(c3);
    /* signed with no events at all: no tree (§4.1 raises on an empty list) */
    cs[nc] = (tamper_case){"no events", checkpoint_with_events(doc, (const uint8_t *)"[]", 2),
                             {{"header_signature", LP_CODE_OK, 0, NO_INDEX}, {"events_decoded", LP_CODE_OK, 0, NO_INDEX},
                              {"event_count", LP_CODE_EVENT_COUNT_MISMATCH, 0, NO_INDEX}, {"sequence_range", LP_CODE_SEQUENCE_GAP, 0, 0},
                              {"merkle_root", LP_CODE_EVENT_COUNT_MISMATCH, 0, NO_INDEX}}, 5, LP_CODE_EVENT_COUNT_MISMATCH};
    nc++;
    for (size_t k = 0; k < nc; k++) {
        lp_checks_init(&c);
        lp_code v = lpm_checkpoint_verify(cs[k].cp, key, 0, &c, NULL);
        expect_checks(cs[k].name, &c, 0, cs[k].w, cs[k].n);
        ck_assert_msg(v == cs[k].verdict, "%s: verdict %s", cs[k].name, lp_code_name(v));
        lp_checks_free(&c);
        lpm_checkpoint_free(cs[k].cp);
    }
    /* no key: a truncated gzip is the verdict (BAD_GZIP): a missing key only says nothing
     * was proven, so what could not even be read comes first (lp_checks_verdict) */
    lpc_clone(doc, &c3);
    lpc_object_set(c3, "events_compressed", 17, b64_str(gz.ptr, gz.len - 5));
    lpm_checkpoint *cp = doc_checkpoint(c3);
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_checkpoint_verify(cp, NULL, 0, &c, NULL), LP_CODE_BAD_GZIP);
    static const want_check w2[] = {{"header_signature", LP_CODE_KEY_NOT_PINNED, 0, NO_INDEX}, {"events_decoded", LP_CODE_BAD_GZIP, 0, NO_INDEX}};
    expect_checks("truncated gzip, no key", &c, 0, w2, 2);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
    lpc_free(c3);
    lpc_buf_free(&gz);
    lpc_free(doc);
}
END_TEST

/* Era C/D records whose envelope no longer matches (§3.2, §7.3 step 7). */
START_TEST(hostile_envelopes)
{
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_value *doc = vector_doc(k_cur);
    for (int k = 0; k < 4; k++) {
        lpc_value *ev = vector_events(k_cur);
        lpc_value *rec = ev->u.a.items[2];
        lpc_value *sle = (lpc_value *)lpc_get(rec, "signed_log_entry"), *se = (lpc_value *)lpc_get(sle, "signed_event");
        const char *name = "";
        lp_code want = LP_CODE_OK;
        if (k == 0) {  /* record payload_hash not the signed payload's */
            name = "payload_hash";
            lpc_object_set(rec, "payload_hash", 12, lpc_new_str("0000000000000000000000000000000000000000000000000000000000000000", 64));
            want = LP_CODE_PAYLOAD_HASH_MISMATCH;
        } else if (k == 1) {  /* signed payload tampered, payload_hash updated to hide it */
            name = "signed payload";
            lpc_value *pl = (lpc_value *)lpc_get(se, "payload");
            lpc_object_set(pl, "tampered", 8, lpc_new_int(1));
            uint8_t h[32];
            char hx[65];
            lpc_buf b = {0};
            lpc_dump(pl, LPC_PROFILE_CS_A, &b);
            lpc_sha256(b.ptr, b.len, h);
            lpc_buf_free(&b);
            lpc_hex_encode(h, 32, hx);
            lpc_object_set(rec, "payload_hash", 12, lpc_new_str(hx, 64));
            want = LP_CODE_EVENT_HASH_MISMATCH;
        } else if (k == 2) {  /* the entry without its signed_event */
            name = "no signed_event";
            lpc_object_set(sle, "signed_event", 12, lpc_new_null());
            want = LP_CODE_MALFORMED_ENVELOPE;
        } else {  /* a signature byte changed */
            name = "signature";
            const lpc_value *sg = lpc_get(sle, "enclave_signature");
            char s2[129];
            memcpy(s2, sg->u.s.ptr, 129);
            s2[10] = s2[10] == '0' ? '1' : '0';
            lpc_object_set(sle, "enclave_signature", 17, lpc_new_str(s2, 128));
            want = LP_CODE_EVENT_SIGNATURE_INVALID;
        }
        lpm_checkpoint *cp = with_events(doc, ev);
        lp_checks c;
        lp_checks_init(&c);
        lp_code v = lpm_checkpoint_verify(cp, key, 0, &c, NULL);
        static const char *const names[] = {"header_signature", "events_decoded", "event_count", "sequence_range",
                                            "merkle_root", "tree_levels", "envelopes"};
        want_check w[7];
        for (int i = 0; i < 7; i++) w[i] = (want_check){names[i], LP_CODE_OK, 0, NO_INDEX};
        w[4].code = LP_CODE_ROOT_MISMATCH;  /* the record is a leaf */
        w[5].code = LP_CODE_TREE_LEVELS_MISMATCH;
        w[6].code = want;
        w[6].index = 2;
        expect_checks(name, &c, 0, w, 7);
        ck_assert_msg(v == LP_CODE_ROOT_MISMATCH, "%s: %s", name, lp_code_name(v));
        /* the step function says the same */
        size_t bad = 0;
        lpm_err e = lpm_checkpoint_check_envelopes(cp, 1, &bad);
        ck_assert_msg(lp_code_name(lpm_code(e)) == lp_code_name(want) || (k == 2 && e == LPM_ERR_MALFORMED), "%s: %s", name, lpm_errname(e));
        ck_assert_uint_eq(bad, 2);
        lp_checks_free(&c);
        lpm_checkpoint_free(cp);
        lpc_free(ev);
    }
    lpc_free(doc);
}
END_TEST

/* §7.3 step 2: the unsigned host form is only checked for being empty; no key is asked. */
START_TEST(checkpoint_verify_empty_host)
{
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    const lpc_value *t = lp_field(lp_field(d, "empty_host_checkpoint"), "arweave_payload_text");
    for (int k = 0; k < 3; k++) {
        lpm_checkpoint *cp = parse_str(t);
        lp_checks c;
        lp_checks_init(&c);
        lpm_sig_state st;
        lp_code v = lpm_checkpoint_verify(cp, k == 0 ? key : NULL, k == 2 ? LPM_ALLOW_NO_KEY : 0, &c, &st);
        static const want_check w[] = {{"empty_checkpoint", LP_CODE_EMPTY_CHECKPOINT, 0, NO_INDEX}};
        expect_checks("empty host", &c, 0, w, 1);
        ck_assert_int_eq(v, LP_CODE_EMPTY_CHECKPOINT);
        ck_assert_int_eq(st, LPM_SIG_NOT_CHECKED);
        lp_checks_free(&c);
        lpm_checkpoint_free(cp);
    }
    /* claims an event: INVALID_EMPTY_CHECKPOINT */
    lpc_value *doc = NULL;
    ck_assert_int_eq(parse_mut((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
    lpm_checkpoint *cp = with_header(doc, "event_count", lpc_new_int(1));
    lp_checks c;
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_checkpoint_verify(cp, NULL, 0, &c, NULL), LP_CODE_INVALID_EMPTY_CHECKPOINT);
    static const want_check w[] = {{"empty_checkpoint", LP_CODE_INVALID_EMPTY_CHECKPOINT, 0, NO_INDEX}};
    expect_checks("empty host claiming an event", &c, 0, w, 1);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
    lpc_free(doc);
    lpc_free(d);
}
END_TEST

/* ---------- regressions (each failed on d682e6f+b22f10d; see the report) ---------- */

/* Review defect 4: era A records kept as text left NULL items in the public cp->events,
 * and lpc_dump(cp.events) crashed.  Now no array is exposed: every record is a tree
 * through lpm_checkpoint_record, equal to the vector's own events. */
START_TEST(regress_era_a_records_are_trees)
{
    lpc_value *want = vector_events(k_v1);
    size_t len;
    uint8_t *raw = lp_read_vector(k_v1, &len);
    lpm_checkpoint *cp = parse_ok(raw, len);
    free(raw);
    ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
    ck_assert_int_ne(lpm_checkpoint_decode_path(cp), LPM_DECODE_SERIAL);  /* plain records kept as text */
    ck_assert_uint_eq(lpm_checkpoint_n_events(cp), want->u.a.n);
    lpc_value *arr = lpc_new_array();
    for (size_t i = 0; i < want->u.a.n; i++) {
        const lpc_value *r = NULL;
        lpc_value *own = NULL, *copy = NULL;
        ck_assert_int_eq(lpm_checkpoint_record(cp, i, &r, &own), LPM_OK);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(lpc_clone(r, &copy), LPC_OK);
        ck_assert_int_eq(lpc_array_append(arr, copy), LPC_OK);
        lpc_free(own);
    }
    lpc_buf a = {0}, b = {0};
    ck_assert_int_eq(lpc_dump(arr, LPC_PROFILE_CS_A, &a), LPC_OK);
    ck_assert_int_eq(lpc_dump(want, LPC_PROFILE_CS_A, &b), LPC_OK);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert(!memcmp(a.ptr, b.ptr, a.len));
    const lpc_value *r = NULL;
    lpc_value *own = NULL;
    ck_assert_int_eq(lpm_checkpoint_record(cp, want->u.a.n, &r, &own), LPM_ERR_ARG);
    lpc_buf_free(&a);
    lpc_buf_free(&b);
    lpc_free(arr);
    lpc_free(want);
    lpm_checkpoint_free(cp);
}
END_TEST

/* Review defect 2: lpm_checkpoint.c computed first + i and last - first + 1 on the
 * unauthenticated header (signed overflow: UBSan aborts the sanitizer build).  Hostile
 * ranges are SEQUENCE_GAP with a detail that says which. */
START_TEST(regress_sequence_range_hostile)
{
    lpc_value *doc = second_checkpoint_doc();
    static const struct { const char *events; int64_t first, last; size_t bad; const char *detail; } cs[] = {
        {"[{\"sequence\": 9223372036854775807}, {\"sequence\": 0}]", INT64_MAX, INT64_MAX, 1,
         "sequence breaks at record 1 of range 9223372036854775807..9223372036854775807"},
        {"[{\"sequence\": 9223372036854775807}, {\"sequence\": -9223372036854775808}]", INT64_MAX, INT64_MAX, 1,
         "sequence breaks at record 1 of range 9223372036854775807..9223372036854775807"},  /* first + 1 wrapped */
        {"[{\"sequence\": 0}]", 0, INT64_MAX, 1, "sequence_range 0..9223372036854775807 does not span exactly the 1 decoded records"},
        {"[{\"sequence\": -9223372036854775808}]", INT64_MIN, INT64_MAX, 1,
         "sequence_range -9223372036854775808..9223372036854775807 does not span exactly the 1 decoded records"},
        {"[{\"sequence\": -9223372036854775808}]", INT64_MAX, INT64_MIN, 0,
         "sequence breaks at record 0 of range 9223372036854775807..-9223372036854775808"},
        {"[{\"sequence\": 5}]", 5, 4, 1, "sequence_range first 5 is after last 4"},
        {"[{\"sequence\": 0}, {\"sequence\": 1}]", 0, 5, 2, "sequence_range 0..5 does not span exactly the 2 decoded records"},
        {"[{\"sequence\": -3}, {\"sequence\": -2}]", -3, -1, 2, "sequence_range -3..-1 does not span exactly the 2 decoded records"},
        {"[{\"sequence\": 9223372036854775806}, {\"sequence\": 9223372036854775807}]", INT64_MAX - 1, INT64_MAX, SIZE_MAX,
         "sequence contiguous 9223372036854775806..9223372036854775807"},
        {"[{\"sequence\": -9223372036854775808}, {\"sequence\": -9223372036854775807}]", INT64_MIN, INT64_MIN + 1, SIZE_MAX,
         "sequence contiguous -9223372036854775808..-9223372036854775807"},
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        int64_t range[2] = {cs[k].first, cs[k].last};
        lpm_checkpoint *cp = checkpoint_with(doc, (const uint8_t *)cs[k].events, strlen(cs[k].events), range);
        ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
        size_t bad = 77;
        lpm_err e = lpm_checkpoint_check_sequence(cp, &bad);
        ck_assert_msg(e == (cs[k].bad == SIZE_MAX ? LPM_OK : LPM_ERR_SEQUENCE_GAP), "case %zu: %s", k, lpm_errname(e));
        if (cs[k].bad != SIZE_MAX) ck_assert_msg(bad == cs[k].bad, "case %zu: bad %zu", k, bad);
        lpm_checkpoint_free(cp);
        /* and through the procedure: the check's code, index and detail */
        cp = checkpoint_with(doc, (const uint8_t *)cs[k].events, strlen(cs[k].events), range);
        lp_checks c;
        lp_checks_init(&c);
        (void)lpm_checkpoint_verify(cp, NULL, LPM_ALLOW_NO_KEY, &c, NULL);
        const lp_check *sq = find_check(&c, "sequence_range");
        ck_assert_msg(sq != NULL, "case %zu", k);
        ck_assert_msg(sq->code == (cs[k].bad == SIZE_MAX ? LP_CODE_OK : LP_CODE_SEQUENCE_GAP), "case %zu", k);
        ck_assert_msg(sq->index == (cs[k].bad == SIZE_MAX ? LP_NO_INDEX : cs[k].bad), "case %zu: index %zu", k, sq->index);
        ck_assert_msg(!strcmp(sq->detail, cs[k].detail), "case %zu: %s", k, sq->detail);
        lp_checks_free(&c);
        lpm_checkpoint_free(cp);
    }
    lpc_free(doc);
}
END_TEST

/* Review defect 17: the streamed decode sized its record arrays from the gzip trailer's
 * ISIZE without the plausibility rule the inflater applies (32 MiB for a 593-byte gzip
 * claiming 48 MB).  The largest single allocation of the decode must stay small. */
START_TEST(regress_forged_isize)
{
    lpc_value *doc = second_checkpoint_doc();
    const lpc_value *ec = lp_field(doc, "events_compressed");
    lpc_buf gz = {0}, p = {0};
    ck_assert_int_eq(lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz), LPC_OK);
    uint32_t claim = 48000000u;
    for (int k = 0; k < 4; k++) gz.ptr[gz.len - 4 + (size_t)k] = (uint8_t)(claim >> (8 * k));
    rebuild(doc, "events_compressed", b64_str(gz.ptr, gz.len), &p);
    lpm_checkpoint *cp = parse_ok(p.ptr, p.len);
    /* the hook is live: it sees a 5 MiB request */
    atomic_store(&g_max_req, 0);
    atomic_store(&g_counting, 1);
    void *volatile probe = malloc((size_t)5 << 20);  /* volatile: not elided */
    free(probe);
    atomic_store(&g_counting, 0);
    if (LP_COUNT_MALLOC) ck_assert_uint_ge(atomic_load(&g_max_req), (size_t)5 << 20);
    atomic_store(&g_max_req, 0);
    atomic_store(&g_counting, 1);
    lpm_err e = lpm_checkpoint_decode_events(cp);
    atomic_store(&g_counting, 0);
    ck_assert_int_eq(e, LPM_ERR_GZIP);  /* zlib checks ISIZE at the end */
    if (LP_COUNT_MALLOC) {
        ck_assert_uint_gt(atomic_load(&g_max_req), 0);
        ck_assert_msg(atomic_load(&g_max_req) < ((size_t)1 << 20), "largest allocation %zu bytes for a %zu-byte gzip",
                      atomic_load(&g_max_req), gz.len);
    }
    lpm_checkpoint_free(cp);
    lpc_buf_free(&gz);
    lpc_buf_free(&p);
    lpc_free(doc);
}
END_TEST

/* Review §8 / defect 15: an abandoned stream was reported as LPM_ERR_ARG. */
typedef struct { size_t fail_at; atomic_size_t ran; } pool_ctx;

static lpm_err pool_chunk(void *ctx, unsigned w, size_t b, size_t e, size_t *bad)
{
    (void)w;
    pool_ctx *c = ctx;
    for (size_t i = b; i < e; i++) {
        atomic_fetch_add(&c->ran, 1);
        if (i >= c->fail_at) { *bad = i; return LPM_ERR_PROOF_INVALID; }
    }
    return LPM_OK;
}

static lpm_err pool_item(const void *ctx, size_t i)
{
    const size_t *fails = ctx;
    return i == fails[0] || i == fails[1] ? LPM_ERR_ROOT_MISMATCH : LPM_OK;
}

START_TEST(regress_stream_abandoned_status)
{
    pool_ctx c = {SIZE_MAX, 0};
    lpm_stream *s = NULL;
    ck_assert_int_eq(lpm_stream_start(4, 2, pool_chunk, &c, &s), LPM_OK);
    lpm_stream_publish(s, 10);
    size_t bad = 99;
    lpm_err e = lpm_stream_abandon(s, &bad);
    ck_assert_msg(e == LPM_ERR_ABANDONED, "abandoned stream: %s", lpm_errname(e));
    ck_assert_str_eq(lpm_errname(e), "INTERNAL");
    ck_assert_uint_eq(bad, 0);
    /* a failure in a chunk that ran is still the answer */
    pool_ctx f = {2, 0};
    ck_assert_int_eq(lpm_stream_start(1, 1, pool_chunk, &f, &s), LPM_OK);
    lpm_stream_publish(s, 5);
    ck_assert_int_eq(lpm_stream_finish(s, &bad), LPM_ERR_PROOF_INVALID);
    ck_assert_uint_eq(bad, 2);
    /* the generic pool: the smallest failing index over any thread count */
    static const size_t fails[2] = {700, 333};
    for (unsigned t = 1; t <= 4; t++) {
        ck_assert_int_eq(lpm_parallel_for(1000, t, pool_item, fails, &bad), LPM_ERR_ROOT_MISMATCH);
        ck_assert_msg(bad == 333, "threads %u: %zu", t, bad);
    }
    ck_assert_int_eq(lpm_parallel_for(10, 0, pool_item, fails, &bad), LPM_OK);
}
END_TEST

/* An lpm_header is a value: kept after its checkpoint is freed; long times are cut and flagged. */
START_TEST(header_is_self_contained)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    const lpc_value *h = lp_field(lp_field(d, "checkpoint_rpc_result"), "header"), *tr = lp_field(h, "time_range");
    size_t len;
    uint8_t *raw = lp_read_vector(k_v1, &len);
    lpm_checkpoint *cp = parse_ok(raw, len);
    free(raw);
    lpm_header kept = *lpm_checkpoint_header(cp);
    lpm_checkpoint_free(cp);
    ck_assert_str_eq(kept.time_start.text, lp_field_str(tr, "start"));
    ck_assert_str_eq(kept.time_end.text, lp_field_str(tr, "end"));
    ck_assert(kept.time_start.present && !kept.time_start.cut);
    ck_assert_uint_eq(kept.time_end.len, strlen(lp_field_str(tr, "end")));
    ck_assert_str_eq(kept.merkle_root, lp_field_str(h, "merkle_root"));
    ck_assert_int_eq(kept.number, lp_field_i64(h, "checkpoint_number"));
    ck_assert_int_eq(kept.event_count, lp_field_i64(h, "event_count"));
    ck_assert_int_eq(kept.seq_first, lp_field_i64(lp_field(h, "sequence_range"), "first"));
    ck_assert_int_eq(kept.seq_last, lp_field_i64(lp_field(h, "sequence_range"), "last"));
    /* a time string at and past LPM_TIME_MAX */
    lpc_value *doc = vector_doc(k_v1);
    for (size_t extra = 0; extra < 2; extra++) {
        char t[LPM_TIME_MAX + 2];
        memset(t, '9', sizeof t);
        t[LPM_TIME_MAX + extra] = 0;
        lpc_value *trv = lpc_new_object();
        lpc_object_set(trv, "start", 5, lpc_new_str(t, LPM_TIME_MAX + extra));
        cp = with_header(doc, "time_range", trv);
        const lpm_header *hh = lpm_checkpoint_header(cp);
        ck_assert_int_eq(hh->time_start.cut, (int)extra);
        ck_assert_uint_eq(hh->time_start.len, LPM_TIME_MAX);
        ck_assert(!hh->time_end.present);
        lpm_checkpoint_free(cp);
    }
    lpc_free(doc);
    lpc_free(d);
}
END_TEST

/* ---------- §5.3 links and series ---------- */

static lpm_header vector_header(const char *which)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    const lpc_value *t = !strcmp(which, "first") ? lp_field(d, "arweave_payload_text")
                         : !strcmp(which, "second") ? lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text")
                                                    : lp_field(lp_field(d, "empty_host_checkpoint"), "arweave_payload_text");
    lpm_checkpoint *cp = parse_str(t);
    lpm_header h = *lpm_checkpoint_header(cp);
    lpm_checkpoint_free(cp);
    lpc_free(d);
    return h;
}

static void set_time(lpm_time_text *t, const char *s)
{
    memset(t, 0, sizeof *t);
    if (!s) return;
    t->present = 1;
    t->len = strlen(s);
    memcpy(t->text, s, t->len + 1);
}

START_TEST(link_check_rules)
{
    /* the v1 vector's two checkpoints are chained: root, number 0 -> 1, sequence 0..4 -> 5..7,
     * end 12:00:00.000007Z <= start 12:05:00Z */
    const lpm_header a = vector_header("first"), b0 = vector_header("second");
    static const char *const L[4] = {"link[3->4].prev_checkpoint_root", "link[3->4].checkpoint_number",
                                     "link[3->4].sequence_range", "link[3->4].time_range"};
    static const lp_code C[4] = {LP_CODE_CHAIN_BREAK, LP_CODE_NUMBER_GAP, LP_CODE_SEQUENCE_GAP, LP_CODE_TIME_ORDER};
    struct { const char *name; int broken; void (*edit)(lpm_header *p, lpm_header *c); } cs[] = {
        {"chained", -1, NULL},
    };
    (void)cs;
    for (int k = -1; k < 24; k++) {
        lpm_header p = a, b = b0;
        int broken = -1;
        const char *name = "chained";
        switch (k) {
        case 0: name = "other prev root"; b.prev_root[0] = b.prev_root[0] == 'a' ? 'b' : 'a'; broken = 0; break;
        case 1: name = "prev root null (restart)"; b.has_prev_root = 0; broken = 0; break;
        case 2: name = "number repeated"; b.number = p.number; broken = 1; break;
        case 3: name = "number skipped"; b.number = p.number + 2; broken = 1; break;
        case 4: name = "number INT64_MAX has no successor"; p.number = INT64_MAX; b.number = INT64_MIN; broken = 1; break;
        case 5: name = "number INT64_MAX -> INT64_MAX"; p.number = INT64_MAX; b.number = INT64_MAX; broken = 1; break;
        case 6: name = "sequence gap"; b.seq_first = p.seq_last + 2; broken = 2; break;
        case 7: name = "sequence overlap"; b.seq_first = p.seq_last; broken = 2; break;
        case 8: name = "seq_last INT64_MAX"; p.seq_last = INT64_MAX; b.seq_first = INT64_MIN; broken = 2; break;
        case 9: name = "no sequence_range here"; b.has_sequence_range = 0; broken = 2; break;
        case 10: name = "no sequence_range before"; p.has_sequence_range = 0; broken = 2; break;
        case 11: name = "time backwards"; set_time(&b.time_start, "2025-12-01T12:00:00.000006Z"); broken = 3; break;
        case 12: name = "time equal"; set_time(&b.time_start, "2025-12-01T12:00:00.000007Z"); break;
        case 13: name = "naive host time (no zone) is UTC"; set_time(&b.time_start, "2025-12-01T12:00:00.000008"); break;
        case 14: name = "offset zone"; set_time(&b.time_start, "2025-12-01T13:00:00+01:00"); broken = 3; break;
        case 15: name = "offset zone later"; set_time(&b.time_start, "2025-12-01T13:00:01+01:00"); break;
        case 16: name = "unparsable start"; set_time(&b.time_start, "yesterday"); broken = 3; break;
        case 17: name = "absent start"; set_time(&b.time_start, NULL); broken = 3; break;
        case 18: name = "absent end"; set_time(&p.time_end, NULL); broken = 3; break;
        case 19: name = "cut start"; b.time_start.cut = 1; broken = 3; break;
        case 20: name = "not a calendar date"; set_time(&b.time_start, "2025-02-30T00:00:00Z"); broken = 3; break;
        case 21: name = "a year later"; set_time(&b.time_start, "2026-01-01T00:00:00Z"); break;
        case 22: name = "number INT64_MAX-1 -> INT64_MAX"; p.number = INT64_MAX - 1; b.number = INT64_MAX; break;
        case 23: name = "seq_last INT64_MAX-1 -> INT64_MAX"; p.seq_last = INT64_MAX - 1; b.seq_first = INT64_MAX; break;
        default: break;
        }
        lp_checks c;
        lp_checks_init(&c);
        lpm_checkpoint_link_check(&p, 3, &b, 4, &c);
        want_check w[4];
        for (int i = 0; i < 4; i++) w[i] = (want_check){L[i], i == broken ? C[i] : LP_CODE_OK, 0, 4};
        expect_checks(name, &c, 0, w, 4);
        if (k == 4) ck_assert_msg(strstr(c.items[1].detail, "no successor") != NULL, "%s", c.items[1].detail);
        if (k == 8) ck_assert_msg(strstr(c.items[2].detail, "no successor") != NULL, "%s", c.items[2].detail);
        if (k == 1) ck_assert_str_eq(c.items[0].detail, "null: enclave restarted (new chain)");
        lp_checks_free(&c);
    }
}
END_TEST

/* A series: v1 first, the empty host checkpoint, v1 second, a checkpoint that cannot be
 * decided, and v1 second again. */
START_TEST(series_links_and_summaries)
{
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    lpc_value *sdoc = second_checkpoint_doc();
    const lpc_value *ec = lp_field(sdoc, "events_compressed");
    lpc_buf gz = {0};
    lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz);
    lpc_value *bad_doc = NULL;
    lpc_clone(sdoc, &bad_doc);
    lpc_object_set(bad_doc, "events_compressed", 17, b64_str(gz.ptr, gz.len - 3));
    for (int keyed = 0; keyed < 2; keyed++) {
        lpm_checkpoint *cps[5] = {
            parse_str(lp_field(d, "arweave_payload_text")),
            parse_str(lp_field(lp_field(d, "empty_host_checkpoint"), "arweave_payload_text")),
            parse_str(lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text")),
            doc_checkpoint(bad_doc),
            parse_str(lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text")),
        };
        lpm_series s;
        lpm_series_init(&s);
        lp_checks top, per[5];
        lp_checks_init(&top);
        lp_code v[5];
        for (size_t i = 0; i < 5; i++) {
            lp_checks_init(&per[i]);
            v[i] = lpm_series_add(&s, i, cps[i], keyed ? key : NULL, 0, &per[i], &top, NULL);
            ck_assert_msg(v[i] == lp_checks_verdict(&per[i]), "checkpoint %zu", i);
        }
        lp_code sig = keyed ? LP_CODE_OK : LP_CODE_KEY_NOT_PINNED;
        ck_assert_int_eq(v[0], sig);
        ck_assert_int_eq(v[1], LP_CODE_EMPTY_CHECKPOINT);
        ck_assert_int_eq(v[2], sig);
        ck_assert_int_eq(v[3], LP_CODE_BAD_GZIP);
        ck_assert_int_eq(v[4], sig);
        /* 1 is not linked; 2 links to 0; 3 links to 2 (it cannot be decided, so 4 links to 2
         * again, which breaks the number and sequence steps) */
        want_check w[] = {
            {"checkpoint[0]", sig, 0, 0},
            {"checkpoint[1]", LP_CODE_OK, 0, 1},
            {"checkpoint[2]", sig, 0, 2},
            {"link[0->2].prev_checkpoint_root", LP_CODE_OK, 0, 2},
            {"link[0->2].checkpoint_number", LP_CODE_OK, 0, 2},
            {"link[0->2].sequence_range", LP_CODE_OK, 0, 2},
            {"link[0->2].time_range", LP_CODE_OK, 0, 2},
            {"checkpoint[3]", LP_CODE_BAD_GZIP, 0, 3},
            {"link[2->3].prev_checkpoint_root", LP_CODE_CHAIN_BREAK, 0, 3},
            {"link[2->3].checkpoint_number", LP_CODE_NUMBER_GAP, 0, 3},
            {"link[2->3].sequence_range", LP_CODE_SEQUENCE_GAP, 0, 3},
            {"link[2->3].time_range", LP_CODE_TIME_ORDER, 0, 3},
            {"checkpoint[4]", sig, 0, 4},
            {"link[2->4].prev_checkpoint_root", LP_CODE_CHAIN_BREAK, 0, 4},
            {"link[2->4].checkpoint_number", LP_CODE_NUMBER_GAP, 0, 4},
            {"link[2->4].sequence_range", LP_CODE_SEQUENCE_GAP, 0, 4},
            {"link[2->4].time_range", LP_CODE_TIME_ORDER, 0, 4},
        };
        expect_checks(keyed ? "series, keyed" : "series, no key", &top, 0, w, sizeof w / sizeof w[0]);
        ck_assert_str_eq(top.items[1].detail, "unsigned empty host checkpoint 7 (nothing to verify; not linked)");
        /* the breaks are found with or without a key, and outrank the missing one */
        ck_assert_int_eq(lp_checks_verdict(&top), LP_CODE_CHAIN_BREAK);
        for (size_t i = 0; i < 5; i++) {
            lp_checks_free(&per[i]);
            lpm_checkpoint_free(cps[i]);
        }
        lp_checks_free(&top);
    }
    lpc_free(bad_doc);
    lpc_buf_free(&gz);
    lpc_free(sdoc);
    lpc_free(d);
}
END_TEST

/* ---------- lpm_log_verify (verify_log) ---------- */

typedef struct {
    lpc_value *d;
    uint8_t pk[32], sk[64], pk2[32], sk2[64];
    char pkhex[65], pk2hex[65];
} log_fx;

/* event_hash = H(CS-A(signed_event)), signature over its 32 bytes (§2.2), by key sk. */
static void resign(lpc_value *entry, const uint8_t sk[64], const char *pkhex)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(lpc_get(entry, "signed_event"), LPC_PROFILE_CS_A, &b), LPC_OK);
    uint8_t h[32], sig[64];
    lpc_sha256(b.ptr, b.len, h);
    lpc_buf_free(&b);
    crypto_sign_detached(sig, NULL, h, 32, sk);
    char hh[65], sh[129];
    lpc_hex_encode(h, 32, hh);
    lpc_hex_encode(sig, 64, sh);
    lpc_object_set(entry, "event_hash", 10, lpc_new_str(hh, 64));
    lpc_object_set(entry, "enclave_signature", 17, lpc_new_str(sh, 128));
    lpc_object_set(entry, "enclave_pubkey", 14, lpc_new_str(pkhex, 64));
}

static void log_fx_init(log_fx *f)
{
    ck_assert(sodium_init() >= 0);
    f->d = lp_load_json_vector("leadpoet/event_signing.json");
    uint8_t seed[32];
    unhex32(lp_field_str(f->d, "ed25519_seed_hex"), seed);
    crypto_sign_seed_keypair(f->pk, f->sk, seed);
    lpc_hex_encode(f->pk, 32, f->pkhex);
    ck_assert_str_eq(f->pkhex, lp_field_str(f->d, "enclave_pubkey"));
    seed[0] ^= 1;
    crypto_sign_seed_keypair(f->pk2, f->sk2, seed);
    lpc_hex_encode(f->pk2, 32, f->pk2hex);
}

/* The vector's five entries (cloned); resign reproduces their hashes and signatures. */
static lpc_value *log_entries(const log_fx *f)
{
    const lpc_value *ent = lp_field(f->d, "entries");
    lpc_value *arr = lpc_new_array();
    for (size_t i = 0; i < ent->u.a.n; i++) {
        lpc_value *c = NULL, *r = NULL;
        lpc_clone(lp_field(ent->u.a.items[i], "log_entry"), &c);
        lpc_clone(c, &r);
        resign(r, f->sk, f->pkhex);
        ck_assert_str_eq(lp_field_str(r, "event_hash"), lp_field_str(c, "event_hash"));
        ck_assert_str_eq(lp_field_str(r, "enclave_signature"), lp_field_str(c, "enclave_signature"));
        lpc_free(r);
        lpc_array_append(arr, c);
    }
    return arr;
}

/* prev_event_hash of every non-restart entry from i on = the event_hash before it, re-signed. */
static void relink(lpc_value *arr, size_t from, const uint8_t sk[64], const char *pkhex)
{
    for (size_t i = from; i < arr->u.a.n; i++) {
        lpc_value *e = arr->u.a.items[i], *se = (lpc_value *)lpc_get(e, "signed_event");
        if (i > 0 && !lpc_str_eq(lpc_get(se, "event_type"), "ENCLAVE_RESTART")) {
            const lpc_value *ph = lpc_get(arr->u.a.items[i - 1], "event_hash");
            lpc_object_set(se, "prev_event_hash", 15, lpc_new_str(ph->u.s.ptr, ph->u.s.len));
        }
        resign(e, sk, pkhex);
    }
}

/* Appends an ENCLAVE_RESTART of boot (payload naming new_boot and key) and one event in it. */
static void add_boot(const log_fx *f, lpc_value *arr, const char *boot, const char *new_boot, const char *payload_key)
{
    const lpc_value *last = arr->u.a.items[arr->u.a.n - 1];
    lpc_value *r = NULL, *e = NULL;
    lpc_clone(arr->u.a.items[0], &r);
    lpc_value *se = (lpc_value *)lpc_get(r, "signed_event"), *pl = lpc_new_object();
    lpc_object_set(se, "boot_id", 7, lpc_new_str(boot, strlen(boot)));
    lpc_object_set(se, "monotonic_seq", 13, lpc_new_int(1));
    const lpc_value *tip = lpc_get(last, "event_hash");
    lpc_object_set(se, "prev_event_hash", 15, lpc_new_str(tip->u.s.ptr, tip->u.s.len));
    lpc_object_set(pl, "new_boot_id", 11, lpc_new_str(new_boot, strlen(new_boot)));
    lpc_object_set(pl, "enclave_pubkey", 14, lpc_new_str(payload_key, strlen(payload_key)));
    lpc_object_set(pl, "prev_log_tip_event_hash", 23, lpc_new_str(tip->u.s.ptr, tip->u.s.len));
    lpc_object_set(pl, "reason", 6, lpc_new_str("enclave_boot", 12));
    lpc_object_set(se, "payload", 7, pl);
    resign(r, f->sk, f->pkhex);
    lpc_array_append(arr, r);
    lpc_clone(arr->u.a.items[1], &e);
    se = (lpc_value *)lpc_get(e, "signed_event");
    lpc_object_set(se, "boot_id", 7, lpc_new_str(boot, strlen(boot)));
    lpc_object_set(se, "monotonic_seq", 13, lpc_new_int(2));
    lpc_array_append(arr, e);
    relink(arr, arr->u.a.n - 1, f->sk, f->pkhex);
}

static lp_code log_run(const lpc_value *arr, const char *pin, unsigned flags, lp_checks *c, size_t *n)
{
    lpc_buf t = {0};
    ck_assert_int_eq(lpc_dump(arr, LPC_PROFILE_CS_A, &t), LPC_OK);
    lp_checks_init(c);
    lp_code v = lpm_log_verify(t.ptr, t.len, pin, flags, n, c);
    /* the take form (verify_log's) gives the same checks over its own buffer */
    uint8_t *own = malloc(t.len ? t.len : 1);
    ck_assert_ptr_nonnull(own);
    memcpy(own, t.ptr, t.len);
    lp_checks c2;
    lp_checks_init(&c2);
    size_t n2 = 0;
    ck_assert_int_eq(lpm_log_verify_take(own, t.len, pin, flags, &n2, &c2), v);
    ck_assert_uint_eq(c2.n, c->n);
    if (n) ck_assert_uint_eq(n2, *n);
    for (size_t i = 0; i < c->n; i++) {
        ck_assert_str_eq(c2.items[i].name, c->items[i].name);
        ck_assert_int_eq(c2.items[i].code, c->items[i].code);
        ck_assert_uint_eq(c2.items[i].index, c->items[i].index);
        ck_assert_str_eq(c2.items[i].detail, c->items[i].detail);
    }
    lp_checks_free(&c2);
    lpc_buf_free(&t);
    return v;
}

#define LOG_OK {"entries", LP_CODE_OK, 0, NO_INDEX}, {"hash_chain", LP_CODE_OK, 0, NO_INDEX}, \
               {"monotonic_seq", LP_CODE_OK, 0, NO_INDEX}, {"restart_boundaries", LP_CODE_OK, 0, NO_INDEX}

START_TEST(log_verify_keys)
{
    log_fx f;
    log_fx_init(&f);
    lpc_value *arr = log_entries(&f);
    lp_checks c;
    size_t n = 0;
    static const want_check pinned[] = {LOG_OK};
    ck_assert_int_eq(log_run(arr, f.pkhex, 0, &c, &n), LP_CODE_OK);
    expect_checks("pinned", &c, 0, pinned, 4);
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(c.items[3].detail, "1 ENCLAVE_RESTART boundaries consistent");
    lp_checks_free(&c);
    /* no pin: every entry verifies under its own key, which proves nothing */
    static const want_check unpinned[] = {{"entries", LP_CODE_OK, 0, NO_INDEX}, {"pubkey_pinned", LP_CODE_KEY_NOT_PINNED, 0, NO_INDEX},
                                          {"hash_chain", LP_CODE_OK, 0, NO_INDEX}, {"monotonic_seq", LP_CODE_OK, 0, NO_INDEX},
                                          {"restart_boundaries", LP_CODE_OK, 0, NO_INDEX}};
    ck_assert_int_eq(log_run(arr, NULL, 0, &c, NULL), LP_CODE_KEY_NOT_PINNED);
    expect_checks("unpinned", &c, 0, unpinned, 5);
    lp_checks_free(&c);
    want_check warn[5];
    memcpy(warn, unpinned, sizeof warn);
    warn[1].warn = 1;
    ck_assert_int_eq(log_run(arr, NULL, LPM_ALLOW_NO_KEY, &c, NULL), LP_CODE_OK);
    expect_checks("--no-key", &c, 0, warn, 5);
    lp_checks_free(&c);
    ck_assert_int_eq(log_run(arr, f.pkhex, LPM_KEY_UNPINNED, &c, NULL), LP_CODE_KEY_NOT_PINNED);
    expect_checks("pin from an unpinned attestation", &c, 0, unpinned, 5);
    lp_checks_free(&c);
    /* a pin that is not the signer (the header key), and the signer's key in uppercase */
    want_check wrong[4] = {LOG_OK};
    wrong[0] = (want_check){"entries", LP_CODE_PUBKEY_MISMATCH, 0, 0};
    ck_assert_int_eq(log_run(arr, HDR_KEY, 0, &c, NULL), LP_CODE_PUBKEY_MISMATCH);
    expect_checks("header key as pin", &c, 0, wrong, 4);
    lp_checks_free(&c);
    char up[65];
    for (int k = 0; k < 65; k++) up[k] = (char)((f.pkhex[k] >= 'a' && f.pkhex[k] <= 'f') ? f.pkhex[k] - 32 : f.pkhex[k]);
    ck_assert_int_eq(log_run(arr, up, 0, &c, NULL), LP_CODE_PUBKEY_MISMATCH);
    expect_checks("uppercase pin", &c, 0, wrong, 4);
    lp_checks_free(&c);
    /* rows wrapping the entries as TEE records do (§3.2) */
    lpc_value *rows = lpc_new_array();
    for (size_t i = 0; i < arr->u.a.n; i++) {
        lpc_value *row = lpc_new_object(), *e = NULL;
        lpc_clone(arr->u.a.items[i], &e);
        lpc_object_set(row, "signed_log_entry", 16, e);
        lpc_array_append(rows, row);
    }
    ck_assert_int_eq(log_run(rows, f.pkhex, 0, &c, &n), LP_CODE_OK);
    expect_checks("rows", &c, 0, pinned, 4);
    ck_assert_uint_eq(n, 5);
    lp_checks_free(&c);
    lpc_free(rows);
    lpc_free(arr);
    lpc_free(f.d);
}
END_TEST

START_TEST(log_verify_failures)
{
    log_fx f;
    log_fx_init(&f);
    lp_checks c;
    size_t n = 99;
    for (int k = 0; k < 6; k++) {
        lpc_value *arr = log_entries(&f);
        want_check w[4] = {LOG_OK};
        const char *name = "";
        size_t nw = 4;
        const char *detail = NULL;
        if (k == 0) {  /* entry 2 removed */
            name = "entry 2 removed";
            lpc_free(arr->u.a.items[2]);
            memmove(&arr->u.a.items[2], &arr->u.a.items[3], 2 * sizeof arr->u.a.items[0]);
            arr->u.a.n--;
            w[1] = (want_check){"hash_chain", LP_CODE_CHAIN_BROKEN, 0, 2};
            w[2] = w[3];
            nw = 3;
            detail = "entry 2: prev_event_hash does not link to entry 1's event_hash";
        } else if (k == 1) {  /* payload tampered, not re-signed */
            name = "tampered payload";
            lpc_object_set((lpc_value *)lpc_get(lpc_get(arr->u.a.items[3], "signed_event"), "payload"), "x", 1, lpc_new_int(1));
            w[0] = (want_check){"entries", LP_CODE_EVENT_HASH_MISMATCH, 0, 3};
        } else if (k == 2) {  /* a signature byte */
            name = "bad signature";
            const lpc_value *sg = lpc_get(arr->u.a.items[1], "enclave_signature");
            char s2[129];
            memcpy(s2, sg->u.s.ptr, 129);
            s2[0] = s2[0] == '0' ? '1' : '0';
            lpc_object_set(arr->u.a.items[1], "enclave_signature", 17, lpc_new_str(s2, 128));
            w[0] = (want_check){"entries", LP_CODE_EVENT_SIGNATURE_INVALID, 0, 1};
        } else if (k == 3) {  /* a field missing */
            name = "no signature";
            lpc_object_set(arr->u.a.items[4], "enclave_signature", 17, lpc_new_str("", 0));
            w[0] = (want_check){"entries", LP_CODE_MALFORMED_ENTRY, 0, 4};
        } else if (k == 4) {  /* monotonic_seq repeated within the boot, re-signed and relinked */
            name = "monotonic_seq repeated";
            lpc_object_set((lpc_value *)lpc_get(arr->u.a.items[3], "signed_event"), "monotonic_seq", 13, lpc_new_int(2));
            relink(arr, 3, f.sk, f.pkhex);
            w[2] = (want_check){"monotonic_seq", LP_CODE_SEQUENCE_NOT_MONOTONIC, 0, 3};
        } else {  /* swapped entries 3 and 4 */
            name = "swapped";
            lpc_value *t = arr->u.a.items[3];
            arr->u.a.items[3] = arr->u.a.items[4];
            arr->u.a.items[4] = t;
            w[1] = (want_check){"hash_chain", LP_CODE_CHAIN_BROKEN, 0, 3};
            w[2] = w[3];
            nw = 3;
        }
        log_run(arr, f.pkhex, 0, &c, &n);
        expect_checks(name, &c, 0, w, nw);
        if (detail) ck_assert_str_eq(find_check(&c, "hash_chain")->detail, detail);
        lp_checks_free(&c);
        lpc_free(arr);
    }
    /* input that is not a log */
    static const struct { const char *text; lp_code code; const char *detail; } bad[] = {
        {"{}", LP_CODE_MALFORMED_INPUT, "not a JSON array"},           /* review defect 9: was "not a JSON array0" */
        {"\"log\"", LP_CODE_MALFORMED_INPUT, "not a JSON array"},
        {"[{}", LP_CODE_JSON_SYNTAX, NULL},    /* the parser's own code, as every JSON reader reports it */
        {"", LP_CODE_JSON_SYNTAX, NULL},
        {"[\"\xff\"]", LP_CODE_BAD_UTF8, NULL},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        lp_checks_init(&c);
        n = 99;
        lp_code v = lpm_log_verify((const uint8_t *)bad[k].text, strlen(bad[k].text), f.pkhex, 0, &n, &c);
        want_check w[1] = {{"input", bad[k].code, 0, NO_INDEX}};
        expect_checks(bad[k].text, &c, 0, w, 1);
        ck_assert_int_eq(v, bad[k].code);
        ck_assert_uint_eq(n, 0);
        if (bad[k].detail) ck_assert_str_eq(c.items[0].detail, bad[k].detail);
        else ck_assert_msg(!strncmp(c.items[0].detail, "not JSON (", 10), "%s", c.items[0].detail);
        lp_checks_free(&c);
    }
    /* an empty log */
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_log_verify((const uint8_t *)"[]", 2, f.pkhex, 0, &n, &c), LP_CODE_EMPTY_LOG);
    static const want_check we[] = {{"entries", LP_CODE_EMPTY_LOG, 0, NO_INDEX}};
    expect_checks("empty log", &c, 0, we, 1);
    lp_checks_free(&c);
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_log_verify((const uint8_t *)"[]", 2, NULL, 0, &n, &c), LP_CODE_EMPTY_LOG);
    static const want_check we2[] = {{"entries", LP_CODE_EMPTY_LOG, 0, NO_INDEX}, {"pubkey_pinned", LP_CODE_KEY_NOT_PINNED, 0, NO_INDEX}};
    expect_checks("empty log, no pin", &c, 0, we2, 2);
    lp_checks_free(&c);
    /* more than LPM_MAX_EVENTS entries */
    lpc_buf big = {0};
    lpc_buf_append(&big, "[", 1);
    for (size_t i = 0; i <= LPM_MAX_EVENTS; i++) lpc_buf_append(&big, i ? ",0" : "0", i ? 2 : 1);
    lpc_buf_append(&big, "]", 1);
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_log_verify(big.ptr, big.len, f.pkhex, 0, &n, &c), LP_CODE_INPUT_TOO_LARGE);
    static const want_check wb[] = {{"input", LP_CODE_INPUT_TOO_LARGE, 0, NO_INDEX}};
    expect_checks("LPM_MAX_EVENTS + 1 entries", &c, 0, wb, 1);
    lp_checks_free(&c);
    lpc_buf_free(&big);
    /* under the entry cap: the log is read one entry at a time, so 3 MiB of ["a","a",...]
     * (786,432 strings, 24 MiB as one tree) is judged (the entries are not objects), as
     * both forms; one entry holding those strings (its own tree over the text plus
     * LPM_LOG_TREE_SLACK) is refused */
    const size_t strs = ((size_t)3 << 20) / 4;
    for (int shape = 0; shape < 2; shape++) {
        lpc_buf_append(&big, shape ? "[{\"signed_event\":[" : "[", shape ? 18 : 1);
        for (size_t i = 0; i < strs; i++) lpc_buf_append(&big, i ? ",\"a\"" : "\"a\"", i ? 4 : 3);
        lpc_buf_append(&big, shape ? "]}]" : "]", shape ? 3 : 1);
        for (int take = 0; take < 2; take++) {
            lp_checks_init(&c);
            uint8_t *own = NULL;
            if (take) {
                own = malloc(big.len);
                ck_assert_ptr_nonnull(own);
                memcpy(own, big.ptr, big.len);
            }
            lp_code v = take ? lpm_log_verify_take(own, big.len, f.pkhex, 0, &n, &c)
                             : lpm_log_verify(big.ptr, big.len, f.pkhex, 0, &n, &c);
            if (shape == 1) {
                ck_assert_int_eq(v, LP_CODE_INPUT_TOO_LARGE);
                expect_checks("an entry's tree over the budget", &c, 0, wb, 1);
                ck_assert_msg(strstr(c.items[0].detail, "tree") != NULL, "%s", c.items[0].detail);
            } else {
                ck_assert_int_eq(v, LP_CODE_MALFORMED_ENTRY);
                ck_assert_uint_eq(n, strs);
                ck_assert_uint_eq(c.items[0].index, 0);
            }
            lp_checks_free(&c);
        }
        lpc_buf_free(&big);
    }
    lpc_free(f.d);
}
END_TEST

/* A log read one entry at a time, its signatures verified by the pool while it is parsed
 * (jobs in blocks of 4096): over 8,200 of the vector's genuine entries, the entries check
 * names the smallest bad index whichever kind of failure (found while parsing, or by a
 * worker) and block it lies in, as lpm_log_entries_verify over the parsed tree does. */
static lpc_value *stream_log(const log_fx *f, size_t n)
{
    lpc_value *five = log_entries(f), *arr = lpc_new_array();
    for (size_t i = 0; i < n; i++) {
        lpc_value *c = NULL;
        ck_assert_int_eq(lpc_clone(five->u.a.items[i % five->u.a.n], &c), LPC_OK);
        lpc_array_append(arr, c);
    }
    lpc_free(five);
    return arr;
}

static void spoil(lpc_value *e, char kind)
{
    if (kind == 'm') {
        lpc_object_set(e, "signed_event", 12, lpc_new_object());
        return;
    }
    const char *key = kind == 's' ? "enclave_signature" : "event_hash";
    char h[129];
    const lpc_value *v = lpc_get(e, key);
    ck_assert(v && v->u.s.len < sizeof h);
    memcpy(h, v->u.s.ptr, v->u.s.len);
    h[0] = h[0] == '0' ? '1' : '0';   /* still hex: the signature fails, the hash differs */
    lpc_object_set(e, key, strlen(key), lpc_new_str(h, v->u.s.len));
}

START_TEST(log_verify_streamed_order)
{
    log_fx f;
    log_fx_init(&f);
    static const struct { size_t at[2]; char kind[2]; size_t want; lp_code code; } cs[] = {
        {{8100, 0}, {'s', 0}, 8100, LP_CODE_EVENT_SIGNATURE_INVALID},
        {{8100, 6000}, {'s', 'h'}, 6000, LP_CODE_EVENT_HASH_MISMATCH},
        {{4096, 8000}, {'s', 'm'}, 4096, LP_CODE_EVENT_SIGNATURE_INVALID},
        {{7000, 4095}, {'s', 's'}, 4095, LP_CODE_EVENT_SIGNATURE_INVALID},
        {{3, 8199}, {'m', 's'}, 3, LP_CODE_MALFORMED_ENTRY},
        {{8199, 0}, {'s', 0}, 8199, LP_CODE_EVENT_SIGNATURE_INVALID},
        {{0, 0}, {0, 0}, 0, LP_CODE_OK},
    };
    const size_t n = 8200;
    for (size_t k = 0; k < sizeof cs / sizeof *cs; k++) {
        lpc_value *arr = stream_log(&f, n);
        for (int j = 0; j < 2; j++)
            if (cs[k].kind[j]) spoil(arr->u.a.items[cs[k].at[j]], cs[k].kind[j]);
        size_t bad = 0;
        lpm_err te = lpm_log_entries_verify((const lpc_value *const *)arr->u.a.items, n, f.pkhex, 2, &bad);
        ck_assert_int_eq(te == LPM_OK, cs[k].code == LP_CODE_OK);
        if (te != LPM_OK) ck_assert_uint_eq(bad, cs[k].want);
        lpc_buf b = {0};
        ck_assert_int_eq(lpc_dump(arr, LPC_PROFILE_CS_A, &b), LPC_OK);
        lpc_free(arr);
        lp_checks c;
        lp_checks_init(&c);
        size_t got = 0;
        (void)lpm_log_verify(b.ptr, b.len, f.pkhex, 0, &got, &c);
        lpc_buf_free(&b);
        ck_assert_uint_eq(got, n);
        ck_assert_str_eq(c.items[0].name, "entries");
        ck_assert_msg(c.items[0].code == cs[k].code, "case %zu: code %d", k, (int)c.items[0].code);
        if (cs[k].code != LP_CODE_OK) ck_assert_uint_eq(c.items[0].index, cs[k].want);
        lp_checks_free(&c);
    }
    lpc_free(f.d);
}
END_TEST

/* ENCLAVE_RESTART boundaries (§2.3): a second boot, valid, then each rule broken. */
START_TEST(log_verify_restarts)
{
    log_fx f;
    log_fx_init(&f);
    static const char B[] = "00000000-0000-4000-8000-000000000002";
    for (int k = 0; k < 5; k++) {
        lpc_value *arr = log_entries(&f);
        const char *name = "two boots", *why = NULL;
        size_t at = 0;
        if (k == 0) add_boot(&f, arr, B, B, f.pkhex);
        if (k == 1) { name = "new_boot_id not the boot"; add_boot(&f, arr, B, "someone-else", f.pkhex); at = 5;
                      why = "entry 5: payload.new_boot_id differs from boot_id"; }
        if (k == 2) { name = "payload key not the signer"; add_boot(&f, arr, B, B, f.pk2hex); at = 5;
                      why = "entry 5: payload.enclave_pubkey differs from the signer"; }
        if (k == 3) {  /* the boot changes at an ordinary event */
            name = "boot change without a restart";
            add_boot(&f, arr, B, B, f.pkhex);
            lpc_value *se = (lpc_value *)lpc_get(arr->u.a.items[5], "signed_event");
            lpc_object_set(se, "event_type", 10, lpc_new_str("WEIGHT_SUBMISSION", 17));
            relink(arr, 5, f.sk, f.pkhex);
            at = 5;
            why = "entry 5: boot_id changes without an ENCLAVE_RESTART";
        }
        if (k == 4) {  /* entry 4 signed by another key within the boot */
            name = "key change within a boot";
            resign(arr->u.a.items[4], f.sk2, f.pk2hex);
            at = 4;
            why = "entry 4: signing key changes within a boot";
        }
        lp_checks c;
        lp_code v = log_run(arr, NULL, LPM_ALLOW_NO_KEY, &c, NULL);
        want_check w[5] = {{"entries", LP_CODE_OK, 0, NO_INDEX}, {"pubkey_pinned", LP_CODE_KEY_NOT_PINNED, 1, NO_INDEX},
                           {"hash_chain", LP_CODE_OK, 0, NO_INDEX}, {"monotonic_seq", LP_CODE_OK, 0, NO_INDEX},
                           {"restart_boundaries", why ? LP_CODE_RESTART_INVALID : LP_CODE_OK, 0, why ? at : NO_INDEX}};
        expect_checks(name, &c, 0, w, 5);
        ck_assert_int_eq(v, why ? LP_CODE_RESTART_INVALID : LP_CODE_OK);
        if (why) ck_assert_str_eq(c.items[4].detail, why);
        else ck_assert_str_eq(c.items[4].detail, "2 ENCLAVE_RESTART boundaries consistent");
        lp_checks_free(&c);
        /* the rule alone */
        size_t bad = 99, restarts = 0;
        const lpc_value *ents[8];
        for (size_t i = 0; i < arr->u.a.n; i++) ents[i] = arr->u.a.items[i];
        lpm_restart_rule r = lpm_log_restart_check(ents, arr->u.a.n, &bad, &restarts);
        ck_assert_int_eq(r == LPM_RESTART_OK, why == NULL);
        if (why) ck_assert_uint_eq(bad, at);
        lpc_free(arr);
    }
    lpc_free(f.d);
}
END_TEST

/* ---------- lpm_inclusion_verify (§3.3, §7.3 step 6) ---------- */

START_TEST(inclusion_verify_v1)
{
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    lpc_value *ev = vector_events(k_v1);
    const lpc_value *idx = lp_field(d, "lead_id_index"), *proofs = lp_field(d, "inclusion_proofs");
    const lpc_value *leaves = lp_field(lp_field(d, "verification_walk"), "leaf_hashes");
    size_t len;
    uint8_t *raw = lp_read_vector(k_v1, &len);
    lpm_checkpoint *cp = parse_ok(raw, len);
    free(raw);
    lp_checks c;
    lp_checks_init(&c);
    lpm_matches m;
    /* before verification there is no tree to search */
    ck_assert_int_eq(lpm_inclusion_verify(cp, "x", 1, &m, &c), LP_CODE_BAD_ARGUMENT);
    static const want_check w0[] = {{"lead_search", LP_CODE_BAD_ARGUMENT, 0, NO_INDEX}};
    expect_checks("before verify", &c, 0, w0, 1);
    ck_assert_uint_eq(m.n, 0);
    lp_checks_free(&c);
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_checkpoint_verify(cp, key, 0, &c, NULL), LP_CODE_OK);
    for (size_t k = 0; k < idx->u.o.n; k++) {
        const char *lead = idx->u.o.items[k].key;
        const lpc_value *want = idx->u.o.items[k].val;
        size_t from = c.n;
        SET_CASE("inclusion of %s", lead);
        ck_assert_int_eq(lpm_inclusion_verify(cp, lead, strlen(lead), &m, &c), LP_CODE_OK);
        static const want_check w[] = {{"lead_search", LP_CODE_OK, 0, NO_INDEX}, {"inclusion_proofs", LP_CODE_OK, 0, NO_INDEX}};
        expect_checks(lead, &c, from, w, 2);
        ck_assert_msg(m.n == want->u.a.n, "%s: %zu matches", lead, m.n);
        for (size_t i = 0; i < m.n; i++) {
            const lpm_match *x = &m.items[i];
            int64_t wi = -1;
            ck_assert(lpc_int_i64(want->u.a.items[i], &wi) && wi >= 0);
            size_t at = (size_t)wi;
            ck_assert_msg(x->index == at, "%s: match %zu at %zu", lead, i, x->index);
            ck_assert_msg(x->proof_ok, "%s", lead);
            hex_eq(x->leaf, leaves->u.a.items[at]->u.s.ptr);
            const lpc_value *wp = proofs->u.a.items[at];
            ck_assert_uint_eq(x->n_steps, wp->u.a.n);
            for (size_t s = 0; s < x->n_steps; s++) {
                hex_eq(x->steps[s].sibling, lp_field_str(wp->u.a.items[s], "sibling"));
                ck_assert_str_eq(lp_field_str(wp->u.a.items[s], "position"), x->steps[s].left ? "left" : "right");
            }
            const char *et = lp_field_str(ev->u.a.items[at], "event_type");
            ck_assert_ptr_nonnull(x->event_type);
            ck_assert_str_eq(x->event_type, et);
            ck_assert_uint_eq(x->event_type_len, strlen(et));
        }
        lpm_matches_free(&m);
    }
    size_t from = c.n;
    ck_assert_int_eq(lpm_inclusion_verify(cp, "00000000-0000-0000-0000-000000000000", 36, &m, &c), LP_CODE_NOT_INCLUDED);
    static const want_check wn[] = {{"lead_search", LP_CODE_NOT_INCLUDED, 0, NO_INDEX}};
    expect_checks("unknown lead", &c, from, wn, 1);
    ck_assert_uint_eq(m.n, 0);
    lpm_matches_free(&m);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
    /* a header root that is not the tree's: every proof fails against it */
    lpc_value *doc = vector_doc(k_v1);
    cp = with_header(doc, "merkle_root", lpc_new_str("1111111111111111111111111111111111111111111111111111111111111111", 64));
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_checkpoint_verify(cp, NULL, LPM_ALLOW_NO_KEY, &c, NULL), LP_CODE_ROOT_MISMATCH);
    from = c.n;
    ck_assert_int_eq(lpm_inclusion_verify(cp, "8b6482bf-116e-41db-b8ec-a87ba3c86b8b", 36, &m, &c), LP_CODE_PROOF_INVALID);
    static const want_check wr[] = {{"lead_search", LP_CODE_OK, 0, NO_INDEX}, {"inclusion_proofs", LP_CODE_PROOF_INVALID, 0, 0}};
    expect_checks("root mismatch", &c, from, wr, 2);
    ck_assert_uint_eq(m.n, 4);
    for (size_t i = 0; i < m.n; i++) ck_assert(!m.items[i].proof_ok);
    lpm_matches_free(&m);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
    lpc_free(doc);
    lpc_free(ev);
    lpc_free(d);
}
END_TEST

START_TEST(inclusion_verify_current)
{
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_current.json");
    const lpc_value *rpc_ev = lp_field(lp_field(d, "checkpoint_rpc_result"), "events");
    const char *lead = "8b6482bf-116e-41db-b8ec-a87ba3c86b8b";
    size_t want = SIZE_MAX;
    for (size_t i = 0; i < rpc_ev->u.a.n; i++) {
        const lpc_value *pl = lpc_get(lpc_get(lpc_get(rpc_ev->u.a.items[i], "signed_log_entry"), "signed_event"), "payload");
        if (lpc_str_eq(lpc_get(pl, "lead_id"), lead)) want = i;
    }
    ck_assert_uint_ne(want, SIZE_MAX);
    size_t len;
    uint8_t *raw = lp_read_vector(k_cur, &len);
    lpm_checkpoint *cp = parse_ok(raw, len);
    free(raw);
    lp_checks c;
    lp_checks_init(&c);
    ck_assert_int_eq(lpm_checkpoint_verify(cp, key, 0, &c, NULL), LP_CODE_OK);
    lpm_matches m;
    ck_assert_int_eq(lpm_inclusion_verify(cp, lead, strlen(lead), &m, &c), LP_CODE_OK);
    ck_assert_uint_eq(m.n, 1);
    ck_assert_uint_eq(m.items[0].index, want);
    ck_assert_str_eq(m.items[0].event_type, lp_field_str(rpc_ev->u.a.items[want], "event_type"));
    lpm_matches_free(&m);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
    lpc_free(d);
}
END_TEST

/* ---------- lpm_proof_file_verify (--verify-proof) ---------- */

START_TEST(proof_file_verify_rules)
{
    size_t len;
    uint8_t *raw = lp_read_vector(k_v1, &len);
    lpm_checkpoint *cp = parse_ok(raw, len);
    free(raw);
    uint8_t key[32], wrong[32];
    unhex32(HDR_KEY, key);
    unhex32(EVT_KEY, wrong);
    ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_OK);
    const char *lead = "0f0e0d0c-0000-4000-8000-000000000003";
    lpc_buf out = {0};
    ck_assert_int_eq(lpm_proof_write(cp, 4, lead, strlen(lead), key, &out), LPM_OK);  /* records the right key */
    lpc_value *doc = NULL;
    ck_assert_int_eq(parse_mut(out.ptr, out.len, &doc, NULL), LPC_OK);
    lpc_buf t = {0};
    for (int k = 0; k < 13; k++) {
        lpc_value *c2 = NULL;
        lpc_clone(doc, &c2);
        const uint8_t *pin = key;
        unsigned flags = 0;
        const char *name = "pinned";
        lp_code pf_code = LP_CODE_OK, sig_code = LP_CODE_OK, verdict = LP_CODE_OK;
        int sig_warn = 0, pinned_check = 0, pin_warn = 0, stop = 0;
        lpm_sig_state want_state = LPM_SIG_VALID;
        switch (k) {
        case 1: name = "no pin (the recorded key is not trusted)"; pin = NULL; sig_code = verdict = LP_CODE_KEY_NOT_PINNED;
                want_state = LPM_SIG_NOT_CHECKED; break;
        case 2: name = "no pin, --no-key"; pin = NULL; flags = LPM_ALLOW_NO_KEY; sig_code = LP_CODE_KEY_NOT_PINNED; sig_warn = 1;
                want_state = LPM_SIG_NOT_CHECKED; break;
        case 3: name = "unpinned attestation key"; flags = LPM_KEY_UNPINNED; pinned_check = 1; verdict = LP_CODE_KEY_NOT_PINNED; break;
        case 4: name = "unpinned key, --no-key"; flags = LPM_KEY_UNPINNED | LPM_ALLOW_NO_KEY; pinned_check = 1; pin_warn = 1; break;
        case 5: name = "wrong pin"; pin = wrong; sig_code = verdict = LP_CODE_SIGNATURE_INVALID; want_state = LPM_SIG_INVALID; break;
        case 6: {
            name = "tampered sibling";
            lpc_value *st = lpc_get(c2, "proof")->u.a.items[0];
            const lpc_value *sib = lpc_get(st, "sibling");
            char s2[65];
            memcpy(s2, sib->u.s.ptr, 65);
            s2[0] = s2[0] == 'a' ? 'b' : 'a';
            lpc_object_set(st, "sibling", 7, lpc_new_str(s2, 64));
            pf_code = verdict = LP_CODE_PROOF_INVALID;
            break;
        }
        case 7: name = "another lead"; lpc_object_set(c2, "lead_id", 7, lpc_new_str("someone-else", 12));
                pf_code = verdict = LP_CODE_NOT_INCLUDED; break;
        case 8: {  /* header and count both say 6: the path still folds; only the signature catches it */
            name = "lying count";
            lpc_object_set(c2, "event_count", 11, lpc_new_int(6));
            lpc_object_set((lpc_value *)lpc_get(c2, "header"), "event_count", 11, lpc_new_int(6));
            sig_code = verdict = LP_CODE_SIGNATURE_INVALID;
            want_state = LPM_SIG_INVALID;
            break;
        }
        case 9: name = "header count only"; lpc_object_set((lpc_value *)lpc_get(c2, "header"), "event_count", 11, lpc_new_int(6));
                pf_code = verdict = LP_CODE_EVENT_COUNT_MISMATCH; sig_code = LP_CODE_SIGNATURE_INVALID; want_state = LPM_SIG_INVALID; break;
        case 10: name = "empty_checkpoint"; lpc_object_set(c2, "signature", 9, lpc_new_str("empty_checkpoint", 16));
                 pf_code = verdict = LP_CODE_EMPTY_CHECKPOINT; stop = 1; want_state = LPM_SIG_NOT_CHECKED; break;
        case 11: name = "signature not hex"; lpc_object_set(c2, "signature", 9, lpc_new_str("abcd", 4));
                 pf_code = verdict = LP_CODE_MALFORMED_INPUT; stop = 1; want_state = LPM_SIG_NOT_CHECKED; break;
        case 12: name = "no format"; lpc_object_set(c2, "format", 6, lpc_new_str("other", 5));
                 pf_code = verdict = LP_CODE_MALFORMED_INPUT; stop = 1; want_state = LPM_SIG_NOT_CHECKED; break;
        default: break;
        }
        t.len = 0;
        lpc_dump(c2, LPC_PROFILE_CS_A, &t);
        lpc_free(c2);
        lp_checks c;
        lp_checks_init(&c);
        lpm_proof_file pf;
        lpm_sig_state st = (lpm_sig_state)77;
        lp_code v = lpm_proof_file_verify(t.ptr, t.len, pin, flags, &pf, &c, &st);
        want_check w[3];
        size_t n = 0;
        w[n++] = (want_check){"proof_file", pf_code, 0, pf_code == LP_CODE_OK || !stop ? 4 : NO_INDEX};
        if (!stop) w[n++] = (want_check){"header_signature", sig_code, sig_warn, NO_INDEX};
        if (pinned_check) w[n++] = (want_check){"key_pinned", LP_CODE_KEY_NOT_PINNED, pin_warn, NO_INDEX};
        expect_checks(name, &c, 0, w, n);
        ck_assert_msg(v == verdict, "%s: verdict %s", name, lp_code_name(v));
        ck_assert_msg(st == want_state, "%s: %s", name, lpm_sig_state_name(st));
        if (!stop) ck_assert_uint_eq(pf.index, 4);
        lpm_proof_file_free(&pf);
        lp_checks_free(&c);
    }
    /* not JSON at all */
    lp_checks c;
    lp_checks_init(&c);
    lpm_proof_file pf;
    ck_assert_int_eq(lpm_proof_file_verify((const uint8_t *)"not json", 8, key, 0, &pf, &c, NULL), LP_CODE_MALFORMED_INPUT);
    static const want_check wj[] = {{"proof_file", LP_CODE_MALFORMED_INPUT, 0, NO_INDEX}};
    expect_checks("not JSON", &c, 0, wj, 1);
    lpm_proof_file_free(&pf);
    lp_checks_free(&c);
    lpc_buf_free(&t);
    lpc_free(doc);
    lpc_buf_free(&out);
    lpm_checkpoint_free(cp);
}
END_TEST

/* More than LPM_MAX_MATCHES records naming the lead: refused, not reserved. */
START_TEST(inclusion_match_cap)
{
    lpc_value *doc = second_checkpoint_doc();
    for (size_t extra = 0; extra < 2; extra++) {
        size_t n = LPM_MAX_MATCHES + extra;
        lpc_buf t = {0};
        lpc_buf_append(&t, "[", 1);
        for (size_t i = 0; i < n; i++) {
            char r[96];
            int l = snprintf(r, sizeof r, "%s{\"sequence\": %zu, \"payload\": {\"lead_id\": \"L\"}}", i ? ", " : "", i);
            lpc_buf_append(&t, r, (size_t)l);
        }
        lpc_buf_append(&t, "]", 1);
        lpm_checkpoint *cp = checkpoint_with_events(doc, t.ptr, t.len);
        lp_checks c;
        lp_checks_init(&c);
        (void)lpm_checkpoint_verify(cp, NULL, LPM_ALLOW_NO_KEY, &c, NULL);
        size_t from = c.n;
        lpm_matches m;
        lp_code v = lpm_inclusion_verify(cp, "L", 1, &m, &c);
        if (extra) {
            ck_assert_int_eq(v, LP_CODE_INPUT_TOO_LARGE);
            static const want_check w[] = {{"lead_search", LP_CODE_INPUT_TOO_LARGE, 0, NO_INDEX}};
            expect_checks("LPM_MAX_MATCHES + 1", &c, from, w, 1);
            ck_assert_uint_eq(m.n, 0);
        } else {
            /* the header root is the vector's, not this tree's: every proof is checked and fails */
            ck_assert_int_eq(v, LP_CODE_PROOF_INVALID);
            ck_assert_uint_eq(m.n, n);
            ck_assert_uint_eq(m.items[n - 1].index, n - 1);
        }
        lpm_matches_free(&m);
        lp_checks_free(&c);
        lpm_checkpoint_free(cp);
        lpc_buf_free(&t);
    }
    lpc_free(doc);
}
END_TEST

static Suite *merkle_suite(void)
{
    Suite *s = suite_create("merkle");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tee_tree_all_cases);
    tcase_add_test(tc, tee_tree_special);
    tcase_add_test(tc, wide_tree_equals_plain_fold);
    tcase_add_test(tc, gateway_utils_tree);
    tcase_add_test(tc, checkpoint_v1_end_to_end);
    tcase_add_test(tc, checkpoint_current_end_to_end);
    tcase_add_test(tc, empty_host_checkpoint);
    tcase_add_test(tc, hostile_gzip_and_base64);
    tcase_add_test(tc, hostile_gzip_bomb);
    tcase_add_test(tc, hostile_payload_shapes);
    tcase_add_test(tc, hostile_header_and_events);
    tcase_add_test(tc, hostile_envelopes);
    tcase_add_test(tc, parallel_decode_equals_serial);
    tcase_add_test(tc, streamed_split_equals_serial);
    tcase_add_test(tc, parallel_base64_equals_serial);
    tcase_add_test(tc, event_signing_entries);
    tcase_add_test(tc, event_signing_negatives);
    tcase_add_test(tc, proof_file_round_trip);
    tcase_add_test(tc, error_codes_map_into_the_registry);
    tcase_add_test(tc, checkpoint_verify_key_rules);
    tcase_add_test(tc, checkpoint_verify_appends);
    tcase_add_test(tc, checkpoint_verify_tampered);
    tcase_add_test(tc, checkpoint_verify_empty_host);
    tcase_add_test(tc, regress_era_a_records_are_trees);
    tcase_add_test(tc, regress_sequence_range_hostile);
    tcase_add_test(tc, regress_forged_isize);
    tcase_add_test(tc, regress_stream_abandoned_status);
    tcase_add_test(tc, header_is_self_contained);
    tcase_add_test(tc, link_check_rules);
    tcase_add_test(tc, series_links_and_summaries);
    tcase_add_test(tc, log_verify_keys);
    tcase_add_test(tc, log_verify_failures);
    tcase_add_test(tc, log_verify_streamed_order);
    tcase_add_test(tc, log_verify_restarts);
    tcase_add_test(tc, inclusion_verify_v1);
    tcase_add_test(tc, inclusion_verify_current);
    tcase_add_test(tc, inclusion_match_cap);
    tcase_add_test(tc, proof_file_verify_rules);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(merkle_suite)
