#!/usr/bin/env python3
"""Generates vectors/leadpoet-v2/weight_authority_v2_cases.json: negatives (and a few
accepted variants) of weight_authority_v2 that the public vectors do not reach, each with
the outcome of Leadpoet's own reference at 5fe22c16.

  PYTHONPATH=<dir holding the reference leadpoet_canonical/> python3 \
      tests/python/gen_weight_authority_v2_cases.py > vectors/leadpoet-v2/weight_authority_v2_cases.json

The reference package is extracted from the Leadpoet mirror (git show
5fe22c16:leadpoet_canonical/<file>) and needs `cryptography` (re-signing uses the
public vector seeds of weights_v2.json `keys`).  Bundle cases are patches over a valid
bundle of weights_v2.json: `base` names it, `patch` is a list of {path, value} (set) or
{path, delete: true}; `expect` is {verified} or {error: {type, message}}.  Direct cases
call one function with `kwargs` (or `args`)."""
import copy, hashlib, json, os, sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from leadpoet_canonical import weight_authority_v2 as W
from leadpoet_canonical import attested_v2 as A

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
V = json.load(open(os.path.join(ROOT, "vectors", "leadpoet-v2", "weights_v2.json"), encoding="utf-8"))
PUB = V["published_weight_bundles_v2"]
VALID = {c["name"]: c for c in PUB["valid"]}
VAL_SEED = bytes.fromhex(V["keys"]["v2_validator_boot"]["seed_hex"])
BASE = "published_burn_only_ff_disabled"
FULL = "published_single_miner_uid2"

cases = []


def outcome(fn):
    try:
        return {"verified": fn()}
    except Exception as e:  # the reference's exception, whatever its class
        return {"error": {"type": type(e).__name__, "message": str(e)}}


def diff_patch(base, new):
    """Top-level-ish patch: the bundle's changed fields, receipts by index."""
    if not isinstance(new, dict):
        return [{"path": [], "value": new}]
    patch = []
    for k in new:
        if k not in base:
            patch.append({"path": [k], "value": new[k]})
    for k in base:
        if k not in new:
            patch.append({"path": [k], "delete": True})
    for k in new:
        if k in base and base[k] != new[k] or (k in base and json.dumps(base[k]) != json.dumps(new[k])):
            if k == "receipt_graph" and isinstance(new[k], dict) and isinstance(base[k], dict):
                bg, ng = base[k], new[k]
                for gk in ng:
                    if json.dumps(bg.get(gk)) == json.dumps(ng[gk]):
                        continue
                    if gk == "receipts" and isinstance(ng[gk], list) and len(ng[gk]) == len(bg[gk]):
                        for i, (a, b) in enumerate(zip(bg[gk], ng[gk])):
                            if json.dumps(a) != json.dumps(b):
                                patch.append({"path": [k, gk, i], "value": b})
                    else:
                        patch.append({"path": [k, gk], "value": ng[gk]})
            else:
                patch.append({"path": [k], "value": new[k]})
    return patch


def bundle_case(name, note, bundle, base=BASE, **kw):
    b0 = VALID[base]["bundle"]
    cases.append({"name": name, "note": note, "kind": "bundle", "base": base,
                  "patch": diff_patch(b0, bundle), "opts": kw,
                  "expect": outcome(lambda: W.validate_published_weight_bundle_v2(copy.deepcopy(bundle), **kw))})


def direct(name, note, fn, kwargs=None, args=None):
    kwargs = kwargs or {}
    args = args or []
    cases.append({"name": name, "note": note, "kind": "call", "function": fn, "args": args, "kwargs": kwargs,
                  "expect": outcome(lambda: getattr(W, fn)(*copy.deepcopy(args), **copy.deepcopy(kwargs)))})


def fresh(base=BASE):
    return copy.deepcopy(VALID[base]["bundle"])


def sign(receipt):
    body = {k: v for k, v in receipt.items() if k not in ("receipt_hash", "enclave_pubkey", "enclave_signature")}
    h = A.sha256_json(body)
    sig = Ed25519PrivateKey.from_private_bytes(VAL_SEED).sign(bytes.fromhex(h.split(":", 1)[1])).hex()
    out = dict(body)
    out.update({"receipt_hash": h, "enclave_pubkey": receipt["enclave_pubkey"], "enclave_signature": sig})
    return out


