/* recompute_pcr0: PCRs of an Enclave Image File as `nitro-cli describe-eif`
 * prints them, deterministic EIF assembly, and Leadpoet's gateway code_hash.
 * Spec: eif-pcr-repro.md §1-§3, leadpoet-formats.md §13.6.  All parsing and
 * hashing is in attest/; this file does arguments, files and the report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest/code_hash.h"
#include "attest/cpio.h"
#include "attest/docker_image.h"
#include "attest/eif.h"
#include "attest/eif_internal.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_utf8.h"
#include "verify/cli_common.h"
#include "verify/cli_opts.h"

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
#define WHY_MAX         1200

/* nitro-cli prints the Debug string of its hasher; treated as opaque (§1.8). */
#define HASH_ALGORITHM "Sha384 { ... }"

/* Written when --metadata is absent: the §1.5 field layout with fixed values. */
static const char DEFAULT_METADATA[] =
    "{\"ImageName\":\"\",\"ImageVersion\":\"\",\"BuildMetadata\":{\"BuildTime\":"
    "\"1970-01-01T00:00:00+00:00\",\"BuildTool\":\"recompute_pcr0\",\"BuildToolVersion\":\"1\","
    "\"OperatingSystem\":\"\",\"KernelVersion\":\"\"},\"DockerInfo\":null,\"CustomMetadata\":null}";

typedef struct { int idx; uint8_t v[LP_EIF_PCR_LEN]; } expect_t;

typedef struct {
    const char *out, *kernel, *cmdline, *metadata, *cert, *key, *arch;
    const char *docker, *platform, *blobs, *emit_ramdisk, *emit_eif;
    const char *ramdisks[MAX_RAMDISKS];
    size_t n_ramdisks;
    uint16_t flags;
    expect_t ex[MAX_EXPECT];
    size_t nex;
} args_t;

static void hex(const uint8_t *p, size_t n, char *s)
{
    lpc_hex_encode(p, n, s);
}

/* ---- Reading an EIF (streamed) -------------------------------------------- */

/* Feeds the file (or "-", read whole under CAP_STDIN_EIF) to the reader.  I/O failures
 * give IO_ERROR (or INPUT_TOO_LARGE) with why set; EIF faults their own code. */
