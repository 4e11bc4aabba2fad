/* EIF reader/builder/signature and gateway code_hash against vectors/eif and
 * vectors/leadpoet/code_hash.json.  Expected values come from the vectors
 * (computed with dd/openssl/zlib/Python by their authors), from openssl(1)
 * (PCR8 of the test certificates, vectors/eif/README.md) or are recomputed here
 * with OpenSSL/zlib directly, never with the code under test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <zlib.h>
#include <openssl/evp.h>

#include "attest/code_hash.h"
#include "attest/eif.h"
#include "tests/lp_test.h"

/* ---- helpers -------------------------------------------------------------- */

static const char CMDLINE[] = "reboot=k panic=30 pci=off nomodules console=ttyS0 i8042.noaux "
                              "i8042.nomux i8042.nopnp i8042.dumbkbd random.trust_cpu=on";

static json_t *expected(void)
{
    size_t n;
    uint8_t *b = lp_read_vector("eif/expected.json", &n);
    json_error_t je;
    json_t *j = json_loadb((const char *)b, n, 0, &je);
    free(b);
    ck_assert_msg(j != NULL, "expected.json: %s", je.text);
    return j;
}

static const char *jstr(json_t *o, const char *a, const char *b)
{
    json_t *x = json_object_get(o, a);
    if (b) x = json_object_get(x, b);
    ck_assert_msg(json_is_string(x), "expected.json %s.%s missing", a, b ? b : "");
    return json_string_value(x);
}

