/* Enclave Image File (EIF): streamed reader, PCR0/1/2/8, CRC32, deterministic
 * assembly and optional signing.  Spec: eif-pcr-repro.md §1 (layout 1.1-1.3,
 * CRC 1.4, signature 1.6, PCR rules 1.7, reader requirements 1.9).
 *
 * Pure code: no file or network I/O, no globals.  The reader is incremental:
 * feed the file in chunks of any size; memory stays bounded (a 548-byte header
 * buffer, a 12-byte section-header buffer, the signature section, at most
 * LP_EIF_MAX_SIGNATURE_LEN bytes, and the hash contexts), whatever the image size.
 *
 * Errors of eif.c and code_hash.c share the enum lp_eif_err. */
#ifndef LP_EIF_H
#define LP_EIF_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lp_code.h"

#define LP_EIF_MAGIC              ".eif"
#define LP_EIF_HEADER_LEN         548u    /* §1.1 */
#define LP_EIF_SECTION_HEADER_LEN 12u     /* §1.2 */
#define LP_EIF_MAX_SECTIONS       32u     /* §1.1 section_offsets[32] */
#define LP_EIF_MIN_SECTIONS       2u      /* §1.1 num_sections 2..32 */
#define LP_EIF_CRC_OFFSET         544u    /* §1.4: CRC covers all bytes but 544..547 */
#define LP_EIF_MAX_SIGNATURE_LEN  32768u  /* §1.2: signature payload <= 32768 */
#define LP_EIF_PCR_LEN            48u     /* SHA-384 */
#define LP_EIF_VERSION_CURRENT    4u      /* what the builder writes (§1.1) */
#define LP_EIF_DEFAULT_MEM        0x40000000ull /* §1.1 builder default, 1 GiB */
#define LP_EIF_DEFAULT_CPUS       2ull
#define LP_EIF_FLAG_AARCH64       0x0001u /* §1.1 flags bit 0 */

/* Section types, §1.2. */
enum {
    LP_EIF_SEC_INVALID = 0,
    LP_EIF_SEC_KERNEL = 1,
    LP_EIF_SEC_CMDLINE = 2,
    LP_EIF_SEC_RAMDISK = 3,
    LP_EIF_SEC_SIGNATURE = 4,
    LP_EIF_SEC_METADATA = 5
};

/* COSE algorithm identifiers accepted in the signature section (§1.6). */
enum { LP_EIF_COSE_ES256 = -7, LP_EIF_COSE_ES384 = -35, LP_EIF_COSE_ES512 = -36 };

typedef enum {
    LP_EIF_OK = 0,
    LP_EIF_ERR_ARG,              /* invalid argument / API misuse */
    LP_EIF_ERR_NOMEM,            /* allocation failed */
    LP_EIF_ERR_CRYPTO,           /* OpenSSL failed internally */
    LP_EIF_ERR_TRUNCATED,        /* file shorter than its header or its declared sections */
    LP_EIF_ERR_MAGIC,            /* first 4 bytes are not ".eif" */
    LP_EIF_ERR_VERSION,          /* version not 2, 3 or 4 */
    LP_EIF_ERR_FLAGS,            /* flag bits other than bit 0 (arch) set */
    LP_EIF_ERR_RESERVED,         /* a reserved header field is not zero */
    LP_EIF_ERR_SECTION_COUNT,    /* num_sections < 2 or > 32 */
    LP_EIF_ERR_TABLE_UNUSED,     /* non-zero section table entry past num_sections */
    LP_EIF_ERR_SECTION_OVERLAP,  /* table offset points into the header or an earlier section */
    LP_EIF_ERR_SECTION_OFFSET,   /* table offset is not where the previous section ends
                                    (a gap, e.g. it points at a payload, not its header) */
    LP_EIF_ERR_SECTION_BOUNDS,   /* a section reaches past the end of the file (or 2^64) */
    LP_EIF_ERR_TRAILING_DATA,    /* bytes after the last section */
    LP_EIF_ERR_SECTION_TYPE,     /* section type 0 or >= 6 */
    LP_EIF_ERR_SECTION_VERSION,  /* signature in v2 or metadata before v4 */
    LP_EIF_ERR_SECTION_FLAGS,    /* section header flags not 0 */
    LP_EIF_ERR_SECTION_SIZE,     /* section header size differs from the header table */
    LP_EIF_ERR_DUPLICATE_SECTION,/* a second kernel, cmdline, metadata or signature */
    LP_EIF_ERR_SECTION_ORDER,    /* a ramdisk before the kernel */
    LP_EIF_ERR_EMPTY_KERNEL,     /* kernel section of size 0 */
    LP_EIF_ERR_MISSING_KERNEL,
    LP_EIF_ERR_MISSING_CMDLINE,
    LP_EIF_ERR_MISSING_RAMDISK,
    LP_EIF_ERR_MISSING_METADATA, /* v4 requires a metadata section */
    LP_EIF_ERR_CRC,              /* stored CRC32 differs from the computed one */
    LP_EIF_ERR_SIGNATURE_TOO_LARGE, /* signature payload > 32768 bytes */
    LP_EIF_ERR_SIGNATURE_FORMAT, /* signature section CBOR not as §1.6 (incl. COSE structure) */
    LP_EIF_ERR_SIGNATURE_CERT,   /* signing_certificate is not a PEM X.509 certificate */
    LP_EIF_ERR_SIGNATURE_ALG,    /* COSE alg unknown or not matching the certificate key */
    LP_EIF_ERR_SIGNATURE_PCR0,   /* signed register_value differs from the computed PCR0 */
    LP_EIF_ERR_SIGNATURE_INVALID,/* COSE_Sign1 signature does not verify with the certificate */
    LP_EIF_ERR_STATE,            /* reader or builder used out of order, or after an error */
    LP_EIF_ERR_CMDLINE,          /* cmdline not valid UTF-8 (nitro-cli reads it as a string) */
    LP_EIF_ERR_TOO_LARGE,        /* an input exceeds a named cap */
    LP_EIF_ERR_KEY,              /* signing key unusable or not matching the certificate */
    LP_EIF_ERR_CODEHASH_PATH,    /* code_hash: path empty, absolute, with "."/".." or not UTF-8 */
    LP_EIF_ERR_CODEHASH_DUPLICATE/* code_hash: the same logical path twice */
} lp_eif_err;