def chain(b):
    g = b["receipt_graph"]
    by = {r["receipt_hash"]: i for i, r in enumerate(g["receipts"])}
    ri = by[g["root_receipt_hash"]]
    ci = by[g["receipts"][ri]["parent_receipt_hashes"][0]]
    si = by[g["receipts"][ci]["parent_receipt_hashes"][0]]
    return g, si, ci, ri


def rechain(b, snap=None, comp=None, root=None):
    """Edits the snapshot, computed and binding receipts (functions on their dicts) and
    re-signs the chain with the validator boot key, relinking parents."""
    g, si, ci, ri = chain(b)
    rs = g["receipts"]
    s = dict(rs[si])
    if snap: snap(s)
    rs[si] = sign(s)
    c = dict(rs[ci])
    c["parent_receipt_hashes"] = [rs[si]["receipt_hash"]]
    if comp: comp(c)
    rs[ci] = sign(c)
    r = dict(rs[ri])
    r["parent_receipt_hashes"] = [rs[ci]["receipt_hash"]]
    if root: root(r)
    rs[ri] = sign(r)
    g["root_receipt_hash"] = rs[ri]["receipt_hash"]
    return b


def by_purpose(b, purpose):
    for r in b["receipt_graph"]["receipts"]:
        if r["purpose"] == purpose:
            return r
    raise KeyError(purpose)


OTHER = "sha256:" + hashlib.sha256(b"public v2 weight authority negative").hexdigest()

# ---- step 1: envelope ----
bundle_case("bundle_not_object", "a list", [], )
b = fresh(); b["weight_snapshot"] = []; bundle_case("snapshot_not_object", "weight_snapshot is a list", b)
b = fresh(); b["weight_result"] = None; bundle_case("result_null", "weight_result null", b)
b = fresh(); b["receipt_graph"] = "graph"; bundle_case("graph_string", "receipt_graph a string", b)
b = fresh(); b["extra"] = 1; bundle_case("bundle_extra_field", "a ninth field", b)

# ---- step 2: the snapshot rebuild (no re-hash needed: these raise before the comparison) ----
b = fresh(); b["weight_snapshot"]["input_receipt_hashes"] = []
bundle_case("snapshot_inputs_list", "input_receipt_hashes is a list", b)
b = fresh(); del b["weight_snapshot"]["input_receipt_hashes"]["bans"]
bundle_case("snapshot_inputs_13", "13 categories", b)
b = fresh(); b["weight_snapshot"]["input_receipt_hashes"]["bans"] = "sha256:xyz"
bundle_case("snapshot_input_hash_invalid", "bans hash not hex", b)
b = fresh(); b["weight_snapshot"]["input_receipt_hashes"]["bans"] = OTHER
bundle_case("snapshot_input_other_receipt", "bans names another receipt: parents differ", b)
b = fresh(); ih = b["weight_snapshot"]["input_receipt_hashes"]
ih["bans"], ih["research_lab_allocation"] = ih["research_lab_allocation"], ih["bans"]
bundle_case("snapshot_allocation_swapped", "allocation and bans swapped: same parent set", b)
b = fresh(); b["weight_snapshot"]["finalized_chain_state_root"] = "sha256:00"
bundle_case("snapshot_chain_root_invalid", "finalized root not a hash", b)
b = fresh(); b["weight_snapshot"]["gateway_authority_event_hash"] = None
bundle_case("snapshot_event_hash_null", "gateway event hash null", b)
b = fresh(); b["weight_snapshot"]["gateway_authority_event_hash"] = b["weight_snapshot"]["gateway_authority_event_hash"].upper().replace("SHA256", "sha256")
bundle_case("snapshot_event_hash_upper", "normalised by the rebuild: not canonical", b)
b = fresh(); b["weight_snapshot"]["validator_hotkey"] = "a b"
bundle_case("snapshot_hotkey_space", "hotkey with a space", b)
b = fresh(); b["weight_snapshot"]["validator_hotkey"] = "x" * 129
bundle_case("snapshot_hotkey_129", "129 characters", b)
b = fresh(); b["weight_snapshot"]["validator_hotkey"] = "  " + b["weight_snapshot"]["validator_hotkey"]
bundle_case("snapshot_hotkey_padded", "padded: rebuilt stripped, not canonical", b)
b = fresh(); b["weight_snapshot"]["calculation_snapshot"]["block"] = " 8772930 "
bundle_case("snapshot_block_string", "compute accepts int(' 8772930 '), _int refuses", b)
b = fresh(); b["weight_snapshot"]["calculation_snapshot"]["netuid"] = "71"
bundle_case("snapshot_netuid_string", "netuid '71'", b)
b = fresh(); b["weight_snapshot"]["calculation_snapshot"]["epoch_id"] = True
bundle_case("snapshot_epoch_bool", "epoch_id true", b)
b = fresh(); b["weight_snapshot"]["calculation_snapshot"] = []
bundle_case("snapshot_calc_list", "calculation_snapshot a list", b)
b = fresh(); b["weight_snapshot"]["calculation_snapshot"]["parent_receipt_hashes"] = list(reversed(b["weight_snapshot"]["calculation_snapshot"]["parent_receipt_hashes"]))
bundle_case("snapshot_calc_parents_reversed", "parents not sorted", b)
b = fresh(); b["weight_snapshot"]["snapshot_hash"] = OTHER
bundle_case("snapshot_hash_stale", "snapshot_hash edited", b)
b = fresh(); b["weight_snapshot"]["calculation_snapshot"]["research_lab_allocation_doc"] = []
bundle_case("allocation_doc_list", "a list doc: accepted by compute, refused by the documents (step 6)", b)

