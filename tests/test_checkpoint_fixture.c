/* The test-only checkpoint builder (tests/lp_checkpoint_fixture.h) proved against the
 * real verifier (merkle/lpm.h, lpm_checkpoint_verify) and the vectors:
 *   (a) the era C/D example (leadpoet/checkpoint_current.json): its own log entries,
 *       wrapped by the builder, give its records byte for byte, its leaves, tree_levels,
 *       root, header text, being Ed25519 its very signatures, and so the whole Arweave
 *       payload byte for byte (both checkpoints; the gzip bytes too under reference zlib);
 *   (b) the six signed entries of leadpoet-v2/weights_v2.json weight_submission_v2_events
 *       in a checkpoint every verifier check accepts, alone and as a chained pair;
 *   (c) negatives with the exact code of the check that must fail.
 * Spec leadpoet-formats.md §2-§7. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm.h"
#include "tests/lp_checkpoint_fixture.h"
#include "tests/lp_test.h"

static const char k_cur[] = "leadpoet/checkpoint_current.json";
static const char k_v2[] = "leadpoet-v2/weights_v2.json";

/* the checks lpm_checkpoint_verify runs on a signed era C/D checkpoint, in order (lpm.h) */
static const char *const k_names[] = {"header_signature", "events_decoded", "event_count", "sequence_range",
                                      "merkle_root",      "tree_levels",    "envelopes"};
#define N_NAMES (sizeof k_names / sizeof k_names[0])

static void keypair(const char *seed_hex, uint8_t pk[32], uint8_t sk[64])
{
    ck_assert(sodium_init() >= 0);
    size_t n;
    uint8_t *seed = lp_unhex(seed_hex, &n);
    ck_assert_uint_eq(n, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    free(seed);
}

static void pk_of(const char *hex, uint8_t pk[32])
{
    size_t n;
    uint8_t *b = lp_unhex(hex, &n);
    ck_assert_uint_eq(n, 32);
    memcpy(pk, b, 32);
    free(b);
}

/* A mutable deep copy of v. */
static lpc_value *clone_of(const lpc_value *v)
{
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    return c;
}

/* The log entries inside records (each record's signed_log_entry, cloned). */
static lpc_value *entries_of(const lpc_value *records)
{
    lpc_value *arr = lpc_new_array();
    for (size_t i = 0; i < records->u.a.n; i++) {
        lpc_value *c = NULL;
        ck_assert_int_eq(lpc_clone(lp_field(records->u.a.items[i], "signed_log_entry"), &c), LPC_OK);
        ck_assert_int_eq(lpc_array_append(arr, c), LPC_OK);
    }
    return arr;
}

static void dump_eq(const lpc_value *a, const lpc_value *b, lpc_profile p)
{
    lpc_buf x = {0}, y = {0};
    ck_assert_int_eq(lpc_dump(a, p, &x), LPC_OK);
    ck_assert_int_eq(lpc_dump(b, p, &y), LPC_OK);
    size_t i = 0;
    while (i < x.len && i < y.len && x.ptr[i] == y.ptr[i]) i++;
    size_t from = i > 40 ? i - 40 : 0;
    ck_assert_msg(i == x.len && i == y.len, "texts differ at byte %zu: ...%.80s... vs ...%.80s...", i,
                  (const char *)x.ptr + from, (const char *)y.ptr + from);
    lpc_buf_free(&x);
    lpc_buf_free(&y);
}

static void text_eq(const lpc_buf *b, const lpc_value *s)
{
    ck_assert_uint_eq(b->len, s->u.s.len);
    ck_assert(memcmp(b->ptr, s->u.s.ptr, b->len) == 0);
}

/* lpm_checkpoint_parse + lpm_checkpoint_verify of a payload; returns the verdict. */
static lp_code verify(const lpc_buf *payload, const uint8_t pk[32], lp_checks *out)
{
    lpm_checkpoint *cp = NULL;
    ck_assert_int_eq(lpm_checkpoint_parse(payload->ptr, payload->len, &cp), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_encoding(cp), LPM_ENC_CURRENT);
    lp_checks_init(out);
    lpm_sig_state st;
    lp_code v = lpm_checkpoint_verify(cp, pk, 0, out, &st);
    ck_assert_int_eq(lpm_checkpoint_era(cp), LPM_ERA_D);
    lpm_checkpoint_free(cp);
    return v;
}

static const lp_check *find(const lp_checks *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->items[i].name, name)) return &c->items[i];
    ck_abort_msg("check %s was not run", name);
    return NULL;
}

/* Every check of the era C/D run is present, in order, and passed. */
static void all_ok(const lp_checks *c)
{
    ck_assert_uint_eq(c->n, N_NAMES);
    for (size_t i = 0; i < N_NAMES; i++) {
        ck_assert_str_eq(c->items[i].name, k_names[i]);
        ck_assert_msg(c->items[i].ok && c->items[i].code == LP_CODE_OK, "%s: %s", c->items[i].name, c->items[i].detail);
    }
}

/* Only name failed (with code, at index when index != LP_NO_INDEX); the rest of the run passed. */
static void only_fails(const lp_checks *c, const char *name, lp_code code, size_t index)
{
    ck_assert_uint_eq(c->n, N_NAMES);
    for (size_t i = 0; i < N_NAMES; i++) {
        const lp_check *k = &c->items[i];
        ck_assert_str_eq(k->name, k_names[i]);
        if (strcmp(k->name, name)) {
            ck_assert_msg(k->ok, "%s: %s", k->name, k->detail);
            continue;
        }
        ck_assert(!k->ok);
        ck_assert_str_eq(lp_code_name(k->code), lp_code_name(code));
        if (index != LP_NO_INDEX) ck_assert_uint_eq(k->index, index);
    }
}

