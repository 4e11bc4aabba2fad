/* Checkpoint payloads of every era (§5, §6, §7): parse, header signature,
 * events, tree, envelopes and lead-id search. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lp_merkle.h"


static const char k_zero_root[] = "0000000000000000000000000000000000000000000000000000000000000000";

void lpm_checkpoint_free(lpm_checkpoint *cp)
{
    if (!cp) return;
    lpc_free(cp->doc);
    lpc_free(cp->events);
    free(cp->leaves);
    lpm_tree_free(&cp->tree);
    memset(cp, 0, sizeof *cp);
}

static int get_i64(const lpc_value *o, const char *k, int64_t *out)
{
    return lpc_int_i64(lpc_get(o, k), out);
}

static int copy_hex64(const lpc_value *v, char out[65])
{
    if (!v || v->type != LPC_STR || v->u.s.len != 64 || !lpc_is_lower_hex(v->u.s.ptr, 64)) return 0;
    memcpy(out, v->u.s.ptr, 64);
    out[64] = 0;
    return 1;
}

static int bytes_equal_dump(const lpc_value *v, lpc_profile p, const uint8_t *buf, size_t len)
{
    lpc_buf b = {0};
    int eq = lpc_dump(v, p, &b) == LPC_OK && b.len == len && memcmp(b.ptr, buf, len) == 0;
    lpc_buf_free(&b);
    return eq;
}

static lpm_err map_parse(lpc_err e)
{
    if (e == LPC_ERR_NOMEM) return LPM_ERR_NOMEM;
    if (e == LPC_ERR_TOO_LARGE) return LPM_ERR_INPUT_TOO_LARGE;
    return LPM_ERR_MALFORMED;
}

lpm_err lpm_checkpoint_parse(const uint8_t *buf, size_t len, lpm_checkpoint *cp)
{
    if (!cp) return LPM_ERR_ARG;
    memset(cp, 0, sizeof *cp);
    if (!buf) return LPM_ERR_ARG;
    if (len > LPM_MAX_PAYLOAD) return LPM_ERR_INPUT_TOO_LARGE;
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    lpc_buf dec = {0};
    const uint8_t *text = buf;
    size_t tlen = len;
    if (i < len && buf[i] != '{') {
        /* /tx/<id>/data form: base64url without padding (optionally a trailing newline) */
        size_t e = len;
        while (e > i && (buf[e - 1] == '\n' || buf[e - 1] == '\r')) e--;
        if (lpc_b64_decode((const char *)buf + i, e - i, LPC_B64_URL_NOPAD, &dec) != LPC_OK) {
            lpc_buf_free(&dec);
            return LPM_ERR_MALFORMED;
        }
        text = dec.ptr;
        tlen = dec.len;
    }
    lpm_err err = LPM_OK;
    lpc_err pe = lpc_parse(text, tlen, &cp->doc, NULL);
    if (pe != LPC_OK) { err = map_parse(pe); goto out; }
    const lpc_value *d = cp->doc, *h = lpc_get(d, "header"), *sig = lpc_get(d, "signature");
    if (d->type != LPC_OBJECT || !h || h->type != LPC_OBJECT || !sig || sig->type != LPC_STR) {
        err = LPM_ERR_MALFORMED;
        goto out;
    }
    const lpc_value *ec = lpc_get(d, "events_compressed"), *tl = lpc_get(d, "tree_levels");
    if (!ec || ec->type != LPC_STR || (tl && tl->type != LPC_ARRAY)) { err = LPM_ERR_MALFORMED; goto out; }
    cp->header_v = h;
    lpm_header *H = &cp->header;
    if (!get_i64(h, "checkpoint_number", &H->number) || !get_i64(h, "event_count", &H->event_count) ||
        H->event_count < 0 || !copy_hex64(lpc_get(h, "merkle_root"), H->merkle_root)) {
        err = LPM_ERR_MALFORMED;
        goto out;
    }
    H->has_version = get_i64(h, "checkpoint_version", &H->version);
    const lpc_value *sr = lpc_get(h, "sequence_range");
    if (sr) {
        if (!get_i64(sr, "first", &H->seq_first) || !get_i64(sr, "last", &H->seq_last)) { err = LPM_ERR_MALFORMED; goto out; }
        H->has_sequence_range = 1;
    }
    const lpc_value *pr = lpc_get(h, "prev_checkpoint_root");
    if (pr && pr->type != LPC_NULL) {
        if (!copy_hex64(pr, H->prev_root)) { err = LPM_ERR_MALFORMED; goto out; }
        H->has_prev_root = 1;
    }
    const lpc_value *tr = lpc_get(h, "time_range");
    if (tr) {
        const lpc_value *s = lpc_get(tr, "start"), *e = lpc_get(tr, "end");
        if (tr->type != LPC_OBJECT || (s && s->type != LPC_STR) || (e && e->type != LPC_STR)) { err = LPM_ERR_MALFORMED; goto out; }
        H->time_start = s ? s->u.s.ptr : NULL;
        H->time_end = e ? e->u.s.ptr : NULL;
    }
    if (lpc_str_eq(sig, "empty_checkpoint")) {
        cp->unsigned_empty = 1;
        cp->era = LPM_ERA_EMPTY;
    } else {
        size_t n;
        if (sig->u.s.len != 2 * LPM_SIG_LEN ||
            lpc_hex_decode(sig->u.s.ptr, sig->u.s.len, cp->signature, LPM_SIG_LEN, &n) != LPC_OK) {
            err = LPM_ERR_MALFORMED;
            goto out;
        }
        cp->era = LPM_ERA_A;  /* refined by lpm_checkpoint_decode_events */
    }
    /* which serialiser produced the bytes (§7.1); informative only.  Small payloads are
     * compared byte for byte; large ones by their opening bytes (a full re-dump would
     * double the cost of a 100,000-event checkpoint for a label). */
    if (tlen <= ((size_t)1 << 20)) {
        if (bytes_equal_dump(d, LPC_PROFILE_CS_A, text, tlen)) cp->encoding = LPM_ENC_CURRENT;
        else if (bytes_equal_dump(d, LPC_PROFILE_DU_A, text, tlen)) cp->encoding = LPM_ENC_V1;
        else cp->encoding = LPM_ENC_UNKNOWN;
    } else if (tlen > 22 && !memcmp(text, "{\"events_compressed\":\"", 22)) {
        cp->encoding = LPM_ENC_CURRENT;
    } else if (tlen > 12 && !memcmp(text, "{\"header\": {", 12)) {
        cp->encoding = LPM_ENC_V1;
    } else {
        cp->encoding = LPM_ENC_UNKNOWN;
    }
