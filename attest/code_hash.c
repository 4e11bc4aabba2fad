/* Gateway code_hash, leadpoet-formats.md §13.6 (see code_hash.h for the rules). */
#include "attest/code_hash.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "canonical/lpc_utf8.h"

static const char *const CUR_ROOT_FILES[] = {"main.py", "config.py", "pcr0_allowlist.json"};
static const char *const CUR_INCLUDE_DIRS[] = {
    "api", "tasks", "utils", "models", "tee", "middleware", "research_lab", "qualification",
    "fulfillment", "leadpoet_canonical", "validator_models", "miner_models", "_attested_runtime"};
static const char *const CUR_HASH_SUFFIXES[] = {".py", ".json", ".txt", ".dat", ".sh"};
static const char *const CUR_EXCLUDED_DIRS[] = {
    "__pycache__", ".git", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", "build", "dist",
    "env", "logs", "node_modules", "secrets", "validation_artifacts", "venv"};
static const char *const CUR_EXCLUDED_SUFFIXES[] = {".pyc", ".pyo", ".pyd", ".log", ".pem", ".key", ".jwk"};
static const char *const CUR_EXCLUDED_NAMES[] = {
    ".DS_Store", ".dockerignore", "gateway.log", "provision_pcrs.py", "verify_code_hash.py"};

static const char *const V1_ROOT_FILES[] = {"main.py", "config.py"};
static const char *const V1_INCLUDE_DIRS[] = {"api", "tasks", "utils", "models", "tee"};
static const char *const V1_SKIP_NAMES[] = {"provision_pcrs.py", "verify_code_hash.py"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *s, size_t n, const char *const *list, size_t cnt)
{
    for (size_t i = 0; i < cnt; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return 1;
    return 0;
}

/* Python's PurePath.suffix: from the last '.' when it is neither the first nor
 * the last character of the name, else "". */
static void suffix_of(const char *name, const char **suf, size_t *len)
{
    const char *dot = strrchr(name, '.');
    size_t n = strlen(name);
    if (!dot || dot == name || (size_t)(dot - name) == n - 1) {
        *suf = name + n;
        *len = 0;
        return;
    }
    *suf = dot;
    *len = n - (size_t)(dot - name);
}

/* A clean logical path: non-empty components separated by single '/', none
 * "." or "..", no leading '/', UTF-8. */
static int path_clean(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > LP_CODEHASH_MAX_PATH || !lpc_utf8_valid((const uint8_t *)p, n, 0, NULL)) return 0;
    const char *c = p;
    for (;;) {
        const char *s = strchr(c, '/');
        size_t k = s ? (size_t)(s - c) : strlen(c);
        if (k == 0 || (k == 1 && c[0] == '.') || (k == 2 && c[0] == '.' && c[1] == '.')) return 0;
        if (!s) break;
        c = s + 1;
    }
    return 1;
}

static const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int cur_hashable(const char *path)
{
    /* No component (directories and the name itself) in the excluded dirs. */
    for (const char *c = path;;) {
        const char *s = strchr(c, '/');
        size_t k = s ? (size_t)(s - c) : strlen(c);
        if (in_list(c, k, CUR_EXCLUDED_DIRS, COUNT(CUR_EXCLUDED_DIRS))) return 0;
        if (!s) break;
        c = s + 1;
    }
    const char *name = basename_of(path), *suf;
    size_t sl;
    if (in_list(name, strlen(name), CUR_EXCLUDED_NAMES, COUNT(CUR_EXCLUDED_NAMES))) return 0;
    if (name[0] == '.') return 0;
    suffix_of(name, &suf, &sl);
    if (in_list(suf, sl, CUR_EXCLUDED_SUFFIXES, COUNT(CUR_EXCLUDED_SUFFIXES))) return 0;
    return in_list(suf, sl, CUR_HASH_SUFFIXES, COUNT(CUR_HASH_SUFFIXES));
}

static int v1_selected(const char *path)
{
    const char *slash = strchr(path, '/');
    const char *name = basename_of(path);
    if (!slash) return in_list(path, strlen(path), V1_ROOT_FILES, COUNT(V1_ROOT_FILES));
    if (!in_list(path, (size_t)(slash - path), V1_INCLUDE_DIRS, COUNT(V1_INCLUDE_DIRS))) return 0;
    for (const char *c = path;;) {
        const char *s = strchr(c, '/');
        size_t k = s ? (size_t)(s - c) : strlen(c);
        if (k == 11 && memcmp(c, "__pycache__", 11) == 0) return 0;
        if (!s) break;
        c = s + 1;
    }
    size_t n = strlen(name);
    if (n < 3 || memcmp(name + n - 3, ".py", 3) != 0) return 0; /* glob *.py */
    if (strncmp(name, "test_", 5) == 0) return 0;
    return !in_list(name, n, V1_SKIP_NAMES, COUNT(V1_SKIP_NAMES));
}

int lp_codehash_selected(lp_codehash_era era, const char *path)
{
    if (!path || !path_clean(path)) return 0;
    if (era == LP_CODEHASH_V1) return v1_selected(path);
    const char *slash = strchr(path, '/');
    if (!slash) return in_list(path, strlen(path), CUR_ROOT_FILES, COUNT(CUR_ROOT_FILES)) && cur_hashable(path);
    if (!in_list(path, (size_t)(slash - path), CUR_INCLUDE_DIRS, COUNT(CUR_INCLUDE_DIRS))) return 0;
    return cur_hashable(path);
}