static void code_is(const lp_checks *c, const char *name, lp_code code)
{
    const lp_check *k = find(c, name);
    ck_assert_str_eq(lp_code_name(k->code), lp_code_name(code));
    ck_assert_int_eq(k->ok, code == LP_CODE_OK);
}

/* The parsed payload (read-only). */
static lpc_value *parse_payload(const lpc_buf *b)
{
    lpc_value *doc = NULL;
    ck_assert_int_eq(lpc_parse(b->ptr, b->len, &doc, NULL), LPC_OK);
    return doc;
}

/* events_compressed inflated. */
static void inflate_events(const lpc_value *doc, lpc_buf *txt)
{
    const lpc_value *ec = lp_field(doc, "events_compressed");
    lpc_buf gz = {0};
    ck_assert_int_eq(lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz), LPC_OK);
    /* §6: one gzip member, mtime 0, xfl 2 (level 9), OS 3, as the vector's generator wrote */
    static const uint8_t head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3};
    ck_assert_uint_ge(gz.len, 18);
    ck_assert(memcmp(gz.ptr, head, sizeof head) == 0);
    uint8_t *out = NULL;
    size_t n = 0;
    ck_assert_int_eq(lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &out, &n), LPM_OK);
    lpc_buf_append(txt, out, n);
    free(out);
    lpc_buf_free(&gz);
}

/* ---------- (a) the era C/D example rebuilt ---------- */

/* One checkpoint of the example (rpc = a checkpoint_rpc_result, walk = its verification_walk,
 * events_text = its DU-A events) rebuilt from its own entries with the record metadata it
 * carries; every derived value must equal the vector's. */
static void rebuild_example(const lpc_value *rpc, const lpc_value *walk, const lpc_value *events_text,
                            const char *gzip_b64, const char *payload_sha256, const char *prev_root,
                            const uint8_t sk[64], const uint8_t pk[32])
{
    const lpc_value *recs_v = lp_field(rpc, "events"), *hdr_v = lp_field(rpc, "header");
    size_t n = recs_v->u.a.n;
    ck_assert_uint_ge(n, 1);
    lpc_value *entries = entries_of(recs_v);
    const char **at = calloc(n, sizeof *at);
    for (size_t i = 0; i < n; i++) at[i] = lp_field_str(recs_v->u.a.items[i], "buffered_at");
    const lpc_value *tr = lp_field(hdr_v, "time_range");
    lpt_checkpoint_opts o = {
        .first_sequence = lp_field_i64(recs_v->u.a.items[0], "sequence"),
        .buffered_at = at,
        .time_start = lp_field_str(tr, "start"),
        .time_end = lp_field_str(tr, "end"),
        .code_hash = lp_field_str(hdr_v, "code_hash"),
        .attestation_hash = lp_field_str(hdr_v, "attestation_hash"),
    };
    /* records: byte for byte, in the enclave's key order (DU-A) and canonically (CS-A) */
    lpc_value *recs = NULL;
    ck_assert_int_eq(lpt_checkpoint_records(entries, &o, &recs), LPT_CP_OK);
    ck_assert_uint_eq(recs->u.a.n, n);
    for (size_t i = 0; i < n; i++) {
        dump_eq(recs->u.a.items[i], recs_v->u.a.items[i], LPC_PROFILE_DU_A);
        dump_eq(recs->u.a.items[i], recs_v->u.a.items[i], LPC_PROFILE_CS_A);
    }
    /* leaves, tree_levels and root */
    char root[65];
    lpc_value *levels = NULL;
    ck_assert_int_eq(lpt_checkpoint_tree(recs, root, &levels), LPT_CP_OK);
    ck_assert_str_eq(root, lp_field_str(hdr_v, "merkle_root"));
    ck_assert_str_eq(root, lp_field_str(walk, "recomputed_root"));
    dump_eq(levels, lp_field(rpc, "tree_levels"), LPC_PROFILE_CS_A);
    const lpc_value *lh = lp_field(walk, "leaf_hashes"), *l0 = lpc_at(levels, 0);
    ck_assert_uint_eq(l0->u.a.n, lh->u.a.n);
    for (size_t i = 0; i < n; i++) ck_assert_str_eq(l0->u.a.items[i]->u.s.ptr, lh->u.a.items[i]->u.s.ptr);
    /* header: same keys, same order, same signed text (§5.2) */
    lpc_value *hdr = NULL;
    ck_assert_int_eq(lpt_checkpoint_header(recs, lp_field_i64(hdr_v, "checkpoint_number"), prev_root, &o, &hdr),
                     LPT_CP_OK);
    dump_eq(hdr, hdr_v, LPC_PROFILE_DU_A);
    lpc_buf ds = {0};
    ck_assert_int_eq(lpc_dump(hdr, LPC_PROFILE_DS_A, &ds), LPC_OK);
    text_eq(&ds, lp_field(walk, "header_signing_json"));
    char hh[65];
    lpc_sha256_hex(ds.ptr, ds.len, hh);
    ck_assert_str_eq(hh, lp_field_str(walk, "header_sha256"));
    lpc_buf_free(&ds);
    /* the whole payload: Ed25519 is deterministic, so the signature is the vector's */
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_build_ex(entries, sk, lp_field_i64(hdr_v, "checkpoint_number"), prev_root, &o, &pay),
                     LPT_CP_OK);
    lpc_value *doc = parse_payload(&pay);
    ck_assert_str_eq(lp_field_str(doc, "signature"), lp_field_str(rpc, "signature"));
    dump_eq(lp_field(doc, "header"), hdr_v, LPC_PROFILE_DS_A);  /* the current payload is sorted (§7.1) */
    dump_eq(lp_field(doc, "tree_levels"), lp_field(rpc, "tree_levels"), LPC_PROFILE_CS_A);
    /* the gzip text is the vector's DU-A events text, byte for byte (§6) */
    lpc_buf txt = {0};
    inflate_events(doc, &txt);
    text_eq(&txt, events_text);
    lpc_buf_free(&txt);
    /* the whole Arweave payload is the vector's, byte for byte, once events_compressed holds
     * the vector's gzip bytes (gzip output depends on the zlib build, §6) */
    lpc_value *m = clone_of(doc);
    ck_assert_int_eq(lpc_object_set(m, "events_compressed", 17, lpc_new_str(gzip_b64, strlen(gzip_b64))), LPC_OK);
    lpc_buf mb = {0};
    ck_assert_int_eq(lpc_dump(m, LPC_PROFILE_CS_A, &mb), LPC_OK);
    char ph[65];
    lpc_sha256_hex(mb.ptr, mb.len, ph);
    ck_assert_str_eq(ph, payload_sha256);
    lpc_buf_free(&mb);
    lpc_free(m);
    /* and with the reference zlib (not zlib-ng) the gzip bytes themselves are Python's */
    if (!strstr(zlibVersion(), "zlib-ng")) {
        ck_assert_str_eq(lp_field_str(doc, "events_compressed"), gzip_b64);
        lpc_sha256_hex(pay.ptr, pay.len, ph);
        ck_assert_str_eq(ph, payload_sha256);
    }
    /* and the verifier accepts it under the header key */
    lp_checks c;
    ck_assert_int_eq(verify(&pay, pk, &c), LP_CODE_OK);
    all_ok(&c);
    lp_checks_free(&c);
    lpc_free(doc);
    lpc_buf_free(&pay);
    lpc_free(hdr);
    lpc_free(levels);
    lpc_free(recs);
    free(at);
    lpc_free(entries);
}

