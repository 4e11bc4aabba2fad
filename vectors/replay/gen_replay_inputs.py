#!/usr/bin/env python3
"""Rearranges vectors/leadpoet/{consensus,commit_reveal,weights,
receipts_and_weight_bundle_v2}.json into input files for replay_consensus and
verify_weights, plus a manifest of expected outcomes (cases.tsv).

Every expected value is copied from those vectors.  The only things computed
here are (a) json.dumps(reason) for the qualification rows whose reason is a
dict (Python's own serializer: the stored text, spec §8), and (b) for the
weights cases, whether a bundle satisfies the spec §10.2 invariants and
whether two pair lists are within +-1 (spec §10.4), restated independently in
a few lines below.  Nothing here runs our C code.

Run from the repository root:  python3 vectors/replay/gen_replay_inputs.py
"""
import copy, json, os

V = 'vectors/leadpoet'
OUT = 'vectors/replay'
US = '\x1f'   # separates CLI arguments inside one manifest field
rows_tsv = []

def load(n):
    with open(os.path.join(V, n), encoding='utf-8') as f:
        return json.load(f)

def write(rel, obj):
    p = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'w', encoding='utf-8') as f:
        json.dump(obj, f, indent=1)
        f.write('\n')
    return p

def case(name, tool, args, exit_code, result, *expect):
    rows_tsv.append('\t'.join([name, tool, US.join(args), str(exit_code), result] + list(expect)))

def jstr(v):   # the compact JSON text our --json report uses for a value
    return json.dumps(v, separators=(',', ':'), ensure_ascii=True)

# ---------------------------------------------------------------- consensus
cons = load('consensus.json')['cases']
RULES = {'current': 'current_evidence_data_path',
         '2025-12-15': 'v1_2025-12-15_weighted_db_8db521b0',
         '2025-11-13': 'v1_2025-11-13_counter_mode_cc40ec19'}

def lead_rows(c, lead):
    out = []
    for r in c['evidence_rows_in_order']:
        r2 = {'lead_id': lead}
        r2.update(r)
        out.append(r2)
    return out

def published(c, key, lead):
    p = copy.deepcopy(c[key])
    p['lead_id'] = lead
    return p

for rules, key in RULES.items():
    vals, pubs = [], []
    for c in cons:
        lead = 'lead-' + c['name']
        vals += lead_rows(c, lead)
        pubs.append(published(c, key, lead))
    p = write('consensus_%s.json' % rules, {'epoch_id': 100, 'validations': vals, 'consensus_results': pubs})
    case('consensus_%s' % rules, 'replay_consensus', ['--json', '--rules', rules, p], 0, 'OK',
         '"name":"consensus","ok":true', '"name":"row_order","ok":true')
    # Epoch-sized: 8 copies of every case, rows interleaved round-robin across
    # leads (each lead's own rows keep their order), published results reversed.
    groups = []
    pubs = []
    for k in range(8):
        for c in cons:
            lead = 'lead-%d-%s' % (k, c['name'])
            groups.append(lead_rows(c, lead))
            pubs.append(published(c, key, lead))
    vals = []
    i = 0
    while any(groups):
        for g in groups:
            if len(g) > i:
                vals.append(g[i])
        i += 1
        if all(len(g) <= i for g in groups):
            break
    p = write('consensus_epoch_%s.json' % rules,
              {'epoch_id': 100, 'validations': vals, 'consensus_results': pubs[::-1]})
    case('consensus_epoch_%s' % rules, 'replay_consensus', ['--json', '--rules', rules, p], 0, 'OK')

# Rule sets differ: the count-vs-weight case published under one rule set fails under another.
cvw = [c for c in cons if c['name'] == 'count_vs_weight_differ'][0]
if cvw[RULES['current']]['primary_rejection_reason'] != cvw[RULES['2025-11-13']]['primary_rejection_reason']:
    p = write('consensus_fail_wrong_era.json',
              {'epoch_id': 100, 'validations': lead_rows(cvw, 'lead-cvw'),
               'consensus_results': [published(cvw, RULES['2025-11-13'], 'lead-cvw')]})
    case('wrong_era_current', 'replay_consensus', ['--json', '--rules', 'current', p], 1, 'CONSENSUS_MISMATCH',
         '"mismatched_fields":["primary_rejection_reason"]')
    case('wrong_era_2025-11-13', 'replay_consensus', ['--json', '--rules', '2025-11-13', p], 0, 'OK')

