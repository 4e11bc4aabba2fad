/* Internal to canonical/ (the value model, the parser): tree building without the
 * checks of the public builders.  The caller keeps an object's keys unique. */
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

#endif