static void unhex(const char *s, uint8_t *out, size_t n)
{
    ck_assert_uint_eq(strlen(s), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(s + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static void assert_hex(const uint8_t *p, const char *hex, size_t n, const char *what)
{
    uint8_t want[64];
    unhex(hex, want, n);
    ck_assert_msg(memcmp(p, want, n) == 0, "%s differs from vector", what);
}

static void sha(const EVP_MD *md, const void *p, size_t n, uint8_t *out)
{
    unsigned l;
    ck_assert(EVP_Digest(p, n, out, &l, md, NULL));
}

static void extend(const uint8_t d[48], uint8_t out[48])
{
    uint8_t b[96] = {0};
    memcpy(b + 48, d, 48);
    sha(EVP_sha384(), b, 96, out);
}

/* Independent CRC fix-up (zlib): whole file except bytes 544..547. */
static void fix_crc(uint8_t *f, size_t n)
{
    uLong c = crc32(0, f, 544);
    c = crc32(c, f + 548, (uInt)(n - 548));
    f[544] = (uint8_t)(c >> 24); f[545] = (uint8_t)(c >> 16); f[546] = (uint8_t)(c >> 8); f[547] = (uint8_t)c;
}

static void put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* A small independent EIF writer (layout of spec §1.1-1.2) for shapes the
 * builder refuses to make. */
typedef struct { uint16_t type; const uint8_t *p; size_t n; } craft_sec;
static uint8_t *craft(uint16_t version, const craft_sec *s, size_t ns, size_t *len)
{
    size_t total = 548;
    for (size_t i = 0; i < ns; i++) total += 12 + s[i].n;
    uint8_t *f = calloc(1, total);
    ck_assert_ptr_nonnull(f);
    memcpy(f, ".eif", 4);
    put_be16(f + 4, version);
    put_be64(f + 8, 1u << 30);
    put_be64(f + 16, 2);
    put_be16(f + 26, (uint16_t)ns);
    size_t at = 548;
    for (size_t i = 0; i < ns; i++) {
        put_be64(f + 28 + 8 * i, at);
        put_be64(f + 284 + 8 * i, s[i].n);
        put_be16(f + at, s[i].type);
        put_be64(f + at + 4, s[i].n);
        if (s[i].n) memcpy(f + at + 12, s[i].p, s[i].n);
        at += 12 + s[i].n;
    }
    fix_crc(f, total);
    *len = total;
    return f;
}

static uint8_t *vec(const char *name, size_t *n)
{
    char rel[256];
    snprintf(rel, sizeof rel, "eif/%s", name);
    return lp_read_vector(rel, n);
}

/* ---- vectors ---------------------------------------------------------------- */

static void check_vector(const char *which, const char *file, int is_signed)
{
    json_t *j = expected();
    size_t n;
    uint8_t *f = vec(file, &n);
    ck_assert_uint_eq(n, (size_t)json_integer_value(json_object_get(json_object_get(j, "sizes"), which)));
    uint8_t h[48];
    sha(EVP_sha256(), f, n, h);
    assert_hex(h, jstr(j, "sha256", which), 32, "file sha256");
    lp_eif_info I;
    ck_assert_str_eq(lp_eif_errname(lp_eif_read(f, n, &I)), "OK");
    ck_assert_uint_eq(I.version, 4);
    ck_assert_uint_eq(I.flags, 0);
    ck_assert_uint_eq(I.num_sections, is_signed ? 6 : 5);
    ck_assert_uint_eq(I.default_mem, 1073741824u);
    ck_assert_uint_eq(I.default_cpus, 2);
    ck_assert(I.crc_ok);
    char crc[9];
    snprintf(crc, sizeof crc, "%08x", I.crc_computed);
    ck_assert_str_eq(crc, jstr(j, "crc32_hdr", which));
    json_t *e = json_object_get(j, which);
    assert_hex(I.pcr0, jstr(e, "PCR0", NULL), 48, "PCR0");
    assert_hex(I.pcr1, jstr(e, "PCR1", NULL), 48, "PCR1");
    assert_hex(I.pcr2, jstr(e, "PCR2", NULL), 48, "PCR2");
    ck_assert_int_eq(I.is_signed, is_signed);
    if (is_signed) {
        assert_hex(I.pcr8, jstr(e, "PCR8", NULL), 48, "PCR8");
        ck_assert_int_eq(I.cose_alg, -35);
    }
    /* README: offsets and types in file order. */
    static const uint64_t off[] = {548, 4656, 4787, 5051, 6087, 8147};
    static const uint64_t sz[] = {4096, 119, 252, 1024, 2048, 1665};
    static const uint16_t ty[] = {1, 2, 5, 3, 3, 4};
    for (unsigned i = 0; i < I.num_sections; i++) {
        ck_assert_uint_eq(I.sections[i].offset, off[i]);
        ck_assert_uint_eq(I.sections[i].size, sz[i]);
        ck_assert_uint_eq(I.sections[i].type, ty[i]);
    }
    /* Streaming: every chunk size gives the same answer. */
    static const size_t chunks[] = {1, 3, 12, 547, 548, 549, 4096, 1 << 20};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        lp_eif_reader *r;
        ck_assert_int_eq(lp_eif_reader_new(n, &r), LP_EIF_OK);
        for (size_t o = 0; o < n; o += chunks[c])
            ck_assert_int_eq(lp_eif_reader_feed(r, f + o, n - o < chunks[c] ? n - o : chunks[c]), LP_EIF_OK);
        lp_eif_info J;
        ck_assert_int_eq(lp_eif_reader_finish(r, &J), LP_EIF_OK);
        lp_eif_reader_free(r);
        ck_assert(memcmp(J.pcr0, I.pcr0, 48) == 0 && memcmp(J.pcr1, I.pcr1, 48) == 0 &&
                  memcmp(J.pcr2, I.pcr2, 48) == 0 && memcmp(J.pcr8, I.pcr8, 48) == 0);
    }
    free(f);
    json_decref(j);
}

START_TEST(unsigned_vector) { check_vector("unsigned", "synthetic-unsigned.eif", 0); }
END_TEST

START_TEST(signed_vector) { check_vector("signed", "synthetic-signed.eif", 1); }
END_TEST

START_TEST(crc32_definition)
{
    ck_assert_uint_eq(lp_eif_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    ck_assert_uint_eq(lp_eif_crc32(lp_eif_crc32(0, (const uint8_t *)"1234", 4), (const uint8_t *)"56789", 5),
                      0xCBF43926u);
    ck_assert_uint_eq(lp_eif_crc32(0, NULL, 0), 0);
}
END_TEST

/* PCR0 = extend(content digest) with the vector's intermediate digest. */
START_TEST(extend_rule)
{
    json_t *j = expected();
    uint8_t d[48], p[48];
    unhex(jstr(j, "content_digests", "pcr0"), d, 48);
    extend(d, p);
    assert_hex(p, jstr(j, "unsigned", "PCR0"), 48, "extend(content digest)");
    json_decref(j);
}
END_TEST

/* ---- building ----------------------------------------------------------------- */

static void parts_from_vectors(lp_eif_parts *P, lp_eif_blob rd[2], uint8_t **bufs, const uint8_t *unsigned_eif)
{
    size_t n;
    memset(P, 0, sizeof *P);
    bufs[0] = vec("synthetic-kernel.bin", &n);
    P->kernel = (lp_eif_blob){bufs[0], n};
    bufs[1] = vec("synthetic-ramdisk0.cpio", &n);
    rd[0] = (lp_eif_blob){bufs[1], n};
    bufs[2] = vec("synthetic-ramdisk1.cpio", &n);
    rd[1] = (lp_eif_blob){bufs[2], n};
    P->cmdline = (lp_eif_blob){(const uint8_t *)CMDLINE, strlen(CMDLINE)};
    P->metadata = (lp_eif_blob){unsigned_eif + 4799, 252}; /* README: metadata payload at 4799 */
    P->ramdisks = rd;
    P->n_ramdisks = 2;
}

START_TEST(rebuild_byte_identical)
{
    size_t un, sn, bl;
    uint8_t *u = vec("synthetic-unsigned.eif", &un), *s = vec("synthetic-signed.eif", &sn), *bufs[3], *out;
    lp_eif_parts P;
    lp_eif_blob rd[2];
    parts_from_vectors(&P, rd, bufs, u);
    ck_assert_uint_eq(strlen(CMDLINE), 119);
    ck_assert_int_eq(lp_eif_assemble(&P, &out, &bl), LP_EIF_OK);
    ck_assert_uint_eq(bl, un);
    ck_assert_msg(memcmp(out, u, un) == 0, "unsigned rebuild differs");
    free(out);
    /* Signed: the signature payload is an input (the key was discarded). */
    P.signature = (lp_eif_blob){s + 8159, sn - 8159};
    ck_assert_int_eq(lp_eif_assemble(&P, &out, &bl), LP_EIF_OK);
    ck_assert_uint_eq(bl, sn);
    ck_assert_msg(memcmp(out, s, sn) == 0, "signed rebuild differs");
    free(out);
    /* aarch64 flag changes the header (and CRC) but not the PCRs. */
    P.signature = (lp_eif_blob){NULL, 0};
    P.flags = LP_EIF_FLAG_AARCH64;
    ck_assert_int_eq(lp_eif_assemble(&P, &out, &bl), LP_EIF_OK);
    lp_eif_info I, J;
    ck_assert_int_eq(lp_eif_read(out, bl, &I), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_read(u, un, &J), LP_EIF_OK);
    ck_assert_uint_eq(I.flags, 1);
    ck_assert(memcmp(I.pcr0, J.pcr0, 48) == 0);
    ck_assert_uint_ne(I.crc_computed, J.crc_computed);
    free(out);
    for (int i = 0; i < 3; i++) free(bufs[i]);
    free(u);
    free(s);
}
END_TEST

START_TEST(builder_refuses_bad_layouts)
{
    lp_eif_parts P;
    lp_eif_blob rd[2];
    size_t un, bl;
    uint8_t *u = vec("synthetic-unsigned.eif", &un), *bufs[3], *out = NULL;
    parts_from_vectors(&P, rd, bufs, u);
    lp_eif_parts Q = P;
    Q.kernel.len = 0;
    ck_assert_int_eq(lp_eif_assemble(&Q, &out, &bl), LP_EIF_ERR_EMPTY_KERNEL);
    Q = P;
    Q.n_ramdisks = 0;
    ck_assert_int_eq(lp_eif_assemble(&Q, &out, &bl), LP_EIF_ERR_MISSING_RAMDISK);
    Q = P;
    Q.flags = 2;
    ck_assert_int_eq(lp_eif_assemble(&Q, &out, &bl), LP_EIF_ERR_ARG);
    ck_assert_ptr_null(out);
    /* Builder API misuse. */
    lp_eif_builder *b;
    uint8_t hdr[12], header[548];
    uint64_t t;
    ck_assert_int_eq(lp_eif_builder_new(0, &b), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_builder_begin(b, LP_EIF_SEC_RAMDISK, 1, hdr), LP_EIF_ERR_SECTION_ORDER);
    ck_assert_int_eq(lp_eif_builder_finish(b, header, &t), LP_EIF_ERR_SECTION_ORDER);
    lp_eif_builder_free(b);
    ck_assert_int_eq(lp_eif_builder_new(0, &b), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_builder_begin(b, LP_EIF_SEC_KERNEL, 4, hdr), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_builder_feed(b, (const uint8_t *)"abcde", 5), LP_EIF_ERR_STATE);
    lp_eif_builder_free(b);
    for (int i = 0; i < 3; i++) free(bufs[i]);
    free(u);
}
END_TEST

START_TEST(cmdline_trim)
{
    size_t s, l;
    const char *a = "  reboot=k panic=30\n";
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)a, strlen(a), &s, &l), LP_EIF_OK);
    ck_assert_uint_eq(s, 2);
    ck_assert_uint_eq(l, 17);
    /* Unicode White_Space: NBSP U+00A0, U+3000, VT, FF, NEL U+0085 */
    const char *b = "\xc2\xa0\x0b\x0c x y \xe3\x80\x80\xc2\x85";
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)b, strlen(b), &s, &l), LP_EIF_OK);
    ck_assert_uint_eq(s, 5);
    ck_assert_uint_eq(l, 3);
    /* Zero-width space U+200B is not White_Space: kept. */
    const char *c = "\xe2\x80\x8bx";
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)c, strlen(c), &s, &l), LP_EIF_OK);
    ck_assert_uint_eq(s, 0);
    ck_assert_uint_eq(l, 4);
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)" \n\t", 3, &s, &l), LP_EIF_OK);
    ck_assert_uint_eq(l, 0);
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)"a\xff", 2, &s, &l), LP_EIF_ERR_CMDLINE);
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)"\xc0\xa0", 2, &s, &l), LP_EIF_ERR_CMDLINE);
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)"\xed\xa0\x80", 3, &s, &l), LP_EIF_ERR_CMDLINE);
    /* The nitro-cli blob (with its newline) trims to the vector's 119 bytes. */
    char blob[200];
    snprintf(blob, sizeof blob, "%s\n", CMDLINE);
    ck_assert_int_eq(lp_eif_trim_cmdline((const uint8_t *)blob, strlen(blob), &s, &l), LP_EIF_OK);
    ck_assert_uint_eq(l, 119);
}
END_TEST

