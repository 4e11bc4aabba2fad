/* Large allocations: a hint that lets the kernel back them with transparent huge pages,
 * so that filling a document's arena or an input buffer of tens of megabytes takes a
 * fault per 2 MiB rather than per 4 KiB page.  A hint only: contents, sizes and
 * ownership are unchanged, and where the system has no such hint it does nothing. */
#ifndef LPC_MEM_H
#define LPC_MEM_H

#include <stddef.h>

#define LPC_MEM_HUGE_MIN ((size_t)4 << 20)  /* smaller regions are left alone */

/* Advises the whole pages inside [p, p + n) when n >= LPC_MEM_HUGE_MIN.  p is memory the
 * caller owns (from malloc or realloc); the caller frees it as before. */
void lpc_mem_hint_huge(void *p, size_t n);

#endif
