/* Test-only builder of signed era C/D checkpoints (lp_checkpoint_fixture.h). */
#include "tests/lp_checkpoint_fixture.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_sodium.h"

#define HASH_LEN 32

static int set_str(lpc_value *obj, const char *key, const char *s, size_t len)
{
    lpc_value *v = lpc_new_str(s, len);
    if (!v) return LPT_CP_ENOMEM;
    return lpc_object_set(obj, key, strlen(key), v) == LPC_OK ? LPT_CP_OK : LPT_CP_ENOMEM;
}

static int set_cstr(lpc_value *obj, const char *key, const char *s)
{
    return set_str(obj, key, s, strlen(s));
}

static int set_val(lpc_value *obj, const char *key, lpc_value *v)
{
    if (!v) return LPT_CP_ENOMEM;
    return lpc_object_set(obj, key, strlen(key), v) == LPC_OK ? LPT_CP_OK : LPT_CP_ENOMEM;
}

static int map_dump(lpc_err e)
{
    return e == LPC_ERR_NOMEM ? LPT_CP_ENOMEM : LPT_CP_EDUMP;
}

/* H(utf8(profile(v))) */
static int hash_dump(const lpc_value *v, lpc_profile p, uint8_t out[HASH_LEN])
{
    lpc_buf b = {0};
    lpc_err e = lpc_dump(v, p, &b);
    int rc = e != LPC_OK ? map_dump(e) : lpc_sha256(b.ptr, b.len, out) == LPC_OK ? LPT_CP_OK : LPT_CP_ECRYPTO;
    lpc_buf_free(&b);
    return rc;
}

static int is_str(const lpc_value *v)
{
    return v && v->type == LPC_STR;
}

/* signed_event{event_type: str, timestamp: str, payload} and event_hash: str */
static int entry_shape_ok(const lpc_value *entry)
{
    const lpc_value *se = lpc_get(entry, "signed_event");
    return entry && entry->type == LPC_OBJECT && se && se->type == LPC_OBJECT && is_str(lpc_get(se, "event_type")) &&
           is_str(lpc_get(se, "timestamp")) && lpc_get(se, "payload") && is_str(lpc_get(entry, "event_hash"));
}

int lpt_sign_entry(lpc_value *entry, const uint8_t sk[64])
{
    const lpc_value *se = lpc_get(entry, "signed_event");
    if (!entry || !sk || entry->type != LPC_OBJECT || !se) return LPT_CP_EARG;
    if (!lpc_sodium_ready()) return LPT_CP_ECRYPTO;
    uint8_t h[HASH_LEN], sig[64];
    int rc = hash_dump(se, LPC_PROFILE_CS_A, h);
    if (rc) return rc;
    if (crypto_sign_detached(sig, NULL, h, HASH_LEN, sk) != 0) return LPT_CP_ECRYPTO;
    char hh[65], ph[65], sh[129];
    lpc_hex_encode(h, HASH_LEN, hh);
    lpc_hex_encode(sk + 32, 32, ph);  /* libsodium's secret key is seed || public key */
    lpc_hex_encode(sig, 64, sh);
    if ((rc = set_cstr(entry, "event_hash", hh)) || (rc = set_cstr(entry, "enclave_pubkey", ph)) ||
        (rc = set_cstr(entry, "enclave_signature", sh)))
        return rc;
    return LPT_CP_OK;
}

int lpt_envelope_record(const lpc_value *entry, int64_t sequence, const char *buffered_at, lpc_value **out)
{
    if (!out) return LPT_CP_EARG;
    *out = NULL;
    if (!buffered_at) return LPT_CP_EARG;
    if (!entry_shape_ok(entry)) return LPT_CP_ESHAPE;
    const lpc_value *se = lpc_get(entry, "signed_event"), *et = lpc_get(se, "event_type"),
                    *eh = lpc_get(entry, "event_hash");
    uint8_t ph[HASH_LEN];
    int rc = hash_dump(lpc_get(se, "payload"), LPC_PROFILE_CS_A, ph);
    if (rc) return rc;
    char phex[65];
    lpc_hex_encode(ph, HASH_LEN, phex);
    lpc_value *rec = lpc_new_object(), *sle = NULL;
    if (!rec) return LPT_CP_ENOMEM;
    if (lpc_clone(entry, &sle) != LPC_OK) {
        lpc_free(rec);
        return LPT_CP_ENOMEM;
    }
    /* §3.2 key order; sequence then buffered_at are appended by append_event (§3) */
    if ((rc = set_str(rec, "event_type", et->u.s.ptr, et->u.s.len)) ||
        (rc = set_str(rec, "event_hash", eh->u.s.ptr, eh->u.s.len)) || (rc = set_cstr(rec, "payload_hash", phex)) ||
        (rc = set_val(rec, "signed_log_entry", sle)) || (rc = set_val(rec, "sequence", lpc_new_int(sequence))) ||
        (rc = set_cstr(rec, "buffered_at", buffered_at))) {
        lpc_free(rec);
        return rc;
    }
    *out = rec;
    return LPT_CP_OK;
}

