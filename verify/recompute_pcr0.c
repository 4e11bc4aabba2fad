/* recompute_pcr0: PCRs of an Enclave Image File as `nitro-cli describe-eif`
 * prints them, deterministic EIF assembly, and Leadpoet's gateway code_hash.
 * Spec: eif-pcr-repro.md §1-§3, leadpoet-formats.md §13.6.  All parsing and
 * hashing is in attest/; this file does arguments, files and printing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "attest/code_hash.h"
#include "attest/eif.h"
#include "canonical/lpc_utf8.h"
#include "canonical/lpc_hash.h"
#include "verify/cli_common.h"

#define TOOL "recompute_pcr0"

/* Input caps (named limits; EIF payloads are streamed, not capped). */
#define CAP_KERNEL      (512u << 20)  /* a bzImage/Image is a few MB */
#define CAP_CMDLINE     (64u << 10)
#define CAP_METADATA    (16u << 20)
#define CAP_PEM         (64u << 10)
#define CAP_STDIN_EIF   (1u << 30)    /* "-" has no size up front: read it whole */
#define CAP_CODE_FILE   (64u << 20)   /* one gateway source file */
#define CAP_CODE_TOTAL  (1024u << 20) /* all selected gateway files */
#define MAX_CODE_FILES  200000u
#define MAX_WALK_DEPTH  64
#define MAX_RAMDISKS    (LP_EIF_MAX_SECTIONS - 4)
#define MAX_EXPECT      8
#define IO_CHUNK        (1u << 20)

/* nitro-cli prints the Debug string of its hasher; treated as opaque (§1.8). */
#define HASH_ALGORITHM "Sha384 { ... }"

/* Written when --metadata is absent: the §1.5 field layout with fixed values. */
static const char DEFAULT_METADATA[] =
    "{\"ImageName\":\"\",\"ImageVersion\":\"\",\"BuildMetadata\":{\"BuildTime\":"
    "\"1970-01-01T00:00:00+00:00\",\"BuildTool\":\"recompute_pcr0\",\"BuildToolVersion\":\"1\","
    "\"OperatingSystem\":\"\",\"KernelVersion\":\"\"},\"DockerInfo\":null,\"CustomMetadata\":null}";

static void usage(FILE *f)
{
    fputs("usage: " TOOL " [--json] [--expect-pcr0 HEX] [--expect-pcr N=HEX]... IMAGE.eif\n"
          "       " TOOL " --build OUT.eif --kernel FILE --cmdline FILE --ramdisk FILE [--ramdisk FILE]...\n"
          "              [--metadata FILE] [--arch x86_64|aarch64] [--signing-cert PEM --signing-key PEM]\n"
          "       " TOOL " --code-hash [--era current|v1] GATEWAY_DIR\n"
          "exit: 0 verified, 1 mismatch or bad signature, 2 could not decide\n",
          f);
}

/* ---- Reporting ----------------------------------------------------------- */

typedef struct {
    int json;
    json_t *report;   /* the one JSON object */
    json_t *checks;
    FILE *human;      /* stdout lines when not --json */
} out_t;

static void out_init(out_t *o, int json)
{
    o->json = json;
    o->report = json_object();
    o->checks = json_array();
    json_object_set_new(o->report, "checks", o->checks);
    o->human = stdout;
}

