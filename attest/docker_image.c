/* The customer ramdisk of a Docker image, as nitro-cli 1.5.0 builds it.
 * Spec: eif-pcr-repro.md §2.5 A-E, §2.7, §2.8; eif-docker-pcr-validation.md §4.
 *
 * Model (moby v20.10 overlay2 + daemon/initlayer, linuxkit v1.5.2 moby/build):
 *  1. each layer is extracted on its own (pkg/archive Unpack with the overlay whiteout
 *     converter) into a layer tree of names over inodes;
 *  2. the layer trees are merged as overlayfs shows them (topmost name wins, whiteouts
 *     and opaque directories hide lower content);
 *  3. the init layer and the WorkingDir rule are applied to the merged tree;
 *  4. the tree is walked as docker export walks it, filtered as linuxkit filters it,
 *     prefixed with rootfs/ and written as gocpio writes newc. */
#include "attest/docker_image.h"

#include <archive.h>
#include <pthread.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_utf8.h"
#include "canonical/lpc_value.h"

#define IO_CHUNK (64u << 10)

/* §2.5 C: linuxkit's fixed /etc/hosts (160 bytes) and the resolv.conf symlink target. */
static const char k_hosts[] =
    "127.0.0.1       localhost\n"
    "::1     localhost ip6-localhost ip6-loopback\n"
    "fe00::0 ip6-localnet\n"
    "ff00::0 ip6-mcastprefix\n"
    "ff02::1 ip6-allnodes\n"
    "ff02::2 ip6-allrouters\n";
static const char k_resolv_target[] = "/run/resolvconf/resolv.conf";

/* §2.5 C: names of the export, without the prefix. */
static const char *const k_exclude[] = {".dockerenv", "Dockerfile", "dev/console", "dev/pts", "dev/shm", "etc/hostname"};
/* linuxkit's touch table, in Go's sorted order: found entries get mtime D, missing ones
 * are appended after the export with these headers (etc/hosts and etc/resolv.conf count
 * as found once replaced, AWS patch 3). */
static const struct { const char *name, *cpio_name; unsigned type; uint32_t perm; } k_touch[] = {
    {"dev/", "rootfs/dev", LP_CPIO_DIR, 0755},        {"dev/pts/", "rootfs/dev/pts", LP_CPIO_DIR, 0755},
    {"dev/shm/", "rootfs/dev/shm", LP_CPIO_DIR, 0755}, {"etc/", "rootfs/etc", LP_CPIO_DIR, 0755},
    {"etc/hosts", "rootfs/etc/hosts", LP_CPIO_REG, 0644}, {"etc/mtab", "rootfs/etc/mtab", LP_CPIO_SYMLINK, 0755},
    {"etc/resolv.conf", "rootfs/etc/resolv.conf", LP_CPIO_SYMLINK, 0644}, {"proc/", "rootfs/proc", LP_CPIO_DIR, 0755},
    {"sys/", "rootfs/sys", LP_CPIO_DIR, 0755}};
#define N_TOUCH (sizeof k_touch / sizeof k_touch[0])
/* §2.5 D: the files: section of nitro-cli's YAML. */
static const char *const k_files_dirs[] = {"rootfs", "rootfs/dev", "rootfs/run", "rootfs/sys", "rootfs/var",
                                           "rootfs/proc", "rootfs/tmp"};

/* moby go-archive boundTime: times before 1970 or past int64 nanoseconds become 0. */
#define GO_MAX_UNIX_SEC 9223372036LL

enum { K_DIR = 1, K_REG, K_SYM, K_CHR, K_BLK, K_FIFO };

typedef struct inode {
    uint8_t kind;
    uint8_t unknown_time;   /* mtime is the load or create time of the host (§2.8) */
    uint32_t perm;          /* mode & 07777 */
    uint32_t rmaj, rmin;
    uint32_t nlink;         /* names of this inode in its layer */
    uint64_t uid, gid;
    int64_t mtime;
    uint64_t size, off;     /* regular: content at off in the spool */
    const char *link;       /* symlink target */
    size_t link_len;
    const char *first;      /* export: the first path of a link group met in walk order */
    size_t first_len;
} inode;

typedef struct node {
    struct node *parent, *kids, *prev, *next, *hnext;
    const char *name;
    uint32_t nlen;
    uint8_t whiteout, opaque, hidden, modified;
    inode *ino;             /* NULL for a whiteout or a hidden name */
} node;

/* Bump allocator: everything of one measurement is released at once. */
typedef struct block { struct block *next; size_t used, cap; } block;

typedef struct {
    block *blocks;
    node **buckets;
    size_t nbuckets, nnodes;
    const lp_di_spool *spool;
    uint64_t spool_off;
    uint64_t entries;
    lp_di_result *res;
    lp_code code;
    uint8_t *buf;            /* IO_CHUNK */
    char *path;              /* LP_DI_MAX_PATH + 64 */
    struct comps *pc, *lc;   /* scratch for split_path */
} ctx;

static int failf(ctx *c, lp_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(ctx *c, lp_code code, const char *fmt, ...)
{
    if (c->code != LP_CODE_OK) return 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->res->why, sizeof c->res->why, fmt, ap);
    va_end(ap);
    c->code = code;
    return 0;
}

static void *arena(ctx *c, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    block *b = c->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > (1u << 20) - sizeof(block) - 16 ? n : (1u << 20) - sizeof(block) - 16;
        b = malloc(sizeof(block) + 16 + cap);
        if (!b) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory"), NULL;
        b->next = c->blocks;
        b->used = 0;
        b->cap = cap;
        c->blocks = b;
    }
    void *p = (uint8_t *)(b + 1) + 16 + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

static char *arena_str(ctx *c, const char *s, size_t n)
{
    char *d = arena(c, n + 1);
    if (d) memcpy(d, s, n);
    return d;
}

/* ---- Names: children of a node, found through one hash table ---------------- */

static size_t hkey(const node *parent, const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)parent;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

static node *lookup(ctx *c, node *parent, const char *s, size_t n)
{
    for (node *x = c->buckets[hkey(parent, s, n) & (c->nbuckets - 1)]; x; x = x->hnext)
        if (x->parent == parent && x->nlen == n && memcmp(x->name, s, n) == 0) return x;
    return NULL;
}

static int grow(ctx *c)
{
    size_t nb = c->nbuckets * 2;
    node **b = calloc(nb, sizeof *b);
    if (!b) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < c->nbuckets; i++)
        for (node *x = c->buckets[i], *nx; x; x = nx) {
            nx = x->hnext;
            size_t k = hkey(x->parent, x->name, x->nlen) & (nb - 1);
            x->hnext = b[k];
            b[k] = x;
        }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = nb;
    return 1;
}

/* A new child (name must stay valid: arena or a static string). */
static node *add_child(ctx *c, node *parent, const char *name, size_t n)
{
    if (c->nnodes >= c->nbuckets && !grow(c)) return NULL;
    node *x = arena(c, sizeof *x);
    if (!x) return NULL;
    x->parent = parent;
    x->name = name;
    x->nlen = (uint32_t)n;
    x->next = parent->kids;
    if (parent->kids) parent->kids->prev = x;
    parent->kids = x;
    size_t k = hkey(parent, name, n) & (c->nbuckets - 1);
    x->hnext = c->buckets[k];
    c->buckets[k] = x;
    c->nnodes++;
    return x;
}

static void unhash(ctx *c, node *x)
{
    node **pp = &c->buckets[hkey(x->parent, x->name, x->nlen) & (c->nbuckets - 1)];
    while (*pp && *pp != x) pp = &(*pp)->hnext;
    if (*pp) *pp = x->hnext;
    c->nnodes--;
}

/* os.RemoveAll of a layer name: the subtree goes, its inodes lose a name. */
static void remove_tree(ctx *c, node *x)
{
    while (x->kids) remove_tree(c, x->kids);
    if (x->prev) x->prev->next = x->next;
    else x->parent->kids = x->next;
    if (x->next) x->next->prev = x->prev;
    if (x->ino && x->ino->nlink) x->ino->nlink--;
    unhash(c, x);
}

static int is_dir(const node *x) { return x && x->ino && x->ino->kind == K_DIR && !x->whiteout && !x->hidden; }

/* ---- Paths ---------------------------------------------------------------- */

typedef struct comps {
    const char *p[LP_DI_MAX_DEPTH];
    uint16_t n[LP_DI_MAX_DEPTH];
    size_t count;
} comps;

/* filepath.Clean plus the breakout rule of pkg/archive Unpack: "", "." and a leading
 * "/" vanish; ".." anywhere is refused (docker load refuses what escapes, and a path
 * that needs ".." to stay inside is not one a Docker layer holds). */
static int split_path(ctx *c, const char *s, size_t len, comps *out, const char *what)
{
    out->count = 0;
    if (len > LP_DI_MAX_PATH) return failf(c, LP_CODE_INPUT_TOO_LARGE, "%s: path longer than %u bytes", what, LP_DI_MAX_PATH);
    if (!lpc_utf8_valid((const uint8_t *)s, len, 0, NULL))
        return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "%s: path is not UTF-8 (eif-pcr-repro.md section 2.8)", what);
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '/') j++;
        size_t n = j - i;
        if (n == 2 && s[i] == '.' && s[i + 1] == '.')
            return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: path %.*s has a \"..\" component", what, (int)(len > 300 ? 300 : len), s);
        if (n && memchr(s + i, 0, n))
            return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: path holds a NUL byte", what);
        if (n && !(n == 1 && s[i] == '.')) {
            if (n > LP_DI_MAX_NAME)
                return failf(c, LP_CODE_INPUT_TOO_LARGE, "%s: a path component is longer than %u bytes", what, LP_DI_MAX_NAME);
            if (out->count == LP_DI_MAX_DEPTH)
                return failf(c, LP_CODE_INPUT_TOO_LARGE, "%s: more than %u path components", what, LP_DI_MAX_DEPTH);
            out->p[out->count] = s + i;
            out->n[out->count++] = (uint16_t)n;
        }
        i = j + 1;
    }
    return 1;
}

/* ---- 1. One layer, extracted on its own ---------------------------------- */

static inode *new_inode(ctx *c, uint8_t kind)
{
    inode *i = arena(c, sizeof *i);
    if (i) i->kind = kind, i->nlink = 1;
    return i;
}

/* Docker's boundTime on the header's mtime; sub-second parts are dropped at export. */
static int64_t bound_time(struct archive_entry *e)
{
    if (!archive_entry_mtime_is_set(e)) return 0;
    int64_t t = (int64_t)archive_entry_mtime(e);
    return t < 0 || t > GO_MAX_UNIX_SEC ? 0 : t;
}

static int spool_put(ctx *c, const uint8_t *p, size_t n, const char *what)
{
    if (n && c->spool->append(c->spool->ctx, p, n))
        return failf(c, LP_CODE_IO_ERROR, "%s: the content spool refused %zu bytes", what, n);
    return 1;
}

/* The entry's content into the spool, straight from libarchive's blocks; the holes of a
 * sparse file are zeros (as Go's reader gives them). */