int lpt_checkpoint_records(const lpc_value *entries, const lpt_checkpoint_opts *opts, lpc_value **out)
{
    if (!out) return LPT_CP_EARG;
    *out = NULL;
    if (!entries || entries->type != LPC_ARRAY || entries->u.a.n == 0 || entries->u.a.n > LPT_CP_MAX_RECORDS)
        return LPT_CP_EARG;
    lpt_checkpoint_opts zero = {0};
    const lpt_checkpoint_opts *o = opts ? opts : &zero;
    /* first + (n - 1) must stay an int64 */
    if (o->first_sequence > INT64_MAX - (int64_t)entries->u.a.n) return LPT_CP_EARG;
    lpc_value *arr = lpc_new_array();
    if (!arr) return LPT_CP_ENOMEM;
    for (size_t i = 0; i < entries->u.a.n; i++) {
        const lpc_value *e = entries->u.a.items[i];
        if (!entry_shape_ok(e)) {
            lpc_free(arr);
            return LPT_CP_ESHAPE;
        }
        char def[128];
        const char *at;
        if (o->buffered_at) {
            at = o->buffered_at[i];
        } else {  /* the timestamp "YYYY-MM-DDTHH:MM:SSZ" without its Z */
            const lpc_value *ts = lpc_get(lpc_get(e, "signed_event"), "timestamp");
            size_t n = ts->u.s.len;
            if (n && ts->u.s.ptr[n - 1] == 'Z') n--;
            if (n >= sizeof def) {
                lpc_free(arr);
                return LPT_CP_ESHAPE;
            }
            memcpy(def, ts->u.s.ptr, n);
            def[n] = 0;
            at = def;
        }
        lpc_value *rec = NULL;
        int rc = lpt_envelope_record(e, o->first_sequence + (int64_t)i, at, &rec);
        if (rc == LPT_CP_OK && lpc_array_append(arr, rec) != LPC_OK) rc = LPT_CP_ENOMEM;
        if (rc) {
            lpc_free(arr);
            return rc;
        }
    }
    *out = arr;
    return LPT_CP_OK;
}

static int node_hash(const uint8_t l[HASH_LEN], const uint8_t r[HASH_LEN], uint8_t out[HASH_LEN])
{
    uint8_t cat[2 * HASH_LEN];
    memcpy(cat, l, HASH_LEN);
    memcpy(cat + HASH_LEN, r, HASH_LEN);
    return lpc_sha256(cat, sizeof cat, out) == LPC_OK ? LPT_CP_OK : LPT_CP_ECRYPTO;
}

/* One level as an array of hex strings. */
static int level_value(const uint8_t (*nodes)[HASH_LEN], size_t n, lpc_value *levels)
{
    lpc_value *lv = lpc_new_array();
    if (!lv) return LPT_CP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char hex[65];
        lpc_hex_encode(nodes[i], HASH_LEN, hex);
        lpc_value *s = lpc_new_str(hex, 64);
        if (!s || lpc_array_append(lv, s) != LPC_OK) {
            lpc_free(lv);
            return LPT_CP_ENOMEM;
        }
    }
    return lpc_array_append(levels, lv) == LPC_OK ? LPT_CP_OK : LPT_CP_ENOMEM;
}

int lpt_checkpoint_tree(const lpc_value *records, char root_hex[65], lpc_value **levels)
{
    if (levels) *levels = NULL;
    if (!records || records->type != LPC_ARRAY || records->u.a.n == 0 || records->u.a.n > LPT_CP_MAX_RECORDS)
        return LPT_CP_EARG;
    size_t n = records->u.a.n;
    uint8_t (*cur)[HASH_LEN] = malloc(n * sizeof *cur);
    lpc_value *lv = levels ? lpc_new_array() : NULL;
    int rc = cur && (!levels || lv) ? LPT_CP_OK : LPT_CP_ENOMEM;
    for (size_t i = 0; rc == LPT_CP_OK && i < n; i++) rc = hash_dump(records->u.a.items[i], LPC_PROFILE_CS_A, cur[i]);
    /* level k+1 pairs (0,1), (2,3), ...; an odd last node is paired with itself and not stored twice */
    for (size_t depth = 0; rc == LPT_CP_OK; depth++) {
        if (lv) rc = level_value((const uint8_t (*)[HASH_LEN])cur, n, lv);
        if (rc || n == 1) break;
        if (depth == LPT_CP_MAX_LEVELS) { rc = LPT_CP_EARG; break; }
        size_t m = (n + 1) / 2;
        for (size_t i = 0; rc == LPT_CP_OK && i < m; i++) {
            uint8_t p[HASH_LEN];
            rc = node_hash(cur[2 * i], cur[2 * i + 1 < n ? 2 * i + 1 : 2 * i], p);
            memcpy(cur[i], p, HASH_LEN);  /* in place: later parents read only cur[2i + 2] and up */
        }
        n = m;
    }
    if (rc == LPT_CP_OK && root_hex) lpc_hex_encode(cur[0], HASH_LEN, root_hex);
    free(cur);
    if (rc) lpc_free(lv);
    else if (levels) *levels = lv;
    return rc;
}