static void check(out_t *o, const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void check(out_t *o, const char *name, int ok, const char *fmt, ...)
{
    char d[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    json_t *c = json_object();
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "ok", json_boolean(ok));
    json_object_set_new(c, "detail", json_string(d));
    json_array_append_new(o->checks, c);
}

/* Prints the report and returns the exit status for result. */
static int finish(out_t *o, const char *result, int status, const char *msg)
{
    json_object_set_new(o->report, "result", json_string(result));
    if (strcmp(result, "OK") != 0) lp_cli_error(TOOL, result, "%s", msg);
    if (o->json) {
        char *s = json_dumps(o->report, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_ENSURE_ASCII);
        if (s) {
            fputs(s, stdout);
            fputc('\n', stdout);
            free(s);
        }
    } else {
        if (strcmp(result, "OK") == 0) printf("OK\n");
        else printf("%s: %s\n", result, msg);
    }
    json_decref(o->report);
    return status;
}

static void hex(const uint8_t *p, size_t n, char *s)
{
    lpc_hex_encode(p, n, s);
}

/* Exactly 96 hex digits (either case). */
static int unhex48(const char *s, uint8_t out[LP_EIF_PCR_LEN])
{
    size_t n = 0;
    return strlen(s) == 2 * LP_EIF_PCR_LEN && lpc_hex_decode(s, strlen(s), out, LP_EIF_PCR_LEN, &n) == LPC_OK;
}

/* Exit status of a reader/builder error (DESIGN: 1 = verification failed). */
static int status_of(lp_eif_err e)
{
    return (e == LP_EIF_ERR_SIGNATURE_INVALID || e == LP_EIF_ERR_SIGNATURE_PCR0) ? LP_EXIT_FAIL
                                                                                 : LP_EXIT_UNDECIDED;
}

/* ---- Reading an EIF (streamed) -------------------------------------------- */

static lp_eif_err read_eif(const char *path, lp_eif_info *info, uint64_t *err_off, char *why, size_t wl)
{
    lp_eif_reader *r = NULL;
    lp_eif_err e;
    *err_off = 0;
    why[0] = 0;
    if (strcmp(path, "-") == 0) {
        uint8_t *buf;
        size_t n;
        lp_read_status rs = lp_read_input(path, CAP_STDIN_EIF, &buf, &n, why, wl);
        if (rs != LP_READ_OK) return rs == LP_READ_TOO_LARGE ? LP_EIF_ERR_TOO_LARGE : LP_EIF_ERR_ARG;
        if ((e = lp_eif_reader_new(n, &r))) {
            free(buf);
            return e;
        }
        e = lp_eif_reader_feed(r, buf, n);
        free(buf);
    } else {
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(why, wl, "%s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
            if (fd >= 0) close(fd);
            return LP_EIF_ERR_ARG;
        }
        if ((e = lp_eif_reader_new((uint64_t)st.st_size, &r))) {
            close(fd);
            return e;
        }
        uint8_t *buf = malloc(IO_CHUNK);
        uint64_t got = 0;
        if (!buf) e = LP_EIF_ERR_NOMEM;
        while (!e) {
            ssize_t k = read(fd, buf, IO_CHUNK);
            if (k < 0 && errno == EINTR) continue;
            if (k < 0) {
                snprintf(why, wl, "%s: %s", path, strerror(errno));
                e = LP_EIF_ERR_ARG;
                break;
            }
            if (k == 0) break;
            if ((uint64_t)k > (uint64_t)st.st_size - got) {
                snprintf(why, wl, "%s: file grew while reading", path);
                e = LP_EIF_ERR_ARG;
                break;
            }
            got += (uint64_t)k;
            e = lp_eif_reader_feed(r, buf, (size_t)k);
        }
        free(buf);
        close(fd);
        if (!e && got != (uint64_t)st.st_size) {
            snprintf(why, wl, "%s: file shrank while reading", path);
            e = LP_EIF_ERR_ARG;
        }
    }
    lp_eif_err f = lp_eif_reader_finish(r, info);
    *err_off = lp_eif_reader_error_offset(r);
    lp_eif_reader_free(r);
    return e ? e : f;
}

/* Adds the describe-eif fields of a valid image. */
static void describe(out_t *o, const lp_eif_info *I)
{
    char h[2 * LP_EIF_PCR_LEN + 1];
    json_t *m = json_object();
    json_object_set_new(m, "HashAlgorithm", json_string(HASH_ALGORITHM));
    hex(I->pcr0, LP_EIF_PCR_LEN, h);
    json_object_set_new(m, "PCR0", json_string(h));
    if (!o->json) printf("PCR0: %s\n", h);
    hex(I->pcr1, LP_EIF_PCR_LEN, h);
    json_object_set_new(m, "PCR1", json_string(h));
    if (!o->json) printf("PCR1: %s\n", h);
    hex(I->pcr2, LP_EIF_PCR_LEN, h);
    json_object_set_new(m, "PCR2", json_string(h));
    if (!o->json) printf("PCR2: %s\n", h);
    if (I->is_signed) {
        hex(I->pcr8, LP_EIF_PCR_LEN, h);
        json_object_set_new(m, "PCR8", json_string(h));
        if (!o->json) printf("PCR8: %s\n", h);
    }
    json_object_set_new(o->report, "Measurements", m);
    json_object_set_new(o->report, "EifVersion", json_integer(I->version));
    const char *arch = (I->flags & LP_EIF_FLAG_AARCH64) ? "aarch64" : "x86_64";
    json_object_set_new(o->report, "Arch", json_string(arch));
    json_object_set_new(o->report, "CheckCRC", json_boolean(I->crc_ok));
    json_object_set_new(o->report, "IsSigned", json_boolean(I->is_signed));
    if (I->is_signed) json_object_set_new(o->report, "SignatureCheck", json_true());
    json_t *secs = json_array();
    for (unsigned i = 0; i < I->num_sections; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "type", json_string(lp_eif_section_name(I->sections[i].type)));
        json_object_set_new(s, "offset", json_integer((json_int_t)I->sections[i].offset));
        json_object_set_new(s, "size", json_integer((json_int_t)I->sections[i].size));
        json_array_append_new(secs, s);
        if (!o->json)
            printf("Section %u: %s offset %llu size %llu\n", i, lp_eif_section_name(I->sections[i].type),
                   (unsigned long long)I->sections[i].offset, (unsigned long long)I->sections[i].size);
    }
    json_object_set_new(o->report, "Sections", secs);
    if (!o->json) {
        printf("EifVersion: %u\nArch: %s\nCheckCRC: %s\nIsSigned: %s\n", I->version, arch,
               I->crc_ok ? "true" : "false", I->is_signed ? "true" : "false");
        if (I->is_signed) printf("SignatureCheck: true\n");
    }
}

