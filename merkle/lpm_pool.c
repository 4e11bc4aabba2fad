/* The worker pool (lpm_pool.h): one claim loop under a lock, shared by the stream and
 * by lpm_parallel_chunks, which is the stream with every item published at once. */
#include "merkle/lpm_pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned lpm_thread_count(unsigned threads)
{
    if (threads == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (c > LPM_MAX_THREADS ? LPM_MAX_THREADS : (unsigned)c) : 1;
    }
    return threads > LPM_MAX_THREADS ? LPM_MAX_THREADS : threads;
}

struct lpm_stream {
    lpm_chunk_fn fn;
    void *ctx;
    size_t chunk;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t avail, next, stop;  /* under mu; stop: smallest failing index (SIZE_MAX: none; 0: abandoned) */
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
    return abandon && err == LPM_OK ? LPM_ERR_ABANDONED : err;
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

lpm_err lpm_stream_finish(lpm_stream *s, size_t *first_bad)
{
    if (!s) return LPM_ERR_ARG;
    lpm_err err = stream_close(s, 0, first_bad);
    free(s);
    return err;
}

lpm_err lpm_stream_abandon(lpm_stream *s, size_t *first_bad)
{
    if (!s) return LPM_ERR_ARG;
    lpm_err err = stream_close(s, 1, first_bad);
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
    item_ctx c = {fn, ctx};
    return lpm_parallel_chunks(n, 16, threads, item_chunk, &c, first_bad);
}
