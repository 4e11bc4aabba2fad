/* EIF reader, PCRs, CRC, builder and signature section (eif-pcr-repro.md §1). */
#include "attest/eif.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <openssl/evp.h>

#include "attest/eif_internal.h"
#include "canonical/lpc_utf8.h"

/* ---- Error codes --------------------------------------------------------- */

/* Each lp_eif_err: its registry code (name, exit class) and the module's sentence. */
static const struct { lp_code code; const char *text; } err_tab[] = {
    [LP_EIF_OK] = {LP_CODE_OK, "ok"},
    [LP_EIF_ERR_ARG] = {LP_CODE_BAD_ARGUMENT, "invalid argument"},
    [LP_EIF_ERR_NOMEM] = {LP_CODE_OUT_OF_MEMORY, "out of memory"},
    [LP_EIF_ERR_CRYPTO] = {LP_CODE_CRYPTO_BACKEND, "cryptographic backend failed"},
    [LP_EIF_ERR_TRUNCATED] = {LP_CODE_TRUNCATED, "file ends before its header or declared sections"},
    [LP_EIF_ERR_MAGIC] = {LP_CODE_BAD_MAGIC, "not an EIF (magic is not \".eif\")"},
    [LP_EIF_ERR_VERSION] = {LP_CODE_BAD_VERSION, "unsupported EIF version (not 2, 3 or 4)"},
    [LP_EIF_ERR_FLAGS] = {LP_CODE_BAD_FLAGS, "header flags other than the arch bit are set"},
    [LP_EIF_ERR_RESERVED] = {LP_CODE_BAD_RESERVED, "a reserved header field is not zero"},
    [LP_EIF_ERR_SECTION_COUNT] = {LP_CODE_BAD_SECTION_COUNT, "num_sections is not in 2..32"},
    [LP_EIF_ERR_TABLE_UNUSED] = {LP_CODE_BAD_SECTION_TABLE, "section table entry past num_sections is not zero"},
    [LP_EIF_ERR_SECTION_OVERLAP] = {LP_CODE_SECTION_OVERLAP, "section offset points into the header or another section"},
    [LP_EIF_ERR_SECTION_OFFSET] = {LP_CODE_BAD_SECTION_OFFSET, "section offset is not where the previous section ends"},
    [LP_EIF_ERR_SECTION_BOUNDS] = {LP_CODE_SECTION_OUT_OF_BOUNDS, "section lies outside the file"},
    [LP_EIF_ERR_TRAILING_DATA] = {LP_CODE_TRAILING_DATA, "bytes after the last section"},
    [LP_EIF_ERR_SECTION_TYPE] = {LP_CODE_BAD_SECTION_TYPE, "section type is 0 or unknown"},
    [LP_EIF_ERR_SECTION_VERSION] = {LP_CODE_SECTION_NOT_IN_VERSION, "section type not allowed in this EIF version"},
    [LP_EIF_ERR_SECTION_FLAGS] = {LP_CODE_BAD_SECTION_FLAGS, "section header flags are not zero"},
    [LP_EIF_ERR_SECTION_SIZE] = {LP_CODE_SECTION_SIZE_MISMATCH, "section header size differs from the header table"},
    [LP_EIF_ERR_DUPLICATE_SECTION] = {LP_CODE_DUPLICATE_SECTION, "second kernel, cmdline, metadata or signature section"},
    [LP_EIF_ERR_SECTION_ORDER] = {LP_CODE_BAD_SECTION_ORDER, "ramdisk before the kernel or cmdline"},
    [LP_EIF_ERR_EMPTY_KERNEL] = {LP_CODE_EMPTY_KERNEL, "kernel section is empty"},
    [LP_EIF_ERR_MISSING_KERNEL] = {LP_CODE_MISSING_KERNEL, "no kernel section"},
    [LP_EIF_ERR_MISSING_CMDLINE] = {LP_CODE_MISSING_CMDLINE, "no cmdline section"},
    [LP_EIF_ERR_MISSING_RAMDISK] = {LP_CODE_MISSING_RAMDISK, "no ramdisk section"},
    [LP_EIF_ERR_MISSING_METADATA] = {LP_CODE_MISSING_METADATA, "EIF v4 without a metadata section"},
    [LP_EIF_ERR_CRC] = {LP_CODE_CRC_MISMATCH, "stored CRC32 differs from the file's CRC32"},
    [LP_EIF_ERR_SIGNATURE_TOO_LARGE] = {LP_CODE_SIGNATURE_TOO_LARGE, "signature section larger than 32768 bytes"},
    [LP_EIF_ERR_SIGNATURE_FORMAT] = {LP_CODE_BAD_SIGNATURE_SECTION, "signature section is not the CBOR/COSE structure of the spec"},
    [LP_EIF_ERR_SIGNATURE_CERT] = {LP_CODE_BAD_SIGNING_CERTIFICATE, "signing certificate is not a PEM X.509 certificate"},
    [LP_EIF_ERR_SIGNATURE_ALG] = {LP_CODE_BAD_SIGNATURE_ALGORITHM, "COSE algorithm unknown or not matching the certificate key"},
    [LP_EIF_ERR_SIGNATURE_PCR0] = {LP_CODE_SIGNED_PCR0_MISMATCH, "the signed PCR0 differs from the image's PCR0"},
    [LP_EIF_ERR_SIGNATURE_INVALID] = {LP_CODE_SIGNATURE_INVALID, "COSE_Sign1 signature does not verify with the certificate"},
    [LP_EIF_ERR_STATE] = {LP_CODE_BAD_STATE, "reader or builder used out of order"},
    [LP_EIF_ERR_CMDLINE] = {LP_CODE_BAD_CMDLINE, "cmdline is not valid UTF-8"},
    [LP_EIF_ERR_TOO_LARGE] = {LP_CODE_INPUT_TOO_LARGE, "input over its size cap"},
    [LP_EIF_ERR_KEY] = {LP_CODE_BAD_SIGNING_KEY, "signing key unusable or not matching the certificate"},
    [LP_EIF_ERR_CODEHASH_PATH] = {LP_CODE_BAD_PATH, "path is not a clean relative UTF-8 path"},
    [LP_EIF_ERR_CODEHASH_DUPLICATE] = {LP_CODE_DUPLICATE_PATH, "the same logical path twice"},
};
_Static_assert(sizeof err_tab / sizeof err_tab[0] == LP_EIF_ERR_CODEHASH_DUPLICATE + 1, "one row per lp_eif_err");

