/* Decoding a checkpoint's events (§6, §7.3 steps 4, 5, 7): base64 in parts over the
 * cores, gunzip, the record splitter, and the fused record pass (parse, CS-A, leaf hash
 * and, era C/D, the envelope checks in one pass over all cores), run while inflating
 * (streamed), over the whole text after inflating (split), or after one serial parse. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm_gzip.h"
#include "merkle/lpm_pool.h"
#include "merkle/lpm_state.h"

#define LPM_REC_CHUNK 64  /* records claimed at a time by a worker */

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

/* The record pass over rec[0..n): a record without a tree is parsed from text (or, with
 * plain set, hashed straight from its text when it is in the plain form, and left as
 * text).  leaves: hash every leaf (envelope failures are noted and the pass goes on, the
 * tree needs every leaf); otherwise envelopes only, stopping at the first failure. */
typedef struct {
    struct lpm_rec *rec;
    const uint8_t *text;
    int leaves, envelopes, plain;
    rec_scratch w[LPM_MAX_THREADS];
} rec_pass;

static lpm_err rec_chunk(void *ctx, unsigned wid, size_t b, size_t e, size_t *bad)
{
    rec_pass *p = ctx;
    rec_scratch *s = &p->w[wid];
    if (!s->h && !(s->h = lpc_hash_ctx_new(LPC_SHA256))) { *bad = b; return LPM_ERR_CRYPTO; }
    for (size_t i = b; i < e; i++) {
        struct lpm_rec *r = &p->rec[i];
        const uint8_t *t = r->tree ? NULL : p->text + r->span[0];
        size_t tl = r->span[1] - r->span[0];
        if (t && p->plain) {
            /* era A: CS-A from the text when plain; its bytes equal lpc_dump's of the tree */
            size_t sp[2];
            s->buf.len = 0;
            if (lpc_csa_from_text(t, tl, &s->csa, "sequence", sp, &s->buf) == LPC_OK) {
                if (!hash_bytes(s->h, s->buf.ptr, s->buf.len, r->leaf)) { *bad = i; return LPM_ERR_CRYPTO; }
                r->seq_ok = (uint8_t)lpc_dec_i64((const char *)s->buf.ptr + sp[0], sp[1] - sp[0], &r->seq);
                continue;
            }
        }
        if (t && lpc_parse_limit(t, tl, LPM_MAX_INFLATED, &r->tree, NULL) != LPC_OK) { *bad = i; return LPM_ERR_EVENTS_JSON; }
        size_t span[3][2];
        s->buf.len = 0;
        lpc_err le = lpm_dump_csa_spans(r->tree, k_env_path, p->envelopes ? 3 : 0, &s->buf, span);
        if (le != LPC_OK) { *bad = i; return le == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_CANONICAL; }
        if (p->leaves && !hash_bytes(s->h, s->buf.ptr, s->buf.len, r->leaf)) { *bad = i; return LPM_ERR_CRYPTO; }
        if (!p->envelopes || s->env_err != LPM_OK) continue;
        lpm_err ee = envelope_check(r->tree, s->buf.ptr, span, s->h);
        if (ee == LPM_OK) continue;
        if (!p->leaves) { *bad = i; return ee; }
        s->env_err = ee;
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

static void free_recs(struct lpm_rec *rec, size_t n)
{
    if (!rec) return;
    for (size_t i = 0; i < n; i++) lpc_free(rec[i].tree);
    free(rec);
}

void lpm_decoded_free(lpm_checkpoint *cp)
{
    if (cp->arr) {
        lpc_free(cp->arr);  /* owns every tree */
        free(cp->rec);
    } else {
        free_recs(cp->rec, cp->n);
    }
    free(cp->text);
    lpm_tree_free(&cp->tree);
    cp->arr = NULL;
    cp->rec = NULL;
    cp->text = NULL;
    cp->n = 0;
    cp->decoded = 0;
    cp->path = LPM_DECODE_NONE;
    cp->leaves_ready = 0;
    cp->env_done = 0;
    cp->env_err = LPM_OK;
    cp->env_bad = 0;
}

lpm_err lpm_decode_leaves(lpm_checkpoint *cp)
{
    rec_pass *p = calloc(1, sizeof *p);
    if (!p) return LPM_ERR_NOMEM;
    p->rec = cp->rec;
    p->text = cp->text;
    p->leaves = 1;
    p->envelopes = cp->era == LPM_ERA_D;
    p->plain = !p->envelopes;
    size_t bad;
    lpm_err err = lpm_parallel_chunks(cp->n, LPM_REC_CHUNK, 0, rec_chunk, p, &bad);
    if (err == LPM_OK && p->envelopes) rec_pass_env_result(p, cp);
    rec_pass_free(p);
    free(p);
    if (err == LPM_OK) cp->leaves_ready = 1;
    return err;
}

lpm_err lpm_decode_envelopes(lpm_checkpoint *cp, unsigned threads, size_t *bad)
{
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    rec_pass *p = calloc(1, sizeof *p);
    if (!p) return LPM_ERR_NOMEM;
    p->rec = cp->rec;
    p->text = cp->text;
    p->envelopes = 1;
    lpm_err err = lpm_parallel_chunks(cp->n, LPM_REC_CHUNK, threads, rec_chunk, p, bad);
    rec_pass_free(p);
    free(p);
    return err;
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
 * level deeper inside the array, it would exceed LPC_JSON_MAX_DEPTH.)  The slices go into
 * rec[k].span, an array allocated once for the most records the text can hold, so that
 * its address stays fixed while workers read it. */
typedef enum {
    SPLIT_BEFORE_ARRAY,   /* before '[' */
    SPLIT_BEFORE_RECORD,  /* after '[' or ',' */
    SPLIT_IN_RECORD,      /* inside a record: resumes at r, depth d, in_str */
    SPLIT_AFTER_RECORD,   /* before ',' or ']' */
    SPLIT_AFTER_ARRAY     /* after ']': only whitespace may follow */
} split_state;

typedef struct {
    size_t i;            /* next byte to scan */
    split_state state;
    size_t r;            /* SPLIT_IN_RECORD: where the scan resumes, */
    unsigned d;          /* the nesting depth there, */
    int in_str;          /* and whether that is inside a string */
    size_t start;        /* where the record began */
    size_t n, cap;       /* records split; room in rec */
    struct lpm_rec *rec;
} splitter;

/* Continues the record starting at sp->start: 1 with *end past its '}', 0 when t[0..have)
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
        if (sp->state != SPLIT_IN_RECORD)
            while (i < have && is_ws(t[i])) i++;
        sp->i = i;
        if (i >= have && sp->state != SPLIT_IN_RECORD) return !final || sp->state == SPLIT_AFTER_ARRAY;
        switch (sp->state) {
        case SPLIT_BEFORE_ARRAY:
            if (t[i] != '[') return 0;  /* also a BOM, UTF-16/32 or a NUL byte first */
            i++;
            sp->state = SPLIT_BEFORE_RECORD;
            break;
        case SPLIT_BEFORE_RECORD:
            if (t[i] != '{') return 0;
            sp->state = SPLIT_IN_RECORD;
            sp->start = sp->r = i;
            sp->d = 0;
            sp->in_str = 0;
            break;
        case SPLIT_IN_RECORD: {
            size_t end;
            int r = scan_record(sp, t, have, &end);
            if (r < 0 || (r == 0 && final)) return 0;
            if (r == 0) return 1;  /* wait for the rest of this record */
            if (sp->n == sp->cap) return 0;
            sp->rec[sp->n].span[0] = sp->start;
            sp->rec[sp->n].span[1] = end;
            sp->n++;
            i = end;
            sp->state = SPLIT_AFTER_RECORD;
            break;
        }
        case SPLIT_AFTER_RECORD:
            if (t[i] == ',') sp->state = SPLIT_BEFORE_RECORD;
            else if (t[i] == ']') sp->state = SPLIT_AFTER_ARRAY;
            else return 0;
            i++;
            break;
        case SPLIT_AFTER_ARRAY:
        default:
            return 0;  /* bytes after the closing ']' */
        }
    }
}