int lp_codehash_dir_relevant(lp_codehash_era era, const char *dir)
{
    if (!dir) return 0;
    if (dir[0] == '\0') return 1;
    if (!path_clean(dir)) return 0;
    const char *slash = strchr(dir, '/');
    size_t k = slash ? (size_t)(slash - dir) : strlen(dir);
    if (era == LP_CODEHASH_V1) return in_list(dir, k, V1_INCLUDE_DIRS, COUNT(V1_INCLUDE_DIRS));
    if (!in_list(dir, k, CUR_INCLUDE_DIRS, COUNT(CUR_INCLUDE_DIRS))) return 0;
    for (const char *c = dir;;) {
        const char *s = strchr(c, '/');
        size_t m = s ? (size_t)(s - c) : strlen(c);
        if (in_list(c, m, CUR_EXCLUDED_DIRS, COUNT(CUR_EXCLUDED_DIRS))) return 0;
        if (!s) break;
        c = s + 1;
    }
    return 1;
}

/* pathlib order: compare component lists, each component as a Python str
 * (code points = UTF-8 bytes), a proper prefix first. */
static int cmp_components(const char *a, const char *b)
{
    for (;;) {
        size_t ka = strcspn(a, "/"), kb = strcspn(b, "/");
        size_t m = ka < kb ? ka : kb;
        int c = memcmp(a, b, m);
        if (c) return c;
        if (ka != kb) return ka < kb ? -1 : 1;
        if (!a[ka] || !b[kb]) return (a[ka] != 0) - (b[kb] != 0);
        a += ka + 1;
        b += kb + 1;
    }
}

static int cmp_strings(const char *a, const char *b)
{
    return strcmp(a, b); /* strcmp compares as unsigned char: UTF-8 byte order */
}

/* Insertion-free merge sort of indexes (stable, no recursion depth issues for
 * realistic n; O(n log n)). */
static void sort_idx(size_t *v, size_t *tmp, size_t n, const lp_codehash_file *f,
                     int (*cmp)(const char *, const char *))
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = cmp(f[v[j]].path, f[v[i]].path) < 0 ? v[j++] : v[i++];
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
}

lp_eif_err lp_codehash_order(lp_codehash_era era, const lp_codehash_file *files, size_t n,
                             size_t *order, size_t *n_sel)
{
    if ((!files && n) || (!order && n) || !n_sel || (era != LP_CODEHASH_CURRENT && era != LP_CODEHASH_V1))
        return LP_EIF_ERR_ARG;
    *n_sel = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!files[i].path || !path_clean(files[i].path) || (!files[i].content && files[i].len))
            return LP_EIF_ERR_CODEHASH_PATH;
        if (lp_codehash_selected(era, files[i].path)) order[m++] = i;
    }
    size_t *tmp = malloc((m ? m : 1) * sizeof *tmp);
    if (!tmp) return LP_EIF_ERR_NOMEM;
    sort_idx(order, tmp, m, files, era == LP_CODEHASH_V1 ? cmp_components : cmp_strings);
    free(tmp);
    for (size_t i = 1; i < m; i++)
        if (strcmp(files[order[i - 1]].path, files[order[i]].path) == 0) return LP_EIF_ERR_CODEHASH_DUPLICATE;
    *n_sel = m;
    return LP_EIF_OK;
}

lp_eif_err lp_codehash_compute(lp_codehash_era era, const lp_codehash_file *files, size_t n,
                               uint8_t out[LP_CODEHASH_LEN], size_t *n_sel)
{
    if (!out) return LP_EIF_ERR_ARG;
    size_t *order = malloc((n ? n : 1) * sizeof *order), m = 0;
    if (!order) return LP_EIF_ERR_NOMEM;
    lp_eif_err e = lp_codehash_order(era, files, n, order, &m);
    EVP_MD_CTX *c = NULL;
    if (e) goto done;
    e = LP_EIF_ERR_NOMEM;
    if (!(c = EVP_MD_CTX_new())) goto done;
    e = LP_EIF_ERR_CRYPTO;
    if (!EVP_DigestInit_ex(c, EVP_sha256(), NULL)) goto done;
    static const uint8_t zero = 0;
    for (size_t i = 0; i < m; i++) {
        const lp_codehash_file *f = &files[order[i]];
        if (era == LP_CODEHASH_CURRENT) {
            /* utf8(path) || 00 || bytes || 00 */
            if (!EVP_DigestUpdate(c, f->path, strlen(f->path)) || !EVP_DigestUpdate(c, &zero, 1) ||
                !EVP_DigestUpdate(c, f->content, f->len) || !EVP_DigestUpdate(c, &zero, 1))
                goto done;
        } else {
            /* basename || bytes, no separators */
            const char *b = basename_of(f->path);
            if (!EVP_DigestUpdate(c, b, strlen(b)) || !EVP_DigestUpdate(c, f->content, f->len)) goto done;
        }
    }
    unsigned len = 0;
    if (!EVP_DigestFinal_ex(c, out, &len) || len != LP_CODEHASH_LEN) goto done;
    if (n_sel) *n_sel = m;
    e = LP_EIF_OK;
done:
    EVP_MD_CTX_free(c);
    free(order);
    return e;
}