static int spool_content(ctx *c, struct archive *a, struct archive_entry *e, inode *in, const char *what)
{
    uint64_t want = in->size, got = 0;
    in->off = c->spool_off;
    for (;;) {
        const void *blk;
        size_t k = 0;
        la_int64_t off = 0;
        int r = archive_read_data_block(a, &blk, &k, &off);
        if (r == ARCHIVE_EOF) break;
        if (r != ARCHIVE_OK) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s", what, archive_error_string(a));
        if (off < 0 || (uint64_t)off < got || (uint64_t)off > want || k > want - (uint64_t)off)
            return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: more content than its header says", what);
        while (got < (uint64_t)off) { /* a hole */
            size_t z = (uint64_t)off - got < IO_CHUNK ? (size_t)((uint64_t)off - got) : IO_CHUNK;
            memset(c->buf, 0, z);
            if (!spool_put(c, c->buf, z, what)) return 0;
            got += z;
        }
        if (!spool_put(c, blk, k, what)) return 0;
        got += k;
    }
    while (got < want && archive_entry_sparse_count(e) > 0) { /* a trailing hole */
        size_t z = want - got < IO_CHUNK ? (size_t)(want - got) : IO_CHUNK;
        memset(c->buf, 0, z);
        if (!spool_put(c, c->buf, z, what)) return 0;
        got += z;
    }
    if (got != want) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: truncated file content", what);
    c->spool_off += got;
    return 1;
}

/* Applies one tar entry to the layer tree root (pkg/archive Unpack + createTarFile). */
static int apply_entry(ctx *c, node *root, struct archive *a, struct archive_entry *e, const char *what)
{
    const char *pn = archive_entry_pathname(e);
    if (!pn) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: an entry without a name", what);
    comps *pcp = c->pc, *lcp = c->lc;
#define pc (*pcp)
#define lc (*lcp)
    if (!split_path(c, pn, strlen(pn), &pc, what)) return 0;
    if (!pc.count) return 1; /* the root's own header is ignored (Unpack: hdr.Name == ".") */
    node *dir = root;
    for (size_t i = 0; i + 1 < pc.count; i++) {
        node *x = lookup(c, dir, pc.p[i], pc.n[i]);
        if (!x) {
            /* MkdirAllAndChownNew(parent, 0755, root): setgid comes from the parent (§4.1). */
            char *nm = arena_str(c, pc.p[i], pc.n[i]);
            inode *in = new_inode(c, K_DIR);
            if (!nm || !in || !(x = add_child(c, dir, nm, pc.n[i]))) return 0;
            in->perm = 0755 | (dir->ino ? dir->ino->perm & 02000 : 0);
            in->unknown_time = 1;
            x->ino = in;
        } else if (!is_dir(x)) {
            return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s lies below a non-directory", what, pn);
        }
        dir = x;
    }
    const char *base = pc.p[pc.count - 1];
    size_t bl = pc.n[pc.count - 1];
    node *old = lookup(c, dir, base, bl);
    unsigned ft = archive_entry_filetype(e);
    const char *hl = archive_entry_hardlink(e);
    int wants_dir = !hl && ft == AE_IFDIR;
    if (old && !(is_dir(old) && wants_dir)) {
        remove_tree(c, old);
        old = NULL;
    }
    /* The overlay whiteout converter (§2.5 B1). */
    if (bl >= 4 && memcmp(base, ".wh.", 4) == 0) {
        if (bl == 12 && memcmp(base, ".wh..wh..opq", 12) == 0) {
            if (dir != root) dir->opaque = 1;
            return 1;
        }
        if (bl >= 8 && memcmp(base, ".wh..wh.", 8) == 0)
            return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "%s: AUFS metadata entry %s", what, pn);
        const char *o = base + 4;
        size_t ol = bl - 4;
        if (!ol || (ol == 1 && o[0] == '.') || (ol == 2 && o[0] == '.' && o[1] == '.'))
            return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: whiteout %s names no entry of its directory", what, pn);
        if (lookup(c, dir, o, ol))
            return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: whiteout %s after an entry of that name in the same layer", what, pn);
        char *nm = arena_str(c, o, ol);
        node *w = nm ? add_child(c, dir, nm, ol) : NULL;
        if (!w) return 0;
        w->whiteout = 1;
        return 1;
    }
    int64_t mt = bound_time(e);
    la_int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);
    if (uid < 0 || gid < 0) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s has a negative owner", what, pn);
    uint32_t perm = (uint32_t)archive_entry_perm(e) & 07777u;
    if (hl) {
        if (!split_path(c, hl, strlen(hl), &lc, what)) return 0;
        node *t = lc.count ? root : NULL;
        for (size_t i = 0; t && i < lc.count; i++) {
            t = lookup(c, t, lc.p[i], lc.n[i]);
            if (t && i + 1 < lc.count && !is_dir(t)) t = NULL;
        }
        if (!t || t->whiteout)
            return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: hard link %s to %s, which the layer does not hold before it", what, pn, hl);
        if (t->ino->kind == K_DIR) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: hard link %s to the directory %s", what, pn, hl);
        char *nm = arena_str(c, base, bl);
        node *x = nm ? add_child(c, dir, nm, bl) : NULL;
        if (!x) return 0;
        x->ino = t->ino;
        t->ino->nlink++;
        /* The header's attributes go to the shared inode (validation §4.2). */
        t->ino->uid = (uint64_t)uid;
        t->ino->gid = (uint64_t)gid;
        if (t->ino->kind != K_SYM) {
            t->ino->perm = perm;
            t->ino->mtime = mt;
        }
        return 1;
    }
    uint8_t kind;
    switch (ft) {
    case AE_IFDIR: kind = K_DIR; break;
    case AE_IFREG: kind = K_REG; break;
    case AE_IFLNK: kind = K_SYM; break;
    case AE_IFCHR: kind = K_CHR; break;
    case AE_IFBLK: kind = K_BLK; break;
    case AE_IFIFO: kind = K_FIFO; break;
    case AE_IFSOCK: return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "%s: %s is a socket", what, pn);
    default: return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "%s: %s has an unsupported tar type", what, pn);
    }
    if (old) { /* a directory over a directory: the header's attributes, contents kept */
        old->ino->perm = perm;
        old->ino->uid = (uint64_t)uid;
        old->ino->gid = (uint64_t)gid;
        old->ino->mtime = mt;
        old->ino->unknown_time = 0;
        return 1;
    }
    char *nm = arena_str(c, base, bl);
    inode *in = new_inode(c, kind);
    node *x = nm && in ? add_child(c, dir, nm, bl) : NULL;
    if (!x) return 0;
    x->ino = in;
    in->perm = perm;
    in->uid = (uint64_t)uid;
    in->gid = (uint64_t)gid;
    in->mtime = mt;
    if (kind == K_CHR || kind == K_BLK) {
        in->rmaj = (uint32_t)archive_entry_rdevmajor(e);
        in->rmin = (uint32_t)archive_entry_rdevminor(e);
        if (kind == K_CHR && !in->rmaj && !in->rmin) { /* overlayfs reads char 0:0 as a whiteout */
            x->whiteout = 1;
            x->ino = NULL;
            return 1;
        }
    } else if (kind == K_SYM) {
        const char *ln = archive_entry_symlink(e);
        if (!ln || !*ln) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: symlink %s without a target (docker load fails)", what, pn);
        in->link_len = strlen(ln);
        if (in->link_len > LP_DI_MAX_PATH) return failf(c, LP_CODE_INPUT_TOO_LARGE, "%s: symlink target of %s too long", what, pn);
        if (!lpc_utf8_valid((const uint8_t *)ln, in->link_len, 0, NULL))
            return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "%s: symlink target of %s is not UTF-8", what, pn);
        if (!(in->link = arena_str(c, ln, in->link_len))) return 0;
    } else if (kind == K_REG) {
        la_int64_t sz = archive_entry_size(e);
        if (sz < 0) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s has a negative size", what, pn);
        if ((uint64_t)sz > LP_CPIO_FIELD_MAX)
            return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "%s: %s is 4 GiB or larger (newc sizes are 32 bits, section 2.3)", what, pn);
        in->size = (uint64_t)sz;
        return spool_content(c, a, e, in, what);
    }
    return 1;
#undef pc
#undef lc
}

/* The tar type flags as Go's archive/tar sees them.  libarchive reads unknown types (and
 * '7', GNU sparse) as regular files, where Docker's extractor stops ("unhandled tar
 * header type"), so the decompressed stream is also walked block by block here and each
 * entry's own type flag is queued for apply_entry (cross-checked with libarchive's type). */
#define TYPEQ_CAP 4096u
#define PAX_CAP   (1u << 20)  /* one pax extended header */

typedef struct {
    uint8_t hdr[512];
    size_t hn;             /* bytes of hdr filled */
    uint64_t skip;         /* data and padding bytes still to pass */
    int in_pax;            /* the data being passed is an 'x' header's records */
    uint8_t *pax;
    size_t paxn;
    int64_t pax_size;      /* a "size" record for the next entry, or -1 */
    int done, bad;
    uint8_t q[TYPEQ_CAP];  /* type flags not yet taken */
    size_t qh, qt;
} tarscan;

static uint64_t tar_num(const uint8_t *f, size_t n, int *ok)
{
    uint64_t v = 0;
    if (f[0] & 0x80) { /* base-256 (GNU); values past 2^63 are refused */
        if (f[0] != 0x80) return *ok = 0, 0;
        for (size_t i = 1; i < n; i++) {
            if (v >> 55) return *ok = 0, 0;
            v = (v << 8) | f[i];
        }
        return v;
    }
    size_t i = 0;
    while (i < n && (f[i] == ' ' || f[i] == 0)) i++;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 60) return *ok = 0, 0;
        v = v * 8 + (uint64_t)(f[i] - '0');
    }
    return v;
}

/* The "size" record of a pax extended header ("LEN size=N\n"), or -1. */
static int64_t pax_size(const uint8_t *p, size_t n)
{
    int64_t r = -1;
    size_t i = 0;
    while (i < n) {
        size_t len = 0, j = i;
        while (j < n && p[j] >= '0' && p[j] <= '9' && len < 100000000) len = len * 10 + (size_t)(p[j++] - '0');
        if (j >= n || p[j] != ' ' || len < 2 || len > n - i) return -2;
        const uint8_t *kv = p + j + 1, *end = p + i + len - 1; /* end: the '\n' */
        if (*end != '\n') return -2;
        if (end - kv > 5 && memcmp(kv, "size=", 5) == 0) {
            int64_t v = 0;
            for (const uint8_t *d = kv + 5; d < end; d++) {
                if (*d < '0' || *d > '9' || v > (INT64_MAX - 9) / 10) return -2;
                v = v * 10 + (*d - '0');
            }
            r = v;
        }
        i += len;
    }
    return r;
}

