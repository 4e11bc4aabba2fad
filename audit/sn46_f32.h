/* Subnet 46 replay: numpy-exact float32/float64 reductions and bittensor 9.9.0's weight
 * steps (subnet46-zipcode.md §10.1-§10.4).  The u16 emit step (§10.5) is the canonical
 * lpc_normalize_to_u16 (canonical/lpc_weights.h), not here.
 *
 * Pure: no I/O, no globals.  Arrays are caller-owned; outputs have room for n entries
 * unless stated.  Functions that need scratch space allocate and free it (-1 on
 * allocation failure). */
#ifndef LP_SN46_F32_H
#define LP_SN46_F32_H

#include <stddef.h>
#include <stdint.h>

/* np.sum of a contiguous float32 array: identity 0 plus numpy's pairwise sum of each
 * 8192-element block in turn, every addition rounded to float32 (§10.2). */
float lp_sn46_sum_f32(const float *x, size_t n);
/* The same in float64. */
double lp_sn46_sum_f64(const double *x, size_t n);

/* process_weights branches (§10.3). */
typedef enum { LP_SN46_BRANCH_ALL_ONES, LP_SN46_BRANCH_BELOW_MIN, LP_SN46_BRANCH_NORMAL } lp_sn46_branch;

/* process_weights of (uids[i], w[i]) i < n (w already float32 values), for a subnet of
 * chain_n uids.  out_uids/out_w need room for max(n, chain_n).  Returns 0; -1 on
 * allocation failure; -2 when the below_min_allowed branch meets a position >= chain_n
 * (bittensor raises); -3 when max_weight_limit < 1 needs the capping path of
 * normalize_max_weight, which is not reproduced here (the caller refuses the input). */
int lp_sn46_process_weights(const int64_t *uids, const float *w, size_t n, int64_t chain_n,
                            int64_t min_allowed, double limit, lp_sn46_branch *branch,
                            int64_t *out_uids, double *out_w, size_t *out_n);

#endif