# ---- step 2: the result under Python == ----
b = fresh(); b["weight_result"]["netuid"] = 71.0
bundle_case("result_netuid_float", "71.0 == 71: accepted, bundle_hash differs", b)
b = fresh(); b["weight_result"] = dict(reversed(list(b["weight_result"].items())))
bundle_case("result_keys_reversed", "key order: accepted, same bundle_hash", b)

# ---- step 3 ----
b = fresh(); b["validator_hotkey"] = "\t" + b["validator_hotkey"] + " "
bundle_case("bundle_hotkey_padded", "padded bundle hotkey: accepted, normalised", b)
b = fresh(); b["validator_hotkey"] = None
bundle_case("bundle_hotkey_null", "null hotkey", b)
b = fresh(); b["binding_message"] = ""
bundle_case("binding_message_empty", "empty", b)
b = fresh(); b["binding_message"] = "x" * 4097
bundle_case("binding_message_4097", "4097 characters", b)
b = fresh(); b["validator_hotkey_signature"] = " " + b["validator_hotkey_signature"].upper() + "\n"
bundle_case("hotkey_signature_upper_padded", "normalised: accepted", b)
b = fresh(); b["validator_hotkey_signature"] = 5
bundle_case("hotkey_signature_int", "an int", b)

# ---- step 4: the graph ----
b = fresh()
bundle_case("graph_requires_verifier", "require_boot_attestation_verification without a verifier", b,
            require_boot_attestation_verification=True)
b = fresh(); b["receipt_graph"]["schema_version"] = "leadpoet.attested_receipt_graph.v1"
bundle_case("graph_schema_other", "unsupported graph schema", b)

# ---- step 5: the root ----
b = fresh(); b["receipt_graph"]["root_receipt_hash"] = b["receipt_graph"]["root_receipt_hash"].upper().replace("SHA256", "sha256")
bundle_case("root_hash_upper", "passes the graph (normalised), not the exact lookup", b)

# ---- steps 8-11 through a re-signed validator chain ----
b = rechain(fresh(), snap=lambda s: s.update(input_root=OTHER))
bundle_case("snapshot_receipt_input_root_other", "step 9 input root", b)
b = rechain(fresh(), snap=lambda s: s.update(epoch_id=24357), comp=lambda c: c.update(epoch_id=24357),
            root=lambda r: r.update(epoch_id=24357))