/* ---- structural corruption ------------------------------------------------------ */

static lp_eif_err read_copy(const uint8_t *f, size_t n, void (*mut)(uint8_t *, size_t *), int fixcrc)
{
    uint8_t *c = malloc(n + 64);
    ck_assert_ptr_nonnull(c);
    memcpy(c, f, n);
    memset(c + n, 0x5a, 64);
    size_t m = n;
    mut(c, &m);
    if (fixcrc && m >= 548) fix_crc(c, m);
    lp_eif_info I;
    lp_eif_err e = lp_eif_read(c, m, &I);
    if (e) {
        static const uint8_t z[48];
        ck_assert_msg(memcmp(I.pcr0, z, 48) == 0, "PCRs reported on error");
    }
    free(c);
    return e;
}

#define MUT(name, body) static void name(uint8_t *f, size_t *n) { (void)f; (void)n; body; }
MUT(m_magic, f[0] = 'E')
MUT(m_version5, put_be16(f + 4, 5))
MUT(m_version1, put_be16(f + 4, 1))
MUT(m_version3, put_be16(f + 4, 3))   /* v3 has no metadata section type */
MUT(m_flags, put_be16(f + 6, 2))
MUT(m_reserved, f[0x19] = 1)
MUT(m_unused, f[0x21F] = 1)
MUT(m_count33, put_be16(f + 26, 33))
MUT(m_count1, put_be16(f + 26, 1))
MUT(m_count4, put_be16(f + 26, 4))   /* 5th table entry left behind */
MUT(m_overlap, put_be64(f + 28 + 8, 4656 - 1))
MUT(m_into_prev, put_be64(f + 28 + 16, 4656 + 20))
MUT(m_at_payload, put_be64(f + 28, 560))
MUT(m_out_of_file, put_be64(f + 28 + 32, 1000000000ull))
MUT(m_huge_size, put_be64(f + 284 + 32, UINT64_MAX - 20))
MUT(m_huge_last, put_be64(f + 284 + 32, 1ull << 40))
MUT(m_size_table, put_be64(f + 284, 4095))
MUT(m_sechdr_size, put_be64(f + 548 + 4, 4095))
MUT(m_type0, put_be16(f + 548, 0))
MUT(m_type6, put_be16(f + 548, 6))
MUT(m_secflags, put_be16(f + 548 + 2, 1))
MUT(m_two_kernels, put_be16(f + 4656, 1))
MUT(m_ramdisk_first, put_be16(f + 548, 3))
MUT(m_two_meta, put_be16(f + 5051, 5))   /* first ramdisk becomes metadata: 2 metadata */
MUT(m_trailing, *n += 1)
MUT(m_crc, f[547] ^= 1)
MUT(m_payload, f[600] ^= 0x80)
MUT(m_cmdline_after_rd, { put_be16(f + 4656, 3); put_be16(f + 5051, 2); })

START_TEST(corruptions_named)
{
    size_t n;
    uint8_t *f = vec("synthetic-unsigned.eif", &n);
    static const struct { void (*m)(uint8_t *, size_t *); lp_eif_err want; const char *name; } T[] = {
        {m_magic, LP_EIF_ERR_MAGIC, "BAD_MAGIC"},
        {m_version5, LP_EIF_ERR_VERSION, "BAD_VERSION"},
        {m_version1, LP_EIF_ERR_VERSION, "BAD_VERSION"},
        {m_version3, LP_EIF_ERR_SECTION_VERSION, "SECTION_NOT_IN_VERSION"},
        {m_flags, LP_EIF_ERR_FLAGS, "BAD_FLAGS"},
        {m_reserved, LP_EIF_ERR_RESERVED, "BAD_RESERVED"},
        {m_unused, LP_EIF_ERR_RESERVED, "BAD_RESERVED"},
        {m_count33, LP_EIF_ERR_SECTION_COUNT, "BAD_SECTION_COUNT"},
        {m_count1, LP_EIF_ERR_SECTION_COUNT, "BAD_SECTION_COUNT"},
        {m_count4, LP_EIF_ERR_TABLE_UNUSED, "BAD_SECTION_TABLE"},
        {m_overlap, LP_EIF_ERR_SECTION_OVERLAP, "SECTION_OVERLAP"},
        {m_into_prev, LP_EIF_ERR_SECTION_OVERLAP, "SECTION_OVERLAP"},
        {m_at_payload, LP_EIF_ERR_SECTION_OFFSET, "BAD_SECTION_OFFSET"},
        {m_out_of_file, LP_EIF_ERR_SECTION_BOUNDS, "SECTION_OUT_OF_BOUNDS"},
        {m_huge_size, LP_EIF_ERR_SECTION_BOUNDS, "SECTION_OUT_OF_BOUNDS"},
        {m_huge_last, LP_EIF_ERR_TRUNCATED, "TRUNCATED"},
        {m_size_table, LP_EIF_ERR_SECTION_OFFSET, "BAD_SECTION_OFFSET"},
        {m_sechdr_size, LP_EIF_ERR_SECTION_SIZE, "SECTION_SIZE_MISMATCH"},
        {m_type0, LP_EIF_ERR_SECTION_TYPE, "BAD_SECTION_TYPE"},
        {m_type6, LP_EIF_ERR_SECTION_TYPE, "BAD_SECTION_TYPE"},
        {m_secflags, LP_EIF_ERR_SECTION_FLAGS, "BAD_SECTION_FLAGS"},
        {m_two_kernels, LP_EIF_ERR_DUPLICATE_SECTION, "DUPLICATE_SECTION"},
        {m_ramdisk_first, LP_EIF_ERR_SECTION_ORDER, "BAD_SECTION_ORDER"},
        {m_two_meta, LP_EIF_ERR_DUPLICATE_SECTION, "DUPLICATE_SECTION"},
        {m_trailing, LP_EIF_ERR_TRAILING_DATA, "TRAILING_DATA"},
        {m_cmdline_after_rd, LP_EIF_ERR_SECTION_ORDER, "BAD_SECTION_ORDER"},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        /* Structural errors win whether or not the CRC was fixed up. */
        for (int fix = 0; fix < 2; fix++) {
            lp_eif_err e = read_copy(f, n, T[i].m, fix);
            ck_assert_msg(e == T[i].want, "case %zu (%s, crc fixed %d): got %s", i, T[i].name, fix,
                          lp_eif_errname(e));
            ck_assert_str_eq(lp_eif_errname(e), T[i].name);
        }
    }
    /* CRC: a flipped stored CRC, and a flipped payload byte, are both caught. */
    ck_assert_int_eq(read_copy(f, n, m_crc, 0), LP_EIF_ERR_CRC);
    ck_assert_int_eq(read_copy(f, n, m_payload, 0), LP_EIF_ERR_CRC);
    /* With the CRC fixed up the payload change is structurally fine. */
    ck_assert_int_eq(read_copy(f, n, m_payload, 1), LP_EIF_OK);
    free(f);
}
END_TEST

