#!/usr/bin/env python3
"""Plain-Python replay of one epoch file in replay_consensus's input format, the
baseline bench_json times the C tool against.  Written from the spec
(leadpoet-formats.md §8 commit-reveal hashes, §9 weighted consensus, current
rules); standard library only.

    python3 tests/bench/replay_baseline.py FILE

Checks every given commitment of "validations" (decision_hash, rep_score_hash,
rejection_reason_hash with the row's salt as text; evidence_hash over
json.dumps(clean_result(evidence)), no salt), replays each lead's consensus
over its rows in file order, and compares every field of "consensus_results"
exactly.  Prints OK, or the first mismatch (a commitment before any consensus
field, as the tool ranks them).  Exit 0 all agree, 1 a mismatch, 2 the input
cannot be used.  It does not classify order-dependent results: a difference the
tool reports as ORDER_DEPENDENT (exit 2) is a mismatch (exit 1) here.

Checked by hand on a 50,000-row file from `bench_json --gen 50000`: exit 0 "OK"
like the tool; with one rejection_reason_hash's last hex digit changed, exit 1
"validations[i] (lead ...): rejection_reason_hash does not open to the revealed
value", the row the tool names; with one published final_rep_score changed
(+0.0001), exit 1 "lead ...: final_rep_score recomputed ..., published ...",
the lead and field the tool names.  Over vectors/replay/*.json and
vectors/replay/malformed/*.json it exits as the tool does (default rules),
except tie_reversed_order_dependent.json (tool 2 ORDER_DEPENDENT, here 1).
"""
import hashlib
import json
import sys

# Reasons the current rules ignore (gateway INVALID_REJECTION_REASONS; None and '' too).
INVALID_REASONS = {'{}', '""', 'null', '{"message": "pass"}'}
STRIPPED = ('company_linkedin_data', 'company_linkedin_slug', 'company_linkedin_from_cache')
HASH_KEYS = ('decision_hash', 'rep_score_hash', 'rejection_reason_hash', 'evidence_hash')
HEX = set('0123456789abcdef')


class InputError(Exception):
    pass


def is_hex64(s):
    return isinstance(s, str) and len(s) == 64 and set(s) <= HEX


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def sha(text):
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def first_bad_commitment(i, row):
    """The name of the first hash of row i that does not open, or None."""
    given = {k: row.get(k) for k in HASH_KEYS if row.get(k) is not None}
    if not given:
        return None
    for k, h in given.items():
        if not is_hex64(h):
            raise InputError('validations[%d].%s: must be 64 lowercase hex characters' % (i, k))
    salt = ''
    if any(k != 'evidence_hash' for k in given):
        salt = row.get('salt')
        if not is_hex64(salt):
            raise InputError('validations[%d].salt: 64 lowercase hex characters required' % i)
    for k in HASH_KEYS:
        if k not in given:
            continue
        if k == 'decision_hash':
            d = row.get('decision')
            if not isinstance(d, str):
                raise InputError('validations[%d].decision: a string is needed' % i)
            ours = sha(d + salt)
        elif k == 'rep_score_hash':
            r = row.get('rep_score')
            if not is_number(r):
                raise InputError('validations[%d].rep_score: a number is needed' % i)
            ours = sha(str(r) + salt)          # "42", or legacy repr(float) "42.0"
        elif k == 'rejection_reason_hash':
            if 'rejection_reason' not in row:
                raise InputError('validations[%d].rejection_reason: needed' % i)
            rr = row['rejection_reason']       # the stored text json.dumps(reason), or null
            ours = sha((rr if isinstance(rr, str) else json.dumps(rr)) + salt)
        else:
            ev = row.get('evidence')
            if ev is None and 'evidence' not in row:
                continue                       # nothing to recompute from
            if not isinstance(ev, dict):
                raise InputError('validations[%d].evidence: must be an object' % i)
            clean = dict(ev)
            if isinstance(clean.get('enhanced_lead'), dict):
                clean['enhanced_lead'] = {a: b for a, b in clean['enhanced_lead'].items() if a not in STRIPPED}
            ours = sha(json.dumps(clean))
        if ours != given[k]:
            return k
    return None