bundle_case("validator_chain_epoch_next", "all three receipts one epoch later", b)
b = rechain(fresh(), comp=lambda c: c.update(input_root=OTHER))
bundle_case("computed_receipt_input_other", "step 10 input", b)
b = rechain(fresh(), comp=lambda c: c.update(output_root=OTHER))
bundle_case("computed_receipt_output_other", "step 10 output", b)
b = rechain(fresh(), comp=lambda c: c.update(epoch_id=24357), root=lambda r: r.update(epoch_id=24357))
bundle_case("computed_receipt_epoch_next", "computed and binding one epoch later", b)
b = rechain(fresh(), root=lambda r: r.update(epoch_id=24357))
bundle_case("binding_receipt_epoch_next", "binding one epoch later", b)
b0 = fresh(); chain_hash = b0["weight_snapshot"]["input_receipt_hashes"]["chain_state"]
b = rechain(b0, comp=lambda c: c.update(parent_receipt_hashes=sorted(c["parent_receipt_hashes"] + [chain_hash])))
bundle_case("computed_receipt_two_parents", "snapshot + chain_state", b)
b = rechain(fresh(), comp=lambda c: c.update(purpose="validator.constants.v2"))
bundle_case("computed_receipt_purpose_constants", "the binding's parent is not computed", b)
b = rechain(fresh(), snap=lambda s: s.update(boot_identity_hash=OTHER))
bundle_case("snapshot_receipt_unknown_boot", "an unknown boot", b)

# an extra receipt between two of the chain, so that every receipt stays connected
def insert_between(b, which):
    g, si, ci, ri = chain(b)
    rs = g["receipts"]
    if which == "root":      # root -> P (a second binding receipt) -> computed
        p = dict(rs[ri], job_id=rs[ri]["job_id"] + "-p", parent_receipt_hashes=[rs[ci]["receipt_hash"]])
        p = sign(p)
        rs.append(p)
        r = dict(rs[ri], parent_receipt_hashes=[p["receipt_hash"]])
        rs[ri] = sign(r)
    else:                    # computed -> Q (a second computed receipt) -> snapshot
        q = sign(dict(rs[ci], job_id=rs[ci]["job_id"] + "-q"))
        rs.append(q)
        c = sign(dict(rs[ci], parent_receipt_hashes=[q["receipt_hash"]]))
        rs[ci] = c
        rs[ri] = sign(dict(rs[ri], parent_receipt_hashes=[c["receipt_hash"]]))
    g["root_receipt_hash"] = rs[ri]["receipt_hash"]
    return b


def bundle_case_full(name, note, bundle, base=BASE):
    cases.append({"name": name, "note": note, "kind": "bundle", "base": base,
                  "patch": [{"path": ["receipt_graph"], "value": bundle["receipt_graph"]}], "opts": {},
                  "expect": outcome(lambda: W.validate_published_weight_bundle_v2(copy.deepcopy(bundle)))})


bundle_case_full("binding_parent_second_binding", "root -> binding -> computed",
                 insert_between(fresh(), "root"))
bundle_case_full("computed_parent_second_computed", "computed -> computed -> snapshot",
                 insert_between(fresh(), "computed"))

# ---- step 6/7 through a re-signed input receipt (validator key), the cascade re-signed ----
from leadpoet_canonical.weight_computation import compute_final_weights


def resign_input(b, category, edit):
    """Edits one validator input receipt and re-signs it, its descendants, the snapshot
    (rebuilt), the result and the validator chain, so that only step 6/7 can fail."""
    g, si, ci, ri = chain(b)
    rs = g["receipts"]
    snap = b["weight_snapshot"]
    old = snap["input_receipt_hashes"][category]
    idx = {r["receipt_hash"]: i for i, r in enumerate(rs)}
    i = idx[old]
    new = dict(rs[i]); edit(new); rs[i] = sign(new)
    ren = {old: rs[i]["receipt_hash"]}
    # children among the inputs (burn_ownership under metagraph_state), then the snapshot receipt
    changed = True
    while changed:
        changed = False
        for j, r in enumerate(rs):
            if j in (si, ci, ri):
                continue
            ps = r.get("parent_receipt_hashes") or []
            if any(p in ren for p in ps):
                oldh = r["receipt_hash"]
                rs[j] = sign(dict(r, parent_receipt_hashes=sorted(ren.get(p, p) for p in ps)))
                ren[oldh] = rs[j]["receipt_hash"]
                changed = True
    inputs = {k: ren.get(v, v) for k, v in snap["input_receipt_hashes"].items()}
    calc = dict(snap["calculation_snapshot"], parent_receipt_hashes=sorted(inputs.values()))
    nsnap = W.build_weight_snapshot_v2(validator_hotkey=snap["validator_hotkey"], calculation_snapshot=calc,
                                       input_receipt_hashes=inputs,
                                       finalized_chain_state_root=snap["finalized_chain_state_root"],
                                       gateway_authority_event_hash=snap["gateway_authority_event_hash"])
    b["weight_snapshot"] = nsnap
    b["weight_result"] = compute_final_weights(calc)
    rechain(b, snap=lambda s: s.update(parent_receipt_hashes=sorted(ren.get(p, p) for p in s["parent_receipt_hashes"]),
                                        input_root=nsnap["source_input_root"], output_root=nsnap["snapshot_hash"]),
            comp=lambda c: c.update(input_root=nsnap["snapshot_hash"], output_root=A.sha256_json(b["weight_result"])))
    return b