/* Truncation at (and around) every section boundary, including inside the header. */
START_TEST(truncated_everywhere)
{
    size_t n;
    uint8_t *f = vec("synthetic-signed.eif", &n);
    static const size_t bounds[] = {0, 4, 548, 560, 4656, 4668, 4787, 4799, 5051, 5063, 6087, 6099, 8147, 8159};
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        for (int d = -1; d <= 1; d++) {
            if (bounds[i] == 0 && d < 0) continue;
            size_t m = bounds[i] + (size_t)d;
            lp_eif_info I;
            lp_eif_err e = lp_eif_read(f, m, &I);
            ck_assert_msg(e == LP_EIF_ERR_TRUNCATED, "cut at %zu: %s", m, lp_eif_errname(e));
        }
    }
    lp_eif_info I;
    ck_assert_int_eq(lp_eif_read(f, n - 1, &I), LP_EIF_ERR_TRUNCATED);
    free(f);
}
END_TEST

/* Shapes only an independent writer can make. */
START_TEST(crafted_layouts)
{
    size_t kn, r0n, r1n, un, n;
    uint8_t *k = vec("synthetic-kernel.bin", &kn), *r0 = vec("synthetic-ramdisk0.cpio", &r0n),
            *r1 = vec("synthetic-ramdisk1.cpio", &r1n), *u = vec("synthetic-unsigned.eif", &un);
    const uint8_t *cl = (const uint8_t *)CMDLINE, *meta = u + 4799;
    size_t cln = strlen(CMDLINE);
    lp_eif_info I, V;
    ck_assert_int_eq(lp_eif_read(u, un, &V), LP_EIF_OK);

    /* v2 without metadata: same PCRs as the v4 vector (metadata is not measured). */
    craft_sec v2[] = {{1, k, kn}, {2, cl, cln}, {3, r0, r0n}, {3, r1, r1n}};
    uint8_t *f = craft(2, v2, 4, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_OK);
    ck_assert(memcmp(I.pcr0, V.pcr0, 48) == 0 && memcmp(I.pcr1, V.pcr1, 48) == 0 &&
              memcmp(I.pcr2, V.pcr2, 48) == 0);
    free(f);
    /* The same sections as v4: metadata is required. */
    f = craft(4, v2, 4, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_MISSING_METADATA);
    free(f);
    /* One ramdisk: PCR2 = extend(SHA-384("")), PCR0 = PCR1. */
    craft_sec one[] = {{1, k, kn}, {2, cl, cln}, {5, meta, 252}, {3, r0, r0n}};
    f = craft(4, one, 4, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_OK);
    uint8_t d[48], p2[48];
    sha(EVP_sha384(), "", 0, d);
    extend(d, p2);
    ck_assert(memcmp(I.pcr2, p2, 48) == 0);
    ck_assert(memcmp(I.pcr0, I.pcr1, 48) == 0);
    ck_assert(memcmp(I.pcr1, V.pcr1, 48) == 0);
    free(f);
    /* PCR1 = extend(H(kernel||cmdline||ramdisk0)), PCR2 = extend(H(ramdisk1)) computed here. */
    {
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        unsigned l;
        uint8_t p1[48];
        EVP_DigestInit_ex(c, EVP_sha384(), NULL);
        EVP_DigestUpdate(c, k, kn);
        EVP_DigestUpdate(c, cl, cln);
        EVP_DigestUpdate(c, r0, r0n);
        EVP_DigestFinal_ex(c, d, &l);
        EVP_MD_CTX_free(c);
        extend(d, p1);
        ck_assert(memcmp(p1, V.pcr1, 48) == 0);
        sha(EVP_sha384(), r1, r1n, d);
        extend(d, p2);
        ck_assert(memcmp(p2, V.pcr2, 48) == 0);
    }
    /* Zero-length kernel, missing kernel/cmdline/ramdisk. */
    craft_sec zk[] = {{1, k, 0}, {2, cl, cln}, {5, meta, 252}, {3, r0, r0n}};
    f = craft(4, zk, 4, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_EMPTY_KERNEL);
    free(f);
    craft_sec nk[] = {{2, cl, cln}, {5, meta, 252}};
    f = craft(4, nk, 2, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_MISSING_KERNEL);
    free(f);
    craft_sec nc[] = {{1, k, kn}, {5, meta, 252}};
    f = craft(4, nc, 2, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_MISSING_CMDLINE);
    free(f);
    craft_sec nr[] = {{1, k, kn}, {2, cl, cln}, {5, meta, 252}};
    f = craft(4, nr, 3, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_MISSING_RAMDISK);
    free(f);
    /* Signature in v2; oversized signature; empty signature. */
    static uint8_t big[LP_EIF_MAX_SIGNATURE_LEN + 1];
    craft_sec s2[] = {{1, k, kn}, {2, cl, cln}, {3, r0, r0n}, {4, big, 10}};
    f = craft(2, s2, 4, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_SECTION_VERSION);
    free(f);
    craft_sec sb[] = {{1, k, kn}, {2, cl, cln}, {5, meta, 252}, {3, r0, r0n}, {4, big, sizeof big}};
    f = craft(4, sb, 5, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_SIGNATURE_TOO_LARGE);
    free(f);
    sb[4].n = 0;
    f = craft(4, sb, 5, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_SIGNATURE_FORMAT);
    free(f);
    sb[4].n = 100; /* zeros: not CBOR of the right shape */
    f = craft(4, sb, 5, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_ERR_SIGNATURE_FORMAT);
    free(f);
    /* 32 sections: allowed count (31 ramdisks would exceed nothing); 2 kernels caught. */
    craft_sec many[32];
    many[0] = (craft_sec){1, k, kn};
    many[1] = (craft_sec){2, cl, cln};
    many[2] = (craft_sec){5, meta, 252};
    for (int i = 3; i < 32; i++) many[i] = (craft_sec){3, r0, 4};
    f = craft(4, many, 32, &n);
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_OK);
    ck_assert_uint_eq(I.num_sections, 32);
    free(f);
    free(k);
    free(r0);
    free(r1);
    free(u);
}
END_TEST