# Ties: the tie case as published is consistent with file order but flagged.
tie = [c for c in cons if c['name'] == 'reason_tie_first_seen_wins'][0]
tie_r = [c for c in cons if c['name'] == 'reason_tie_first_seen_wins_reversed'][0]
p = write('tie_order_dependent.json', {'epoch_id': 100, 'validations': lead_rows(tie, 'lead-tie'),
          'consensus_results': [published(tie, RULES['current'], 'lead-tie')]})
case('tie_consistent', 'replay_consensus', ['--json', p], 0, 'OK', '"order_dependent":true', '"order_flags":["reason"]')
# The same rows in the other order, against the result published for the first order:
# the data cannot tell which order production used -> ORDER_DEPENDENT, exit 2.
p = write('tie_reversed_order_dependent.json', {'epoch_id': 100, 'validations': lead_rows(tie_r, 'lead-tie'),
          'consensus_results': [published(tie, RULES['current'], 'lead-tie')]})
case('tie_reversed', 'replay_consensus', ['--json', p], 2, 'ORDER_DEPENDENT', '"order_dependent":true',
     '"mismatched_fields":["primary_rejection_reason"]')

# Wrong published fields (certain mismatches, exit 1).
wmd = [c for c in cons if c['name'] == 'weighted_majority_deny'][0]
allap = [c for c in cons if c['name'] == 'all_approve'][0]
def fail_pub(fname, c, field, value, mism):
    pub = published(c, RULES['current'], 'lead-x')
    pub[field] = value
    p = write(fname, {'epoch_id': 100, 'validations': lead_rows(c, 'lead-x'), 'consensus_results': [pub]})
    case(fname[:-5], 'replay_consensus', ['--json', p], 1, 'CONSENSUS_MISMATCH', '"mismatched_fields":["%s"]' % mism)
    case(fname[:-5] + '_human', 'replay_consensus', [p], 1, 'CONSENSUS_MISMATCH')
fail_pub('consensus_fail_rep_score.json', wmd, 'final_rep_score', wmd[RULES['current']]['final_rep_score'] + 0.0001, 'final_rep_score')
fail_pub('consensus_fail_decision.json', allap, 'final_decision', 'deny', 'final_decision')
fail_pub('consensus_fail_count.json', wmd, 'validator_count', wmd[RULES['current']]['validator_count'] + 1, 'validator_count')
fail_pub('consensus_fail_weight.json', wmd, 'consensus_weight', wmd[RULES['current']]['consensus_weight'] + 0.01, 'consensus_weight')
fail_pub('consensus_fail_ratio.json', wmd, 'approval_ratio', 0.2084, 'approval_ratio')
fail_pub('consensus_fail_reason.json', wmd, 'primary_rejection_reason', 'unknown', 'primary_rejection_reason')
# A published result for an epoch other than the file's.
pub = published(wmd, RULES['current'], 'lead-x'); pub['epoch_id'] = 101
p = write('consensus_fail_epoch.json', {'epoch_id': 100, 'validations': lead_rows(wmd, 'lead-x'), 'consensus_results': [pub]})
case('consensus_fail_epoch', 'replay_consensus', ['--json', p], 1, 'CONSENSUS_MISMATCH', '"mismatched_fields":["epoch_id"]')
# A lead published but with no rows replays as no_validations.
nov = [c for c in cons if c['name'] == 'no_validations'][0]
p = write('published_only.json', {'epoch_id': 100, 'validations': [],
          'consensus_results': [published(nov, RULES['current'], 'lead-only')]})
case('published_only', 'replay_consensus', ['--json', p], 0, 'OK', '"primary_rejection_reason":"no_validations"')

# ------------------------------------------------------------- commitments
cr = load('commit_reveal.json')
rows = []
for c in cr['cases']:
    rows.append({'lead_id': 'lead-' + c['name'], 'validator_hotkey': 'v-' + c['name'],
                 'decision': c['decision'], 'rep_score': c['rep_score'],
                 'rejection_reason': c['rejection_reason_json'], 'v_trust': 1.0, 'stake': 1.0,
                 'salt': c['salt_hex'], 'decision_hash': c['decision_hash'],
                 'rep_score_hash': c['rep_score_hash'], 'rejection_reason_hash': c['rejection_reason_hash'],
                 'evidence': c['evidence_object'], 'evidence_hash': c['evidence_hash']})
