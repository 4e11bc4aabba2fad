/* Subnet 46 replay: the state shared by its files (sn46_replay.c: input, organisation,
 * findings, weights; sn46_upstream.c: the resi-* scorers; sn46_plan.c: the plan profile).
 * Not installed; every pointer into the input borrows from the parsed document. */
#ifndef LP_SN46_INTERNAL_H
#define LP_SN46_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lp_check.h"
#include "canonical/lp_code.h"
#include "canonical/lpc_time.h"
#include "canonical/lpc_value.h"

#define SN46_MAX_FINDINGS 20

typedef enum { SN46_R1118, SN46_R1029, SN46_R1015, SN46_PLAN } sn46_profile;
typedef enum { SN46_BURN_NONE, SN46_BURN90, SN46_BURN100 } sn46_burn;

typedef struct {
    int64_t uid;
    const lpc_value *hotkey;
    double stake;
    int permit;
} sn46_neuron;

typedef struct {
    size_t index;
    const lpc_value *hk, *key, *file;
    int64_t lm_us;
    int64_t uid;          /* first uid of path_hotkey, -1 when none */
    double stake;
    int considered;       /* selected by the validator's listing rules (§5.2) */
    const char *findings[SN46_MAX_FINDINGS];
    size_t nf;
} sn46_sub;

typedef struct {
    const lpc_value *zip;
    sn46_sub **mem;
    size_t n;
    int expected_default;
} sn46_group;

typedef struct {
    lpc_value *doc;
    const lpc_value *root;
    const char *profile_name;
    sn46_profile profile;
    const lpc_value *a, *epoch_id, *nonce, *zipcodes, *history, *policy, *spot, *validator,
        *beacon, *claimed, *plan_params;
    int64_t start_us, end_us, deadline_us;
    int has_deadline;
    sn46_neuron *neurons;
    size_t nn;
    sn46_sub *subs;
    size_t ns;
    sn46_sub **sel;       /* the files scored, in walk order */
    size_t nsel;
    sn46_group *groups;
    sn46_sub **gmem;
    size_t ng;
    int64_t vuid, chain_n, min_allowed, max_limit_u16, burn_uid;
    double vpermit_limit;
    int py312;
    sn46_burn burn;
    lp_code code;         /* the early stop (first one kept) */
    char msg[320];
    int oom;
} sn46_ctx;

int sn46_fail(sn46_ctx *c, lp_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* float(v) / int(v) within [lo, hi] as Python evaluates them (sn46_upstream.c): *ok set,
 * 0; -1 on an early stop (SCORER_WOULD_RAISE, UNSUPPORTED_INPUT). */
int sn46_py_in_range(sn46_ctx *c, const lpc_value *v, double lo, double hi, int as_float, int *ok);
lpc_value *sn46_track(sn46_ctx *c, lpc_value *v);
void sn46_put(sn46_ctx *c, lpc_value *o, const char *k, lpc_value *v);
void sn46_push(sn46_ctx *c, lpc_value *a, lpc_value *v);
lpc_value *sn46_clone(sn46_ctx *c, const lpc_value *v);
lpc_value *sn46_str(sn46_ctx *c, const char *s);
int sn46_streq(const lpc_value *a, const lpc_value *b);
int sn46_strcmp(const lpc_value *a, const lpc_value *b);
/* Portable-subset timestamp (§6.8.4): 0 and *us (aware: UTC instant; naive: as if UTC),
 * -1 rejected by Python, -2 outside the subset. */
int sn46_ts_parse(const char *s, size_t n, int64_t *us, int *aware);
int sn46_pydantic_dt(const lpc_value *v);

int sn46_weights(sn46_ctx *c, const lpc_value *scores, lpc_value *rep, lp_checks *ck);
int sn46_upstream(sn46_ctx *c, lpc_value *rep, lp_checks *ck);
int sn46_plan(sn46_ctx *c, lpc_value *rep, lp_checks *ck);
/* lv-spotcheck-v1 (§8): the k smallest-key indices of 0..n-1, ascending, into out. */
int sn46_lv_sample(sn46_ctx *c, const lpc_value *hotkey, const char *scope, size_t scope_len,
                   size_t n, size_t k, size_t *out);

#endif
