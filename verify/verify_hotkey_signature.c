/* verify_hotkey_signature: does a Bittensor hotkey's sr25519 signature over a message
 * verify as Leadpoet's gateway checks it (bittensor_wallet 4.0.0 Keypair.verify, with
 * the <Bytes> retry)?  Spec: sr25519.md §1.2, §2, §6.  Logic: lpc_hotkey_verify. */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_codec.h"
#include "canonical/lpc_sr25519.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

#define TOOL "verify_hotkey_signature"
/* A message file larger than this is refused (a binding message is ~260 bytes). */
#define MESSAGE_FILE_MAX ((size_t)1 << 30)

int main(int argc, char **argv)
{
    const char *text = NULL, *file = NULL, *hex = NULL, *args[2];
    int strict = 0;
    const lp_opt opts[] = {
        {"--message", "TEXT", "the message: these bytes exactly", NULL, &text, NULL},
        {"--message-file", "FILE", "the message: the bytes of FILE (- for standard input)", NULL, &file, NULL},
        {"--message-hex", "HEX", "the message: hex-decoded bytes", NULL, &hex, NULL},
        {"--strict", NULL, "also refuse the identity key and any address but the one-byte prefix-42 form", &strict,
         NULL, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL, "[--json] [--strict] (--message TEXT | --message-file FILE | --message-hex HEX) [--] SS58_ADDRESS SIGNATURE_HEX",
                        "Verifies SIGNATURE_HEX (read as Python's bytes.fromhex reads it) over the message with the\n"
                        "sr25519 key of SS58_ADDRESS, both taken verbatim, exactly as Leadpoet's gateway does:\n"
                        "context \"substrate\", then once more over <Bytes>message</Bytes> (result OK_BYTES_WRAPPED).\n"
                        "The default profile accepts what the gateway accepts and warns about the identity key\n"
                        "and non-canonical addresses; --strict refuses them.  Use -- before an argument that\n"
                        "begins with '-'.",
                        opts, 2, 2, NULL};
    lp_report r;
    size_t nargs;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &nargs);
    if (rc != LP_CLI_GO) return rc;
    if ((text != NULL) + (file != NULL) + (hex != NULL) != 1)
        return lp_cli_usage_error(&r, "give exactly one of --message, --message-file, --message-hex");
    uint8_t *msg = NULL;
    size_t ml = 0;
    char err[512];
    if (text) {
        ml = strlen(text);
        msg = (uint8_t *)malloc(ml + 1);
        if (!msg) return lp_report_fail(&r, LP_CODE_OUT_OF_MEMORY, "message", "out of memory");
        memcpy(msg, text, ml + 1);
    } else if (hex) {
        size_t hl = strlen(hex);
        msg = (uint8_t *)malloc(hl / 2 + 1);
        if (!msg) return lp_report_fail(&r, LP_CODE_OUT_OF_MEMORY, "message", "out of memory");
        if (lpc_hex_decode(hex, hl, msg, hl / 2 + 1, &ml) != LPC_OK) {
            free(msg);
            return lp_cli_usage_error(&r, "--message-hex: not an even number of hex digits");
        }
    } else {
        lp_code c = lp_read_input(file, MESSAGE_FILE_MAX, &msg, &ml, err, sizeof err);
        if (c != LP_CODE_OK) return lp_report_fail(&r, c, "input", "%s", err);
    }
    lpc_hotkey_result res;
    lp_code c = lpc_hotkey_verify(args[0], strlen(args[0]), msg, ml, args[1], strlen(args[1]),
                                  strict ? LPC_HOTKEY_STRICT : 0, &res, lp_report_checks(&r));
    free(msg);
    char pk[2 * LPC_SR25519_KEY_LEN + 1];
    lpc_hex_encode(res.addr.key, LPC_SR25519_KEY_LEN, pk);
    lp_report_put_str(&r, "ss58_address", args[0], strlen(args[0]));
    lp_report_put_cstr(&r, "public_key", res.have_key ? pk : NULL);
    if (res.have_key) lp_report_put_int(&r, "ss58_prefix", res.addr.prefix);
    else lp_report_put_cstr(&r, "ss58_prefix", NULL);
    lp_report_put_cstr(&r, "profile", strict ? "strict" : "default");
    lp_report_put_int(&r, "message_len", (int64_t)ml);
    lp_report_put_bool(&r, "bytes_wrapped", res.wrapped);
    lp_report_put_cstr(&r, "reason", lp_code_name(c));
    const lp_checks *ck = lp_report_checks(&r);
    for (size_t i = 0; i < ck->n; i++)
        if (ck->items[i].flags & LP_CHECK_WARNING) lp_report_warn(&r, "%s: %s", ck->items[i].name, ck->items[i].detail);
    if (res.have_key) lp_report_say(&r, "address: SS58 prefix %u, public key %s", res.addr.prefix, pk);
    if (c == LP_CODE_OK_BYTES_WRAPPED) lp_report_ok_as(&r, c);
    return lp_report_finish(&r, c == LP_CODE_OK_BYTES_WRAPPED
                                    ? "OK_BYTES_WRAPPED: the hotkey signed <Bytes>message</Bytes>, which the gateway accepts"
                                    : "OK: the hotkey signed the message");
}