lp_code lp_eif_code(lp_eif_err e)
{
    return (unsigned)e < sizeof err_tab / sizeof err_tab[0] ? err_tab[e].code : LP_CODE_INTERNAL;
}

const char *lp_eif_strerror(lp_eif_err e)
{
    return (unsigned)e < sizeof err_tab / sizeof err_tab[0] ? err_tab[e].text : lp_code_text(LP_CODE_INTERNAL);
}

const char *lp_eif_errname(lp_eif_err e)
{
    return lp_code_name(lp_eif_code(e));
}

const char *lp_eif_section_name(uint16_t type)
{
    switch (type) {
    case LP_EIF_SEC_KERNEL: return "Kernel";
    case LP_EIF_SEC_CMDLINE: return "Cmdline";
    case LP_EIF_SEC_RAMDISK: return "Ramdisk";
    case LP_EIF_SEC_SIGNATURE: return "Signature";
    case LP_EIF_SEC_METADATA: return "Metadata";
    default: return "Invalid";
    }
}

/* ---- Big-endian helpers ----------------------------------------------------- */

static uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static uint64_t be64(const uint8_t *p) { return ((uint64_t)be32(p) << 32) | be32(p + 4); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)(v >> 32)); put32(p + 4, (uint32_t)v); }

/* Header field offsets, §1.1. */
#define H_MAGIC    0x000
#define H_VERSION  0x004
#define H_FLAGS    0x006
#define H_MEM      0x008
#define H_CPUS     0x010
#define H_RESERVED 0x018
#define H_NSEC     0x01A
#define H_OFFSETS  0x01C
#define H_SIZES    0x11C
#define H_UNUSED   0x21C
#define H_CRC      0x220

/* ---- CRC32 ---------------------------------------------------------------- */

uint32_t lp_eif_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    /* zlib's crc32 is exactly CRC-32/ISO-HDLC (§1.4). */
    return (uint32_t)crc32_z(crc, p, n);
}

/* ---- PCR accumulation (§1.7) ---------------------------------------------- */

/* PCR0 content = kernel, cmdline, all ramdisks in file order; PCR1 content is a
 * prefix of it (kernel, cmdline, first ramdisk), so its digest is taken from a
 * copy of the PCR0 context when the first ramdisk ends.  PCR2 content = later
 * ramdisks.  The layout rules guarantee kernel and cmdline precede every ramdisk. */
typedef struct {
    EVP_MD_CTX *h0, *h2;
    uint8_t d1[LP_EIF_PCR_LEN];
    int have_d1;
} meas;

static lp_eif_err meas_init(meas *m)
{
    memset(m, 0, sizeof *m);
    m->h0 = EVP_MD_CTX_new();
    m->h2 = EVP_MD_CTX_new();
    if (!m->h0 || !m->h2) return LP_EIF_ERR_NOMEM;
    if (!EVP_DigestInit_ex(m->h0, EVP_sha384(), NULL) || !EVP_DigestInit_ex(m->h2, EVP_sha384(), NULL))
        return LP_EIF_ERR_CRYPTO;
    return LP_EIF_OK;
}