/* {<k1>: a, <k2>: b}; takes ownership of a and b (NULL on failure) */
static lpc_value *pair_obj(const char *k1, lpc_value *a, const char *k2, lpc_value *b)
{
    lpc_value *o = lpc_new_object();
    if (!o) {
        lpc_free(a);
        lpc_free(b);
        return NULL;
    }
    if (set_val(o, k1, a)) {
        lpc_free(b);
        lpc_free(o);
        return NULL;
    }
    if (set_val(o, k2, b)) {
        lpc_free(o);
        return NULL;
    }
    return o;
}

/* *p, handed over: *p becomes NULL */
static lpc_value *take(lpc_value **p)
{
    lpc_value *v = *p;
    *p = NULL;
    return v;
}

static lpc_value *str_z(const lpc_value *s)
{
    /* naive isoformat() + "Z" (§5.1) */
    if (!is_str(s) || s->u.s.len > 256) return NULL;
    char buf[258];
    memcpy(buf, s->u.s.ptr, s->u.s.len);
    buf[s->u.s.len] = 'Z';
    return lpc_new_str(buf, s->u.s.len + 1);
}

static lpc_value *str_or(const char *s, const lpc_value *fallback_naive)
{
    return s ? lpc_new_str(s, strlen(s)) : str_z(fallback_naive);
}

int lpt_checkpoint_header(const lpc_value *records, int64_t checkpoint_number, const char *prev_root_hex_or_NULL,
                          const lpt_checkpoint_opts *opts, lpc_value **out)
{
    if (!out) return LPT_CP_EARG;
    *out = NULL;
    char root[65];
    int rc = lpt_checkpoint_tree(records, root, NULL);
    if (rc) return rc;
    lpt_checkpoint_opts zero = {0};
    const lpt_checkpoint_opts *o = opts ? opts : &zero;
    size_t n = records->u.a.n;
    const lpc_value *r0 = records->u.a.items[0], *rl = records->u.a.items[n - 1];
    const lpc_value *s0 = lpc_get(r0, "sequence"), *sl = lpc_get(rl, "sequence");
    lpc_value *first = NULL, *last = NULL;
    if (!s0 || !sl || lpc_clone(s0, &first) != LPC_OK || lpc_clone(sl, &last) != LPC_OK) {
        lpc_free(first);
        return LPT_CP_ESHAPE;
    }
    lpc_value *sr = pair_obj("first", first, "last", last);
    lpc_value *tr = pair_obj("start", str_or(o->time_start, lpc_get(r0, "buffered_at")), "end",
                             str_or(o->time_end, lpc_get(rl, "buffered_at")));
    lpc_value *prev = prev_root_hex_or_NULL ? lpc_new_str(prev_root_hex_or_NULL, strlen(prev_root_hex_or_NULL))
                                            : lpc_new_null();
    lpc_value *h = lpc_new_object();
    rc = !sr || !tr || !prev || !h ? LPT_CP_ENOMEM : LPT_CP_OK;
    /* the enclave's key order (checkpoint_current.json checkpoint_rpc_result.header) */
    if (rc || (rc = set_val(h, "checkpoint_version", lpc_new_int(1))) ||
        (rc = set_val(h, "checkpoint_number", lpc_new_int(checkpoint_number))) ||
        (rc = set_val(h, "time_range", take(&tr))) || (rc = set_val(h, "event_count", lpc_new_int((int64_t)n))) ||
        (rc = set_val(h, "sequence_range", take(&sr))) || (rc = set_cstr(h, "merkle_root", root)) ||
        (rc = set_val(h, "prev_checkpoint_root", take(&prev))) ||
        (rc = set_cstr(h, "code_hash", o->code_hash ? o->code_hash : LPT_CP_CODE_HASH)) ||
        (rc = set_cstr(h, "attestation_hash", o->attestation_hash ? o->attestation_hash : LPT_CP_ATTESTATION_HASH))) {
        lpc_free(sr);
        lpc_free(tr);
        lpc_free(prev);
        lpc_free(h);
        return rc;
    }
    *out = h;
    return LPT_CP_OK;
}

