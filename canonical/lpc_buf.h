/* Growable byte buffers: the output of every serialiser and encoder of the module.
 *
 * Memory: the caller owns an lpc_buf (zero-initialise it) and releases its bytes with
 * lpc_buf_free(); appending may move ptr, and append and reserve leave ptr[len] NUL. */
#ifndef LPC_BUF_H
#define LPC_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "canonical/lpc_err.h"

/* Bytes a buffer (a serialisation, a report) may hold: the --json report of a
 * 1,000,000-row replay is ~284 MB; ensure_ascii output is at most 3x its 64 MiB input. */
#define LPC_JSON_MAX_OUTPUT  ((size_t)1 << 30)

typedef struct { uint8_t *ptr; size_t len, cap; } lpc_buf;

/* Appends data[0..n).  LPC_ERR_TOO_LARGE past LPC_JSON_MAX_OUTPUT, LPC_ERR_NOMEM; on error
 * the buffer is unchanged.  Inline while the bytes fit; _grow reallocates. */
lpc_err lpc_buf_append_grow(lpc_buf *b, const void *data, size_t n);
static inline lpc_err lpc_buf_append(lpc_buf *b, const void *data, size_t n)
{
    if (n == 0) return LPC_OK;
    if (!b->ptr || n > b->cap - b->len || b->len + n > LPC_JSON_MAX_OUTPUT) return lpc_buf_append_grow(b, data, n);
    memcpy(b->ptr + b->len, data, n);  /* room for the bytes and the NUL: cap + 1 are held */
    b->len += n;
    b->ptr[b->len] = 0;
    return LPC_OK;
}
/* Room for n more bytes (and the NUL) at ptr + len; len unchanged.  Same limit as append. */
lpc_err lpc_buf_reserve(lpc_buf *b, size_t n);
void lpc_buf_free(lpc_buf *b);

#endif
