/* Checkpoint payloads of every era (§5, §6, §7): parse, header signature,
 * events, tree, envelopes and lead-id search. */
#define _GNU_SOURCE 1  /* memmem (glibc declares it only then; POSIX.1-2024 has it) */
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
    free(cp->rec_text);
    free(cp->rec_span);
    free(cp->rec_seq);
    free(cp->rec_seq_ok);
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

static int cmp_member_ptr(const void *a, const void *b)
{
    const lpc_member *x = *(const lpc_member *const *)a, *y = *(const lpc_member *const *)b;
    int c = memcmp(x->key, y->key, x->klen < y->klen ? x->klen : y->klen);
    if (c) return c;
    return x->klen < y->klen ? -1 : x->klen > y->klen;
}

/* CS-A of v (separators "," ":", keys sorted by WTF-8 bytes as lpc_dump sorts them, ASCII
 * escapes), descending through path to note where each value on it starts and ends. */
static lpc_err dump_spans(const lpc_value *v, const char *const *path, size_t depth, lpc_buf *out, size_t (*span)[2])
{
    if (depth == 0 || v->type != LPC_OBJECT || v->u.o.n == 0) return lpc_dump(v, LPC_PROFILE_CS_A, out);
    size_t n = v->u.o.n, plen = strlen(path[0]);
    const lpc_member *stack[32], **order = n <= 32 ? stack : malloc(n * sizeof *order);
    if (!order) return LPC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) order[i] = &v->u.o.items[i];
    if (n > 32) {
        qsort(order, n, sizeof *order, cmp_member_ptr);
    } else {
        for (size_t i = 1; i < n; i++) {  /* keys are unique: any correct sort gives one order */
            const lpc_member *m = order[i];
            size_t j = i;
            for (; j > 0 && cmp_member_ptr(&order[j - 1], &m) > 0; j--) order[j] = order[j - 1];
            order[j] = m;
        }
    }
    lpc_err e = lpc_buf_append(out, "{", 1);
    for (size_t i = 0; i < n && e == LPC_OK; i++) {
        const lpc_member *m = order[i];
        if (i) e = lpc_buf_append(out, ",", 1);
        if (e == LPC_OK) e = lpc_dump_string(m->key, m->klen, 1, out);
        if (e == LPC_OK) e = lpc_buf_append(out, ":", 1);
        if (e != LPC_OK) break;
        if (m->klen == plen && memcmp(m->key, path[0], plen) == 0) {
            span[0][0] = out->len;
            e = dump_spans(m->val, path + 1, depth - 1, out, span + 1);
            span[0][1] = out->len;
        } else {
            e = lpc_dump(m->val, LPC_PROFILE_CS_A, out);
        }
    }
    if (order != stack) free(order);
    if (e == LPC_OK) e = lpc_buf_append(out, "}", 1);
    return e;
}

lpc_err lpm_dump_csa_spans(const lpc_value *rec, const char *const *path, size_t depth, lpc_buf *out,
                           size_t span[][2])
{
    if (!rec || !out || (depth && (!path || !span))) return LPC_ERR_ARG;
    for (size_t k = 0; k < depth; k++) span[k][0] = span[k][1] = 0;
    size_t start = out->len;
    lpc_err e = dump_spans(rec, path, depth, out, span);
    if (e != LPC_OK) {
        out->len = start;
        if (out->ptr) out->ptr[start] = 0;
        for (size_t k = 0; k < depth; k++) span[k][0] = span[k][1] = 0;
    }
    return e;
}