static void meas_free(meas *m)
{
    EVP_MD_CTX_free(m->h0);
    EVP_MD_CTX_free(m->h2);
    m->h0 = m->h2 = NULL;
}

/* Snapshot of PCR1's content digest at the end of the first ramdisk. */
static lp_eif_err meas_snapshot_pcr1(meas *m)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned len = 0;
    if (!c) return LP_EIF_ERR_NOMEM;
    int ok = EVP_MD_CTX_copy_ex(c, m->h0) && EVP_DigestFinal_ex(c, m->d1, &len) && len == LP_EIF_PCR_LEN;
    EVP_MD_CTX_free(c);
    if (!ok) return LP_EIF_ERR_CRYPTO;
    m->have_d1 = 1;
    return LP_EIF_OK;
}

/* extend(d) = SHA-384(48 zero bytes || d). */
lp_eif_err lp_eif_extend(const uint8_t digest[LP_EIF_PCR_LEN], uint8_t pcr[LP_EIF_PCR_LEN])
{
    uint8_t buf[2 * LP_EIF_PCR_LEN];
    unsigned len = 0;
    memset(buf, 0, LP_EIF_PCR_LEN);
    memcpy(buf + LP_EIF_PCR_LEN, digest, LP_EIF_PCR_LEN);
    if (!EVP_Digest(buf, sizeof buf, pcr, &len, EVP_sha384(), NULL) || len != LP_EIF_PCR_LEN)
        return LP_EIF_ERR_CRYPTO;
    return LP_EIF_OK;
}

static lp_eif_err meas_pcr0(meas *m, uint8_t pcr0[LP_EIF_PCR_LEN])
{
    uint8_t d[LP_EIF_PCR_LEN];
    unsigned len = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c) return LP_EIF_ERR_NOMEM;
    int ok = EVP_MD_CTX_copy_ex(c, m->h0) && EVP_DigestFinal_ex(c, d, &len) && len == LP_EIF_PCR_LEN;
    EVP_MD_CTX_free(c);
    if (!ok) return LP_EIF_ERR_CRYPTO;
    return lp_eif_extend(d, pcr0);
}

static lp_eif_err meas_final(meas *m, uint8_t pcr0[48], uint8_t pcr1[48], uint8_t pcr2[48])
{
    uint8_t d[LP_EIF_PCR_LEN];
    unsigned len = 0;
    lp_eif_err e;
    if (!m->have_d1) return LP_EIF_ERR_MISSING_RAMDISK;
    if ((e = meas_pcr0(m, pcr0))) return e;
    if ((e = lp_eif_extend(m->d1, pcr1))) return e;
    if (!EVP_DigestFinal_ex(m->h2, d, &len) || len != LP_EIF_PCR_LEN) return LP_EIF_ERR_CRYPTO;
    return lp_eif_extend(d, pcr2);
}

/* ---- Layout rules shared by reader and builder (§1.2, §1.9) ---------------- */

typedef struct {
    uint16_t version;
    int kernel, cmdline, metadata, signature;
    unsigned ramdisks;
} layout;

/* Called for each section header in file order. */
static lp_eif_err layout_section(layout *L, uint16_t type, uint64_t size)
{
    switch (type) {
    case LP_EIF_SEC_KERNEL:
        if (L->kernel) return LP_EIF_ERR_DUPLICATE_SECTION;
        if (size == 0) return LP_EIF_ERR_EMPTY_KERNEL;
        L->kernel = 1;
        return LP_EIF_OK;
    case LP_EIF_SEC_CMDLINE:
        if (L->cmdline) return LP_EIF_ERR_DUPLICATE_SECTION;
        if (L->ramdisks) return LP_EIF_ERR_SECTION_ORDER;
        L->cmdline = 1;
        return LP_EIF_OK;
    case LP_EIF_SEC_RAMDISK:
        if (!L->kernel || !L->cmdline) return LP_EIF_ERR_SECTION_ORDER;
        L->ramdisks++;
        return LP_EIF_OK;
    case LP_EIF_SEC_SIGNATURE:
        if (L->version < 3) return LP_EIF_ERR_SECTION_VERSION;
        if (L->signature) return LP_EIF_ERR_DUPLICATE_SECTION;
        if (size > LP_EIF_MAX_SIGNATURE_LEN) return LP_EIF_ERR_SIGNATURE_TOO_LARGE;
        if (size == 0) return LP_EIF_ERR_SIGNATURE_FORMAT;
        L->signature = 1;
        return LP_EIF_OK;
    case LP_EIF_SEC_METADATA:
        if (L->version < 4) return LP_EIF_ERR_SECTION_VERSION;
        if (L->metadata) return LP_EIF_ERR_DUPLICATE_SECTION;
        L->metadata = 1;
        return LP_EIF_OK;
    default:
        return LP_EIF_ERR_SECTION_TYPE;
    }
}