/* Records the structure/crc/signature checks of a read and returns 0 or the
 * exit status of the failure (after printing). */
static int report_read(out_t *o, const char *path, lp_eif_err e, const lp_eif_info *I, uint64_t off,
                       const char *why, int *done)
{
    char msg[1200];
    *done = 0;
    if (!e) {
        check(o, "structure", 1, "EIF v%u, %u sections, %llu bytes", I->version, I->num_sections,
              (unsigned long long)I->file_size);
        check(o, "crc", 1, "%08x", I->crc_computed);
        if (I->is_signed) check(o, "signature", 1, "COSE_Sign1 alg %d over PCR0 verifies", I->cose_alg);
        describe(o, I);
        return 0;
    }
    if (why[0]) snprintf(msg, sizeof msg, "%s", why);
    else snprintf(msg, sizeof msg, "%s: %s (at byte %llu)", path, lp_eif_strerror(e), (unsigned long long)off);
    if (e == LP_EIF_ERR_CRC) {
        check(o, "structure", 1, "EIF v%u, %u sections", I->version, I->num_sections);
        check(o, "crc", 0, "stored %08x, computed %08x", I->crc_stored, I->crc_computed);
        json_object_set_new(o->report, "CheckCRC", json_false());
        snprintf(msg, sizeof msg, "%s: stored CRC32 %08x, computed %08x", path, I->crc_stored, I->crc_computed);
    } else if (e >= LP_EIF_ERR_SIGNATURE_FORMAT && e <= LP_EIF_ERR_SIGNATURE_INVALID) {
        check(o, "structure", 1, "EIF v%u, %u sections", I->version, I->num_sections);
        check(o, "crc", 1, "%08x", I->crc_computed);
        check(o, "signature", 0, "%s", lp_eif_strerror(e));
    } else {
        check(o, "structure", 0, "%s", msg);
    }
    *done = 1;
    /* why is set only for I/O problems (open, read, size changes). */
    return finish(o, why[0] && e == LP_EIF_ERR_ARG ? "INPUT_UNREADABLE" : lp_eif_errname(e), status_of(e), msg);
}

/* ---- Describe mode ------------------------------------------------------- */

typedef struct { int idx; uint8_t v[LP_EIF_PCR_LEN]; } expect_t;

