/* The arena of a parsed document (lpc_value_internal.h): nodes and arrays in word
 * blocks, keys, strings and digits in byte blocks, each block list growing
 * geometrically, all released with the root. */
#include "canonical/lpc_value_internal.h"

#include <stdalign.h>
#include <stdlib.h>

#include "canonical/lpc_mem.h"

#define BLOCK_MIN ((size_t)256)
#define BLOCK_MAX ((size_t)64 << 20)  /* growth stops doubling here */

struct lpc_block {
    lpc_block *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
};

lpc_doc *lpc_doc_new(size_t words_hint, size_t bytes_hint, size_t limit)
{
    if (limit < sizeof(lpc_doc)) return NULL;
    lpc_doc *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->root.flags = LPC_VALUE_IN_DOC | LPC_VALUE_DOC_ROOT;
    d->words_hint = words_hint < BLOCK_MIN ? BLOCK_MIN : words_hint > BLOCK_MAX ? BLOCK_MAX : words_hint;
    d->bytes_hint = bytes_hint < BLOCK_MIN ? BLOCK_MIN : bytes_hint;
    d->limit = limit;
    d->charged = sizeof *d;
    return d;
}

int lpc_doc_charge(lpc_doc *d, size_t n)
{
    if (d->bill && !lpc_doc_charge(d->bill, n)) { d->over = 1; return 0; }
    if (d->bill) return 1;
    if (n > d->limit - d->charged) { d->over = 1; return 0; }
    d->charged += n;
    return 1;
}

void lpc_doc_uncharge(lpc_doc *d, size_t n)
{
    if (d->bill) lpc_doc_uncharge(d->bill, n);
    else d->charged -= n < d->charged ? n : d->charged;
}

/* What the budget this document is charged to has left. */
static size_t doc_room(const lpc_doc *d)
{
    while (d->bill) d = d->bill;
    return d->limit - d->charged;
}

static void *take(lpc_doc *d, lpc_block **head, size_t first, size_t n, size_t align)
{
    lpc_block *b = *head;
    if (b) {
        size_t at = (b->used + align - 1) & ~(align - 1);
        if (at <= b->cap && n <= b->cap - at) {
            b->used = at + n;
            return b->data + at;
        }
    }
    size_t cap = b ? (b->cap < BLOCK_MAX / 2 ? b->cap * 2 : BLOCK_MAX) : first;
    /* under a budget a block grows no further than what is left of it, so that a
     * document may use its budget and not only the blocks' doubling steps under it */
    size_t room = doc_room(d);
    if (room > sizeof(lpc_block) && cap > room - sizeof(lpc_block)) cap = room - sizeof(lpc_block);
    if (cap < n) cap = n;
    if (cap > SIZE_MAX - sizeof(lpc_block) || !lpc_doc_charge(d, sizeof(lpc_block) + cap)) return NULL;
    lpc_block *nb = malloc(sizeof(lpc_block) + cap);
    if (!nb) { lpc_doc_uncharge(d, sizeof(lpc_block) + cap); return NULL; }
    lpc_mem_hint_huge(nb, sizeof(lpc_block) + cap);
    nb->next = b;
    nb->cap = cap;
    nb->used = n;
    *head = nb;
    return nb->data;
}

void *lpc_doc_words(lpc_doc *d, size_t n)
{
    return take(d, &d->words, d->words_hint, n ? n : 1, alignof(max_align_t));
}

char *lpc_doc_bytes(lpc_doc *d, size_t n) { return take(d, &d->bytes, d->bytes_hint, n ? n : 1, 1); }

void lpc_doc_bytes_trim(lpc_doc *d, const char *p, size_t used)
{
    lpc_block *b = d->bytes;
    if (b && (const unsigned char *)p >= b->data && (const unsigned char *)p <= b->data + b->used)
        b->used = (size_t)((const unsigned char *)p - b->data) + used;
}

static void free_blocks(lpc_block *b)
{
    while (b) {
        lpc_block *n = b->next;
        free(b);
        b = n;
    }
}

static void free_blocks_uncharged(lpc_doc *d, lpc_block *b)
{
    while (b) {
        lpc_block *n = b->next;
        lpc_doc_uncharge(d, sizeof(lpc_block) + b->cap);
        free(b);
        b = n;
    }
}

static void reset_list(lpc_doc *d, lpc_block *b)
{
    if (!b) return;
    free_blocks_uncharged(d, b->next);
    b->next = NULL;
    b->used = 0;
}

void lpc_doc_reset(lpc_doc *d)
{
    reset_list(d, d->words);
    reset_list(d, d->bytes);
}

void lpc_doc_free(lpc_doc *d)
{
    if (!d) return;
    free_blocks(d->words);
    free_blocks(d->bytes);
    free(d->text);
    free(d);
}