bundle_case("input_feature_flags_resigned", "feature_flags receipt re-signed with a new sequence: accepted",
            resign_input(fresh(), "feature_flags", lambda r: r.update(sequence=r["sequence"] + 1000)))
bundle_case("input_feature_flags_epoch_older", "feature_flags receipt re-signed one epoch earlier",
            resign_input(fresh(), "feature_flags", lambda r: r.update(epoch_id=24355)))
bundle_case("input_metagraph_no_parent", "metagraph receipt re-signed without its chain_state parent",
            resign_input(fresh(), "metagraph_state", lambda r: r.update(parent_receipt_hashes=[])))
b0 = fresh(); cs_hash = b0["weight_snapshot"]["input_receipt_hashes"]["chain_state"]
bundle_case("input_burn_parent_chain_state", "burn ownership receipt re-signed under chain_state",
            resign_input(b0, "burn_ownership", lambda r: r.update(parent_receipt_hashes=[cs_hash])))
bundle_case("input_constants_with_parent", "constants receipt re-signed under chain_state",
            resign_input(fresh(), "constants", lambda r: r.update(parent_receipt_hashes=[cs_hash])))
bundle_case("input_constants_output_other", "constants receipt output edited and re-signed",
            resign_input(fresh(), "constants", lambda r: r.update(output_root=OTHER)))


def swap_inputs(b, c1, c2, missing=False):
    snap = b["weight_snapshot"]
    inputs = dict(snap["input_receipt_hashes"])
    if missing:
        inputs[c1] = OTHER
    else:
        inputs[c1], inputs[c2] = inputs[c2], inputs[c1]
    calc = dict(snap["calculation_snapshot"], parent_receipt_hashes=sorted(inputs.values()))
    b["weight_snapshot"] = W.build_weight_snapshot_v2(
        validator_hotkey=snap["validator_hotkey"], calculation_snapshot=calc, input_receipt_hashes=inputs,
        finalized_chain_state_root=snap["finalized_chain_state_root"],
        gateway_authority_event_hash=snap["gateway_authority_event_hash"])
    b["weight_result"] = compute_final_weights(calc)
    return b


bundle_case("input_bans_is_chain_state", "bans and chain_state swapped in a rebuilt snapshot",
            swap_inputs(fresh(), "bans", "chain_state"))
bundle_case("input_bans_is_champions", "bans and champions swapped in a rebuilt snapshot",
            swap_inputs(fresh(), "bans", "champions"))
bundle_case("input_bans_missing", "bans names a receipt absent from the graph (rebuilt snapshot)",
            swap_inputs(fresh(), "bans", None, missing=True))

# binding messages (step 11)
def with_message(msg):
    b = fresh(); b["binding_message"] = msg; return b
good = VALID[BASE]["bundle"]["binding_message"]
bundle_case("binding_message_no_version", "version missing", with_message(good.rsplit("|version=", 1)[0]))
bundle_case("binding_message_unknown_key", "an unknown key", with_message(good + "|x=1"))
bundle_case("binding_message_duplicate_key", "netuid twice", with_message(good + "|netuid=71"))
bundle_case("binding_message_malformed_token", "a token without '='", with_message(good + "|oops"))
bundle_case("binding_message_missing_chain", "chain missing",
            with_message("|".join(t for t in good.split("|") if not t.startswith("chain="))))
