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

/* A reader that needs only part of a large document keeps only that part: for each member
 * of the root object whose value is an array or an object, begin() chooses (for a root
 * array, the member root does; its zero value LPC_EACH_TREE keeps it):
 *   LPC_EACH_TREE  the value is kept as usual;
 *   LPC_EACH_KEEP  (arrays; objects are kept as usual) item() is given each element as it
 *                  is parsed, in the document, living as long as it does;
 *   LPC_EACH_DROP  the value is parsed and checked but not kept, one element (an object's
 *                  one member) at a time in a scratch document emptied before the next:
 *                  item() (arrays) is given each element there.
 * Under KEEP and DROP the value in the tree (the member's, or the root) is an empty
 * container of its type flagged LPC_VALUE_ELIDED.  item() returning nonzero makes the rest
 * of that array dropped (item() still sees each element, in the scratch document).  A
 * repeated key calls begin() again; json.loads keeps the last value, so the tree's member
 * is the last occurrence.  Either callback may be NULL (begin NULL: every member kept;
 * item NULL: no calls).  Element indexes count from 0 per array.  The scratch document is
 * charged against max_tree with the document.  buf is taken as by lpc_parse_take, and
 * strings and keys lie in it, so a string item() sees outlives the call; digit texts of a
 * dropped element do not.  Verdict, error offset and every kept value are those of
 * lpc_parse_take on the same bytes. */
typedef enum { LPC_EACH_TREE, LPC_EACH_KEEP, LPC_EACH_DROP } lpc_each_mode;
typedef struct {
    lpc_each_mode (*begin)(void *ctx, const char *key, size_t klen, lpc_type type);
    int (*item)(void *ctx, size_t index, const lpc_value *item);
    void *ctx;
    lpc_each_mode root;
} lpc_each;
lpc_err lpc_parse_each(uint8_t *buf, size_t len, size_t max_input, size_t max_tree, const lpc_each *each,
                       lpc_value **out, size_t *err_off);

/* 1 when the key key[0..klen) (as begin() is given it) is the C string name, else 0. */
int lpc_key_is(const char *key, size_t klen, const char *name);

#endif