static void scan_header(tarscan *t)
{
    const uint8_t *h = t->hdr;
    int zero = 1;
    for (size_t i = 0; i < 512 && zero; i++) zero = !h[i];
    if (zero) { /* end of archive: the rest is padding */
        t->done = 1;
        return;
    }
    int ok = 1;
    uint64_t size = tar_num(h + 124, 12, &ok);
    uint8_t tf = h[156];
    if (!ok) {
        t->bad = 1;
        return;
    }
    if (tf == 'x' || tf == 'g' || tf == 'L' || tf == 'K') {
        t->in_pax = 0;
        if (tf == 'x') {
            if (size > PAX_CAP) {
                t->bad = 1;
                return;
            }
            t->paxn = 0;
            t->pax_size = -1;
            t->in_pax = size ? (int)size + 1 : 0; /* the records' length + 1 */
        }
        t->skip = (size + 511) & ~(uint64_t)511;
        return;
    }
    if (t->pax_size >= 0) size = (uint64_t)t->pax_size;
    t->pax_size = -1;
    /* Go: links, symlinks, devices, directories and fifos carry no data */
    if (tf == '1' || tf == '2' || tf == '3' || tf == '4' || tf == '5' || tf == '6') size = 0;
    if (t->qt - t->qh == TYPEQ_CAP) {
        t->bad = 1;
        return;
    }
    t->q[t->qt++ % TYPEQ_CAP] = tf;
    t->skip = (size + 511) & ~(uint64_t)511;
}

static void scan_bytes(tarscan *t, const uint8_t *p, size_t n)
{
    while (n && !t->done && !t->bad) {
        if (t->skip) {
            size_t k = t->skip < n ? (size_t)t->skip : n;
            if (t->in_pax) { /* collect the records, not the padding */
                size_t want = (size_t)t->in_pax - 1 - t->paxn, c = k < want ? k : want;
                if (c) {
                    if (!t->pax && !(t->pax = malloc(PAX_CAP))) {
                        t->bad = 1;
                        return;
                    }
                    memcpy(t->pax + t->paxn, p, c);
                    t->paxn += c;
                }
            }
            t->skip -= k;
            p += k;
            n -= k;
            if (!t->skip && t->in_pax) {
                t->pax_size = pax_size(t->pax, t->paxn);
                if (t->pax_size == -2) t->bad = 1;
                t->in_pax = 0;
            }
            continue;
        }
        size_t k = 512 - t->hn < n ? 512 - t->hn : n;
        memcpy(t->hdr + t->hn, p, k);
        t->hn += k;
        p += k;
        n -= k;
        if (t->hn == 512) {
            t->hn = 0;
            scan_header(t);
        }
    }
}

/* A hash computed on a second thread (a layer's diff_id while it is inflated and parsed,
 * the ramdisk's SHA-384 while it is written).  Blocks are copied into a ring of slots; without a thread the
 * hash runs inline.  The result is the same either way. */
#define HQ_SLOTS 8u
#define HQ_BLOCK (256u << 10)

typedef struct {
    lpc_hash_ctx *h;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    struct { uint8_t *p; size_t n; } slot[HQ_SLOTS];
    size_t head, tail;     /* slots hashed / filled */
    int threaded, stop, err, claimed;
} hashq;

static void *hq_main(void *arg)
{
    hashq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->head == q->tail && !q->stop) pthread_cond_wait(&q->more, &q->mu);
        if (q->head == q->tail) break;
        size_t i = q->head % HQ_SLOTS;
        pthread_mutex_unlock(&q->mu);
        int bad = lpc_hash_update(q->h, q->slot[i].p, q->slot[i].n) != LPC_OK;
        pthread_mutex_lock(&q->mu);
        q->err |= bad;
        q->head++;
        pthread_cond_signal(&q->room);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static void hq_publish(hashq *q)
{
    pthread_mutex_lock(&q->mu);
    q->tail++;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->mu);
    q->claimed = 0;
}

static int hq_start(hashq *q, lpc_hash_alg alg)
{
    memset(q, 0, sizeof *q);
    if (!(q->h = lpc_hash_ctx_new(alg))) return 0;
    if (pthread_mutex_init(&q->mu, NULL)) return 1;
    if (pthread_cond_init(&q->more, NULL)) {
        pthread_mutex_destroy(&q->mu);
        return 1;
    }
    if (pthread_cond_init(&q->room, NULL)) {
        pthread_cond_destroy(&q->more);
        pthread_mutex_destroy(&q->mu);
        return 1;
    }
    q->threaded = pthread_create(&q->th, NULL, hq_main, q) == 0;
    if (!q->threaded) {
        pthread_cond_destroy(&q->room);
        pthread_cond_destroy(&q->more);
        pthread_mutex_destroy(&q->mu);
    }
    return 1;
}

/* Bytes are gathered into blocks of HQ_BLOCK before the thread sees them. */
static int hq_feed(hashq *q, const void *p, size_t n)
{
    if (!q->threaded) return lpc_hash_update(q->h, p, n) == LPC_OK;
    const uint8_t *b = p;
    while (n) {
        size_t i = q->tail % HQ_SLOTS;
        if (!q->claimed) {
            pthread_mutex_lock(&q->mu);
            while (q->tail - q->head == HQ_SLOTS) pthread_cond_wait(&q->room, &q->mu);
            pthread_mutex_unlock(&q->mu);
            if (!q->slot[i].p && !(q->slot[i].p = malloc(HQ_BLOCK))) return 0;
            q->slot[i].n = 0;
            q->claimed = 1;
        }
        size_t k = HQ_BLOCK - q->slot[i].n < n ? HQ_BLOCK - q->slot[i].n : n;
        memcpy(q->slot[i].p + q->slot[i].n, b, k); /* the slot is ours until tail moves past it */
        q->slot[i].n += k;
        b += k;
        n -= k;
        if (q->slot[i].n == HQ_BLOCK) hq_publish(q);
    }
    return 1;
}

/* Waits for the thread; out may be NULL (abandoned).  Returns 1 when out holds the hash. */
static int hq_finish(hashq *q, uint8_t *out)
{
    int ok = q->h != NULL;
    if (q->threaded) {
        if (q->claimed && q->slot[q->tail % HQ_SLOTS].n) hq_publish(q);
        pthread_mutex_lock(&q->mu);
        q->stop = 1;
        pthread_cond_signal(&q->more);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->th, NULL);
        ok = ok && !q->err;
        pthread_cond_destroy(&q->room);
        pthread_cond_destroy(&q->more);
        pthread_mutex_destroy(&q->mu);
        q->threaded = 0;
    }
    if (ok && out) ok = lpc_hash_final(q->h, out) == LPC_OK;
    for (size_t i = 0; i < HQ_SLOTS; i++) free(q->slot[i].p);
    memset(q->slot, 0, sizeof q->slot);
    lpc_hash_ctx_free(q->h);
    q->h = NULL;
    return ok && out;
}

/* Reads the decompressed layer through a raw reader (hashing it for the diff_id and
 * walking its headers) and hands it to the tar reader. */
typedef struct {
    struct archive *raw;
    hashq *h;
    const void *blk;
    int err;
    tarscan *scan;
} rawpipe;

static la_ssize_t raw_read(struct archive *a, void *ud, const void **out)
{
    (void)a;
    rawpipe *p = ud;
    size_t n = 0;
    la_int64_t off;
    int r = archive_read_data_block(p->raw, out, &n, &off);
    if (r == ARCHIVE_EOF) return 0;
    if (r != ARCHIVE_OK) return p->err = 1, -1;
    if (!hq_feed(p->h, *out, n)) return p->err = 1, -1;
    scan_bytes(p->scan, *out, n);
    return (la_ssize_t)n;
}

/* The next entry's own type flag, checked against libarchive's reading of it. */
static int type_flag(ctx *c, tarscan *t, struct archive_entry *e, const char *what)
{
    if (t->bad || t->qh == t->qt)
        return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: tar headers that cannot be walked (entry %s)", what,
                     archive_entry_pathname(e) ? archive_entry_pathname(e) : "?");
    uint8_t tf = t->q[t->qh++ % TYPEQ_CAP];
    unsigned ft = archive_entry_filetype(e);
    int hl = archive_entry_hardlink(e) != NULL;
    const char *pn = archive_entry_pathname(e) ? archive_entry_pathname(e) : "?";
    int agree;
    switch (tf) {
    case '0': case 0: agree = !hl && ft == AE_IFREG; break;
    case '1': agree = hl; break;
    case '2': agree = !hl && ft == AE_IFLNK; break;
    case '3': agree = !hl && ft == AE_IFCHR; break;
    case '4': agree = !hl && ft == AE_IFBLK; break;
    case '5': agree = !hl && ft == AE_IFDIR; break;
    case '6': agree = !hl && ft == AE_IFIFO; break;
    default:
        return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED,
                     "%s: %s has tar type '%c' (0x%02x), which Docker's extractor refuses", what, pn,
                     tf >= 0x20 && tf < 0x7f ? tf : '?', tf);
    }
    if (!agree) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s: its tar header reads two ways", what, pn);
    return 1;
}

typedef struct {
    const lp_di_store *st;
    void *s;
    lpc_hash_ctx *h;     /* digest of the stored (compressed) bytes, or NULL */
    uint8_t *buf;
    int err;
    uint64_t total;      /* stored bytes read */
} memberpipe;

static la_ssize_t member_read(struct archive *a, void *ud, const void **out)
{
    (void)a;
    memberpipe *m = ud;
    long k = m->st->read(m->s, m->buf, IO_CHUNK);
    if (k < 0) return m->err = 1, -1;
    if (k > 0 && m->h && lpc_hash_update(m->h, m->buf, (size_t)k) != LPC_OK) return m->err = 1, -1;
    if (k > 0) m->total += (uint64_t)k;
    *out = m->buf;
    return k;
}

typedef struct {
    const char *member;
    uint8_t diff_id[32];
    int check_blob;          /* OCI: sha256 of the stored bytes must be blob */
    uint8_t blob[32];
    int64_t size;            /* the descriptor's size of the stored bytes, or -1 */
} layer_ref;