static int run_describe(int json, const char *path, const expect_t *ex, size_t nex)
{
    out_t o;
    out_init(&o, json);
    lp_eif_info I;
    uint64_t off;
    char why[600];
    lp_eif_err e = read_eif(path, &I, &off, why, sizeof why);
    int done, st = report_read(&o, path, e, &I, off, why, &done);
    if (done) return st;
    char bad[1024] = "";
    for (size_t i = 0; i < nex; i++) {
        const uint8_t *have = ex[i].idx == 0 ? I.pcr0 : ex[i].idx == 1 ? I.pcr1 : ex[i].idx == 2 ? I.pcr2
                            : I.is_signed ? I.pcr8 : NULL;
        char name[8], hv[2 * LP_EIF_PCR_LEN + 1], hw[2 * LP_EIF_PCR_LEN + 1];
        snprintf(name, sizeof name, "pcr%d", ex[i].idx);
        hex(ex[i].v, LP_EIF_PCR_LEN, hw);
        int ok = have && memcmp(have, ex[i].v, LP_EIF_PCR_LEN) == 0;
        if (have) hex(have, LP_EIF_PCR_LEN, hv);
        else snprintf(hv, sizeof hv, "absent (unsigned image)");
        check(&o, name, ok, ok ? "matches %s" : "expected %s, image has %s", hw, hv);
        if (!ok) {
            size_t l = strlen(bad);
            if (have)
                snprintf(bad + l, sizeof bad - l, "%sPCR%d expected %.16s..., image has %.16s...",
                         l ? "; " : "", ex[i].idx, hw, hv);
            else
                snprintf(bad + l, sizeof bad - l, "%sPCR%d expected %.16s..., image is unsigned (no PCR8)",
                         l ? "; " : "", ex[i].idx, hw);
        }
    }
    if (bad[0]) return finish(&o, "PCR_MISMATCH", LP_EXIT_FAIL, bad);
    return finish(&o, "OK", LP_EXIT_OK, "");
}

/* ---- Build mode ----------------------------------------------------------- */

typedef struct {
    const char *out, *kernel, *cmdline, *metadata, *cert, *key;
    const char *ramdisks[MAX_RAMDISKS];
    size_t n_ramdisks;
    uint16_t flags;
} build_args;

static int read_capped(const char *path, size_t cap, uint8_t **buf, size_t *n, char *why, size_t wl)
{
    lp_read_status s = lp_read_input(path, cap, buf, n, why, wl);
    return s == LP_READ_OK;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* One section from memory. */
static lp_eif_err put_mem(lp_eif_builder *b, int fd, uint16_t type, const uint8_t *p, size_t n, int *ioerr)
{
    uint8_t hdr[LP_EIF_SECTION_HEADER_LEN];
    lp_eif_err e = lp_eif_builder_begin(b, type, n, hdr);
    if (!e) e = lp_eif_builder_feed(b, p, n);
    if (!e && (!write_all(fd, hdr, sizeof hdr) || !write_all(fd, p, n))) *ioerr = 1;
    return e;
}

/* One ramdisk streamed from its file. */
static lp_eif_err put_file(lp_eif_builder *b, int fd, const char *path, uint8_t *buf, int *ioerr,
                           char *why, size_t wl)
{
    int in = open(path, O_RDONLY);
    struct stat st;
    if (in < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, wl, "%s: %s", path, in < 0 ? strerror(errno) : "not a regular file");
        if (in >= 0) close(in);
        *ioerr = 1;
        return LP_EIF_OK;
    }
    uint8_t hdr[LP_EIF_SECTION_HEADER_LEN];
    lp_eif_err e = lp_eif_builder_begin(b, LP_EIF_SEC_RAMDISK, (uint64_t)st.st_size, hdr);
    if (!e && !write_all(fd, hdr, sizeof hdr)) *ioerr = 1;
    uint64_t left = (uint64_t)st.st_size;
    while (!e && !*ioerr && left) {
        ssize_t k = read(in, buf, left < IO_CHUNK ? (size_t)left : IO_CHUNK);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            snprintf(why, wl, "%s: %s", path, k < 0 ? strerror(errno) : "file shrank while reading");
            *ioerr = 1;
            break;
        }
        e = lp_eif_builder_feed(b, buf, (size_t)k);
        if (!e && !write_all(fd, buf, (size_t)k)) *ioerr = 1;
        left -= (uint64_t)k;
    }
    close(in);
    return e;
}