salt = cr['cases'][0]['salt_hex']   # the legacy entries use the same salt (see README)
for c in cr['legacy']:
    r = {'lead_id': 'lead-' + c['name'], 'validator_hotkey': 'v-legacy', 'decision': 'deny',
         'rep_score': 0, 'rejection_reason': None, 'v_trust': 1.0, 'stake': 1.0, 'salt': salt}
    if 'rep_score_value' in c:
        r['rep_score'] = c['rep_score_value']          # a float: str() gives "42.0" / "0.87"
        r['rep_score_hash'] = c['rep_score_hash']
    else:
        r['rejection_reason'] = c['rejection_reason']  # raw string, single /reveal era
        r['rejection_reason_hash'] = c['rejection_reason_hash']
    rows.append(r)
for q in cr['qualification_batch_v2_rows']:
    rows.append({'lead_id': 'q-' + q['lead_id'], 'validator_hotkey': 'v-qual', 'decision': q['decision'],
                 'rep_score': q['rep_score'], 'rejection_reason': json.dumps(q['rejection_reason']),
                 'v_trust': 1.0, 'stake': 1.0, 'salt': q['salt'], 'decision_hash': q['decision_hash'],
                 'rep_score_hash': q['rep_score_hash'], 'rejection_reason_hash': q['rejection_reason_hash'],
                 'evidence': q['evidence_blob'], 'evidence_hash': q['evidence_hash']})
p = write('commitments.json', {'epoch_id': 100, 'validations': rows})
case('commitments', 'replay_consensus', ['--json', p], 0, 'OK', '"rep_score_hash":true', '"name":"commitments","ok":true')
case('commitments_human', 'replay_consensus', [p], 0, 'OK')

def flip(h):
    return h[:-1] + ('0' if h[-1] != '0' else '1')
def commit_fail(fname, mutate, which):
    rr = copy.deepcopy(rows[:2])
    mutate(rr[1])
    p = write(fname, {'epoch_id': 100, 'validations': rr})
    case(fname[:-5], 'replay_consensus', ['--json', p], 1, 'COMMITMENT_MISMATCH', '"%s":false' % which)
commit_fail('commit_fail_decision_hash.json', lambda r: r.update(decision_hash=flip(r['decision_hash'])), 'decision_hash')
commit_fail('commit_fail_rep_score.json', lambda r: r.update(rep_score=1), 'rep_score_hash')
commit_fail('commit_fail_evidence.json', lambda r: r['evidence'].update(is_legitimate=True), 'evidence_hash')
commit_fail('commit_fail_salt.json', lambda r: r.update(salt=flip(r['salt'])), 'decision_hash')
# Key order matters: case B's reason text against case A's hash.
A = [c for c in cr['cases'] if c['name'] == 'deny_key_order_matters_A'][0]
B = [c for c in cr['cases'] if c['name'] == 'deny_key_order_matters_B'][0]
commit_fail('commit_fail_reason_key_order.json',
            lambda r: r.update(rejection_reason=B['rejection_reason_json'], rejection_reason_hash=A['rejection_reason_hash']),
            'rejection_reason_hash')

# --------------------------------------------------------- malformed (exit 2)
good = copy.deepcopy(rows[1])
def bad(fname, doc, code, field):
    p = os.path.join(OUT, 'malformed', fname)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'w', encoding='utf-8') as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc))
    case('malformed_' + fname[:-5], 'replay_consensus', ['--json', p], 2, code, field)
def with_row(**kw):
    r = copy.deepcopy(good)
    for k, v in kw.items():
        if v is KeyError:
            r.pop(k)
        else:
            r[k] = v
    return {'epoch_id': 100, 'validations': [r]}