int lpt_gzip(const uint8_t *p, size_t n, lpc_buf *out)
{
    if ((!p && n) || !out || n > UINT32_MAX / 2) return LPT_CP_EARG;
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 16 + 15: zlib's own gzip wrapper, mtime 0, xfl 2 at level 9, OS 3 */
    if (deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return LPT_CP_EZLIB;
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return LPT_CP_ENOMEM;
    }
    static const uint8_t empty[1] = {0};
    z.next_in = (Bytef *)(n ? p : empty);
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH) == Z_STREAM_END ? LPT_CP_OK : LPT_CP_EZLIB;
    if (rc == LPT_CP_OK && lpc_buf_append(out, buf, z.total_out) != LPC_OK) rc = LPT_CP_ENOMEM;
    deflateEnd(&z);
    free(buf);
    return rc;
}

int lpt_checkpoint_assemble(const lpc_value *events, const lpc_value *header, const uint8_t sk[64], lpc_buf *out)
{
    if (!events || events->type != LPC_ARRAY || !header || header->type != LPC_OBJECT || !sk || !out)
        return LPT_CP_EARG;
    if (!lpc_sodium_ready()) return LPT_CP_ECRYPTO;
    int rc;
    lpc_value *doc = lpc_new_object(), *hc = NULL, *levels = NULL;
    lpc_buf du = {0}, gz = {0}, b64 = {0};
    if (!doc) return LPT_CP_ENOMEM;
    /* events_compressed: base64(gzip(DU-A(events))) (§6) */
    lpc_err e = lpc_dump(events, LPC_PROFILE_DU_A, &du);
    if (e != LPC_OK) { rc = map_dump(e); goto done; }
    if ((rc = lpt_gzip(du.ptr, du.len, &gz))) goto done;
    if (lpc_b64_encode(gz.ptr, gz.len, LPC_B64_STD, &b64) != LPC_OK) { rc = LPT_CP_ENOMEM; goto done; }
    if ((rc = set_str(doc, "events_compressed", (const char *)b64.ptr, b64.len))) goto done;
    /* header as given, signature over H(utf8(DS-A(header))) (§5.2) */
    if (lpc_clone(header, &hc) != LPC_OK) { rc = LPT_CP_ENOMEM; goto done; }
    rc = set_val(doc, "header", hc);
    if (rc) goto done;
    uint8_t d[HASH_LEN], sig[64];
    if ((rc = hash_dump(header, LPC_PROFILE_DS_A, d))) goto done;
    if (crypto_sign_detached(sig, NULL, d, HASH_LEN, sk) != 0) { rc = LPT_CP_ECRYPTO; goto done; }
    char sh[129];
    lpc_hex_encode(sig, 64, sh);
    if ((rc = set_cstr(doc, "signature", sh))) goto done;
    if (events->u.a.n) {
        if ((rc = lpt_checkpoint_tree(events, NULL, &levels))) goto done;
        rc = set_val(doc, "tree_levels", levels);
        levels = NULL;  /* owned by doc (or freed by set_val) */
        if (rc) goto done;
    }
    /* the current payload: CS-A, ASCII (§7.1) */
    e = lpc_dump(doc, LPC_PROFILE_CS_A, out);
    rc = e == LPC_OK ? LPT_CP_OK : map_dump(e);
done:
    lpc_free(doc);
    lpc_free(levels);
    lpc_buf_free(&du);
    lpc_buf_free(&gz);
    lpc_buf_free(&b64);
    return rc;
}

int lpt_checkpoint_build_ex(const lpc_value *entries, const uint8_t sk[64], int64_t checkpoint_number,
                            const char *prev_root_hex_or_NULL, const lpt_checkpoint_opts *opts, lpc_buf *out)
{
    if (!sk || !out) return LPT_CP_EARG;
    lpc_value *recs = NULL, *hdr = NULL;
    int rc = lpt_checkpoint_records(entries, opts, &recs);
    if (rc == LPT_CP_OK) rc = lpt_checkpoint_header(recs, checkpoint_number, prev_root_hex_or_NULL, opts, &hdr);
    if (rc == LPT_CP_OK) rc = lpt_checkpoint_assemble(recs, hdr, sk, out);
    lpc_free(recs);
    lpc_free(hdr);
    return rc;
}

int lpt_checkpoint_build(const lpc_value *entries, const uint8_t sk[64], int64_t checkpoint_number,
                         const char *prev_root_hex_or_NULL, lpc_buf *out)
{
    return lpt_checkpoint_build_ex(entries, sk, checkpoint_number, prev_root_hex_or_NULL, NULL, out);
}