static int parse_layer(ctx *c, const lp_di_store *st, const layer_ref *L, size_t idx, node *root)
{
    char what[300];
    snprintf(what, sizeof what, "layer %zu (%.200s)", idx + 1, L->member);
    void *s = NULL;
    char why[512] = "";
    lp_code oc = st->open(st->ctx, L->member, &s, why, sizeof why);
    if (oc != LP_CODE_OK) return failf(c, oc, "%s: %s", what, why);
    uint8_t *mbuf = malloc(IO_CHUNK);
    memberpipe mp = {st, s, L->check_blob ? lpc_hash_ctx_new(LPC_SHA256) : NULL, mbuf, 0, 0};
    tarscan *scan = calloc(1, sizeof *scan);
    hashq hq;
    int hq_ok = hq_start(&hq, LPC_SHA256);
    rawpipe rp = {archive_read_new(), &hq, NULL, 0, scan};
    struct archive *tar = archive_read_new();
    int ok = 1;
    if (scan) scan->pax_size = -1;
    if (!mbuf || !scan || !rp.raw || !hq_ok || !hq.h || !tar || (L->check_blob && !mp.h)) {
        ok = failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
        goto out;
    }
    archive_read_support_filter_gzip(rp.raw);
    archive_read_support_filter_zstd(rp.raw);
    archive_read_support_format_raw(rp.raw);
    archive_read_support_format_empty(rp.raw);
    if (archive_read_open(rp.raw, &mp, NULL, member_read, NULL) != ARCHIVE_OK) {
        ok = failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s", what, archive_error_string(rp.raw));
        goto out;
    }
    struct archive_entry *e;
    int r = archive_read_next_header(rp.raw, &e);
    if (r == ARCHIVE_EOF) {
        ok = failf(c, LP_CODE_IMAGE_MALFORMED, "%s: empty layer", what);
        goto out;
    }
    if (r != ARCHIVE_OK) {
        ok = failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s", what, archive_error_string(rp.raw));
        goto out;
    }
    archive_read_support_format_tar(tar);
    if (archive_read_open(tar, &rp, NULL, raw_read, NULL) != ARCHIVE_OK) {
        ok = failf(c, LP_CODE_IMAGE_MALFORMED, "%s: not a tar: %s", what, archive_error_string(tar));
        goto out;
    }
    for (;;) {
        r = archive_read_next_header(tar, &e);
        if (r == ARCHIVE_EOF) break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            ok = failf(c, mp.err ? LP_CODE_IO_ERROR : LP_CODE_IMAGE_MALFORMED, "%s: %s", what,
                       archive_error_string(tar) ? archive_error_string(tar) : "unreadable");
            goto out;
        }
        if (++c->entries > LP_DI_MAX_ENTRIES) {
            ok = failf(c, LP_CODE_INPUT_TOO_LARGE, "more than %u tar entries in the layers", LP_DI_MAX_ENTRIES);
            goto out;
        }
        if (!type_flag(c, scan, e, what) || !apply_entry(c, root, tar, e, what)) {
            ok = 0;
            goto out;
        }
    }
    /* The rest of the decompressed stream (tar padding) belongs to the diff_id. */
    for (;;) {
        const void *p;
        la_ssize_t k = raw_read(NULL, &rp, &p);
        if (k == 0) break;
        if (k < 0) {
            ok = failf(c, LP_CODE_IMAGE_MALFORMED, "%s: %s", what, archive_error_string(rp.raw));
            goto out;
        }
    }
    uint8_t d[32];
    if (L->check_blob) {
        for (;;) { /* bytes past the compressed stream's end */
            long k = st->read(s, mbuf, IO_CHUNK);
            if (k < 0) {
                ok = failf(c, LP_CODE_IO_ERROR, "%s: read error", what);
                goto out;
            }
            if (!k) break;
            lpc_hash_update(mp.h, mbuf, (size_t)k);
            mp.total += (uint64_t)k;
        }
        if (L->size >= 0 && mp.total != (uint64_t)L->size) {
            ok = failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%s: %llu bytes where its descriptor says %lld", what,
                       (unsigned long long)mp.total, (long long)L->size);
            goto out;
        }
        if (lpc_hash_final(mp.h, d) != LPC_OK || memcmp(d, L->blob, 32) != 0) {
            ok = failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%s: its bytes do not have the digest that names the blob", what);
            goto out;
        }
    }
    if (!hq_finish(&hq, d) || memcmp(d, L->diff_id, 32) != 0) {
        ok = failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%s: uncompressed content differs from the config's rootfs.diff_ids[%zu]", what, idx);
        goto out;
    }
out:
    if (tar) archive_read_free(tar);
    if (rp.raw) archive_read_free(rp.raw);
    if (hq_ok) hq_finish(&hq, NULL);
    lpc_hash_ctx_free(mp.h);
    if (scan) free(scan->pax);
    free(scan);
    free(mbuf);
    st->close(s);
    return ok;
}

/* ---- 2. Overlay merge ----------------------------------------------------- */

static int merge_dir(ctx *c, node *m, node **stack, size_t k, unsigned depth)
{
    if (depth > LP_DI_MAX_DEPTH) return failf(c, LP_CODE_INPUT_TOO_LARGE, "tree deeper than %u", LP_DI_MAX_DEPTH);
    for (size_t i = 0; i < k; i++) {
        for (node *x = stack[i]->kids; x; x = x->next) {
            if (lookup(c, m, x->name, x->nlen)) continue; /* decided by a higher layer */
            node *y = add_child(c, m, x->name, x->nlen);
            if (!y) return 0;
            if (x->whiteout) {
                y->hidden = 1;
                continue;
            }
            y->ino = x->ino;
            if (x->ino->kind != K_DIR) continue;
            node **sub = malloc((k - i) * sizeof *sub);
            if (!sub) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
            size_t n = 0;
            sub[n++] = x;
            for (size_t j = i + 1; j < k && !sub[n - 1]->opaque; j++) {
                node *z = lookup(c, stack[j], x->name, x->nlen);
                if (!z) continue;
                if (!is_dir(z)) break; /* a whiteout or a non-directory hides the rest */
                sub[n++] = z;
            }
            int ok = merge_dir(c, y, sub, n, depth + 1);
            free(sub);
            if (!ok) return 0;
        }
    }
    return 1;
}

/* ---- 3. docker create: the init layer, WorkingDir ----------------------- */

static node *mk_node(ctx *c, node *parent, const char *name, uint8_t kind)
{
    node *x = lookup(c, parent, name, strlen(name));
    if (x) { /* a hidden name becomes visible again */
        x->hidden = 0;
    } else if (!(x = add_child(c, parent, name, strlen(name)))) {
        return NULL;
    }
    inode *in = new_inode(c, kind);
    if (!in) return NULL;
    in->unknown_time = 1;
    x->ino = in;
    x->modified = 0;
    parent->modified = 1;
    return x;
}

static int init_layer(ctx *c, node *root)
{
    static const struct { const char *path; uint8_t kind; } k_init[] = {
        {"dev/pts", K_DIR}, {"dev/shm", K_DIR}, {"proc", K_DIR}, {"sys", K_DIR}, {".dockerenv", K_REG},
        {"etc/resolv.conf", K_REG}, {"etc/hosts", K_REG}, {"etc/hostname", K_REG}, {"dev/console", K_REG},
        {"etc/mtab", K_SYM}};
    for (size_t i = 0; i < sizeof k_init / sizeof k_init[0]; i++) {
        const char *path = k_init[i].path;
        char comp[2][16];
        size_t nc = 0;
        for (const char *p = path; *p; nc++) {
            size_t l = strcspn(p, "/");
            memcpy(comp[nc], p, l);
            comp[nc][l] = 0;
            p += l + (p[l] == '/');
        }
        /* unlink every component that is not a directory */
        node *d = root;
        int exists = 1;
        for (size_t j = 0; j < nc && exists; j++) {
            node *x = lookup(c, d, comp[j], strlen(comp[j]));
            if (!x || x->hidden) {
                exists = 0;
                break;
            }
            if (!is_dir(x)) {
                x->hidden = 1;
                x->ino = NULL;
                d->modified = 1;
                exists = 0;
                break;
            }
            d = x;
        }
        if (exists) continue; /* the path is a directory already */
        /* MkdirAllAndChownNew(dir(path), 0755, root) */
        d = root;
        for (size_t j = 0; j + 1 < nc; j++) {
            node *x = lookup(c, d, comp[j], strlen(comp[j]));
            if (!x || x->hidden) {
                uint32_t sg = d->ino ? d->ino->perm & 02000 : 0;
                char *nm = arena_str(c, comp[j], strlen(comp[j]));
                if (!nm || !(x = mk_node(c, d, nm, K_DIR))) return 0;
                x->ino->perm = 0755 | sg;
            }
            d = x;
        }
        uint32_t sg = d->ino ? d->ino->perm & 02000 : 0;
        uint64_t pgid = d->ino ? d->ino->gid : 0;
        const char *leaf = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        node *x = mk_node(c, d, leaf, k_init[i].kind);
        if (!x) return 0;
        if (k_init[i].kind == K_DIR) {
            x->ino->perm = 0755 | sg;
        } else if (k_init[i].kind == K_REG) {
            x->ino->perm = 0755; /* os.OpenFile(O_CREATE, 0755), then Chown(0, 0) */
        } else {
            x->ino->perm = 0777; /* os.Symlink, not chowned: the group of a setgid parent (§4.1) */
            x->ino->gid = sg ? pgid : 0;
            x->ino->link = "/proc/mounts";
            x->ino->link_len = 12;
        }
    }
    return 1;
}

/* container.SetupWorkingDirectory: GetResourcePath (symlinks resolved inside the root),
 * then MkdirAll — which makes the directory with the host's time when it is missing. */
static int check_workdir(ctx *c, node *root, const char *wd, size_t wl)
{
    char path[LP_DI_MAX_PATH + 1];
    if (!wl) return 1;
    if (wl > LP_DI_MAX_PATH || memchr(wd, 0, wl)) return failf(c, LP_CODE_IMAGE_MALFORMED, "WorkingDir is not a usable path");
    memcpy(path, wd, wl);
    path[wl] = 0;
    /* A stack of nodes from the root; components are consumed from a work string. */
    node *stackn[LP_DI_MAX_DEPTH + 1];
    size_t sp = 0;
    stackn[0] = root;
    char work[2 * LP_DI_MAX_PATH + 2];
    snprintf(work, sizeof work, "%s", path);
    size_t pos = 0, hops = 0;
    while (work[pos]) {
        while (work[pos] == '/') pos++;
        if (!work[pos]) break;
        size_t l = strcspn(work + pos, "/");
        const char *s = work + pos;
        pos += l;
        if (l == 1 && s[0] == '.') continue;
        if (l == 2 && s[0] == '.' && s[1] == '.') {
            if (sp) sp--;
            continue;
        }
        node *x = lookup(c, stackn[sp], s, l);
        if (!x || x->hidden || !x->ino)
            return failf(c, LP_CODE_IMAGE_NOT_DETERMINISTIC,
                         "WorkingDir %.300s does not exist in the image: docker create makes it with the host's clock (eif-pcr-repro.md section 2.8)",
                         path);
        if (x->ino->kind == K_SYM) {
            if (++hops > LP_DI_MAX_SYMLINK_HOPS) return failf(c, LP_CODE_IMAGE_MALFORMED, "WorkingDir %.300s: too many symlinks", path);
            char rest[2 * LP_DI_MAX_PATH + 2];
            if (x->ino->link_len + strlen(work + pos) + 2 > sizeof rest)
                return failf(c, LP_CODE_IMAGE_MALFORMED, "WorkingDir %.300s: path too long", path);
            size_t tl = strlen(work + pos);
            memcpy(rest, x->ino->link, x->ino->link_len);
            rest[x->ino->link_len] = '/';
            memcpy(rest + x->ino->link_len + 1, work + pos, tl + 1);
            if (x->ino->link_len && x->ino->link[0] == '/') sp = 0;
            memcpy(work, rest, x->ino->link_len + tl + 2);
            pos = 0;
            continue;
        }
        if (x->ino->kind != K_DIR) return failf(c, LP_CODE_IMAGE_MALFORMED, "WorkingDir %.300s is not a directory: docker create fails", path);
        if (sp == LP_DI_MAX_DEPTH) return failf(c, LP_CODE_INPUT_TOO_LARGE, "WorkingDir too deep");
        stackn[++sp] = x;
    }
    return 1;
}

