/* attest/docker_image.c and attest/cpio.c against ground truth made by the real tools:
 * vectors/nitro-docker/ (Docker 20.10.24 + linuxkit v1.5.2 with AWS's patches: ramdisk
 * sha384, size, PCR2, cmd and env of 43 images, real ramdisk bytes) and the bootstrap
 * ramdisks of vectors/nitro-blobs/README.md (real linuxkit output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/cpio.h"
#include "attest/docker_image.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_hash.h"
#include "tests/lp_test.h"

typedef struct { uint8_t *p; size_t n, cap; } membuf;

static int sink(void *ctx, const uint8_t *p, size_t n)
{
    membuf *b = ctx;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        ck_assert_ptr_nonnull(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
    return 0;
}

/* Measures an image held in memory; *out (if given) receives the ramdisk bytes. */
static lp_code measure(const uint8_t *img, size_t n, const char *platform, size_t spool_limit, lp_di_result *r, membuf *out)
{
    lp_di_memsource m = {img, n, 0};
    lp_di_source src = lp_di_memsource_source(&m);
    lp_di_tar *t = NULL;
    lp_di_store st;
    char why[512];
    memset(r, 0, sizeof *r);
    lp_code c = lp_di_tar_open(&src, &t, &st, why, sizeof why);
    if (c != LP_CODE_OK) {
        snprintf(r->why, sizeof r->why, "%s", why);
        return c;
    }
    lp_di_memspool ms = {NULL, 0, 0, spool_limit};
    lp_di_spool sp = lp_di_memspool_spool(&ms);
    lp_di_opts o = {platform, out ? sink : NULL, out};
    c = lp_di_measure(&st, &sp, &o, r);
    lp_di_memspool_free(&ms);
    lp_di_tar_free(t);
    return c;
}

static void hex48(const uint8_t *h, char *s) { lpc_hex_encode(h, 48, s); }

START_TEST(ground_truth_images)
{
    lpc_value *ex = lp_load_json_vector("nitro-docker/expected.json");
    const lpc_value *imgs = lp_field(ex, "images");
    size_t n_ok = 0, n_refused = 0, n_bytes = 0;
    for (size_t i = 0; i < imgs->u.o.n; i++) {
        const char *name = imgs->u.o.items[i].key;
        const lpc_value *v = imgs->u.o.items[i].val;
        char rel[256];
        snprintf(rel, sizeof rel, "nitro-docker/%s.tar", name);
        size_t n;
        uint8_t *img = lp_read_vector(rel, &n);
        lp_di_result r;
        membuf out = {0};
        lp_code c = measure(img, n, NULL, 1u << 30, &r, &out);
        const lpc_value *expect = lpc_get(v, "expect");
        if (expect && lpc_str_eq(expect, "refuse")) {
            ck_assert_msg(c == LP_CODE_IMAGE_NOT_DETERMINISTIC, "%s: %s (%s)", name, lp_code_name(c), r.why);
            ck_assert_msg(strchr(r.why, '/') != NULL, "%s: the reason names no path: %s", name, r.why);
            n_refused++;
        } else {
            ck_assert_msg(c == LP_CODE_OK, "%s: %s (%s)", name, lp_code_name(c), r.why);
            char h[97];
            hex48(r.ramdisk_sha384, h);
            ck_assert_str_eq(h, lp_field_str(v, "ramdisk_sha384"));
            ck_assert_uint_eq(r.ramdisk_size, (uint64_t)lp_field_i64(v, "ramdisk_bytes"));
            hex48(r.pcr2, h);
            ck_assert_str_eq(h, lp_field_str(v, "PCR2"));
            ck_assert_str_eq(r.cmd, lp_field_str(v, "cmd_file"));
            ck_assert_str_eq(r.env, lp_field_str(v, "env_file"));
            ck_assert_uint_eq(out.n, r.ramdisk_size);
            ck_assert_str_eq(r.platform, "linux/amd64");
            /* the real bytes, where the vectors keep them */
            const char *base = strrchr(name, '/') + 1;
            snprintf(rel, sizeof rel, "nitro-docker/ramdisks/%s.cpio", base);
            char full[512];
            snprintf(full, sizeof full, "%s/%s", getenv("LP_VECTORS") ? getenv("LP_VECTORS") : "vectors", rel);
            FILE *f = fopen(full, "rb");
            if (f) {
                fclose(f);
                size_t rn;
                uint8_t *real = lp_read_vector(rel, &rn);
                ck_assert_uint_eq(rn, out.n);
                ck_assert_msg(memcmp(real, out.p, rn) == 0, "%s: ramdisk bytes differ", name);
                free(real);
                n_bytes++;
            }
            n_ok++;
        }
        lp_di_result_free(&r);
        free(out.p);
        free(img);
    }
    ck_assert_uint_eq(n_ok, 41);
    ck_assert_uint_eq(n_refused, 2);
    ck_assert_uint_eq(n_bytes, 11);
    lpc_free(ex);
}
END_TEST