START_TEST(example_rebuilt_byte_for_byte)
{
    lpc_value *d = lp_load_json_vector(k_cur);
    uint8_t pk[32], sk[64];
    keypair(lp_field_str(d, "checkpoint_signer_seed_hex"), pk, sk);
    char pkhex[65];
    lpc_hex_encode(pk, 32, pkhex);
    ck_assert_str_eq(pkhex, lp_field_str(d, "checkpoint_signer_pubkey"));
    const lpc_value *rpc = lp_field(d, "checkpoint_rpc_result");
    rebuild_example(rpc, lp_field(d, "verification_walk"), lp_field(d, "events_json_uncompressed"),
                    lp_field_str(d, "events_gzip_b64"), lp_field_str(d, "arweave_payload_sha256"), NULL, sk, pk);
    /* the vector's payload file is that text */
    size_t flen;
    uint8_t *raw = lp_read_vector("leadpoet/checkpoint_current.arweave_payload.json", &flen);
    char fh[65];
    lpc_sha256_hex(raw, flen, fh);
    ck_assert_str_eq(fh, lp_field_str(d, "arweave_payload_sha256"));
    free(raw);
    /* the second checkpoint: number 1, sequence 5..7, chained to the first root (§5.3) */
    const lpc_value *sc = lp_field(d, "second_checkpoint"), *rpc2 = lp_field(sc, "checkpoint_rpc_result");
    const lpc_value *hdr2 = lp_field(rpc2, "header");
    ck_assert_str_eq(lp_field_str(hdr2, "prev_checkpoint_root"), lp_field_str(lp_field(rpc, "header"), "merkle_root"));
    /* its events text is not in the vector as text: the records' DU-A is */
    lpc_buf du = {0};
    ck_assert_int_eq(lpc_dump(lp_field(rpc2, "events"), LPC_PROFILE_DU_A, &du), LPC_OK);
    lpc_value *du_s = lpc_new_str((const char *)du.ptr, du.len);
    const lpc_value *text2 = lp_field(sc, "arweave_payload_text");
    char sha2[65];
    lpc_sha256_hex(text2->u.s.ptr, text2->u.s.len, sha2);
    rebuild_example(rpc2, lp_field(sc, "verification_walk"), du_s, lp_field_str(sc, "events_gzip_b64"), sha2,
                    lp_field_str(hdr2, "prev_checkpoint_root"), sk, pk);
    lpc_free(du_s);
    lpc_buf_free(&du);
    lpc_free(d);
}
END_TEST

/* The defaults: buffered_at = the entry's timestamp without its Z, sequence from 0, time_range
 * from the first and last buffered_at.  Records whose real buffered_at had no fraction
 * (sequence 0, 2, 4: "2026-07-20T10:00:00") come out identical to the example's; the others
 * (".123456") differ only there. */