/* The split decode: records are parsed, serialised, hashed and, era C/D, their envelopes
 * verified in one pass over all cores; era A records in the plain form are hashed from
 * their text without a tree.  The record array is sized once for the most records a text
 * of text_cap bytes can hold (pages are touched only as records fill them), so workers can
 * run while the splitter is still adding records. */
typedef struct {
    splitter sp;
    rec_pass *p;
    int env;
} fused;

static void fused_free(fused *f)
{
    free_recs(f->sp.rec, f->sp.n);
    if (f->p) rec_pass_free(f->p);
    free(f->p);
    memset(f, 0, sizeof *f);
}

static int fused_init(fused *f, size_t text_cap)
{
    memset(f, 0, sizeof *f);
    size_t cap = text_cap / 3 + 1;  /* "{}," per record at least */
    f->sp.cap = cap > LPM_MAX_EVENTS ? LPM_MAX_EVENTS : cap;
    f->sp.rec = calloc(f->sp.cap, sizeof *f->sp.rec);
    f->p = calloc(1, sizeof *f->p);
    if (f->sp.rec && f->p) return 1;
    fused_free(f);
    return 0;
}

/* Once the first record is split: its tree decides the era, and so the checks. */
static int fused_begin(fused *f, const lpm_checkpoint *cp, const uint8_t *text)
{
    struct lpm_rec *r0 = &f->sp.rec[0];
    if (lpc_parse_limit(text + r0->span[0], r0->span[1] - r0->span[0], LPM_MAX_INFLATED, &r0->tree, NULL) != LPC_OK)
        return 0;
    f->env = !cp->unsigned_empty && lpc_get(r0->tree, "signed_log_entry") != NULL;
    rec_pass *p = f->p;
    p->rec = f->sp.rec;
    p->text = text;
    p->leaves = 1;
    p->envelopes = f->env;
    p->plain = !f->env;
    return 1;
}