static int str_same(const lpc_value *a, const lpc_value *b)
{
    return a && b && a->type == LPC_STR && b->type == LPC_STR && a->u.s.len == b->u.s.len &&
           memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

static int hash_bytes(lpc_hash_ctx *h, const uint8_t *p, size_t n, uint8_t out[LPM_HASH_LEN])
{
    return lpc_hash_init(h) == LPC_OK && lpc_hash_update(h, p, n) == LPC_OK && lpc_hash_final(h, out) == LPC_OK;
}

/* record -> signed_log_entry -> signed_event -> payload */
static const char *const k_env_path[3] = {"signed_log_entry", "signed_event", "payload"};

/* One era C/D record (§3.2, §7.3 step 7): the links (event_hash, payload_hash =
 * H(CS-A(payload)), event_type), then the entry itself (§2.2).  buf holds CS-A(record)
 * and span the byte ranges of k_env_path within it, so H(CS-A(payload)) and
 * H(CS-A(signed_event)) hash substrings of the leaf preimage instead of re-serialising. */
static lpm_err envelope_check(const lpc_value *rec, const uint8_t *buf, size_t span[3][2], lpc_hash_ctx *h)
{
    const lpc_value *sle = lpc_get(rec, "signed_log_entry");
    const lpc_value *se = lpc_get(sle, "signed_event"), *payload = lpc_get(se, "payload");
    if (!sle || sle->type != LPC_OBJECT || !se || se->type != LPC_OBJECT || !payload) return LPM_ERR_MALFORMED;
    uint8_t ph[LPM_HASH_LEN], d[LPM_HASH_LEN];
    char hex[65];
    if (!hash_bytes(h, buf + span[2][0], span[2][1] - span[2][0], ph)) return LPM_ERR_CRYPTO;
    lpc_hex_encode(ph, LPM_HASH_LEN, hex);
    if (!str_same(lpc_get(rec, "event_hash"), lpc_get(sle, "event_hash")) || !lpc_str_eq(lpc_get(rec, "payload_hash"), hex) ||
        !str_same(lpc_get(rec, "event_type"), lpc_get(se, "event_type")))
        return LPM_ERR_PAYLOAD_HASH_MISMATCH;
    if (!hash_bytes(h, buf + span[1][0], span[1][1] - span[1][0], d)) return LPM_ERR_CRYPTO;
    return lpm_log_entry_verify_digest(sle, NULL, d);
}

typedef struct {
    lpc_buf buf;          /* one preimage buffer per worker, reused for every record */
    lpc_csa_scratch csa;
    lpc_hash_ctx *h;
    lpm_err env_err;      /* this worker's first envelope failure (its smallest index) */
    size_t env_bad;
} rec_scratch;

typedef struct {
    lpc_value **items;                /* the records (fused decode: filled by the pass) */
    const uint8_t *text;              /* fused decode: events text, record i at span[2i..2i+1] */
    const size_t *span;
    uint8_t (*leaves)[LPM_HASH_LEN];  /* NULL: envelopes only, stopping at the first failure */
    int envelopes;
    int64_t *seq;                     /* non-NULL (era A, with leaves): a record in the plain form */
    uint8_t *seq_ok;                  /* is hashed from its text and left unparsed (items[i] NULL) */
    rec_scratch w[LPM_MAX_THREADS];
} rec_pass;

static lpm_err rec_chunk(void *ctx, unsigned wid, size_t b, size_t e, size_t *bad)
{
    rec_pass *p = ctx;
    rec_scratch *s = &p->w[wid];
    if (!s->h && !(s->h = lpc_hash_ctx_new(LPC_SHA256))) { *bad = b; return LPM_ERR_CRYPTO; }
    for (size_t i = b; i < e; i++) {
        if (!p->items[i] && p->seq) {
            /* era A: CS-A from the text when plain; its bytes equal lpc_dump's of the tree */
            size_t sp[2];
            s->buf.len = 0;
            if (lpc_csa_from_text(p->text + p->span[2 * i], p->span[2 * i + 1] - p->span[2 * i], &s->csa, "sequence", sp,
                                  &s->buf) == LPC_OK) {
                if (!hash_bytes(s->h, s->buf.ptr, s->buf.len, p->leaves[i])) { *bad = i; return LPM_ERR_CRYPTO; }
                p->seq_ok[i] = (uint8_t)lpc_dec_i64((const char *)s->buf.ptr + sp[0], sp[1] - sp[0], &p->seq[i]);
                continue;
            }
        }
        if (!p->items[i]) {
            lpc_err pe = lpc_parse_limit(p->text + p->span[2 * i], p->span[2 * i + 1] - p->span[2 * i], LPM_MAX_INFLATED,
                                         &p->items[i], NULL);
            if (pe != LPC_OK) { *bad = i; return LPM_ERR_EVENTS_JSON; }
        }
        const lpc_value *rec = p->items[i];
        size_t span[3][2];
        s->buf.len = 0;
        lpc_err le = lpm_dump_csa_spans(rec, k_env_path, p->envelopes ? 3 : 0, &s->buf, span);
        if (le != LPC_OK) { *bad = i; return le == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_CANONICAL; }
        if (p->leaves && !hash_bytes(s->h, s->buf.ptr, s->buf.len, p->leaves[i])) { *bad = i; return LPM_ERR_CRYPTO; }
        if (!p->envelopes || s->env_err != LPM_OK) continue;
        lpm_err ee = envelope_check(rec, s->buf.ptr, span, s->h);
        if (ee == LPM_OK) continue;
        if (!p->leaves) { *bad = i; return ee; }
        s->env_err = ee;  /* the tree still needs every leaf: note it and go on */
        s->env_bad = i;
    }
    return LPM_OK;
}

static void rec_pass_free(rec_pass *p)
{
    for (unsigned t = 0; t < LPM_MAX_THREADS; t++) {
        lpc_buf_free(&p->w[t].buf);
        lpc_csa_scratch_free(&p->w[t].csa);
        lpc_hash_ctx_free(p->w[t].h);
    }
}

/* The smallest failing envelope over the workers (each worker's first is its smallest). */
static void rec_pass_env_result(const rec_pass *p, lpm_checkpoint *cp)
{
    cp->env_done = 1;
    cp->env_err = LPM_OK;
    cp->env_bad = SIZE_MAX;
    for (unsigned t = 0; t < LPM_MAX_THREADS; t++)
        if (p->w[t].env_err != LPM_OK && p->w[t].env_bad < cp->env_bad) {
            cp->env_bad = p->w[t].env_bad;
            cp->env_err = p->w[t].env_err;
        }
    if (cp->env_err == LPM_OK) cp->env_bad = 0;
}

static int is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Splits the inflated events text "[{...}, {...}]" into record slices without parsing
 * (strings with their escapes and nesting tracked), as the text arrives.  It fails,
 * meaning "use the serial parser", on anything else: a BOM or NUL byte at the start, an
 * element that is not an object, nesting deeper than the parser allows inside the array,
 * more than LPM_MAX_EVENTS records, an empty array, or a byte out of place.  Soundness
 * does not rest on the scan: the slices are joined only by whitespace and commas inside
 * "[ ]", so when every slice parses on its own the whole text is a valid array whose
 * elements are exactly those slices (JSON's grammar is unambiguous), with the same
 * values; when any slice fails the caller parses the whole text serially and reports
 * that parser's error.  (The depth check keeps a slice from passing alone where, one
 * level deeper inside the array, it would exceed LPC_JSON_MAX_DEPTH.)  span holds
 * start/end pairs, allocated once for the most records the text can hold, so that its
 * address stays fixed while workers read it. */
typedef struct {
    size_t i;        /* next byte to scan */
    int state;       /* 0 before '[', 1 before a record, 2 after a record, 3 after ']', 4 inside a record */
    size_t r;        /* state 4: where the scan resumes, */
    unsigned d;      /* the nesting depth there, */
    int in_str;      /* and whether that is inside a string */
    size_t n, cap;   /* records split; room in span */
    size_t *span;
} splitter;

static int splitter_init(splitter *sp, size_t text_cap)
{
    memset(sp, 0, sizeof *sp);
    size_t cap = text_cap / 3 + 1;  /* "{}," per record at least */
    sp->cap = cap > LPM_MAX_EVENTS ? LPM_MAX_EVENTS : cap;
    sp->span = malloc(2 * sp->cap * sizeof *sp->span);
    return sp->span != NULL;
}

/* Continues the record starting at sp->i: 1 with *end past its '}', 0 when t[0..have)
 * ends inside it (the scan resumes where it stopped: no byte is scanned twice), -1 when it
 * cannot be split. */
static int scan_record(splitter *sp, const uint8_t *t, size_t have, size_t *end)
{
    size_t i = sp->r;
    unsigned d = sp->d;
    int r = 0;
    for (;;) {
        if (sp->in_str) {
            /* the closing quote is the first one after an even run of backslashes */
            const uint8_t *q = i < have ? memchr(t + i, '"', have - i) : NULL;
            if (!q) { i = have; break; }
            i = (size_t)(q - t);
            size_t bs = 0;
            while (t[i - 1 - bs] == '\\') bs++;
            i++;
            if (bs % 2 == 0) sp->in_str = 0;
            continue;
        }
        if (i >= have) break;
        uint8_t c = t[i++];
        if (c == '"') {
            sp->in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++d > LPC_JSON_MAX_DEPTH - 1) { r = -1; break; }  /* the array is one level */
        } else if (c == '}' || c == ']') {
            if (--d == 0) { *end = i; r = 1; break; }
        }
    }
    sp->r = i;
    sp->d = d;
    return r;
}