/* ---- signature section -------------------------------------------------------- */

static size_t find(const uint8_t *h, size_t hn, const uint8_t *nd, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (memcmp(h + i, nd, nn) == 0) return i;
    return (size_t)-1;
}

START_TEST(signature_corruptions)
{
    size_t n;
    uint8_t *f = vec("synthetic-signed.eif", &n), *c = malloc(n);
    lp_eif_info I;
    ck_assert_ptr_nonnull(c);
    /* Outer array count 1 -> 2 (only one element present). */
    memcpy(c, f, n);
    ck_assert_uint_eq(c[8159], 0x81);
    c[8159] = 0x82;
    fix_crc(c, n);
    ck_assert_int_eq(lp_eif_read(c, n, &I), LP_EIF_ERR_SIGNATURE_FORMAT);
    /* Unknown key name. */
    memcpy(c, f, n);
    size_t at = find(c, n, (const uint8_t *)"signing_certificate", 19);
    ck_assert(at != (size_t)-1);
    c[at + 18] = 'f';
    fix_crc(c, n);
    ck_assert_int_eq(lp_eif_read(c, n, &I), LP_EIF_ERR_SIGNATURE_FORMAT);
    /* "-----BEGIN" inside the certificate array (each byte as 0x18 XX): B -> X. */
    static const uint8_t begin[] = {0x18, 'B', 0x18, 'E', 0x18, 'G', 0x18, 'I', 0x18, 'N'};
    memcpy(c, f, n);
    at = find(c, n, begin, sizeof begin);
    ck_assert(at != (size_t)-1);
    c[at + 1] = 'X';
    fix_crc(c, n);
    ck_assert_int_eq(lp_eif_read(c, n, &I), LP_EIF_ERR_SIGNATURE_CERT);
    /* Protected header {1: -35} -> {1: -36}: ES512 with a P-384 key. */
    static const uint8_t prot[] = {0x18, 0xa1, 0x01, 0x18, 0x38, 0x18, 0x22};
    memcpy(c, f, n);
    at = find(c, n, prot, sizeof prot);
    ck_assert(at != (size_t)-1);
    c[at + 6] = 0x23;
    fix_crc(c, n);
    ck_assert_int_eq(lp_eif_read(c, n, &I), LP_EIF_ERR_SIGNATURE_ALG);
    /* Last byte of r||s (the file's last CBOR uint): flip bit 0 -> signature fails. */
    memcpy(c, f, n);
    c[n - 1] ^= 1;
    fix_crc(c, n);
    ck_assert_int_eq(lp_eif_read(c, n, &I), LP_EIF_ERR_SIGNATURE_INVALID);
    ck_assert_str_eq(lp_eif_errname(LP_EIF_ERR_SIGNATURE_INVALID), "SIGNATURE_INVALID");
    /* A bit of the signed register_value: [48 x u8] after "register_value". */
    memcpy(c, f, n);
    at = find(c, n, (const uint8_t *)"register_value", 14);
    ck_assert_msg(at == (size_t)-1, "register_value should be inside a byte array, not plain");
    free(c);
    free(f);
}
END_TEST

static void sign_and_read(const char *cert, const char *key, int alg, const char *pcr8hex)
{
    size_t un, cn, kn, sl, bl;
    uint8_t *u = vec("synthetic-unsigned.eif", &un), *bufs[3], *cp = vec(cert, &cn), *kp = vec(key, &kn), *sig, *out;
    lp_eif_parts P;
    lp_eif_blob rd[2];
    lp_eif_info V, I;
    parts_from_vectors(&P, rd, bufs, u);
    ck_assert_int_eq(lp_eif_read(u, un, &V), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_sign(V.pcr0, cp, cn, kp, kn, &sig, &sl), LP_EIF_OK);
    P.signature = (lp_eif_blob){sig, sl};
    ck_assert_int_eq(lp_eif_assemble(&P, &out, &bl), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_read(out, bl, &I), LP_EIF_OK);
    ck_assert(I.is_signed);
    ck_assert_int_eq(I.cose_alg, alg);
    assert_hex(I.pcr8, pcr8hex, 48, "PCR8 of the test certificate");
    ck_assert(memcmp(I.pcr0, V.pcr0, 48) == 0);
    free(out);
    free(sig);
    /* Signing a different PCR0: the reader names it. */
    uint8_t other[48];
    memcpy(other, V.pcr0, 48);
    other[0] ^= 1;
    ck_assert_int_eq(lp_eif_sign(other, cp, cn, kp, kn, &sig, &sl), LP_EIF_OK);
    P.signature = (lp_eif_blob){sig, sl};
    ck_assert_int_eq(lp_eif_assemble(&P, &out, &bl), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_read(out, bl, &I), LP_EIF_ERR_SIGNATURE_PCR0);
    free(out);
    free(sig);
    for (int i = 0; i < 3; i++) free(bufs[i]);
    free(u);
    free(cp);
    free(kp);
}

START_TEST(signing_p384) { sign_and_read("test-signing-cert-p384.pem", "test-signing-key-p384.pem", -35,
    "9b74de12ace8818468f2cd12ce3e3e52bc99b8b80ca6d05f823ce442a4834683782e76a4ee7a9445291037b2c0a4bb8a"); }
END_TEST

START_TEST(signing_p256) { sign_and_read("test-signing-cert-p256.pem", "test-signing-key-p256.pem", -7,
    "fa94d993c4aea75be1ec4ecf6c309f0ce5d98f7e0c81bb8cd75756f4a0f2765621c06a282a6593a635973a9dc9e6c269"); }
