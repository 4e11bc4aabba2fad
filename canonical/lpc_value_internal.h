/* Internal to canonical/ (the value model, the parser): tree building without the
 * checks of the public builders, and the arena of a parsed document.  The caller keeps
 * an object's keys unique. */
#ifndef LPC_VALUE_INTERNAL_H
#define LPC_VALUE_INTERNAL_H

#include <string.h>
#include "canonical/lpc_value.h"

static inline int lpc_key_eq(const lpc_member *m, const char *key, size_t klen)
{
    return m->klen == klen && memcmp(m->key, key, klen) == 0;
}

/* A zeroed value of type t, or NULL. */
lpc_value *lpc_new_value(lpc_type t);
/* Appends (key, val) without looking for key; takes ownership of the malloc'd key and of
 * val (both freed on failure). */
lpc_err lpc_object_push(lpc_value *obj, char *key, size_t klen, lpc_value *val);

/* A parsed document (lpc_value.h): the root node first, so that the root's address is
 * the document's.  Every byte taken from the system is charged against limit; once it
 * would be exceeded, allocation fails with over set (LPC_ERR_TOO_LARGE, not NOMEM). */
typedef struct lpc_block lpc_block;
typedef struct lpc_doc {
    lpc_value root;
    lpc_block *words, *bytes;   /* nodes and arrays; keys, strings and digits */
    void *text;                 /* lpc_parse_take: the input its strings lie in, or NULL */
    struct lpc_doc *bill;       /* when set, charges go to that document instead */
    size_t words_hint, bytes_hint, limit, charged;  /* hints: sizes of the first blocks */
    int over;
} lpc_doc;

/* NULL when out of memory.  The hints size the first word and byte blocks (at least
 * 256 bytes; later blocks double, up to 64 MiB each, or take what one request needs). */
lpc_doc *lpc_doc_new(size_t words_hint, size_t bytes_hint, size_t limit);
void lpc_doc_free(lpc_doc *d);
/* n bytes aligned for any object, or NULL. */
void *lpc_doc_words(lpc_doc *d, size_t n);
/* n bytes, or NULL. */
char *lpc_doc_bytes(lpc_doc *d, size_t n);
/* The last lpc_doc_bytes allocation p keeps only its first used bytes. */
void lpc_doc_bytes_trim(lpc_doc *d, const char *p, size_t used);
/* Counts n bytes the caller takes from the system for the document's parse against the
 * limit: 0 (and over set) when they do not fit.  uncharge gives them back. */
int lpc_doc_charge(lpc_doc *d, size_t n);
void lpc_doc_uncharge(lpc_doc *d, size_t n);
/* Forgets every allocation: the newest block of each kind is kept empty for reuse, the
 * others are released and uncharged. */
void lpc_doc_reset(lpc_doc *d);

#endif