static int run_build(int json, const build_args *a)
{
    out_t o;
    out_init(&o, json);
    char why[600] = "", msg[1200];
    uint8_t *kernel = NULL, *cmd = NULL, *meta = NULL, *cert = NULL, *key = NULL, *sig = NULL, *buf = NULL;
    size_t kl = 0, cl = 0, ml = 0, certl = 0, keyl = 0, sigl = 0;
    int status = LP_EXIT_UNDECIDED, fd = -1, ioerr = 0;
    const char *code = "IO_ERROR";
    char tmp[4096];
    lp_eif_builder *b = NULL;
    lp_eif_err e = LP_EIF_OK;
    tmp[0] = 0;

    if (!read_capped(a->kernel, CAP_KERNEL, &kernel, &kl, why, sizeof why) ||
        !read_capped(a->cmdline, CAP_CMDLINE, &cmd, &cl, why, sizeof why) ||
        (a->metadata && !read_capped(a->metadata, CAP_METADATA, &meta, &ml, why, sizeof why)) ||
        (a->cert && !read_capped(a->cert, CAP_PEM, &cert, &certl, why, sizeof why)) ||
        (a->key && !read_capped(a->key, CAP_PEM, &key, &keyl, why, sizeof why))) {
        code = "INPUT_UNREADABLE";
        snprintf(msg, sizeof msg, "%s", why);
        goto fail;
    }
    size_t cs = 0, cn = 0;
    if ((e = lp_eif_trim_cmdline(cmd, cl, &cs, &cn))) goto eiferr;
    if (meta) {
        json_error_t je;
        json_t *mj = json_loadb((const char *)meta, ml, 0, &je);
        if (!mj) {
            code = "BAD_METADATA";
            snprintf(msg, sizeof msg, "%s: not JSON (%s, line %d)", a->metadata, je.text, je.line);
            goto fail;
        }
        json_decref(mj);
    }
    /* Temporary file beside OUT, renamed into place only when complete. */
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", a->out) >= sizeof tmp) {
        code = "BAD_ARGUMENT";
        snprintf(msg, sizeof msg, "output path too long");
        tmp[0] = 0;
        goto fail;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(msg, sizeof msg, "%s: %s", a->out, strerror(errno));
        tmp[0] = 0;
        goto fail;
    }
    if (fchmod(fd, 0644) != 0) { ioerr = 1; }
    uint8_t header[LP_EIF_HEADER_LEN];
    memset(header, 0, sizeof header);
    if (!ioerr && !write_all(fd, header, sizeof header)) ioerr = 1;
    if (!(buf = malloc(IO_CHUNK))) { e = LP_EIF_ERR_NOMEM; goto eiferr; }
    if ((e = lp_eif_builder_new(a->flags, &b))) goto eiferr;
    /* §1.3 order: kernel, cmdline, metadata, ramdisks..., signature. */
    if (!ioerr) e = put_mem(b, fd, LP_EIF_SEC_KERNEL, kernel, kl, &ioerr);
    if (!e && !ioerr) e = put_mem(b, fd, LP_EIF_SEC_CMDLINE, cmd + cs, cn, &ioerr);
    if (!e && !ioerr)
        e = meta ? put_mem(b, fd, LP_EIF_SEC_METADATA, meta, ml, &ioerr)
                 : put_mem(b, fd, LP_EIF_SEC_METADATA, (const uint8_t *)DEFAULT_METADATA,
                           sizeof DEFAULT_METADATA - 1, &ioerr);
    for (size_t i = 0; i < a->n_ramdisks && !e && !ioerr; i++)
        e = put_file(b, fd, a->ramdisks[i], buf, &ioerr, why, sizeof why);
    if (!e && !ioerr && cert) {
        uint8_t pcr0[LP_EIF_PCR_LEN];
        if (!(e = lp_eif_builder_pcr0(b, pcr0)) && !(e = lp_eif_sign(pcr0, cert, certl, key, keyl, &sig, &sigl)))
            e = put_mem(b, fd, LP_EIF_SEC_SIGNATURE, sig, sigl, &ioerr);
    }
    uint64_t total = 0;
    if (!e && !ioerr) e = lp_eif_builder_finish(b, header, &total);
    if (e) goto eiferr;
    if (ioerr || pwrite(fd, header, sizeof header, 0) != (ssize_t)sizeof header || fsync(fd) != 0) {
        snprintf(msg, sizeof msg, "%s", why[0] ? why : "cannot write the output file");
        if (why[0]) code = "INPUT_UNREADABLE";
        goto fail;
    }
    close(fd);
    fd = -1;
    if (rename(tmp, a->out) != 0) {
        snprintf(msg, sizeof msg, "%s: %s", a->out, strerror(errno));
        goto fail;
    }
    tmp[0] = 0;
    check(&o, "build", 1, "%s: %llu bytes", a->out, (unsigned long long)total);
    /* Read the written file back: its PCRs are what we print (fail closed). */
    {
        lp_eif_info I;
        uint64_t off;
        char rwhy[600];
        lp_eif_err r = read_eif(a->out, &I, &off, rwhy, sizeof rwhy);
        int done;
        status = report_read(&o, a->out, r, &I, off, rwhy, &done);
        if (!done) status = finish(&o, "OK", LP_EXIT_OK, "");
        goto cleanup;
    }