static lp_code read_eif(const char *path, lp_eif_info *info, lp_eif_err *eif_err, char *why, size_t wl)
{
    lp_eif_reader *r = NULL;
    lp_eif_err e = LP_EIF_OK;
    lp_code io = LP_CODE_OK;
    why[0] = 0;
    *eif_err = LP_EIF_OK;
    if (strcmp(path, "-") == 0) {
        uint8_t *buf;
        size_t n;
        if ((io = lp_read_input(path, CAP_STDIN_EIF, &buf, &n, why, wl)) != LP_CODE_OK) return io;
        if (!(e = lp_eif_reader_new(n, &r))) e = lp_eif_reader_feed(r, buf, n);
        free(buf);
    } else {
        int fd = open(path, O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(why, wl, "%s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
            if (fd >= 0) close(fd);
            return LP_CODE_IO_ERROR;
        }
        uint8_t *buf = malloc(IO_CHUNK);
        uint64_t got = 0;
        if (!buf) e = LP_EIF_ERR_NOMEM;
        else e = lp_eif_reader_new((uint64_t)st.st_size, &r);
        while (!e) {
            ssize_t k = read(fd, buf, IO_CHUNK);
            if (k < 0 && errno == EINTR) continue;
            if (k < 0 || (uint64_t)k > (uint64_t)st.st_size - got) {
                snprintf(why, wl, "%s: %s", path, k < 0 ? strerror(errno) : "file grew while reading");
                io = LP_CODE_IO_ERROR;
                break;
            }
            if (k == 0) break;
            got += (uint64_t)k;
            e = lp_eif_reader_feed(r, buf, (size_t)k);
        }
        free(buf);
        close(fd);
        if (!e && io == LP_CODE_OK && got != (uint64_t)st.st_size) {
            snprintf(why, wl, "%s: file shrank while reading", path);
            io = LP_CODE_IO_ERROR;
        }
    }
    if (io == LP_CODE_OK && r) {
        lp_eif_err f = lp_eif_reader_finish(r, info);
        if (!e) e = f;
        if (e)
            snprintf(why, wl, "%s: %s (at byte %llu)", path, lp_eif_strerror(e),
                     (unsigned long long)lp_eif_reader_error_offset(r));
    } else if (io == LP_CODE_OK && e) {
        snprintf(why, wl, "%s: %s", path, lp_eif_strerror(e));
    }
    lp_eif_reader_free(r);
    *eif_err = e;
    return io != LP_CODE_OK ? io : lp_eif_code(e);
}

/* The describe-eif members of a valid image. */
static void describe(lp_report *r, const lp_eif_info *I)
{
    char h[2 * LP_EIF_PCR_LEN + 1];
    const uint8_t *p[4] = {I->pcr0, I->pcr1, I->pcr2, I->pcr8};
    static const char *const name[4] = {"PCR0", "PCR1", "PCR2", "PCR8"};
    lpc_value *m = lpc_new_object();
    if (m) lpc_object_set(m, "HashAlgorithm", 13, lpc_new_str(HASH_ALGORITHM, strlen(HASH_ALGORITHM)));
    for (int i = 0; i < (I->is_signed ? 4 : 3); i++) {
        hex(p[i], LP_EIF_PCR_LEN, h);
        if (m) lpc_object_set(m, name[i], 4, lpc_new_str(h, 2 * LP_EIF_PCR_LEN));
        lp_report_say(r, "%s: %s", name[i], h);
    }
    lp_report_put(r, "Measurements", m);
    const char *arch = (I->flags & LP_EIF_FLAG_AARCH64) ? "aarch64" : "x86_64";
    lp_report_put_int(r, "EifVersion", I->version);
    lp_report_put_cstr(r, "Arch", arch);
    lp_report_put_bool(r, "CheckCRC", I->crc_ok);
    lp_report_put_bool(r, "IsSigned", I->is_signed);
    if (I->is_signed) lp_report_put_bool(r, "SignatureCheck", 1);
    lpc_value *secs = lpc_new_array();
    for (unsigned i = 0; i < I->num_sections && secs; i++) {
        lpc_value *s = lpc_new_object();
        const char *t = lp_eif_section_name(I->sections[i].type);
        if (s) {
            lpc_object_set(s, "type", 4, lpc_new_str(t, strlen(t)));
            lpc_object_set(s, "offset", 6, lpc_new_int((int64_t)I->sections[i].offset));
            lpc_object_set(s, "size", 4, lpc_new_int((int64_t)I->sections[i].size));
        }
        lpc_array_append(secs, s);
        lp_report_say(r, "Section %u: %s offset %llu size %llu", i, t, (unsigned long long)I->sections[i].offset,
                      (unsigned long long)I->sections[i].size);
    }
    lp_report_put(r, "Sections", secs);
    lp_report_say(r, "EifVersion: %u", I->version);
    lp_report_say(r, "Arch: %s", arch);
    lp_report_say(r, "CheckCRC: %s", I->crc_ok ? "true" : "false");
    lp_report_say(r, "IsSigned: %s", I->is_signed ? "true" : "false");
}

/* The structure/crc/signature checks of a read; 0 when the image is valid. */
static int report_read(lp_report *r, lp_code c, lp_eif_err e, const lp_eif_info *I, const char *why)
{
    lp_checks *k = lp_report_checks(r);
    if (c == LP_CODE_OK) {
        lp_check_add(k, "structure", LP_CODE_OK, "EIF v%u, %u sections, %llu bytes", I->version, I->num_sections,
                     (unsigned long long)I->file_size);
        lp_check_add(k, "crc", LP_CODE_OK, "%08x", I->crc_computed);
        if (I->is_signed) lp_check_add(k, "signature", LP_CODE_OK, "COSE_Sign1 alg %d over PCR0 verifies", I->cose_alg);
        describe(r, I);
        return 0;
    }
    if (e == LP_EIF_ERR_CRC) {
        lp_check_add(k, "structure", LP_CODE_OK, "EIF v%u, %u sections", I->version, I->num_sections);
        lp_check_add(k, "crc", c, "stored %08x, computed %08x", I->crc_stored, I->crc_computed);
        lp_report_put_bool(r, "CheckCRC", 0);
    } else if (e >= LP_EIF_ERR_SIGNATURE_FORMAT && e <= LP_EIF_ERR_SIGNATURE_INVALID) {
        lp_check_add(k, "structure", LP_CODE_OK, "EIF v%u, %u sections", I->version, I->num_sections);
        lp_check_add(k, "crc", LP_CODE_OK, "%08x", I->crc_computed);
        lp_check_add(k, "signature", c, "%s", lp_eif_strerror(e));
    } else {
        lp_check_add(k, e ? "structure" : "input", c, "%s", why);
    }
    return 1;
}

static int run_describe(lp_report *r, const char *path, const args_t *a)
{
    lp_eif_info I;
    lp_eif_err e;
    char why[WHY_MAX];
    lp_code c = read_eif(path, &I, &e, why, sizeof why);
    if (report_read(r, c, e, &I, why)) return lp_report_finish(r, NULL);
    for (size_t i = 0; i < a->nex; i++) {
        const expect_t *x = &a->ex[i];
        const uint8_t *have = x->idx == 0 ? I.pcr0 : x->idx == 1 ? I.pcr1 : x->idx == 2 ? I.pcr2
                            : I.is_signed ? I.pcr8 : NULL;
        char name[8], hv[2 * LP_EIF_PCR_LEN + 1], hw[2 * LP_EIF_PCR_LEN + 1];
        snprintf(name, sizeof name, "pcr%d", x->idx);
        hex(x->v, LP_EIF_PCR_LEN, hw);
        if (!have) {
            lp_check_add(lp_report_checks(r), name, LP_CODE_PCR_MISMATCH, "expected %s, image is unsigned (no PCR8)", hw);
            continue;
        }
        hex(have, LP_EIF_PCR_LEN, hv);
        int ok = memcmp(have, x->v, LP_EIF_PCR_LEN) == 0;
        lp_check_add(lp_report_checks(r), name, ok ? LP_CODE_OK : LP_CODE_PCR_MISMATCH,
                     ok ? "matches %s" : "expected %s, image has %s", hw, hv);
    }
    return lp_report_finish(r, a->nex ? "OK: every expected PCR matches"
                                      : "MEASURED: no --expect-pcr0 given, nothing compared");
}

/* ---- Build mode ----------------------------------------------------------- */

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
static lp_eif_err put_file(lp_eif_builder *b, int fd, const char *path, uint8_t *buf, int *ioerr, char *why, size_t wl)
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

typedef struct {
    uint8_t *p;
    size_t n;
} blob;

/* Assembles a->out (written beside it, renamed into place when complete), then reads
 * the written file back: its PCRs are what is reported (fail closed). */
static int run_build(lp_report *r, const args_t *a)
{
    char why[WHY_MAX] = "", tmp[4096] = "";
    blob kernel = {0}, cmd = {0}, meta = {0}, cert = {0}, key = {0};
    uint8_t *sig = NULL, *buf = NULL;
    size_t sigl = 0;
    int fd = -1, ioerr = 0;
    lp_code code = LP_CODE_OK;
    lp_eif_builder *b = NULL;
    lp_eif_err e = LP_EIF_OK;
    const struct { const char *path; size_t cap; blob *dst; } in[] = {
        {a->kernel, CAP_KERNEL, &kernel}, {a->cmdline, CAP_CMDLINE, &cmd}, {a->metadata, CAP_METADATA, &meta},
        {a->cert, CAP_PEM, &cert}, {a->key, CAP_PEM, &key}};
    for (size_t i = 0; i < sizeof in / sizeof in[0] && code == LP_CODE_OK; i++)
        if (in[i].path) code = lp_read_input(in[i].path, in[i].cap, &in[i].dst->p, &in[i].dst->n, why, sizeof why);
    size_t cs = 0, cn = 0;
    if (code == LP_CODE_OK && (e = lp_eif_trim_cmdline(cmd.p, cmd.n, &cs, &cn))) code = lp_eif_code(e);
    if (code == LP_CODE_OK && meta.p) {
        json_error_t je;
        json_t *mj = json_loadb((const char *)meta.p, meta.n, 0, &je);
        if (!mj) {
            code = LP_CODE_BAD_METADATA;
            snprintf(why, sizeof why, "%s: not JSON (%s, line %d)", a->metadata, je.text, je.line);
        }
        json_decref(mj);
    }
    if (code == LP_CODE_OK && (size_t)snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", a->out) >= sizeof tmp) {
        code = LP_CODE_USAGE;
        snprintf(why, sizeof why, "output path too long");
        tmp[0] = 0;
    }
    if (code == LP_CODE_OK && (fd = mkstemp(tmp)) < 0) {
        code = LP_CODE_IO_ERROR;
        snprintf(why, sizeof why, "%s: %s", a->out, strerror(errno));
        tmp[0] = 0;
    }
    uint8_t header[LP_EIF_HEADER_LEN];
    memset(header, 0, sizeof header);
    if (code == LP_CODE_OK) {
        if (fchmod(fd, 0644) != 0 || !write_all(fd, header, sizeof header)) ioerr = 1;
        if (!(buf = malloc(IO_CHUNK))) e = LP_EIF_ERR_NOMEM;
        if (!e) e = lp_eif_builder_new(a->flags, &b);
        /* §1.3 order: kernel, cmdline, metadata, ramdisks..., signature. */
        if (!e && !ioerr) e = put_mem(b, fd, LP_EIF_SEC_KERNEL, kernel.p, kernel.n, &ioerr);
        if (!e && !ioerr) e = put_mem(b, fd, LP_EIF_SEC_CMDLINE, cmd.p + cs, cn, &ioerr);
        if (!e && !ioerr)
            e = meta.p ? put_mem(b, fd, LP_EIF_SEC_METADATA, meta.p, meta.n, &ioerr)
                       : put_mem(b, fd, LP_EIF_SEC_METADATA, (const uint8_t *)DEFAULT_METADATA,
                                 sizeof DEFAULT_METADATA - 1, &ioerr);
        for (size_t i = 0; i < a->n_ramdisks && !e && !ioerr; i++)
            e = put_file(b, fd, a->ramdisks[i], buf, &ioerr, why, sizeof why);
        if (!e && !ioerr && cert.p) {
            uint8_t pcr0[LP_EIF_PCR_LEN];
            if (!(e = lp_eif_builder_pcr0(b, pcr0)) && !(e = lp_eif_sign(pcr0, cert.p, cert.n, key.p, key.n, &sig, &sigl)))
                e = put_mem(b, fd, LP_EIF_SEC_SIGNATURE, sig, sigl, &ioerr);
        }
        uint64_t total = 0;
        if (!e && !ioerr) e = lp_eif_builder_finish(b, header, &total);
        if (e) {
            code = lp_eif_code(e);
            snprintf(why + strlen(why), sizeof why - strlen(why), "%s%s", why[0] ? ": " : "", lp_eif_strerror(e));
        } else {
            int bad = ioerr || pwrite(fd, header, sizeof header, 0) != (ssize_t)sizeof header || fsync(fd) != 0;
            bad = close(fd) != 0 || bad;
            fd = -1;
            if (bad || rename(tmp, a->out) != 0) {
                code = LP_CODE_IO_ERROR;
                if (!why[0]) snprintf(why, sizeof why, "%s: %s", a->out, errno ? strerror(errno) : "cannot write");
            } else {
                tmp[0] = 0;
                lp_check_add(lp_report_checks(r), "build", LP_CODE_OK, "%s: %llu bytes", a->out, (unsigned long long)total);
            }
        }
    }
    if (fd >= 0) close(fd);
    if (tmp[0]) unlink(tmp);
    lp_eif_builder_free(b);
    if (key.p) memset(key.p, 0, key.n);
    blob *all[] = {&kernel, &cmd, &meta, &key, &cert};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) free(all[i]->p);
    free(sig);
    free(buf);
    if (code != LP_CODE_OK) return lp_report_fail(r, code, "build", "%s", why);
    lp_eif_info I;
    lp_eif_err re;
    lp_code c = read_eif(a->out, &I, &re, why, sizeof why);
    report_read(r, c, re, &I, why);
    return lp_report_finish(r, "OK: image written and read back");
}

