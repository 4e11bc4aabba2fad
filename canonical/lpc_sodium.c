/* The toolkit's one libsodium start (lpc_sodium.h). */
#include "canonical/lpc_sodium.h"

#include <pthread.h>
#include <sodium.h>

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;  /* written once under sodium_once */
static void sodium_start(void) { sodium_ok = sodium_init() >= 0; }

int lpc_sodium_ready(void)
{
    return pthread_once(&sodium_once, sodium_start) == 0 && sodium_ok;
}

int lpc_ed25519_verify(const uint8_t sig[LPC_ED25519_SIG_LEN], const uint8_t *msg, size_t len,
                       const uint8_t pk[LPC_ED25519_PUBKEY_LEN])
{
    static const uint8_t empty[1];
    if (!sig || !pk || (!msg && len) || !lpc_sodium_ready()) return 0;
    return crypto_sign_verify_detached(sig, len ? msg : empty, len, pk) == 0;
}