out:
    lpc_buf_free(&dec);
    return err;
}

lpm_err lpm_checkpoint_header_digest(const lpm_checkpoint *cp, uint8_t out[LPM_HASH_LEN])
{
    if (!cp || !cp->header_v || !out) return LPM_ERR_ARG;
    return lpm_hash_profile(cp->header_v, LPC_PROFILE_DS_A, out);
}

lpm_err lpm_checkpoint_verify_signature(const lpm_checkpoint *cp, const uint8_t pubkey[LPM_PUBKEY_LEN])
{
    if (!cp || !cp->header_v || !pubkey) return LPM_ERR_ARG;
    if (cp->unsigned_empty) return LPM_ERR_EMPTY_CHECKPOINT;
    uint8_t d[LPM_HASH_LEN];
    lpm_err e = lpm_checkpoint_header_digest(cp, d);
    if (e != LPM_OK) return e;
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    return lpm_ed25519_verify(cp->signature, LPM_SIG_LEN, d, LPM_HASH_LEN, pubkey) ? LPM_OK
                                                                                    : LPM_ERR_SIGNATURE_INVALID;
}

lpm_err lpm_checkpoint_decode_events(lpm_checkpoint *cp)
{
    if (!cp || !cp->doc) return LPM_ERR_ARG;
    lpc_free(cp->events);
    cp->events = NULL;
    cp->n_events = 0;
    const lpc_value *ec = lpc_get(cp->doc, "events_compressed");
    if (ec->u.s.len / 4 * 3 > LPM_MAX_COMPRESSED) return LPM_ERR_INPUT_TOO_LARGE;
    lpc_buf gz = {0};
    lpc_err be = lpc_b64_decode(ec->u.s.ptr, ec->u.s.len, LPC_B64_STD, &gz);
    if (be != LPC_OK) { lpc_buf_free(&gz); return be == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_BASE64; }
    uint8_t *txt = NULL;
    size_t tlen = 0;
    lpm_err e = lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &txt, &tlen);
    lpc_buf_free(&gz);
    if (e != LPM_OK) return e;
    lpc_value *arr = NULL;
    lpc_err pe = lpc_parse(txt, tlen, &arr, NULL);
    free(txt);
    if (pe != LPC_OK) return pe == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : pe == LPC_ERR_TOO_LARGE ? LPM_ERR_INPUT_TOO_LARGE : LPM_ERR_EVENTS_JSON;
    if (arr->type != LPC_ARRAY) { lpc_free(arr); return LPM_ERR_EVENTS_JSON; }
    if (arr->u.a.n > LPM_MAX_EVENTS) { lpc_free(arr); return LPM_ERR_INPUT_TOO_LARGE; }
    for (size_t i = 0; i < arr->u.a.n; i++)
        if (arr->u.a.items[i]->type != LPC_OBJECT) { lpc_free(arr); return LPM_ERR_EVENTS_JSON; }
    cp->events = arr;
    cp->n_events = arr->u.a.n;
    if (!cp->unsigned_empty)
        cp->era = cp->n_events && lpc_get(arr->u.a.items[0], "signed_log_entry") ? LPM_ERA_D : LPM_ERA_A;
    return LPM_OK;
}

