/* Benchmark: verifying inclusion in a large checkpoint, per era, beside the
 * same-run floors (issue 7 "Performance").
 *   - generator: a synthetic checkpoint of N events (default 100,000) for era A
 *     (legacy dicts, v1 DU-A payload) and era C/D (signed envelopes, CS-A payload),
 *     header signed with a fixed test seed; gzip level 6 (level 9 only changes time
 *     to build the fixture, not to verify it).
 *   - end to end: parse payload, header signature, base64+gunzip, events JSON,
 *     count, sequence, leaves + tree, root, tree_levels, envelopes (era C/D, over
 *     all cores), lead search and proof.
 *   - floors: gunzip of the same gzip; SHA-256 over the same leaf preimages; for
 *     era C/D the Ed25519 verification of every envelope divided over the cores.
 *   - tree building: leaves/s and MB/s beside raw SHA-256 over the same bytes.
 * Usage: bench_merkle [N]   (an era whose events JSON exceeds the parser cap
 * LPC_JSON_MAX_INPUT is generated with as many events as fit, and says so: at
 * ~0.7-0.9 kB per record, 100,000 events do not fit in 64 MiB). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "merkle/lp_merkle.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *m) { fprintf(stderr, "bench_merkle: %s\n", m); exit(1); }

static void app(lpc_buf *b, const char *s) { if (lpc_buf_append(b, s, strlen(s)) != LPC_OK) die("nomem"); }

static void gz(const uint8_t *p, size_t n, lpc_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) die("deflate");
    size_t cap = deflateBound(&z, n);
    uint8_t *o = malloc(cap);
    z.next_in = (Bytef *)p; z.avail_in = (uInt)n; z.next_out = o; z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) die("deflate");
    lpc_buf_append(out, o, z.total_out);
    deflateEnd(&z);
    free(o);
}

/* events JSON text (DU-A-like) for n records of era A (d = 0) or C/D (d = 1). */
static void gen_events(size_t n, int d, const uint8_t *esk, const char *epk, lpc_buf *out)
{
    char line[4096], se[2048], pl[512], prev[65] = "", eh[65], ph[65], sig[129];
    uint8_t h[32], s[64];
    app(out, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) app(out, ", ");
        if (!d) {
            snprintf(line, sizeof line,
                     "{\"event_type\": \"SUBMISSION\", \"actor_hotkey\": \"5FminerHotkey%06zu\", \"nonce\": \"00000000-0000-4000-8000-%012zu\", "
                     "\"ts\": \"2025-12-01T09:05:00.000001+00:00\", \"payload_hash\": \"%064zu\", \"build_id\": \"gateway\", "
                     "\"signature\": \"%0128zu\", \"payload\": {\"lead_id\": \"lead-%08zu\", \"lead_blob_hash\": \"%064zu\", "
                     "\"email_hash\": \"%064zu\"}, \"sequence\": %zu, \"buffered_at\": \"2025-12-01T09:05:00.%06zu\"}",
                     i % 1000, i, i, i, i, i, i, i, i % 1000000);
        } else {
            snprintf(pl, sizeof pl, "{\"block\":%zu,\"epoch_id\":%zu,\"lead_id\":\"lead-%08zu\",\"netuid\":71}", 8000000 + i, 24000 + i / 100, i);
            if (i == 0) snprintf(se, sizeof se, "{\"boot_id\":\"11111111-2222-4333-8444-555555555555\",\"event_type\":\"ENCLAVE_RESTART\",\"monotonic_seq\":1,\"payload\":%s,\"prev_event_hash\":null,\"timestamp\":\"2026-07-20T10:00:00Z\"}", pl);
            else snprintf(se, sizeof se, "{\"boot_id\":\"11111111-2222-4333-8444-555555555555\",\"event_type\":\"WEIGHT_SUBMISSION_V2\",\"monotonic_seq\":%zu,\"payload\":%s,\"prev_event_hash\":\"%s\",\"timestamp\":\"2026-07-20T10:00:01Z\"}", i + 1, pl, prev);
            lpc_sha256(se, strlen(se), h);
            lpc_hex_encode(h, 32, eh);
            crypto_sign_detached(s, NULL, h, 32, esk);
            lpc_hex_encode(s, 64, sig);
            lpc_sha256(pl, strlen(pl), h);
            lpc_hex_encode(h, 32, ph);
            snprintf(line, sizeof line,
                     "{\"event_type\": \"%s\", \"event_hash\": \"%s\", \"payload_hash\": \"%s\", \"signed_log_entry\": {\"signed_event\": %s, "
                     "\"event_hash\": \"%s\", \"enclave_pubkey\": \"%s\", \"enclave_signature\": \"%s\"}, \"sequence\": %zu, \"buffered_at\": \"2026-07-20T10:00:01.%06zu\"}",
                     i ? "WEIGHT_SUBMISSION_V2" : "ENCLAVE_RESTART", eh, ph, se, eh, epk, sig, i, i % 1000000);
            memcpy(prev, eh, 65);
        }
        app(out, line);
    }
    app(out, "]");
}

