#include "verify/cli_merkle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "canonical/lpc_hash.h"
#include "verify/cli_common.h"
#if defined(__has_include)
#if __has_include("verify/cli_fetch.h")
#include "verify/cli_fetch.h"
#define LP_HAVE_FETCH 1
#endif
#endif

void lp_jchecks_init(lp_jchecks *c)
{
    c->arr = json_array();
    c->first_code = NULL;
    c->undecided = 0;
}

void lp_jchecks_free(lp_jchecks *c)
{
    json_decref(c->arr);
    c->arr = NULL;
}

void lp_jchecks_add(lp_jchecks *c, const char *name, int ok, const char *code, const char *fmt, ...)
{
    char d[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    json_array_append_new(c->arr, json_pack("{s:s,s:b,s:s}", "name", name, "ok", ok, "detail", d));
    if (!ok && !c->first_code) c->first_code = code ? code : "FAILED";
}

int lp_is_txid(const char *s)
{
    size_t n = strlen(s);
    if (n != 43) return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
            return 0;
    }
    return 1;
}

static int is_url(const char *s)
{
    return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "HTTP://", 7) || !strncmp(s, "HTTPS://", 8);
}

const char *lp_load_source(const char *src, const lp_source_opts *o, size_t max, uint8_t **out, size_t *len,
                           char *err, size_t errlen)
{
    struct stat st;
    int local = !strcmp(src, "-") || (!is_url(src) && (!lp_is_txid(src) || stat(src, &st) == 0));
    if (local) {
        lp_read_status rs = lp_read_input(src, max, out, len, err, errlen);
        if (rs == LP_READ_OK) return NULL;
        return rs == LP_READ_TOO_LARGE ? "INPUT_TOO_LARGE" : rs == LP_READ_NOMEM ? "OUT_OF_MEMORY" : "IO_ERROR";
    }
    if (o->offline) {
        snprintf(err, errlen, "%s needs the network and --offline was given", src);
        return "OFFLINE";
    }
#ifdef LP_HAVE_FETCH
    char url[2048];
    if (is_url(src)) snprintf(url, sizeof url, "%s", src);
    else {
        const char *g = o->gateway ? o->gateway : LP_DEFAULT_GATEWAY;
        size_t gl = strlen(g);
        while (gl && g[gl - 1] == '/') gl--;
        snprintf(url, sizeof url, "%.*s/%s", (int)gl, g, src);
    }
    lp_fetch_status fs = lp_fetch(url, max, out, len, err, errlen);
    if (fs != LP_FETCH_OK)
        return fs == LP_FETCH_TOO_LARGE ? "INPUT_TOO_LARGE" : fs == LP_FETCH_BAD_URL ? "USAGE" : fs == LP_FETCH_NOMEM ? "OUT_OF_MEMORY" : "NETWORK_ERROR";
    if (o->save && lp_save_bytes(o->save, *out, *len, err, errlen) != 0) {
        free(*out);
        *out = NULL;
        return "IO_ERROR";
    }
    return NULL;
#else
    snprintf(err, errlen, "%s: network fetching is not built into this tool yet", src);
    return "NETWORK_UNAVAILABLE";
#endif
}

int lp_parse_pubkey(const char *hex, uint8_t out[LPM_PUBKEY_LEN])
{
    size_t n;
    return strlen(hex) == 64 && lpc_hex_decode(hex, 64, out, LPM_PUBKEY_LEN, &n) == LPC_OK && n == LPM_PUBKEY_LEN;
}

json_t *lp_checkpoint_json(const lpm_checkpoint *cp)
{
    const lpm_header *h = lpm_checkpoint_header(cp);
    json_t *o = json_object();
    json_object_set_new(o, "number", json_integer(h->number));
    json_object_set_new(o, "version", h->has_version ? json_integer(h->version) : json_null());
    json_object_set_new(o, "event_count", json_integer(h->event_count));
    json_object_set_new(o, "merkle_root", json_string(h->merkle_root));
    json_object_set_new(o, "prev_checkpoint_root", h->has_prev_root ? json_string(h->prev_root) : json_null());
    json_t *tr = json_object();
    json_object_set_new(tr, "start", h->time_start.present ? json_string(h->time_start.text) : json_null());
    json_object_set_new(tr, "end", h->time_end.present ? json_string(h->time_end.text) : json_null());
    json_object_set_new(o, "time_range", tr);
    if (h->has_sequence_range)
        json_object_set_new(o, "sequence_range", json_pack("{s:I,s:I}", "first", (json_int_t)h->seq_first, "last", (json_int_t)h->seq_last));
    else
        json_object_set_new(o, "sequence_range", json_null());
    json_object_set_new(o, "era", json_string(lpm_era_name(lpm_checkpoint_era(cp))));
    json_object_set_new(o, "payload_encoding", json_string(lpm_encoding_name(lpm_checkpoint_encoding(cp))));
    return o;
}

void lp_print_json(json_t *o)
{
    char *s = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
    if (s) { fputs(s, stdout); fputc('\n', stdout); free(s); }
    json_decref(o);
}