/* vectors/nitro-blobs/README.md, "Bootstrap ramdisks": real linuxkit output. */
START_TEST(bootstrap_ramdisks)
{
    static const struct { const char *dir; uint64_t size; const char *sha384; } k[] = {
        {"nitro-blobs/v1.5.0/x86_64", 764416, "8cd1a7c92774b5351c4969f6998f07f6715dbb291ef8a7ade6c3126435a2227d72904343f41ca3df9984e1f7fa036371"},
        {"nitro-blobs/v1.5.0/aarch64", 762368, "b3fbc404b3ae0bd62c34da60313a407ff4ffeb0a1540389dc0c952905a0616f282a92c18bcd445b89d8dc5b425027249"},
        {"nitro-blobs/2022-02/x86_64", 764416, "497541fc8b895df94a6faeefd894121a546f4abf859496d514f283d99968828fe180d98bdbd3171540e54b24c263dbdc"},
        {"nitro-blobs/2022-02/aarch64", 627200, "93934dc7e5a6293149b5f9e6886350400f32352b3c362e59c29fcecb5ed6693d040e79c490841969ae4cae05051b2d7e"}};
    for (size_t i = 0; i < 4; i++) {
        char rel[128];
        size_t ni, nn;
        snprintf(rel, sizeof rel, "%s/init", k[i].dir);
        uint8_t *init = lp_read_vector(rel, &ni);
        /* 2022-02 changed only init: nsm.ko is the v1.5.0 one (same git blob) */
        snprintf(rel, sizeof rel, "nitro-blobs/v1.5.0/%s/nsm.ko", strstr(k[i].dir, "aarch64") ? "aarch64" : "x86_64");
        uint8_t *nsm = lp_read_vector(rel, &nn);
        membuf out = {0};
        uint64_t size;
        uint8_t sha[48];
        char h[97];
        ck_assert_int_eq(lp_cpio_bootstrap(init, ni, nsm, nn, sink, &out, &size, sha), LP_CPIO_OK);
        hex48(sha, h);
        ck_assert_str_eq(h, k[i].sha384);
        ck_assert_uint_eq(size, k[i].size);
        ck_assert_uint_eq(out.n, k[i].size);
        uint8_t again[48];
        lpc_sha384(out.p, out.n, again);
        ck_assert_mem_eq(again, sha, 48);
        free(out.p);
        free(init);
        free(nsm);
    }
}
END_TEST

/* gocpio's limits (§2.3): fields of 8 hex digits. */
START_TEST(cpio_limits)
{
    lp_cpio *w;
    ck_assert_int_eq(lp_cpio_new(NULL, NULL, &w), LP_CPIO_OK);
    lp_cpio_entry e = {"big", 3, LP_CPIO_REG, 0644, 0, 0, 0, 0x100000000ull, 0, 0};
    ck_assert_int_eq(lp_cpio_header(w, &e), LP_CPIO_ERR_RANGE);
    ck_assert_str_eq(lp_cpio_range_field(w), "size");
    lp_cpio_free(w);
    ck_assert_int_eq(lp_cpio_new(NULL, NULL, &w), LP_CPIO_OK);
    lp_cpio_entry t = {"late", 4, LP_CPIO_REG, 0644, 0, 0, 0x100000000ll, 0, 0, 0};
    ck_assert_int_eq(lp_cpio_header(w, &t), LP_CPIO_ERR_RANGE);
    ck_assert_str_eq(lp_cpio_range_field(w), "mtime");
    lp_cpio_free(w);
    ck_assert_int_eq(lp_cpio_new(NULL, NULL, &w), LP_CPIO_OK);
    lp_cpio_entry u = {"who", 3, LP_CPIO_REG, 0644, 0x100000000ull, 0, 0, 0, 0, 0};
    ck_assert_int_eq(lp_cpio_header(w, &u), LP_CPIO_ERR_RANGE);
    ck_assert_str_eq(lp_cpio_range_field(w), "uid");
    lp_cpio_free(w);
    /* data longer than the header said */
    ck_assert_int_eq(lp_cpio_new(NULL, NULL, &w), LP_CPIO_OK);
    lp_cpio_entry f = {"f", 1, LP_CPIO_REG, 0644, 0, 0, 0, 2, 0, 0};
    ck_assert_int_eq(lp_cpio_header(w, &f), LP_CPIO_OK);
    ck_assert_int_eq(lp_cpio_data(w, (const uint8_t *)"abc", 3), LP_CPIO_ERR_STATE);
    lp_cpio_free(w);
}
END_TEST