lpm_err lpm_checkpoint_check_empty(lpm_checkpoint *cp)
{
    if (!cp || !cp->doc) return LPM_ERR_ARG;
    if (!cp->unsigned_empty) return LPM_ERR_ARG;
    if (cp->header.event_count != 0 || strcmp(cp->header.merkle_root, k_zero_root) != 0)
        return LPM_ERR_INVALID_EMPTY_CHECKPOINT;
    lpm_err e = lpm_checkpoint_decode_events(cp);
    if (e != LPM_OK) return e;
    const lpc_value *tl = lpc_get(cp->doc, "tree_levels");
    if (cp->n_events != 0 || (tl && tl->u.a.n != 0)) return LPM_ERR_INVALID_EMPTY_CHECKPOINT;
    return LPM_ERR_EMPTY_CHECKPOINT;
}

lpm_err lpm_checkpoint_check_count(const lpm_checkpoint *cp)
{
    if (!cp || !cp->events) return LPM_ERR_ARG;
    return (uint64_t)cp->header.event_count == cp->n_events ? LPM_OK : LPM_ERR_EVENT_COUNT_MISMATCH;
}

lpm_err lpm_checkpoint_check_sequence(const lpm_checkpoint *cp, size_t *bad)
{
    if (!cp || !cp->events || !bad) return LPM_ERR_ARG;
    *bad = 0;
    if (!cp->header.has_sequence_range) return LPM_ERR_MALFORMED;
    int64_t first = cp->header.seq_first, last = cp->header.seq_last;
    for (size_t i = 0; i < cp->n_events; i++) {
        int64_t s;
        if (!get_i64(cp->events->u.a.items[i], "sequence", &s) || s != first + (int64_t)i) {
            *bad = i;
            return LPM_ERR_SEQUENCE_GAP;
        }
    }
    if (cp->n_events == 0 || last - first + 1 != (int64_t)cp->n_events || last < first) {
        *bad = cp->n_events;
        return LPM_ERR_SEQUENCE_GAP;
    }
    return LPM_OK;
}