eiferr:
    code = lp_eif_errname(e);
    snprintf(msg, sizeof msg, "%s%s%s", lp_eif_strerror(e), why[0] ? ": " : "", why);
fail:
    check(&o, "build", 0, "%s", msg);
    status = finish(&o, code, LP_EXIT_UNDECIDED, msg);
cleanup:
    if (fd >= 0) close(fd);
    if (tmp[0]) unlink(tmp);
    lp_eif_builder_free(b);
    free(kernel);
    free(cmd);
    free(meta);
    if (key) {
        memset(key, 0, keyl);
        free(key);
    }
    free(cert);
    free(sig);
    free(buf);
    return status;
}

/* ---- Code-hash mode ------------------------------------------------------- */

typedef struct {
    lp_codehash_era era;
    lp_codehash_file *files;
    size_t n, cap, total;
    char why[1200];
    const char *code;
} walk_t;

static int add_file(walk_t *w, const char *full, const char *logical)
{
    if (w->n == MAX_CODE_FILES) {
        w->code = "INPUT_TOO_LARGE";
        snprintf(w->why, sizeof w->why, "more than %u files", MAX_CODE_FILES);
        return 0;
    }
    uint8_t *buf;
    size_t n;
    char err[600];
    lp_read_status s = lp_read_input(full, CAP_CODE_FILE, &buf, &n, err, sizeof err);
    if (s != LP_READ_OK) {
        w->code = s == LP_READ_TOO_LARGE ? "INPUT_TOO_LARGE" : "INPUT_UNREADABLE";
        snprintf(w->why, sizeof w->why, "%s", err);
        return 0;
    }
    if (n > CAP_CODE_TOTAL - w->total) {
        free(buf);
        w->code = "INPUT_TOO_LARGE";
        snprintf(w->why, sizeof w->why, "selected files exceed %u bytes", CAP_CODE_TOTAL);
        return 0;
    }
    if (w->n == w->cap) {
        size_t nc = w->cap ? 2 * w->cap : 64;
        lp_codehash_file *f = realloc(w->files, nc * sizeof *f);
        if (!f) {
            free(buf);
            w->code = "OUT_OF_MEMORY";
            snprintf(w->why, sizeof w->why, "out of memory");
            return 0;
        }
        w->files = f;
        w->cap = nc;
    }
    char *lp = strdup(logical);
    if (!lp) {
        free(buf);
        w->code = "OUT_OF_MEMORY";
        snprintf(w->why, sizeof w->why, "out of memory");
        return 0;
    }
    w->files[w->n].path = lp;
    w->files[w->n].content = buf;
    w->files[w->n].len = n;
    w->n++;
    w->total += n;
    return 1;
}

