/* Self-contained inclusion proof file: writer and checker.
 * Format (one JSON object, CS-A): format, lead_id, index, event_count,
 * leaf_preimage (CS-A text of the record), leaf_hash, proof [{sibling, position}],
 * merkle_root, header (as uploaded), signature, header_pubkey (hex or null).
 * The checker uses the module's one fold (lpm_proof_verify_at) and its one header
 * signature check (lpm_header_verify). */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm_state.h"

static lpc_err set_str(lpc_value *o, const char *k, const char *s, size_t n)
{
    lpc_value *v = lpc_new_str(s, n);
    return v ? lpc_object_set(o, k, strlen(k), v) : LPC_ERR_NOMEM;
}

static lpc_err set_hex(lpc_value *o, const char *k, const uint8_t *p, size_t n)
{
    char hex[2 * 64 + 1];
    lpc_hex_encode(p, n, hex);
    return set_str(o, k, hex, 2 * n);
}

static lpc_err set_int(lpc_value *o, const char *k, int64_t x)
{
    lpc_value *v = lpc_new_int(x);
    return v ? lpc_object_set(o, k, strlen(k), v) : LPC_ERR_NOMEM;
}

lpm_err lpm_proof_write(const lpm_checkpoint *cp, size_t idx, const char *lead_id, size_t lead_len,
                        const uint8_t *pubkey, lpc_buf *out)
{
    if (!cp || !cp->tree.nodes || !cp->leaves_ready || idx >= cp->n || !lead_id || !out) return LPM_ERR_ARG;
    lpm_step steps[LPM_MAX_DEPTH];
    size_t ns;
    lpm_err err = lpm_tree_proof(&cp->tree, idx, steps, &ns);
    if (err != LPM_OK) return err;
    lpc_buf pre = {0};
    lpc_value *o = lpc_new_object(), *arr = lpc_new_array(), *hdr = NULL;
    lpc_err e = (o && arr) ? LPC_OK : LPC_ERR_NOMEM;
    const lpc_value *rec = NULL;
    lpc_value *owned = NULL;
    if (e == LPC_OK && lpm_checkpoint_record(cp, idx, &rec, &owned) != LPM_OK) e = LPC_ERR_SYNTAX;
    if (e == LPC_OK) e = lpc_dump(rec, LPC_PROFILE_CS_A, &pre);
    lpc_free(owned);
    if (e == LPC_OK) e = set_str(o, "format", LPM_PROOF_FORMAT, strlen(LPM_PROOF_FORMAT));
    if (e == LPC_OK) e = set_str(o, "lead_id", lead_id, lead_len);
    if (e == LPC_OK) e = set_int(o, "index", (int64_t)idx);
    if (e == LPC_OK) e = set_int(o, "event_count", (int64_t)cp->n);
    if (e == LPC_OK) e = set_str(o, "leaf_preimage", (const char *)pre.ptr, pre.len);
    if (e == LPC_OK) e = set_hex(o, "leaf_hash", cp->rec[idx].leaf, LPM_HASH_LEN);
    for (size_t s = 0; s < ns && e == LPC_OK; s++) {
        lpc_value *st = lpc_new_object();
        if (!st) { e = LPC_ERR_NOMEM; break; }
        e = set_hex(st, "sibling", steps[s].sibling, LPM_HASH_LEN);
        if (e == LPC_OK) e = set_str(st, "position", steps[s].left ? "left" : "right", steps[s].left ? 4 : 5);
        if (e == LPC_OK) e = lpc_array_append(arr, st);
        else lpc_free(st);
    }
    if (e == LPC_OK) { e = lpc_object_set(o, "proof", 5, arr); arr = NULL; }
    if (e == LPC_OK) e = set_hex(o, "merkle_root", lpm_tree_root(&cp->tree), LPM_HASH_LEN);
    if (e == LPC_OK) e = lpc_clone(cp->header_v, &hdr);
    if (e == LPC_OK) { e = lpc_object_set(o, "header", 6, hdr); hdr = NULL; }
    if (e == LPC_OK) {
        const lpc_value *sig = lpc_get(cp->doc, "signature");
        e = set_str(o, "signature", sig->u.s.ptr, sig->u.s.len);
    }
    if (e == LPC_OK) {
        if (pubkey) e = set_hex(o, "header_pubkey", pubkey, LPM_PUBKEY_LEN);
        else {
            lpc_value *nv = lpc_new_null();
            e = nv ? lpc_object_set(o, "header_pubkey", 13, nv) : LPC_ERR_NOMEM;
        }
    }
    if (e == LPC_OK) e = lpc_dump(o, LPC_PROFILE_CS_A, out);
    lpc_free(arr);
    lpc_free(o);
    lpc_buf_free(&pre);
    if (e == LPC_OK) return LPM_OK;
    return e == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : LPM_ERR_CANONICAL;
}

