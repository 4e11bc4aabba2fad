/* Shared helpers for the Check unit tests. */
#ifndef LP_TEST_H
#define LP_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_json.h"

/* Reads vectors/<rel> (LP_VECTORS overrides the folder).  Aborts the test on failure.
 * Caller frees *len bytes with free(). */
uint8_t *lp_read_vector(const char *rel, size_t *len);
/* Reads and parses a vector JSON file with the canonical parser; caller lpc_free()s. */
lpc_value *lp_load_json_vector(const char *rel);
/* Field access that fails the running test when the field is missing or of the wrong type. */
const lpc_value *lp_field(const lpc_value *obj, const char *key);
const char *lp_field_str(const lpc_value *obj, const char *key);
int64_t lp_field_i64(const lpc_value *obj, const char *key);
/* Parses hex or fails the test; returns malloc'd bytes. */
uint8_t *lp_unhex(const char *hex, size_t *len);

/* Runs one suite, prints Check's summary line, returns the process exit status. */
int lp_run_suite(Suite *s);

#define LP_TEST_MAIN(suite_fn) \
    int main(void) { return lp_run_suite(suite_fn()); }

#endif
