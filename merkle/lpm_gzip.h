/* Capped gunzip with progress (internal to merkle/): the protocol between the inflater
 * and a consumer that reads the output while it is being written (lpm_decode.c).
 *
 * progress(ctx, buf, have, ev) is called as output arrives:
 *   LPM_GZ_MORE    buf[0..have) is final and stays at this address;
 *   LPM_GZ_MOVING  buf is about to be reallocated, or freed on error: when progress
 *                  returns, nothing may read buf any more (the consumer stops every
 *                  reader first), and no further event names this address;
 *   LPM_GZ_END     once after the last byte: buf[0..have) is the whole output, *out.
 * MOVING or END is the last event: after MOVING none follows, even when inflating then
 * succeeds (the consumer had to let go of the text and decodes it afterwards). */
#ifndef LPM_GZIP_H
#define LPM_GZIP_H

#include <stddef.h>
#include <stdint.h>
#include "merkle/lpm.h"

typedef enum { LPM_GZ_MORE, LPM_GZ_MOVING, LPM_GZ_END } lpm_gz_event;
typedef void (*lpm_gunzip_progress)(void *ctx, const uint8_t *buf, size_t have, lpm_gz_event ev);

/* As lpm_gunzip, reporting progress (NULL: none) in steps of about LPM_INFLATE_STEP. */
lpm_err lpm_gunzip_cb(const uint8_t *in, size_t len, size_t max_out, lpm_gunzip_progress progress, void *ctx,
                      uint8_t **out, size_t *out_len);

/* The size of the output buffer lpm_gunzip_cb allocates first (at most max_out + 1).  The
 * trailer's ISIZE (output length mod 2^32, untrusted) is used only when plausible: within
 * max_out and within deflate's best ratio (~1032:1) of the input; otherwise an estimate of
 * a few times the input.  The one sizing rule for the output and for anything sized from
 * it (the decode's record arrays). */
size_t lpm_gunzip_first_cap(const uint8_t *in, size_t len, size_t max_out);

#endif