/* ---- Docker-image mode (eif-pcr-repro.md §2) ------------------------------ */

/* sha384 of the init blobs nitro-cli has shipped (vectors/nitro-blobs/README.md). */
static const struct { const char *sha384, *generation, *arch; } k_inits[] = {
    {"ba660d640a91dbebffd62dc272e9d88fba86c0ed67f5ca643f5f028db00333305302070c0cdd2c5231383b99b6488959", "v1.5.0", "x86_64"},
    {"e566b36e125531b13d976e412a7102bce09c7695416088cb6b2003ec951067f0122f8839ceed2348abd577ec04df82b2", "v1.5.0", "aarch64"},
    {"e23a9093ceab947c93b516a31b82fa34b583a256b7104dc5e70709f91c8a8440375646a3c0e22c883e4a54ba9a4272ea", "2022-02", "x86_64"},
    {"4bcd2282b9f49bfd195e8575ce43da9cfd3d3bca333cadf50ca497b54e3badf1a01fdaf8451020f70f56459ba52217da", "2022-02", "aarch64"}};

typedef struct { int fd; } fd_source;

static long fd_read(void *ctx, uint8_t *buf, size_t n)
{
    for (;;) {
        ssize_t k = read(((fd_source *)ctx)->fd, buf, n);
        if (k < 0 && errno == EINTR) continue;
        return (long)k;
    }
}

static int64_t fd_seek(void *ctx, int64_t off, int whence)
{
    return (int64_t)lseek(((fd_source *)ctx)->fd, (off_t)off, whence);
}

/* The content spool: an unlinked temporary file. */
typedef struct { int fd; uint64_t n; } file_spool;

static int spool_append(void *ctx, const uint8_t *p, size_t n)
{
    file_spool *s = ctx;
    if (!write_all(s->fd, p, n)) return 1;
    s->n += n;
    return 0;
}

static int spool_pread(void *ctx, uint64_t off, uint8_t *p, size_t n)
{
    file_spool *s = ctx;
    while (n) {
        ssize_t k = pread(s->fd, p, n, (off_t)off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return 1;
        p += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return 0;
}

static int temp_fd(char *path, size_t pl)
{
    const char *d = getenv("TMPDIR");
    if ((size_t)snprintf(path, pl, "%s/lpv-XXXXXX", d && *d ? d : "/tmp") >= pl) return -1;
    return mkstemp(path);
}

/* An OCI image layout directory: members are files below it. */
typedef struct { const char *dir; } dir_store;

static lp_code dir_open(void *ctx, const char *name, void **stream, char *why, size_t wl)
{
    char p[8192];
    *stream = NULL;
    if ((size_t)snprintf(p, sizeof p, "%s/%s", ((dir_store *)ctx)->dir, name) >= sizeof p)
        return snprintf(why, wl, "%.300s: path too long", name), LP_CODE_INPUT_TOO_LARGE;
    int fd = open(p, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int missing = fd < 0 && errno == ENOENT;
        snprintf(why, wl, "%.600s: %s", p, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0) close(fd);
        return missing || fd >= 0 ? LP_CODE_IMAGE_MALFORMED : LP_CODE_IO_ERROR;
    }
    fd_source *s = malloc(sizeof *s);
    if (!s) {
        close(fd);
        return snprintf(why, wl, "out of memory"), LP_CODE_OUT_OF_MEMORY;
    }
    s->fd = fd;
    *stream = s;
    return LP_CODE_OK;
}

static long dir_read(void *stream, uint8_t *buf, size_t n) { return fd_read(stream, buf, n); }

static void dir_close(void *stream)
{
    if (!stream) return;
    close(((fd_source *)stream)->fd);
    free(stream);
}

typedef struct {
    int fd;               /* --emit-ramdisk / the EIF's customer ramdisk, or -1 */
    lpc_hash_ctx *pcr0;   /* kernel || cmdline || bootstrap || customer, with --blobs */
    int failed;
} ramdisk_sink;

static int sink_bytes(void *ctx, const uint8_t *p, size_t n)
{
    ramdisk_sink *s = ctx;
    if (s->fd >= 0 && !write_all(s->fd, p, n)) return s->failed = 1;
    if (s->pcr0 && lpc_hash_update(s->pcr0, p, n) != LPC_OK) return s->failed = 1;
    return 0;
}

static int sink_mem(void *ctx, const uint8_t *p, size_t n)
{
    blob *b = ctx;
    memcpy(b->p + b->n, p, n);
    b->n += n;
    return 0;
}

typedef struct {
    blob kernel, cmdline, init, nsm;
    const char *kernel_name;
    size_t cs, cn;                  /* trimmed cmdline */
    blob boot;                      /* the bootstrap ramdisk */
    uint8_t boot_sha[48];
    uint64_t boot_size;
} blobs_t;

static lp_code read_blobs(const char *dir, int aarch64, blobs_t *B, char *why, size_t wl)
{
    char p[4096];
    struct stat st;
    const char *k1 = aarch64 ? "Image" : "bzImage", *k2 = aarch64 ? "bzImage" : "Image";
    snprintf(p, sizeof p, "%s/%s", dir, k1);
    B->kernel_name = stat(p, &st) == 0 ? k1 : (snprintf(p, sizeof p, "%s/%s", dir, k2), stat(p, &st) == 0) ? k2 : k1;
    struct { const char *name; size_t cap; blob *dst; } in[] = {
        {B->kernel_name, CAP_KERNEL, &B->kernel}, {"cmdline", CAP_CMDLINE, &B->cmdline},
        {"init", CAP_KERNEL, &B->init}, {"nsm.ko", CAP_KERNEL, &B->nsm}};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, in[i].name) >= sizeof p)
            return snprintf(why, wl, "--blobs path too long"), LP_CODE_USAGE;
        lp_code c = lp_read_input(p, in[i].cap, &in[i].dst->p, &in[i].dst->n, why, wl);
        if (c != LP_CODE_OK) return c;
    }
    lp_eif_err e = lp_eif_trim_cmdline(B->cmdline.p, B->cmdline.n, &B->cs, &B->cn);
    if (e) return snprintf(why, wl, "%s/cmdline: %s", dir, lp_eif_strerror(e)), lp_eif_code(e);
    /* §2.4: the bootstrap archive's size is known before it is written. */
    size_t cap = B->init.n + B->nsm.n + 4096;
    if (!(B->boot.p = malloc(cap))) return snprintf(why, wl, "out of memory"), LP_CODE_OUT_OF_MEMORY;
    lp_cpio_err ce = lp_cpio_bootstrap(B->init.p, B->init.n, B->nsm.p, B->nsm.n, NULL, NULL, &B->boot_size, B->boot_sha);
    if (!ce && B->boot_size <= cap)
        ce = lp_cpio_bootstrap(B->init.p, B->init.n, B->nsm.p, B->nsm.n, sink_mem, &B->boot, &B->boot_size, B->boot_sha);
    if (ce || B->boot.n != B->boot_size) return snprintf(why, wl, "bootstrap ramdisk: init or nsm.ko too large for newc"), LP_CODE_IMAGE_CONTENT_UNSUPPORTED;
    return LP_CODE_OK;
}