/* Depth-first walk; logical is "" at the root. */
static int walk(walk_t *w, const char *full, const char *logical, int depth)
{
    if (depth > MAX_WALK_DEPTH) {
        w->code = "TREE_TOO_DEEP";
        snprintf(w->why, sizeof w->why, "%.900s: deeper than %d levels", full, MAX_WALK_DEPTH);
        return 0;
    }
    DIR *d = opendir(full);
    if (!d) {
        w->code = "INPUT_UNREADABLE";
        snprintf(w->why, sizeof w->why, "%.900s: %s", full, strerror(errno));
        return 0;
    }
    int ok = 1;
    struct dirent *de;
    while (ok && (errno = 0, de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char fp[8192], lp[LP_CODEHASH_MAX_PATH + 1];
        if ((size_t)snprintf(fp, sizeof fp, "%s/%s", full, de->d_name) >= sizeof fp ||
            (size_t)snprintf(lp, sizeof lp, "%s%s%s", logical, logical[0] ? "/" : "", de->d_name) >= sizeof lp) {
            w->code = "BAD_PATH";
            snprintf(w->why, sizeof w->why, "%.500s/%.300s: path too long", full, de->d_name);
            ok = 0;
            break;
        }
        struct stat st;
        if (lstat(fp, &st) != 0) {
            w->code = "INPUT_UNREADABLE";
            snprintf(w->why, sizeof w->why, "%.900s: %s", fp, strerror(errno));
            ok = 0;
            break;
        }
        int relevant_dir = lp_codehash_dir_relevant(w->era, lp);
        int selected = lp_codehash_selected(w->era, lp);
        if (!lpc_utf8_valid((const uint8_t *)de->d_name, strlen(de->d_name), 0, NULL)) {
            /* Leadpoet's Python cannot encode such a path if it is selected;
             * below the root every entry may be, so refuse rather than guess. */
            if (logical[0]) {
                w->code = "BAD_PATH";
                snprintf(w->why, sizeof w->why, "%.900s: file name is not UTF-8", fp);
                ok = 0;
                break;
            }
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            if (selected || relevant_dir) {
                w->code = "SYMLINK_IN_TREE";
                snprintf(w->why, sizeof w->why, "%.900s: symbolic links are refused", fp);
                ok = 0;
            }
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (relevant_dir) ok = walk(w, fp, lp, depth + 1);
        } else if (S_ISREG(st.st_mode) && selected) {
            ok = add_file(w, fp, lp);
        }
    }
    if (ok && errno) {
        w->code = "INPUT_UNREADABLE";
        snprintf(w->why, sizeof w->why, "%.900s: %s", full, strerror(errno));
        ok = 0;
    }
    closedir(d);
    return ok;
}

static int run_code_hash(int json, const char *era_s, const char *dir)
{
    out_t o;
    out_init(&o, json);
    walk_t w;
    memset(&w, 0, sizeof w);
    w.era = strcmp(era_s, "v1") == 0 ? LP_CODEHASH_V1 : LP_CODEHASH_CURRENT;
    json_object_set_new(o.report, "era", json_string(era_s));
    struct stat st;
    int status;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char m[600];
        snprintf(m, sizeof m, "%s: %s", dir, errno ? strerror(errno) : "not a directory");
        check(&o, "walk", 0, "%s", m);
        return finish(&o, "INPUT_UNREADABLE", LP_EXIT_UNDECIDED, m);
    }
    if (!walk(&w, dir, "", 0)) {
        check(&o, "walk", 0, "%s", w.why);
        status = finish(&o, w.code, LP_EXIT_UNDECIDED, w.why);
        goto done;
    }
    check(&o, "walk", 1, "%zu files selected", w.n);
    uint8_t h[LP_CODEHASH_LEN];
    size_t *order = malloc((w.n ? w.n : 1) * sizeof *order), m = 0;
    lp_eif_err e = order ? lp_codehash_order(w.era, w.files, w.n, order, &m) : LP_EIF_ERR_NOMEM;
    if (!e) e = lp_codehash_compute(w.era, w.files, w.n, h, NULL);
    if (e) {
        free(order);
        check(&o, "code_hash", 0, "%s", lp_eif_strerror(e));
        status = finish(&o, lp_eif_errname(e), LP_EXIT_UNDECIDED, lp_eif_strerror(e));
        goto done;
    }
    char hx[2 * LP_CODEHASH_LEN + 1];
    hex(h, LP_CODEHASH_LEN, hx);
    json_t *list = json_array();
    for (size_t i = 0; i < m; i++) {
        json_array_append_new(list, json_string(w.files[order[i]].path));
        if (!json) printf("file: %s\n", w.files[order[i]].path);
    }
    free(order);
    json_object_set_new(o.report, "files", list);
    json_object_set_new(o.report, "code_hash", json_string(hx));
    check(&o, "code_hash", 1, "%s era, %zu files", era_s, m);
    if (!json) printf("code_hash (%s): %s\n", era_s, hx);
    status = finish(&o, "OK", LP_EXIT_OK, "");
done:
    for (size_t i = 0; i < w.n; i++) {
        free((void *)w.files[i].path);
        free((void *)w.files[i].content);
    }
    free(w.files);
    return status;
}

/* ---- Arguments ---------------------------------------------------------- */