END_TEST

START_TEST(signing_refusals)
{
    size_t cn, kn, sl;
    uint8_t *cp = vec("test-signing-cert-p384.pem", &cn), *kp = vec("test-signing-key-p256.pem", &kn), *sig = NULL;
    uint8_t pcr0[48] = {0};
    ck_assert_int_eq(lp_eif_sign(pcr0, cp, cn, kp, kn, &sig, &sl), LP_EIF_ERR_KEY);
    ck_assert_int_eq(lp_eif_sign(pcr0, (const uint8_t *)"x", 1, kp, kn, &sig, &sl), LP_EIF_ERR_SIGNATURE_CERT);
    ck_assert_int_eq(lp_eif_sign(pcr0, cp, cn, (const uint8_t *)"x", 1, &sig, &sl), LP_EIF_ERR_KEY);
    ck_assert_ptr_null(sig);
    free(cp);
    free(kp);
}
END_TEST

/* ---- reader API misuse ---------------------------------------------------------- */

START_TEST(reader_misuse)
{
    size_t n;
    uint8_t *f = vec("synthetic-unsigned.eif", &n);
    lp_eif_reader *r;
    lp_eif_info I;
    /* Feeding more than announced. */
    ck_assert_int_eq(lp_eif_reader_new(n - 1, &r), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_reader_feed(r, f, n), LP_EIF_ERR_ARG);
    ck_assert_int_eq(lp_eif_reader_finish(r, &I), LP_EIF_ERR_ARG);
    lp_eif_reader_free(r);
    /* Finishing before all bytes were fed. */
    ck_assert_int_eq(lp_eif_reader_new(n, &r), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_reader_feed(r, f, 1000), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_reader_finish(r, &I), LP_EIF_ERR_ARG);
    lp_eif_reader_free(r);
    /* A failed reader stays failed. */
    f[0] = 'X';
    ck_assert_int_eq(lp_eif_reader_new(n, &r), LP_EIF_OK);
    ck_assert_int_eq(lp_eif_reader_feed(r, f, 10), LP_EIF_ERR_MAGIC);
    ck_assert_int_eq(lp_eif_reader_feed(r, f + 10, 10), LP_EIF_ERR_MAGIC);
    ck_assert_uint_eq(lp_eif_reader_error_offset(r), 0);
    lp_eif_reader_free(r);
    free(f);
    for (int e = 0; e <= LP_EIF_ERR_CODEHASH_DUPLICATE; e++) {
        ck_assert_str_ne(lp_eif_errname((lp_eif_err)e), "INTERNAL");
        ck_assert_str_ne(lp_eif_strerror((lp_eif_err)e), "unknown error");
    }
}
END_TEST

/* The registry names and exit classes of EIF errors: the names reports have always
 * printed (CRYPTO_ERROR and UNKNOWN_ERROR renamed to the shared CRYPTO_BACKEND and
 * INTERNAL), exit 1 only where recompute_pcr0 judged the image (status_of:
 * SIGNATURE_INVALID, SIGNED_PCR0_MISMATCH), exit 2 for everything else. */