/* ---- 4. Export walk, linuxkit, newc -------------------------------------- */

typedef struct {
    ctx *c;
    lp_cpio *w;
    char *name;       /* the export name being built (without the prefix) */
    uint8_t found[N_TOUCH];
} walker;

static int in_list(const char *const *list, size_t n, const char *s, size_t l)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == l && memcmp(list[i], s, l) == 0) return 1;
    return 0;
}

static int cpio_fail(ctx *c, lp_cpio *w, lp_cpio_err e, const char *name)
{
    if (e == LP_CPIO_ERR_RANGE)
        return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "/%.300s: its %s does not fit a newc header (eif-pcr-repro.md section 2.3)",
                     name, lp_cpio_range_field(w));
    if (e == LP_CPIO_ERR_SINK) return failf(c, LP_CODE_IO_ERROR, "writing the ramdisk failed");
    if (e == LP_CPIO_ERR_NOMEM) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    return failf(c, LP_CODE_INTERNAL, "cpio writer error %d", (int)e);
}

static int emit(walker *W, const lp_cpio_entry *ce, const uint8_t *data, const char *xname)
{
    lp_cpio_err e = lp_cpio_header(W->w, ce);
    if (!e && data && ce->size) e = lp_cpio_data(W->w, data, (size_t)ce->size);
    return e ? cpio_fail(W->c, W->w, e, xname) : 1;
}

/* filepath.Rel(filepath.Dir(link), target) for two clean relative paths. */
static size_t rel_path(const char *link, size_t ll, const char *t, size_t tl, char *out, size_t cap)
{
    size_t dl = ll;
    while (dl && link[dl - 1] != '/') dl--;
    if (dl) dl--;
    size_t i = 0, j = 0;
    while (i < dl && j < tl) { /* drop the common leading components */
        size_t a = i, b = j;
        while (a < dl && link[a] != '/') a++;
        while (b < tl && t[b] != '/') b++;
        if (a - i != b - j || memcmp(link + i, t + j, a - i) != 0) break;
        i = a < dl ? a + 1 : dl;
        j = b < tl ? b + 1 : tl;
    }
    size_t ups = 0, n = 0;
    if (i < dl) {
        ups = 1;
        for (size_t k = i; k < dl; k++) ups += link[k] == '/';
    }
    for (size_t k = 0; k < ups && n + 3 <= cap; k++, n += 3) memcpy(out + n, "../", 3);
    if (j < tl && n + (tl - j) <= cap) {
        memcpy(out + n, t + j, tl - j);
        n += tl - j;
    } else if (n) {
        n--; /* "..", not "../" */
    } else if (cap) {
        out[n++] = '.';
    }
    return n;
}

static int cmp_nodes(const void *a, const void *b)
{
    const node *x = *(node *const *)a, *y = *(node *const *)b;
    size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
    int r = memcmp(x->name, y->name, n);
    return r ? r : (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

static int emit_regular(walker *W, const lp_cpio_entry *ce, const inode *in, const char *xname)
{
    ctx *c = W->c;
    lp_cpio_err e = lp_cpio_header(W->w, ce);
    if (e) return cpio_fail(c, W->w, e, xname);
    uint64_t off = in->off, left = in->size;
    while (left) {
        size_t k = left < IO_CHUNK ? (size_t)left : IO_CHUNK;
        if (c->spool->pread(c->spool->ctx, off, c->buf, k)) return failf(c, LP_CODE_IO_ERROR, "reading the content spool failed");
        if ((e = lp_cpio_data(W->w, c->buf, k))) return cpio_fail(c, W->w, e, xname);
        off += k;
        left -= k;
    }
    return 1;
}

static int walk(walker *W, node *dir, size_t plen, unsigned depth)
{
    ctx *c = W->c;
    size_t n = 0;
    for (node *x = dir->kids; x; x = x->next) n += !x->hidden && x->ino;
    if (!n) return 1;
    node **kids = malloc(n * sizeof *kids);
    if (!kids) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    n = 0;
    for (node *x = dir->kids; x; x = x->next)
        if (!x->hidden && x->ino) kids[n++] = x;
    qsort(kids, n, sizeof *kids, cmp_nodes);
    int ok = 1;
    char *nm = W->name; /* "rootfs/" + export name */
    const size_t P = 7;
    for (size_t i = 0; i < n && ok; i++) {
        node *x = kids[i];
        inode *in = x->ino;
        int d = in->kind == K_DIR;
        size_t l = plen + x->nlen + (size_t)d;
        if (P + l > LP_DI_MAX_PATH) {
            ok = failf(c, LP_CODE_INPUT_TOO_LARGE, "a path is longer than %u bytes", LP_DI_MAX_PATH);
            break;
        }
        memcpy(nm + P + plen, x->name, x->nlen);
        if (d) nm[P + plen + x->nlen] = '/';
        nm[P + l] = 0;
        const char *xn = nm + P; /* the export name */
        /* docker export: the first name of a multiply-linked inode is the file, later ones link to it */
        const char *link_to = NULL;
        size_t link_len = 0;
        if (!d && in->nlink > 1) {
            if (in->first) {
                link_to = in->first;
                link_len = in->first_len;
            } else if (!(in->first = arena_str(c, nm, P + l))) {
                ok = 0;
                break;
            } else {
                in->first_len = P + l;
            }
        }
        if (in_list(k_exclude, sizeof k_exclude / sizeof *k_exclude, xn, l)) goto recurse;
        int hosts = l == 9 && !memcmp(xn, "etc/hosts", 9);
        int resolv = l == 15 && !memcmp(xn, "etc/resolv.conf", 15);
        int touched = 0;
        for (size_t t = 0; t < N_TOUCH; t++)
            if (strlen(k_touch[t].name) == l && !memcmp(k_touch[t].name, xn, l)) touched = 1, W->found[t] = 1;
        if (!touched && !hosts && !resolv && (in->unknown_time || x->modified)) {
            ok = failf(c, LP_CODE_IMAGE_NOT_DETERMINISTIC,
                       "/%.300s: its mtime would be the host's load or create time (a directory no layer declares, eif-pcr-repro.md section 2.8)",
                       xn);
            break;
        }
        lp_cpio_entry ce = {nm, P + l, 0, in->perm, in->uid, in->gid, in->mtime, 0, 0, 0};
        if (touched || hosts || resolv) ce.mtime = LP_CPIO_DEFAULT_MTIME;
        if (in->kind == K_CHR || in->kind == K_BLK) ce.rdev_major = in->rmaj, ce.rdev_minor = in->rmin;
        if (hosts && !link_to) {
            ce.type = LP_CPIO_REG;
            ce.size = sizeof k_hosts - 1;
            ok = emit(W, &ce, (const uint8_t *)k_hosts, xn);
        } else if (resolv && !link_to) {
            ce.type = LP_CPIO_SYMLINK;
            ce.size = sizeof k_resolv_target - 1;
            if (in->kind == K_SYM) ce.perm = 0777;
            ok = emit(W, &ce, (const uint8_t *)k_resolv_target, xn);
        } else if (link_to) { /* §2.5 E: a hard link becomes a relative symlink */
            char rel[LP_DI_MAX_PATH * 2];
            size_t rl = rel_path(nm, P + l, link_to, link_len, rel, sizeof rel);
            ce.type = LP_CPIO_SYMLINK;
            ce.size = rl;
            if (in->kind == K_SYM) ce.perm = 0777;
            ok = emit(W, &ce, (const uint8_t *)rel, xn);
        } else {
            switch (in->kind) {
            case K_DIR: ce.type = LP_CPIO_DIR; ok = emit(W, &ce, NULL, xn); break;
            case K_REG: ce.type = LP_CPIO_REG; ce.size = in->size; ok = emit_regular(W, &ce, in, xn); break;
            case K_SYM:
                ce.type = LP_CPIO_SYMLINK;
                ce.perm = 0777;
                ce.size = in->link_len;
                ok = emit(W, &ce, (const uint8_t *)in->link, xn);
                break;
            case K_CHR: ce.type = LP_CPIO_CHR; ok = emit(W, &ce, NULL, xn); break;
            case K_BLK: ce.type = LP_CPIO_BLK; ok = emit(W, &ce, NULL, xn); break;
            default: ce.type = LP_CPIO_FIFO; ok = emit(W, &ce, NULL, xn); break;
            }
        }
    recurse:
        if (ok && d) ok = walk(W, x, l, depth + 1);
    }
    free(kids);
    return ok;
}

typedef struct {
    hashq *q;
    const lp_di_opts *o;
} ramsink;

static int ram_bytes(void *cx, const uint8_t *p, size_t n)
{
    ramsink *r = cx;
    if (!hq_feed(r->q, p, n)) return 1;
    return r->o->sink ? r->o->sink(r->o->sink_ctx, p, n) : 0;
}

static int write_ramdisk(ctx *c, node *merged, const lp_di_opts *o, lp_di_result *res)
{
    lp_cpio *w = NULL;
    hashq q;
    if (!hq_start(&q, LPC_SHA384)) return failf(c, LP_CODE_CRYPTO_BACKEND, "SHA-384 unavailable");
    ramsink rs = {&q, o};
    if (lp_cpio_new_unhashed(ram_bytes, &rs, &w)) {
        hq_finish(&q, NULL);
        return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    }
    walker W = {c, w, c->path, {0}};
    memcpy(W.name, "rootfs/", 7);
    int ok = 1;
    /* A. the prefix directory */
    const lp_cpio_entry root = {"rootfs", 6, LP_CPIO_DIR, 0755, 0, 0, LP_CPIO_DEFAULT_MTIME, 0, 0, 0};
    ok = emit(&W, &root, NULL, "rootfs");
    /* B, C, E: the export, filtered and converted */
    if (ok) ok = walk(&W, merged, 0, 0);
    for (size_t t = 0; ok && t < N_TOUCH; t++) {
        if (W.found[t]) continue;
        lp_cpio_entry e = {k_touch[t].cpio_name, strlen(k_touch[t].cpio_name), k_touch[t].type, k_touch[t].perm, 0, 0,
                           LP_CPIO_DEFAULT_MTIME, 0, 0, 0};
        const char *data = NULL;
        if (t == 4) data = k_hosts, e.size = sizeof k_hosts - 1;
        if (t == 5) data = "/proc/mounts", e.size = 12;
        if (t == 6) data = k_resolv_target, e.size = sizeof k_resolv_target - 1;
        ok = emit(&W, &e, (const uint8_t *)data, k_touch[t].name);
    }
    /* D. files: */
    for (size_t i = 0; ok && i < sizeof k_files_dirs / sizeof *k_files_dirs; i++) {
        const lp_cpio_entry e = {k_files_dirs[i], strlen(k_files_dirs[i]), LP_CPIO_DIR, 0755, 0, 0, LP_CPIO_DEFAULT_MTIME, 0, 0, 0};
        ok = emit(&W, &e, NULL, k_files_dirs[i]);
    }
    if (ok) {
        const lp_cpio_entry e = {"cmd", 3, LP_CPIO_REG, 0644, 0, 0, LP_CPIO_DEFAULT_MTIME, res->cmd_len, 0, 0};
        ok = emit(&W, &e, (const uint8_t *)res->cmd, "cmd");
    }
    if (ok) {
        const lp_cpio_entry e = {"env", 3, LP_CPIO_REG, 0644, 0, 0, LP_CPIO_DEFAULT_MTIME, res->env_len, 0, 0};
        ok = emit(&W, &e, (const uint8_t *)res->env, "env");
    }
    if (ok) {
        lp_cpio_err e = lp_cpio_finish(w, &res->ramdisk_size, NULL);
        if (e) ok = cpio_fail(c, w, e, "TRAILER!!!");
    }
    lp_cpio_free(w);
    if (!hq_finish(&q, ok ? res->ramdisk_sha384 : NULL) && ok) ok = failf(c, LP_CODE_CRYPTO_BACKEND, "SHA-384 failed");
    if (ok) {
        uint8_t z[96];
        memset(z, 0, 48);
        memcpy(z + 48, res->ramdisk_sha384, 48);
        if (lpc_sha384(z, sizeof z, res->pcr2) != LPC_OK) ok = failf(c, LP_CODE_CRYPTO_BACKEND, "SHA-384 failed");
    }
    return ok;
}

/* ---- Image JSON: manifest.json, index.json, OCI manifests, config ------- */

static int read_member(ctx *c, const lp_di_store *st, const char *name, uint8_t **out, size_t *len, uint8_t sha[32])
{
    void *s = NULL;
    char why[512] = "";
    lp_code oc = st->open(st->ctx, name, &s, why, sizeof why);
    if (oc != LP_CODE_OK) return failf(c, oc, "%s", why);
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap);
    int ok = 1;
    while (ok && b) {
        if (n == cap) {
            if (cap > LP_DI_MAX_JSON) {
                ok = failf(c, LP_CODE_INPUT_TOO_LARGE, "%.200s: larger than %u bytes", name, LP_DI_MAX_JSON);
                break;
            }
            uint8_t *nb = realloc(b, cap * 2);
            if (!nb) break;
            b = nb;
            cap *= 2;
        }
        long k = st->read(s, b + n, cap - n);
        if (k < 0) ok = failf(c, LP_CODE_IO_ERROR, "%.200s: read error", name);
        if (k <= 0) break;
        n += (size_t)k;
    }
    st->close(s);
    if (!b) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    if (ok && n > LP_DI_MAX_JSON) ok = failf(c, LP_CODE_INPUT_TOO_LARGE, "%.200s: larger than %u bytes", name, LP_DI_MAX_JSON);
    if (!ok) {
        free(b);
        return 0;
    }
    if (sha) lpc_sha256(b, n, sha);
    *out = b;
    *len = n;
    return 1;
}

/* want_size: the descriptor's size (-1: none). */
static lpc_value *read_json(ctx *c, const lp_di_store *st, const char *name, uint8_t sha[32], int64_t want_size)
{
    uint8_t *b;
    size_t n, off = 0;
    if (!read_member(c, st, name, &b, &n, sha)) return NULL;
    if (want_size >= 0 && (uint64_t)want_size != n) {
        free(b);
        failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%.200s: %zu bytes where its descriptor says %lld", name, n, (long long)want_size);
        return NULL;
    }
    lpc_value *v = NULL;
    if (lpc_parse(b, n, &v, &off) != LPC_OK) {
        v = NULL;
        failf(c, LP_CODE_IMAGE_MALFORMED, "%.200s: not JSON (at byte %zu)", name, off);
    }
    free(b);
    return v;
}

static const lpc_value *get_t(const lpc_value *o, const char *k, lpc_type t)
{
    const lpc_value *v = o && o->type == LPC_OBJECT ? lpc_get(o, k) : NULL;
    return v && v->type == t ? v : NULL;
}

/* "sha256:<64 lowercase hex>" → bytes. */
static int parse_digest(const lpc_value *v, uint8_t out[32])
{
    if (!v || v->type != LPC_STR || v->u.s.len != 71 || memcmp(v->u.s.ptr, "sha256:", 7)) return 0;
    for (size_t i = 0; i < 32; i++) {
        int h = 0;
        for (int j = 0; j < 2; j++) {
            char ch = v->u.s.ptr[7 + 2 * i + (size_t)j];
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
            if (d < 0) return 0;
            h = h * 16 + d;
        }
        out[i] = (uint8_t)h;
    }
    return 1;
}

/* A member name taken from the image's own JSON: relative, no "..", no NUL. */
static int safe_member(ctx *c, const lpc_value *v, const char *what)
{
    if (!v || v->type != LPC_STR || !v->u.s.len || v->u.s.len > LP_DI_MAX_PATH || memchr(v->u.s.ptr, 0, v->u.s.len))
        return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: not a member name", what);
    comps pc;
    if (!split_path(c, v->u.s.ptr, v->u.s.len, &pc, what)) return 0;
    if (v->u.s.ptr[0] == '/') return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: absolute member name", what);
    return 1;
}

static void blob_name(const uint8_t d[32], char out[80])
{
    static const char x[] = "0123456789abcdef";
    memcpy(out, "blobs/sha256/", 13);
    for (int i = 0; i < 32; i++) out[13 + 2 * i] = x[d[i] >> 4], out[14 + 2 * i] = x[d[i] & 15];
    out[77] = 0;
}

static void digest_str(const uint8_t d[32], char out[80])
{
    static const char x[] = "0123456789abcdef";
    memcpy(out, "sha256:", 7);
    for (int i = 0; i < 32; i++) out[7 + 2 * i] = x[d[i] >> 4], out[8 + 2 * i] = x[d[i] & 15];
    out[71] = 0;
}

/* "amd64"/"arm64" of a config or platform object → "linux/amd64", ... ; 0 otherwise. */
static int platform_of(const lpc_value *o, char out[32])
{
    const lpc_value *os = get_t(o, "os", LPC_STR), *ar = get_t(o, "architecture", LPC_STR);
    if (!os || !ar || !lpc_str_eq(os, "linux")) return 0;
    if (lpc_str_eq(ar, "amd64")) return snprintf(out, 32, "linux/amd64"), 1;
    if (lpc_str_eq(ar, "arm64")) return snprintf(out, 32, "linux/arm64"), 1;
    return 0;
}

/* nitro-cli docker.rs: each element and "\n". */
static int lines(ctx *c, const lpc_value *arr, char **out, size_t *len, const char *what)
{
    size_t n = 1;
    if (arr->u.a.n > LP_DI_MAX_ARGS) return failf(c, LP_CODE_INPUT_TOO_LARGE, "%s: more than %u elements", what, LP_DI_MAX_ARGS);
    for (size_t i = 0; i < arr->u.a.n; i++) {
        const lpc_value *s = arr->u.a.items[i];
        if (s->type != LPC_STR) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s[%zu] is not a string", what, i);
        if (!lpc_utf8_valid((const uint8_t *)s->u.s.ptr, s->u.s.len, 0, NULL))
            return failf(c, LP_CODE_IMAGE_CONTENT_UNSUPPORTED, "%s[%zu] is not UTF-8", what, i);
        n += s->u.s.len + 1;
    }
    char *b = malloc(n);
    if (!b) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < arr->u.a.n; i++) {
        const lpc_value *s = arr->u.a.items[i];
        memcpy(b + k, s->u.s.ptr, s->u.s.len);
        k += s->u.s.len;
        b[k++] = '\n';
    }
    b[k] = 0;
    *out = b;
    *len = k;
    return 1;
}

