/* Tables of the modules not yet ported: empty until each lands in its own file. */
#include "canonical/lpc_refcall.h"

const lpc_refcall_entry lpc_refcall_weight_computation[] = {{NULL, NULL}};
const lpc_refcall_entry lpc_refcall_attested_receipts[] = {{NULL, NULL}};
const lpc_refcall_entry lpc_refcall_weight_bundle_v2[] = {{NULL, NULL}};
