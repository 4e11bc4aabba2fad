/* SubnetEpochCutover and epoch_ref (Leadpoet/utils/subnet_epoch.py at 5fe22c16). */
#include "canonical/lpc_subnet_epoch.h"

#include <stdio.h>
#include <string.h>

#include "canonical/lpc_attested_v2_internal.h"
#include "canonical/lpc_buf.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"

#define SE_TYPE "SubnetEpochError"

static lp_code se_fail(lpc_referr *e, const char *fmt, const char *arg)
{
    return lpc_referr_set(e, LP_CODE_SUBNET_EPOCH_ERROR, SE_TYPE, fmt, arg);
}

static lp_code se_nomem(lpc_referr *e) { return lpc_referr_set(e, LP_CODE_OUT_OF_MEMORY, "MemoryError", "out of memory"); }

/* The dataclass fields: required ones first, in declaration order. */
static const char *const k_required[] = {"network_genesis_hash",     "netuid",
                                         "cutover_block",            "cutover_block_hash",
                                         "first_subnet_epoch_index", "first_settlement_epoch_id",
                                         "last_legacy_epoch_id"};
#define N_REQUIRED (sizeof k_required / sizeof k_required[0])
static const char *const k_optional[] = {"schema_version", "epoch_scheme", "mapping_hash"};
#define N_OPTIONAL (sizeof k_optional / sizeof k_optional[0])

static int is_field(const char *k, size_t n)
{
    for (size_t i = 0; i < N_REQUIRED; i++)
        if (strlen(k_required[i]) == n && memcmp(k_required[i], k, n) == 0) return 1;
    for (size_t i = 0; i < N_OPTIONAL; i++)
        if (strlen(k_optional[i]) == n && memcmp(k_optional[i], k, n) == 0) return 1;
    return 0;
}

/* cls(**dict(value)): Python's TypeError for the first unexpected keyword, else for the
 * missing required arguments ("'a'", "'a' and 'b'", "'a', 'b', and 'c'"). */
static lp_code dataclass_call(const lpc_value *m, lpc_referr *e)
{
    for (size_t i = 0; i < m->u.o.n; i++) {
        const lpc_member *mb = &m->u.o.items[i];
        if (!is_field(mb->key, mb->klen)) {
            if (memchr(mb->key, 0, mb->klen) || mb->klen > 200)
                return lpc_referr_set(e, LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
                                      "SubnetEpochCutover.__init__() got an unexpected keyword argument");
            return lpc_referr_set(e, LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
                                  "SubnetEpochCutover.__init__() got an unexpected keyword argument '%.*s'",
                                  (int)mb->klen, mb->key);
        }
    }
    const char *missing[N_REQUIRED];
    size_t nm = 0;
    for (size_t i = 0; i < N_REQUIRED; i++)
        if (!lpc_get(m, k_required[i])) missing[nm++] = k_required[i];
    if (!nm) return LP_CODE_OK;
    char list[256];
    size_t off = 0;
    for (size_t i = 0; i < nm; i++) {
        const char *sep = i == 0 ? "" : (nm == 2 ? " and " : (i + 1 == nm ? ", and " : ", "));
        int w = snprintf(list + off, sizeof list - off, "%s'%s'", sep, missing[i]);
        if (w < 0 || (size_t)w >= sizeof list - off) break;
        off += (size_t)w;
    }
    return lpc_referr_set(e, LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
                          "SubnetEpochCutover.__init__() missing %zu required positional argument%s: %s", nm,
                          nm == 1 ? "" : "s", list);
}