typedef struct {
    layer_ref *layers;
    size_t n;
    lpc_value *config, *manifest, *index;
    uint8_t config_digest[32];
} image;

static const lpc_value *media(const lpc_value *d)
{
    return get_t(d, "mediaType", LPC_STR);
}

static int is_index_type(const lpc_value *m)
{
    return m && (lpc_str_eq(m, "application/vnd.oci.image.index.v1+json") ||
                 lpc_str_eq(m, "application/vnd.docker.distribution.manifest.list.v2+json"));
}

/* A descriptor's "size": -1 when absent, -2 when not a non-negative integer. */
static int64_t desc_size(const lpc_value *d)
{
    const lpc_value *v = d && d->type == LPC_OBJECT ? lpc_get(d, "size") : NULL;
    int64_t x;
    if (!v) return -1;
    return v->type == LPC_INT && lpc_int_i64(v, &x) && x >= 0 ? x : -2;
}

/* OCI: index.json → (nested indexes) → the one manifest of the platform. */
static int select_manifest(ctx *c, const lp_di_store *st, lpc_value *index, const char *want, uint8_t out[32],
                           char plat[32], int64_t *out_size, unsigned depth)
{
    const lpc_value *ms = get_t(index, "manifests", LPC_ARRAY);
    if (!ms) return failf(c, LP_CODE_IMAGE_MALFORMED, "image index: no manifests array");
    size_t hits = 0, cand = 0;
    uint8_t d[32];
    int nested = 0;
    int64_t dsz = -1;
    char dp[32] = "";
    for (size_t i = 0; i < ms->u.a.n; i++) {
        const lpc_value *m = ms->u.a.items[i];
        uint8_t di[32];
        if (!parse_digest(get_t(m, "digest", LPC_STR), di)) return failf(c, LP_CODE_IMAGE_MALFORMED, "image index: manifests[%zu] has no sha256 digest", i);
        const lpc_value *pl = get_t(m, "platform", LPC_OBJECT);
        char p[32];
        int known = pl && platform_of(pl, p);
        if (pl && !known) continue; /* another platform, or an attestation ("unknown/unknown") */
        if (want && known && strcmp(p, want) != 0) continue;
        if (!pl && ms->u.a.n > 1 && !is_index_type(media(m))) continue;
        cand++;
        if (!hits || memcmp(d, di, 32) != 0) hits++;
        memcpy(d, di, 32);
        nested = is_index_type(media(m));
        if ((dsz = desc_size(m)) == -2) return failf(c, LP_CODE_IMAGE_MALFORMED, "image index: manifests[%zu] has a bad size", i);
        snprintf(dp, sizeof dp, "%s", known ? p : "");
    }
    if (hits > 1)
        return failf(c, LP_CODE_PLATFORM_NOT_FOUND, "image index lists %zu images for %s: ambiguous", cand,
                     want ? want : "no --platform (choose one with --platform)");
    if (!hits) return failf(c, LP_CODE_PLATFORM_NOT_FOUND, "image index has no image for %s", want ? want : "linux/amd64 or linux/arm64");
    if (nested) {
        if (depth >= LP_DI_MAX_INDEX_DEPTH) return failf(c, LP_CODE_INPUT_TOO_LARGE, "image indexes nested deeper than %u", LP_DI_MAX_INDEX_DEPTH);
        char bn[80];
        uint8_t got[32];
        blob_name(d, bn);
        lpc_value *sub = read_json(c, st, bn, got, dsz);
        if (!sub) return 0;
        int ok = memcmp(got, d, 32) == 0 ? select_manifest(c, st, sub, want, out, plat, out_size, depth + 1)
                                          : failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%s: bytes differ from its digest", bn);
        lpc_free(sub);
        return ok;
    }
    memcpy(out, d, 32);
    memcpy(plat, dp, sizeof dp);
    *out_size = dsz;
    return 1;
}

