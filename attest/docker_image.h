/* PCR2 of a Docker image without Docker: the customer ramdisk nitro-cli 1.5.0 builds
 * (docker create + export of the image, linuxkit v1.5.2 with AWS's patches, gocpio).
 * Spec: eif-pcr-repro.md §2.5 (A-E), §2.7, §2.8 (hazards), eif-docker-pcr-validation.md §4
 * (setgid inheritance, hard-link header attributes, device hard links, walk order).
 *
 * Input: a store of named members — a docker save tar (legacy manifest.json or the
 * OCI-style layout Docker >= 25 writes), an OCI image layout as a tar or a directory.
 * The tar store is here (libarchive over the caller's byte source); a directory store is
 * the caller's.  Layers may be uncompressed, gzip or zstd.
 *
 * Memory is O(entries): only entry metadata is kept; file contents go to the caller's
 * spool as they are read and come back from it in export order.  The cpio stream is
 * hashed as it is written and, optionally, given to a sink.  No globals, no file I/O. */
#ifndef LP_DOCKER_IMAGE_H
#define LP_DOCKER_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "attest/cpio.h"
#include "canonical/lp_code.h"

/* Caps (hostile archives are refused within them, LP_CODE_INPUT_TOO_LARGE). */
#define LP_DI_MAX_JSON        (16u << 20)  /* manifest.json, index.json, a config or manifest */
#define LP_DI_MAX_MEMBERS     100000u      /* members of the image tar */
#define LP_DI_MAX_LAYERS      128u         /* overlayfs stacks at most ~128 lower layers */
#define LP_DI_MAX_ENTRIES     2000000u     /* tar entries over all layers */
#define LP_DI_MAX_PATH        4096u        /* Linux PATH_MAX */
#define LP_DI_MAX_NAME        255u         /* Linux NAME_MAX, one component */
#define LP_DI_MAX_DEPTH       1024u        /* path components */
#define LP_DI_MAX_SYMLINK_HOPS 40u         /* Linux MAXSYMLINKS, resolving WorkingDir */
#define LP_DI_MAX_INDEX_DEPTH 4u           /* nested OCI image indexes */
#define LP_DI_MAX_ARGS        100000u      /* Cmd/Entrypoint/Env elements */

/* ---- Stores ---------------------------------------------------------------- */

/* A member opened for reading: read returns bytes (0 at its end, -1 on error). */
typedef struct {
    void *ctx;
    /* Opens member name ("manifest.json", "blobs/sha256/<hex>", "<id>/layer.tar").
     * Returns LP_CODE_OK and a stream, LP_CODE_IMAGE_MALFORMED when there is no such
     * member (why says so), or another code (IO_ERROR, ...). */
    lp_code (*open)(void *ctx, const char *name, void **stream, char *why, size_t wl);
    long (*read)(void *stream, uint8_t *buf, size_t n);
    void (*close)(void *stream);
} lp_di_store;

/* A seekable byte source (a file, memory) holding an image tar. */
typedef struct {
    void *ctx;
    long (*read)(void *ctx, uint8_t *buf, size_t n);         /* 0 at end, -1 on error */
    int64_t (*seek)(void *ctx, int64_t off, int whence);     /* SEEK_SET/CUR/END; -1 on error */
} lp_di_source;

typedef struct lp_di_tar lp_di_tar;
/* Lists the tar's members once (duplicates and traversal names refused, at most
 * LP_DI_MAX_MEMBERS); *store then opens them.  The source must outlive the store.
 * Free with lp_di_tar_free. */
lp_code lp_di_tar_open(const lp_di_source *src, lp_di_tar **out, lp_di_store *store, char *why, size_t wl);
void lp_di_tar_free(lp_di_tar *t);
/* 1 when the tar holds a member of that name. */
int lp_di_tar_has(const lp_di_tar *t, const char *name);

/* ---- Spool ----------------------------------------------------------------- */

/* Append-only scratch space for file contents: append returns 0 (refusing returns
 * non-zero, e.g. over its own cap), pread reads back exactly n bytes at off. */
typedef struct {
    void *ctx;
    int (*append)(void *ctx, const uint8_t *p, size_t n);
    int (*pread)(void *ctx, uint64_t off, uint8_t *p, size_t n);
} lp_di_spool;

/* ---- Measuring ------------------------------------------------------------- */

typedef enum { LP_DI_FORMAT_DOCKER_SAVE = 1, LP_DI_FORMAT_OCI_LAYOUT = 2 } lp_di_format;

typedef struct {
    const char *platform;   /* "linux/amd64", "linux/arm64" or NULL (the image's only one) */
    lp_cpio_sink sink;      /* the customer ramdisk's bytes, or NULL */
    void *sink_ctx;
} lp_di_opts;

typedef struct {
    lp_di_format format;
    char platform[32];          /* "linux/amd64" / "linux/arm64" */
    int aarch64;                /* the EIF flag nitro-cli takes from the image (§1.3) */
    char config_digest[80];     /* "sha256:<hex>" */
    size_t layers;
    uint64_t entries;           /* tar entries over all layers */
    uint64_t ramdisk_size;
    uint8_t ramdisk_sha384[48];
    uint8_t pcr2[48];           /* extend(sha384(ramdisk)), eif-pcr-repro.md §1.7 */
    char *cmd, *env;            /* the cmd and env files (§2.1); malloc'd, NUL-terminated */
    size_t cmd_len, env_len;
    char why[1024];             /* on failure: what, and which path */
} lp_di_result;

/* Measures the image.  LP_CODE_OK fills *res; otherwise res->why says why (the path for
 * IMAGE_NOT_DETERMINISTIC).  Release with lp_di_result_free in every case. */
lp_code lp_di_measure(const lp_di_store *store, const lp_di_spool *spool, const lp_di_opts *opts, lp_di_result *res);
void lp_di_result_free(lp_di_result *res);

/* An image tar in memory (tests, fuzzing): the caller keeps p alive. */
typedef struct {
    const uint8_t *p;
    size_t n, off;
} lp_di_memsource;
lp_di_source lp_di_memsource_source(lp_di_memsource *m);

/* A spool in memory (tests, fuzzing): at most limit bytes; lp_di_memspool_free releases. */
typedef struct {
    uint8_t *p;
    size_t n, cap, limit;
} lp_di_memspool;
lp_di_spool lp_di_memspool_spool(lp_di_memspool *m);
void lp_di_memspool_free(lp_di_memspool *m);

#endif