/* _hash(value, field): str(v or "").strip().lower(), an optional 0x, 64 lowercase hex. */
static lp_code se_hash(const lpc_value *v, const char *field, char out[LPC_SE_CHAIN_HASH_SIZE], lpc_referr *e)
{
    av2_text t;
    av2_text_of(v, AV2_STRIP | AV2_LOWER, &t);
    const char *p = t.b;
    size_t n = t.n;
    if (n >= 2 && p[0] == '0' && p[1] == 'x') { p += 2; n -= 2; }
    if (n != 64 || !lpc_is_lower_hex(p, n))
        return lpc_referr_set(e, LP_CODE_SUBNET_EPOCH_ERROR, SE_TYPE, "%s must be a 32-byte lowercase hex hash",
                              field);
    out[0] = '0';
    out[1] = 'x';
    memcpy(out + 2, p, 64);
    out[66] = 0;
    return LP_CODE_OK;
}

/* _integer(value, field) with minimum 0. */
static lp_code se_integer(const lpc_value *v, const char *field, int64_t *out, lpc_referr *e)
{
    if (v && v->type == LPC_BOOL) return se_fail(e, "%s must be an integer", field);
    switch (lpc_py_int(v, out)) {
    case LPC_PY_OK: break;
    case LPC_PY_TYPE_ERROR:
    case LPC_PY_VALUE_ERROR: return se_fail(e, "%s must be an integer", field);
    default:
        return lpc_referr_set(e, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput",
                              "%s: int() of this value is not reproduced", field);
    }
    if (*out < 0) return se_fail(e, "%s must be >= 0", field);
    return LP_CODE_OK;
}

static lp_code sha256_csa(const lpc_value *v, char out[LPC_SE_REF_SIZE], char *pre, size_t cap, lpc_referr *e)
{
    lpc_buf b = {0};
    lpc_err r = lpc_dump(v, LPC_PROFILE_CS_A, &b);
    char hex[LPC_SHA256_HEX_LEN + 1];
    if (r == LPC_OK) r = lpc_sha256_hex(b.ptr, b.len, hex);
    if (r != LPC_OK) {
        lpc_buf_free(&b);
        return lpc_referr_set(e, lpc_code(r), "Error", "%s", lpc_strerror(r));
    }
    snprintf(out, LPC_SE_REF_SIZE, "sha256:%s", hex);
    if (pre && cap) {
        size_t n = b.len < cap - 1 ? b.len : cap - 1;
        memcpy(pre, b.ptr, n);
        pre[n] = 0;
    }
    lpc_buf_free(&b);
    return LP_CODE_OK;
}

static int put(lpc_value *o, const char *k, lpc_value *v) { return v && lpc_object_set(o, k, strlen(k), v) == LPC_OK; }

