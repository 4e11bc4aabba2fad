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
#include "merkle/lp_merkle.h"
#include "tests/lp_test.h"

#define HDR_KEY "760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54"
#define EVT_KEY "efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780"

static void unhex32(const char *hex, uint8_t out[32])
{
    size_t n;
    ck_assert_int_eq(lpc_hex_decode(hex, strlen(hex), out, 32, &n), LPC_OK);
    ck_assert_uint_eq(n, 32);
}

static void hex_eq(const uint8_t *p, const char *want)
{
    char h[65];
    lpc_hex_encode(p, 32, h);
    ck_assert_str_eq(h, want);
}

/* ---------- merkle_tee_checkpoint.json ---------- */

START_TEST(tee_tree_all_cases)
{
    lpc_value *d = lp_load_json_vector("leadpoet/merkle_tee_checkpoint.json");
    const lpc_value *cases = lp_field(d, "cases");
    ck_assert_uint_eq(cases->u.a.n, 19);
    for (size_t c = 0; c < cases->u.a.n; c++) {
        const lpc_value *k = cases->u.a.items[c], *ev = lp_field(k, "events"), *pre = lp_field(k, "leaf_preimages");
        size_t n = (size_t)lp_field_i64(k, "n");
        ck_assert_uint_eq(ev->u.a.n, n);
        uint8_t (*leaves)[32] = malloc(n * 32);
        for (size_t i = 0; i < n; i++) {
            lpc_buf b = {0};
            ck_assert_int_eq(lpc_dump(ev->u.a.items[i], LPC_PROFILE_CS_A, &b), LPC_OK);
            ck_assert_uint_eq(b.len, pre->u.a.items[i]->u.s.len);
            ck_assert(!memcmp(b.ptr, pre->u.a.items[i]->u.s.ptr, b.len));
            lpc_buf_free(&b);
            ck_assert_int_eq(lpm_hash_csa(ev->u.a.items[i], leaves[i]), LPM_OK);
        }
        lpm_tree t;
        ck_assert_int_eq(lpm_tree_build((const uint8_t (*)[32])leaves, n, &t), LPM_OK);
        const lpc_value *lv = lp_field(k, "tree_levels");
        ck_assert_uint_eq(t.n_levels, lv->u.a.n);
        for (size_t L = 0; L < t.n_levels; L++) {
            ck_assert_uint_eq(t.level_len[L], lv->u.a.items[L]->u.a.n);
            for (size_t i = 0; i < t.level_len[L]; i++) hex_eq(t.nodes[t.level_off[L] + i], lv->u.a.items[L]->u.a.items[i]->u.s.ptr);
        }
        hex_eq(lpm_tree_root(&t), lp_field_str(k, "merkle_root"));
        /* the repo script's root (§4.3) is a different tree: never equal */
        ck_assert_str_ne(lp_field_str(k, "scripts_verify_merkle_inclusion_root"), lp_field_str(k, "merkle_root"));
        uint8_t root[32];
        unhex32(lp_field_str(k, "merkle_root"), root);
        const lpc_value *proofs = lp_field(k, "proofs");
        for (size_t i = 0; i < n; i++) {
            lpm_step st[LPM_MAX_DEPTH];
            size_t ns;
            ck_assert_int_eq(lpm_tree_proof(&t, i, st, &ns), LPM_OK);
            const lpc_value *want = proofs->u.a.items[i];
            ck_assert_uint_eq(ns, want->u.a.n);
            for (size_t s = 0; s < ns; s++) {
                hex_eq(st[s].sibling, lp_field_str(want->u.a.items[s], "sibling"));
                ck_assert_str_eq(lp_field_str(want->u.a.items[s], "position"), st[s].left ? "left" : "right");
            }
            ck_assert_int_eq(lpm_proof_verify(leaves[i], st, ns, root), LPM_OK);
            ck_assert(lpm_proof_shape_ok(i, n, st, ns));
            if (ns) {
                /* negatives: a flipped sibling bit, a flipped position, the wrong leaf */
                st[ns - 1].sibling[0] ^= 1;
                ck_assert_int_eq(lpm_proof_verify(leaves[i], st, ns, root), LPM_ERR_PROOF_INVALID);
                st[ns - 1].sibling[0] ^= 1;
                st[0].left ^= 1;
                ck_assert(!lpm_proof_shape_ok(i, n, st, ns));
                if (memcmp(st[0].sibling, leaves[i], 32) != 0)
                    ck_assert_int_eq(lpm_proof_verify(leaves[i], st, ns, root), LPM_ERR_PROOF_INVALID);
                st[0].left ^= 1;
                ck_assert_int_eq(lpm_proof_verify(leaves[(i + 1) % n], st, ns, root),
                                 memcmp(leaves[(i + 1) % n], leaves[i], 32) ? LPM_ERR_PROOF_INVALID : LPM_OK);
                ck_assert(!lpm_proof_shape_ok(i, n, st, ns - 1));
            }
        }
        lpm_step st[LPM_MAX_DEPTH];
        size_t ns;
        ck_assert_int_eq(lpm_tree_proof(&t, n, st, &ns), LPM_ERR_ARG);  /* out of range */
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
        uint8_t (*h)[32] = malloc((n ? n : 1) * 32), root[32], want[32];
        for (size_t i = 0; i < n; i++) ck_assert_int_eq(lpc_sha256(lv->u.a.items[i]->u.s.ptr, lv->u.a.items[i]->u.s.len, h[i]), LPC_OK);
        ck_assert_int_eq(lpm_utils_root((const uint8_t (*)[32])h, n, root), LPM_OK);
        hex_eq(root, lp_field_str(k, "merkle_root"));
        /* root_from_hashes: raw 32-byte leaves, not re-hashed */
        const lpc_value *ls = lp_field(k, "leaf_sha256");
        for (size_t i = 0; i < n; i++) unhex32(ls->u.a.items[i]->u.s.ptr, h[i]);
        ck_assert_int_eq(lpm_utils_root((const uint8_t (*)[32])h, n, root), LPM_OK);
        hex_eq(root, lp_field_str(k, "root_from_hashes"));
        unhex32(lp_field_str(k, "merkle_root"), want);
        const lpc_value *pr = lp_field(k, "proofs");
        for (size_t i = 0; i < pr->u.a.n; i++) {
            const lpc_value *p = pr->u.a.items[i];
            const char *el[64];
            for (size_t s = 0; s < p->u.a.n; s++) el[s] = p->u.a.items[s]->u.s.ptr;
            ck_assert(lpm_utils_proof_verify(h[i], el, p->u.a.n, want));
            ck_assert(!lpm_utils_proof_verify(h[(i + 1) % n], el, p->u.a.n, want) || n == 1 ||
                      !memcmp(h[i], h[(i + 1) % n], 32));
        }
        free(h);
    }
    const lpc_value *sp = lp_field(d, "special"), *u = lp_field(sp, "unicode"), *ul = lp_field(u, "leaves");
    uint8_t h[3][32], root[32];
    for (size_t i = 0; i < 3; i++) ck_assert_int_eq(lpc_sha256(ul->u.a.items[i]->u.s.ptr, ul->u.a.items[i]->u.s.len, h[i]), LPC_OK);
    ck_assert_int_eq(lpm_utils_root((const uint8_t (*)[32])h, 3, root), LPM_OK);
    hex_eq(root, lp_field_str(u, "merkle_root"));
    /* legacy unprefixed proof: smaller bytes on the left; false for this vector */
    const lpc_value *lg = lp_field(sp, "legacy_unprefixed_proof"), *ll = lp_field(lg, "leaves");
    for (size_t i = 0; i < 3; i++) ck_assert_int_eq(lpc_sha256(ll->u.a.items[i]->u.s.ptr, 1, h[i]), LPC_OK);
    ck_assert_int_eq(lpm_utils_root((const uint8_t (*)[32])h, 3, root), LPM_OK);
    const lpc_value *pp = lp_field(lg, "prefixed_proof"), *up = lp_field(lg, "unprefixed_proof");
    const char *e1[2] = {pp->u.a.items[0]->u.s.ptr, pp->u.a.items[1]->u.s.ptr};
    const char *e2[2] = {up->u.a.items[0]->u.s.ptr, up->u.a.items[1]->u.s.ptr};
    ck_assert(lpm_utils_proof_verify(h[2], e1, 2, root));
    ck_assert_int_eq(lpm_utils_proof_verify(h[2], e2, 2, root), lpc_get(lg, "verify_unprefixed_result")->u.b);
    /* any prefix other than L is a right sibling */
    char x0[80];
    snprintf(x0, sizeof x0, "X:%s", e1[0] + 2);
    const char *e3[2] = {x0, e1[1]};
    ck_assert(lpm_utils_proof_verify(h[2], e3, 2, root));
    /* the level-1 sibling moved to the right: fails (the level-0 one is c itself, either side) */
    char r1[80];
    snprintf(r1, sizeof r1, "R:%s", e1[1] + 2);
    const char *e4[2] = {e1[0], r1};
    ck_assert(!lpm_utils_proof_verify(h[2], e4, 2, root));
    lpc_free(d);
}
END_TEST