static int usage_error(const char *fmt, const char *arg)
{
    char m[512];
    snprintf(m, sizeof m, fmt, arg ? arg : "");
    lp_cli_error(TOOL, "USAGE", "%s", m);
    usage(stderr);
    return LP_EXIT_UNDECIDED;
}

int main(int argc, char **argv)
{
    int json = 0, code_hash = 0;
    const char *era = "current", *image = NULL, *arch = NULL;
    build_args b;
    memset(&b, 0, sizeof b);
    expect_t ex[MAX_EXPECT];
    size_t nex = 0;
    int building = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDV() do { if (!v) return usage_error("%s needs a value", a); i++; } while (0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf(TOOL " " LP_VERSION_STRING "\n");
            return LP_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--expect-pcr0") || !strcmp(a, "--expect-pcr")) {
            NEEDV();
            if (nex == MAX_EXPECT) return usage_error("too many expectations%s", "");
            const char *hx = v;
            int idx = 0;
            if (!strcmp(a, "--expect-pcr")) {
                const char *eq = strchr(v, '=');
                if (!eq || eq - v != 1 || (v[0] != '0' && v[0] != '1' && v[0] != '2' && v[0] != '8'))
                    return usage_error("--expect-pcr wants N=HEX with N in 0, 1, 2, 8: %s", v);
                idx = v[0] - '0';
                hx = eq + 1;
            }
            if (!unhex48(hx, ex[nex].v)) return usage_error("expected PCR is not 96 hex digits: %s", hx);
            ex[nex++].idx = idx;
        } else if (!strcmp(a, "--build")) {
            NEEDV(); b.out = v; building = 1;
        } else if (!strcmp(a, "--kernel")) {
            NEEDV(); b.kernel = v;
        } else if (!strcmp(a, "--cmdline")) {
            NEEDV(); b.cmdline = v;
        } else if (!strcmp(a, "--ramdisk")) {
            NEEDV();
            if (b.n_ramdisks == MAX_RAMDISKS) return usage_error("too many ramdisks%s", "");
            b.ramdisks[b.n_ramdisks++] = v;
        } else if (!strcmp(a, "--metadata")) {
            NEEDV(); b.metadata = v;
        } else if (!strcmp(a, "--arch")) {
            NEEDV(); arch = v;
        } else if (!strcmp(a, "--signing-cert")) {
            NEEDV(); b.cert = v;
        } else if (!strcmp(a, "--signing-key")) {
            NEEDV(); b.key = v;
        } else if (!strcmp(a, "--code-hash")) {
            code_hash = 1;
        } else if (!strcmp(a, "--era")) {
            NEEDV(); era = v;
        } else if (a[0] == '-' && a[1] != 0) {
            return usage_error("unknown option %s", a);
        } else {
            if (image) return usage_error("more than one input: %s", a);
            image = a;
        }
#undef NEEDV
    }
    int build_opts = b.kernel || b.cmdline || b.n_ramdisks || b.metadata || arch || b.cert || b.key;
    if (code_hash) {
        if (building || build_opts || nex) return usage_error("--code-hash takes only --era and a directory%s", "");
        if (strcmp(era, "current") && strcmp(era, "v1")) return usage_error("--era is current or v1, not %s", era);
        if (!image) return usage_error("missing GATEWAY_DIR%s", "");
        return run_code_hash(json, era, image);
    }
    if (strcmp(era, "current")) return usage_error("--era only goes with --code-hash%s", "");
    if (building) {
        if (image || nex) return usage_error("--build takes no IMAGE or --expect options%s", "");
        if (!b.kernel || !b.cmdline || !b.n_ramdisks)
            return usage_error("--build needs --kernel, --cmdline and at least one --ramdisk%s", "");
        if (!b.cert != !b.key) return usage_error("--signing-cert and --signing-key go together%s", "");
        if (arch && strcmp(arch, "x86_64") && strcmp(arch, "aarch64"))
            return usage_error("--arch is x86_64 or aarch64, not %s", arch);
        b.flags = arch && !strcmp(arch, "aarch64") ? LP_EIF_FLAG_AARCH64 : 0;
        return run_build(json, &b);
    }
    if (build_opts) return usage_error("build options need --build OUT.eif%s", "");
    if (!image) return usage_error("missing IMAGE.eif%s", "");
    return run_describe(json, image, ex, nex);
}
