/* Signed transparency-log envelopes (§2.2) and chain rules (§2.3). */
#include <pthread.h>
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

/* Python truthiness of the four fields; signed_event must be a non-empty dict. */
lpm_err lpm_log_entry_verify(const lpc_value *entry, const char *expected_pubkey_hex)
{
    if (!entry || entry->type != LPC_OBJECT) return LPM_ERR_MALFORMED;
    const lpc_value *se = lpc_get(entry, "signed_event"), *eh = lpc_get(entry, "event_hash"),
                    *pk = lpc_get(entry, "enclave_pubkey"), *sig = lpc_get(entry, "enclave_signature");
    if (!se || se->type != LPC_OBJECT || se->u.o.n == 0 || !nonempty_str(eh) || !nonempty_str(pk) ||
        !nonempty_str(sig))
        return LPM_ERR_MALFORMED;
    if (expected_pubkey_hex && !lpc_str_eq(pk, expected_pubkey_hex)) return LPM_ERR_PUBKEY_MISMATCH;
    uint8_t d[LPM_HASH_LEN];
    lpm_err e = lpm_hash_csa(se, d);
    if (e != LPM_OK) return e;
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

typedef struct {
    lpm_item_fn fn;
    const void *ctx;
    size_t n, stride, start;
    size_t bad;
    lpm_err err;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    for (size_t i = w->start; i < w->n; i += w->stride) {
        lpm_err e = w->fn(w->ctx, i);
        if (e != LPM_OK) { w->bad = i; w->err = e; break; }  /* smallest failing index of this stripe */
    }
    return NULL;
}

lpm_err lpm_parallel_for(size_t n, unsigned threads, lpm_item_fn fn, const void *ctx, size_t *first_bad)
{
    if (!fn || !first_bad) return LPM_ERR_ARG;
    *first_bad = 0;
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    if (threads == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (unsigned)c : 1;
    }
    if (threads > 64) threads = 64;
    if (n < 64) threads = 1;
    worker_arg w[64];
    pthread_t th[64];
    int created[64] = {0};
    for (unsigned t = 0; t < threads; t++) {
        w[t] = (worker_arg){fn, ctx, n, threads, t, 0, LPM_OK};
        if (t > 0) created[t] = pthread_create(&th[t], NULL, worker, &w[t]) == 0;
    }
    worker(&w[0]);
    for (unsigned t = 1; t < threads; t++) {
        if (created[t]) pthread_join(th[t], NULL);
        else worker(&w[t]);  /* could not start a thread: run its stripe here */
    }
    lpm_err err = LPM_OK;
    size_t bad = SIZE_MAX;
    for (unsigned t = 0; t < threads; t++)
        if (w[t].err != LPM_OK && w[t].bad < bad) { bad = w[t].bad; err = w[t].err; }
    *first_bad = err == LPM_OK ? 0 : bad;
    return err;
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
    /* strictly increasing monotonic_seq within each boot_id: sort (boot_id, position) */
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
