/* The parser: Python's json.loads on bytes into the value model (lpc_value.h).
 * Spec: leadpoet-formats.md §1.1.
 *
 * Memory: on success *out is a new document (a read-only tree in one arena, lpc_value.h)
 * the caller releases with lpc_free() of the root.  It does not refer to buf.  Parsing
 * allocates per block, never per node: about 24 bytes per value plus its slot in its
 * container, plus the decoded strings, keys and digit texts of more than one digit. */
#ifndef LPC_PARSE_H
#define LPC_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"
#include "canonical/lpc_value.h"

#define LPC_JSON_MAX_INPUT   ((size_t)64 << 20)  /* bytes of JSON text accepted */

/* Parses exactly one JSON value from buf (surrounding whitespace allowed; a UTF-8
 * BOM is skipped; encoded surrogates pass as in json.loads(bytes)).  On error *out
 * is NULL and, when err_off is non-NULL, *err_off is the byte offset of the fault. */
lpc_err lpc_parse(const uint8_t *buf, size_t len, lpc_value **out, size_t *err_off);

/* As lpc_parse with a caller-chosen input cap (at most LPC_JSON_MAX_INPUT_HARD),
 * for callers whose documents are larger by design (a whole epoch's rows). */
#define LPC_JSON_MAX_INPUT_HARD ((size_t)1 << 30)
lpc_err lpc_parse_limit(const uint8_t *buf, size_t len, size_t max_input, lpc_value **out,
                        size_t *err_off);

/* As lpc_parse_limit, refusing (LPC_ERR_TOO_LARGE) once the document and the parser's
 * stacks would take more than max_tree bytes from the allocator (arena blocks as
 * allocated, stack growth).  The tree costs up to ~25 bytes per input byte
 * (`[0,0,...]`), so an input cap alone bounds memory only loosely. */
lpc_err lpc_parse_budget(const uint8_t *buf, size_t len, size_t max_input, size_t max_tree,
                         lpc_value **out, size_t *err_off);

/* As lpc_parse_budget over a buffer the call takes: buf (from malloc, len bytes) belongs
 * to the document on success, whose strings and keys then lie in it (decoded in place,
 * each ended by a NUL where its closing quote was), and lpc_free of the root releases it;
 * on error it is freed before the call returns.  The same tree, values and errors as
 * lpc_parse_budget on the same bytes, without a copy of every string. */
lpc_err lpc_parse_take(uint8_t *buf, size_t len, size_t max_input, size_t max_tree, lpc_value **out,
                       size_t *err_off);

#endif