/* The registry code of e (canonical/lp_code.h; LP_CODE_INTERNAL for a value outside
 * the enum).  Its exit class, lp_code_exit(lp_eif_code(e)), is 1 for
 * SIGNATURE_INVALID and SIGNED_PCR0_MISMATCH (the image was judged) and 2 for
 * every other error (it could not be judged). */
lp_code lp_eif_code(lp_eif_err e);
/* Static strings, never NULL.  lp_eif_errname is lp_code_name(lp_eif_code(e)), the
 * stable UPPER_SNAKE name used in reports (e.g. "BAD_MAGIC", "CRC_MISMATCH"). */
const char *lp_eif_strerror(lp_eif_err e);
const char *lp_eif_errname(lp_eif_err e);

/* Name of a section type ("Kernel", ...); "Invalid" for unknown values. */
const char *lp_eif_section_name(uint16_t type);

/* Standard CRC-32 (reflected 0xEDB88320, init/xorout 0xFFFFFFFF, §1.4); chainable:
 * lp_eif_crc32(lp_eif_crc32(0, a, n), b, m) == CRC of a||b. */
uint32_t lp_eif_crc32(uint32_t crc, const uint8_t *p, size_t n);

typedef struct {
    uint16_t type;
    uint64_t offset;   /* file offset of the 12-byte section header (table entry) */
    uint64_t size;     /* payload size */
} lp_eif_section;

typedef struct {
    uint64_t file_size;
    uint16_t version;
    uint16_t flags;
    uint64_t default_mem;
    uint64_t default_cpus;
    uint16_t num_sections;
    lp_eif_section sections[LP_EIF_MAX_SECTIONS];
    uint32_t crc_stored;
    uint32_t crc_computed;
    int crc_ok;
    uint8_t pcr0[LP_EIF_PCR_LEN];
    uint8_t pcr1[LP_EIF_PCR_LEN];
    uint8_t pcr2[LP_EIF_PCR_LEN];
    int is_signed;                 /* a signature section was present and valid */
    uint8_t pcr8[LP_EIF_PCR_LEN];  /* only when is_signed */
    int cose_alg;                  /* only when is_signed */
} lp_eif_info;

/* ---- Reader --------------------------------------------------------------- */

typedef struct lp_eif_reader lp_eif_reader;

/* file_size is the total number of bytes that will be fed (the table is checked
 * against it as soon as the header is complete).  Free with lp_eif_reader_free. */
lp_eif_err lp_eif_reader_new(uint64_t file_size, lp_eif_reader **out);
void lp_eif_reader_free(lp_eif_reader *r);
/* Feeds the next n bytes.  Returns the first error found; after an error the
 * reader stays failed (further calls return the same error). */