bundle_case("binding_message_version_upper", "an upper-case commit",
            with_message(good.rsplit("|version=", 1)[0] + "|version=" + good.rsplit("|version=", 1)[1].upper()))
bundle_case("binding_message_not_binding", "no application domain", with_message("hello"))
HK = VALID[BASE]["bundle"]["validator_hotkey"]
HK2 = "5GhWQtbY3covmFszi5JatRrRcqZ2jaZ29nxSrcdBAeFGGDj6"
UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
H64 = hashlib.sha256(b"public v2 body").hexdigest()
for label, msg in [
        ("qualification", "123456789012"), ("eight_digits", "12345678"), ("epoch_leads", "GET_EPOCH_LEADS:5:" + HK),
        ("epoch_leads_other_hotkey", "GET_EPOCH_LEADS:5:" + HK2),
        ("validation_batch", "VALIDATION_RESULT_BATCH:%s:%s:2026-08-23T07:41:26.123456+00:00:%s:lead/1:a" % (HK, UUID, H64)),
        ("validation_batch_7_digit_fraction", "VALIDATION_RESULT_BATCH:%s:%s:2026-08-23T07:41:26.1234567+00:00:%s:x" % (HK, UUID, H64)),
        ("scoring_fetch", "FULFILLMENT_SCORING:%s::%s:17" % (HK, UUID)),
        ("score_submit", "FULFILLMENT_SCORE:%s:req:1.2-x:%s:17" % (HK, UUID)),
        ("score_submit_long_id", "FULFILLMENT_SCORE:%s:%s:%s:17" % (HK, "a" * 257, UUID)),
        ("dendrite", "17.%s.%s.%s.%s" % (HK, HK2, UUID.upper(), H64)),
        ("dendrite_bad_uuid", "17.%s.%s.%s.%s" % (HK, HK2, UUID.replace("469f", "669f"), H64)),
        ("dendrite_bad_target", "17.%s.%s.%s.%s" % (HK, "0" * 48, UUID, H64)),
        ("axon", "17.%s.%s.%s" % (HK2, HK, UUID)),
        ("axon_bad_nonce", "x7.%s.%s.%s" % (HK2, HK, UUID)),
        ("three_dots_no_hotkey", "1.2.3.4"),
        ("weight_inputs_prefix", "LEADPOET_WEIGHT_INPUTS_V2|x"),
        ("curation", "1234567890{}")]:
    bundle_case("binding_message_" + label, "classify_application_message_v2: " + label, with_message(msg))
    # the request itself (its purpose is the classification): hotkey_authority_v2's builder
    from leadpoet_canonical.hotkey_authority_v2 import build_application_signature_request_v2 as _req
    boot = VALID[BASE]["application_signature_request"]["boot_identity_hash"]
    cases.append({"name": "request_" + label, "note": "build_application_signature_request_v2", "kind": "request",
                  "message": msg, "validator_hotkey": HK, "boot_identity_hash": boot,
                  "expect": outcome(lambda: _req(message=msg.encode("utf-8"), validator_hotkey=HK,
                                                 boot_identity_hash=boot))})
bundle_case("binding_message_surrogate", "a lone surrogate: UnicodeEncodeError", with_message(good + "\udc80"))
bundle_case("binding_message_surrogates", "two lone surrogates", with_message("\udc80\udc81" + good))

# ---- step 12 ----
b = fresh(); b["weights_signature"] = b["weights_signature"][:-2] + ("00" if b["weights_signature"][-2:] != "00" else "01")
bundle_case("weights_signature_last_byte", "one byte off", b)
b = fresh(); b["weights_signature"] = None
bundle_case("weights_signature_null", "null", b)

# ---- direct calls: source evidence ----
full = VALID[FULL]
docs = full["input_value_documents"]
g = full["bundle"]["receipt_graph"]
inputs = full["bundle"]["weight_snapshot"]["input_receipt_hashes"]
rby = {r["receipt_hash"]: r for r in g["receipts"]}
att = g["transport_attempts"]


def ev(name, note, category, receipt, document, attempts):
    direct(name, note, "validate_weight_input_source_evidence_v2",
           {"category": category, "receipt": receipt, "document": document, "transport_attempts": attempts})


for cat in sorted(inputs):
    ev("evidence_ok_" + cat, "the valid receipt", cat, rby[inputs[cat]], docs[cat], att)