bad('missing_lead_id.json', with_row(lead_id=KeyError), 'MISSING_FIELD', 'validations[0].lead_id')
bad('salt_not_hex.json', with_row(salt='zz' * 32), 'BAD_VALUE', 'validations[0].salt')
bad('salt_missing.json', with_row(salt=KeyError), 'MISSING_FIELD', 'validations[0].salt')
bad('hash_uppercase.json', with_row(decision_hash=good['decision_hash'].upper()), 'BAD_VALUE', 'validations[0].decision_hash')
bad('v_trust_not_float.json', with_row(v_trust='abc'), 'BAD_VALUE', 'validations[0].v_trust')
bad('stake_missing.json', with_row(stake=KeyError), 'MISSING_FIELD', 'validations[0].stake')
bad('stake_wrong_type.json', with_row(stake=[1]), 'BAD_TYPE', 'validations[0].stake')
bad('decision_wrong_type.json', with_row(decision=1), 'BAD_TYPE', 'validations[0].decision')
bad('reason_object.json', with_row(rejection_reason={'message': 'x'}), 'BAD_TYPE', 'validations[0].rejection_reason')
bad('validations_not_array.json', {'validations': {}}, 'BAD_TYPE', 'validations')
bad('validations_missing.json', {'epoch_id': 100}, 'MISSING_FIELD', 'validations')
bad('epoch_not_int.json', {'epoch_id': '100', 'validations': []}, 'BAD_TYPE', 'epoch_id')
bad('not_object.json', [], 'BAD_TYPE', 'document')
bad('syntax.json', '{"validations": [', 'JSON_SYNTAX', 'byte')
pub = published(wmd, RULES['current'], 'lead-x'); pub.pop('final_rep_score')
bad('published_missing_field.json', {'validations': lead_rows(wmd, 'lead-x'), 'consensus_results': [pub]},
    'MISSING_FIELD', 'consensus_results[0].final_rep_score')
# A CONSENSUS_RESULT payload (spec §9) has no approval_ratio: compared without it.
pub = published(wmd, RULES['current'], 'lead-x'); pub.pop('approval_ratio'); pub['is_icp_multiplier'] = 1.0
p = write('published_without_ratio.json', {'epoch_id': 100, 'validations': lead_rows(wmd, 'lead-x'), 'consensus_results': [pub]})
case('published_without_ratio', 'replay_consensus', ['--json', p], 0, 'OK', '"match":true')
pub = published(wmd, RULES['current'], 'lead-x')
bad('published_duplicate.json', {'validations': [], 'consensus_results': [pub, pub]}, 'DUPLICATE', 'consensus_results[1].lead_id')
pub = published(wmd, RULES['current'], 'lead-x'); pub['validator_count'] = 3.0
bad('published_count_float.json', {'validations': [], 'consensus_results': [pub]}, 'BAD_TYPE', 'consensus_results[0].validator_count')

# ------------------------------------------------------------------ weights
W = load('weights.json')
def inv_ok(uids, ws):   # spec §10.2, restated
    if len(uids) != len(ws) or not uids:
        return False
    if any(uids[i] >= uids[i + 1] for i in range(len(uids) - 1)):
        return False
    return all(1 <= w <= 65535 for w in ws)
def within(e, a, tol=1):   # spec §10.4, restated
    de, da = dict(e), dict(a)
    return all(abs(de.get(u, 0) - da.get(u, 0)) <= tol for u in set(de) | set(da))

def bundle_doc(netuid, epoch, block, pairs, h=None):
    d = {'netuid': netuid, 'epoch_id': epoch, 'block': block,
         'uids': [u for u, _ in pairs], 'weights_u16': [w for _, w in pairs]}
    if h is not None:
        d['weights_hash'] = h
    return d

for c in W['bundle_weights_hash']:
    pr = c['weights_input']
    p = write('weights/bundle_%s.json' % c['name'], bundle_doc(c['netuid'], c['epoch_id'], c['block'], pr, c['bundle_weights_hash']))
    ok = inv_ok([u for u, _ in pr], [w for _, w in pr])
    exp = ['"bundle_weights_hash":"%s"' % c['bundle_weights_hash'], '"compare_weights_hash":"%s"' % c['compare_weights_hash'],
           '"weights_hash_match":true']
    case('bundle_' + c['name'], 'verify_weights', ['--json', p], 0 if ok else 1, 'OK' if ok else 'WEIGHTS_INVARIANT', *exp)
    case('bundle_expect_' + c['name'], 'verify_weights', ['--json', '--expect-hash', c['bundle_weights_hash'], p],
         0 if ok else 1, 'OK' if ok else 'WEIGHTS_INVARIANT', '"expect_hash_match":true')

