/* Internals shared by lpc_attested_v2.c and lpc_attested_v2_graph.c (not installed). */
#ifndef LPC_ATTESTED_V2_INTERNAL_H
#define LPC_ATTESTED_V2_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_attested_v2.h"

/* Longest text any attested_v2 pattern can match, in bytes (a 256-character identifier;
 * a timestamp of 4-byte Unicode digits is 80): longer normalised texts match nothing. */
#define AV2_TEXT_MAX 1024

typedef struct {
    char b[AV2_TEXT_MAX * 2 + 8];
    size_t n;
} av2_text;

enum { AV2_STRIP = 1u, AV2_LOWER = 2u, AV2_UPPER = 4u, AV2_RSTRIP_DOT = 8u };

lp_code av2_fail(lpc_referr *err, const char *msg);
lp_code av2_nomem(lpc_referr *err);
/* str(v or "") normalised by `how` into t (a container gives a text no pattern matches). */
void av2_text_of(const lpc_value *v, unsigned how, av2_text *t);
void av2_text_of_bytes(const char *s, size_t n, unsigned how, av2_text *t);

/* Python iteration over a value: array items, string characters, object keys */
typedef struct {
    const lpc_value *v;
    size_t pos;
} av2_iter;
lp_code av2_iter_start(const lpc_value *v, av2_iter *it, lpc_referr *err);
/* 1 with the next element: *item (array) or the text (*s, *n), a character or a key. */
int av2_iter_next(av2_iter *it, const lpc_value **item, const char **s, size_t *n);
/* Room for the elements that can pass a sha256-reference check: array items, object
 * keys; 0 for a string (one character never does) and for the default NULL. */
size_t av2_iter_count(const lpc_value *v);

/* _hash(value, field) into a 71-char text (the message names field). */
lp_code av2_hash_item(const lpc_value *item, const char *s, size_t n, const char *field, av2_text *t,
                      lpc_referr *err);
/* _identifier(value, field). */
lp_code av2_identifier_item(const lpc_value *item, const char *s, size_t n, const char *field,
                            av2_text *t, lpc_referr *err);
/* The Merkle root over n digests (sorted and de-duplicated in place). */
void av2_merkle_digests(uint8_t (*d)[32], size_t n, const char *domain, char out[LPC_AV2_REF_SIZE]);
/* set(value) == fields (the `label fields do not match canonical schema` check). */
lp_code av2_exact_fields(const lpc_value *v, const char *const *fields, size_t nf, const char *label,
                         lpc_referr *err);
/* sha256_json re-typed as AttestedV2Error. */
lp_code av2_sha256_json(const lpc_value *v, char out[LPC_AV2_REF_SIZE], lpc_referr *err);

#endif
