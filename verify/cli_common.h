/* Shared command-line plumbing for the verify/ tools: the version, capped input
 * reading.  No verification logic lives here. */
#ifndef LP_CLI_COMMON_H
#define LP_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "canonical/lp_code.h"

/* The Makefile passes the one version (file VERSION) as LP_VERSION_STRING. */
#ifndef LP_VERSION_STRING
#error "LP_VERSION_STRING comes from the Makefile (-DLP_VERSION_STRING=...)"
#endif

/* Reads a whole file, or stdin when path is "-", refusing more than max bytes:
 * LP_CODE_OK, IO_ERROR, INPUT_TOO_LARGE or OUT_OF_MEMORY.  On success *out is
 * malloc'd (caller frees; one spare NUL byte is appended and not counted in *len).
 * On failure a one-line reason naming the path goes to err. */
lp_code lp_read_input(const char *path, size_t max, uint8_t **out, size_t *len, char *err, size_t errlen);

/* Writes len bytes to path exactly (truncating): LP_CODE_OK or IO_ERROR with err set. */
lp_code lp_save_bytes(const char *path, const uint8_t *p, size_t len, char *err, size_t errlen);

#endif