START_TEST(example_entries_default_metadata)
{
    lpc_value *d = lp_load_json_vector(k_cur);
    uint8_t pk[32], sk[64];
    keypair(lp_field_str(d, "checkpoint_signer_seed_hex"), pk, sk);
    const lpc_value *rpc = lp_field(d, "checkpoint_rpc_result"), *recs_v = lp_field(rpc, "events");
    const lpc_value *lh = lp_field(lp_field(d, "verification_walk"), "leaf_hashes");
    lpc_value *entries = entries_of(recs_v), *recs = NULL, *levels = NULL;
    ck_assert_int_eq(lpt_checkpoint_records(entries, NULL, &recs), LPT_CP_OK);
    char root[65];
    ck_assert_int_eq(lpt_checkpoint_tree(recs, root, &levels), LPT_CP_OK);
    size_t same = 0;
    for (size_t i = 0; i < recs->u.a.n; i++) {
        const char *want_at = lp_field_str(recs_v->u.a.items[i], "buffered_at");
        int plain = strchr(want_at, '.') == NULL;
        ck_assert_int_eq(lp_field_i64(recs->u.a.items[i], "sequence"), lp_field_i64(recs_v->u.a.items[i], "sequence"));
        int eq = !strcmp(lpc_at(lpc_at(levels, 0), i)->u.s.ptr, lh->u.a.items[i]->u.s.ptr);
        ck_assert_int_eq(eq, plain);
        same += (size_t)eq;
        if (plain) dump_eq(recs->u.a.items[i], recs_v->u.a.items[i], LPC_PROFILE_DU_A);
    }
    ck_assert_uint_eq(same, 3);
    ck_assert_str_ne(root, lp_field_str(lp_field(rpc, "header"), "merkle_root"));
    /* the default header: time_range from buffered_at + "Z", fixed test hashes */
    lpc_value *hdr = NULL;
    ck_assert_int_eq(lpt_checkpoint_header(recs, 0, NULL, NULL, &hdr), LPT_CP_OK);
    ck_assert_str_eq(lp_field_str(lp_field(hdr, "time_range"), "start"), "2026-07-20T10:00:00Z");
    ck_assert_str_eq(lp_field_str(lp_field(hdr, "time_range"), "end"), "2026-07-20T10:00:04Z");
    ck_assert_str_eq(lp_field_str(hdr, "code_hash"), LPT_CP_CODE_HASH);
    ck_assert_str_eq(lp_field_str(hdr, "attestation_hash"), LPT_CP_ATTESTATION_HASH);
    ck_assert_int_eq(lpc_get(hdr, "prev_checkpoint_root")->type, LPC_NULL);
    ck_assert_int_eq(lp_field_i64(hdr, "event_count"), 5);
    /* same keys in the same order as the enclave's header */
    const lpc_value *hv = lp_field(rpc, "header");
    ck_assert_uint_eq(hdr->u.o.n, hv->u.o.n);
    for (size_t i = 0; i < hv->u.o.n; i++) ck_assert_str_eq(hdr->u.o.items[i].key, hv->u.o.items[i].key);
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_build(entries, sk, 0, NULL, &pay), LPT_CP_OK);
    lp_checks c;
    ck_assert_int_eq(verify(&pay, pk, &c), LP_CODE_OK);
    all_ok(&c);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    lpc_free(hdr);
    lpc_free(levels);
    lpc_free(recs);
    lpc_free(entries);
    lpc_free(d);
}
END_TEST

/* lpt_sign_entry reproduces the example's and the v2 vector's event hashes and signatures. */
START_TEST(sign_entry_reproduces_vectors)
{
    lpc_value *d = lp_load_json_vector(k_cur);
    uint8_t pk[32], sk[64];
    keypair(lp_field_str(d, "event_signer_seed_hex"), pk, sk);
    lpc_value *entries = entries_of(lp_field(lp_field(d, "checkpoint_rpc_result"), "events"));
    for (size_t i = 0; i < entries->u.a.n; i++) {
        const lpc_value *e = entries->u.a.items[i];
        lpc_value *c = clone_of(e);
        lpc_object_set(c, "event_hash", 10, lpc_new_str("", 0));
        lpc_object_set(c, "enclave_signature", 17, lpc_new_str("", 0));
        lpc_object_set(c, "enclave_pubkey", 14, lpc_new_str("", 0));
        ck_assert_int_eq(lpt_sign_entry(c, sk), LPT_CP_OK);
        dump_eq(c, e, LPC_PROFILE_DU_A);
        ck_assert_int_eq(lpm_log_entry_verify(c, lp_field_str(d, "event_signer_pubkey")), LPM_OK);
        lpc_free(c);
    }
    lpc_free(entries);
    lpc_free(d);
    lpc_value *v = lp_load_json_vector(k_v2);
    const lpc_value *key = lp_field(lp_field(v, "keys"), "v2_event_signer");
    keypair(lp_field_str(key, "seed_hex"), pk, sk);
    const lpc_value *ent = lp_field(lp_field(v, "weight_submission_v2_events"), "entries");
    for (size_t i = 0; i < ent->u.a.n; i++) {
        lpc_value *c = clone_of(ent->u.a.items[i]);
        ck_assert_int_eq(lpt_sign_entry(c, sk), LPT_CP_OK);
        dump_eq(c, ent->u.a.items[i], LPC_PROFILE_DU_A);
        lpc_free(c);
    }
    ck_assert_int_eq(lpt_sign_entry(NULL, sk), LPT_CP_EARG);
    lpc_value *o = lpc_new_object();
    ck_assert_int_eq(lpt_sign_entry(o, sk), LPT_CP_EARG);
    lpc_free(o);
    lpc_free(v);
}
END_TEST

/* ---------- (b) the v2 weight-submission entries ---------- */

typedef struct {
    lpc_value *v;
    const lpc_value *entries;   /* borrowed from v: six signed entries, not re-signed */
    uint8_t pk[32], sk[64];     /* keys.v2_event_signer */
} v2_fx;

