/* Signed transparency-log envelopes (§2.2) and chain rules (§2.3). */
#include <pthread.h>
#include <stdint.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canonical/lpc_hash.h"
#include "merkle/lp_merkle.h"

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;
static void sodium_start(void) { sodium_ok = sodium_init() >= 0; }
int lpm_sodium_ready(void)
{
    pthread_once(&sodium_once, sodium_start);
    return sodium_ok;
}

int lpm_ed25519_verify(const uint8_t *sig, size_t sig_len, const uint8_t *msg, size_t len,
                       const uint8_t pk[LPM_PUBKEY_LEN])
{
    static const uint8_t empty[1];
    if (!sig || sig_len != LPM_SIG_LEN || !pk || (!msg && len) || !lpm_sodium_ready()) return 0;
    return crypto_sign_verify_detached(sig, len ? msg : empty, len, pk) == 0;
}

static int nonempty_str(const lpc_value *v)
{
    return v && v->type == LPC_STR && v->u.s.len > 0;
}

/* Python truthiness of the four fields; signed_event must be a non-empty dict.
 * digest, when non-NULL, is H(CS-A(signed_event)) already computed by the caller. */
static lpm_err entry_verify(const lpc_value *entry, const char *expected_pubkey_hex, const uint8_t *digest)
{
    if (!entry || entry->type != LPC_OBJECT) return LPM_ERR_MALFORMED;
    const lpc_value *se = lpc_get(entry, "signed_event"), *eh = lpc_get(entry, "event_hash"),
                    *pk = lpc_get(entry, "enclave_pubkey"), *sig = lpc_get(entry, "enclave_signature");
    if (!se || se->type != LPC_OBJECT || se->u.o.n == 0 || !nonempty_str(eh) || !nonempty_str(pk) ||
        !nonempty_str(sig))
        return LPM_ERR_MALFORMED;
    if (expected_pubkey_hex && !lpc_str_eq(pk, expected_pubkey_hex)) return LPM_ERR_PUBKEY_MISMATCH;
    uint8_t d[LPM_HASH_LEN];
    if (digest) {
        memcpy(d, digest, LPM_HASH_LEN);
    } else {
        lpm_err e = lpm_hash_csa(se, d);
        if (e != LPM_OK) return e;
    }
    char hex[65];
    lpc_hex_encode(d, LPM_HASH_LEN, hex);
    if (eh->u.s.len != 64 || memcmp(eh->u.s.ptr, hex, 64) != 0) return LPM_ERR_EVENT_HASH_MISMATCH;
    /* bytes.fromhex accepts either case; a malformed key or signature is a failed verify */
    uint8_t key[LPM_PUBKEY_LEN], s[LPM_SIG_LEN];
    size_t kl, sl;
    if (lpc_hex_decode(pk->u.s.ptr, pk->u.s.len, key, sizeof key, &kl) != LPC_OK || kl != sizeof key ||
        lpc_hex_decode(sig->u.s.ptr, sig->u.s.len, s, sizeof s, &sl) != LPC_OK || sl != sizeof s)
        return LPM_ERR_EVENT_SIGNATURE_INVALID;
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    return lpm_ed25519_verify(s, sizeof s, d, LPM_HASH_LEN, key) ? LPM_OK : LPM_ERR_EVENT_SIGNATURE_INVALID;
}

lpm_err lpm_log_entry_verify(const lpc_value *entry, const char *expected_pubkey_hex)
{
    return entry_verify(entry, expected_pubkey_hex, NULL);
}

lpm_err lpm_log_entry_verify_digest(const lpc_value *entry, const char *expected_pubkey_hex,
                                    const uint8_t digest[LPM_HASH_LEN])
{
    if (!digest) return LPM_ERR_ARG;
    return entry_verify(entry, expected_pubkey_hex, digest);
}

unsigned lpm_thread_count(unsigned threads)
{
    if (threads == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (unsigned)c : 1;
    }
    return threads > LPM_MAX_THREADS ? LPM_MAX_THREADS : threads;
}

/* Work sharing: items become claimable as they are published (all at once for
 * lpm_parallel_chunks, as a producer makes them ready for a stream); chunks are claimed
 * in increasing order from one counter under the lock, so a worker that loses its core to
 * another process delays at most one chunk, and waiting workers sleep on a condition
 * variable, leaving the core to the producer.  Each worker's claims increase, so its first
 * failure is its smallest; every chunk below the smallest failure overall was claimed and
 * run to its end or to an earlier failure, so the minimum over workers is the smallest
 * failing index. */
struct lpm_stream {
    lpm_chunk_fn fn;
    void *ctx;
    size_t chunk;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t avail, next, stop;  /* under mu; stop: smallest failing index (SIZE_MAX: none) */
    int closed;
    unsigned threads;
    pthread_t th[LPM_MAX_THREADS];
    int created[LPM_MAX_THREADS];
    struct stream_worker {
        struct lpm_stream *s;
        unsigned id;
        size_t bad;
        lpm_err err;
    } w[LPM_MAX_THREADS];
};

