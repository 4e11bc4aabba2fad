/* Internals shared by the files of the weight_authority_v2 port: lpc_weight_authority_v2.c
 * (categories, documents, snapshot), _evidence.c (source evidence), _binding.c (step 11),
 * _bundle.c (the published-bundle validator) and _refcall.c.  Not installed. */
#ifndef LPC_WEIGHT_AUTHORITY_V2_INTERNAL_H
#define LPC_WEIGHT_AUTHORITY_V2_INTERNAL_H

#include <stddef.h>
#include "canonical/lpc_attested_v2_internal.h"
#include "canonical/lpc_weight_authority_v2.h"

#define WAV2_TYPE "WeightAuthorityV2Error"

lp_code wav2_fail(lpc_referr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
lp_code wav2_nomem(lpc_referr *err);
lp_code wav2_refuse(lpc_referr *err, const char *what);

/* _hash(value, field): str(value or "").strip().lower() must be sha256:<64 hex>; out gets
 * the normalised 71 characters and a NUL. */
lp_code wav2_hash(const lpc_value *v, const char *field, char out[LPC_AV2_REF_SIZE], lpc_referr *err);

/* _validator_hotkey(value): str(value or "").strip(), 1..128 characters, no isspace();
 * *out is a new string value. */
lp_code wav2_validator_hotkey(const lpc_value *v, lpc_value **out, lpc_referr *err);

/* _normalized_input_receipts(value): out[i] = the normalised hash of
 * lpc_wav2_categories[i]. */
lp_code wav2_normalized_inputs(const lpc_value *v, char out[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE],
                               lpc_referr *err);

/* _weight_input_value_documents_v2(...): finalized NULL or a JSON null stands for None
 * (then only the nine gateway documents). */
lp_code wav2_documents(const lpc_value *calc, const lpc_value *finalized, const lpc_value *gateway,
                       lpc_value **documents, lpc_referr *err);

/* build_weight_snapshot_v2 over its five arguments; *computed (may be NULL) receives the
 * compute_final_weights result of the calculation. */
lp_code wav2_build_snapshot(const lpc_value *validator_hotkey, const lpc_value *calc, const lpc_value *inputs,
                            const lpc_value *finalized, const lpc_value *gateway, lpc_value **snapshot,
                            lpc_value **computed, lpc_referr *err);

/* obj[key] = val, taking val (freed on failure too); *ok cleared on any failure, and
 * later puts are no-ops. */
void wav2_put(lpc_value *obj, const char *key, lpc_value *val, int *ok);
/* A mutable copy of v (NULL: None); NULL when out of memory. */
lpc_value *wav2_clone(const lpc_value *v);
/* A new string value of the NUL-terminated s. */
lpc_value *wav2_str(const char *s);
/* A Python exception other than the module's own: LP_CODE_PYTHON_TYPE_ERROR, class type. */
lp_code wav2_type_error(lpc_referr *err, const char *type, const char *fmt, const char *arg);
/* len(s) of WTF-8 text, in code points. */
size_t wav2_code_points(const char *s, size_t n);

/* The index of a category in lpc_wav2_categories, or -1. */
int wav2_category_index(const char *category);
/* The source-evidence policy of each category (same index as lpc_wav2_categories). */
typedef enum { POL_TLS, POL_CHAIN, POL_DERIVED, POL_MEASURED } wav2_policy;
extern const wav2_policy wav2_policies[LPC_WAV2_NCATEGORIES];

/* Python's a == b with a missing value (NULL) read as None. */
int wav2_eq(const lpc_value *a, const lpc_value *b);
/* v == the NUL-terminated string s (Python ==; NULL is None, never equal). */
int wav2_eq_str(const lpc_value *v, const char *s);

#endif