static lp_eif_err layout_complete(const layout *L)
{
    if (!L->kernel) return LP_EIF_ERR_MISSING_KERNEL;
    if (!L->cmdline) return LP_EIF_ERR_MISSING_CMDLINE;
    if (!L->ramdisks) return LP_EIF_ERR_MISSING_RAMDISK;
    if (L->version >= 4 && !L->metadata) return LP_EIF_ERR_MISSING_METADATA;
    return LP_EIF_OK;
}

static int is_measured(uint16_t type)
{
    return type == LP_EIF_SEC_KERNEL || type == LP_EIF_SEC_CMDLINE || type == LP_EIF_SEC_RAMDISK;
}

/* ---- Reader ----------------------------------------------------------------- */

enum { ST_HEADER, ST_SECHDR, ST_PAYLOAD, ST_DONE };

struct lp_eif_reader {
    uint64_t file_size, pos;
    lp_eif_err err;
    uint64_t err_off;
    int state;
    uint8_t hdr[LP_EIF_HEADER_LEN];
    size_t hdr_fill;
    uint8_t sh[LP_EIF_SECTION_HEADER_LEN];
    size_t sh_fill;
    unsigned cur;          /* index of the current section */
    uint16_t cur_type;
    uint64_t remaining;    /* payload bytes left in the current section */
    unsigned ramdisk_index;
    uint32_t crc;          /* over bytes 0..543 then 548.. */
    lp_eif_info info;
    layout L;
    meas m;
    uint8_t *sig;
    size_t sig_len, sig_fill;
};

lp_eif_err lp_eif_reader_new(uint64_t file_size, lp_eif_reader **out)
{
    if (!out) return LP_EIF_ERR_ARG;
    *out = NULL;
    lp_eif_reader *r = calloc(1, sizeof *r);
    if (!r) return LP_EIF_ERR_NOMEM;
    r->file_size = file_size;
    r->info.file_size = file_size;
    lp_eif_err e = meas_init(&r->m);
    if (e) {
        lp_eif_reader_free(r);
        return e;
    }
    *out = r;
    return LP_EIF_OK;
}

void lp_eif_reader_free(lp_eif_reader *r)
{
    if (!r) return;
    meas_free(&r->m);
    free(r->sig);
    free(r);
}

uint64_t lp_eif_reader_error_offset(const lp_eif_reader *r)
{
    return r ? (r->err ? r->err_off : r->pos) : 0;
}

static lp_eif_err fail(lp_eif_reader *r, lp_eif_err e, uint64_t off)
{
    if (!r->err) {
        r->err = e;
        r->err_off = off;
    }
    return r->err;
}

/* Header complete: validate every field and the whole section table against
 * the file size before any section is read (§1.1, §1.9). */
static lp_eif_err parse_header(lp_eif_reader *r)
{
    const uint8_t *h = r->hdr;
    lp_eif_info *I = &r->info;
    if (memcmp(h + H_MAGIC, LP_EIF_MAGIC, 4) != 0) return fail(r, LP_EIF_ERR_MAGIC, 0);
    I->version = be16(h + H_VERSION);
    I->flags = be16(h + H_FLAGS);
    I->default_mem = be64(h + H_MEM);
    I->default_cpus = be64(h + H_CPUS);
    I->num_sections = be16(h + H_NSEC);
    I->crc_stored = be32(h + H_CRC);
    if (I->version < 2 || I->version > 4) return fail(r, LP_EIF_ERR_VERSION, H_VERSION);
    if (I->flags & ~LP_EIF_FLAG_AARCH64) return fail(r, LP_EIF_ERR_FLAGS, H_FLAGS);
    if (be16(h + H_RESERVED) != 0) return fail(r, LP_EIF_ERR_RESERVED, H_RESERVED);
    if (be32(h + H_UNUSED) != 0) return fail(r, LP_EIF_ERR_RESERVED, H_UNUSED);
    unsigned n = I->num_sections;
    if (n < LP_EIF_MIN_SECTIONS || n > LP_EIF_MAX_SECTIONS) return fail(r, LP_EIF_ERR_SECTION_COUNT, H_NSEC);
    for (unsigned i = n; i < LP_EIF_MAX_SECTIONS; i++)
        if (be64(h + H_OFFSETS + 8 * i) || be64(h + H_SIZES + 8 * i))
            return fail(r, LP_EIF_ERR_TABLE_UNUSED, H_OFFSETS + 8 * i);
    /* Sections must tile the file: entry i is the position of the i-th section
     * header, right after the previous section (AWS's reader walks sequentially). */
    uint64_t end = LP_EIF_HEADER_LEN;
    for (unsigned i = 0; i < n; i++) {
        uint64_t off = be64(h + H_OFFSETS + 8 * i), sz = be64(h + H_SIZES + 8 * i);
        I->sections[i].offset = off;
        I->sections[i].size = sz;
        if (off < end) return fail(r, LP_EIF_ERR_SECTION_OVERLAP, H_OFFSETS + 8 * i);
        if (off > end) {
            if (off >= r->file_size || r->file_size - off < LP_EIF_SECTION_HEADER_LEN)
                return fail(r, LP_EIF_ERR_SECTION_BOUNDS, H_OFFSETS + 8 * i);
            return fail(r, LP_EIF_ERR_SECTION_OFFSET, H_OFFSETS + 8 * i);
        }
        if (sz > UINT64_MAX - LP_EIF_SECTION_HEADER_LEN - off)
            return fail(r, LP_EIF_ERR_SECTION_BOUNDS, H_SIZES + 8 * i);
        end = off + LP_EIF_SECTION_HEADER_LEN + sz;
    }
    if (end > r->file_size) return fail(r, LP_EIF_ERR_TRUNCATED, r->file_size);
    if (end < r->file_size) return fail(r, LP_EIF_ERR_TRAILING_DATA, end);
    r->L.version = I->version;
    r->crc = lp_eif_crc32(0, h, LP_EIF_CRC_OFFSET);
    r->cur = 0;
    r->state = ST_SECHDR;
    return LP_EIF_OK;
}

