/* Checkpoint payloads of every era (§5, §7): parse, header fields, the header
 * signature, the unsigned host form, the per-step checks (count, sequence, root,
 * tree_levels, envelopes), records and the lead-id search. */
#define _GNU_SOURCE 1  /* memmem (glibc declares it only then; POSIX.1-2024 has it) */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm_state.h"

static const char k_zero_root[] = "0000000000000000000000000000000000000000000000000000000000000000";

void lpm_checkpoint_free(lpm_checkpoint *cp)
{
    if (!cp) return;
    lpm_decoded_free(cp);
    lpc_free(cp->doc);
    free(cp);
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

static void copy_time(const lpc_value *s, lpm_time_text *t)
{
    memset(t, 0, sizeof *t);
    if (!s) return;
    t->present = 1;
    t->cut = s->u.s.len > LPM_TIME_MAX;
    t->len = t->cut ? LPM_TIME_MAX : s->u.s.len;
    memcpy(t->text, s->u.s.ptr, t->len);
    t->text[t->len] = 0;
}

lpm_err lpm_header_parse(const lpc_value *h, lpm_header *H)
{
    memset(H, 0, sizeof *H);
    if (!h || h->type != LPC_OBJECT) return LPM_ERR_MALFORMED;
    if (!get_i64(h, "checkpoint_number", &H->number) || !get_i64(h, "event_count", &H->event_count) ||
        H->event_count < 0 || !copy_hex64(lpc_get(h, "merkle_root"), H->merkle_root))
        return LPM_ERR_MALFORMED;
    H->has_version = get_i64(h, "checkpoint_version", &H->version);
    const lpc_value *sr = lpc_get(h, "sequence_range");
    if (sr) {
        if (!get_i64(sr, "first", &H->seq_first) || !get_i64(sr, "last", &H->seq_last)) return LPM_ERR_MALFORMED;
        H->has_sequence_range = 1;
    }
    const lpc_value *pr = lpc_get(h, "prev_checkpoint_root");
    if (pr && pr->type != LPC_NULL) {
        if (!copy_hex64(pr, H->prev_root)) return LPM_ERR_MALFORMED;
        H->has_prev_root = 1;
    }
    const lpc_value *tr = lpc_get(h, "time_range");
    if (tr) {
        const lpc_value *s = lpc_get(tr, "start"), *e = lpc_get(tr, "end");
        if (tr->type != LPC_OBJECT || (s && s->type != LPC_STR) || (e && e->type != LPC_STR)) return LPM_ERR_MALFORMED;
        copy_time(s, &H->time_start);
        copy_time(e, &H->time_end);
    }
    return LPM_OK;
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

/* The document's members (§7.1) into cp. */
static lpm_err parse_doc(lpm_checkpoint *cp, const uint8_t *text, size_t tlen)
{
    lpc_err pe = lpc_parse(text, tlen, &cp->doc, NULL);
    if (pe != LPC_OK) return map_parse(pe);
    const lpc_value *d = cp->doc, *h = lpc_get(d, "header"), *sig = lpc_get(d, "signature");
    if (d->type != LPC_OBJECT || !h || h->type != LPC_OBJECT || !sig || sig->type != LPC_STR) return LPM_ERR_MALFORMED;
    const lpc_value *ec = lpc_get(d, "events_compressed"), *tl = lpc_get(d, "tree_levels");
    if (!ec || ec->type != LPC_STR || (tl && tl->type != LPC_ARRAY)) return LPM_ERR_MALFORMED;
    cp->header_v = h;
    lpm_err e = lpm_header_parse(h, &cp->header);
    if (e != LPM_OK) return e;
    if (lpc_str_eq(sig, "empty_checkpoint")) {
        cp->unsigned_empty = 1;
        cp->era = LPM_ERA_EMPTY;
    } else {
        size_t n;
        if (sig->u.s.len != 2 * LPM_SIG_LEN ||
            lpc_hex_decode(sig->u.s.ptr, sig->u.s.len, cp->signature, LPM_SIG_LEN, &n) != LPC_OK || n != LPM_SIG_LEN)
            return LPM_ERR_MALFORMED;
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
    return LPM_OK;
}

lpm_err lpm_checkpoint_parse(const uint8_t *buf, size_t len, lpm_checkpoint **out)
{
    if (!out) return LPM_ERR_ARG;
    *out = NULL;
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
    lpm_checkpoint *cp = calloc(1, sizeof *cp);
    lpm_err err = cp ? parse_doc(cp, text, tlen) : LPM_ERR_NOMEM;
    lpc_buf_free(&dec);
    if (err != LPM_OK) {
        lpm_checkpoint_free(cp);
        return err;
    }
    *out = cp;
    return LPM_OK;
}

const lpm_header *lpm_checkpoint_header(const lpm_checkpoint *cp) { return cp ? &cp->header : NULL; }
const lpc_value *lpm_checkpoint_header_value(const lpm_checkpoint *cp) { return cp ? cp->header_v : NULL; }
const uint8_t *lpm_checkpoint_signature(const lpm_checkpoint *cp)
{
    return cp && !cp->unsigned_empty ? cp->signature : NULL;
}
int lpm_checkpoint_unsigned_empty(const lpm_checkpoint *cp) { return cp && cp->unsigned_empty; }
lpm_era lpm_checkpoint_era(const lpm_checkpoint *cp) { return cp ? cp->era : LPM_ERA_EMPTY; }
lpm_encoding lpm_checkpoint_encoding(const lpm_checkpoint *cp) { return cp ? cp->encoding : LPM_ENC_UNKNOWN; }
lpm_decode_path lpm_checkpoint_decode_path(const lpm_checkpoint *cp) { return cp ? cp->path : LPM_DECODE_NONE; }
size_t lpm_checkpoint_n_events(const lpm_checkpoint *cp) { return cp && cp->decoded ? cp->n : 0; }

const uint8_t *lpm_checkpoint_leaf(const lpm_checkpoint *cp, size_t i)
{
    return cp && cp->leaves_ready && i < cp->n ? cp->rec[i].leaf : NULL;
}

const lpm_tree *lpm_checkpoint_tree(const lpm_checkpoint *cp)
{
    return cp && cp->tree.nodes ? &cp->tree : NULL;
}

lpm_err lpm_checkpoint_header_digest(const lpm_checkpoint *cp, uint8_t out[LPM_HASH_LEN])
{
    if (!cp || !cp->header_v || !out) return LPM_ERR_ARG;
    return lpm_hash_profile(cp->header_v, LPC_PROFILE_DS_A, out);
}

lpm_err lpm_header_verify(const lpc_value *header_v, const uint8_t sig[LPM_SIG_LEN], const uint8_t key[LPM_PUBKEY_LEN])
{
    if (!header_v || !sig || !key) return LPM_ERR_ARG;
    uint8_t d[LPM_HASH_LEN];
    lpm_err e = lpm_hash_profile(header_v, LPC_PROFILE_DS_A, d);
    if (e != LPM_OK) return e;
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    return lpm_ed25519_verify(sig, LPM_SIG_LEN, d, LPM_HASH_LEN, key) ? LPM_OK : LPM_ERR_SIGNATURE_INVALID;
}

lpm_err lpm_checkpoint_verify_signature(const lpm_checkpoint *cp, const uint8_t pubkey[LPM_PUBKEY_LEN])
{
    if (!cp || !cp->header_v || !pubkey) return LPM_ERR_ARG;
    if (cp->unsigned_empty) return LPM_ERR_EMPTY_CHECKPOINT;
    return lpm_header_verify(cp->header_v, cp->signature, pubkey);
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
    if (cp->n != 0 || (tl && tl->u.a.n != 0)) return LPM_ERR_INVALID_EMPTY_CHECKPOINT;
    return LPM_ERR_EMPTY_CHECKPOINT;
}

lpm_err lpm_checkpoint_check_count(const lpm_checkpoint *cp)
{
    if (!cp || !cp->decoded) return LPM_ERR_ARG;
    return (uint64_t)cp->header.event_count == cp->n ? LPM_OK : LPM_ERR_EVENT_COUNT_MISMATCH;
}

lpm_err lpm_checkpoint_check_sequence(const lpm_checkpoint *cp, size_t *bad)
{
    if (!cp || !cp->decoded || !bad) return LPM_ERR_ARG;
    *bad = 0;
    if (!cp->header.has_sequence_range) return LPM_ERR_MALFORMED;
    int64_t first = cp->header.seq_first, last = cp->header.seq_last;
    for (size_t i = 0; i < cp->n; i++) {
        const struct lpm_rec *r = &cp->rec[i];
        int64_t s = 0;
        int known = r->tree ? get_i64(r->tree, "sequence", &s) : r->seq_ok && (s = r->seq, 1);
        /* record i must carry first + i: s - first is taken only when s >= first, in
         * unsigned arithmetic, where it cannot overflow */
        if (!known || s < first || (uint64_t)s - (uint64_t)first != (uint64_t)i) {
            *bad = i;
            return LPM_ERR_SEQUENCE_GAP;
        }
    }
    /* the range spans exactly n records: last - first = n - 1, again without overflow */
    if (cp->n == 0 || last < first || (uint64_t)last - (uint64_t)first != (uint64_t)cp->n - 1) {
        *bad = cp->n;
        return LPM_ERR_SEQUENCE_GAP;
    }
    return LPM_OK;
}

lpm_err lpm_checkpoint_build_tree(lpm_checkpoint *cp)
{
    if (!cp || !cp->decoded) return LPM_ERR_ARG;
    lpm_tree_free(&cp->tree);
    if (cp->n == 0) return LPM_ERR_EMPTY_TREE;
    if (!cp->leaves_ready) {  /* the serial decode path: serialise and hash here */
        lpm_err err = lpm_decode_leaves(cp);
        if (err != LPM_OK) return err;
    }
    return lpm_tree_build_from(cp->rec[0].leaf, sizeof cp->rec[0], cp->n, &cp->tree);
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
            /* equal to the node's lowercase hex: exactly 64 lowercase hex digits, same bytes */
            const lpc_value *s = lv->u.a.items[i];
            char hex[65];
            lpc_hex_encode(cp->tree.nodes[cp->tree.level_off[k] + i], LPM_HASH_LEN, hex);
            if (s->type != LPC_STR || s->u.s.len != 64 || memcmp(s->u.s.ptr, hex, 64) != 0)
                return LPM_ERR_TREE_LEVELS_MISMATCH;
        }
    }
    return LPM_OK;
}

lpm_err lpm_checkpoint_check_envelopes(lpm_checkpoint *cp, unsigned threads, size_t *bad)
{
    if (!cp || !cp->decoded || !bad) return LPM_ERR_ARG;
    *bad = 0;
    size_t n = cp->n;
    lpm_err err;
    if (cp->env_done) {  /* already run with the leaves (decode or build_tree) */
        err = cp->env_err;
        *bad = cp->env_bad;
    } else {
        err = lpm_decode_envelopes(cp, threads, bad);
    }
    if (err != LPM_OK) return err;
    const lpc_value **ents = malloc((n ? n : 1) * sizeof *ents);
    if (!ents) return LPM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) ents[i] = lpc_get(cp->rec[i].tree, "signed_log_entry");
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

lpm_err lpm_checkpoint_record(const lpm_checkpoint *cp, size_t i, const lpc_value **rec, lpc_value **owned)
{
    if (!cp || !cp->decoded || i >= cp->n || !rec || !owned) return LPM_ERR_ARG;
    *owned = NULL;
    const struct lpm_rec *r = &cp->rec[i];
    *rec = r->tree;
    if (*rec) return LPM_OK;
    if (!cp->text) return LPM_ERR_ARG;
    lpc_err pe = lpc_parse_limit(cp->text + r->span[0], r->span[1] - r->span[0], LPM_MAX_INFLATED, owned, NULL);
    if (pe != LPC_OK) return pe == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_EVENTS_JSON;
    *rec = *owned;
    return LPM_OK;
}

/* A record kept as text is in the plain form, where every string is written exactly as
 * CS-A writes it (lpc_csa_from_text): one holding lead_id as a string anywhere contains
 * that quoted CS-A text, so only those are parsed and examined. */
lpm_err lpm_checkpoint_find_lead(const lpm_checkpoint *cp, const char *lead_id, size_t lead_len,
                                 size_t **idx, size_t *n)
{
    if (!cp || !cp->decoded || !lead_id || !idx || !n) return LPM_ERR_ARG;
    *idx = NULL;
    *n = 0;
    size_t cap = 0;
    lpc_buf needle = {0};
    int filter = lpc_dump_string(lead_id, lead_len, 1, &needle) == LPC_OK;
    lpm_err err = LPM_OK;
    for (size_t i = 0; i < cp->n; i++) {
        const struct lpm_rec *r = &cp->rec[i];
        const lpc_value *rec = r->tree;
        lpc_value *owned = NULL;
        if (!rec) {
            if (filter && !memmem(cp->text + r->span[0], r->span[1] - r->span[0], needle.ptr, needle.len)) continue;
            if ((err = lpm_checkpoint_record(cp, i, &rec, &owned)) != LPM_OK) break;
        }
        int hit = lpm_record_has_lead(rec, lead_id, lead_len);
        lpc_free(owned);
        if (!hit) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            size_t *ni = realloc(*idx, cap * sizeof **idx);
            if (!ni) { err = LPM_ERR_NOMEM; break; }
            *idx = ni;
        }
        (*idx)[(*n)++] = i;
    }
    lpc_buf_free(&needle);
    if (err != LPM_OK) {
        free(*idx);
        *idx = NULL;
        *n = 0;
    }
    return err;
}

const char *lpm_era_name(lpm_era e)
{
    return e == LPM_ERA_EMPTY ? "empty_host" : e == LPM_ERA_D ? "C/D" : "A";
}

const char *lpm_encoding_name(lpm_encoding e)
{
    return e == LPM_ENC_V1 ? "v1" : e == LPM_ENC_CURRENT ? "current" : "unknown";
}
