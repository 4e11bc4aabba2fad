/* Leadpoet's reference functions by name, over JSON values: the one entry the Python
 * binding (python/leadpoet_canonical/) calls for every v2 function, so that each port
 * is reachable as `module.function(*args, **kwargs)` with the reference's return value
 * or exception.  Spec: leadpoet-weights-v2.md §2 (the functions), vectors/leadpoet-v2/
 * README.md (errors are {type, message}).
 *
 * A function receives its positional arguments as a JSON array and its keyword
 * arguments as an object (NULL when none were given).  It returns LP_CODE_OK with
 * *result set to a new tree the caller frees with lpc_free(), or the code of the
 * reference exception with err filled in and *result NULL.  LP_CODE_BAD_ARGUMENT with
 * err filled in stands for Python's TypeError on a wrong call (missing argument).
 *
 * Pure: no I/O, no globals beyond the constant table. */
#ifndef LPC_REFCALL_H
#define LPC_REFCALL_H

#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

typedef lp_code (*lpc_refcall_fn)(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                  lpc_referr *err);

typedef struct {
    const char *name;        /* "weight_computation.compute_final_weights" */
    lpc_refcall_fn fn;
} lpc_refcall_entry;

/* Each module's table, terminated by {NULL, NULL}. */
extern const lpc_refcall_entry lpc_refcall_weight_computation[];
extern const lpc_refcall_entry lpc_refcall_attested_receipts[];
extern const lpc_refcall_entry lpc_refcall_weight_bundle_v2[];
extern const lpc_refcall_entry lpc_refcall_attested_v2[];
extern const lpc_refcall_entry lpc_refcall_weight_authority_v2[];
extern const lpc_refcall_entry lpc_refcall_compact_weight_authority_v2[];

/* The function of that name, or NULL. */
lpc_refcall_fn lpc_refcall_find(const char *name);

/* Argument helpers for the adapters: the i-th positional argument, or else the keyword
 * argument `key` (NULL: only positional), or NULL when neither was given. */
const lpc_value *lpc_refcall_arg(const lpc_value *args, const lpc_value *kwargs, size_t i, const char *key);

#endif