static lp_eif_err end_section(lp_eif_reader *r)
{
    lp_eif_err e;
    if (r->cur_type == LP_EIF_SEC_RAMDISK && r->ramdisk_index++ == 0)
        if ((e = meas_snapshot_pcr1(&r->m))) return fail(r, e, r->pos);
    r->cur++;
    r->state = r->cur == r->info.num_sections ? ST_DONE : ST_SECHDR;
    return LP_EIF_OK;
}

static lp_eif_err parse_section_header(lp_eif_reader *r)
{
    uint64_t at = r->pos - LP_EIF_SECTION_HEADER_LEN;
    uint16_t type = be16(r->sh), flags = be16(r->sh + 2);
    uint64_t size = be64(r->sh + 4);
    lp_eif_section *S = &r->info.sections[r->cur];
    if (type == LP_EIF_SEC_INVALID || type > LP_EIF_SEC_METADATA) return fail(r, LP_EIF_ERR_SECTION_TYPE, at);
    if (flags != 0) return fail(r, LP_EIF_ERR_SECTION_FLAGS, at + 2);
    if (size != S->size) return fail(r, LP_EIF_ERR_SECTION_SIZE, at + 4);
    lp_eif_err e = layout_section(&r->L, type, size);
    if (e) return fail(r, e, at);
    S->type = type;
    r->cur_type = type;
    r->remaining = size;
    if (type == LP_EIF_SEC_SIGNATURE) {
        r->sig = malloc((size_t)size);
        if (!r->sig) return fail(r, LP_EIF_ERR_NOMEM, at);
        r->sig_len = (size_t)size;
        r->sig_fill = 0;
    }
    r->state = ST_PAYLOAD;
    if (size == 0) return end_section(r);
    return LP_EIF_OK;
}

/* Hash block size: keeps each block in cache between the hash passes. */
#define LP_EIF_BLOCK (64u * 1024u)

static lp_eif_err payload(lp_eif_reader *r, const uint8_t *p, size_t n)
{
    r->crc = lp_eif_crc32(r->crc, p, n);
    if (is_measured(r->cur_type)) {
        int later_ramdisk = r->cur_type == LP_EIF_SEC_RAMDISK && r->ramdisk_index > 0;
        for (size_t o = 0; o < n; o += LP_EIF_BLOCK) {
            size_t k = n - o < LP_EIF_BLOCK ? n - o : LP_EIF_BLOCK;
            if (!EVP_DigestUpdate(r->m.h0, p + o, k)) return fail(r, LP_EIF_ERR_CRYPTO, r->pos);
            if (later_ramdisk && !EVP_DigestUpdate(r->m.h2, p + o, k))
                return fail(r, LP_EIF_ERR_CRYPTO, r->pos);
        }
    } else if (r->cur_type == LP_EIF_SEC_SIGNATURE) {
        memcpy(r->sig + r->sig_fill, p, n);
        r->sig_fill += n;
    }
    return LP_EIF_OK;
}