for i, c in enumerate(W['normalize_to_u16']):
    name = '%02d_%s' % (i, c['name'])
    text = '{"netuid": 71, "epoch_id": 100, "block": 36000, "weights": [%s]}\n' % ', '.join(
        '[%d, %s]' % (u, r) for u, r in zip(c['uids'], c['weights_repr']))   # repr text kept exactly
    p = os.path.join(OUT, 'weights', 'raw_%s.json' % name)
    with open(p, 'w') as f:
        f.write(text)
    pp = c['pure_path']
    if 'error' in pp:
        case('raw_' + name, 'verify_weights', ['--json', p], 2, 'BAD_VALUE', 'weights')
        continue
    pairs = sorted(zip(pp['uids'], pp['weights_u16']))
    ok = inv_ok([u for u, _ in pairs], [w for _, w in pairs])
    case('raw_' + name, 'verify_weights', ['--json', p], 0 if ok else 1, 'OK' if ok else 'WEIGHTS_INVARIANT',
         '"uids":%s' % jstr([u for u, _ in pairs]), '"weights_u16":%s' % jstr([w for _, w in pairs]))

for c in W['validate_weights_invariants']:
    p = write('weights/inv_%s.json' % c['name'], {'netuid': 71, 'epoch_id': 100, 'block': 36000,
                                                  'uids': c['uids'], 'weights_u16': c['weights_u16']})
    if c['valid']:
        case('inv_' + c['name'], 'verify_weights', ['--json', p], 0, 'OK', '"invariants":{"error":null,"ok":true}')
    else:
        case('inv_' + c['name'], 'verify_weights', ['--json', p], 1, 'WEIGHTS_INVARIANT', '"error":%s' % jstr(c['error']))

for c in W['weights_within_tolerance']:
    if c['tolerance'] != 1:
        continue   # the CLI uses AUDITOR_WEIGHT_TOLERANCE = 1
    p = write('weights/tol_%s.json' % c['name'], bundle_doc(71, 100, 36000, c['expected']))
    a = write('weights/tol_%s.against.json' % c['name'], c['actual'])
    ok = inv_ok([u for u, _ in c['expected']], [w for _, w in c['expected']])
    st = 'VERIFIED' if c['within_tolerance'] else 'AUDITOR_MISMATCH'
    res = 'WEIGHTS_INVARIANT' if not ok else ('OK' if c['within_tolerance'] else 'AUDITOR_MISMATCH')
    case('tol_' + c['name'], 'verify_weights', ['--json', '--against', a, p], 0 if res == 'OK' else 1, res,
         '"status":"%s"' % st, '"within_tolerance":%s' % jstr(c['within_tolerance']))

for c in W['normalize_chain_weights']:
    nz = c['nonzero']
    p = write('weights/chain_%s.json' % c['name'], bundle_doc(71, 100, 36000, nz))
    a = write('weights/chain_%s.against.json' % c['name'], c['raw_pairs'])
    ok = inv_ok([u for u, _ in nz], [w for _, w in nz])
    st = 'VERIFIED' if within(nz, c['normalized']) else 'AUDITOR_MISMATCH'
    case('chain_' + c['name'], 'verify_weights', ['--json', '--against', a, p], 0 if ok else 1,
         'OK' if ok else 'WEIGHTS_INVARIANT', '"normalized":%s' % jstr(c['normalized']), '"status":"%s"' % st)

# Drift around the docstring bundle: exact, +-1 (verified), +2 (mismatch).
d0 = [c for c in W['bundle_weights_hash'] if c['name'] == 'docstring_example'][0]
base = d0['weights_input']
bp = write('weights/drift_bundle.json', bundle_doc(d0['netuid'], d0['epoch_id'], d0['block'], base, d0['bundle_weights_hash']))
a = write('weights/drift_exact.against.json', base)
case('drift_exact', 'verify_weights', ['--json', '--against', a, bp], 0, 'OK', '"exact_match":true', '"status":"VERIFIED"')
a = write('weights/drift_pm1.against.json', [[base[0][0], base[0][1] + 1], [base[1][0], base[1][1] - 1], base[2]])
case('drift_pm1', 'verify_weights', ['--json', '--against', a, bp], 0, 'OK', '"exact_match":false', '"max_diff":1',
     '"status":"VERIFIED"', '"differing_uids":[%d,%d]' % (base[0][0], base[1][0]))
