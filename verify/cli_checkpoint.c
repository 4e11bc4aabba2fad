/* Shared pieces of the checkpoint tools (cli_checkpoint.h). */
#include "verify/cli_checkpoint.h"

#include <string.h>

#include "canonical/lpc_hash.h"

int lp_parse_pubkey(const char *hex, uint8_t out[LPM_PUBKEY_LEN])
{
    size_t n;
    return strlen(hex) == 2 * LPM_PUBKEY_LEN && lpc_hex_decode(hex, strlen(hex), out, LPM_PUBKEY_LEN, &n) == LPC_OK &&
           n == LPM_PUBKEY_LEN;
}

static void set(lpc_value *o, const char *k, lpc_value *v, int *oom)
{
    if (!lp_obj_set(o, k, v)) *oom = 1;
}

static lpc_value *str_or_null(const char *s, size_t n)
{
    return s ? lp_json_str(s, n) : lpc_new_null();
}

lpc_value *lp_checkpoint_summary(const lpm_checkpoint *cp)
{
    const lpm_header *h = lpm_checkpoint_header(cp);
    int oom = 0;
    lpc_value *o = lpc_new_object(), *tr = lpc_new_object(), *sr = NULL;
    if (!o || !tr) {
        lpc_free(o);
        lpc_free(tr);
        return NULL;
    }
    set(o, "number", lpc_new_int(h->number), &oom);
    set(o, "version", h->has_version ? lpc_new_int(h->version) : lpc_new_null(), &oom);
    set(o, "event_count", lpc_new_int(h->event_count), &oom);
    set(o, "merkle_root", lpc_new_str(h->merkle_root, strlen(h->merkle_root)), &oom);
    set(o, "prev_checkpoint_root", h->has_prev_root ? lpc_new_str(h->prev_root, strlen(h->prev_root)) : lpc_new_null(),
        &oom);
    set(tr, "start", str_or_null(h->time_start.present ? h->time_start.text : NULL, h->time_start.len), &oom);
    set(tr, "end", str_or_null(h->time_end.present ? h->time_end.text : NULL, h->time_end.len), &oom);
    set(o, "time_range", tr, &oom);
    if (h->has_sequence_range && (sr = lpc_new_object()) != NULL) {
        set(sr, "first", lpc_new_int(h->seq_first), &oom);
        set(sr, "last", lpc_new_int(h->seq_last), &oom);
    }
    set(o, "sequence_range", h->has_sequence_range ? sr : lpc_new_null(), &oom);
    set(o, "era", lpc_new_str(lpm_era_name(lpm_checkpoint_era(cp)), strlen(lpm_era_name(lpm_checkpoint_era(cp)))), &oom);
    const char *enc = lpm_encoding_name(lpm_checkpoint_encoding(cp));
    set(o, "payload_encoding", lpc_new_str(enc, strlen(enc)), &oom);
    if (oom) {
        lpc_free(o);
        return NULL;
    }
    return o;
}

void lp_key_outcome(lp_report *r, int pinned, const char *how)
{
    lp_code v = lp_checks_verdict(lp_report_checks(r));
    if (v == LP_CODE_KEY_NOT_PINNED) {
        lp_report_say(r, "no trusted key: %s (or --no-key to accept an unchecked signature)", how);
        lp_report_put_cstr(r, "pin_hint", how);
    } else if (!pinned && v == LP_CODE_OK) {
        lp_report_warn(r, "--no-key: no trusted key was pinned, so no signature proves who wrote this");
    }
}