lp_eif_err lp_eif_reader_feed(lp_eif_reader *r, const uint8_t *p, size_t n)
{
    if (!r || (!p && n)) return LP_EIF_ERR_ARG;
    if (r->err) return r->err;
    if (n > r->file_size - r->pos) return fail(r, LP_EIF_ERR_ARG, r->pos);
    lp_eif_err e;
    while (n > 0) {
        size_t k;
        switch (r->state) {
        case ST_HEADER:
            k = LP_EIF_HEADER_LEN - r->hdr_fill;
            if (k > n) k = n;
            memcpy(r->hdr + r->hdr_fill, p, k);
            /* Reject a non-EIF as soon as its first 4 bytes are known. */
            if (r->hdr_fill < 4 && r->hdr_fill + k >= 4 && memcmp(r->hdr, LP_EIF_MAGIC, 4) != 0)
                return fail(r, LP_EIF_ERR_MAGIC, 0);
            r->hdr_fill += k;
            r->pos += k;
            if (r->hdr_fill == LP_EIF_HEADER_LEN && (e = parse_header(r))) return e;
            break;
        case ST_SECHDR:
            k = LP_EIF_SECTION_HEADER_LEN - r->sh_fill;
            if (k > n) k = n;
            memcpy(r->sh + r->sh_fill, p, k);
            r->crc = lp_eif_crc32(r->crc, p, k);
            r->sh_fill += k;
            r->pos += k;
            if (r->sh_fill == LP_EIF_SECTION_HEADER_LEN) {
                r->sh_fill = 0;
                if ((e = parse_section_header(r))) return e;
            }
            break;
        case ST_PAYLOAD:
            k = r->remaining < n ? (size_t)r->remaining : n;
            if ((e = payload(r, p, k))) return e;
            r->remaining -= k;
            r->pos += k;
            if (r->remaining == 0 && (e = end_section(r))) return e;
            break;
        default:
            /* The table tiles the file exactly, so nothing can follow. */
            return fail(r, LP_EIF_ERR_TRAILING_DATA, r->pos);
        }
        p += k;
        n -= k;
    }
    return LP_EIF_OK;
}

lp_eif_err lp_eif_reader_finish(lp_eif_reader *r, lp_eif_info *out)
{
    if (!r || !out) return LP_EIF_ERR_ARG;
    lp_eif_err e = r->err;
    if (!e && r->pos != r->file_size) e = fail(r, LP_EIF_ERR_ARG, r->pos);
    if (!e && r->state != ST_DONE) e = fail(r, LP_EIF_ERR_TRUNCATED, r->pos);
    if (!e && (e = layout_complete(&r->L))) fail(r, e, r->pos);
    if (!e && (e = meas_final(&r->m, r->info.pcr0, r->info.pcr1, r->info.pcr2))) fail(r, e, r->pos);
    if (!e) {
        r->info.crc_computed = r->crc;
        r->info.crc_ok = r->crc == r->info.crc_stored;
        if (!r->info.crc_ok) e = fail(r, LP_EIF_ERR_CRC, LP_EIF_CRC_OFFSET);
    }
    if (!e && r->sig) {
        e = lp_eif_check_signature(r->sig, r->sig_len, r->info.pcr0, r->info.pcr8, &r->info.cose_alg);
        if (e) fail(r, e, r->pos);
        else r->info.is_signed = 1;
    }
    *out = r->info;
    if (e) {
        /* Only an OK result may carry measurements. */
        memset(out->pcr0, 0, sizeof out->pcr0);
        memset(out->pcr1, 0, sizeof out->pcr1);
        memset(out->pcr2, 0, sizeof out->pcr2);
        memset(out->pcr8, 0, sizeof out->pcr8);
        out->is_signed = 0;
    }
    return e;
}

lp_eif_err lp_eif_read(const uint8_t *p, size_t n, lp_eif_info *out)
{
    lp_eif_reader *r;
    lp_eif_err e = lp_eif_reader_new(n, &r);
    if (e) return e;
    e = lp_eif_reader_feed(r, p, n);
    lp_eif_err f = lp_eif_reader_finish(r, out);
    lp_eif_reader_free(r);
    return e ? e : f;
}

/* ---- cmdline trimming (§1.3) -------------------------------------------- */

/* Unicode White_Space (what Rust's char::is_whitespace tests). */
static int is_ws(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

lp_eif_err lp_eif_trim_cmdline(const uint8_t *p, size_t n, size_t *start, size_t *len)
{
    if ((!p && n) || !start || !len) return LP_EIF_ERR_ARG;
    size_t first = n, last_end = 0;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        size_t k = lpc_utf8_next(p + i, n - i, 0, &cp);
        if (!k) return LP_EIF_ERR_CMDLINE;
        if (!is_ws(cp)) {
            if (first == n) first = i;
            last_end = i + k;
        }
        i += k;
    }
    *start = first == n ? 0 : first;
    *len = first == n ? 0 : last_end - first;
    return LP_EIF_OK;
}

/* ---- Builder ---------------------------------------------------------------- */