void lpm_proof_file_free(lpm_proof_file *pf)
{
    if (!pf) return;
    lpc_free(pf->doc);
    memset(pf, 0, sizeof *pf);
}

/* What the checks need beyond pf. */
typedef struct {
    const lpc_value *pre, *header_v;
    lpm_step steps[LPM_MAX_DEPTH];
    size_t ns;
} proof_parts;

/* Every member into pf and parts: LPM_OK, LPM_ERR_EMPTY_CHECKPOINT for the unsigned
 * host form, or a could-not-decide error (the file is not a proof of this format). */
static lpm_err proof_parse(const uint8_t *buf, size_t len, lpm_proof_file *pf, proof_parts *pp)
{
    if (!buf) return LPM_ERR_ARG;
    if (len > LPM_MAX_PAYLOAD) return LPM_ERR_INPUT_TOO_LARGE;
    lpc_err pe = lpc_parse(buf, len, &pf->doc, NULL);
    if (pe != LPC_OK) return pe == LPC_ERR_NOMEM ? LPM_ERR_NOMEM : pe == LPC_ERR_TOO_LARGE ? LPM_ERR_INPUT_TOO_LARGE : LPM_ERR_MALFORMED;
    const lpc_value *d = pf->doc;
    const lpc_value *lid = lpc_get(d, "lead_id"), *pre = lpc_get(d, "leaf_preimage"), *pr = lpc_get(d, "proof");
    const lpc_value *hdr = lpc_get(d, "header"), *sig = lpc_get(d, "signature"), *pk = lpc_get(d, "header_pubkey");
    int64_t idx, cnt;
    if (d->type != LPC_OBJECT || !lpc_str_eq(lpc_get(d, "format"), LPM_PROOF_FORMAT) || !lid ||
        lid->type != LPC_STR || !pre || pre->type != LPC_STR || !pr || pr->type != LPC_ARRAY ||
        pr->u.a.n > LPM_MAX_DEPTH || !hdr || hdr->type != LPC_OBJECT || !sig || sig->type != LPC_STR ||
        !lpc_int_i64(lpc_get(d, "index"), &idx) || !lpc_int_i64(lpc_get(d, "event_count"), &cnt) || idx < 0 ||
        cnt <= 0 || idx >= cnt || !lpm_hex32(lpc_get(d, "leaf_hash"), pf->leaf) ||
        !lpm_hex32(lpc_get(d, "merkle_root"), pf->root) || (pk && pk->type != LPC_NULL && !lpm_hex32(pk, pf->pubkey)))
        return LPM_ERR_MALFORMED;
    pf->has_pubkey = pk && pk->type != LPC_NULL;
    pf->lead_id = lid->u.s.ptr;
    pf->lead_len = lid->u.s.len;
    pf->index = (size_t)idx;
    pf->event_count = (size_t)cnt;
    pp->pre = pre;
    pp->header_v = hdr;
    lpm_err e = lpm_header_parse(hdr, &pf->header);
    if (e != LPM_OK) return e;
    pp->ns = pr->u.a.n;
    for (size_t s = 0; s < pp->ns; s++) {
        const lpc_value *st = pr->u.a.items[s], *pos = lpc_get(st, "position");
        if (!lpm_hex32(lpc_get(st, "sibling"), pp->steps[s].sibling)) return LPM_ERR_MALFORMED;
        if (lpc_str_eq(pos, "left")) pp->steps[s].left = 1;
        else if (lpc_str_eq(pos, "right")) pp->steps[s].left = 0;
        else return LPM_ERR_MALFORMED;
    }
    if (lpc_str_eq(sig, "empty_checkpoint")) {
        pf->unsigned_empty = 1;
        return LPM_ERR_EMPTY_CHECKPOINT;
    }
    size_t sl = 0;
    if (sig->u.s.len != 2 * LPM_SIG_LEN || lpc_hex_decode(sig->u.s.ptr, sig->u.s.len, pf->signature, LPM_SIG_LEN, &sl) != LPC_OK ||
        sl != LPM_SIG_LEN)
        return LPM_ERR_MALFORMED;
    return LPM_OK;
}