/* Offset and size of member name's data in an uncompressed ustar image. */
static int tar_member(const uint8_t *img, size_t n, const char *name, size_t *off, size_t *size)
{
    for (size_t o = 0; o + 512 <= n;) {
        if (!img[o]) return 0;
        size_t sz = (size_t)strtoull((const char *)img + o + 124, NULL, 8);
        if (strncmp((const char *)img + o, name, 100) == 0) return *off = o + 512, *size = sz, 1;
        o += 512 + ((sz + 511) & ~(size_t)511);
    }
    return 0;
}

START_TEST(tampered_images)
{
    size_t n, off, sz;
    uint8_t *img = lp_read_vector("nitro-docker/images/c01-basic.tar", &n);
    const char *layer = "5236fa6b8f4146cb92cbc633c5622fb41adcd95a93b81dad422dc20c667c9623/layer.tar";
    ck_assert(tar_member(img, n, layer, &off, &sz));
    lp_di_result r;
    /* the last byte of the layer (tar end padding): only the diff_id sees it */
    img[off + sz - 1] ^= 1;
    ck_assert_int_eq(measure(img, n, NULL, 1u << 30, &r, NULL), LP_CODE_LAYER_DIGEST_MISMATCH);
    ck_assert_ptr_nonnull(strstr(r.why, "diff_ids"));
    lp_di_result_free(&r);
    img[off + sz - 1] ^= 1;
    /* every 97th byte of the layer: never an OK, always a named refusal */
    for (size_t k = 0; k < sz; k += 97) {
        img[off + k] ^= 0x20;
        lp_code c = measure(img, n, NULL, 1u << 30, &r, NULL);
        ck_assert_msg(c == LP_CODE_LAYER_DIGEST_MISMATCH || c == LP_CODE_IMAGE_MALFORMED ||
                          c == LP_CODE_IMAGE_CONTENT_UNSUPPORTED || c == LP_CODE_INPUT_TOO_LARGE,
                      "byte %zu: %s", k, lp_code_name(c));
        ck_assert(r.why[0]);
        lp_di_result_free(&r);
        img[off + k] ^= 0x20;
    }
    /* the config's bytes are not the digest its name says */
    const char *cfg = "819f56503ec60c2a34cdae38375e241b8884c47fef607fb76e10b768a30e5397.json";
    ck_assert(tar_member(img, n, cfg, &off, &sz));
    uint8_t *sp = memchr(img + off, ' ', sz);
    ck_assert_ptr_nonnull(sp);
    *sp = '\t'; /* still the same JSON */
    ck_assert_int_eq(measure(img, n, NULL, 1u << 30, &r, NULL), LP_CODE_LAYER_DIGEST_MISMATCH);
    lp_di_result_free(&r);
    *sp = ' ';
    /* truncations of the image anywhere */
    for (size_t cut = 0; cut < n; cut += n / 23 + 1) {
        lp_code c = measure(img, cut, NULL, 1u << 30, &r, NULL);
        ck_assert_msg(c != LP_CODE_OK && lp_code_exit(c) != LP_EXIT_OK && r.why[0], "cut %zu: %s", cut, lp_code_name(c));
        lp_di_result_free(&r);
    }
    /* another platform than the image's */
    ck_assert_int_eq(measure(img, n, "linux/arm64", 1u << 30, &r, NULL), LP_CODE_PLATFORM_NOT_FOUND);
    lp_di_result_free(&r);
    ck_assert_int_eq(measure(img, n, "linux/amd64", 1u << 30, &r, NULL), LP_CODE_OK);
    lp_di_result_free(&r);
    ck_assert_int_eq(measure(img, n, "linux/riscv64", 1u << 30, &r, NULL), LP_CODE_BAD_ARGUMENT);
    lp_di_result_free(&r);
    /* a spool that refuses: no result */
    ck_assert_int_eq(measure(img, n, NULL, 16, &r, NULL), LP_CODE_IO_ERROR);
    lp_di_result_free(&r);
    free(img);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("docker_image");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, ground_truth_images);
    tcase_add_test(t, bootstrap_ramdisks);
    tcase_add_test(t, cpio_limits);
    tcase_add_test(t, tampered_images);
    suite_add_tcase(s, t);
    return s;
}

LP_TEST_MAIN(suite)