/* Moves the records into cp (the text too, *txt then NULL, when a record was left as text). */
static void fused_install(fused *f, lpm_checkpoint *cp, uint8_t **txt)
{
    size_t n = f->sp.n;
    int text_kept = 0;
    for (size_t i = 0; i < n && !text_kept; i++) text_kept = f->sp.rec[i].tree == NULL;
    struct lpm_rec *rec = realloc(f->sp.rec, n * sizeof *rec);  /* shrink; keeps the old block on failure */
    cp->rec = rec ? rec : f->sp.rec;
    cp->n = n;
    f->sp.rec = NULL;
    f->sp.n = 0;
    cp->leaves_ready = 1;
    if (text_kept) {
        cp->text = *txt;
        *txt = NULL;
    }
    if (f->env) rec_pass_env_result(f->p, cp);
    if (!cp->unsigned_empty) cp->era = f->env ? LPM_ERA_D : LPM_ERA_A;
}

/* The whole text at once.  Returns 0 (nothing kept) whenever the serial path must decide
 * instead: text not split, any record failing. */
static int decode_split(lpm_checkpoint *cp, uint8_t **txt, size_t tlen)
{
    fused f;
    size_t bad;
    if (!fused_init(&f, tlen)) return 0;
    int ok = splitter_step(&f.sp, *txt, tlen, 1) && f.sp.n > 0 && fused_begin(&f, cp, *txt) &&
             lpm_parallel_chunks(f.sp.n, LPM_REC_CHUNK, 0, rec_chunk, f.p, &bad) == LPM_OK;
    if (ok) fused_install(&f, cp, txt);
    fused_free(&f);
    return ok;
}

/* While inflating: records are split as text arrives and run by the other workers, the
 * inflating thread joining them at the end.  Any failure abandons the stream (no thread
 * reads the text after that) and leaves the decision to the other paths. */
typedef struct {
    fused f;
    lpm_checkpoint *cp;
    lpm_stream *st;
    int ok;      /* still streaming (after LPM_GZ_END: every record was published) */
} stream_ctx;

static void stream_abandon(stream_ctx *c)
{
    if (c->st) (void)lpm_stream_abandon(c->st, NULL);
    c->st = NULL;
    c->ok = 0;
}