static int load_image(ctx *c, const lp_di_store *st, const lp_di_opts *o, image *im, lp_di_result *res, int has_manifest_json)
{
    const lpc_value *layers_v = NULL; /* docker save: paths; OCI: descriptors */
    int oci = !has_manifest_json;
    res->format = oci ? LP_DI_FORMAT_OCI_LAYOUT : LP_DI_FORMAT_DOCKER_SAVE;
    uint8_t cfg_sha[32];
    char index_plat[32] = "";
    if (!oci) {
        if (!(im->manifest = read_json(c, st, "manifest.json", NULL, -1))) return 0;
        const lpc_value *m = im->manifest;
        if (m->type != LPC_ARRAY || !m->u.a.n) return failf(c, LP_CODE_IMAGE_MALFORMED, "manifest.json: not a non-empty array");
        size_t pick = SIZE_MAX, hits = 0;
        for (size_t i = 0; i < m->u.a.n; i++) {
            const lpc_value *cfg = get_t(m->u.a.items[i], "Config", LPC_STR);
            if (!safe_member(c, cfg, "manifest.json Config")) return 0;
            if (m->u.a.n == 1 && !o->platform) {
                pick = i;
                hits = 1;
                break;
            }
            lpc_value *cv = read_json(c, st, cfg->u.s.ptr, NULL, -1);
            if (!cv) return 0;
            char p[32];
            int match = platform_of(cv, p) && (!o->platform || strcmp(p, o->platform) == 0);
            lpc_free(cv);
            if (match) pick = i, hits++;
        }
        if (hits != 1)
            return failf(c, LP_CODE_PLATFORM_NOT_FOUND, "manifest.json holds %zu images for %s", hits,
                         o->platform ? o->platform : "one platform (choose one with --platform)");
        const lpc_value *e = m->u.a.items[pick];
        const lpc_value *cfg = get_t(e, "Config", LPC_STR);
        if (!(im->config = read_json(c, st, cfg->u.s.ptr, cfg_sha, -1))) return 0;
        /* The config's name is its digest: "<hex>.json" (legacy) or "blobs/sha256/<hex>". */
        const char *cn = cfg->u.s.ptr;
        size_t cl = cfg->u.s.len;
        char want[80];
        digest_str(cfg_sha, want);
        if ((cl == 69 && !memcmp(cn + 64, ".json", 5) && memcmp(cn, want + 7, 64) != 0) ||
            (cl == 77 && !memcmp(cn, "blobs/sha256/", 13) && memcmp(cn + 13, want + 7, 64) != 0))
            return failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%.200s: the config's bytes are not the digest its name says", cn);
        if (!(layers_v = get_t(e, "Layers", LPC_ARRAY))) return failf(c, LP_CODE_IMAGE_MALFORMED, "manifest.json: no Layers array");
    } else {
        uint8_t md[32], got[32];
        if (!(im->index = read_json(c, st, "index.json", NULL, -1))) return 0;
        int64_t msz = -1;
        if (!select_manifest(c, st, im->index, o->platform, md, index_plat, &msz, 0)) return 0;
        char bn[80];
        blob_name(md, bn);
        if (!(im->manifest = read_json(c, st, bn, got, msz))) return 0;
        if (memcmp(got, md, 32) != 0) return failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%s: bytes differ from its digest", bn);
        const lpc_value *cdesc = get_t(im->manifest, "config", LPC_OBJECT);
        const lpc_value *cd = get_t(cdesc, "digest", LPC_STR);
        uint8_t cdig[32];
        int64_t csz = desc_size(cdesc);
        if (!parse_digest(cd, cdig) || csz == -2) return failf(c, LP_CODE_IMAGE_MALFORMED, "%s: no config digest or a bad size", bn);
        blob_name(cdig, bn);
        if (!(im->config = read_json(c, st, bn, cfg_sha, csz))) return 0;
        if (memcmp(cfg_sha, cdig, 32) != 0) return failf(c, LP_CODE_LAYER_DIGEST_MISMATCH, "%s: bytes differ from its digest", bn);
        if (!(layers_v = get_t(im->manifest, "layers", LPC_ARRAY))) return failf(c, LP_CODE_IMAGE_MALFORMED, "image manifest: no layers array");
    }
    memcpy(im->config_digest, cfg_sha, 32);
    digest_str(cfg_sha, res->config_digest);
    if (!platform_of(im->config, res->platform))
        return failf(c, LP_CODE_PLATFORM_NOT_FOUND, "the image config is not linux/amd64 or linux/arm64");
    if (index_plat[0] && strcmp(index_plat, res->platform) != 0)
        return failf(c, LP_CODE_IMAGE_MALFORMED, "the image index says %s, its config says %s", index_plat, res->platform);
    if (o->platform && strcmp(o->platform, res->platform) != 0)
        return failf(c, LP_CODE_PLATFORM_NOT_FOUND, "the image is %s, not %s", res->platform, o->platform);
    res->aarch64 = strcmp(res->platform, "linux/arm64") == 0;
    const lpc_value *ids = get_t(get_t(im->config, "rootfs", LPC_OBJECT), "diff_ids", LPC_ARRAY);
    if (!ids) return failf(c, LP_CODE_IMAGE_MALFORMED, "config: no rootfs.diff_ids");
    if (ids->u.a.n != layers_v->u.a.n)
        return failf(c, LP_CODE_IMAGE_MALFORMED, "config lists %zu diff_ids for %zu layers", ids->u.a.n, layers_v->u.a.n);
    if (layers_v->u.a.n > LP_DI_MAX_LAYERS) return failf(c, LP_CODE_INPUT_TOO_LARGE, "more than %u layers", LP_DI_MAX_LAYERS);
    im->n = layers_v->u.a.n;
    if (!(im->layers = calloc(im->n ? im->n : 1, sizeof *im->layers))) return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < im->n; i++) {
        layer_ref *L = &im->layers[i];
        if (!parse_digest(ids->u.a.items[i], L->diff_id)) return failf(c, LP_CODE_IMAGE_MALFORMED, "config: diff_ids[%zu] is not a sha256 digest", i);
        const lpc_value *lv = layers_v->u.a.items[i];
        L->size = -1;
        if (!oci) {
            if (!safe_member(c, lv, "manifest.json Layers")) return 0;
            L->member = lv->u.s.ptr;
            if (lv->u.s.len == 77 && !memcmp(lv->u.s.ptr, "blobs/sha256/", 13)) {
                lpc_value tmp = *lv;
                char dg[80];
                snprintf(dg, sizeof dg, "sha256:%s", lv->u.s.ptr + 13);
                tmp.u.s.ptr = dg;
                tmp.u.s.len = 71;
                L->check_blob = parse_digest(&tmp, L->blob);
            }
        } else {
            if (!parse_digest(get_t(lv, "digest", LPC_STR), L->blob))
                return failf(c, LP_CODE_IMAGE_MALFORMED, "image manifest: layers[%zu] has no sha256 digest", i);
            L->check_blob = 1;
            if ((L->size = desc_size(lv)) == -2) return failf(c, LP_CODE_IMAGE_MALFORMED, "image manifest: layers[%zu] has a bad size", i);
            char *bn = arena(c, 80);
            if (!bn) return 0;
            blob_name(L->blob, bn);
            L->member = bn;
        }
    }
    /* cmd and env (eif-pcr-repro.md §2.1 step 3) */
    const lpc_value *cf = get_t(im->config, "config", LPC_OBJECT);
    const lpc_value *cmd = get_t(cf, "Cmd", LPC_ARRAY), *ep = get_t(cf, "Entrypoint", LPC_ARRAY);
    const lpc_value *env = get_t(cf, "Env", LPC_ARRAY);
    if (cf && lpc_get(cf, "Cmd") && !cmd && lpc_get(cf, "Cmd")->type != LPC_NULL) return failf(c, LP_CODE_IMAGE_MALFORMED, "config: Cmd is not an array");
    if (cf && lpc_get(cf, "Entrypoint") && !ep && lpc_get(cf, "Entrypoint")->type != LPC_NULL)
        return failf(c, LP_CODE_IMAGE_MALFORMED, "config: Entrypoint is not an array");
    if (!cmd && !ep) return failf(c, LP_CODE_IMAGE_MALFORMED, "config: neither Cmd nor Entrypoint (nitro-cli refuses the image)");
    if (!lines(c, cmd ? cmd : ep, &res->cmd, &res->cmd_len, cmd ? "Cmd" : "Entrypoint")) return 0;
    if (env) {
        if (!lines(c, env, &res->env, &res->env_len, "Env")) return 0;
    } else if (cf && lpc_get(cf, "Env") && lpc_get(cf, "Env")->type != LPC_NULL) {
        return failf(c, LP_CODE_IMAGE_MALFORMED, "config: Env is not an array");
    } else if (!(res->env = calloc(1, 1))) {
        return failf(c, LP_CODE_OUT_OF_MEMORY, "out of memory");
    }
    return 1;
}

lp_code lp_di_measure(const lp_di_store *st, const lp_di_spool *spool, const lp_di_opts *o, lp_di_result *res)
{
    memset(res, 0, sizeof *res);
    ctx c;
    memset(&c, 0, sizeof c);
    c.res = res;
    c.spool = spool;
    image im;
    memset(&im, 0, sizeof im);
    if (o->platform && strcmp(o->platform, "linux/amd64") && strcmp(o->platform, "linux/arm64")) {
        snprintf(res->why, sizeof res->why, "platform is linux/amd64 or linux/arm64");
        return LP_CODE_BAD_ARGUMENT;
    }
    c.nbuckets = 1024;
    c.buckets = calloc(c.nbuckets, sizeof *c.buckets);
    c.buf = malloc(IO_CHUNK);
    c.path = malloc(LP_DI_MAX_PATH + 64);
    c.pc = malloc(sizeof *c.pc);
    c.lc = malloc(sizeof *c.lc);
    node **roots = NULL;
    if (!c.buckets || !c.buf || !c.path || !c.pc || !c.lc) {
        failf(&c, LP_CODE_OUT_OF_MEMORY, "out of memory");
        goto out;
    }
    /* docker save always writes manifest.json; an OCI layout has index.json only. */
    void *probe = NULL;
    char why[512];
    int has_manifest = st->open(st->ctx, "manifest.json", &probe, why, sizeof why) == LP_CODE_OK;
    if (has_manifest) st->close(probe);
    if (!load_image(&c, st, o, &im, res, has_manifest)) goto out;
    res->layers = im.n;
    if (!(roots = calloc(im.n + 1, sizeof *roots))) {
        failf(&c, LP_CODE_OUT_OF_MEMORY, "out of memory");
        goto out;
    }
    for (size_t i = 0; i <= im.n; i++) {
        if (!(roots[i] = arena(&c, sizeof(node))) || !(roots[i]->ino = new_inode(&c, K_DIR))) goto out;
        roots[i]->ino->perm = 0755;
    }
    for (size_t i = 0; i < im.n; i++)
        if (!parse_layer(&c, st, &im.layers[i], i, roots[i])) goto out;
    res->entries = c.entries;
    /* overlayfs: the topmost layer first */
    node **stack = malloc((im.n ? im.n : 1) * sizeof *stack);
    if (!stack) {
        failf(&c, LP_CODE_OUT_OF_MEMORY, "out of memory");
        goto out;
    }
    size_t k = 0;
    for (size_t i = im.n; i-- > 0;) {
        stack[k++] = roots[i];
    }
    node *merged = roots[im.n];
    int ok = merge_dir(&c, merged, stack, k, 0);
    free(stack);
    if (!ok || !init_layer(&c, merged)) goto out;
    const lpc_value *wd = get_t(get_t(im.config, "config", LPC_OBJECT), "WorkingDir", LPC_STR);
    if (wd && !check_workdir(&c, merged, wd->u.s.ptr, wd->u.s.len)) goto out;
    write_ramdisk(&c, merged, o, res);
out:
    free(roots);
    free(im.layers);
    lpc_free(im.config);
    lpc_free(im.manifest);
    lpc_free(im.index);
    while (c.blocks) {
        block *b = c.blocks;
        c.blocks = b->next;
        free(b);
    }
    free(c.buckets);
    free(c.buf);
    free(c.path);
    free(c.pc);
    free(c.lc);
    if (c.code == LP_CODE_OK && !res->ramdisk_size) c.code = LP_CODE_INTERNAL;
    return c.code;
}

