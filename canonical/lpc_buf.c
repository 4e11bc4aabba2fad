/* Growable byte buffers (lpc_buf.h). */
#include "canonical/lpc_buf.h"

#include <stdlib.h>
#include <string.h>

lpc_err lpc_buf_append_grow(lpc_buf *b, const void *data, size_t n)
{
    if (n == 0) return LPC_OK;
    if (n > LPC_JSON_MAX_OUTPUT || b->len > LPC_JSON_MAX_OUTPUT - n) return LPC_ERR_TOO_LARGE;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n) cap *= 2;
        uint8_t *p = realloc(b->ptr, cap + 1);
        if (!p) return LPC_ERR_NOMEM;
        b->ptr = p;
        b->cap = cap;
    }
    memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = 0; /* always NUL-terminated for callers printing text */
    return LPC_OK;
}

lpc_err lpc_buf_reserve(lpc_buf *b, size_t n)
{
    if (n > LPC_JSON_MAX_OUTPUT || b->len > LPC_JSON_MAX_OUTPUT - n) return LPC_ERR_TOO_LARGE;
    if (b->len + n > b->cap || !b->ptr) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n) cap *= 2;
        uint8_t *p = realloc(b->ptr, cap + 1);
        if (!p) return LPC_ERR_NOMEM;
        b->ptr = p;
        b->cap = cap;
        b->ptr[b->len] = 0;
    }
    return LPC_OK;
}

void lpc_buf_free(lpc_buf *b)
{
    if (!b) return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
