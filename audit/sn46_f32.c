/* numpy float32/float64 sums and bittensor process_weights (sn46_f32.h). */
#include "audit/sn46_f32.h"

#include <stdlib.h>

#define NP_BLOCK 8192u
#define NP_PW_BLOCKSIZE 128u

/* numpy's pairwise_sum (umath loops), float32. */
static float pw_f32(const float *a, size_t n)
{
    if (n < 8) {
        float res = 0.0f;
        for (size_t i = 0; i < n; i++) res = res + a[i];
        return res;
    }
    if (n <= NP_PW_BLOCKSIZE) {
        float r[8];
        size_t i;
        for (i = 0; i < 8; i++) r[i] = a[i];
        for (i = 8; i < n - (n % 8); i += 8)
            for (size_t j = 0; j < 8; j++) r[j] = r[j] + a[i + j];
        float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) res = res + a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pw_f32(a, n2) + pw_f32(a + n2, n - n2);
}

static double pw_f64(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++) res = res + a[i];
        return res;
    }
    if (n <= NP_PW_BLOCKSIZE) {
        double r[8];
        size_t i;
        for (i = 0; i < 8; i++) r[i] = a[i];
        for (i = 8; i < n - (n % 8); i += 8)
            for (size_t j = 0; j < 8; j++) r[j] = r[j] + a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) res = res + a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pw_f64(a, n2) + pw_f64(a + n2, n - n2);
}

float lp_sn46_sum_f32(const float *x, size_t n)
{
    float acc = 0.0f;
    for (size_t off = 0; off < n; off += NP_BLOCK) {
        size_t m = n - off < NP_BLOCK ? n - off : NP_BLOCK;
        acc = acc + pw_f32(x + off, m);
    }
    return acc;
}

double lp_sn46_sum_f64(const double *x, size_t n)
{
    double acc = 0.0;
    for (size_t off = 0; off < n; off += NP_BLOCK) {
        size_t m = n - off < NP_BLOCK ? n - off : NP_BLOCK;
        acc = acc + pw_f64(x + off, m);
    }
    return acc;
}

/* normalize_max_weight for limit >= 1 (every estimate is <= 1, so x / sum(x)); the
 * capping path is refused (-3).  n * limit <= 1 or sum 0 -> 1/n. */
static int nmw_f32(float *x, size_t n, double limit)
{
    float s = lp_sn46_sum_f32(x, n);
    if (s == 0.0f || (double)n * limit <= 1.0) {
        for (size_t i = 0; i < n; i++) x[i] = (float)(1.0 / (double)n);
        return 0;
    }
    if (limit < 1.0) return -3;
    for (size_t i = 0; i < n; i++) x[i] = x[i] / s;
    return 0;
}

static int nmw_f64(double *x, size_t n, double limit)
{
    double s = lp_sn46_sum_f64(x, n);
    if (s == 0.0 || (double)n * limit <= 1.0) {
        for (size_t i = 0; i < n; i++) x[i] = 1.0 / (double)n;
        return 0;
    }
    if (limit < 1.0) return -3;
    for (size_t i = 0; i < n; i++) x[i] = x[i] / s;
    return 0;
}

int lp_sn46_process_weights(const int64_t *uids, const float *w, size_t n, int64_t chain_n,
                            int64_t min_allowed, double limit, lp_sn46_branch *branch,
                            int64_t *out_uids, double *out_w, size_t *out_n)
{
    size_t nz = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] > 0.0f) nz++;
    size_t cn = chain_n > 0 ? (size_t)chain_n : 0;
    if (nz == 0 || chain_n < min_allowed) {
        *branch = LP_SN46_BRANCH_ALL_ONES;
        for (size_t i = 0; i < cn; i++) {
            out_uids[i] = (int64_t)i;
            out_w[i] = 1.0 / (double)cn;
        }
        *out_n = cn;
        return 0;
    }
    if ((int64_t)nz < min_allowed) {
        *branch = LP_SN46_BRANCH_BELOW_MIN;
        double *v = malloc((cn ? cn : 1) * sizeof *v);
        if (!v) return -1;
        for (size_t i = 0; i < cn; i++) v[i] = 1e-5;
        for (size_t i = 0; i < n; i++)
            if (w[i] > 0.0f) {
                if (i >= cn) { free(v); return -2; }
                v[i] += (double)w[i];
            }
        int rc = nmw_f64(v, cn, limit);
        if (rc) { free(v); return rc; }
        for (size_t i = 0; i < cn; i++) {
            out_uids[i] = (int64_t)i;
            out_w[i] = v[i];
        }
        free(v);
        *out_n = cn;
        return 0;
    }
    *branch = LP_SN46_BRANCH_NORMAL;
    float *v = malloc(nz * sizeof *v);
    if (!v) return -1;
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] > 0.0f) {
            out_uids[j] = uids[i];
            v[j++] = w[i];
        }
    int rc = nmw_f32(v, nz, limit);
    if (rc) { free(v); return rc; }
    for (size_t i = 0; i < nz; i++) out_w[i] = (double)v[i];
    free(v);
    *out_n = nz;
    return 0;
}