/* Advances over t[0..have); final: no more text comes.  0 when the text cannot be split. */
static int splitter_step(splitter *sp, const uint8_t *t, size_t have, int final)
{
    size_t i = sp->i;
    for (;;) {
        if (sp->state != 4)
            while (i < have && is_ws(t[i])) i++;
        sp->i = i;
        if (i >= have && sp->state != 4) return !final || sp->state == 3;
        switch (sp->state) {
        case 0:
            if (t[i] != '[') return 0;  /* also a BOM, UTF-16/32 or a NUL byte first */
            i++;
            sp->state = 1;
            break;
        case 1:
            if (t[i] != '{') return 0;
            sp->state = 4;
            sp->r = i;
            sp->d = 0;
            sp->in_str = 0;
            break;
        case 4: {
            size_t end;
            int r = scan_record(sp, t, have, &end);
            if (r < 0 || (r == 0 && final)) return 0;
            if (r == 0) return 1;  /* wait for the rest of this record */
            if (sp->n == sp->cap) return 0;
            sp->span[2 * sp->n] = i;
            sp->span[2 * sp->n + 1] = end;
            sp->n++;
            i = end;
            sp->state = 2;
            break;
        }
        case 2:
            if (t[i] == ',') sp->state = 1;
            else if (t[i] == ']') sp->state = 3;
            else return 0;
            i++;
            break;
        default:
            return 0;  /* bytes after the closing ']' */
        }
    }
}