START_TEST(error_codes_registry)
{
    static const struct { lp_eif_err e; const char *name; } names[] = {
        {LP_EIF_OK, "OK"}, {LP_EIF_ERR_ARG, "BAD_ARGUMENT"}, {LP_EIF_ERR_NOMEM, "OUT_OF_MEMORY"},
        {LP_EIF_ERR_CRYPTO, "CRYPTO_BACKEND"}, {LP_EIF_ERR_TRUNCATED, "TRUNCATED"}, {LP_EIF_ERR_MAGIC, "BAD_MAGIC"},
        {LP_EIF_ERR_CRC, "CRC_MISMATCH"}, {LP_EIF_ERR_SIGNATURE_FORMAT, "BAD_SIGNATURE_SECTION"},
        {LP_EIF_ERR_SIGNATURE_PCR0, "SIGNED_PCR0_MISMATCH"}, {LP_EIF_ERR_SIGNATURE_INVALID, "SIGNATURE_INVALID"},
        {LP_EIF_ERR_TOO_LARGE, "INPUT_TOO_LARGE"}, {LP_EIF_ERR_CODEHASH_PATH, "BAD_PATH"},
        {LP_EIF_ERR_CODEHASH_DUPLICATE, "DUPLICATE_PATH"}, {(lp_eif_err)(LP_EIF_ERR_CODEHASH_DUPLICATE + 1), "INTERNAL"},
        {(lp_eif_err)-1, "INTERNAL"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_str_eq(lp_eif_errname(names[i].e), names[i].name);
    for (int e = 0; e <= LP_EIF_ERR_CODEHASH_DUPLICATE; e++) {
        lp_code c = lp_eif_code((lp_eif_err)e), back;
        const char *nm = lp_eif_errname((lp_eif_err)e);
        ck_assert_int_eq(lp_code_from_name(nm, strlen(nm), &back), 0);
        ck_assert_int_eq(back, c);
        for (int f = 0; f < e; f++) ck_assert_msg(lp_eif_code((lp_eif_err)f) != c, "%s twice", nm);
        int want = e == LP_EIF_OK ? LP_EXIT_OK
                   : (e == LP_EIF_ERR_SIGNATURE_INVALID || e == LP_EIF_ERR_SIGNATURE_PCR0) ? LP_EXIT_FAIL
                                                                                         : LP_EXIT_UNDECIDED;
        ck_assert_msg((int)lp_code_exit(c) == want, "%s: exit %d, want %d", nm, (int)lp_code_exit(c), want);
    }
}
END_TEST

/* The signature section goes through attest/'s one CBOR pre-scanner: indefinite
 * lengths, tags, trailing bytes and deep nesting are refused before libcbor. */
START_TEST(signature_section_prescan)
{
    size_t n;
    uint8_t *f = vec("synthetic-signed.eif", &n);
    lp_eif_info I;
    ck_assert_int_eq(lp_eif_read(f, n, &I), LP_EIF_OK);
    const lp_eif_section *sec = NULL;
    for (unsigned i = 0; i < I.num_sections; i++)
        if (I.sections[i].type == LP_EIF_SEC_SIGNATURE) sec = &I.sections[i];
    ck_assert_ptr_nonnull(sec);
    size_t sl = (size_t)sec->size;
    const uint8_t *sig = f + sec->offset + LP_EIF_SECTION_HEADER_LEN;
    uint8_t *b = malloc(sl + 2), pcr8[LP_EIF_PCR_LEN];
    int alg = 0;
    ck_assert_ptr_nonnull(b);
    /* as it is: PCR8 of the vector */
    ck_assert_int_eq(lp_eif_check_signature(sig, sl, I.pcr0, pcr8, &alg), LP_EIF_OK);
    json_t *x = expected();
    assert_hex(pcr8, jstr(x, "signed", "PCR8"), LP_EIF_PCR_LEN, "PCR8");
    json_decref(x);
    ck_assert_uint_eq(sig[0], 0x81); /* array(1) */
    /* a trailing byte */
    memcpy(b, sig, sl);
    b[sl] = 0x00;
    ck_assert_int_eq(lp_eif_check_signature(b, sl + 1, I.pcr0, pcr8, &alg), LP_EIF_ERR_SIGNATURE_FORMAT);
    /* the outer array as indefinite-length: 9f ... ff */
    b[0] = 0x9f;
    memcpy(b + 1, sig + 1, sl - 1);
    b[sl] = 0xff;
    ck_assert_int_eq(lp_eif_check_signature(b, sl + 1, I.pcr0, pcr8, &alg), LP_EIF_ERR_SIGNATURE_FORMAT);
    /* tagged (tag 0) outer array */
    b[0] = 0xc0;
    memcpy(b + 1, sig, sl);
    ck_assert_int_eq(lp_eif_check_signature(b, sl + 1, I.pcr0, pcr8, &alg), LP_EIF_ERR_SIGNATURE_FORMAT);
    /* truncated by one byte */
    ck_assert_int_eq(lp_eif_check_signature(sig, sl - 1, I.pcr0, pcr8, &alg), LP_EIF_ERR_SIGNATURE_FORMAT);
    /* nesting: array of arrays five deep */
    static const uint8_t deep[] = {0x81, 0x81, 0x81, 0x81, 0x81, 0x00};
    ck_assert_int_eq(lp_eif_check_signature(deep, sizeof deep, NULL, pcr8, &alg), LP_EIF_ERR_SIGNATURE_FORMAT);
    /* a chunked byte string in place of the certificate array */
    static const uint8_t chunked[] = {0x81, 0xa2, 0x73, 's', 'i', 'g', 'n', 'i', 'n', 'g', '_', 'c', 'e', 'r', 't', 'i', 'f',
                                      'i', 'c', 'a', 't', 'e', 0x5f, 0x41, 0x00, 0xff, 0x69, 's', 'i', 'g', 'n', 'a', 't',
                                      'u', 'r', 'e', 0x80};
    ck_assert_int_eq(lp_eif_check_signature(chunked, sizeof chunked, NULL, pcr8, &alg), LP_EIF_ERR_SIGNATURE_FORMAT);
    free(b);
    free(f);
}
END_TEST

/* ---- code_hash ------------------------------------------------------------------ */

typedef struct { lp_codehash_file *f; size_t n; uint8_t **bufs; char **paths; json_t *j; } tree;

static tree load_tree(void)
{
    tree t;
    size_t n;
    uint8_t *b = lp_read_vector("leadpoet/code_hash.json", &n);
    json_error_t je;
    t.j = json_loadb((const char *)b, n, 0, &je);
    free(b);
    ck_assert_msg(t.j != NULL, "code_hash.json: %s", je.text);
    json_t *files = json_object_get(t.j, "files");
    t.n = json_object_size(files);
    t.f = calloc(t.n, sizeof *t.f);
    t.bufs = calloc(t.n, sizeof *t.bufs);
    t.paths = calloc(t.n, sizeof *t.paths);
    const char *k;
    json_t *v;
    size_t i = 0;
    json_object_foreach(files, k, v) {
        const char *h = json_string_value(v);
        size_t l = strlen(h) / 2;
        t.bufs[i] = malloc(l + 1);
        unhex(h, t.bufs[i], l);
        t.paths[i] = strdup(k);
        t.f[i] = (lp_codehash_file){t.paths[i], t.bufs[i], l};
        i++;
    }
    return t;
}

static void free_tree(tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->bufs[i]);
        free(t->paths[i]);
    }
    free(t->bufs);
    free(t->paths);
    free(t->f);
    json_decref(t->j);
}

static void check_era(lp_codehash_era era, const char *sect, const char *list)
{
    tree t = load_tree();
    json_t *s = json_object_get(t.j, sect), *want = json_object_get(s, list);
    size_t *order = calloc(t.n, sizeof *order), m = 0, m2 = 0;
    ck_assert_int_eq(lp_codehash_order(era, t.f, t.n, order, &m), LP_EIF_OK);
    ck_assert_uint_eq(m, json_array_size(want));
    for (size_t i = 0; i < m; i++)
        ck_assert_str_eq(t.f[order[i]].path, json_string_value(json_array_get(want, i)));
    uint8_t h[32];
    ck_assert_int_eq(lp_codehash_compute(era, t.f, t.n, h, &m2), LP_EIF_OK);
    ck_assert_uint_eq(m2, m);
    assert_hex(h, json_string_value(json_object_get(s, "code_hash")), 32, "code_hash");
    /* Reversing the input order changes nothing; changing one selected byte does. */
    for (size_t i = 0; i < t.n / 2; i++) {
        lp_codehash_file x = t.f[i];
        t.f[i] = t.f[t.n - 1 - i];
        t.f[t.n - 1 - i] = x;
    }
    uint8_t h2[32];
    ck_assert_int_eq(lp_codehash_compute(era, t.f, t.n, h2, NULL), LP_EIF_OK);
    ck_assert(memcmp(h, h2, 32) == 0);
    for (size_t i = 0; i < t.n; i++)
        if (!strcmp(t.f[i].path, "main.py")) ((uint8_t *)t.f[i].content)[0] ^= 1;
    ck_assert_int_eq(lp_codehash_compute(era, t.f, t.n, h2, NULL), LP_EIF_OK);
    ck_assert(memcmp(h, h2, 32) != 0);
    free(order);
    free_tree(&t);
}

START_TEST(code_hash_current) { check_era(LP_CODEHASH_CURRENT, "current", "ordered_logical_paths"); }
END_TEST

START_TEST(code_hash_v1) { check_era(LP_CODEHASH_V1, "v1", "ordered_relative_paths"); }
END_TEST

