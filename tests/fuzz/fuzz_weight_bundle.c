/* libFuzzer target: verify_weight_bundle's procedure (lpau_wbv2_verify) on hostile
 * bundle bytes, all three formats (published, shadow, compact) recognised by shape, with
 * both opt-outs (the boots' documents have their own targets: fuzz_attest, fuzz_certs).
 * Byte 0: bit 0 require_allocation_ancestry, bit 1 strict hotkey check, bit 2 a signed
 * WEIGHT_SUBMISSION_V2 event follows the bundle after a NUL byte (verified against it
 * under the shipped cutover manifest).
 * Invariants: the verdict is a registry code; OK_STRUCTURAL (never OK: opt-outs are on)
 * only with a recognised format, the reference's return value and no failed enforced
 * check; a rejected bundle names its exception. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "audit/weight_bundle_v2_verify.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_sr25519.h"

static const char k_manifest[] =
    "{\"cutover_block\":8670636,\"cutover_block_hash\":\"0x25c2109c70fb3502a9c20fd3b04c1db3f0a18d968e73b42da9f1a47770a5e106\","
    "\"epoch_scheme\":\"bittensor.subnet_epoch_index.v1\",\"first_settlement_epoch_id\":24073,"
    "\"first_subnet_epoch_index\":24020,\"last_legacy_epoch_id\":24072,"
    "\"mapping_hash\":\"sha256:58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c2\",\"netuid\":71,"
    "\"network_genesis_hash\":\"0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03\","
    "\"schema_version\":\"leadpoet.subnet_epoch_cutover.v1\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static lpc_value *manifest;
    if (!manifest && lpc_parse((const uint8_t *)k_manifest, sizeof k_manifest - 1, &manifest, NULL) != LPC_OK)
        __builtin_trap();
    lpau_wbv2_opts o;
    memset(&o, 0, sizeof o);
    o.no_boot_attestation = o.no_hotkey_signature = 1;
    o.require_allocation_ancestry = data[0] & 1;
    o.hotkey_flags = (data[0] & 2) ? LPC_HOTKEY_STRICT : 0;
    o.cutover_manifest = manifest;
    const uint8_t *b = data + 1;
    size_t n = size - 1;
    if (data[0] & 4) {
        const uint8_t *nul = memchr(b, 0, n);
        if (nul) {
            o.event = nul + 1;
            o.event_len = n - (size_t)(nul + 1 - b);
            o.event_pubkey = "21a120ddf8a3fe14f94abd66214d766e6a2447f0367254821cc678e6dcd555ff";
            n = (size_t)(nul - b);
        }
    }
    lp_checks ck;
    lp_checks_init(&ck);
    lpau_wbv2_result res;
    lp_code v = lpau_wbv2_verify(b, n, &o, &res, &ck);
    if ((unsigned)v >= LP_CODE_COUNT || v == LP_CODE_OK) __builtin_trap();
    if (v == LP_CODE_OK_STRUCTURAL) {
        if (res.format == LPAU_WBV2_UNKNOWN || !res.verified || !res.bundle_hash[0]) __builtin_trap();
        for (size_t i = 0; i < ck.n; i++)
            if (!ck.items[i].ok && !(ck.items[i].flags & LP_CHECK_WARNING)) __builtin_trap();
    }
    if (res.err.code != LP_CODE_OK && (!res.err.message[0] || res.verified)) __builtin_trap();
    lpau_wbv2_result_free(&res);
    lp_checks_free(&ck);
    return 0;
}