#define LPM_REC_CHUNK 64  /* records claimed at a time by a worker */

static void reset_derived(lpm_checkpoint *cp)
{
    lpc_free(cp->events);
    cp->events = NULL;
    cp->n_events = 0;
    free(cp->rec_text);
    free(cp->rec_span);
    free(cp->rec_seq);
    free(cp->rec_seq_ok);
    cp->rec_text = NULL;
    cp->rec_span = NULL;
    cp->rec_seq = NULL;
    cp->rec_seq_ok = NULL;
    lpm_checkpoint_events_changed(cp);
}

/* Fused decode (§6, §7.3 steps 4, 5, 7): the records are parsed, serialised, hashed and,
 * era C/D, their envelopes verified in one pass over all cores; era A records in the plain
 * form are hashed from their text without a tree.  Arrays are sized once for the most
 * records the text can hold (pages are touched only as records fill them), so workers can
 * run while the splitter is still adding records. */
typedef struct {
    splitter sp;
    lpc_value **items;
    uint8_t (*leaves)[LPM_HASH_LEN];
    int64_t *seq;
    uint8_t *seq_ok;
    rec_pass *p;
    int env;
} fused;

static void fused_free(fused *f)
{
    if (f->items) {
        for (size_t i = 0; i < f->sp.n; i++) lpc_free(f->items[i]);
        free(f->items);
    }
    if (f->p) rec_pass_free(f->p);
    free(f->p);
    free(f->leaves);
    free(f->seq);
    free(f->seq_ok);
    free(f->sp.span);
    memset(f, 0, sizeof *f);
}

static int fused_init(fused *f, size_t text_cap)
{
    memset(f, 0, sizeof *f);
    if (!splitter_init(&f->sp, text_cap)) return 0;
    size_t c = f->sp.cap;
    f->items = calloc(c, sizeof *f->items);
    f->leaves = malloc(c * LPM_HASH_LEN);
    f->seq = malloc(c * sizeof *f->seq);
    f->seq_ok = calloc(c, 1);
    f->p = calloc(1, sizeof *f->p);
    if (f->items && f->leaves && f->seq && f->seq_ok && f->p) return 1;
    fused_free(f);
    return 0;
}

/* Once the first record is split: its tree decides the era, and so the checks. */
static int fused_begin(fused *f, const lpm_checkpoint *cp, const uint8_t *text)
{
    const size_t *sp = f->sp.span;
    if (lpc_parse_limit(text + sp[0], sp[1] - sp[0], LPM_MAX_INFLATED, &f->items[0], NULL) != LPC_OK) return 0;
    f->env = !cp->unsigned_empty && lpc_get(f->items[0], "signed_log_entry") != NULL;
    rec_pass *p = f->p;
    p->items = f->items;
    p->text = text;
    p->span = f->sp.span;
    p->leaves = f->leaves;
    p->envelopes = f->env;
    p->seq = f->env ? NULL : f->seq;
    p->seq_ok = f->seq_ok;
    return 1;
}

