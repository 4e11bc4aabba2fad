/* libFuzzer target: a signed log export as verify_log reads it, through the
 * library's procedure (lpm_log_verify): a JSON array of log entries or of
 * {"signed_log_entry": {...}} rows; entries, pin, hash chain, monotonic_seq per
 * boot, ENCLAVE_RESTART boundaries.
 *   make fuzz FUZZ_TARGETS=fuzz_log
 * Invariants: no crash/leak/UB; the verdict is the verdict rule over the checks;
 * unpinned is never OK (fail closed); a pinned run never succeeds where the
 * --no-key run fails; every index names an entry; a log the whole-tree parser reads
 * is judged, each failing check at the index the tree functions give. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merkle/lpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const lp_check *find(const lp_checks *c, const char *name)
{
    for (size_t k = 0; k < c->n; k++)
        if (!strcmp(c->items[k].name, name)) return &c->items[k];
    return NULL;
}

/* A failing check's code and index are those of the library's functions over the whole
 * parsed tree (lpm_log_entries_verify, lpm_log_chain_check, lpm_log_restart_check): the
 * log read one entry at a time decides as the tree does. */
static void same_as_tree(const lpc_value *doc, const char *pin, const lp_checks *c)
{
    size_t n = doc->u.a.n;
    const lpc_value **ents = malloc((n ? n : 1) * sizeof *ents);
    if (!ents) abort();
    for (size_t i = 0; i < n; i++) {
        const lpc_value *it = doc->u.a.items[i], *w = lpc_get(it, "signed_log_entry");
        ents[i] = w && w->type == LPC_OBJECT ? w : it;
    }
    size_t bad = 0, restarts = 0;
    const lp_check *ce = find(c, "entries"), *ch = find(c, "hash_chain"), *cs = find(c, "monotonic_seq"),
                   *cr = find(c, "restart_boundaries");
    if (!ce) abort();
    if (n) {
        lpm_err e = lpm_log_entries_verify(ents, n, pin, 2, &bad);
        lp_code want = e == LPM_ERR_MALFORMED ? LP_CODE_MALFORMED_ENTRY : lpm_code(e);
        if ((e == LPM_OK) != ce->ok || (e != LPM_OK && (ce->index != bad || ce->code != want))) abort();
        e = lpm_log_chain_check(ents, n, &bad);
        int chain_ok = e != LPM_ERR_CHAIN_BROKEN && e != LPM_ERR_MALFORMED;
        if (!ch || chain_ok != ch->ok || (!chain_ok && ch->index != bad)) abort();
        if (chain_ok && (!cs || (e == LPM_OK) != cs->ok || (e != LPM_OK && cs->index != bad))) abort();
        lpm_restart_rule r = lpm_log_restart_check(ents, n, &bad, &restarts);
        if (!cr || (r == LPM_RESTART_OK) != cr->ok || (r != LPM_RESTART_OK && cr->index != bad)) abort();
    }
    free(ents);
}

static lp_code run(const uint8_t *data, size_t size, const lpc_value *doc, const char *pin, unsigned flags)
{
    lp_checks c;
    lp_checks_init(&c);
    size_t n = 0;
    lp_code v = lpm_log_verify(data, size, pin, flags, &n, &c);
    if (v != lp_checks_verdict(&c) || c.n == 0) abort();
    for (size_t k = 0; k < c.n; k++) {
        if (c.items[k].index != LP_NO_INDEX && c.items[k].index >= n) abort();
        if (!c.items[k].ok && !(c.items[k].flags & LP_CHECK_WARNING) && c.items[k].code == LP_CODE_OK) abort();
    }
    /* a log the whole-tree parser reads as an array of at most LPM_MAX_EVENTS entries is
     * judged (its input check passes, unless one entry's tree is over the budget) and
     * decided as the tree decides */
    const lp_check *in = find(&c, "input");
    if (doc && doc->type == LPC_ARRAY && doc->u.a.n <= LPM_MAX_EVENTS && !(in && in->code == LP_CODE_INPUT_TOO_LARGE)) {
        if (n != doc->u.a.n || in) abort();
        same_as_tree(doc, pin, &c);
    }
    lp_checks_free(&c);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpc_value *doc = NULL;
    if (lpc_parse(data, size, &doc, NULL) != LPC_OK) doc = NULL;
    if (run(data, size, doc, NULL, 0) == LP_CODE_OK) abort();
    lp_code open = run(data, size, doc, NULL, LPM_ALLOW_NO_KEY);
    /* pin the first entry's key, when it has one */
    char pin[160] = "8d1f2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff0";
    if (doc && doc->type == LPC_ARRAY && doc->u.a.n > 0) {
        const lpc_value *e = doc->u.a.items[0], *w = lpc_get(e, "signed_log_entry");
        const lpc_value *pk = lpc_get(w && w->type == LPC_OBJECT ? w : e, "enclave_pubkey");
        if (pk && pk->type == LPC_STR && pk->u.s.len < sizeof pin && !memchr(pk->u.s.ptr, 0, pk->u.s.len)) {
            memcpy(pin, pk->u.s.ptr, pk->u.s.len);
            pin[pk->u.s.len] = 0;
        }
    }
    lp_code pinned = run(data, size, doc, pin, 0);
    lpc_free(doc);
    if (pinned == LP_CODE_OK && open != LP_CODE_OK) abort();
    return 0;
}