struct lp_eif_builder {
    uint16_t flags;
    lp_eif_err err;
    unsigned n;
    lp_eif_section secs[LP_EIF_MAX_SECTIONS];
    uint64_t next;          /* position of the next section header */
    int in_section;
    uint16_t cur_type;
    uint64_t remaining;
    unsigned ramdisk_index;
    uint32_t crc_rest;      /* CRC of everything after the 548-byte header */
    uint64_t len_rest;
    layout L;
    meas m;
};

lp_eif_err lp_eif_builder_new(uint16_t flags, lp_eif_builder **out)
{
    if (!out || (flags & ~LP_EIF_FLAG_AARCH64)) return LP_EIF_ERR_ARG;
    *out = NULL;
    lp_eif_builder *b = calloc(1, sizeof *b);
    if (!b) return LP_EIF_ERR_NOMEM;
    b->flags = flags;
    b->next = LP_EIF_HEADER_LEN;
    b->L.version = LP_EIF_VERSION_CURRENT;
    lp_eif_err e = meas_init(&b->m);
    if (e) {
        lp_eif_builder_free(b);
        return e;
    }
    *out = b;
    return LP_EIF_OK;
}

void lp_eif_builder_free(lp_eif_builder *b)
{
    if (!b) return;
    meas_free(&b->m);
    free(b);
}

static lp_eif_err bfail(lp_eif_builder *b, lp_eif_err e)
{
    if (!b->err) b->err = e;
    return b->err;
}

static lp_eif_err builder_end_section(lp_eif_builder *b)
{
    lp_eif_err e;
    if (b->cur_type == LP_EIF_SEC_RAMDISK && b->ramdisk_index++ == 0)
        if ((e = meas_snapshot_pcr1(&b->m))) return bfail(b, e);
    b->in_section = 0;
    return LP_EIF_OK;
}

lp_eif_err lp_eif_builder_begin(lp_eif_builder *b, uint16_t type, uint64_t size,
                                uint8_t hdr[LP_EIF_SECTION_HEADER_LEN])
{
    if (!b || !hdr) return LP_EIF_ERR_ARG;
    if (b->err) return b->err;
    if (b->in_section) return bfail(b, LP_EIF_ERR_STATE);
    if (b->n == LP_EIF_MAX_SECTIONS) return bfail(b, LP_EIF_ERR_SECTION_COUNT);
    if (size > UINT64_MAX - LP_EIF_SECTION_HEADER_LEN - b->next) return bfail(b, LP_EIF_ERR_TOO_LARGE);
    lp_eif_err e = layout_section(&b->L, type, size);
    if (e) return bfail(b, e);
    b->secs[b->n].type = type;
    b->secs[b->n].offset = b->next;
    b->secs[b->n].size = size;
    b->n++;
    b->next += LP_EIF_SECTION_HEADER_LEN + size;
    put16(hdr, type);
    put16(hdr + 2, 0);
    put64(hdr + 4, size);
    b->crc_rest = lp_eif_crc32(b->crc_rest, hdr, LP_EIF_SECTION_HEADER_LEN);
    b->len_rest += LP_EIF_SECTION_HEADER_LEN;
    b->cur_type = type;
    b->remaining = size;
    b->in_section = 1;
    if (size == 0) return builder_end_section(b);
    return LP_EIF_OK;
}

lp_eif_err lp_eif_builder_feed(lp_eif_builder *b, const uint8_t *p, size_t n)
{
    if (!b || (!p && n)) return LP_EIF_ERR_ARG;
    if (b->err) return b->err;
    if (n == 0) return LP_EIF_OK;
    if (!b->in_section || n > b->remaining) return bfail(b, LP_EIF_ERR_STATE);
    b->crc_rest = lp_eif_crc32(b->crc_rest, p, n);
    b->len_rest += n;
    if (is_measured(b->cur_type)) {
        int later = b->cur_type == LP_EIF_SEC_RAMDISK && b->ramdisk_index > 0;
        for (size_t o = 0; o < n; o += LP_EIF_BLOCK) {
            size_t k = n - o < LP_EIF_BLOCK ? n - o : LP_EIF_BLOCK;
            if (!EVP_DigestUpdate(b->m.h0, p + o, k)) return bfail(b, LP_EIF_ERR_CRYPTO);
            if (later && !EVP_DigestUpdate(b->m.h2, p + o, k)) return bfail(b, LP_EIF_ERR_CRYPTO);
        }
    }
    b->remaining -= n;
    if (b->remaining == 0) return builder_end_section(b);
    return LP_EIF_OK;
}

lp_eif_err lp_eif_builder_pcr0(lp_eif_builder *b, uint8_t pcr0[LP_EIF_PCR_LEN])
{
    if (!b || !pcr0) return LP_EIF_ERR_ARG;
    if (b->err) return b->err;
    if (b->in_section || !b->m.have_d1) return LP_EIF_ERR_STATE;
    return meas_pcr0(&b->m, pcr0);
}

