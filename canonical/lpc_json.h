/* Python json, exactly (leadpoet-formats.md §1): the umbrella of the canonical JSON core.
 *
 *   lpc_buf.h    growable output buffers
 *   lpc_value.h  the value model (WTF-8 strings, int and float distinct, insertion order)
 *   lpc_parse.h  json.loads on bytes
 *   lpc_dump.h   json.dumps under Leadpoet's profiles
 *   lpc_csa.h    CS-A straight from text for plain records
 *
 * Memory: every lpc_value is owned by its parent; the caller owns the root and
 * releases the whole tree with lpc_free().  lpc_buf contents are owned by the
 * caller and released with lpc_buf_free(). */
#ifndef LPC_JSON_H
#define LPC_JSON_H

#include "canonical/lpc_buf.h"
#include "canonical/lpc_csa.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_err.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_value.h"

#endif
