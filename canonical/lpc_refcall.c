/* The name -> function registry of lpc_refcall.h. */
#include "canonical/lpc_refcall.h"

#include <string.h>

static const lpc_refcall_entry *const k_tables[] = {
    lpc_refcall_weight_computation,
    lpc_refcall_attested_receipts,
    lpc_refcall_weight_bundle_v2,
    lpc_refcall_attested_v2,
    lpc_refcall_weight_authority_v2,
    lpc_refcall_compact_weight_authority_v2,
};

lpc_refcall_fn lpc_refcall_find(const char *name)
{
    if (!name) return NULL;
    for (size_t t = 0; t < sizeof k_tables / sizeof k_tables[0]; t++)
        for (const lpc_refcall_entry *e = k_tables[t]; e->name; e++)
            if (strcmp(e->name, name) == 0) return e->fn;
    return NULL;
}

const lpc_value *lpc_refcall_arg(const lpc_value *args, const lpc_value *kwargs, size_t i, const char *key)
{
    const lpc_value *v = lpc_at(args, i);
    if (v) return v;
    return key ? lpc_get(kwargs, key) : NULL;
}