/* ---------- checkpoints end to end ---------- */

static lpm_checkpoint parse_ok(const uint8_t *buf, size_t len)
{
    lpm_checkpoint cp;
    ck_assert_int_eq(lpm_checkpoint_parse(buf, len, &cp), LPM_OK);
    return cp;
}

static lpm_checkpoint parse_str(const lpc_value *s)
{
    return parse_ok((const uint8_t *)s->u.s.ptr, s->u.s.len);
}

/* Runs §7.3 on a signed checkpoint and compares with the vector's walk. */
static void full_walk(lpm_checkpoint *cp, const lpc_value *walk, const lpc_value *proofs, lpm_era era)
{
    uint8_t key[32], d[32];
    unhex32(HDR_KEY, key);
    ck_assert_int_eq(lpm_checkpoint_header_digest(cp, d), LPM_OK);
    hex_eq(d, lp_field_str(walk, "header_sha256"));
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(cp->header_v, LPC_PROFILE_DS_A, &b), LPC_OK);
    ck_assert_uint_eq(b.len, lp_field(walk, "header_signing_json")->u.s.len);
    ck_assert(!memcmp(b.ptr, lp_field_str(walk, "header_signing_json"), b.len));
    lpc_buf_free(&b);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(cp, key), LPM_OK);
    /* compact separators give another digest, over which the signature fails (§4.3 item 2) */
    ck_assert_int_eq(lpm_hash_profile(cp->header_v, LPC_PROFILE_CS_A, d), LPM_OK);
    ck_assert(sodium_init() >= 0);
    ck_assert_int_ne(crypto_sign_verify_detached(cp->signature, d, 32, key), 0);
    ck_assert(lpc_get(walk, "signature_valid_if_compact_separators_used")->u.b == 0);
    /* wrong key: the event-signing key is not the header key (§5.4) */
    unhex32(EVT_KEY, key);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(cp, key), LPM_ERR_SIGNATURE_INVALID);
    ck_assert_int_eq(lpm_checkpoint_decode_events(cp), LPM_OK);
    ck_assert_int_eq(cp->era, era);
    ck_assert_uint_eq(cp->n_events, (size_t)lp_field_i64(walk, "events_count"));
    ck_assert_int_eq(lpm_checkpoint_check_count(cp), LPM_OK);
    size_t bad;
    ck_assert_int_eq(lpm_checkpoint_check_sequence(cp, &bad), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(cp), LPM_OK);
    const lpc_value *lh = lp_field(walk, "leaf_hashes");
    for (size_t i = 0; i < cp->n_events; i++) hex_eq(cp->leaves[i], lh->u.a.items[i]->u.s.ptr);
    hex_eq(lpm_tree_root(&cp->tree), lp_field_str(walk, "recomputed_root"));
    ck_assert_int_eq(lpm_checkpoint_check_root(cp), LPM_OK);
    int present = 0;
    ck_assert_int_eq(lpm_checkpoint_check_tree_levels(cp, &present), LPM_OK);
    ck_assert(present);
    for (size_t i = 0; i < cp->n_events; i++) {
        lpm_step st[LPM_MAX_DEPTH];
        size_t ns;
        ck_assert_int_eq(lpm_tree_proof(&cp->tree, i, st, &ns), LPM_OK);
        const lpc_value *want = proofs->u.a.items[i];
        ck_assert_uint_eq(ns, want->u.a.n);
        for (size_t s = 0; s < ns; s++) {
            hex_eq(st[s].sibling, lp_field_str(want->u.a.items[s], "sibling"));
            ck_assert_str_eq(lp_field_str(want->u.a.items[s], "position"), st[s].left ? "left" : "right");
        }
    }
    if (era == LPM_ERA_D) ck_assert_int_eq(lpm_checkpoint_check_envelopes(cp, 2, &bad), LPM_OK);
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
    lpm_checkpoint cp = parse_ok(raw, len);
    ck_assert_int_eq(cp.encoding, LPM_ENC_V1);
    ck_assert_int_eq(cp.header.number, 0);
    ck_assert(!cp.header.has_prev_root);
    full_walk(&cp, lp_field(d, "verification_walk"), lp_field(d, "inclusion_proofs"), LPM_ERA_A);
    /* lead ids (§3.3: payload.lead_id and payload.validations[].lead_id) */
    const lpc_value *idx = lp_field(d, "lead_id_index");
    for (size_t k = 0; k < idx->u.o.n; k++) {
        size_t *got, n;
        ck_assert_int_eq(lpm_checkpoint_find_lead(&cp, idx->u.o.items[k].key, idx->u.o.items[k].klen, &got, &n), LPM_OK);
        const lpc_value *want = idx->u.o.items[k].val;
        ck_assert_uint_eq(n, want->u.a.n);
        for (size_t i = 0; i < n; i++) {
            int64_t w;
            ck_assert(lpc_int_i64(want->u.a.items[i], &w));
            ck_assert_int_eq((int64_t)got[i], w);
        }
        free(got);
    }
    size_t *got, n;
    ck_assert_int_eq(lpm_checkpoint_find_lead(&cp, "00000000-0000-0000-0000-000000000000", 36, &got, &n), LPM_OK);
    ck_assert_uint_eq(n, 0);
    free(got);
    lpm_checkpoint_free(&cp);
    /* second checkpoint: chained, odd count */
    const lpc_value *sc = lp_field(d, "second_checkpoint");
    cp = parse_str(lp_field(sc, "arweave_payload_text"));
    full_walk(&cp, lp_field(sc, "verification_walk"), lp_field(sc, "inclusion_proofs"), LPM_ERA_A);
    ck_assert(cp.header.has_prev_root);
    ck_assert_str_eq(cp.header.prev_root, lp_field_str(lp_field(lp_field(d, "checkpoint_rpc_result"), "header"), "merkle_root"));
    lpm_checkpoint_free(&cp);
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
    lpm_checkpoint cp = parse_ok(raw, len);
    ck_assert_int_eq(cp.encoding, LPM_ENC_CURRENT);
    full_walk(&cp, lp_field(d, "verification_walk"), lp_field(d, "inclusion_proofs"), LPM_ERA_D);
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
    ck_assert_int_eq(lpm_checkpoint_find_lead(&cp, lead, strlen(lead), &got, &ng), LPM_OK);
    ck_assert_uint_eq(ng, nw);
    ck_assert_uint_eq(got[0], want[0]);
    free(got);
    /* a lead id only at the top level of a record is not a §3.3 location */
    ck_assert_int_eq(lpm_checkpoint_find_lead(&cp, "ENCLAVE_RESTART", 15, &got, &ng), LPM_OK);
    ck_assert_uint_eq(ng, 0);
    free(got);
    lpm_checkpoint_free(&cp);
    /* the base64url body of /tx/<id>/data gives the same checkpoint */
    cp = parse_str(lp_field(d, "arweave_tx_data_base64url"));
    ck_assert_int_eq(cp.encoding, LPM_ENC_CURRENT);
    full_walk(&cp, lp_field(d, "verification_walk"), lp_field(d, "inclusion_proofs"), LPM_ERA_D);
    lpm_checkpoint_free(&cp);
    const lpc_value *sc = lp_field(d, "second_checkpoint");
    cp = parse_str(lp_field(sc, "arweave_payload_text"));
    full_walk(&cp, lp_field(sc, "verification_walk"), lp_field(sc, "inclusion_proofs"), LPM_ERA_D);
    ck_assert_str_eq(cp.header.prev_root, lp_field_str(lp_field(lp_field(d, "checkpoint_rpc_result"), "header"), "merkle_root"));
    lpm_checkpoint_free(&cp);
    lpc_free(d);
    free(raw);
}
END_TEST