a = write('weights/drift_fail_plus2.against.json', [base[0], [base[1][0], base[1][1] + 2], base[2]])
case('drift_fail_plus2', 'verify_weights', ['--json', '--against', a, bp], 1, 'AUDITOR_MISMATCH', '"max_diff":2',
     '"status":"AUDITOR_MISMATCH"', '"differing_uids":[%d]' % base[1][0])
a = write('weights/drift_fail_minus2.against.json', [base[0], base[1], [base[2][0], base[2][1] - 2]])
case('drift_fail_minus2_human', 'verify_weights', ['--against', a, bp], 1, 'AUDITOR_MISMATCH')
a = write('weights/drift_fail_dropped_uid.against.json', base[:2])
case('drift_fail_dropped_uid', 'verify_weights', ['--json', '--against', a, bp], 1, 'AUDITOR_MISMATCH',
     '"differing_uids":[%d]' % base[2][0])
# Tampered hash / wrong weight under the original hash / wrong --expect-hash.
p = write('weights/fail_hash_tampered.json', bundle_doc(d0['netuid'], d0['epoch_id'], d0['block'], base, flip(d0['bundle_weights_hash'])))
case('fail_hash_tampered', 'verify_weights', ['--json', p], 1, 'WEIGHTS_HASH_MISMATCH', '"weights_hash_match":false')
wrong = [base[0], [base[1][0], base[1][1] + 1], base[2]]
p = write('weights/fail_wrong_weight.json', bundle_doc(d0['netuid'], d0['epoch_id'], d0['block'], wrong, d0['bundle_weights_hash']))
case('fail_wrong_weight', 'verify_weights', ['--json', p], 1, 'WEIGHTS_HASH_MISMATCH', '"weights_hash_match":false')
case('fail_expect_hash', 'verify_weights', ['--json', '--expect-hash', d0['compare_weights_hash'], bp], 1,
     'WEIGHTS_HASH_MISMATCH', '"expect_hash_match":false')
p = write('weights/fail_wrong_block.json', bundle_doc(d0['netuid'], d0['epoch_id'], d0['block'] + 1, base, d0['bundle_weights_hash']))
case('fail_wrong_block', 'verify_weights', ['--json', p], 1, 'WEIGHTS_HASH_MISMATCH',
     '"compare_weights_hash":"%s"' % d0['compare_weights_hash'])

# v2 weight computation result: the sparse bundle, and the raw float weights.
R = load('receipts_and_weight_bundle_v2.json')
wr = R['weight_bundle_v2']['bundle']['weight_result']
p = write('weights/v2_sparse_bundle.json', {'netuid': wr['netuid'], 'epoch_id': wr['epoch_id'], 'block': wr['block'],
          'uids': wr['sparse_uids'], 'weights_u16': wr['sparse_weights_u16'], 'weights_hash': wr['weights_hash']})
case('v2_sparse_bundle', 'verify_weights', ['--json', p], 0, 'OK', '"weights_hash_match":true')
raw = [[u, w] for u, w in zip(wr['uids'], wr['weights']) if w != 0]
p = write('weights/v2_raw_weights.json', {'netuid': wr['netuid'], 'epoch_id': wr['epoch_id'], 'block': wr['block'],
          'weights': raw, 'weights_hash': wr['weights_hash']})
case('v2_raw_weights', 'verify_weights', ['--json', p], 0, 'OK', '"weights_hash_match":true',
     '"uids":%s' % jstr(wr['sparse_uids']), '"weights_u16":%s' % jstr(wr['sparse_weights_u16']))