/* Builds the whole Arweave payload; returns its bytes in out. */
static void gen_payload(size_t *np, int d, lpc_buf *out, lpc_buf *gzb)
{
    size_t n = *np;
    uint8_t hpk[32], hsk[64], epk[32], esk[64], seed[32];
    lpc_sha256("leadpoet test checkpoint signer seed", 36, seed);
    crypto_sign_seed_keypair(hpk, hsk, seed);
    lpc_sha256("leadpoet test event signer seed", 31, seed);
    crypto_sign_seed_keypair(epk, esk, seed);
    char epk_hex[65];
    lpc_hex_encode(epk, 32, epk_hex);
    lpc_buf ev = {0};
    gen_events(n, d, esk, epk_hex, &ev);
    if (ev.len > LPC_JSON_MAX_INPUT) {
        /* the events JSON must fit the parser cap (LPC_JSON_MAX_INPUT = LPM_MAX_INFLATED) */
        size_t fit = (size_t)((double)n * (LPC_JSON_MAX_INPUT * 0.98) / (double)ev.len);
        printf("(era %s: %zu events make %zu bytes of events JSON, over the %zu-byte cap; using %zu)\n", d ? "C/D" : "A", n,
               ev.len, (size_t)LPC_JSON_MAX_INPUT, fit);
        n = *np = fit;
        ev.len = 0;
        gen_events(n, d, esk, epk_hex, &ev);
    }
    gz(ev.ptr, ev.len, gzb);
    /* root and levels with the library (the fixture's header must carry them) */
    lpc_value *arr = NULL;
    lpc_err pe = lpc_parse(ev.ptr, ev.len, &arr, NULL);
    if (pe != LPC_OK) { fprintf(stderr, "events JSON of %zu bytes: %s\n", ev.len, lpc_strerror(pe)); die("events parse"); }
    uint8_t (*lv)[32] = malloc(n * 32);
    for (size_t i = 0; i < n; i++) lpm_hash_csa(arr->u.a.items[i], lv[i]);
    lpc_free(arr);
    lpc_buf_free(&ev);
    lpm_tree t;
    if (lpm_tree_build((const uint8_t (*)[32])lv, n, &t) != LPM_OK) die("tree");
    free(lv);
    char root[65], hx[65];
    lpc_hex_encode(lpm_tree_root(&t), 32, root);
    char hdr[1024];
    snprintf(hdr, sizeof hdr,
             "{\"checkpoint_version\": 1, \"checkpoint_number\": 0, \"time_range\": {\"start\": \"2026-07-20T09:00:00Z\", \"end\": \"2026-07-20T12:00:00Z\"}, "
             "\"event_count\": %zu, \"sequence_range\": {\"first\": 0, \"last\": %zu}, \"merkle_root\": \"%s\", \"prev_checkpoint_root\": null, "
             "\"code_hash\": \"%064d\", \"attestation_hash\": \"%064d\"}", n, n - 1, root, 0, 0);
    lpc_value *hv = NULL;
    if (lpc_parse((const uint8_t *)hdr, strlen(hdr), &hv, NULL) != LPC_OK) die("hdr");
    lpc_buf ds = {0};
    lpc_dump(hv, LPC_PROFILE_DS_A, &ds);
    uint8_t dg[32], sg[64];
    lpc_sha256(ds.ptr, ds.len, dg);
    crypto_sign_detached(sg, NULL, dg, 32, hsk);
    char sig[129];
    lpc_hex_encode(sg, 64, sig);
    lpc_buf b64 = {0};
    lpc_b64_encode(gzb->ptr, gzb->len, LPC_B64_STD, &b64);
    lpc_buf levels = {0};
    app(&levels, "[");
    for (size_t k = 0; k < t.n_levels; k++) {
        app(&levels, k ? ", [" : "[");
        for (size_t i = 0; i < t.level_len[k]; i++) {
            lpc_hex_encode(t.nodes[t.level_off[k] + i], 32, hx);
            app(&levels, i ? ", \"" : "\"");
            app(&levels, hx);
            app(&levels, "\"");
        }
        app(&levels, "]");
    }
    app(&levels, "]");
    lpm_tree_free(&t);
    /* the v1 form; era C/D is re-serialised CS-A (sorted compact) like the current uploader */
    app(out, "{\"header\": ");
    app(out, hdr);
    app(out, ", \"signature\": \"");
    app(out, sig);
    app(out, "\", \"events_compressed\": \"");
    lpc_buf_append(out, b64.ptr, b64.len);
    app(out, "\", \"tree_levels\": ");
    lpc_buf_append(out, levels.ptr, levels.len);
    app(out, "}");
    if (d) {
        lpc_value *doc = NULL;
        if (lpc_parse(out->ptr, out->len, &doc, NULL) != LPC_OK) die("doc");
        out->len = 0;
        lpc_dump(doc, LPC_PROFILE_CS_A, out);
        lpc_free(doc);
    }
    lpc_free(hv);
    lpc_buf_free(&ds);
    lpc_buf_free(&b64);
    lpc_buf_free(&levels);
}