lpm_err lpm_checkpoint_build_tree(lpm_checkpoint *cp)
{
    if (!cp || !cp->events) return LPM_ERR_ARG;
    free(cp->leaves);
    cp->leaves = NULL;
    lpm_tree_free(&cp->tree);
    if (cp->n_events == 0) return LPM_ERR_EMPTY_TREE;
    cp->leaves = malloc(cp->n_events * LPM_HASH_LEN);
    if (!cp->leaves) return LPM_ERR_NOMEM;
    lpc_buf b = {0};
    lpm_err err = LPM_OK;
    for (size_t i = 0; i < cp->n_events && err == LPM_OK; i++) {
        b.len = 0;  /* one buffer reused for every leaf preimage */
        lpc_err e = lpc_dump(cp->events->u.a.items[i], LPC_PROFILE_CS_A, &b);
        if (e != LPC_OK) err = e == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_CANONICAL;
        else if (lpc_sha256(b.ptr, b.len, cp->leaves[i]) != LPC_OK) err = LPM_ERR_CRYPTO;
    }
    lpc_buf_free(&b);
    if (err == LPM_OK) err = lpm_tree_build((const uint8_t (*)[LPM_HASH_LEN])cp->leaves, cp->n_events, &cp->tree);
    return err;
}

lpm_err lpm_checkpoint_check_root(const lpm_checkpoint *cp)
{
    const uint8_t *r = cp ? lpm_tree_root(&cp->tree) : NULL;
    if (!r) return LPM_ERR_ARG;
    char hex[65];
    lpc_hex_encode(r, LPM_HASH_LEN, hex);
    return strcmp(hex, cp->header.merkle_root) == 0 ? LPM_OK : LPM_ERR_ROOT_MISMATCH;
}

lpm_err lpm_checkpoint_check_tree_levels(const lpm_checkpoint *cp, int *present)
{
    if (!cp || !present || !cp->tree.nodes) return LPM_ERR_ARG;
    const lpc_value *tl = lpc_get(cp->doc, "tree_levels");
    *present = tl && tl->u.a.n > 0;
    if (!*present) return LPM_OK;
    if (tl->u.a.n != cp->tree.n_levels) return LPM_ERR_TREE_LEVELS_MISMATCH;
    for (size_t k = 0; k < cp->tree.n_levels; k++) {
        const lpc_value *lv = tl->u.a.items[k];
        if (lv->type != LPC_ARRAY || lv->u.a.n != cp->tree.level_len[k]) return LPM_ERR_TREE_LEVELS_MISMATCH;
        for (size_t i = 0; i < lv->u.a.n; i++) {
            uint8_t h[LPM_HASH_LEN];
            if (!lpm_hex32(lv->u.a.items[i], h) ||
                memcmp(h, cp->tree.nodes[cp->tree.level_off[k] + i], LPM_HASH_LEN) != 0)
                return LPM_ERR_TREE_LEVELS_MISMATCH;
        }
    }
    return LPM_OK;
}

