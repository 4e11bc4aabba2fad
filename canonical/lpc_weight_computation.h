/* Leadpoet's compute_final_weights, bit for bit: a calculation snapshot
 * (leadpoet.weight_computation_request.v1) in, the result document
 * (leadpoet.weight_computation_result.v1) out, with the reference's own messages for
 * every snapshot it refuses.  Spec: leadpoet-weights-v2.md §5 (5.1 validation order,
 * 5.2-5.6 the arithmetic, 5.7 the result), §10 (Python semantics); reference
 * leadpoet_canonical/weight_computation.py at 5fe22c16.
 *
 * All arithmetic is binary64 in the reference's order; every sum is the left-to-right
 * _ordered_float_sum.  Python coercions are reproduced where they give a value
 * (int(" 8772930 "), float("nan"), truthiness); where the reference would compute with
 * a value not represented here (an int beyond int64, str() of a list, a non-ASCII
 * float() text), the snapshot is refused with LP_CODE_NON_CANONICAL_INPUT rather than
 * computed differently.
 *
 * Pure: no I/O, no globals.  Results are new trees the caller frees with lpc_free(). */
#ifndef LPC_WEIGHT_COMPUTATION_H
#define LPC_WEIGHT_COMPUTATION_H

#include <stddef.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

#define LPC_WCOMP_SNAPSHOT_SCHEMA "leadpoet.weight_computation_request.v1"
#define LPC_WCOMP_RESULT_SCHEMA   "leadpoet.weight_computation_result.v1"
#define LPC_WCOMP_SNAPSHOT_FIELDS 31          /* §5.1 */
/* Most metagraph entries accepted: Bittensor uids are u16 (leadpoet-formats.md §10).
 * A longer list is LP_CODE_INPUT_TOO_LARGE. */
#define LPC_WCOMP_MAX_METAGRAPH   65536
/* "sha256:" + 64 hex digits + NUL */
#define LPC_SHA256_REF_SIZE       72

/* The ordered sums of §5 in call order, as the vectors' `trace` records them. */
typedef enum {
    LPC_WCOMP_SUM_ALL_ROLLING = 0,    /* "all_rolling_total" */
    LPC_WCOMP_SUM_REGISTERED_ROLLING, /* "registered_rolling_total" */
    LPC_WCOMP_SUM_BEFORE_CLAMP,       /* "weight_sum_before_clamp" */
    LPC_WCOMP_SUM_NORMALIZED,         /* "normalized_total" */
    LPC_WCOMP_SUM_U16_FLOAT32         /* "u16_float32_sum" */
} lpc_wcomp_sum;

const char *lpc_wcomp_sum_label(lpc_wcomp_sum s);

/* Optional observer of every ordered sum: its inputs (in[0..n)) and output. */
typedef struct {
    void (*fn)(void *ctx, lpc_wcomp_sum which, const double *in, size_t n, double out);
    void *ctx;
} lpc_wcomp_trace;

/* weight_config_document(snapshot): the 11 configuration fields with their values as
 * given (a missing one is null).  snapshot must be an object: else
 * LP_CODE_PYTHON_TYPE_ERROR (AttributeError, as `.get` on a non-dict). */
lp_code lpc_weight_config_document(const lpc_value *snapshot, lpc_value **out, lpc_referr *err);

/* sha256_json(v) = "sha256:" + hex(SHA-256(CS-U(v))), with the reference's failures:
 * NaN/Infinity anywhere -> WeightComputationError "weight value is not canonical JSON";
 * a lone surrogate -> UnicodeEncodeError (LP_CODE_PYTHON_VALUE_ERROR) with CPython's
 * message.  out receives a NUL-terminated string. */
lp_code lpc_wcomp_sha256_json(const lpc_value *v, char out[LPC_SHA256_REF_SIZE], lpc_referr *err);

/* weight_config_hash(snapshot) = sha256_json(weight_config_document(snapshot)). */
lp_code lpc_weight_config_hash(const lpc_value *snapshot, char out[LPC_SHA256_REF_SIZE], lpc_referr *err);

/* compute_final_weights(snapshot).  LP_CODE_OK and *result (the §5.7 document);
 * otherwise *result is NULL and err holds the exception:
 *   LP_CODE_WEIGHT_COMPUTATION_ERROR  WeightComputationError, the reference's message
 *   LP_CODE_PYTHON_VALUE_ERROR        a raw ValueError (float("20%") in the lab document)
 *   LP_CODE_PYTHON_TYPE_ERROR         a raw TypeError (float([1]), iterating an int)
 *   LP_CODE_PYTHON_OVERFLOW_ERROR     a raw OverflowError (int(inf), float(10**400))
 *   LP_CODE_NON_CANONICAL_INPUT       a coercion not reproduced here (see above)
 *   LP_CODE_INPUT_TOO_LARGE, LP_CODE_OUT_OF_MEMORY, LP_CODE_BAD_ARGUMENT
 * trace may be NULL. */
lp_code lpc_compute_final_weights(const lpc_value *snapshot, const lpc_wcomp_trace *trace,
                                  lpc_value **result, lpc_referr *err);

#endif