/* The leaf, the path and the header binding (no signature). */
static lpm_err proof_body(const lpm_proof_file *pf, const proof_parts *pp)
{
    /* leaf: the preimage hashes to leaf_hash, is CS-A canonical, and holds the lead id */
    uint8_t h[LPM_HASH_LEN];
    if (lpc_sha256(pp->pre->u.s.ptr, pp->pre->u.s.len, h) != LPC_OK) return LPM_ERR_CRYPTO;
    if (memcmp(h, pf->leaf, LPM_HASH_LEN) != 0) return LPM_ERR_PROOF_INVALID;
    lpc_value *rec = NULL;
    if (lpc_parse((const uint8_t *)pp->pre->u.s.ptr, pp->pre->u.s.len, &rec, NULL) != LPC_OK) return LPM_ERR_PROOF_INVALID;
    lpc_buf b = {0};
    int canon = rec->type == LPC_OBJECT && lpc_dump(rec, LPC_PROFILE_CS_A, &b) == LPC_OK && b.len == pp->pre->u.s.len &&
                memcmp(b.ptr, pp->pre->u.s.ptr, b.len) == 0;
    int has = canon && lpm_record_has_lead(rec, pf->lead_id, pf->lead_len);
    lpc_buf_free(&b);
    lpc_free(rec);
    if (!canon) return LPM_ERR_PROOF_INVALID;
    if (!has) return LPM_ERR_NOT_INCLUDED;
    /* path: positions fixed by (index, event_count), a self-paired node is itself */
    lpm_err e = lpm_proof_verify_at(pf->leaf, pp->steps, pp->ns, pf->index, pf->event_count, pf->root);
    if (e != LPM_OK) return e;
    /* the header binds root and count */
    uint8_t hroot[LPM_HASH_LEN];
    size_t hl = 0;
    if (lpc_hex_decode(pf->header.merkle_root, 2 * LPM_HASH_LEN, hroot, sizeof hroot, &hl) != LPC_OK || hl != LPM_HASH_LEN)
        return LPM_ERR_MALFORMED;
    if (memcmp(hroot, pf->root, LPM_HASH_LEN) != 0) return LPM_ERR_ROOT_MISMATCH;
    if ((uint64_t)pf->header.event_count != (uint64_t)pf->event_count) return LPM_ERR_EVENT_COUNT_MISMATCH;
    return LPM_OK;
}

lpm_err lpm_proof_check(const uint8_t *buf, size_t len, const uint8_t *pin, lpm_proof_file *pf)
{
    if (!pf) return LPM_ERR_ARG;
    memset(pf, 0, sizeof *pf);
    proof_parts pp;
    lpm_err e = proof_parse(buf, len, pf, &pp);
    if (e == LPM_OK) e = proof_body(pf, &pp);
    if (e != LPM_OK) return e;
    const uint8_t *key = pin ? pin : pf->has_pubkey ? pf->pubkey : NULL;
    if (!key) return LPM_OK;
    pf->signature_checked = 1;
    return lpm_header_verify(pp.header_v, pf->signature, key);
}

lp_code lpm_proof_file_verify(const uint8_t *buf, size_t len, const uint8_t *pin, unsigned flags,
                              lpm_proof_file *pf, lp_checks *out, lpm_sig_state *sig)
{
    if (sig) *sig = LPM_SIG_NOT_CHECKED;
    if (pf) memset(pf, 0, sizeof *pf);
    if (!out) return LP_CODE_BAD_ARGUMENT;
    size_t from = out->n;
    if (!pf) {
        lp_check_add(out, "proof_file", LP_CODE_BAD_ARGUMENT, "no proof-file object");
        return lpm_verdict_since(out, from);
    }
    proof_parts pp;
    lpm_err e = proof_parse(buf, len, pf, &pp);
    if (e == LPM_ERR_EMPTY_CHECKPOINT) {
        lp_check_add(out, "proof_file", LP_CODE_EMPTY_CHECKPOINT, "%s",
                     "signature \"empty_checkpoint\": a proof into an unsigned empty host checkpoint proves nothing");
        return lpm_verdict_since(out, from);
    }
    if (e == LPM_OK) e = proof_body(pf, &pp);
    if (e == LPM_OK)
        lp_check_addi(out, "proof_file", LP_CODE_OK, pf->index, "leaf preimage, path, root and header binding verified (leaf %zu of %zu)",
                      pf->index, pf->event_count);
    else if (lpm_err_undecided(e) || !pf->doc)
        lp_check_add(out, "proof_file", lpm_err_undecided(e) ? lpm_code(e) : LP_CODE_INTERNAL, "%s", lpm_strerror(e));
    else
        lp_check_addi(out, "proof_file", lpm_code(e), pf->index, "%s", lpm_strerror(e));
    if (lpm_err_undecided(e)) return lpm_verdict_since(out, from);
    /* the signature in every decided case; the key the file records is never trusted */
    (void)lpm_signature_checks(pp.header_v, pf->signature, pin, flags, out, sig);
    return lpm_verdict_since(out, from);
}
