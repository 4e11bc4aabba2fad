/* The newc cpio writer of nitro-cli's linuxkit (vendored surma/gocpio), byte for byte,
 * hashed with SHA-384 as it is written.  Spec: eif-pcr-repro.md §2.3 (header fields,
 * padding, trailer), §2.4 (the bootstrap ramdisk).
 *
 * Pure code: bytes go to the caller's sink (or nowhere); no file I/O, no globals. */
#ifndef LP_CPIO_H
#define LP_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define LP_CPIO_MAGIC        "070701"    /* §2.3 newc, no CRC */
#define LP_CPIO_HEADER_LEN   110u        /* magic + 13 fields of 8 hex digits */
#define LP_CPIO_FIRST_INO    721u        /* §2.3: gocpio's inode counter starts here */
#define LP_CPIO_DEV_MAJOR    3u          /* §2.3: every header says device 3:1 */
#define LP_CPIO_DEV_MINOR    1u
#define LP_CPIO_BLOCK        512u        /* §2.3: the archive is padded to 512 */
#define LP_CPIO_FIELD_MAX    0xffffffffu /* §2.3: 8 hex digits per field */
#define LP_CPIO_MAX_NAME     65535u      /* names longer than this are refused */
#define LP_CPIO_DEFAULT_MTIME 1492533000 /* §2.4: linuxkit's defaultModTime, 2017-04-18T16:30:00Z */

/* File types, the high bits of the newc mode (§2.3). */
enum {
    LP_CPIO_FIFO = 001, LP_CPIO_CHR = 002, LP_CPIO_DIR = 004, LP_CPIO_BLK = 006,
    LP_CPIO_REG = 010, LP_CPIO_SYMLINK = 012
};

/* Receives every archive byte in order; returns 0, or non-zero to stop the writer. */
typedef int (*lp_cpio_sink)(void *ctx, const uint8_t *p, size_t n);

typedef struct lp_cpio lp_cpio;

typedef struct {
    const char *name;   /* not NUL-terminated necessarily: name_len bytes */
    size_t name_len;
    unsigned type;      /* LP_CPIO_* */
    uint32_t perm;      /* the tar mode's low 12 bits (setuid, setgid, sticky kept) */
    uint64_t uid, gid;
    int64_t mtime;      /* seconds */
    uint64_t size;      /* regular: content length; symlink: target length; else 0 */
    uint32_t rdev_major, rdev_minor;
} lp_cpio_entry;

typedef enum {
    LP_CPIO_OK = 0,
    LP_CPIO_ERR_NOMEM,
    LP_CPIO_ERR_RANGE,   /* a field does not fit 8 hex digits (uid, mtime, size >= 4 GiB, ...) */
    LP_CPIO_ERR_STATE,   /* data longer or shorter than the header said, or use after finish */
    LP_CPIO_ERR_SINK,    /* the sink refused the bytes */
    LP_CPIO_ERR_CRYPTO
} lp_cpio_err;

/* sink may be NULL (hash only).  Free with lp_cpio_free. */
lp_cpio_err lp_cpio_new(lp_cpio_sink sink, void *ctx, lp_cpio **out);
/* The same without the SHA-384 (the sink hashes): lp_cpio_finish then leaves sha384 alone. */
lp_cpio_err lp_cpio_new_unhashed(lp_cpio_sink sink, void *ctx, lp_cpio **out);
void lp_cpio_free(lp_cpio *w);
/* One header; then exactly e->size bytes of lp_cpio_data (for a symlink: its target). */
lp_cpio_err lp_cpio_header(lp_cpio *w, const lp_cpio_entry *e);
lp_cpio_err lp_cpio_data(lp_cpio *w, const uint8_t *p, size_t n);
/* The trailer and the 512 padding; *size and sha384 of the whole archive (sha384 may be
 * NULL for a writer made by lp_cpio_new_unhashed). */
lp_cpio_err lp_cpio_finish(lp_cpio *w, uint64_t *size, uint8_t sha384[48]);
/* The first field that did not fit, for messages ("uid", "mtime", "size", ...). */
const char *lp_cpio_range_field(const lp_cpio *w);

/* The bootstrap ramdisk (§2.4): dev/, init, nsm.ko with linuxkit's fixed attributes. */
lp_cpio_err lp_cpio_bootstrap(const uint8_t *init, size_t init_len, const uint8_t *nsm, size_t nsm_len,
                              lp_cpio_sink sink, void *ctx, uint64_t *size, uint8_t sha384[48]);

#endif