static void free_blobs(blobs_t *B)
{
    blob *all[] = {&B->kernel, &B->cmdline, &B->init, &B->nsm, &B->boot};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) free(all[i]->p);
}

static lpc_value *hash_obj(const uint8_t *p, size_t n, const char *file)
{
    uint8_t h[48];
    char hx[97];
    lpc_value *o = lpc_new_object();
    if (!o || lpc_sha384(p, n, h) != LPC_OK) return o;
    hex(h, 48, hx);
    if (file) lpc_object_set(o, "file", 4, lpc_new_str(file, strlen(file)));
    lpc_object_set(o, "size", 4, lpc_new_int((int64_t)n));
    lpc_object_set(o, "sha384", 6, lpc_new_str(hx, 96));
    return o;
}

static lpc_value *profile_obj(const blobs_t *B, const char **gen)
{
    lpc_value *o = lpc_new_object();
    if (!o) return NULL;
    lpc_object_set(o, "kernel", 6, hash_obj(B->kernel.p, B->kernel.n, B->kernel_name));
    lpc_object_set(o, "cmdline", 7, hash_obj(B->cmdline.p, B->cmdline.n, "cmdline"));
    lpc_object_set(o, "init", 4, hash_obj(B->init.p, B->init.n, "init"));
    lpc_object_set(o, "nsm.ko", 6, hash_obj(B->nsm.p, B->nsm.n, "nsm.ko"));
    uint8_t h[48];
    char hx[97];
    *gen = "unknown";
    const char *arch = NULL;
    if (lpc_sha384(B->init.p, B->init.n, h) == LPC_OK) {
        hex(h, 48, hx);
        for (size_t i = 0; i < sizeof k_inits / sizeof k_inits[0]; i++)
            if (!strcmp(hx, k_inits[i].sha384)) *gen = k_inits[i].generation, arch = k_inits[i].arch;
    }
    lpc_object_set(o, "init_generation", 15, lpc_new_str(*gen, strlen(*gen)));
    if (arch) lpc_object_set(o, "init_arch", 9, lpc_new_str(arch, strlen(arch)));
    return o;
}

static void put_ramdisk(lp_report *r, const char *key, uint64_t size, const uint8_t sha[48])
{
    char hx[97];
    hex(sha, 48, hx);
    lpc_value *o = lpc_new_object();
    if (o) {
        lpc_object_set(o, "size", 4, lpc_new_int((int64_t)size));
        lpc_object_set(o, "sha384", 6, lpc_new_str(hx, 96));
    }
    lp_report_put(r, key, o);
}

/* Assembles the unsigned EIF (§1.3 order) from the blobs and the customer ramdisk file. */
static lp_code write_eif(const char *out, const blobs_t *B, const char *customer, int aarch64, char *why, size_t wl)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", out) >= sizeof tmp) return snprintf(why, wl, "output path too long"), LP_CODE_USAGE;
    int fd = mkstemp(tmp), ioerr = 0;
    if (fd < 0) return snprintf(why, wl, "%s: %s", out, strerror(errno)), LP_CODE_IO_ERROR;
    uint8_t header[LP_EIF_HEADER_LEN], *buf = malloc(IO_CHUNK);
    memset(header, 0, sizeof header);
    lp_eif_builder *b = NULL;
    lp_eif_err e = buf ? lp_eif_builder_new(aarch64 ? LP_EIF_FLAG_AARCH64 : 0, &b) : LP_EIF_ERR_NOMEM;
    if (fchmod(fd, 0644) != 0 || !write_all(fd, header, sizeof header)) ioerr = 1;
    if (!e && !ioerr) e = put_mem(b, fd, LP_EIF_SEC_KERNEL, B->kernel.p, B->kernel.n, &ioerr);
    if (!e && !ioerr) e = put_mem(b, fd, LP_EIF_SEC_CMDLINE, B->cmdline.p + B->cs, B->cn, &ioerr);
    if (!e && !ioerr) e = put_mem(b, fd, LP_EIF_SEC_METADATA, (const uint8_t *)DEFAULT_METADATA, sizeof DEFAULT_METADATA - 1, &ioerr);
    if (!e && !ioerr) e = put_mem(b, fd, LP_EIF_SEC_RAMDISK, B->boot.p, B->boot.n, &ioerr);
    if (!e && !ioerr) e = put_file(b, fd, customer, buf, &ioerr, why, wl);
    uint64_t total = 0;
    if (!e && !ioerr) e = lp_eif_builder_finish(b, header, &total);
    if (!e && !ioerr && (pwrite(fd, header, sizeof header, 0) != (ssize_t)sizeof header || fsync(fd) != 0)) ioerr = 1;
    if (close(fd) != 0) ioerr = 1;
    lp_eif_builder_free(b);
    free(buf);
    lp_code c = LP_CODE_OK;
    if (e) c = lp_eif_code(e), snprintf(why, wl, "%s: %s", out, lp_eif_strerror(e));
    else if (ioerr || rename(tmp, out) != 0) c = LP_CODE_IO_ERROR, snprintf(why, wl, "%s: cannot write", out);
    if (c != LP_CODE_OK) unlink(tmp);
    return c;
}

