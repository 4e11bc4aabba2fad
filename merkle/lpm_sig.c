/* Ed25519 through libsodium: its one lazy initialisation (pthread_once; the only
 * global of the module) and the one verification wrapper every check calls. */
#include <pthread.h>
#include <sodium.h>

#include "merkle/lpm.h"

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;  /* written once under sodium_once */
static void sodium_start(void) { sodium_ok = sodium_init() >= 0; }

int lpm_sodium_ready(void)
{
    pthread_once(&sodium_once, sodium_start);
    return sodium_ok;
}

int lpm_ed25519_verify(const uint8_t *sig, size_t sig_len, const uint8_t *msg, size_t len,
                       const uint8_t pk[LPM_PUBKEY_LEN])
{
    static const uint8_t empty[1];
    if (!sig || sig_len != LPM_SIG_LEN || !pk || (!msg && len) || !lpm_sodium_ready()) return 0;
    return crypto_sign_verify_detached(sig, len ? msg : empty, len, pk) == 0;
}

const char *lpm_sig_state_name(lpm_sig_state s)
{
    return s == LPM_SIG_VALID ? "valid" : s == LPM_SIG_INVALID ? "invalid" : "not_checked";
}