lp_code lpc_se_cutover_from_manifest(const lpc_value *m, lpc_se_cutover *c, lpc_referr *e)
{
    memset(c, 0, sizeof *c);
    if (!m || m->type != LPC_OBJECT) return se_fail(e, "%s", "subnet epoch cutover manifest must be an object");
    lp_code rc = dataclass_call(m, e);
    if (rc) return rc;
    if ((rc = se_hash(lpc_get(m, "network_genesis_hash"), "network_genesis_hash", c->network_genesis_hash, e)))
        return rc;
    if ((rc = se_hash(lpc_get(m, "cutover_block_hash"), "cutover_block_hash", c->cutover_block_hash, e))) return rc;
    struct { const char *k; int64_t *p; } ints[] = {{"netuid", &c->netuid},
                                                    {"cutover_block", &c->cutover_block},
                                                    {"first_subnet_epoch_index", &c->first_subnet_epoch_index},
                                                    {"first_settlement_epoch_id", &c->first_settlement_epoch_id},
                                                    {"last_legacy_epoch_id", &c->last_legacy_epoch_id}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if ((rc = se_integer(lpc_get(m, ints[i].k), ints[i].k, ints[i].p, e))) return rc;
    if (c->netuid <= 0) return se_fail(e, "%s", "netuid must be positive");
    /* absent: the dataclass default, which passes */
    const lpc_value *sv = lpc_get(m, "schema_version"), *es = lpc_get(m, "epoch_scheme");
    if (sv && !lpc_str_eq(sv, LPC_SE_CUTOVER_SCHEMA)) return se_fail(e, "%s", "unsupported epoch cutover schema");
    if (es && !lpc_str_eq(es, LPC_SE_EPOCH_SCHEME)) return se_fail(e, "%s", "unsupported epoch scheme");
    if (c->last_legacy_epoch_id == INT64_MAX || c->first_settlement_epoch_id != c->last_legacy_epoch_id + 1)
        return se_fail(e, "%s", "first settlement epoch must immediately follow the last legacy epoch");
    lpc_value *body = lpc_new_object();
    int ok = body && put(body, "schema_version", lpc_new_str(LPC_SE_CUTOVER_SCHEMA, strlen(LPC_SE_CUTOVER_SCHEMA))) &&
             put(body, "epoch_scheme", lpc_new_str(LPC_SE_EPOCH_SCHEME, strlen(LPC_SE_EPOCH_SCHEME))) &&
             put(body, "network_genesis_hash", lpc_new_str(c->network_genesis_hash, 66)) &&
             put(body, "netuid", lpc_new_int(c->netuid)) && put(body, "cutover_block", lpc_new_int(c->cutover_block)) &&
             put(body, "cutover_block_hash", lpc_new_str(c->cutover_block_hash, 66)) &&
             put(body, "first_subnet_epoch_index", lpc_new_int(c->first_subnet_epoch_index)) &&
             put(body, "first_settlement_epoch_id", lpc_new_int(c->first_settlement_epoch_id)) &&
             put(body, "last_legacy_epoch_id", lpc_new_int(c->last_legacy_epoch_id));
    if (!ok) {
        lpc_free(body);
        return se_nomem(e);
    }
    rc = sha256_csa(body, c->computed_mapping_hash, NULL, 0, e);
    lpc_free(body);
    if (rc) return rc;
    const lpc_value *mh = lpc_get(m, "mapping_hash");
    if (!mh || mh->type == LPC_NULL) {
        memcpy(c->mapping_hash, c->computed_mapping_hash, LPC_SE_REF_SIZE);
        return LP_CODE_OK;
    }
    /* str(mapping_hash).lower() != expected: only a text of 71 characters can be equal */
    av2_text t;
    if (mh->type == LPC_STR) av2_text_of_bytes(mh->u.s.ptr, mh->u.s.len, AV2_LOWER, &t);
    else av2_text_of(mh, AV2_LOWER, &t);
    if (t.n != 71 || memcmp(t.b, c->computed_mapping_hash, 71) != 0 || mh->type != LPC_STR || mh->u.s.len != 71)
        return se_fail(e, "%s", "epoch cutover mapping hash mismatch");
    memcpy(c->mapping_hash, mh->u.s.ptr, 71);
    c->mapping_hash[71] = 0;
    return LP_CODE_OK;
}

lp_code lpc_se_epoch_ref(const char *genesis, int64_t netuid, int64_t index, char out[LPC_SE_REF_SIZE], char *pre,
                         size_t cap, lpc_referr *e)
{
    lpc_value *o = lpc_new_object();
    int ok = o && put(o, "epoch_scheme", lpc_new_str(LPC_SE_EPOCH_SCHEME, strlen(LPC_SE_EPOCH_SCHEME))) &&
             put(o, "network_genesis_hash", lpc_new_str(genesis, strlen(genesis))) &&
             put(o, "netuid", lpc_new_int(netuid)) && put(o, "subnet_epoch_index", lpc_new_int(index));
    if (!ok) {
        lpc_free(o);
        return se_nomem(e);
    }
    lp_code rc = sha256_csa(o, out, pre, cap, e);
    lpc_free(o);
    return rc;
}

int lpc_se_settlement_epoch_id(const lpc_se_cutover *c, int64_t index, int64_t *out)
{
    if (index < c->first_subnet_epoch_index) return -1;
    int64_t d = index - c->first_subnet_epoch_index; /* >= 0, no overflow: both >= 0 */
    if (d > INT64_MAX - c->first_settlement_epoch_id) return -1;
    *out = c->first_settlement_epoch_id + d;
    return 0;
}