lp_eif_err lp_eif_reader_feed(lp_eif_reader *r, const uint8_t *p, size_t n);
/* After all file_size bytes: final checks (required sections, CRC, signature
 * against PCR0).  *out is filled as far as known even on error, but only an
 * LP_EIF_OK return means every field may be trusted. */
lp_eif_err lp_eif_reader_finish(lp_eif_reader *r, lp_eif_info *out);
/* File offset at which the reader detected its error (or bytes consumed so far). */
uint64_t lp_eif_reader_error_offset(const lp_eif_reader *r);

/* Convenience: the whole image in memory. */
lp_eif_err lp_eif_read(const uint8_t *p, size_t n, lp_eif_info *out);

/* ---- Builder -------------------------------------------------------------- */

/* nitro-cli's cmdline rule (§1.3): the file must be UTF-8 and surrounding
 * whitespace (Unicode White_Space, as Rust's str::trim) is removed; no NUL is
 * added.  Sets *start and *len to the trimmed range inside p. */
lp_eif_err lp_eif_trim_cmdline(const uint8_t *p, size_t n, size_t *start, size_t *len);

typedef struct lp_eif_builder lp_eif_builder;

/* Writes version 4, default_mem 1 GiB, default_cpus 2, the given flags
 * (0 x86_64, LP_EIF_FLAG_AARCH64).  Sections are appended in the order the
 * caller begins them; the caller keeps the §1.3 order (kernel, cmdline,
 * metadata, ramdisks..., signature).  Free with lp_eif_builder_free. */
lp_eif_err lp_eif_builder_new(uint16_t flags, lp_eif_builder **out);
void lp_eif_builder_free(lp_eif_builder *b);
/* Starts a section of the given type and payload size; hdr receives the
 * 12 bytes to write before the payload.  The first section starts at 548. */
lp_eif_err lp_eif_builder_begin(lp_eif_builder *b, uint16_t type, uint64_t size,
                                uint8_t hdr[LP_EIF_SECTION_HEADER_LEN]);
/* Payload bytes of the current section (any chunking). */
lp_eif_err lp_eif_builder_feed(lp_eif_builder *b, const uint8_t *p, size_t n);
/* PCR0 so far (valid once the last measured section is complete); used to sign. */
lp_eif_err lp_eif_builder_pcr0(lp_eif_builder *b, uint8_t pcr0[LP_EIF_PCR_LEN]);
/* Completes the image: header receives the 548 bytes to write at offset 0
 * (CRC included).  *total_size is the file size.  Validates the layout with the
 * same rules as the reader (one kernel, one cmdline, >= 1 ramdisk, metadata). */
lp_eif_err lp_eif_builder_finish(lp_eif_builder *b, uint8_t header[LP_EIF_HEADER_LEN],
                                 uint64_t *total_size);

typedef struct {
    const uint8_t *p;
    size_t len;
} lp_eif_blob;

typedef struct {
    uint16_t flags;
    lp_eif_blob kernel;
    lp_eif_blob cmdline;      /* used as given: trim first with lp_eif_trim_cmdline */
    lp_eif_blob metadata;
    const lp_eif_blob *ramdisks;
    size_t n_ramdisks;
    lp_eif_blob signature;    /* prepared signature section payload, or {NULL,0} */
} lp_eif_parts;

/* Assembles a whole image in memory (a pure function of parts).  *out is
 * malloc'd; caller frees. */
lp_eif_err lp_eif_assemble(const lp_eif_parts *parts, uint8_t **out, size_t *len);

/* Builds the signature section payload (§1.6) signing pcr0 with key_pem
 * (EC P-256/P-384/P-521, matching the certificate); cert_pem is stored as given.
 * ECDSA uses a random nonce, so the bytes differ between runs.  *out malloc'd. */
lp_eif_err lp_eif_sign(const uint8_t pcr0[LP_EIF_PCR_LEN],
                       const uint8_t *cert_pem, size_t cert_len,
                       const uint8_t *key_pem, size_t key_len,
                       uint8_t **out, size_t *len);

/* Parses and checks a signature section payload on its own: structure, PCR8
 * from the first certificate, COSE signature with that certificate, and that
 * the signed register_value equals pcr0 (pass NULL to skip that comparison). */
lp_eif_err lp_eif_check_signature(const uint8_t *p, size_t n, const uint8_t *pcr0,
                                  uint8_t pcr8[LP_EIF_PCR_LEN], int *cose_alg);

#endif