static void *stream_run(void *arg)
{
    struct stream_worker *w = arg;
    struct lpm_stream *s = w->s;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        if (s->next >= s->stop) break;  /* nothing below a known failure, or abandoned */
        if (s->next < s->avail) {
            size_t b = s->next, e = s->avail - b > s->chunk ? b + s->chunk : s->avail, bad = b;
            s->next = e;
            pthread_mutex_unlock(&s->mu);
            lpm_err err = s->fn(s->ctx, w->id, b, e, &bad);
            pthread_mutex_lock(&s->mu);
            if (err != LPM_OK) {
                w->err = err;
                w->bad = bad;
                if (bad < s->stop) s->stop = bad;
                pthread_cond_broadcast(&s->cv);
                break;
            }
            continue;
        }
        if (s->closed) break;
        pthread_cond_wait(&s->cv, &s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Starts threads-1 workers on s (worker 0 is the caller's, in stream_close). */
static int stream_init(struct lpm_stream *s, size_t chunk, unsigned threads, lpm_chunk_fn fn, void *ctx)
{
    memset(s, 0, sizeof *s);
    if (pthread_mutex_init(&s->mu, NULL) != 0) return 0;
    if (pthread_cond_init(&s->cv, NULL) != 0) { pthread_mutex_destroy(&s->mu); return 0; }
    s->fn = fn;
    s->ctx = ctx;
    s->chunk = chunk ? chunk : 1;
    s->stop = SIZE_MAX;
    s->threads = lpm_thread_count(threads);
    for (unsigned t = 0; t < s->threads; t++) {
        s->w[t] = (struct stream_worker){s, t, 0, LPM_OK};
        if (t > 0) s->created[t] = pthread_create(&s->th[t], NULL, stream_run, &s->w[t]) == 0;
    }
    return 1;
}

/* Closes s, runs what is left on the caller (unless abandoned) and joins the workers; a
 * worker that could not start left no gap: worker 0 claims its chunks. */
static lpm_err stream_close(struct lpm_stream *s, int abandon, size_t *first_bad)
{
    pthread_mutex_lock(&s->mu);
    s->closed = 1;
    if (abandon) s->stop = 0;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (!abandon) stream_run(&s->w[0]);
    for (unsigned t = 1; t < s->threads; t++)
        if (s->created[t]) pthread_join(s->th[t], NULL);
    lpm_err err = LPM_OK;
    size_t bad = SIZE_MAX;
    for (unsigned t = 0; t < s->threads; t++)
        if (s->w[t].err != LPM_OK && s->w[t].bad < bad) { bad = s->w[t].bad; err = s->w[t].err; }
    if (first_bad) *first_bad = err == LPM_OK ? 0 : bad;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    return abandon && err == LPM_OK ? LPM_ERR_ARG : err;
}

lpm_err lpm_parallel_chunks(size_t n, size_t chunk, unsigned threads, lpm_chunk_fn fn, void *ctx, size_t *first_bad)
{
    if (!fn || !first_bad) return LPM_ERR_ARG;
    *first_bad = 0;
    if (chunk == 0) chunk = 1;
    struct lpm_stream s;
    if (!stream_init(&s, chunk, n <= chunk ? 1 : threads, fn, ctx)) return LPM_ERR_NOMEM;
    lpm_stream_publish(&s, n);
    return stream_close(&s, 0, first_bad);
}

lpm_err lpm_stream_start(size_t chunk, unsigned threads, lpm_chunk_fn fn, void *ctx, lpm_stream **out)
{
    if (!fn || !out) return LPM_ERR_ARG;
    *out = NULL;
    struct lpm_stream *s = malloc(sizeof *s);
    if (!s) return LPM_ERR_NOMEM;
    if (!stream_init(s, chunk, threads, fn, ctx)) { free(s); return LPM_ERR_NOMEM; }
    *out = s;
    return LPM_OK;
}

void lpm_stream_publish(lpm_stream *s, size_t avail)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    if (avail > s->avail) {
        s->avail = avail;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
}

lpm_err lpm_stream_finish(lpm_stream *s, int abandon, size_t *first_bad)
{
    if (!s) return LPM_ERR_ARG;
    lpm_err err = stream_close(s, abandon, first_bad);
    free(s);
    return err;
}

typedef struct { lpm_item_fn fn; const void *ctx; } item_ctx;

static lpm_err item_chunk(void *ctx, unsigned worker, size_t b, size_t e, size_t *bad)
{
    (void)worker;
    const item_ctx *c = ctx;
    for (size_t i = b; i < e; i++) {
        lpm_err err = c->fn(c->ctx, i);
        if (err != LPM_OK) { *bad = i; return err; }
    }
    return LPM_OK;
}

lpm_err lpm_parallel_for(size_t n, unsigned threads, lpm_item_fn fn, const void *ctx, size_t *first_bad)
{
    if (!fn || !first_bad) return LPM_ERR_ARG;
    *first_bad = 0;
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    item_ctx c = {fn, ctx};
    return lpm_parallel_chunks(n, 16, threads, item_chunk, &c, first_bad);
}

typedef struct { const lpc_value *const *entries; const char *pin; } entries_ctx;

static lpm_err verify_item(const void *ctx, size_t i)
{
    const entries_ctx *c = ctx;
    return lpm_log_entry_verify(c->entries[i], c->pin);
}

lpm_err lpm_log_entries_verify(const lpc_value *const *entries, size_t n, const char *expected_pubkey_hex,
                               unsigned threads, size_t *first_bad)
{
    if ((n && !entries) || !first_bad) return LPM_ERR_ARG;
    entries_ctx c = {entries, expected_pubkey_hex};
    return lpm_parallel_for(n, threads, verify_item, &c, first_bad);
}

typedef struct { const char *boot; size_t blen, pos; int64_t seq; } seq_item;

static int seq_cmp(const void *a, const void *b)
{
    const seq_item *x = a, *y = b;
    size_t m = x->blen < y->blen ? x->blen : y->blen;
    int c = memcmp(x->boot, y->boot, m);
    if (c) return c;
    if (x->blen != y->blen) return x->blen < y->blen ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

lpm_err lpm_log_chain_check(const lpc_value *const *entries, size_t n, size_t *bad)
{
    if ((n && !entries) || !bad) return LPM_ERR_ARG;
    *bad = 0;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *se = lpc_get(entries[i], "signed_event");
        if (!se || se->type != LPC_OBJECT) { *bad = i; return LPM_ERR_MALFORMED; }
        if (i == 0 || lpc_str_eq(lpc_get(se, "event_type"), "ENCLAVE_RESTART")) continue;
        const lpc_value *prev = lpc_get(se, "prev_event_hash"), *ph = lpc_get(entries[i - 1], "event_hash");
        /* Python compares the values with != : both must be equal strings */
        if (!prev || !ph || prev->type != LPC_STR || ph->type != LPC_STR || prev->u.s.len != ph->u.s.len ||
            memcmp(prev->u.s.ptr, ph->u.s.ptr, ph->u.s.len) != 0) {
            *bad = i;
            return LPM_ERR_CHAIN_BROKEN;
        }
    }
    /* strictly increasing monotonic_seq within each boot_id: sort (boot_id, position);
     * when one boot_id covers every entry (a single enclave boot, the usual checkpoint)
     * the sorted order is the array order, so one linear pass gives the same answer */
    int one_boot = 1;
    const lpc_value *boot0 = n ? lpc_get(lpc_get(entries[0], "signed_event"), "boot_id") : NULL;
    int64_t prev_seq = 0;
    size_t first_drop = SIZE_MAX;  /* reported only once every entry is known well-formed */
    for (size_t i = 0; i < n && one_boot; i++) {
        const lpc_value *se = lpc_get(entries[i], "signed_event"), *boot = lpc_get(se, "boot_id");
        int64_t sq;
        if (!boot || boot->type != LPC_STR || !lpc_int_i64(lpc_get(se, "monotonic_seq"), &sq)) {
            *bad = i;
            return LPM_ERR_MALFORMED;
        }
        if (boot->u.s.len != boot0->u.s.len || memcmp(boot->u.s.ptr, boot0->u.s.ptr, boot->u.s.len) != 0) {
            one_boot = 0;
            break;
        }
        if (i && sq <= prev_seq && first_drop == SIZE_MAX) first_drop = i;
        prev_seq = sq;
    }
    if (one_boot && first_drop != SIZE_MAX) { *bad = first_drop; return LPM_ERR_SEQUENCE_NOT_MONOTONIC; }
    if (one_boot) return LPM_OK;
    seq_item *it = malloc((n ? n : 1) * sizeof *it);
    if (!it) return LPM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *se = lpc_get(entries[i], "signed_event");
        const lpc_value *boot = lpc_get(se, "boot_id");
        if (!boot || boot->type != LPC_STR || !lpc_int_i64(lpc_get(se, "monotonic_seq"), &it[i].seq)) {
            free(it);
            *bad = i;
            return LPM_ERR_MALFORMED;
        }
        it[i].boot = boot->u.s.ptr;
        it[i].blen = boot->u.s.len;
        it[i].pos = i;
    }
    qsort(it, n, sizeof *it, seq_cmp);
    size_t worst = SIZE_MAX;
    for (size_t k = 1; k < n; k++)
        if (it[k].blen == it[k - 1].blen && memcmp(it[k].boot, it[k - 1].boot, it[k].blen) == 0 &&
            it[k].seq <= it[k - 1].seq && it[k].pos < worst)
            worst = it[k].pos;
    free(it);
    if (worst != SIZE_MAX) { *bad = worst; return LPM_ERR_SEQUENCE_NOT_MONOTONIC; }
    return LPM_OK;
}