void lp_di_result_free(lp_di_result *res)
{
    free(res->cmd);
    free(res->env);
    res->cmd = res->env = NULL;
}

/* ---- The tar store --------------------------------------------------------- */

typedef struct {
    char *name;
} member;

struct lp_di_tar {
    const lp_di_source *src;
    member *m;
    size_t n;
    uint8_t *buf;
};

typedef struct {
    lp_di_tar *t;
    struct archive *a;
} tar_stream;

static la_ssize_t src_read(struct archive *a, void *ud, const void **out)
{
    (void)a;
    lp_di_tar *t = ud;
    long k = t->src->read(t->src->ctx, t->buf, IO_CHUNK);
    *out = t->buf;
    return k;
}

static la_int64_t src_skip(struct archive *a, void *ud, la_int64_t req)
{
    (void)a;
    lp_di_tar *t = ud;
    if (!t->src->seek) return 0;
    int64_t cur = t->src->seek(t->src->ctx, 0, SEEK_CUR), end = t->src->seek(t->src->ctx, 0, SEEK_END);
    if (cur < 0 || end < 0) return 0;
    la_int64_t k = req < end - cur ? req : end - cur;
    if (t->src->seek(t->src->ctx, cur + k, SEEK_SET) < 0) return 0;
    return k;
}

static struct archive *tar_start(lp_di_tar *t)
{
    if (t->src->seek && t->src->seek(t->src->ctx, 0, SEEK_SET) != 0) return NULL;
    struct archive *a = archive_read_new();
    if (!a) return NULL;
    archive_read_support_format_tar(a);
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_set_callback_data(a, t);
    archive_read_set_read_callback(a, src_read);
    archive_read_set_skip_callback(a, src_skip);
    if (archive_read_open1(a) != ARCHIVE_OK) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* "./x" and "x" are one member name. */
static const char *member_name(const char *s)
{
    while (s[0] == '.' && s[1] == '/') s += 2;
    while (s[0] == '/') s++;
    return s;
}

static int cmp_member(const void *a, const void *b) { return strcmp(((const member *)a)->name, ((const member *)b)->name); }

static lp_code tar_open_member(void *cx, const char *name, void **stream, char *why, size_t wl)
{
    lp_di_tar *t = cx;
    *stream = NULL;
    if (!lp_di_tar_has(t, name)) return snprintf(why, wl, "the image has no member %.300s", name), LP_CODE_IMAGE_MALFORMED;
    struct archive *a = tar_start(t);
    if (!a) return snprintf(why, wl, "the image tar cannot be reread"), LP_CODE_IO_ERROR;
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *pn = archive_entry_pathname(e);
        if (pn && archive_entry_filetype(e) == AE_IFREG && strcmp(member_name(pn), name) == 0) {
            tar_stream *s = malloc(sizeof *s);
            if (!s) break;
            s->t = t;
            s->a = a;
            *stream = s;
            return LP_CODE_OK;
        }
    }
    archive_read_free(a);
    snprintf(why, wl, "%.300s: the image tar changed or is unreadable", name);
    return LP_CODE_IO_ERROR;
}

static long tar_read(void *stream, uint8_t *buf, size_t n)
{
    tar_stream *s = stream;
    la_ssize_t k = archive_read_data(s->a, buf, n);
    return k < 0 ? -1 : (long)k;
}

static void tar_close(void *stream)
{
    tar_stream *s = stream;
    if (!s) return;
    archive_read_free(s->a);
    free(s);
}

lp_code lp_di_tar_open(const lp_di_source *src, lp_di_tar **out, lp_di_store *store, char *why, size_t wl)
{
    *out = NULL;
    lp_di_tar *t = calloc(1, sizeof *t);
    if (!t || !(t->buf = malloc(IO_CHUNK))) {
        free(t);
        return snprintf(why, wl, "out of memory"), LP_CODE_OUT_OF_MEMORY;
    }
    t->src = src;
    lp_code code = LP_CODE_OK;
    /* An uncompressed tar is whole 512-byte blocks; a shorter one was cut inside a member
     * or its padding (libarchive would still list what it can). */
    if (src->seek) {
        uint8_t mg[4] = {0};
        int64_t end = src->seek(src->ctx, 0, SEEK_END);
        long k = src->seek(src->ctx, 0, SEEK_SET) == 0 ? src->read(src->ctx, mg, 4) : -1;
        int compressed = k >= 2 && ((mg[0] == 0x1f && mg[1] == 0x8b) || (k == 4 && !memcmp(mg, "\x28\xb5\x2f\xfd", 4)));
        if (end < 0 || k < 0) {
            code = LP_CODE_IO_ERROR;
            snprintf(why, wl, "the image cannot be read");
        } else if (!compressed && end % 512) {
            code = LP_CODE_IMAGE_MALFORMED;
            snprintf(why, wl, "the image tar is not whole 512-byte blocks (%lld bytes): truncated", (long long)end);
        }
    }
    struct archive *a = code == LP_CODE_OK ? tar_start(t) : NULL;
    if (!a && code == LP_CODE_OK) {
        code = LP_CODE_IO_ERROR;
        snprintf(why, wl, "the image cannot be read");
    }
    size_t cap = 0;
    struct archive_entry *e;
    int r = ARCHIVE_OK;
    while (code == LP_CODE_OK && ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
        const char *pn = archive_entry_pathname(e);
        if (!pn) {
            code = LP_CODE_IMAGE_MALFORMED;
            snprintf(why, wl, "the image tar has an entry without a name");
            break;
        }
        if (archive_entry_filetype(e) != AE_IFREG) continue;
        if (t->n == LP_DI_MAX_MEMBERS) {
            code = LP_CODE_INPUT_TOO_LARGE;
            snprintf(why, wl, "the image tar has more than %u files", LP_DI_MAX_MEMBERS);
            break;
        }
        if (t->n == cap) {
            cap = cap ? 2 * cap : 64;
            member *m = realloc(t->m, cap * sizeof *m);
            if (!m) {
                code = LP_CODE_OUT_OF_MEMORY;
                snprintf(why, wl, "out of memory");
                break;
            }
            t->m = m;
        }
        if (strlen(pn) > LP_DI_MAX_PATH || !(t->m[t->n].name = strdup(member_name(pn)))) {
            code = strlen(pn) > LP_DI_MAX_PATH ? LP_CODE_INPUT_TOO_LARGE : LP_CODE_OUT_OF_MEMORY;
            snprintf(why, wl, "a member name is too long or out of memory");
            break;
        }
        t->n++;
    }
    if (code == LP_CODE_OK && r != ARCHIVE_EOF) {
        code = LP_CODE_IMAGE_MALFORMED;
        snprintf(why, wl, "the image is not a readable tar: %.300s", archive_error_string(a) ? archive_error_string(a) : "?");
    }
    if (a) archive_read_free(a);
    if (code == LP_CODE_OK) {
        if (t->n) qsort(t->m, t->n, sizeof *t->m, cmp_member);
        for (size_t i = 1; i < t->n; i++)
            if (!strcmp(t->m[i].name, t->m[i - 1].name)) {
                code = LP_CODE_IMAGE_MALFORMED;
                snprintf(why, wl, "the image tar holds %.300s twice", t->m[i].name);
                break;
            }
    }
    if (code != LP_CODE_OK) {
        lp_di_tar_free(t);
        return code;
    }
    *out = t;
    store->ctx = t;
    store->open = tar_open_member;
    store->read = tar_read;
    store->close = tar_close;
    return LP_CODE_OK;
}

int lp_di_tar_has(const lp_di_tar *t, const char *name)
{
    member key = {(char *)(uintptr_t)name};
    return t->n && bsearch(&key, t->m, t->n, sizeof *t->m, cmp_member) != NULL;
}

void lp_di_tar_free(lp_di_tar *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) free(t->m[i].name);
    free(t->m);
    free(t->buf);
    free(t);
}

/* ---- Memory source and spool ---------------------------------------------- */

static long msrc_read(void *cx, uint8_t *buf, size_t n)
{
    lp_di_memsource *m = cx;
    size_t k = m->n - m->off < n ? m->n - m->off : n;
    if (k) memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (long)k;
}

static int64_t msrc_seek(void *cx, int64_t off, int whence)
{
    lp_di_memsource *m = cx;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)m->off : (int64_t)m->n;
    if (off < -base || off > (int64_t)m->n - base) return -1;
    m->off = (size_t)(base + off);
    return (int64_t)m->off;
}

lp_di_source lp_di_memsource_source(lp_di_memsource *m)
{
    lp_di_source s = {m, msrc_read, msrc_seek};
    return s;
}

static int mem_append(void *cx, const uint8_t *p, size_t n)
{
    lp_di_memspool *m = cx;
    if (n > m->limit - m->n) return 1;
    if (m->n + n > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->n + n) cap *= 2;
        uint8_t *q = realloc(m->p, cap);
        if (!q) return 1;
        m->p = q;
        m->cap = cap;
    }
    memcpy(m->p + m->n, p, n);
    m->n += n;
    return 0;
}

static int mem_pread(void *cx, uint64_t off, uint8_t *p, size_t n)
{
    lp_di_memspool *m = cx;
    if (off > m->n || n > m->n - off) return 1;
    memcpy(p, m->p + off, n);
    return 0;
}

lp_di_spool lp_di_memspool_spool(lp_di_memspool *m)
{
    lp_di_spool s = {m, mem_append, mem_pread};
    return s;
}

void lp_di_memspool_free(lp_di_memspool *m)
{
    free(m->p);
    m->p = NULL;
    m->n = m->cap = 0;
}