static void run(size_t n, int d)
{
    unsigned cores = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    lpc_buf payload = {0}, gzb = {0};
    double t0 = now();
    gen_payload(&n, d, &payload, &gzb);
    printf("era %s: %zu events, payload %.1f MB, gzip %.1f MB (generated in %.1f s)\n", d ? "C/D" : "A", n,
           payload.len / 1e6, gzb.len / 1e6, now() - t0);
    uint8_t key[32], seed[32], sk[64];
    lpc_sha256("leadpoet test checkpoint signer seed", 36, seed);
    crypto_sign_seed_keypair(key, sk, seed);

    /* end to end */
    t0 = now();
    lpm_checkpoint cp;
    size_t bad, *idx = NULL, nm = 0;
    int present;
    double ts[8];
    if (lpm_checkpoint_parse(payload.ptr, payload.len, &cp) != LPM_OK) die("parse");
    ts[0] = now();
    if (lpm_checkpoint_verify_signature(&cp, key) != LPM_OK) die("signature");
    if (lpm_checkpoint_decode_events(&cp) != LPM_OK) die("decode");
    ts[1] = now();
    if (lpm_checkpoint_check_count(&cp) != LPM_OK || lpm_checkpoint_check_sequence(&cp, &bad) != LPM_OK) die("count/seq");
    double tt0 = now();
    if (lpm_checkpoint_build_tree(&cp) != LPM_OK || lpm_checkpoint_check_root(&cp) != LPM_OK) die("root");
    double t_tree = now() - tt0;
    if (lpm_checkpoint_check_tree_levels(&cp, &present) != LPM_OK || !present) die("levels");
    ts[2] = now();
    if (d && lpm_checkpoint_check_envelopes(&cp, 0, &bad) != LPM_OK) die("envelopes");
    ts[3] = now();
    char lead[32];
    snprintf(lead, sizeof lead, "lead-%08zu", n / 2);
    if (lpm_checkpoint_find_lead(&cp, lead, strlen(lead), &idx, &nm) != LPM_OK || nm != 1) die("lead");
    lpm_step st[LPM_MAX_DEPTH];
    size_t ns;
    if (lpm_tree_proof(&cp.tree, idx[0], st, &ns) != LPM_OK ||
        lpm_proof_verify(cp.leaves[idx[0]], st, ns, lpm_tree_root(&cp.tree)) != LPM_OK) die("proof");
    double t_e2e = now() - t0;
    printf("  stages: payload parse %.3f s, signature+base64+gunzip+events parse %.3f s, count+sequence+tree+levels %.3f s, "
           "envelopes %.3f s, search+proof %.3f s\n", ts[0] - t0, ts[1] - ts[0], ts[2] - ts[1], ts[3] - ts[2], t0 + t_e2e - ts[3]);
    free(idx);

    /* floors over the same bytes */
    uint8_t *inf;
    size_t il;
    t0 = now();
    if (lpm_gunzip(gzb.ptr, gzb.len, LPM_MAX_INFLATED, &inf, &il) != LPM_OK) die("gunzip");
    double t_gz = now() - t0;
    free(inf);
    lpc_buf pre = {0};
    size_t *off = malloc((n + 1) * sizeof *off);
    for (size_t i = 0; i < n; i++) { off[i] = pre.len; lpc_dump(cp.events->u.a.items[i], LPC_PROFILE_CS_A, &pre); }
    off[n] = pre.len;
    uint8_t h[32];
    t0 = now();
    for (size_t i = 0; i < n; i++) lpc_sha256(pre.ptr + off[i], off[i + 1] - off[i], h);
    double t_sha = now() - t0;
    double t_ed = 0;
    if (d) {
        const lpc_value **ents = malloc(n * sizeof *ents);
        for (size_t i = 0; i < n; i++) ents[i] = lpc_get(cp.events->u.a.items[i], "signed_log_entry");
        t0 = now();
        /* the floor: raw Ed25519 verify over the 32 digest bytes, one core, divided by cores */
        for (size_t i = 0; i < n; i++) {
            uint8_t dg[32], sg[64], pk[32];
            size_t l;
            const lpc_value *eh = lpc_get(ents[i], "event_hash"), *sv = lpc_get(ents[i], "enclave_signature"), *pv = lpc_get(ents[i], "enclave_pubkey");
            lpc_hex_decode(eh->u.s.ptr, 64, dg, 32, &l);
            lpc_hex_decode(sv->u.s.ptr, 128, sg, 64, &l);
            lpc_hex_decode(pv->u.s.ptr, 64, pk, 32, &l);
            if (crypto_sign_verify_detached(sg, dg, 32, pk) != 0) die("ed25519");
        }
        t_ed = (now() - t0) / cores;
        free(ents);
    }
    double floor = t_gz + t_sha + t_ed;
    printf("  end to end (verify + find + prove): %8.3f s\n", t_e2e);
    printf("  floor: gunzip %.3f s + SHA-256 of leaf bytes %.3f s%s%.3f s = %.3f s   (ratio %.2fx)\n", t_gz, t_sha,
           d ? " + Ed25519 of every envelope / cores " : " + ", t_ed, floor, t_e2e / floor);
    printf("  tree building (CS-A re-serialisation + leaves + levels): %.0f leaves/s, %.1f MB/s of leaf bytes; "
           "raw SHA-256 over the same bytes: %.0f leaves/s, %.1f MB/s\n",
           n / t_tree, pre.len / 1e6 / t_tree, n / t_sha, pre.len / 1e6 / t_sha);
    free(off);
    lpc_buf_free(&pre);
    lpm_checkpoint_free(&cp);
    lpc_buf_free(&payload);
    lpc_buf_free(&gzb);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) die("sodium");
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
    if (n < 2) n = 2;
    printf("bench_merkle: %u cores\n", (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
    run(n, 0);
    run(n, 1);
    return 0;
}