/* Moves the results into cp (the text too, *txt then NULL, when a record was left as text). */
static int fused_install(fused *f, lpm_checkpoint *cp, uint8_t **txt)
{
    size_t n = f->sp.n;
    lpc_value *arr = lpc_new_array();
    if (!arr) return 0;
    int text_only = 0;
    for (size_t i = 0; i < n && !text_only; i++) text_only = f->items[i] == NULL;
    lpc_value **items = realloc(f->items, n * sizeof *items);
    if (items) f->items = items;
    uint8_t (*leaves)[LPM_HASH_LEN] = realloc(f->leaves, n * LPM_HASH_LEN);
    if (leaves) f->leaves = leaves;
    arr->u.a.items = f->items;
    arr->u.a.n = arr->u.a.cap = n;
    f->items = NULL;
    cp->events = arr;
    cp->n_events = n;
    cp->leaves = f->leaves;
    f->leaves = NULL;
    cp->leaves_ready = 1;
    if (text_only) {
        cp->rec_text = *txt;
        *txt = NULL;
        cp->rec_span = f->sp.span;
        f->sp.span = NULL;
        cp->rec_seq = f->seq;
        f->seq = NULL;
        cp->rec_seq_ok = f->seq_ok;
        f->seq_ok = NULL;
    }
    if (f->env) rec_pass_env_result(f->p, cp);
    if (!cp->unsigned_empty) cp->era = f->env ? LPM_ERA_D : LPM_ERA_A;
    return 1;
}

/* The whole text at once.  Returns 0 (nothing kept) whenever the serial path must decide
 * instead: text not split, any record failing. */
static int decode_fused(lpm_checkpoint *cp, uint8_t **txt, size_t tlen)
{
    fused f;
    size_t bad;
    if (!fused_init(&f, tlen)) return 0;
    int ok = splitter_step(&f.sp, *txt, tlen, 1) && f.sp.n > 0 && fused_begin(&f, cp, *txt) &&
             lpm_parallel_chunks(f.sp.n, LPM_REC_CHUNK, 0, rec_chunk, f.p, &bad) == LPM_OK && fused_install(&f, cp, txt);
    fused_free(&f);
    return ok;
}

/* While inflating: records are split as text arrives and run by the other workers, the
 * inflating thread joining them at the end.  Any failure abandons the stream (no thread
 * reads the text after that) and leaves the decision to the serial path. */
typedef struct {
    fused f;
    lpm_checkpoint *cp;
    lpm_stream *st;
    int ok;      /* still streaming (after a successful gunzip: every record was published) */
} stream_ctx;

static void stream_abandon(stream_ctx *c)
{
    if (c->st) lpm_stream_finish(c->st, 1, NULL);
    c->st = NULL;
    c->ok = 0;
}

static void stream_progress(void *ctx, const uint8_t *buf, size_t have, int moving)
{
    stream_ctx *c = ctx;
    if (!c->ok) return;
    if (moving == 1) { stream_abandon(c); return; }
    if (!splitter_step(&c->f.sp, buf, have, moving == 2)) { stream_abandon(c); return; }
    if (!c->st && c->f.sp.n > 0) {
        if (!fused_begin(&c->f, c->cp, buf) || lpm_stream_start(LPM_REC_CHUNK, 0, rec_chunk, c->f.p, &c->st) != LPM_OK) {
            c->st = NULL;
            c->ok = 0;
            return;
        }
    }
    if (c->st) lpm_stream_publish(c->st, c->f.sp.n);
}

/* Inflates gz into *txt and, when it can, decodes the records meanwhile; *done = 1 when
 * cp holds the result (then *txt may be NULL: kept in cp). */
