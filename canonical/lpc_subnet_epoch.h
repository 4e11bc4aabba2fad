/* The settlement-epoch cutover manifest and the official epoch reference of Leadpoet's
 * stateful epoch authority, bit for bit with leadpoet/leadpoet@5fe22c16
 * Leadpoet/utils/subnet_epoch.py (SubnetEpochCutover, SubnetEpochSnapshot.epoch_ref).
 * Spec: leadpoet-weights-v2.md §9.2 (the manifest config/stateful-epoch-cutover-sn71.json,
 * the settlement mapping, epoch_ref), §8.4 (the ancestry lineage id derives from it).
 *
 * The manifest is data: the caller parses it (lpc_parse) and passes the value; nothing
 * here reads files.
 *
 * Errors: LP_CODE_OK, or the exception the reference raises with err filled in:
 * LP_CODE_SUBNET_EPOCH_ERROR / "SubnetEpochError" with its exact message, or
 * LP_CODE_PYTHON_TYPE_ERROR / "TypeError" for the dataclass call cls(**dict(value))
 * (an unknown or a missing field).  Named refusals: LP_CODE_NON_CANONICAL_INPUT for an
 * integer field that int() reads beyond int64 or through a coercion not reproduced
 * (see lpc_python.h).  err may be NULL.  Pure: no I/O, no globals. */
#ifndef LPC_SUBNET_EPOCH_H
#define LPC_SUBNET_EPOCH_H

#include <stdint.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

#define LPC_SE_EPOCH_SCHEME          "bittensor.subnet_epoch_index.v1"
#define LPC_SE_CUTOVER_SCHEMA        "leadpoet.subnet_epoch_cutover.v1"
#define LPC_SE_CHAIN_HASH_SIZE       67   /* "0x" + 64 hex + NUL */
#define LPC_SE_REF_SIZE              72   /* "sha256:" + 64 hex + NUL */
/* mapping_hash as the manifest gives it: str(mapping_hash).lower() equals the computed
 * hash, so it is that hash in some letter case (71 characters). */
#define LPC_SE_MAPPING_HASH_SIZE     72

/* A validated SubnetEpochCutover (all fields normalised as the dataclass stores them). */
typedef struct {
    char network_genesis_hash[LPC_SE_CHAIN_HASH_SIZE]; /* "0x" + 64 lowercase hex */
    char cutover_block_hash[LPC_SE_CHAIN_HASH_SIZE];
    int64_t netuid;                       /* > 0 */
    int64_t cutover_block;
    int64_t first_subnet_epoch_index;
    int64_t first_settlement_epoch_id;    /* == last_legacy_epoch_id + 1 */
    int64_t last_legacy_epoch_id;
    char computed_mapping_hash[LPC_SE_REF_SIZE]; /* sha256 of CS-A of the 9-field body */
    char mapping_hash[LPC_SE_MAPPING_HASH_SIZE]; /* str(self.mapping_hash): as given, or the
                                                    computed one when absent or null */
} lpc_se_cutover;

/* SubnetEpochCutover.from_mapping(manifest) (subnet_epoch.py:225-302): the field set of
 * the dataclass, then __post_init__ in order (network_genesis_hash, cutover_block_hash,
 * the five integers, netuid > 0, schema_version, epoch_scheme, first settlement epoch =
 * last legacy + 1, mapping_hash).  A manifest that is not an object is
 * "subnet epoch cutover manifest must be an object" as load_subnet_epoch_cutover says. */
lp_code lpc_se_cutover_from_manifest(const lpc_value *manifest, lpc_se_cutover *out, lpc_referr *err);

/* SubnetEpochSnapshot.epoch_ref for (network_genesis_hash, netuid, subnet_epoch_index):
 * "sha256:" + hex(SHA-256(CS-A({epoch_scheme, network_genesis_hash, netuid,
 * subnet_epoch_index}))) (subnet_epoch.py:392-400).  The arguments are the normalised
 * snapshot fields.  preimage (may be NULL) receives the CS-A text, NUL-terminated, if it
 * fits in preimage_cap bytes (else it is cut and the function still succeeds). */
lp_code lpc_se_epoch_ref(const char *network_genesis_hash, int64_t netuid, int64_t subnet_epoch_index,
                         char out[LPC_SE_REF_SIZE], char *preimage, size_t preimage_cap, lpc_referr *err);

/* cutover.settlement_epoch_id(subnet_epoch_index) for an int index: 0 and *out set, or
 * -1 when the index predates the cutover ("subnet epoch predates the configured
 * cutover") or the sum leaves int64. */
int lpc_se_settlement_epoch_id(const lpc_se_cutover *c, int64_t subnet_epoch_index, int64_t *out);

#endif