r = rby[inputs["bans"]]
ev("evidence_category_unknown", "", "votes", r, docs["bans"], att)
ev("evidence_category_null", "", None, r, docs["bans"], att)
ev("evidence_host_operation", "", "bans", dict(r, host_operation_root=OTHER), docs["bans"], att)
ev("evidence_tls_no_attempts", "", "bans", r, docs["bans"], [])
scoped = [a for a in att if a["job_id"] == r["job_id"] and a["purpose"] == r["purpose"]]
others = [a for a in att if a not in scoped]
ev("evidence_tls_provider", "", "bans", r, docs["bans"], others + [dict(scoped[0], provider_id="postgres")] + scoped[1:])
ev("evidence_tls_method", "", "bans", r, docs["bans"], [dict(a, method="PUT") for a in scoped])
ev("evidence_tls_method_list", "unhashable", "bans", r, docs["bans"], [dict(a, method=["GET"]) for a in scoped])
ev("evidence_tls_no_2xx", "", "bans", r, docs["bans"], [dict(a, http_status=302) for a in scoped])
ev("evidence_tls_status_string", "int('204')", "bans", r, docs["bans"], [dict(a, http_status="204") for a in scoped])
ev("evidence_tls_status_list", "int([200])", "bans", r, docs["bans"], [dict(a, http_status=[200]) for a in scoped])
ev("evidence_tls_status_text", "int('ok')", "bans", r, docs["bans"], [dict(a, http_status="ok") for a in scoped])
ev("evidence_transport_root", "", "bans", dict(r, transport_root=OTHER), docs["bans"], att)
ev("evidence_artifact_root", "", "bans", dict(r, artifact_root=OTHER), docs["bans"], att)
ev("evidence_other_value", "the document's value differs", "bans", r, dict(docs["bans"], value={"x": 1}), att)
ev("evidence_missing_request_artifact", "KeyError", "bans", r, docs["bans"],
   [{k: v for k, v in a.items() if k != "request_artifact_hash"} for a in scoped])
ev("evidence_attempt_not_object", "", "bans", r, docs["bans"], [1])
ev("evidence_document_list", "", "bans", r, [], att)
ev("evidence_document_no_value", "", "bans", r, {}, att)
ev("evidence_receipt_list", "", "bans", [], docs["bans"], att)
rc = rby[inputs["chain_state"]]
cs = [a for a in att if a["job_id"] == rc["job_id"] and a["purpose"] == rc["purpose"]]
ev("evidence_chain_no_attempts", "", "chain_state", rc, docs["chain_state"], [])
ev("evidence_chain_source", "", "chain_state", rc, docs["chain_state"], [dict(a, destination_host="evil.example") for a in cs])
ev("evidence_chain_archive_as_chain", "archive host under the live provider", "chain_state", rc, docs["chain_state"],
   [dict(a, provider_id="bittensor_chain", destination_host="archive.chain.opentensor.ai") for a in cs])
ev("evidence_chain_no_2xx", "", "chain_state", rc, docs["chain_state"], [dict(a, terminal_status="transport_failure") for a in cs])
rf = rby[inputs["feature_flags"]]
ev("evidence_derived_transport", "", "feature_flags", rf, docs["feature_flags"],
   [dict(cs[0], job_id=rf["job_id"], purpose=rf["purpose"])])
ra = rby[inputs["anomaly_adjustments"]]
ev("evidence_measured_transport", "", "anomaly_adjustments", ra, docs["anomaly_adjustments"],
   [dict(cs[0], job_id=ra["job_id"], purpose=ra["purpose"])])
ev("evidence_attempts_none", "", "anomaly_adjustments", ra, docs["anomaly_adjustments"], None)

# ---- direct calls: documents and snapshots ----
snap = full["bundle"]["weight_snapshot"]
calc = snap["calculation_snapshot"]
dk = {"calculation_snapshot": calc, "finalized_chain_state_root": snap["finalized_chain_state_root"],
      "gateway_authority_event_hash": snap["gateway_authority_event_hash"]}