lp_eif_err lp_eif_builder_finish(lp_eif_builder *b, uint8_t header[LP_EIF_HEADER_LEN],
                                 uint64_t *total_size)
{
    if (!b || !header || !total_size) return LP_EIF_ERR_ARG;
    if (b->err) return b->err;
    if (b->in_section) return bfail(b, LP_EIF_ERR_STATE);
    if (b->n < LP_EIF_MIN_SECTIONS) return bfail(b, LP_EIF_ERR_SECTION_COUNT);
    lp_eif_err e = layout_complete(&b->L);
    if (e) return bfail(b, e);
    memset(header, 0, LP_EIF_HEADER_LEN);
    memcpy(header + H_MAGIC, LP_EIF_MAGIC, 4);
    put16(header + H_VERSION, LP_EIF_VERSION_CURRENT);
    put16(header + H_FLAGS, b->flags);
    put64(header + H_MEM, LP_EIF_DEFAULT_MEM);
    put64(header + H_CPUS, LP_EIF_DEFAULT_CPUS);
    put16(header + H_NSEC, (uint16_t)b->n);
    for (unsigned i = 0; i < b->n; i++) {
        put64(header + H_OFFSETS + 8 * i, b->secs[i].offset);
        put64(header + H_SIZES + 8 * i, b->secs[i].size);
    }
    /* CRC(header[0..544] || rest), the header being written last (§1.4). */
    uint32_t crc = lp_eif_crc32(0, header, LP_EIF_CRC_OFFSET);
    _Static_assert(sizeof(z_off_t) >= 8, "z_off_t must hold 64-bit lengths");
    crc = (uint32_t)crc32_combine(crc, b->crc_rest, (z_off_t)b->len_rest);
    put32(header + H_CRC, crc);
    *total_size = b->next;
    b->err = LP_EIF_ERR_STATE; /* finished: no further use */
    return LP_EIF_OK;
}

lp_eif_err lp_eif_assemble(const lp_eif_parts *parts, uint8_t **out, size_t *len)
{
    if (!parts || !out || !len || (parts->n_ramdisks && !parts->ramdisks)) return LP_EIF_ERR_ARG;
    *out = NULL;
    *len = 0;
    lp_eif_blob list[LP_EIF_MAX_SECTIONS];
    uint16_t types[LP_EIF_MAX_SECTIONS];
    size_t n = 0;
    if (parts->n_ramdisks > LP_EIF_MAX_SECTIONS - 4) return LP_EIF_ERR_SECTION_COUNT;
    /* §1.3 file order: kernel, cmdline, metadata, ramdisks, signature. */
    list[n] = parts->kernel; types[n++] = LP_EIF_SEC_KERNEL;
    list[n] = parts->cmdline; types[n++] = LP_EIF_SEC_CMDLINE;
    list[n] = parts->metadata; types[n++] = LP_EIF_SEC_METADATA;
    for (size_t i = 0; i < parts->n_ramdisks; i++) {
        list[n] = parts->ramdisks[i];
        types[n++] = LP_EIF_SEC_RAMDISK;
    }
    if (parts->signature.p) {
        list[n] = parts->signature;
        types[n++] = LP_EIF_SEC_SIGNATURE;
    }
    size_t total = LP_EIF_HEADER_LEN;
    for (size_t i = 0; i < n; i++) {
        if (!list[i].p && list[i].len) return LP_EIF_ERR_ARG;
        if (list[i].len > SIZE_MAX - LP_EIF_SECTION_HEADER_LEN - total) return LP_EIF_ERR_TOO_LARGE;
        total += LP_EIF_SECTION_HEADER_LEN + list[i].len;
    }
    uint8_t *buf = malloc(total);
    if (!buf) return LP_EIF_ERR_NOMEM;
    lp_eif_builder *b;
    lp_eif_err e = lp_eif_builder_new(parts->flags, &b);
    if (e) {
        free(buf);
        return e;
    }
    size_t at = LP_EIF_HEADER_LEN;
    uint64_t t = 0;
    for (size_t i = 0; i < n && !e; i++) {
        e = lp_eif_builder_begin(b, types[i], list[i].len, buf + at);
        at += LP_EIF_SECTION_HEADER_LEN;
        if (!e && list[i].len) {
            memcpy(buf + at, list[i].p, list[i].len);
            e = lp_eif_builder_feed(b, list[i].p, list[i].len);
        }
        at += list[i].len;
    }
    if (!e) e = lp_eif_builder_finish(b, buf, &t);
    lp_eif_builder_free(b);
    if (!e && t != total) e = LP_EIF_ERR_STATE;
    if (e) {
        free(buf);
        return e;
    }
    *out = buf;
    *len = total;
    return LP_EIF_OK;
}