static int expect_checks(lp_report *r, const args_t *a, const uint8_t *pcr0, const uint8_t *pcr1, const uint8_t *pcr2)
{
    for (size_t i = 0; i < a->nex; i++) {
        const expect_t *x = &a->ex[i];
        const uint8_t *have = x->idx == 0 ? pcr0 : x->idx == 1 ? pcr1 : x->idx == 2 ? pcr2 : NULL;
        char name[8], hv[2 * LP_EIF_PCR_LEN + 1], hw[2 * LP_EIF_PCR_LEN + 1];
        snprintf(name, sizeof name, "pcr%d", x->idx);
        hex(x->v, LP_EIF_PCR_LEN, hw);
        if (!have) {
            lp_check_add(lp_report_checks(r), name, LP_CODE_PCR_MISMATCH,
                         x->idx == 8 ? "expected %s; an unsigned image has no PCR8" : "expected %s; PCR0 and PCR1 need --blobs", hw);
            continue;
        }
        hex(have, LP_EIF_PCR_LEN, hv);
        int ok = memcmp(have, x->v, LP_EIF_PCR_LEN) == 0;
        lp_check_add(lp_report_checks(r), name, ok ? LP_CODE_OK : LP_CODE_PCR_MISMATCH,
                     ok ? "matches %s" : "expected %s, image gives %s", hw, hv);
    }
    return 0;
}