/* The vector's demonstration: pathlib order differs from string order. */
START_TEST(code_hash_ordering_demo)
{
    tree t = load_tree();
    json_t *demo = json_object_get(json_object_get(t.j, "v1"), "note_path_vs_string_sort");
    json_t *po = json_object_get(demo, "pathlib_order"), *so = json_object_get(demo, "plain_string_order");
    size_t n = json_array_size(po);
    ck_assert(json_is_true(json_object_get(demo, "differ")));
    lp_codehash_file *f = calloc(n, sizeof *f);
    size_t *order = calloc(n, sizeof *order), m;
    /* Feed the string order; v1 must produce the pathlib order, current the string order. */
    for (size_t i = 0; i < n; i++) f[i] = (lp_codehash_file){json_string_value(json_array_get(so, i)), NULL, 0};
    ck_assert_int_eq(lp_codehash_order(LP_CODEHASH_V1, f, n, order, &m), LP_EIF_OK);
    ck_assert_uint_eq(m, n);
    for (size_t i = 0; i < n; i++) ck_assert_str_eq(f[order[i]].path, json_string_value(json_array_get(po, i)));
    for (size_t i = 0; i < n; i++) f[i] = (lp_codehash_file){json_string_value(json_array_get(po, i)), NULL, 0};
    ck_assert_int_eq(lp_codehash_order(LP_CODEHASH_CURRENT, f, n, order, &m), LP_EIF_OK);
    /* tee/.hidden.py is a dot-file: not in the current era. */
    ck_assert_uint_eq(m, n - 1);
    for (size_t i = 0; i < m; i++) ck_assert_str_eq(f[order[i]].path, json_string_value(json_array_get(so, i)));
    free(f);
    free(order);
    free_tree(&t);
}
END_TEST

START_TEST(code_hash_selection_and_errors)
{
    static const struct { const char *p; int cur, v1; } S[] = {
        {"main.py", 1, 1}, {"pcr0_allowlist.json", 1, 0}, {"other.py", 0, 0},
        {"api/x.py", 1, 1}, {"api/x.PY", 0, 0}, {"api/.x.py", 0, 1}, {"api/.py", 0, 1},
        {"api/build/x.py", 0, 1}, {"api/venv/x.py", 0, 1}, {"api/.git/x.py", 0, 1},
        {"api/__pycache__/x.py", 0, 0}, {"tasks/test_a.py", 1, 0}, {"models/k.pem", 0, 0},
        {"tee/verify_code_hash.py", 0, 0}, {"tee/provision_pcrs.py", 0, 0}, {"tee/gateway.log", 0, 0},
        {"research_lab/a.sh", 1, 0}, {"middleware/m.py", 1, 0}, {"build/x.py", 0, 0},
        {"_attested_runtime/leadpoet_canonical/x.py", 1, 0}, {"utils/a.tar.dat", 1, 0},
        {"utils/x.", 0, 0}, {"utils/.json", 0, 0}, {"api/a/../b.py", 0, 0}, {"/api/x.py", 0, 0},
        {"api//x.py", 0, 0}, {"api/x\xff.py", 0, 0},
    };
    for (size_t i = 0; i < sizeof S / sizeof S[0]; i++) {
        ck_assert_msg(lp_codehash_selected(LP_CODEHASH_CURRENT, S[i].p) == S[i].cur, "current %s", S[i].p);
        ck_assert_msg(lp_codehash_selected(LP_CODEHASH_V1, S[i].p) == S[i].v1, "v1 %s", S[i].p);
    }
    ck_assert(lp_codehash_dir_relevant(LP_CODEHASH_CURRENT, "api/sub"));
    ck_assert(!lp_codehash_dir_relevant(LP_CODEHASH_CURRENT, "api/node_modules"));
    ck_assert(!lp_codehash_dir_relevant(LP_CODEHASH_CURRENT, "venv"));
    ck_assert(lp_codehash_dir_relevant(LP_CODEHASH_V1, "api/venv"));
    ck_assert(!lp_codehash_dir_relevant(LP_CODEHASH_V1, "middleware"));
    uint8_t h[32];
    lp_codehash_file dup[] = {{"api/a.py", (const uint8_t *)"x", 1}, {"api/a.py", (const uint8_t *)"y", 1}};
    ck_assert_int_eq(lp_codehash_compute(LP_CODEHASH_CURRENT, dup, 2, h, NULL), LP_EIF_ERR_CODEHASH_DUPLICATE);
    lp_codehash_file bad[] = {{"../a.py", (const uint8_t *)"x", 1}};
    ck_assert_int_eq(lp_codehash_compute(LP_CODEHASH_CURRENT, bad, 1, h, NULL), LP_EIF_ERR_CODEHASH_PATH);
    lp_codehash_file nul[] = {{"api/a.py", NULL, 3}};
    ck_assert_int_eq(lp_codehash_compute(LP_CODEHASH_V1, nul, 1, h, NULL), LP_EIF_ERR_CODEHASH_PATH);
    /* Empty selection hashes nothing: SHA-256(""). */
    uint8_t e[32];
    sha(EVP_sha256(), "", 0, e);
    ck_assert_int_eq(lp_codehash_compute(LP_CODEHASH_CURRENT, NULL, 0, h, NULL), LP_EIF_OK);
    ck_assert(memcmp(h, e, 32) == 0);
    /* Framing, recomputed here: current = path 00 content 00; v1 = basename content. */
    lp_codehash_file one[] = {{"api/sub/a.py", (const uint8_t *)"AB", 2}};
    sha(EVP_sha256(), "api/sub/a.py\0AB\0", 16, e);
    ck_assert_int_eq(lp_codehash_compute(LP_CODEHASH_CURRENT, one, 1, h, NULL), LP_EIF_OK);
    ck_assert(memcmp(h, e, 32) == 0);
    sha(EVP_sha256(), "a.pyAB", 6, e);
    ck_assert_int_eq(lp_codehash_compute(LP_CODEHASH_V1, one, 1, h, NULL), LP_EIF_OK);
    ck_assert(memcmp(h, e, 32) == 0);
}
END_TEST

static Suite *eif_suite(void)
{
    Suite *s = suite_create("eif");
    TCase *t = tcase_create("eif");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, unsigned_vector);
    tcase_add_test(t, signed_vector);
    tcase_add_test(t, crc32_definition);
    tcase_add_test(t, extend_rule);
    tcase_add_test(t, rebuild_byte_identical);
    tcase_add_test(t, builder_refuses_bad_layouts);
    tcase_add_test(t, cmdline_trim);
    tcase_add_test(t, corruptions_named);
    tcase_add_test(t, truncated_everywhere);
    tcase_add_test(t, crafted_layouts);
    tcase_add_test(t, signature_corruptions);
    tcase_add_test(t, signing_p384);
    tcase_add_test(t, signing_p256);
    tcase_add_test(t, signing_refusals);
    tcase_add_test(t, reader_misuse);
    tcase_add_test(t, error_codes_registry);
    tcase_add_test(t, signature_section_prescan);
    tcase_add_test(t, code_hash_current);
    tcase_add_test(t, code_hash_v1);
    tcase_add_test(t, code_hash_ordering_demo);
    tcase_add_test(t, code_hash_selection_and_errors);
    suite_add_tcase(s, t);
    return s;
}

LP_TEST_MAIN(eif_suite)
