/* Validator binding message: create, parse (fail closed), field checks.
 * Spec: leadpoet-formats.md §11 (leadpoet_canonical/binding.py@5fe22c16).
 *
 *   LEADPOET_VALIDATOR_BINDING|netuid=<int>|chain=<endpoint>|enclave_pubkey=<hex>|
 *   validator_code_hash=<str>|version=<v>
 *
 * The sr25519 signature of the hotkey over utf8(message) is lpc_hotkey_verify's
 * (canonical/lpc_sr25519.h).  These functions only decide whether the text is well
 * formed and names the expected values; a caller that stops here has NOT verified the
 * binding.
 *
 * Pure functions: no I/O, no globals, no allocation except through the
 * caller's lpc_buf in lpc_binding_create.  Parsed parts point into the
 * caller's message, which must outlive them. */
#ifndef LPC_BINDING_H
#define LPC_BINDING_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"
#include "canonical/lpc_json.h"

#define LPC_BINDING_PREFIX          "LEADPOET_VALIDATOR_BINDING"
#define LPC_BINDING_DEFAULT_VERSION "1"        /* BINDING_MESSAGE_VERSION */
/* Longest message accepted (bytes).  Real ones are about 250 bytes. */
#define LPC_BINDING_MAX_LEN         4096
/* Room for any error text (a message quotes at most 4 bytes per input byte). */
#define LPC_BINDING_ERR_MAX         (4 * LPC_BINDING_MAX_LEN + 64)

typedef enum {
    LPC_BIND_NETUID = 0,
    LPC_BIND_CHAIN,
    LPC_BIND_ENCLAVE_PUBKEY,
    LPC_BIND_CODE_HASH,        /* "validator_code_hash" */
    LPC_BIND_VERSION,
    LPC_BIND_NFIELDS
} lpc_binding_field;

/* A byte range; not NUL-terminated. */
typedef struct { const char *ptr; size_t len; } lpc_strview;

typedef struct {
    lpc_strview field[LPC_BIND_NFIELDS];   /* ptr == NULL: absent */
    lpc_binding_field order[LPC_BIND_NFIELDS];  /* fields in message order */
    size_t nfields;
} lpc_binding_parts;

/* "netuid", "chain", "enclave_pubkey", "validator_code_hash", "version". */
const char *lpc_binding_field_name(lpc_binding_field f);

/* create_binding_message: appends the message to *out (caller frees with
 * lpc_buf_free).  version == NULL means "1".  No escaping (as in Python), so a
 * value with '|' makes a message that will not parse.  Values must be valid
 * UTF-8 (LPC_ERR_UTF8); the result is capped at LPC_BINDING_MAX_LEN
 * (LPC_ERR_TOO_LARGE).  On error out->len is unchanged. */
lpc_err lpc_binding_create(int64_t netuid, lpc_strview chain, lpc_strview enclave_pubkey,
                           lpc_strview validator_code_hash, const lpc_strview *version,
                           lpc_buf *out);

/* parse_binding_message, fail closed.  Returns
 *   LPC_OK           *parts filled; err = "";
 *   LPC_ERR_BINDING  err = Python's message, e.g. "Malformed token (no '='): b",
 *                    "Invalid prefix: expected LEADPOET_VALIDATOR_BINDING",
 *                    "Duplicate key: netuid", "Unknown keys: {'x'}",
 *                    "Missing required keys: {'chain'}";
 *   LPC_ERR_UTF8     the bytes are not valid UTF-8 (Python could not have
 *                    signed them: .encode() fails on lone surrogates);
 *   LPC_ERR_TOO_LARGE  over LPC_BINDING_MAX_LEN.
 * Differences from Python's text, which only concern rejected messages:
 * Python prints key sets in hash order (varies with PYTHONHASHSEED); here
 * unknown keys appear in message order and missing keys in field order
 * (netuid, chain, enclave_pubkey, validator_code_hash).  Keys are quoted like
 * repr(str) for ASCII, U+0080..U+00A0 and U+00AD; other non-ASCII characters
 * are copied raw (Python escapes the non-printable ones).
 * err may be NULL. */
lpc_err lpc_binding_parse(const char *msg, size_t len, lpc_binding_parts *parts,
                          char err[LPC_BINDING_ERR_MAX]);

/* Field checks of verify_binding_message, in Python's order:
 * int(netuid) == expected_netuid, then chain, enclave_pubkey and
 * validator_code_hash by exact byte equality.  LPC_OK or LPC_ERR_BINDING with a
 * reason in err (may be NULL).  Does NOT verify the sr25519 signature. */
lpc_err lpc_binding_check_fields(const lpc_binding_parts *parts, int64_t expected_netuid,
                                 lpc_strview expected_chain,
                                 lpc_strview expected_enclave_pubkey,
                                 lpc_strview expected_code_hash,
                                 char err[LPC_BINDING_ERR_MAX]);

/* Python int(s) with base 10 on a str given as UTF-8:
 * surrounding whitespace (ASCII and Unicode White_Space as str.isspace()),
 * one sign, digits with single underscores between digits, leading zeros,
 * and any Unicode decimal digit (Nd, e.g. U+0667).
 *   LPC_OK          *out set;
 *   LPC_ERR_SYNTAX  Python raises ValueError (invalid literal);
 *   LPC_ERR_INT_DIGITS  more than 4300 digits (CPython's default cap);
 *   LPC_ERR_RANGE   a valid integer outside int64_t (equal to no int64);
 *   LPC_ERR_UTF8    s is not valid UTF-8.
 * Unicode data: CPython 3.11 (Unicode 14.0). */
lpc_err lpc_py_int_parse(const char *s, size_t len, int64_t *out);

/* The decimal value 0..9 of code point c when str.isdecimal() holds for it (ASCII digits
 * and every Unicode Nd digit, which is also what `\d` matches in a str regex), else -1.
 * Unicode data: CPython 3.11 (Unicode 14.0). */
int lpc_py_decimal_digit(uint32_t c);

#endif
