/* The huge-page hint (lpc_mem.h). */
#include "canonical/lpc_mem.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

void lpc_mem_hint_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (!p || n < LPC_MEM_HUGE_MIN) return;
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0) return;
    uintptr_t mask = (uintptr_t)pg - 1, a = ((uintptr_t)p + mask) & ~mask,
              e = ((uintptr_t)p + n) & ~mask;
    /* a refusal (no THP support, a kernel without it) leaves ordinary pages */
    if (e > a) (void)madvise((void *)a, (size_t)(e - a), MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}
