/* Canonical JSON throughput beside same-run physical references: memcpy and
 * raw SHA-256 over the same bytes.  Run by `make bench`, never by `make check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A Leadpoet-like event batch: objects with ids, floats, nested reasons. */
static lpc_buf make_doc(size_t events)
{
    lpc_buf b = {0};
    lpc_buf_append(&b, "[", 1);
    for (size_t i = 0; i < events; i++) {
        char item[512];
        int n = snprintf(item, sizeof item,
                         "%s{\"event_type\":\"VALIDATION_RESULT\",\"actor_hotkey\":\"5F%040zu\","
                         "\"nonce\":\"%08zx-aaaa-bbbb\",\"ts\":\"2025-11-20T10:%02zu:00+00:00\","
                         "\"payload\":{\"lead_id\":\"lead-%zu\",\"rep_score\":%zu,\"v_trust\":0.%06zu,"
                         "\"stake\":%zu.%03zu,\"reason\":{\"message\":\"caf\\u00e9 %zu\"}},\"sequence\":%zu}",
                         i ? "," : "", i, i, i % 60, i, i % 49, (i * 7919) % 1000000, i * 31, i % 1000, i, i);
        lpc_buf_append(&b, item, (size_t)n);
    }
    lpc_buf_append(&b, "]", 1);
    return b;
}

int main(void)
{
    lpc_buf doc = make_doc(20000);
    const int rounds = 20;
    double mb = (double)doc.len * rounds / 1e6;
    uint8_t *copy = malloc(doc.len);
    uint8_t d[32];

    double t = now();
    for (int r = 0; r < rounds; r++) {
        memcpy(copy, doc.ptr, doc.len);
        __asm__ volatile("" ::"r"(copy) : "memory");
    }
    double t_memcpy = now() - t;

    t = now();
    for (int r = 0; r < rounds; r++) lpc_sha256(doc.ptr, doc.len, d);
    double t_sha = now() - t;

    t = now();
    lpc_value *v = NULL;
    for (int r = 0; r < rounds; r++) {
        lpc_free(v);
        v = NULL;
        if (lpc_parse(doc.ptr, doc.len, &v, NULL) != LPC_OK) return 1;
    }
    double t_parse = now() - t;

    lpc_buf out = {0};
    t = now();
    for (int r = 0; r < rounds; r++) {
        out.len = 0;
        if (lpc_dump(v, LPC_PROFILE_CS_A, &out) != LPC_OK) return 1;
    }
    double t_dump = now() - t;

    t = now();
    for (int r = 0; r < rounds; r++) {
        out.len = 0;
        lpc_dump(v, LPC_PROFILE_CS_A, &out);
        lpc_sha256(out.ptr, out.len, d);
    }
    double t_hash = now() - t;

    printf("bench_canonical: %zu-byte event batch x %d rounds\n", doc.len, rounds);
    printf("  limit  memcpy                 %9.1f MB/s\n", mb / t_memcpy);
    printf("  limit  raw SHA-256            %9.1f MB/s\n", mb / t_sha);
    printf("  parse  (Python model)         %9.1f MB/s\n", mb / t_parse);
    printf("  dump   compact-sorted-ascii   %9.1f MB/s\n", mb / t_dump);
    printf("  dump+SHA-256 (leaf hashing)   %9.1f MB/s  (%.0f%% of raw SHA-256)\n", mb / t_hash,
           100.0 * t_sha / t_hash);
    lpc_free(v);
    lpc_buf_free(&out);
    lpc_buf_free(&doc);
    free(copy);
    return 0;
}