static void stream_progress(void *ctx, const uint8_t *buf, size_t have, lpm_gz_event ev)
{
    stream_ctx *c = ctx;
    if (ev == LPM_GZ_MOVING) {
        stream_abandon(c);
        assert(c->st == NULL);  /* the protocol: nothing reads buf once MOVING returns */
        return;
    }
    if (!c->ok) return;
    if (!splitter_step(&c->f.sp, buf, have, ev == LPM_GZ_END)) { stream_abandon(c); return; }
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
    /* sized by the rule that sizes the inflate buffer: the text cannot outgrow it without
     * a MOVING event, which ends streaming */
    if (!fused_init(&c.f, lpm_gunzip_first_cap(gz, gzlen, LPM_MAX_INFLATED))) c.ok = 0;
    lpm_err e = lpm_gunzip_cb(gz, gzlen, LPM_MAX_INFLATED, stream_progress, &c, txt, tlen);
    size_t bad;
    if (c.st) {
        lpm_err we = e == LPM_OK && c.ok ? lpm_stream_finish(c.st, &bad) : lpm_stream_abandon(c.st, &bad);
        c.st = NULL;
        if (we != LPM_OK) c.ok = 0;
    }
    if (e == LPM_OK && c.ok && c.f.sp.n > 0) {
        fused_install(&c.f, cp, txt);
        *done = 1;
    }
    fused_free(&c.f);
    return e;
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

/* One parse of the whole text: the authoritative verdict when the split paths decline. */
static lpm_err decode_serial(lpm_checkpoint *cp, const uint8_t *txt, size_t tlen)
{
    lpc_value *arr = NULL;
    lpc_err pe = lpc_parse_limit(txt, tlen, LPM_MAX_INFLATED, &arr, NULL);
    if (pe != LPC_OK)
        return pe == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : pe == LPC_ERR_TOO_LARGE ? LPM_ERR_INPUT_TOO_LARGE : LPM_ERR_EVENTS_JSON;
    lpm_err err = LPM_OK;
    if (arr->type != LPC_ARRAY) err = LPM_ERR_EVENTS_JSON;
    else if (arr->u.a.n > LPM_MAX_EVENTS) err = LPM_ERR_INPUT_TOO_LARGE;
    for (size_t i = 0; err == LPM_OK && i < arr->u.a.n; i++)
        if (arr->u.a.items[i]->type != LPC_OBJECT) err = LPM_ERR_EVENTS_JSON;
    size_t n = err == LPM_OK ? arr->u.a.n : 0;
    struct lpm_rec *rec = err == LPM_OK ? calloc(n ? n : 1, sizeof *rec) : NULL;
    if (err == LPM_OK && !rec) err = LPM_ERR_NOMEM;
    if (err != LPM_OK) { lpc_free(arr); return err; }
    for (size_t i = 0; i < n; i++) rec[i].tree = arr->u.a.items[i];
    cp->arr = arr;
    cp->rec = rec;
    cp->n = n;
    if (!cp->unsigned_empty) cp->era = n && lpc_get(rec[0].tree, "signed_log_entry") ? LPM_ERA_D : LPM_ERA_A;
    return LPM_OK;
}

lpm_err lpm_checkpoint_decode_events(lpm_checkpoint *cp)
{
    if (!cp || !cp->doc) return LPM_ERR_ARG;
    lpm_decoded_free(cp);
    const lpc_value *ec = lpc_get(cp->doc, "events_compressed");
    if (ec->u.s.len / 4 * 3 > LPM_MAX_COMPRESSED) return LPM_ERR_INPUT_TOO_LARGE;
    lpc_buf gz = {0};
    lpc_err be = b64_decode_parallel(ec->u.s.ptr, ec->u.s.len, &gz);
    if (be != LPC_OK) { lpc_buf_free(&gz); return be == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_BASE64; }
    uint8_t *txt = NULL;
    size_t tlen = 0;
    int done = 0;
    lpm_err e;
    if (lpm_thread_count(0) > 1) e = decode_streamed(cp, gz.ptr, gz.len, &txt, &tlen, &done);
    else e = lpm_gunzip(gz.ptr, gz.len, LPM_MAX_INFLATED, &txt, &tlen);
    lpc_buf_free(&gz);
    lpm_decode_path path = LPM_DECODE_STREAMED;
    if (e == LPM_OK && !done && (done = decode_split(cp, &txt, tlen)) != 0) path = LPM_DECODE_SPLIT;
    if (e == LPM_OK && !done) {
        e = decode_serial(cp, txt, tlen);
        path = LPM_DECODE_SERIAL;
    }
    free(txt);
    if (e != LPM_OK) return e;
    cp->path = path;
    cp->decoded = 1;
    return LPM_OK;
}