def consensus(rows):
    """compute_weighted_consensus (current rules) over one lead's rows."""
    kept = [r for r in rows if r.get('decision') is not None and r.get('rep_score') is not None]
    if not kept:
        return {'final_decision': 'deny', 'final_rep_score': 0.0, 'primary_rejection_reason': 'no_validations',
                'validator_count': 0, 'consensus_weight': 0.0, 'approval_ratio': 0.0}
    total = wrep = wapp = 0.0
    weights = {}
    for r in kept:
        w = float(r['v_trust']) * float(r['stake'])
        total += w
        wrep += float(r['rep_score']) * w
        if r['decision'] == 'approve':
            wapp += w
        else:
            reason = r.get('rejection_reason')
            if reason and reason not in INVALID_REASONS:
                weights[reason] = weights.get(reason, 0) + w
    rep = wrep / total if total > 0 else 0.0
    ratio = wapp / total if total > 0 else 0.0
    approve = ratio > 0.5
    if approve:
        reason = 'pass'
    elif weights:
        reason = max(weights, key=weights.get)   # the first of equal weights
    else:
        reason = 'unknown'
    return {'final_decision': 'approve' if approve else 'deny', 'final_rep_score': round(rep, 4),
            'primary_rejection_reason': reason, 'validator_count': len(kept),
            'consensus_weight': round(total, 2), 'approval_ratio': round(ratio, 4)}


def replay(doc):
    """None when everything agrees, else the first mismatch's description."""
    if not isinstance(doc, dict):
        raise InputError('(document): must be a JSON object')
    epoch = doc.get('epoch_id')
    if epoch is not None and (not isinstance(epoch, int) or isinstance(epoch, bool)):
        raise InputError('epoch_id: must be an integer')
    rows = doc.get('validations')
    if not isinstance(rows, list):
        raise InputError('validations: an array is required')
    pubs = doc.get('consensus_results') or []
    if not isinstance(pubs, list):
        raise InputError('consensus_results: must be an array')
    by_lead = {}
    first_bad = None
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InputError('validations[%d]: must be an object' % i)
        lid = row.get('lead_id')
        if not isinstance(lid, str):
            raise InputError('validations[%d].lead_id: a string is required' % i)
        rr = row.get('rejection_reason')
        if rr is not None and not isinstance(rr, str):
            raise InputError('validations[%d].rejection_reason: must be the stored text or null' % i)
        bad = first_bad_commitment(i, row)
        if bad and first_bad is None:
            first_bad = 'validations[%d] (lead %s): %s does not open to the revealed value' % (i, lid, bad)
        by_lead.setdefault(lid, []).append(row)
    published = {}
    for j, p in enumerate(pubs):
        lid = p.get('lead_id') if isinstance(p, dict) else None
        if not isinstance(lid, str):
            raise InputError('consensus_results[%d].lead_id: a string is required' % j)
        if lid in published:
            raise InputError('consensus_results[%d].lead_id: lead published twice' % j)
        published[lid] = p
        by_lead.setdefault(lid, [])
    # Every published result is type-checked before any difference is reported
    # (an input error outranks a mismatch, as in the tool).
    mismatch = None
    for lid, lead_rows in by_lead.items():
        try:
            ours = consensus(lead_rows)
        except (KeyError, TypeError, ValueError, OverflowError) as e:
            raise InputError('lead %s: consensus input rejected: %r' % (lid, e))
        p = published.get(lid)
        if p is None:
            continue
        for k in ('final_decision', 'final_rep_score', 'primary_rejection_reason', 'validator_count',
                  'consensus_weight', 'approval_ratio'):
            if k not in p:
                if k == 'approval_ratio':
                    continue                   # CONSENSUS_RESULT payloads carry none
                raise InputError('lead %s: published %s missing' % (lid, k))
            theirs = p[k]
            if k in ('final_decision', 'primary_rejection_reason'):
                typed = isinstance(theirs, str)
            elif k == 'validator_count':
                typed = isinstance(theirs, int) and not isinstance(theirs, bool)
            else:
                typed = is_number(theirs)
            if not typed:
                raise InputError('lead %s: published %s of the wrong type' % (lid, k))
            if theirs != ours[k] and mismatch is None:
                mismatch = 'lead %s: %s recomputed %r, published %r' % (lid, k, ours[k], theirs)
        pe = p.get('epoch_id')
        if pe is not None and (not isinstance(pe, int) or isinstance(pe, bool)):
            raise InputError('lead %s: published epoch_id must be an integer' % lid)
        if pe is not None and epoch is not None and pe != epoch and mismatch is None:
            mismatch = 'lead %s: epoch_id recomputed %r, published %r' % (lid, epoch, pe)
    return first_bad or mismatch


def main(argv):
    if len(argv) != 2:
        print('usage: replay_baseline.py FILE', file=sys.stderr)
        return 2
    try:
        with open(argv[1], 'rb') as f:
            doc = json.loads(f.read())
        why = replay(doc)
    except (OSError, ValueError, InputError, UnicodeError) as e:
        print('input: %s' % e, file=sys.stderr)
        return 2
    if why:
        print('MISMATCH: %s' % why)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