static void v2_init(v2_fx *f)
{
    f->v = lp_load_json_vector(k_v2);
    const lpc_value *key = lp_field(lp_field(f->v, "keys"), "v2_event_signer");
    keypair(lp_field_str(key, "seed_hex"), f->pk, f->sk);
    char pkhex[65];
    lpc_hex_encode(f->pk, 32, pkhex);
    ck_assert_str_eq(pkhex, lp_field_str(key, "public_key_hex"));
    f->entries = lp_field(lp_field(f->v, "weight_submission_v2_events"), "entries");
    ck_assert_uint_eq(f->entries->u.a.n, 6);
}

START_TEST(v2_entries_verify)
{
    v2_fx f;
    v2_init(&f);
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_build(f.entries, f.sk, 0, NULL, &pay), LPT_CP_OK);
    lp_checks c;
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_OK);
    all_ok(&c);
    lp_checks_free(&c);
    /* the records carry the vector's event hashes and CS-A payload hashes (§3.2) */
    lpc_value *doc = parse_payload(&pay), *recs = NULL;
    lpc_buf txt = {0};
    inflate_events(doc, &txt);
    ck_assert_int_eq(lpc_parse(txt.ptr, txt.len, &recs, NULL), LPC_OK);
    ck_assert_uint_eq(recs->u.a.n, 6);
    const lpc_value *want = lp_field(lp_field(f.v, "weight_submission_v2_events"), "records");
    ck_assert_uint_eq(want->u.a.n, 5);
    for (size_t i = 0; i < 6; i++) {
        const lpc_value *r = recs->u.a.items[i];
        ck_assert_int_eq(lp_field_i64(r, "sequence"), (int64_t)i);
        dump_eq(lp_field(r, "signed_log_entry"), f.entries->u.a.items[i], LPC_PROFILE_DU_A);
        if (i == 0) continue;  /* records[] describes the five WEIGHT_SUBMISSION_V2 envelopes */
        const lpc_value *w = want->u.a.items[i - 1];
        dump_eq(lp_field(w, "log_entry"), f.entries->u.a.items[i], LPC_PROFILE_CS_A);
        ck_assert_str_eq(lp_field_str(r, "event_type"), "WEIGHT_SUBMISSION_V2");
        ck_assert_str_eq(lp_field_str(r, "event_hash"), lp_field_str(w, "event_hash"));
        ck_assert_str_eq(lp_field_str(r, "payload_hash"), lp_field_str(w, "payload_hash_cs_ascii"));
    }
    const lpc_value *h = lp_field(doc, "header");
    ck_assert_int_eq(lp_field_i64(h, "event_count"), 6);
    ck_assert_int_eq(lp_field_i64(lp_field(h, "sequence_range"), "first"), 0);
    ck_assert_int_eq(lp_field_i64(lp_field(h, "sequence_range"), "last"), 5);
    ck_assert_str_eq(lp_field_str(lp_field(h, "time_range"), "start"), "2026-08-23T07:42:03Z");
    ck_assert_str_eq(lp_field_str(lp_field(h, "time_range"), "end"), "2026-08-23T07:42:58Z");
    /* six leaves: levels 6, 3, 2, 1 (the odd 3rd node paired with itself, not stored) */
    const lpc_value *tl = lp_field(doc, "tree_levels");
    ck_assert_uint_eq(tl->u.a.n, 4);
    static const size_t widths[4] = {6, 3, 2, 1};
    for (size_t k = 0; k < 4; k++) ck_assert_uint_eq(lpc_at(tl, k)->u.a.n, widths[k]);
    ck_assert_str_eq(lpc_at(lpc_at(tl, 3), 0)->u.s.ptr, lp_field_str(h, "merkle_root"));
    lpc_free(recs);
    lpc_buf_free(&txt);
    lpc_free(doc);
    lpc_buf_free(&pay);
    lpc_free(f.v);
}
END_TEST

/* Two checkpoints of one boot: entries 0-2, then 3-5 at sequence 3 chained to the first root;
 * both verify and every §5.3 link holds. */
START_TEST(v2_entries_chained_pair)
{
    v2_fx f;
    v2_init(&f);
    lpc_value *a = lpc_new_array(), *b = lpc_new_array();
    for (size_t i = 0; i < 6; i++) {
        lpc_value *c = clone_of(f.entries->u.a.items[i]);
        ck_assert_int_eq(lpc_array_append(i < 3 ? a : b, c), LPC_OK);
    }
    lpc_value *ra = NULL;
    char root_a[65];
    ck_assert_int_eq(lpt_checkpoint_records(a, NULL, &ra), LPT_CP_OK);
    ck_assert_int_eq(lpt_checkpoint_tree(ra, root_a, NULL), LPT_CP_OK);
    lpc_buf pa = {0}, pb = {0};
    ck_assert_int_eq(lpt_checkpoint_build(a, f.sk, 4, NULL, &pa), LPT_CP_OK);
    lpt_checkpoint_opts o = {.first_sequence = 3};
    ck_assert_int_eq(lpt_checkpoint_build_ex(b, f.sk, 5, root_a, &o, &pb), LPT_CP_OK);
    lp_checks c;
    ck_assert_int_eq(verify(&pa, f.pk, &c), LP_CODE_OK);
    all_ok(&c);
    lp_checks_free(&c);
    /* the second alone: its first entry links to the last of the first checkpoint, which the
     * chain check does not see (it checks links within one checkpoint) */
    ck_assert_int_eq(verify(&pb, f.pk, &c), LP_CODE_OK);
    all_ok(&c);
    lp_checks_free(&c);
    lpm_checkpoint *ca = NULL, *cb = NULL;
    ck_assert_int_eq(lpm_checkpoint_parse(pa.ptr, pa.len, &ca), LPM_OK);
    ck_assert_int_eq(lpm_checkpoint_parse(pb.ptr, pb.len, &cb), LPM_OK);
    ck_assert_str_eq(lpm_checkpoint_header(ca)->merkle_root, root_a);
    lp_checks_init(&c);
    lpm_checkpoint_link_check(lpm_checkpoint_header(ca), 0, lpm_checkpoint_header(cb), 1, &c);
    ck_assert_uint_eq(c.n, 4);
    for (size_t i = 0; i < c.n; i++) ck_assert_msg(c.items[i].ok, "%s: %s", c.items[i].name, c.items[i].detail);
    lp_checks_free(&c);
    /* linked backwards, every link breaks */
    lp_checks_init(&c);
    lpm_checkpoint_link_check(lpm_checkpoint_header(cb), 1, lpm_checkpoint_header(ca), 2, &c);
    ck_assert_str_eq(lp_code_name(c.items[0].code), "CHAIN_BREAK");
    ck_assert_str_eq(lp_code_name(c.items[1].code), "NUMBER_GAP");
    ck_assert_str_eq(lp_code_name(c.items[2].code), "SEQUENCE_GAP");
    ck_assert_str_eq(lp_code_name(c.items[3].code), "TIME_ORDER");
    lp_checks_free(&c);
    lpm_checkpoint_free(ca);
    lpm_checkpoint_free(cb);
    lpc_buf_free(&pa);
    lpc_buf_free(&pb);
    lpc_free(ra);
    lpc_free(a);
    lpc_free(b);
    lpc_free(f.v);
}
END_TEST

