/* The merkle module's worker pool (internal to merkle/ and its tests and benchmarks;
 * not part of lpm.h).  Generic: it knows nothing of hashing or signatures.
 *
 * Work sharing: items become claimable as they are published (all at once for
 * lpm_parallel_chunks, as a producer makes them ready for a stream); chunks are claimed
 * in increasing order from one counter under a lock, so a worker that loses its core
 * delays at most one chunk, and waiting workers sleep on a condition variable.  Each
 * worker's claims increase, so its first failure is its smallest; every chunk below the
 * smallest failure overall was claimed and run to its end or to an earlier failure, so
 * the minimum over workers is the smallest failing index. */
#ifndef LPM_POOL_H
#define LPM_POOL_H

#include <stddef.h>
#include "merkle/lpm.h"

#define LPM_MAX_THREADS 64

unsigned lpm_thread_count(unsigned threads);  /* 0 -> online cores; 1..LPM_MAX_THREADS */

/* fn(ctx, worker, begin, end, &bad) runs items [begin, end) in order and returns its
 * first failure (its index in *bad).  worker < lpm_thread_count(threads), for per-worker
 * scratch in ctx. */
typedef lpm_err (*lpm_chunk_fn)(void *ctx, unsigned worker, size_t begin, size_t end, size_t *bad);
/* Runs items [0, n) in chunks of `chunk` over lpm_thread_count(threads) workers (the
 * caller is worker 0).  Returns the failure of the smallest index (in *first_bad; 0 when
 * none), or LPM_ERR_NOMEM if the pool's lock cannot be set up. */
lpm_err lpm_parallel_chunks(size_t n, size_t chunk, unsigned threads, lpm_chunk_fn fn, void *ctx, size_t *first_bad);

/* fn(ctx, i) for i < n, chunks of 16: lpm_parallel_chunks for items that fail alone. */
typedef lpm_err (*lpm_item_fn)(const void *ctx, size_t i);
lpm_err lpm_parallel_for(size_t n, unsigned threads, lpm_item_fn fn, const void *ctx, size_t *first_bad);

/* The same pool fed by a producer: lpm_stream_start starts threads-1 workers (ids 1..),
 * which run chunks of [0, avail) as lpm_stream_publish raises avail (never lowered; the
 * caller makes items < avail ready before publishing them). */
typedef struct lpm_stream lpm_stream;
lpm_err lpm_stream_start(size_t chunk, unsigned threads, lpm_chunk_fn fn, void *ctx, lpm_stream **out);
void lpm_stream_publish(lpm_stream *s, size_t avail);
/* Closes the stream, runs what is left on the calling thread (worker 0), joins and frees
 * the stream; returns the failure of the smallest index (in *first_bad, may be NULL). */
lpm_err lpm_stream_finish(lpm_stream *s, size_t *first_bad);
/* Stops the stream: runs nothing more, waits for the chunks running, joins and frees it.
 * When it returns no worker touches the items any more.  Returns the failure of the
 * smallest index if a chunk failed, else LPM_ERR_ABANDONED. */
lpm_err lpm_stream_abandon(lpm_stream *s, size_t *first_bad);

#endif
