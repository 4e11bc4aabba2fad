/* libFuzzer target: binding message parser, field checks and Python int().
 * clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_binding.c \
 *       canonical/lpc_binding.c canonical/lpc_json.c canonical/lpc_err.c ... */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lpc_binding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpc_binding_parts parts;
    char err[LPC_BINDING_ERR_MAX];
    lpc_err e = lpc_binding_parse((const char *)data, size, &parts, err);
    if (strlen(err) >= LPC_BINDING_ERR_MAX) __builtin_trap();
    if (e == LPC_OK) {
        /* Every required field present and inside the input. */
        for (int f = 0; f < LPC_BIND_CODE_HASH + 1; f++) {
            const lpc_strview *v = &parts.field[f];
            if (!v->ptr || v->ptr < (const char *)data ||
                v->ptr + v->len > (const char *)data + size)
                __builtin_trap();
        }
        lpc_strview x = { "x", 1 };
        (void)lpc_binding_check_fields(&parts, 71, x, x, x, err);
    } else if (parts.nfields != 0) {
        __builtin_trap();   /* fail closed: nothing usable after an error */
    }
    int64_t v;
    (void)lpc_py_int_parse((const char *)data, size, &v);
    return 0;
}