static lpm_err decode_streamed(lpm_checkpoint *cp, const uint8_t *gz, size_t gzlen, uint8_t **txt, size_t *tlen, int *done)
{
    *done = 0;
    stream_ctx c = {.cp = cp, .ok = 1};
    size_t isize = lpm_gzip_isize(gz, gzlen);
    if (!fused_init(&c.f, isize < LPM_MAX_INFLATED ? isize + 1 : LPM_MAX_INFLATED)) c.ok = 0;
    lpm_err e = lpm_gunzip_cb(gz, gzlen, LPM_MAX_INFLATED, stream_progress, &c, txt, tlen);
    size_t bad;
    if (c.st) {
        lpm_err we = lpm_stream_finish(c.st, !(e == LPM_OK && c.ok), &bad);
        if (we != LPM_OK) c.ok = 0;
    }
    if (e == LPM_OK && c.ok && c.f.sp.n > 0 && fused_install(&c.f, cp, txt)) *done = 1;
    fused_free(&c.f);
    return e;
}

void lpm_checkpoint_events_changed(lpm_checkpoint *cp)
{
    if (!cp) return;
    free(cp->leaves);
    cp->leaves = NULL;
    lpm_tree_free(&cp->tree);
    cp->leaves_ready = 0;
    cp->env_done = 0;
    cp->env_err = LPM_OK;
    cp->env_bad = 0;
}

#define LPM_B64_PAR_MIN ((size_t)4 << 20)  /* base64 characters worth decoding over the cores */

typedef struct {
    const char *s;
    size_t len, part, parts;  /* part: characters per part but the last, a multiple of 4 */
    uint8_t *out;
    size_t n[LPM_MAX_THREADS];
} b64_job;

static lpm_err b64_part(void *ctx, unsigned w, size_t b, size_t e, size_t *bad)
{
    (void)w;
    b64_job *j = ctx;
    for (size_t k = b; k < e; k++) {
        size_t off = k * j->part, len = k + 1 < j->parts ? j->part : j->len - off;
        *bad = k;
        /* only the last part may end in padding (a padded middle part would decode alone) */
        if (off + len < j->len && len && j->s[off + len - 1] == '=') return LPM_ERR_BASE64;
        if (lpc_b64_decode_to(j->s + off, len, LPC_B64_STD, j->out + off / 4 * 3, len / 4 * 3, &j->n[k]) != LPC_OK)
            return LPM_ERR_BASE64;
    }
    return LPM_OK;
}

/* Standard base64 of the gzip (§6), decoded in parts of equal length over the cores
 * when long: the same bytes and verdict as lpc_b64_decode. */
static lpc_err b64_decode_parallel(const char *s, size_t len, lpc_buf *out)
{
    unsigned t = lpm_thread_count(0);
    if (t < 2 || len < LPM_B64_PAR_MIN) return lpc_b64_decode(s, len, LPC_B64_STD, out);
    if (len % 4) return LPC_ERR_BASE64;
    lpc_err e = lpc_buf_reserve(out, len / 4 * 3);
    if (e != LPC_OK) return e;
    b64_job j = {.s = s, .len = len, .part = len / 4 / t * 4, .parts = t, .out = out->ptr};
    size_t bad, total = 0;
    if (lpm_parallel_chunks(t, 1, t, b64_part, &j, &bad) != LPM_OK) return LPC_ERR_BASE64;
    for (unsigned k = 0; k < t; k++) total += j.n[k];
    out->len = total;
    out->ptr[total] = 0;
    return LPC_OK;
}