# Binding messages (netuid 71 comes from the bundle file).
for m in R['binding_messages']:
    if m['parse_ok']:
        parts = m['parts']
        case('binding_parse_' + m['name'], 'verify_weights', ['--json', '--binding', m['message'], bp], 0, 'OK',
             '"parse_ok":true')
        args = ['--json', '--chain', parts['chain'], '--enclave-pubkey', parts['enclave_pubkey'],
                '--code-hash', parts['validator_code_hash']]
        if 'version' in parts:
            args += ['--binding-version', parts['version']]
        if m['message'].startswith('LEADPOET_VALIDATOR_BINDING|netuid=71|chain=') and 'version' in parts:
            case('binding_create_' + m['name'], 'verify_weights', args + [bp], 0, 'OK',
                 '"message":%s' % jstr(m['message']))
        case('binding_fields_' + m['name'], 'verify_weights', args + ['--binding', m['message'], bp], 0, 'OK',
             '"fields_match":true')
        case('binding_fields_fail_' + m['name'], 'verify_weights',
             ['--json', '--chain', parts['chain'] + 'x', '--enclave-pubkey', parts['enclave_pubkey'],
              '--code-hash', parts['validator_code_hash'], '--binding', m['message'], bp], 1, 'BINDING_MISMATCH',
             '"fields_match":false')
    else:
        case('binding_reject_' + m['name'], 'verify_weights', ['--json', '--binding', m['message'], bp], 1,
             'BINDING_REJECTED', '"parse_ok":false')

# Malformed weights inputs (exit 2, the message names the field).
def wbad(fname, doc, code, field, extra=()):
    p = os.path.join(OUT, 'weights', 'malformed', fname)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'w') as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc))
    case('wmalformed_' + fname[:-5], 'verify_weights', ['--json'] + list(extra) + [p], 2, code, field)
hdr = {'netuid': 71, 'epoch_id': 100, 'block': 36000}
wbad('missing_netuid.json', {'epoch_id': 100, 'block': 1, 'weights': [[0, 1.0]]}, 'MISSING_FIELD', 'netuid')
wbad('negative_weight.json', dict(hdr, weights=[[0, 0.5], [1, -0.1]]), 'BAD_VALUE', 'weights[1]')
wbad('nan_weight.json', '{"netuid": 71, "epoch_id": 100, "block": 36000, "weights": [[0, NaN]]}', 'BAD_VALUE', 'weights[0]')
wbad('duplicated_uid.json', dict(hdr, weights=[[3, 0.5], [3, 0.2]]), 'DUPLICATE', 'weights')
wbad('uid_float.json', dict(hdr, weights=[[1.0, 0.5]]), 'BAD_TYPE', 'weights[0]')
wbad('weight_string.json', dict(hdr, weights=[[1, '0.5']]), 'BAD_TYPE', 'weights[0]')
wbad('u16_not_int.json', dict(hdr, uids=[0], weights_u16=[1.5]), 'BAD_TYPE', 'weights_u16[0]')
wbad('uids_without_weights.json', dict(hdr, uids=[0]), 'MISSING_FIELD', 'weights_u16')
wbad('both_forms.json', dict(hdr, uids=[0], weights_u16=[1], weights=[[0, 1.0]]), 'BAD_VALUE', 'weights')
wbad('hash_not_hex.json', dict(hdr, uids=[0], weights_u16=[1], weights_hash='xyz'), 'BAD_VALUE', 'weights_hash')
wbad('syntax.json', '{"netuid": 71,', 'JSON_SYNTAX', 'byte')
a = os.path.join(OUT, 'weights', 'malformed', 'against_dup_uid.json')
with open(a, 'w') as f:
    f.write('[[1, 1000], [1, 999]]')
case('wmalformed_against_dup_uid', 'verify_weights', ['--json', '--against', a, bp], 2, 'DUPLICATE', 'against')
a = os.path.join(OUT, 'weights', 'malformed', 'against_negative.json')
with open(a, 'w') as f:
    f.write('[[1, -5]]')
case('wmalformed_against_negative', 'verify_weights', ['--json', '--against', a, bp], 2, 'BAD_VALUE', 'against[0]')

with open(os.path.join(OUT, 'cases.tsv'), 'w', encoding='utf-8') as f:
    f.write('# name\ttool\targs (0x1f-separated)\texit\tresult\texpected substrings of stdout (--json) or stderr...\n')
    for r in rows_tsv:
        f.write(r + '\n')
print('%d cases' % len(rows_tsv))