/* ---------- (c) negatives ---------- */

START_TEST(wrong_header_key)
{
    v2_fx f;
    v2_init(&f);
    const lpc_value *wk = lp_field(lp_field(f.v, "keys"), "wrong_key");
    uint8_t wpk[32], wsk[64];
    keypair(lp_field_str(wk, "seed_hex"), wpk, wsk);
    pk_of(lp_field_str(wk, "public_key_hex"), wpk);
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_build(f.entries, f.sk, 0, NULL, &pay), LPT_CP_OK);
    lp_checks c;
    /* verified under another key */
    ck_assert_int_eq(verify(&pay, wpk, &c), LP_CODE_SIGNATURE_INVALID);
    only_fails(&c, "header_signature", LP_CODE_SIGNATURE_INVALID, LP_NO_INDEX);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    /* signed by another key, verified under the right one */
    ck_assert_int_eq(lpt_checkpoint_build(f.entries, wsk, 0, NULL, &pay), LPT_CP_OK);
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_SIGNATURE_INVALID);
    only_fails(&c, "header_signature", LP_CODE_SIGNATURE_INVALID, LP_NO_INDEX);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    lpc_free(f.v);
}
END_TEST

/* An entry's payload edited and not re-signed, before wrapping: the record's payload_hash
 * follows the edit, the signed event_hash does not (EVENT_HASH_MISMATCH at that record). */
START_TEST(payload_edited_before_wrapping)
{
    v2_fx f;
    v2_init(&f);
    lpc_value *ents = clone_of(f.entries);
    lpc_value *pl = (lpc_value *)lpc_get(lpc_get(ents->u.a.items[3], "signed_event"), "payload");
    ck_assert_int_eq(lpc_object_set(pl, "weights_hash", 12, lpc_new_str("00", 2)), LPC_OK);
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_build(ents, f.sk, 0, NULL, &pay), LPT_CP_OK);
    lp_checks c;
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_EVENT_HASH_MISMATCH);
    only_fails(&c, "envelopes", LP_CODE_EVENT_HASH_MISMATCH, 3);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    /* the same edit re-signed with the right key, but without relinking the next entry:
     * the signature holds and the chain breaks at record 4 */
    ck_assert_int_eq(lpt_sign_entry(ents->u.a.items[3], f.sk), LPT_CP_OK);
    ck_assert_int_eq(lpt_checkpoint_build(ents, f.sk, 0, NULL, &pay), LPT_CP_OK);
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_CHAIN_BROKEN);
    only_fails(&c, "envelopes", LP_CODE_CHAIN_BROKEN, 4);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    /* re-signed by another key: the signature fails */
    const lpc_value *wk = lp_field(lp_field(f.v, "keys"), "wrong_key");
    uint8_t wpk[32], wsk[64];
    keypair(lp_field_str(wk, "seed_hex"), wpk, wsk);
    lpc_value *e2 = clone_of(f.entries);
    ck_assert_int_eq(lpt_sign_entry(e2->u.a.items[2], wsk), LPT_CP_OK);
    /* keep the event signer's pubkey on the entry: the Ed25519 check must fail on its own */
    lpc_object_set(e2->u.a.items[2], "enclave_pubkey", 14,
                   lpc_new_str(lp_field_str(f.entries->u.a.items[2], "enclave_pubkey"), 64));
    ck_assert_int_eq(lpt_checkpoint_build(e2, f.sk, 0, NULL, &pay), LPT_CP_OK);
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_EVENT_SIGNATURE_INVALID);
    only_fails(&c, "envelopes", LP_CODE_EVENT_SIGNATURE_INVALID, 2);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    lpc_free(e2);
    lpc_free(ents);
    lpc_free(f.v);
}
END_TEST

/* A record's payload edited after wrapping (its payload_hash is stale), header rebuilt and
 * re-signed over the edited records: PAYLOAD_HASH_MISMATCH, the first envelope link checked. */