lpm_err lpm_checkpoint_decode_events(lpm_checkpoint *cp)
{
    if (!cp || !cp->doc) return LPM_ERR_ARG;
    reset_derived(cp);
    const lpc_value *ec = lpc_get(cp->doc, "events_compressed");
    if (ec->u.s.len / 4 * 3 > LPM_MAX_COMPRESSED) return LPM_ERR_INPUT_TOO_LARGE;
    lpc_buf gz = {0};
    lpc_err be = b64_decode_parallel(ec->u.s.ptr, ec->u.s.len, &gz);
    if (be != LPC_OK) { lpc_buf_free(&gz); return be == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_BASE64; }
    uint8_t *txt = NULL;
    size_t tlen = 0;
    int done = 0;
    lpm_err e;
    cp->decode_path = 0;
    if (lpm_thread_count(0) > 1) e = decode_streamed(cp, gz.ptr, gz.len, &txt, &tlen, &done);
    else e = lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &txt, &tlen);
    if (done) cp->decode_path = 2;
    if (e == LPM_OK && !done && (done = decode_fused(cp, &txt, tlen))) cp->decode_path = 1;
    lpc_buf_free(&gz);
    if (e != LPM_OK) return e;
    if (done) {
        free(txt);
        return LPM_OK;
    }
    lpc_value *arr = NULL;
    lpc_err pe = lpc_parse_limit(txt, tlen, LPM_MAX_INFLATED, &arr, NULL);
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
        int64_t s = 0;
        const lpc_value *rec = cp->events->u.a.items[i];
        int known = rec ? get_i64(rec, "sequence", &s) : cp->rec_seq_ok && cp->rec_seq_ok[i] && (s = cp->rec_seq[i], 1);
        if (!known || s != first + (int64_t)i) {
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
    lpm_tree_free(&cp->tree);
    if (cp->n_events == 0) return LPM_ERR_EMPTY_TREE;
    if (!cp->leaves_ready) {  /* the serial decode path: serialise and hash here */
        free(cp->leaves);
        cp->env_done = 0;
        cp->env_err = LPM_OK;
        cp->env_bad = 0;
        cp->leaves = malloc(cp->n_events * LPM_HASH_LEN);
        if (!cp->leaves) return LPM_ERR_NOMEM;
        rec_pass *p = calloc(1, sizeof *p);
        if (!p) return LPM_ERR_NOMEM;
        p->items = cp->events->u.a.items;
        p->text = cp->rec_text;
        p->span = cp->rec_span;
        p->leaves = cp->leaves;
        p->envelopes = cp->era == LPM_ERA_D;
        p->seq = p->envelopes ? NULL : cp->rec_seq;
        p->seq_ok = cp->rec_seq_ok;
        size_t bad;
        lpm_err err = lpm_parallel_chunks(cp->n_events, LPM_REC_CHUNK, 0, rec_chunk, p, &bad);
        if (err == LPM_OK && p->envelopes) rec_pass_env_result(p, cp);
        rec_pass_free(p);
        free(p);
        if (err != LPM_OK) return err;
        cp->leaves_ready = 1;
    }
    return lpm_tree_build((const uint8_t (*)[LPM_HASH_LEN])cp->leaves, cp->n_events, &cp->tree);
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

lpm_err lpm_checkpoint_check_envelopes(const lpm_checkpoint *cp, unsigned threads, size_t *bad)
{
    if (!cp || !cp->events || !bad) return LPM_ERR_ARG;
    *bad = 0;
    size_t n = cp->n_events;
    lpm_err err;
    if (cp->env_done) {  /* already run with the leaves (decode or build_tree) */
        err = cp->env_err;
        *bad = cp->env_bad;
    } else {
        rec_pass *p = calloc(1, sizeof *p);
        if (!p) return LPM_ERR_NOMEM;
        p->items = cp->events->u.a.items;
        p->text = cp->rec_text;
        p->span = cp->rec_span;
        p->envelopes = 1;
        err = lpm_sodium_ready() ? lpm_parallel_chunks(n, LPM_REC_CHUNK, threads, rec_chunk, p, bad) : LPM_ERR_CRYPTO;
        rec_pass_free(p);
        free(p);
    }
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

lpm_err lpm_checkpoint_record(const lpm_checkpoint *cp, size_t i, const lpc_value **rec, lpc_value **owned)
{
    if (!cp || !cp->events || i >= cp->n_events || !rec || !owned) return LPM_ERR_ARG;
    *owned = NULL;
    *rec = cp->events->u.a.items[i];
    if (*rec) return LPM_OK;
    if (!cp->rec_text) return LPM_ERR_ARG;
    lpc_err pe = lpc_parse_limit(cp->rec_text + cp->rec_span[2 * i], cp->rec_span[2 * i + 1] - cp->rec_span[2 * i],
                                 LPM_MAX_INFLATED, owned, NULL);
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
    if (!cp || !cp->events || !lead_id || !idx || !n) return LPM_ERR_ARG;
    *idx = NULL;
    *n = 0;
    size_t cap = 0;
    lpc_buf needle = {0};
    int filter = lpc_dump_string(lead_id, lead_len, 1, &needle) == LPC_OK;
    lpm_err err = LPM_OK;
    for (size_t i = 0; i < cp->n_events; i++) {
        const lpc_value *rec = cp->events->u.a.items[i];
        lpc_value *owned = NULL;
        if (!rec) {
            const uint8_t *t = cp->rec_text + cp->rec_span[2 * i];
            size_t tl = cp->rec_span[2 * i + 1] - cp->rec_span[2 * i];
            if (filter && !memmem(t, tl, needle.ptr, needle.len)) continue;
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