START_TEST(empty_host_checkpoint)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    const lpc_value *e = lp_field(d, "empty_host_checkpoint");
    lpm_checkpoint cp = parse_str(lp_field(e, "arweave_payload_text"));
    ck_assert(cp.unsigned_empty);
    ck_assert_int_eq(cp.era, LPM_ERA_EMPTY);
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(&cp, key), LPM_ERR_EMPTY_CHECKPOINT);
    ck_assert_int_eq(lpm_checkpoint_check_empty(&cp), LPM_ERR_EMPTY_CHECKPOINT);
    ck_assert_uint_eq(cp.n_events, 0);
    ck_assert_int_eq(lpm_checkpoint_build_tree(&cp), LPM_ERR_EMPTY_TREE);
    lpm_checkpoint_free(&cp);
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
    lpm_checkpoint cp;
    ck_assert_int_eq(lpm_checkpoint_parse(payload->ptr, payload->len, &cp), LPM_OK);
    lpm_err e = lpm_checkpoint_decode_events(&cp);
    lpm_checkpoint_free(&cp);
    return e;
}

START_TEST(hostile_gzip_and_base64)
{
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json");
    lpc_value *doc = NULL;
    const lpc_value *t = lp_field(lp_field(d, "second_checkpoint"), "arweave_payload_text");
    ck_assert_int_eq(lpc_parse((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
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
    ck_assert_int_eq(lpc_parse((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
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
    lpm_checkpoint cp;
    ck_assert_int_eq(lpm_checkpoint_parse(big, LPM_MAX_PAYLOAD + 1, &cp), LPM_ERR_INPUT_TOO_LARGE);
    lpm_checkpoint_free(&cp);
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
        ck_assert_int_eq(lpm_checkpoint_parse((const uint8_t *)bad[i], strlen(bad[i]), &cp), LPM_ERR_MALFORMED);
        lpm_checkpoint_free(&cp);
    }
    /* an "empty_checkpoint" that claims events or a root is not a consistent empty checkpoint */
    lpc_value *d = lp_load_json_vector("leadpoet/checkpoint_v1.json"), *doc = NULL;
    const lpc_value *t = lp_field(lp_field(d, "empty_host_checkpoint"), "arweave_payload_text");
    ck_assert_int_eq(lpc_parse((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
    lpc_value *h = NULL;
    ck_assert_int_eq(lpc_clone(lpc_get(doc, "header"), &h), LPC_OK);
    ck_assert_int_eq(lpc_object_set(h, "event_count", 11, lpc_new_int(1)), LPC_OK);
    lpc_buf p = {0};
    rebuild(doc, "header", h, &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_check_empty(&cp), LPM_ERR_INVALID_EMPTY_CHECKPOINT);
    lpm_checkpoint_free(&cp);
    /* empty_checkpoint whose gzip holds events */
    const char *one = "[{\"event_type\":\"X\"}]";
    lpc_buf g = {0};
    gzip_bytes((const uint8_t *)one, strlen(one), &g);
    p.len = 0;
    rebuild(doc, "events_compressed", b64_str(g.ptr, g.len), &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_check_empty(&cp), LPM_ERR_INVALID_EMPTY_CHECKPOINT);
    lpm_checkpoint_free(&cp);
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
    ck_assert_int_eq(lpc_parse((const uint8_t *)t->u.s.ptr, t->u.s.len, &doc, NULL), LPC_OK);
    uint8_t key[32];
    unhex32(HDR_KEY, key);
    lpc_buf p = {0};
    /* altered root: signature and root both fail */
    lpc_value *h = NULL;
    lpc_clone(lpc_get(doc, "header"), &h);
    lpc_object_set(h, "merkle_root", 11, lpc_new_str("1111111111111111111111111111111111111111111111111111111111111111", 64));
    rebuild(doc, "header", h, &p);
    lpm_checkpoint cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(&cp, key), LPM_ERR_SIGNATURE_INVALID);
    ck_assert_int_eq(lpm_checkpoint_decode_events(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_root(&cp), LPM_ERR_ROOT_MISMATCH);
    lpm_checkpoint_free(&cp);
    /* signature altered by one bit */
    char sig[129];
    memcpy(sig, lp_field_str(doc, "signature"), 129);
    sig[5] = sig[5] == '0' ? '1' : '0';
    p.len = 0;
    rebuild(doc, "signature", lpc_new_str(sig, 128), &p);
    cp = parse_ok(p.ptr, p.len);
    ck_assert_int_eq(lpm_checkpoint_verify_signature(&cp, key), LPM_ERR_SIGNATURE_INVALID);
    lpm_checkpoint_free(&cp);
    /* the odd-node collision: events [e0,e1,e2,e2] under the signed header of [e0,e1,e2]:
     * root and signature hold, event_count and sequence catch it */
    const lpc_value *ec = lp_field(doc, "events_compressed");
    lpc_buf gz = {0};
    lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz);
    uint8_t *txt;
    size_t tl;
    ck_assert_int_eq(lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &txt, &tl), LPM_OK);
    lpc_value *arr = NULL, *dup = NULL;
    ck_assert_int_eq(lpc_parse(txt, tl, &arr, NULL), LPC_OK);
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
    ck_assert_int_eq(lpm_checkpoint_verify_signature(&cp, key), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_decode_events(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_root(&cp), LPM_OK);  /* the collision */
    ck_assert_int_eq(lpm_checkpoint_check_count(&cp), LPM_ERR_EVENT_COUNT_MISMATCH);
    size_t bad;
    ck_assert_int_eq(lpm_checkpoint_check_sequence(&cp, &bad), LPM_ERR_SEQUENCE_GAP);
    ck_assert_uint_eq(bad, 3);
    lpm_checkpoint_free(&cp);
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
    ck_assert_int_eq(lpm_checkpoint_decode_events(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_count(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_sequence(&cp, &bad), LPM_ERR_SEQUENCE_GAP);
    ck_assert_uint_eq(bad, 1);
    ck_assert_int_eq(lpm_checkpoint_build_tree(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_check_root(&cp), LPM_ERR_ROOT_MISMATCH);
    ck_assert_int_eq(lpm_checkpoint_check_tree_levels(&cp, (int[]){0}), LPM_ERR_TREE_LEVELS_MISMATCH);
    lpm_checkpoint_free(&cp);
    lpc_buf_free(&et);
    lpc_buf_free(&g);
    lpc_buf_free(&gz);
    lpc_free(arr);
    lpc_buf_free(&p);
    lpc_free(doc);
    lpc_free(d);
}
END_TEST

/* Era D records whose envelope no longer matches. */
START_TEST(hostile_envelopes)
{
    size_t len;
    uint8_t *raw = lp_read_vector("leadpoet/checkpoint_current.arweave_payload.json", &len);
    lpm_checkpoint cp = parse_ok(raw, len);
    free(raw);
    ck_assert_int_eq(lpm_checkpoint_decode_events(&cp), LPM_OK);
    size_t bad;
    ck_assert_int_eq(lpm_checkpoint_check_envelopes(&cp, 1, &bad), LPM_OK);
    lpc_value *rec = cp.events->u.a.items[2];
    /* record payload_hash not matching the signed payload */
    const lpc_value *ph = lpc_get(rec, "payload_hash");
    char saved[65];
    memcpy(saved, ph->u.s.ptr, 65);
    lpc_object_set(rec, "payload_hash", 12, lpc_new_str("0000000000000000000000000000000000000000000000000000000000000000", 64));
    lpm_checkpoint_events_changed(&cp);
    ck_assert_int_eq(lpm_checkpoint_check_envelopes(&cp, 1, &bad), LPM_ERR_PAYLOAD_HASH_MISMATCH);
    ck_assert_uint_eq(bad, 2);
    lpc_object_set(rec, "payload_hash", 12, lpc_new_str(saved, 64));
    /* signed payload tampered: the entry's hash fails (payload_hash updated to hide it) */
    lpc_value *sle = (lpc_value *)lpc_get(rec, "signed_log_entry"), *se = (lpc_value *)lpc_get(sle, "signed_event");
    lpc_value *pl = (lpc_value *)lpc_get(se, "payload");
    lpc_object_set(pl, "tampered", 8, lpc_new_int(1));
    uint8_t h[32];
    char hx[65];
    lpm_hash_csa(pl, h);
    lpc_hex_encode(h, 32, hx);
    lpc_object_set(rec, "payload_hash", 12, lpc_new_str(hx, 64));
    lpm_checkpoint_events_changed(&cp);
    ck_assert_int_eq(lpm_checkpoint_check_envelopes(&cp, 2, &bad), LPM_ERR_EVENT_HASH_MISMATCH);
    ck_assert_uint_eq(bad, 2);
    lpm_checkpoint_free(&cp);
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
    ck_assert_int_eq(lpc_parse(raw, len, &doc, NULL), LPC_OK);
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
    ck_assert_int_eq(lpc_parse(txt, z.total_out, &arr, NULL), LPC_OK);
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
    ck_assert_int_eq(lpc_parse((const uint8_t *)pt->u.s.ptr, pt->u.s.len, &doc, NULL), LPC_OK);
    lpc_free(d);
    return doc;
}

/* The payload doc with events text t as its events_compressed, parsed (not decoded). */
static lpm_checkpoint checkpoint_with_events(const lpc_value *doc, const uint8_t *t, size_t tl)
{
    lpc_buf g = {0}, p = {0};
    gzip_bytes(t, tl, &g);
    rebuild(doc, "events_compressed", b64_str(g.ptr, g.len), &p);
    lpm_checkpoint cp = parse_ok(p.ptr, p.len);
    lpc_buf_free(&g);
    lpc_buf_free(&p);
    return cp;
}

/* Decodes events text t inside the v1 vector payload and compares with a serial
 * lpc_parse of the same text: same verdict, same records, same leaves (and, era C/D,
 * the same envelope verdict as the record-by-record lpm_log_entry_verify path). */
static void decode_like_serial(const lpc_value *doc, const uint8_t *t, size_t tl)
{
    lpm_checkpoint cp = checkpoint_with_events(doc, t, tl);
    lpm_err e = lpm_checkpoint_decode_events(&cp);
    lpc_value *arr = NULL;
    int ok = lpc_parse(t, tl, &arr, NULL) == LPC_OK && arr->type == LPC_ARRAY;
    for (size_t i = 0; ok && i < arr->u.a.n; i++) ok = arr->u.a.items[i]->type == LPC_OBJECT;
    ck_assert_int_eq(e, ok ? LPM_OK : LPM_ERR_EVENTS_JSON);
    if (ok) {
        ck_assert_uint_eq(cp.n_events, arr->u.a.n);
        if (cp.n_events) {
            ck_assert_int_eq(lpm_checkpoint_build_tree(&cp), LPM_OK);
            for (size_t i = 0; i < cp.n_events; i++) {
                uint8_t h[32];
                ck_assert_int_eq(lpm_hash_csa(arr->u.a.items[i], h), LPM_OK);
                ck_assert(!memcmp(h, cp.leaves[i], 32));
            }
            /* records kept as text: each as a tree, the sequence check and the lead search
             * give what the serially parsed records give */
            for (size_t i = 0; i < cp.n_events; i++) {
                const lpc_value *r = NULL;
                lpc_value *own = NULL;
                lpc_buf x = {0}, y = {0};
                ck_assert_int_eq(lpm_checkpoint_record(&cp, i, &r, &own), LPM_OK);
                ck_assert_int_eq(lpc_dump(r, LPC_PROFILE_CS_A, &x), LPC_OK);
                ck_assert_int_eq(lpc_dump(arr->u.a.items[i], LPC_PROFILE_CS_A, &y), LPC_OK);
                ck_assert_uint_eq(x.len, y.len);
                ck_assert(!memcmp(x.ptr, y.ptr, x.len));
                lpc_free(own);
                lpc_buf_free(&x);
                lpc_buf_free(&y);
            }
            for (int hv = 0; hv < 2; hv++) {  /* the payload's range, then 0..n-1 */
                if (hv) {
                    cp.header.seq_first = 0;
                    cp.header.seq_last = (int64_t)cp.n_events - 1;
                }
                size_t sb = 77, want_bad = 0;
                lpm_err want_seq = serial_sequence(&cp.header, arr, &want_bad);
                ck_assert_int_eq(lpm_checkpoint_check_sequence(&cp, &sb), want_seq);
                ck_assert_uint_eq(sb, want_bad);
            }
            for (size_t k = 0; k < sizeof k_lead_probe / sizeof *k_lead_probe; k++) {
                const char *id = k_lead_probe[k];
                size_t *ix = NULL, ni = 0, m = 0;
                ck_assert_int_eq(lpm_checkpoint_find_lead(&cp, id, strlen(id), &ix, &ni), LPM_OK);
                for (size_t i = 0; i < arr->u.a.n; i++)
                    if (lpm_record_has_lead(arr->u.a.items[i], id, strlen(id))) {
                        ck_assert_uint_lt(m, ni);
                        ck_assert_uint_eq(ix[m], i);
                        m++;
                    }
                ck_assert_uint_eq(m, ni);
                free(ix);
            }
            if (cp.era == LPM_ERA_D) {
                size_t b1 = 7, b2 = 9;
                lpm_err e1 = lpm_checkpoint_check_envelopes(&cp, 0, &b1);
                lpm_checkpoint_events_changed(&cp);
                lpm_err e2 = lpm_checkpoint_check_envelopes(&cp, 3, &b2);
                ck_assert_int_eq(e1, e2);
                ck_assert_uint_eq(b1, b2);
            }
        }
    }
    lpc_free(arr);
    lpm_checkpoint_free(&cp);
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
            lpm_checkpoint cp = checkpoint_with_events(doc, t.ptr, t.len);
            ck_assert_int_eq(lpm_checkpoint_decode_events(&cp), LPM_OK);
            ck_assert_int_eq(cp.era, LPM_ERA_D);
            size_t bad = 0;
            ck_assert_int_eq(lpm_checkpoint_check_envelopes(&cp, 0, &bad), LPM_ERR_PAYLOAD_HASH_MISMATCH);
            ck_assert_uint_eq(bad, 1000);
            lpm_checkpoint_free(&cp);
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
            lpm_checkpoint cp = checkpoint_with_events(doc, t.ptr, t.len);
            ck_assert_int_eq(lpm_checkpoint_decode_events(&cp), LPM_OK);
            ck_assert_int_eq(cp.decode_path, 2);
            lpm_checkpoint_free(&cp);
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
        list[i] = le;
        lpc_buf b = {0};
        lpc_dump(lp_field(le, "signed_event"), LPC_PROFILE_CS_A, &b);
        ck_assert(b.len == lp_field(e, "signed_event_canonical_json")->u.s.len &&
                  !memcmp(b.ptr, lp_field_str(e, "signed_event_canonical_json"), b.len));
        lpc_buf_free(&b);
        uint8_t h[32];
        lpm_hash_csa(lp_field(lp_field(le, "signed_event"), "payload"), h);
        hex_eq(h, lp_field_str(e, "payload_hash_compact_sorted"));
        ck_assert_int_eq(lpm_log_entry_verify(le, pk) == LPM_OK, lpc_get(e, "verify_log_entry_expected_pubkey")->u.b);
        ck_assert_int_eq(lpm_log_entry_verify(le, NULL) == LPM_OK, lpc_get(e, "verify_log_entry_no_pubkey")->u.b);
        /* the pin is a case-sensitive string */
        char up[65];
        for (int k = 0; k < 65; k++) up[k] = (char)((pk[k] >= 'a' && pk[k] <= 'f') ? pk[k] - 32 : pk[k]);
        ck_assert_int_eq(lpm_log_entry_verify(le, up), LPM_ERR_PUBKEY_MISMATCH);
    }
    size_t bad;
    ck_assert_int_eq(lpm_log_entries_verify(list, ent->u.a.n, pk, 3, &bad), LPM_OK);
    ck_assert_int_eq(lpm_log_chain_check(list, ent->u.a.n, &bad), LPM_OK);
    ck_assert(lpc_get(lp_field(d, "verify_hash_chain_continuity"), "all")->u.a.items[0]->u.b);
    /* entry 2 removed: chain broken at index 2 */
    const lpc_value *rm[8];
    for (size_t i = 0, j = 0; i < ent->u.a.n; i++) if (i != 2) rm[j++] = list[i];
    ck_assert_int_eq(lpm_log_chain_check(rm, ent->u.a.n - 1, &bad), LPM_ERR_CHAIN_BROKEN);
    ck_assert_uint_eq(bad, 2);
    ck_assert(!lpc_get(lp_field(d, "verify_hash_chain_continuity"), "with_index2_removed")->u.a.items[0]->u.b);
    /* swapped order: the chain breaks and the sequence goes backwards */
    const lpc_value *sw[8];
    memcpy(sw, list, sizeof(list[0]) * ent->u.a.n);
    sw[3] = list[4];
    sw[4] = list[3];
    ck_assert_int_eq(lpm_log_chain_check(sw, ent->u.a.n, &bad), LPM_ERR_CHAIN_BROKEN);
    ck_assert_uint_eq(bad, 3);
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
    lpm_checkpoint cp = parse_ok(raw, len);
    free(raw);
    ck_assert_int_eq(lpm_checkpoint_decode_events(&cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_build_tree(&cp), LPM_OK);
    uint8_t key[32], wrong[32];
    unhex32(HDR_KEY, key);
    unhex32(EVT_KEY, wrong);
    const char *lead = "0f0e0d0c-0000-4000-8000-000000000003";
    lpc_buf out = {0};
    ck_assert_int_eq(lpm_proof_write(&cp, 4, lead, strlen(lead), key, &out), LPM_OK);
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
    ck_assert_int_eq(lpc_parse(out.ptr, out.len, &doc, NULL), LPC_OK);
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
    lpm_checkpoint_free(&cp);
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
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(merkle_suite)