static int run_docker(lp_report *r, const args_t *a)
{
    char why[WHY_MAX] = "", spath[4096] = "";
    lp_di_store store = {0};
    lp_di_tar *tar = NULL;
    fd_source src = {-1};
    dir_store ds = {a->docker};
    file_spool sp = {-1, 0};
    ramdisk_sink sink = {-1, NULL, 0};
    blobs_t B;
    memset(&B, 0, sizeof B);
    lp_di_result res;
    memset(&res, 0, sizeof res);
    char rtmp[4096] = "";
    int status;
    lp_code c = LP_CODE_OK;
    struct stat st;
    if (stat(a->docker, &st) != 0) {
        c = LP_CODE_IO_ERROR;
        snprintf(why, sizeof why, "%s: %s", a->docker, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        store = (lp_di_store){&ds, dir_open, dir_read, dir_close};
    } else if ((src.fd = open(a->docker, O_RDONLY)) < 0) {
        c = LP_CODE_IO_ERROR;
        snprintf(why, sizeof why, "%s: %s", a->docker, strerror(errno));
    } else {
        static lp_di_source s;
        s = (lp_di_source){&src, fd_read, fd_seek};
        c = lp_di_tar_open(&s, &tar, &store, why, sizeof why);
    }
    if (c == LP_CODE_OK && (sp.fd = temp_fd(spath, sizeof spath)) < 0) {
        c = LP_CODE_IO_ERROR;
        snprintf(why, sizeof why, "temporary file: %s", strerror(errno));
    }
    if (sp.fd >= 0) unlink(spath);
    /* The customer ramdisk goes to --emit-ramdisk, or to a temporary file for --emit-eif. */
    const char *rd_path = a->emit_ramdisk;
    if (c == LP_CODE_OK && (a->emit_ramdisk || a->emit_eif)) {
        if (a->emit_ramdisk) {
            if ((size_t)snprintf(rtmp, sizeof rtmp, "%s.tmp.XXXXXX", a->emit_ramdisk) >= sizeof rtmp) rtmp[0] = 0;
            sink.fd = rtmp[0] ? mkstemp(rtmp) : -1;
            if (sink.fd >= 0) fchmod(sink.fd, 0644);
        } else {
            sink.fd = temp_fd(rtmp, sizeof rtmp);
        }
        if (sink.fd < 0) {
            c = LP_CODE_IO_ERROR;
            snprintf(why, sizeof why, "%s: %s", a->emit_ramdisk ? a->emit_ramdisk : "temporary file", strerror(errno));
            rtmp[0] = 0;
        }
        if (!a->emit_ramdisk) rd_path = rtmp;
    }
    /* With blobs, PCR0's hash runs over kernel, cmdline and bootstrap before the image. */
    struct stat bst;
    if (c == LP_CODE_OK && a->blobs && (stat(a->blobs, &bst) != 0 || !S_ISDIR(bst.st_mode))) {
        status = lp_report_fail(r, LP_CODE_IO_ERROR, "blobs", "%s: %s", a->blobs, errno ? strerror(errno) : "not a directory");
        goto out;
    }
    if (c == LP_CODE_OK && a->blobs) {
        c = read_blobs(a->blobs, a->platform && !strcmp(a->platform, "linux/arm64"), &B, why, sizeof why);
        if (c == LP_CODE_OK && !(sink.pcr0 = lpc_hash_ctx_new(LPC_SHA384))) c = LP_CODE_OUT_OF_MEMORY;
        if (c == LP_CODE_OK) {
            lpc_hash_update(sink.pcr0, B.kernel.p, B.kernel.n);
            lpc_hash_update(sink.pcr0, B.cmdline.p + B.cs, B.cn);
            lpc_hash_update(sink.pcr0, B.boot.p, B.boot.n);
        }
    }
    if (c != LP_CODE_OK) {
        status = lp_report_fail(r, c, a->blobs && c != LP_CODE_OK && B.kernel_name && !B.boot.p ? "blobs" : "image", "%s", why);
        goto out;
    }
    lp_di_spool spool = {&sp, spool_append, spool_pread};
    lp_di_opts o = {a->platform, sink_bytes, &sink};
    c = lp_di_measure(&store, &spool, &o, &res);
    if (c == LP_CODE_OK && sink.failed) {
        c = LP_CODE_IO_ERROR;
        snprintf(res.why, sizeof res.why, "%.900s: write failed", rd_path ? rd_path : "hash");
    }
    if (c != LP_CODE_OK) {
        status = lp_report_fail(r, c, c == LP_CODE_IMAGE_NOT_DETERMINISTIC ? "determinism" : "image", "%s", res.why);
        goto out;
    }
    const char *arch = res.aarch64 ? "aarch64" : "x86_64";
    lp_check_add(lp_report_checks(r), "image", LP_CODE_OK, "%s, %s, %zu layers, %llu entries, digests checked",
                 res.format == LP_DI_FORMAT_OCI_LAYOUT ? "OCI image layout" : "docker save", res.platform, res.layers,
                 (unsigned long long)res.entries);
    if (a->blobs && strcmp(B.kernel_name, res.aarch64 ? "Image" : "bzImage") != 0) {
        status = lp_report_fail(r, LP_CODE_BAD_ARGUMENT, "blobs", "%s is a %s image; --blobs holds %s", a->docker, arch, B.kernel_name);
        goto out;
    }
    uint8_t pcr0[48], pcr1[48];
    const char *gen = NULL;
    char h[97];
    lpc_value *m = lpc_new_object();
    if (m) lpc_object_set(m, "HashAlgorithm", 13, lpc_new_str(HASH_ALGORITHM, strlen(HASH_ALGORITHM)));
    if (a->blobs) {
        uint8_t d[48];
        lpc_hash_ctx *p1 = lpc_hash_ctx_new(LPC_SHA384);
        int bad = !p1 || lpc_hash_update(p1, B.kernel.p, B.kernel.n) || lpc_hash_update(p1, B.cmdline.p + B.cs, B.cn) ||
                  lpc_hash_update(p1, B.boot.p, B.boot.n) || lpc_hash_final(p1, d) || lp_eif_extend(d, pcr1) ||
                  lpc_hash_final(sink.pcr0, d) || lp_eif_extend(d, pcr0);
        lpc_hash_ctx_free(p1);
        if (bad) {
            status = lp_report_fail(r, LP_CODE_CRYPTO_BACKEND, "pcr", "SHA-384 failed");
            goto out;
        }
        hex(pcr0, 48, h);
        if (m) lpc_object_set(m, "PCR0", 4, lpc_new_str(h, 96));
        lp_report_say(r, "PCR0: %s", h);
        hex(pcr1, 48, h);
        if (m) lpc_object_set(m, "PCR1", 4, lpc_new_str(h, 96));
        lp_report_say(r, "PCR1: %s", h);
    }
    hex(res.pcr2, 48, h);
    if (m) lpc_object_set(m, "PCR2", 4, lpc_new_str(h, 96));
    lp_report_say(r, "PCR2: %s", h);
    lp_report_put(r, "Measurements", m);
    put_ramdisk(r, "CustomerRamdisk", res.ramdisk_size, res.ramdisk_sha384);
    hex(res.ramdisk_sha384, 48, h);
    lp_report_say(r, "Customer ramdisk: %llu bytes, sha384 %s", (unsigned long long)res.ramdisk_size, h);
    lp_check_add(lp_report_checks(r), "ramdisk", LP_CODE_OK, "customer ramdisk %llu bytes", (unsigned long long)res.ramdisk_size);
    if (a->blobs) {
        put_ramdisk(r, "BootstrapRamdisk", B.boot_size, B.boot_sha);
        hex(B.boot_sha, 48, h);
        lp_report_say(r, "Bootstrap ramdisk: %llu bytes, sha384 %s", (unsigned long long)B.boot_size, h);
        lp_report_put(r, "BlobProfile", profile_obj(&B, &gen));
        lp_report_say(r, "Blob profile: %s %s, init generation %s", B.kernel_name, arch, gen);
        lp_check_add(lp_report_checks(r), "blobs", LP_CODE_OK, "%s, cmdline, init (%s), nsm.ko", B.kernel_name, gen);
        if (!strcmp(gen, "unknown"))
            lp_report_warn(r, "init blob is none nitro-cli has shipped (BlobProfile.init_generation unknown)");
    }
    lp_report_put(r, "cmd", lp_json_str(res.cmd, res.cmd_len));
    lp_report_put(r, "env", lp_json_str(res.env, res.env_len));
    lp_report_put_cstr(r, "Arch", arch);
    lpc_value *im = lpc_new_object();
    if (im) {
        const char *f = res.format == LP_DI_FORMAT_OCI_LAYOUT ? "oci-layout" : "docker-save";
        lpc_object_set(im, "format", 6, lpc_new_str(f, strlen(f)));
        lpc_object_set(im, "platform", 8, lpc_new_str(res.platform, strlen(res.platform)));
        lpc_object_set(im, "config_digest", 13, lpc_new_str(res.config_digest, strlen(res.config_digest)));
        lpc_object_set(im, "layers", 6, lpc_new_int((int64_t)res.layers));
        lpc_object_set(im, "entries", 7, lpc_new_int((int64_t)res.entries));
    }
    lp_report_put(r, "Image", im);
    lp_report_say(r, "Image: %s, %s, config %s", res.format == LP_DI_FORMAT_OCI_LAYOUT ? "OCI image layout" : "docker save",
                  res.platform, res.config_digest);
    if (sink.fd >= 0) {
        int bad = fsync(sink.fd) != 0;
        bad = close(sink.fd) != 0 || bad;
        sink.fd = -1;
        if (a->emit_ramdisk && (bad || rename(rtmp, a->emit_ramdisk) != 0)) {
            status = lp_report_fail(r, LP_CODE_IO_ERROR, "emit_ramdisk", "%s: cannot write", a->emit_ramdisk);
            goto out;
        }
        if (a->emit_ramdisk) {
            rtmp[0] = 0;
            lp_check_add(lp_report_checks(r), "emit_ramdisk", LP_CODE_OK, "%s", a->emit_ramdisk);
        }
    }
    if (a->emit_eif) {
        c = write_eif(a->emit_eif, &B, rd_path, res.aarch64, why, sizeof why);
        if (c != LP_CODE_OK) {
            status = lp_report_fail(r, c, "emit_eif", "%s", why);
            goto out;
        }
        /* Fail closed: the written image, read back, must give the PCRs printed. */
        lp_eif_info I;
        lp_eif_err re;
        c = read_eif(a->emit_eif, &I, &re, why, sizeof why);
        if (c != LP_CODE_OK) {
            status = lp_report_fail(r, c, "emit_eif", "%s", why);
            goto out;
        }
        if (memcmp(I.pcr0, pcr0, 48) || memcmp(I.pcr1, pcr1, 48) || memcmp(I.pcr2, res.pcr2, 48)) {
            status = lp_report_fail(r, LP_CODE_INTERNAL, "emit_eif", "%s: its PCRs differ from the computed ones", a->emit_eif);
            goto out;
        }
        lp_check_add(lp_report_checks(r), "emit_eif", LP_CODE_OK, "%s: %llu bytes, read back: PCR0/1/2 equal", a->emit_eif,
                     (unsigned long long)I.file_size);
    }
    expect_checks(r, a, a->blobs ? pcr0 : NULL, a->blobs ? pcr1 : NULL, res.pcr2);
    status = lp_report_finish(r, a->nex ? "OK: every expected PCR matches"
                                        : "MEASURED: no --expect-pcr0 given, nothing compared");
out:
    if (sink.fd >= 0) close(sink.fd);
    if (rtmp[0] && (!a->emit_ramdisk || 1)) unlink(rtmp);
    lpc_hash_ctx_free(sink.pcr0);
    lp_di_result_free(&res);
    free_blobs(&B);
    lp_di_tar_free(tar);
    if (src.fd >= 0) close(src.fd);
    if (sp.fd >= 0) close(sp.fd);
    return status;
}

/* ---- Code-hash mode ------------------------------------------------------- */

typedef struct {
    lp_codehash_era era;
    lp_codehash_file *files;
    size_t n, cap, total;
    char why[WHY_MAX];
    lp_code code;
} walk_t;

static int walk_fail(walk_t *w, lp_code c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int walk_fail(walk_t *w, lp_code c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, sizeof w->why, fmt, ap);
    va_end(ap);
    w->code = c;
    return 0;
}

static int add_file(walk_t *w, const char *full, const char *logical)
{
    if (w->n == MAX_CODE_FILES) return walk_fail(w, LP_CODE_INPUT_TOO_LARGE, "more than %u files", MAX_CODE_FILES);
    uint8_t *buf;
    size_t n;
    lp_code c = lp_read_input(full, CAP_CODE_FILE, &buf, &n, w->why, sizeof w->why);
    if (c != LP_CODE_OK) {
        w->code = c;
        return 0;
    }
    if (n > CAP_CODE_TOTAL - w->total) {
        free(buf);
        return walk_fail(w, LP_CODE_INPUT_TOO_LARGE, "selected files exceed %u bytes", CAP_CODE_TOTAL);
    }
    char *lp = strdup(logical);
    lp_codehash_file *f = w->n < w->cap ? w->files : realloc(w->files, (w->cap ? 2 * w->cap : 64) * sizeof *f);
    if (f && f != w->files) w->cap = w->cap ? 2 * w->cap : 64;
    if (f) w->files = f;
    if (!f || !lp) {
        free(buf);
        free(lp);
        return walk_fail(w, LP_CODE_OUT_OF_MEMORY, "out of memory");
    }
    w->files[w->n++] = (lp_codehash_file){lp, buf, n};
    w->total += n;
    return 1;
}

/* Depth-first walk; logical is "" at the root. */
static int walk(walk_t *w, const char *full, const char *logical, int depth)
{
    if (depth > MAX_WALK_DEPTH) return walk_fail(w, LP_CODE_TREE_TOO_DEEP, "%.900s: deeper than %d levels", full, MAX_WALK_DEPTH);
    DIR *d = opendir(full);
    if (!d) return walk_fail(w, LP_CODE_IO_ERROR, "%.900s: %s", full, strerror(errno));
    int ok = 1;
    struct dirent *de;
    while (ok && (errno = 0, de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char fp[8192], lp[LP_CODEHASH_MAX_PATH + 1];
        if ((size_t)snprintf(fp, sizeof fp, "%s/%s", full, de->d_name) >= sizeof fp ||
            (size_t)snprintf(lp, sizeof lp, "%s%s%s", logical, logical[0] ? "/" : "", de->d_name) >= sizeof lp) {
            ok = walk_fail(w, LP_CODE_BAD_PATH, "%.900s/%.200s: path too long", full, de->d_name);
            break;
        }
        struct stat st;
        if (lstat(fp, &st) != 0) {
            ok = walk_fail(w, LP_CODE_IO_ERROR, "%.900s: %s", fp, strerror(errno));
            break;
        }
        int relevant_dir = lp_codehash_dir_relevant(w->era, lp);
        int selected = lp_codehash_selected(w->era, lp);
        if (!lpc_utf8_valid((const uint8_t *)de->d_name, strlen(de->d_name), 0, NULL)) {
            /* Leadpoet's Python cannot encode such a path if it is selected;
             * below the root every entry may be, so refuse rather than guess. */
            if (logical[0]) ok = walk_fail(w, LP_CODE_BAD_PATH, "%.900s: file name is not UTF-8", fp);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            if (selected || relevant_dir) ok = walk_fail(w, LP_CODE_SYMLINK_IN_TREE, "%.900s: symbolic links are refused", fp);
        } else if (S_ISDIR(st.st_mode)) {
            if (relevant_dir) ok = walk(w, fp, lp, depth + 1);
        } else if (S_ISREG(st.st_mode) && selected) {
            ok = add_file(w, fp, lp);
        }
    }
    if (ok && errno) ok = walk_fail(w, LP_CODE_IO_ERROR, "%.900s: %s", full, strerror(errno));
    closedir(d);
    return ok;
}

static int run_code_hash(lp_report *r, const char *era_s, const char *dir)
{
    walk_t w;
    memset(&w, 0, sizeof w);
    w.era = strcmp(era_s, "v1") == 0 ? LP_CODEHASH_V1 : LP_CODEHASH_CURRENT;
    lp_report_put_cstr(r, "era", era_s);
    struct stat st;
    int status;
    size_t *order = NULL, m = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        status = lp_report_fail(r, LP_CODE_IO_ERROR, "walk", "%s: %s", dir, errno ? strerror(errno) : "not a directory");
    } else if (!walk(&w, dir, "", 0)) {
        status = lp_report_fail(r, w.code, "walk", "%s", w.why);
    } else {
        lp_check_add(lp_report_checks(r), "walk", LP_CODE_OK, "%zu files selected", w.n);
        uint8_t h[LP_CODEHASH_LEN];
        order = malloc((w.n ? w.n : 1) * sizeof *order);
        lp_eif_err e = order ? lp_codehash_order(w.era, w.files, w.n, order, &m) : LP_EIF_ERR_NOMEM;
        if (!e) e = lp_codehash_compute(w.era, w.files, w.n, h, NULL);
        if (e) {
            status = lp_report_fail(r, lp_eif_code(e), "code_hash", "%s", lp_eif_strerror(e));
        } else {
            char hx[2 * LP_CODEHASH_LEN + 1];
            hex(h, LP_CODEHASH_LEN, hx);
            lpc_value *list = lpc_new_array();
            for (size_t i = 0; i < m; i++) {
                const char *p = w.files[order[i]].path;
                if (list) lpc_array_append(list, lp_json_str(p, strlen(p)));
                lp_report_say(r, "file: %s", p);
            }
            lp_report_put(r, "files", list);
            lp_report_put_cstr(r, "code_hash", hx);
            lp_check_add(lp_report_checks(r), "code_hash", LP_CODE_OK, "%s era, %zu files", era_s, m);
            lp_report_say(r, "code_hash (%s): %s", era_s, hx);
            status = lp_report_finish(r, "COMPUTED: code_hash of the gateway tree (informational, not a root of trust)");
        }
    }
    free(order);
    for (size_t i = 0; i < w.n; i++) {
        free((void *)w.files[i].path);
        free((void *)w.files[i].content);
    }
    free(w.files);
    return status;
}

/* ---- Arguments ---------------------------------------------------------- */

static int add_expect(args_t *a, int idx, const char *hx, char *err, size_t el)
{
    size_t n = 0;
    if (a->nex == MAX_EXPECT) return snprintf(err, el, "at most %d expectations", MAX_EXPECT), -1;
    if (strlen(hx) != 2 * LP_EIF_PCR_LEN || lpc_hex_decode(hx, strlen(hx), a->ex[a->nex].v, LP_EIF_PCR_LEN, &n) != LPC_OK)
        return snprintf(err, el, "expected PCR is not 96 hex digits: %.100s", hx), -1;
    a->ex[a->nex++].idx = idx;
    return 0;
}

static int opt_pcr0(void *ctx, const char *v, char *err, size_t el)
{
    return add_expect(ctx, 0, v, err, el);
}

static int opt_pcr(void *ctx, const char *v, char *err, size_t el)
{
    if (strlen(v) < 2 || v[1] != '=' || !strchr("0128", v[0]))
        return snprintf(err, el, "wants N=HEX with N in 0, 1, 2, 8: %.100s", v), -1;
    return add_expect(ctx, v[0] - '0', v + 2, err, el);
}

static int opt_ramdisk(void *ctx, const char *v, char *err, size_t el)
{
    args_t *a = ctx;
    if (a->n_ramdisks == MAX_RAMDISKS) return snprintf(err, el, "at most %u ramdisks", MAX_RAMDISKS), -1;
    a->ramdisks[a->n_ramdisks++] = v;
    return 0;
}

int main(int argc, char **argv)
{
    args_t a;
    memset(&a, 0, sizeof a);
    int code_hash = 0;
    const char *era = NULL, *args[1];
    const lp_opt opts[] = {
        {"--expect-pcr0", "HEX", "PCR0 the image must have (96 hex digits)", NULL, NULL, opt_pcr0},
        {"--expect-pcr", "N=HEX", "PCR N (0, 1, 2 or 8) the image must have; repeatable", NULL, NULL, opt_pcr},
        {"--build", "OUT.eif", "assemble an image from the parts below", NULL, &a.out, NULL},
        {"--kernel", "FILE", "kernel (--build)", NULL, &a.kernel, NULL},
        {"--cmdline", "FILE", "kernel command line (--build)", NULL, &a.cmdline, NULL},
        {"--ramdisk", "FILE", "a ramdisk, in order; repeatable (--build)", NULL, NULL, opt_ramdisk},
        {"--metadata", "FILE", "metadata JSON (--build; default: fixed values)", NULL, &a.metadata, NULL},
        {"--arch", "ARCH", "x86_64 (default) or aarch64 (--build)", NULL, &a.arch, NULL},
        {"--signing-cert", "PEM", "sign the image (--build, with --signing-key)", NULL, &a.cert, NULL},
        {"--signing-key", "PEM", "its private key", NULL, &a.key, NULL},
        {"--docker-image", "IMAGE", "PCRs of a docker save tar or OCI image layout (dir or tar), without Docker", NULL, &a.docker, NULL},
        {"--platform", "PLATFORM", "linux/amd64 or linux/arm64 (--docker-image; default: the image's only one)", NULL, &a.platform, NULL},
        {"--blobs", "DIR", "nitro-cli blobs (bzImage or Image, cmdline, init, nsm.ko): also PCR0 and PCR1", NULL, &a.blobs, NULL},
        {"--emit-ramdisk", "FILE", "write the customer ramdisk (--docker-image)", NULL, &a.emit_ramdisk, NULL},
        {"--emit-eif", "FILE", "write the unsigned EIF (--docker-image with --blobs)", NULL, &a.emit_eif, NULL},
        {"--code-hash", NULL, "compute the gateway code_hash of GATEWAY_DIR", &code_hash, NULL, NULL},
        {"--era", "ERA", "current (default) or v1 (--code-hash)", NULL, &era, NULL},
        {NULL, NULL, NULL, NULL, NULL, NULL}};
    const lp_cli cli = {TOOL,
                        "[--json] [--expect-pcr0 HEX] [--expect-pcr N=HEX]... IMAGE.eif\n"
                        "--build OUT.eif --kernel FILE --cmdline FILE --ramdisk FILE [--ramdisk FILE]... [--metadata FILE]"
                        " [--arch x86_64|aarch64] [--signing-cert PEM --signing-key PEM]\n"
                        "--code-hash [--era current|v1] GATEWAY_DIR\n"
                        "--docker-image IMAGE [--platform linux/amd64|linux/arm64] [--blobs DIR] [--emit-ramdisk FILE]"
                        " [--emit-eif FILE] [--expect-pcr0 HEX] [--expect-pcr N=HEX]...",
                        "PCR0/1/2 (and PCR8 of a signed image) as nitro-cli describe-eif prints them; a\n"
                        "deterministic EIF build; the gateway code_hash Leadpoet attests.",
                        opts, 0, 1, &a};
    lp_report r;
    size_t n;
    int rc = lp_cli_start(&cli, argc, argv, &r, args, &n);
    if (rc != LP_CLI_GO) return rc;
    int docker_opts = a.platform || a.blobs || a.emit_ramdisk || a.emit_eif;
    if (a.docker) {
        if (code_hash || era || a.out || n) return lp_cli_usage_error(&r, "--docker-image takes no IMAGE.eif, --build or --code-hash");
        if (a.kernel || a.cmdline || a.n_ramdisks || a.metadata || a.arch || a.cert || a.key)
            return lp_cli_usage_error(&r, "build options do not go with --docker-image");
        if (a.platform && strcmp(a.platform, "linux/amd64") && strcmp(a.platform, "linux/arm64"))
            return lp_cli_usage_error(&r, "--platform is linux/amd64 or linux/arm64");
        if (a.emit_eif && !a.blobs) return lp_cli_usage_error(&r, "--emit-eif needs --blobs");
        for (size_t i = 0; i < a.nex; i++)
            if (a.ex[i].idx == 8) return lp_cli_usage_error(&r, "an image built from a Docker image is unsigned: no PCR8");
        return run_docker(&r, &a);
    }
    if (docker_opts) return lp_cli_usage_error(&r, "--platform, --blobs, --emit-ramdisk and --emit-eif need --docker-image");
    int build_opts = a.kernel || a.cmdline || a.n_ramdisks || a.metadata || a.arch || a.cert || a.key;
    if (code_hash) {
        if (a.out || build_opts || a.nex) return lp_cli_usage_error(&r, "--code-hash takes only --era and a directory");
        if (era && strcmp(era, "current") && strcmp(era, "v1")) return lp_cli_usage_error(&r, "--era is current or v1");
        if (!n) return lp_cli_usage_error(&r, "missing GATEWAY_DIR");
        return run_code_hash(&r, era ? era : "current", args[0]);
    }
    if (era) return lp_cli_usage_error(&r, "--era only goes with --code-hash");
    if (a.out) {
        if (n || a.nex) return lp_cli_usage_error(&r, "--build takes no IMAGE or --expect options");
        if (!a.kernel || !a.cmdline || !a.n_ramdisks)
            return lp_cli_usage_error(&r, "--build needs --kernel, --cmdline and at least one --ramdisk");
        if (!a.cert != !a.key) return lp_cli_usage_error(&r, "--signing-cert and --signing-key go together");
        if (a.arch && strcmp(a.arch, "x86_64") && strcmp(a.arch, "aarch64"))
            return lp_cli_usage_error(&r, "--arch is x86_64 or aarch64");
        a.flags = a.arch && !strcmp(a.arch, "aarch64") ? LP_EIF_FLAG_AARCH64 : 0;
        return run_build(&r, &a);
    }
    if (build_opts) return lp_cli_usage_error(&r, "build options need --build OUT.eif");
    if (!n) return lp_cli_usage_error(&r, "missing IMAGE.eif");
    return run_describe(&r, args[0], &a);
}