direct("documents_ok", "", "weight_input_value_documents_v2", dk)
direct("roots_ok", "", "weight_input_output_roots_v2", dk)
direct("documents_finalized_none", "nine documents only", "weight_input_value_documents_v2", dict(dk, finalized_chain_state_root=None))
direct("documents_finalized_invalid", "", "weight_input_value_documents_v2", dict(dk, finalized_chain_state_root="x"))
direct("documents_gateway_invalid", "", "weight_input_value_documents_v2", dict(dk, gateway_authority_event_hash=""))
direct("documents_calc_list", "", "weight_input_value_documents_v2", dict(dk, calculation_snapshot=[]))
direct("documents_calc_bad", "compute raises", "weight_input_value_documents_v2", dict(dk, calculation_snapshot=dict(calc, schema_version="x")))
direct("documents_allocation_list", "a list doc passes compute", "weight_input_value_documents_v2", dict(dk, calculation_snapshot=dict(calc, research_lab_allocation_doc=[])))
direct("documents_banned_zero", "list(0)", "weight_input_value_documents_v2", dict(dk, calculation_snapshot=dict(calc, banned_hotkeys=0)))
direct("documents_banned_string", "list('')", "weight_input_value_documents_v2", dict(dk, calculation_snapshot=dict(calc, banned_hotkeys="")))
direct("documents_burn_uid_string", "int(' 0 ')", "weight_input_value_documents_v2", dict(dk, calculation_snapshot=dict(calc, burn_target_uid=" 0 ")))
gk = {"calculation_snapshot": calc, "gateway_authority_event_hash": snap["gateway_authority_event_hash"]}
direct("gateway_documents_ok", "", "gateway_weight_input_value_documents_v2", gk)
direct("gateway_documents_hash_invalid", "", "gateway_weight_input_value_documents_v2",
       dict(gk, gateway_authority_event_hash="sha256:"))
sk = {"input_receipt_hashes": snap["input_receipt_hashes"], "finalized_chain_state_root": snap["finalized_chain_state_root"],
      "gateway_authority_event_hash": snap["gateway_authority_event_hash"]}
direct("source_root_ok", "", "weight_source_input_root", sk)
direct("source_root_upper", "normalised", "weight_source_input_root",
       dict(sk, finalized_chain_state_root=" " + snap["finalized_chain_state_root"].upper().replace("SHA256", "sha256")))
direct("source_root_inputs_none", "", "weight_source_input_root", dict(sk, input_receipt_hashes=None))
direct("source_root_gateway_int", "", "weight_source_input_root", dict(sk, gateway_authority_event_hash=7))
bk = {"validator_hotkey": snap["validator_hotkey"], "calculation_snapshot": calc,
      "input_receipt_hashes": snap["input_receipt_hashes"], "finalized_chain_state_root": snap["finalized_chain_state_root"],
      "gateway_authority_event_hash": snap["gateway_authority_event_hash"]}
direct("build_ok", "", "build_weight_snapshot_v2", bk)
direct("build_normalises", "upper-case and padded hashes, padded hotkey",
       "build_weight_snapshot_v2", dict(bk, validator_hotkey=" " + snap["validator_hotkey"],
                                        input_receipt_hashes={k: " " + v.upper().replace("SHA256", "sha256") for k, v in snap["input_receipt_hashes"].items()},
                                        finalized_chain_state_root=snap["finalized_chain_state_root"].upper().replace("SHA256", "sha256")))
direct("build_calc_none", "", "build_weight_snapshot_v2", dict(bk, calculation_snapshot=None))
direct("build_duplicate_input", "", "build_weight_snapshot_v2",
       dict(bk, input_receipt_hashes=dict(snap["input_receipt_hashes"], bans=snap["input_receipt_hashes"]["champions"])))
direct("build_hotkey_empty", "", "build_weight_snapshot_v2", dict(bk, validator_hotkey=""))
direct("build_hotkey_int", "str(5)", "build_weight_snapshot_v2", dict(bk, validator_hotkey=5))
direct("validate_snapshot_ok", "", "validate_weight_snapshot_v2", args=[snap])
direct("validate_snapshot_list", "", "validate_weight_snapshot_v2", args=[[]])

json.dump({"description": __doc__, "reference": "leadpoet/leadpoet@5fe22c16", "cases": cases}, sys.stdout,
          ensure_ascii=True, indent=0, sort_keys=False)
sys.stdout.write("\n")
