/* Ed25519 for the merkle module: the canonical core's one libsodium start and
 * verification (canonical/lpc_sodium.h) with this module's length rules. */
#include "canonical/lpc_sodium.h"
#include "merkle/lpm.h"

int lpm_sodium_ready(void) { return lpc_sodium_ready(); }

int lpm_ed25519_verify(const uint8_t *sig, size_t sig_len, const uint8_t *msg, size_t len,
                       const uint8_t pk[LPM_PUBKEY_LEN])
{
    if (!sig || sig_len != LPM_SIG_LEN) return 0;
    return lpc_ed25519_verify(sig, msg, len, pk);
}

const char *lpm_sig_state_name(lpm_sig_state s)
{
    return s == LPM_SIG_VALID ? "valid" : s == LPM_SIG_INVALID ? "invalid" : "not_checked";
}