static int str_same(const lpc_value *a, const lpc_value *b)
{
    return a && b && a->type == LPC_STR && b->type == LPC_STR && a->u.s.len == b->u.s.len &&
           memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

/* One era C/D record: §3.2 links (event_hash, payload_hash = H(CS-A(payload)), event_type),
 * then the entry itself (§2.2). */
static lpm_err envelope_item(const void *ctx, size_t i)
{
    const lpm_checkpoint *cp = ctx;
    const lpc_value *rec = cp->events->u.a.items[i], *sle = lpc_get(rec, "signed_log_entry");
    const lpc_value *se = lpc_get(sle, "signed_event"), *payload = lpc_get(se, "payload");
    if (!sle || sle->type != LPC_OBJECT || !se || se->type != LPC_OBJECT || !payload) return LPM_ERR_MALFORMED;
    uint8_t ph[LPM_HASH_LEN];
    char hex[65];
    lpm_err err = lpm_hash_csa(payload, ph);
    if (err != LPM_OK) return err;
    lpc_hex_encode(ph, LPM_HASH_LEN, hex);
    if (!str_same(lpc_get(rec, "event_hash"), lpc_get(sle, "event_hash")) || !lpc_str_eq(lpc_get(rec, "payload_hash"), hex) ||
        !str_same(lpc_get(rec, "event_type"), lpc_get(se, "event_type")))
        return LPM_ERR_PAYLOAD_HASH_MISMATCH;
    return lpm_log_entry_verify(sle, NULL);
}

lpm_err lpm_checkpoint_check_envelopes(const lpm_checkpoint *cp, unsigned threads, size_t *bad)
{
    if (!cp || !cp->events || !bad) return LPM_ERR_ARG;
    *bad = 0;
    size_t n = cp->n_events;
    lpm_err err = lpm_parallel_for(n, threads, envelope_item, cp, bad);
    if (err != LPM_OK) return err;
    const lpc_value **ents = malloc((n ? n : 1) * sizeof *ents);
    if (!ents) return LPM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) ents[i] = lpc_get(cp->events->u.a.items[i], "signed_log_entry");
    err = lpm_log_chain_check(ents, n, bad);
    free(ents);
    return err;
}

static int str_is(const lpc_value *v, const char *s, size_t len)
{
    return v && v->type == LPC_STR && v->u.s.len == len && memcmp(v->u.s.ptr, s, len) == 0;
}

/* §3.3 locations: payload.lead_id, payload.validations[].lead_id,
 * payload.assignment.assigned_lead_ids[], signed_log_entry.signed_event.payload.lead_id. */
int lpm_record_has_lead(const lpc_value *rec, const char *id, size_t len)
{
    const lpc_value *p = lpc_get(rec, "payload");
    if (p && p->type == LPC_OBJECT) {
        if (str_is(lpc_get(p, "lead_id"), id, len)) return 1;
        const lpc_value *va = lpc_get(p, "validations");
        if (va && va->type == LPC_ARRAY)
            for (size_t i = 0; i < va->u.a.n; i++)
                if (str_is(lpc_get(va->u.a.items[i], "lead_id"), id, len)) return 1;
        const lpc_value *al = lpc_get(lpc_get(p, "assignment"), "assigned_lead_ids");
        if (al && al->type == LPC_ARRAY)
            for (size_t i = 0; i < al->u.a.n; i++)
                if (str_is(al->u.a.items[i], id, len)) return 1;
    }
    const lpc_value *sp = lpc_get(lpc_get(lpc_get(rec, "signed_log_entry"), "signed_event"), "payload");
    return str_is(lpc_get(sp, "lead_id"), id, len);
}

lpm_err lpm_checkpoint_find_lead(const lpm_checkpoint *cp, const char *lead_id, size_t lead_len,
                                 size_t **idx, size_t *n)
{
    if (!cp || !cp->events || !lead_id || !idx || !n) return LPM_ERR_ARG;
    *idx = NULL;
    *n = 0;
    size_t cap = 0;
    for (size_t i = 0; i < cp->n_events; i++) {
        if (!lpm_record_has_lead(cp->events->u.a.items[i], lead_id, lead_len)) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            size_t *ni = realloc(*idx, cap * sizeof **idx);
            if (!ni) { free(*idx); *idx = NULL; *n = 0; return LPM_ERR_NOMEM; }
            *idx = ni;
        }
        (*idx)[(*n)++] = i;
    }
    return LPM_OK;
}

const char *lpm_era_name(lpm_era e)
{
    return e == LPM_ERA_EMPTY ? "empty_host" : e == LPM_ERA_D ? "C/D" : "A";
}

const char *lpm_encoding_name(lpm_encoding e)
{
    return e == LPM_ENC_V1 ? "v1" : e == LPM_ENC_CURRENT ? "current" : "unknown";
}