START_TEST(payload_edited_after_wrapping)
{
    v2_fx f;
    v2_init(&f);
    lpc_value *recs = NULL, *hdr = NULL;
    ck_assert_int_eq(lpt_checkpoint_records(f.entries, NULL, &recs), LPT_CP_OK);
    lpc_value *pl = (lpc_value *)lpc_get(lpc_get(lpc_get(recs->u.a.items[5], "signed_log_entry"), "signed_event"), "payload");
    ck_assert_int_eq(lpc_object_set(pl, "block", 5, lpc_new_int(8772931)), LPC_OK);
    ck_assert_int_eq(lpt_checkpoint_header(recs, 0, NULL, NULL, &hdr), LPT_CP_OK);
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_assemble(recs, hdr, f.sk, &pay), LPT_CP_OK);
    lp_checks c;
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_PAYLOAD_HASH_MISMATCH);
    only_fails(&c, "envelopes", LP_CODE_PAYLOAD_HASH_MISMATCH, 5);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    /* a record's event_type that is not its signed event's */
    lpc_free(recs);
    lpc_free(hdr);
    ck_assert_int_eq(lpt_checkpoint_records(f.entries, NULL, &recs), LPT_CP_OK);
    ck_assert_int_eq(lpc_object_set(recs->u.a.items[1], "event_type", 10, lpc_new_str("EPOCH_AUDIT", 11)), LPC_OK);
    ck_assert_int_eq(lpt_checkpoint_header(recs, 0, NULL, NULL, &hdr), LPT_CP_OK);
    ck_assert_int_eq(lpt_checkpoint_assemble(recs, hdr, f.sk, &pay), LPT_CP_OK);
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_PAYLOAD_HASH_MISMATCH);
    only_fails(&c, "envelopes", LP_CODE_PAYLOAD_HASH_MISMATCH, 1);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    lpc_free(recs);
    lpc_free(hdr);
    lpc_free(f.v);
}
END_TEST

/* Record 2 dropped from the events, the header still over all six (signed): the count,
 * the range, the root and the entry chain all disagree, and the verdict is the count. */
START_TEST(record_dropped)
{
    v2_fx f;
    v2_init(&f);
    lpc_value *recs = NULL, *hdr = NULL;
    ck_assert_int_eq(lpt_checkpoint_records(f.entries, NULL, &recs), LPT_CP_OK);
    ck_assert_int_eq(lpt_checkpoint_header(recs, 0, NULL, NULL, &hdr), LPT_CP_OK);
    lpc_value *fewer = lpc_new_array();
    for (size_t i = 0; i < 6; i++)
        if (i != 2) ck_assert_int_eq(lpc_array_append(fewer, clone_of(recs->u.a.items[i])), LPC_OK);
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_assemble(fewer, hdr, f.sk, &pay), LPT_CP_OK);
    lp_checks c;
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_EVENT_COUNT_MISMATCH);
    ck_assert_uint_eq(c.n, N_NAMES);
    code_is(&c, "header_signature", LP_CODE_OK);
    code_is(&c, "events_decoded", LP_CODE_OK);
    code_is(&c, "event_count", LP_CODE_EVENT_COUNT_MISMATCH);
    code_is(&c, "sequence_range", LP_CODE_SEQUENCE_GAP);
    ck_assert_uint_eq(find(&c, "sequence_range")->index, 2);  /* record 2 now carries sequence 3 */
    code_is(&c, "merkle_root", LP_CODE_ROOT_MISMATCH);
    code_is(&c, "tree_levels", LP_CODE_OK);                   /* they describe the events uploaded */
    code_is(&c, "envelopes", LP_CODE_CHAIN_BROKEN);
    ck_assert_uint_eq(find(&c, "envelopes")->index, 2);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    /* the last record dropped: the range no longer spans the records (index = n_events) */
    lpc_value *first5 = lpc_new_array();
    for (size_t i = 0; i < 5; i++) ck_assert_int_eq(lpc_array_append(first5, clone_of(recs->u.a.items[i])), LPC_OK);
    ck_assert_int_eq(lpt_checkpoint_assemble(first5, hdr, f.sk, &pay), LPT_CP_OK);
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_EVENT_COUNT_MISMATCH);
    code_is(&c, "event_count", LP_CODE_EVENT_COUNT_MISMATCH);
    code_is(&c, "sequence_range", LP_CODE_SEQUENCE_GAP);
    ck_assert_uint_eq(find(&c, "sequence_range")->index, 5);
    code_is(&c, "merkle_root", LP_CODE_ROOT_MISMATCH);
    code_is(&c, "envelopes", LP_CODE_OK);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    /* record 2 dropped and the header honestly rebuilt over the five: only the chain tells */
    lpc_value *h5 = NULL;
    ck_assert_int_eq(lpt_checkpoint_header(fewer, 0, NULL, NULL, &h5), LPT_CP_OK);
    ck_assert_int_eq(lpt_checkpoint_assemble(fewer, h5, f.sk, &pay), LPT_CP_OK);
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_SEQUENCE_GAP);
    code_is(&c, "event_count", LP_CODE_OK);
    code_is(&c, "sequence_range", LP_CODE_SEQUENCE_GAP);     /* sequences 0,1,3,4,5 */
    code_is(&c, "merkle_root", LP_CODE_OK);
    code_is(&c, "envelopes", LP_CODE_CHAIN_BROKEN);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    lpc_free(h5);
    lpc_free(first5);
    lpc_free(fewer);
    lpc_free(hdr);
    lpc_free(recs);
    lpc_free(f.v);
}
END_TEST