static int undecided(lp_jchecks *c, const char *name, lpm_err e)
{
    lp_jchecks_add(c, name, 0, lpm_errname(e), "%s", lpm_strerror(e));
    c->undecided = 1;
    return 2;
}

int lp_verify_checkpoint(lpm_checkpoint *cp, const uint8_t *pubkey, lp_jchecks *c, const char **sig_state)
{
    *sig_state = "not_checked";
    if (lpm_checkpoint_unsigned_empty(cp)) {
        lpm_err e = lpm_checkpoint_check_empty(cp);
        if (lpm_err_undecided(e)) return undecided(c, "empty_checkpoint", e);
        lp_jchecks_add(c, "empty_checkpoint", 0, lpm_errname(e), "%s",
                      e == LPM_ERR_EMPTY_CHECKPOINT
                          ? "signature \"empty_checkpoint\": unsigned host checkpoint with no events, nothing can be included"
                          : "signature \"empty_checkpoint\" but the header or events claim content");
        return 1;
    }
    int status = 0;
    if (pubkey) {
        lpm_err e = lpm_checkpoint_verify_signature(cp, pubkey);
        if (lpm_err_undecided(e)) return undecided(c, "header_signature", e);
        *sig_state = e == LPM_OK ? "valid" : "invalid";
        lp_jchecks_add(c, "header_signature", e == LPM_OK, lpm_errname(e),
                      e == LPM_OK ? "Ed25519 over SHA-256 of the default-separator sorted header verifies"
                                  : "Ed25519 over SHA-256 of the default-separator sorted header does not verify with this key");
        if (e != LPM_OK) status = 1;
    }
    lpm_err e = lpm_checkpoint_decode_events(cp);
    if (e != LPM_OK) return undecided(c, "events_decoded", e);
    lp_jchecks_add(c, "events_decoded", 1, NULL, "%zu records (base64, gzip, JSON array)", lpm_checkpoint_n_events(cp));
    e = lpm_checkpoint_check_count(cp);
    lp_jchecks_add(c, "event_count", e == LPM_OK, lpm_errname(e), "header %lld, decoded %zu",
                  (long long)lpm_checkpoint_header(cp)->event_count, lpm_checkpoint_n_events(cp));
    if (e != LPM_OK) status = 1;
    size_t bad = 0;
    e = lpm_checkpoint_check_sequence(cp, &bad);
    if (e == LPM_ERR_MALFORMED) {
        lp_jchecks_add(c, "sequence_range", 0, "SEQUENCE_GAP", "header has no sequence_range");
        status = 1;
    } else {
        if (e == LPM_OK)
            lp_jchecks_add(c, "sequence_range", 1, NULL, "sequence contiguous %lld..%lld",
                          (long long)lpm_checkpoint_header(cp)->seq_first, (long long)lpm_checkpoint_header(cp)->seq_last);
        else
            lp_jchecks_add(c, "sequence_range", 0, lpm_errname(e), "sequence breaks at record %zu of range %lld..%lld",
                          bad, (long long)lpm_checkpoint_header(cp)->seq_first, (long long)lpm_checkpoint_header(cp)->seq_last);
        if (e != LPM_OK) status = 1;
    }
    if (lpm_checkpoint_n_events(cp) == 0) {
        lp_jchecks_add(c, "merkle_root", 0, "EVENT_COUNT_MISMATCH", "a signed checkpoint with no events has no tree");
        return 1;
    }
    e = lpm_checkpoint_build_tree(cp);
    if (e != LPM_OK) return undecided(c, "merkle_root", e);
    e = lpm_checkpoint_check_root(cp);
    char root[65];
    lpc_hex_encode(lpm_tree_root(lpm_checkpoint_tree(cp)), LPM_HASH_LEN, root);
    lp_jchecks_add(c, "merkle_root", e == LPM_OK, lpm_errname(e), "computed %s, header %s", root, lpm_checkpoint_header(cp)->merkle_root);
    if (e != LPM_OK) status = 1;
    int present = 0;
    e = lpm_checkpoint_check_tree_levels(cp, &present);
    lp_jchecks_add(c, "tree_levels", e == LPM_OK, lpm_errname(e), "%s",
                  !present ? "absent or empty (not compared)" : e == LPM_OK ? "every level equals the computed tree"
                                                                      : "differ from the computed tree");
    if (e != LPM_OK) status = 1;
    if (lpm_checkpoint_era(cp) == LPM_ERA_D) {
        e = lpm_checkpoint_check_envelopes(cp, 0, &bad);
        if (lpm_err_undecided(e) && e != LPM_ERR_MALFORMED) return undecided(c, "envelopes", e);
        if (e == LPM_OK)
            lp_jchecks_add(c, "envelopes", 1, NULL, "%zu signed_log_entry verified (hash, Ed25519, payload_hash, chain)", lpm_checkpoint_n_events(cp));
        else
            lp_jchecks_add(c, "envelopes", 0, e == LPM_ERR_MALFORMED ? "MALFORMED_ENVELOPE" : lpm_errname(e),
                          "record %zu: %s", bad, lpm_strerror(e));
        if (e != LPM_OK) status = 1;
    }
    return status;
}