/* The header's merkle_root changed and the header re-signed: only merkle_root fails. */
START_TEST(header_root_changed_resigned)
{
    v2_fx f;
    v2_init(&f);
    lpc_value *recs = NULL, *hdr = NULL;
    ck_assert_int_eq(lpt_checkpoint_records(f.entries, NULL, &recs), LPT_CP_OK);
    ck_assert_int_eq(lpt_checkpoint_header(recs, 0, NULL, NULL, &hdr), LPT_CP_OK);
    char root[65];
    memcpy(root, lp_field_str(hdr, "merkle_root"), 65);
    root[63] = root[63] == '0' ? '1' : '0';
    ck_assert_int_eq(lpc_object_set(hdr, "merkle_root", 11, lpc_new_str(root, 64)), LPC_OK);
    lpc_buf pay = {0};
    ck_assert_int_eq(lpt_checkpoint_assemble(recs, hdr, f.sk, &pay), LPT_CP_OK);
    lp_checks c;
    ck_assert_int_eq(verify(&pay, f.pk, &c), LP_CODE_ROOT_MISMATCH);
    only_fails(&c, "merkle_root", LP_CODE_ROOT_MISMATCH, LP_NO_INDEX);
    lp_checks_free(&c);
    lpc_buf_free(&pay);
    /* the same header edit without re-signing: the signature fails too, and comes first */
    lpc_value *good = NULL;
    ck_assert_int_eq(lpt_checkpoint_header(recs, 0, NULL, NULL, &good), LPT_CP_OK);
    ck_assert_int_eq(lpt_checkpoint_assemble(recs, good, f.sk, &pay), LPT_CP_OK);
    lpc_value *doc = NULL;
    ck_assert_int_eq(lpc_parse(pay.ptr, pay.len, &doc, NULL), LPC_OK);
    lpc_value *m = clone_of(doc);
    lpc_object_set((lpc_value *)lpc_get(m, "header"), "merkle_root", 11, lpc_new_str(root, 64));
    lpc_buf p2 = {0};
    ck_assert_int_eq(lpc_dump(m, LPC_PROFILE_CS_A, &p2), LPC_OK);
    ck_assert_int_eq(verify(&p2, f.pk, &c), LP_CODE_SIGNATURE_INVALID);
    code_is(&c, "header_signature", LP_CODE_SIGNATURE_INVALID);
    code_is(&c, "merkle_root", LP_CODE_ROOT_MISMATCH);
    lp_checks_free(&c);
    lpc_buf_free(&p2);
    lpc_free(m);
    lpc_free(doc);
    lpc_free(good);
    lpc_buf_free(&pay);
    lpc_free(hdr);
    lpc_free(recs);
    lpc_free(f.v);
}
END_TEST

/* The builder's own refusals. */
START_TEST(builder_refusals)
{
    v2_fx f;
    v2_init(&f);
    lpc_buf pay = {0};
    lpc_value *empty = lpc_new_array(), *bad = lpc_new_array(), *obj = lpc_new_object();
    ck_assert_int_eq(lpt_checkpoint_build(empty, f.sk, 0, NULL, &pay), LPT_CP_EARG);
    ck_assert_int_eq(lpt_checkpoint_build(NULL, f.sk, 0, NULL, &pay), LPT_CP_EARG);
    ck_assert_int_eq(lpt_checkpoint_build(obj, f.sk, 0, NULL, &pay), LPT_CP_EARG);
    ck_assert_int_eq(lpt_checkpoint_build(f.entries, NULL, 0, NULL, &pay), LPT_CP_EARG);
    lpc_value *e = clone_of(f.entries->u.a.items[0]);
    lpc_object_set(e, "event_hash", 10, lpc_new_int(1));
    ck_assert_int_eq(lpc_array_append(bad, e), LPC_OK);
    ck_assert_int_eq(lpt_checkpoint_build(bad, f.sk, 0, NULL, &pay), LPT_CP_ESHAPE);
    ck_assert_int_eq(lpc_array_append(bad, lpc_new_str("x", 1)), LPC_OK);
    lpc_object_set(bad->u.a.items[0], "event_hash", 10, lpc_new_str("ab", 2));
    ck_assert_int_eq(lpt_checkpoint_build(bad, f.sk, 0, NULL, &pay), LPT_CP_ESHAPE);
    lpt_checkpoint_opts o = {.first_sequence = INT64_MAX - 2};
    ck_assert_int_eq(lpt_checkpoint_build_ex(f.entries, f.sk, 0, NULL, &o, &pay), LPT_CP_EARG);
    ck_assert_uint_eq(pay.len, 0);
    lpc_value *rec = NULL;
    ck_assert_int_eq(lpt_envelope_record(f.entries->u.a.items[0], 0, NULL, &rec), LPT_CP_EARG);
    ck_assert_ptr_null(rec);
    lpc_free(obj);
    lpc_free(bad);
    lpc_free(empty);
    lpc_free(f.v);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("checkpoint_fixture");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, example_rebuilt_byte_for_byte);
    tcase_add_test(tc, example_entries_default_metadata);
    tcase_add_test(tc, sign_entry_reproduces_vectors);
    tcase_add_test(tc, v2_entries_verify);
    tcase_add_test(tc, v2_entries_chained_pair);
    tcase_add_test(tc, wrong_header_key);
    tcase_add_test(tc, payload_edited_before_wrapping);
    tcase_add_test(tc, payload_edited_after_wrapping);
    tcase_add_test(tc, record_dropped);
    tcase_add_test(tc, header_root_changed_resigned);
    tcase_add_test(tc, builder_refusals);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(suite)
