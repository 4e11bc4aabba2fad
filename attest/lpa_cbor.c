/* CBOR pre-scanner and exact loading (lpa_cbor.h; RFC 8949 §3, Appendix F). */
#include "attest/lpa_cbor.h"

#include <cbor.h>
#include <string.h>

typedef struct {
    uint64_t left;      /* items still expected in a definite container */
    uint64_t count;     /* items read in an indefinite container */
    uint8_t indef;
    uint8_t is_map;
    uint8_t str_major;  /* 2 or 3 inside a chunked string, else 0 */
} scan_frame;

static lpa_scan_status refuse(lpa_scan_info *info, unsigned flag)
{
    info->refused = flag;
    return LPA_SCAN_REFUSED;
}

lpa_scan_status lpa_cbor_scan(const uint8_t *p, size_t len, size_t max_depth, unsigned flags, lpa_scan_info *info)
{
    scan_frame st[LPA_CBOR_MAX_DEPTH + 2];
    size_t depth = 0, i = 0;
    memset(info, 0, sizeof *info);
    if (max_depth > LPA_CBOR_MAX_DEPTH) max_depth = LPA_CBOR_MAX_DEPTH;
    memset(&st[0], 0, sizeof st[0]);
    st[0].left = 1; /* the top-level item */

    for (;;) {
        scan_frame *f = &st[depth];
        if (!f->indef && f->left == 0) {
            if (depth == 0) {
                info->end = i;
                return (flags & LPA_SCAN_EXACT) && i != len ? LPA_SCAN_TRAILING : LPA_SCAN_OK;
            }
            depth--;
            continue;
        }
        if (i >= len) return LPA_SCAN_TRUNCATED;
        uint8_t ib = p[i++];
        if (f->indef && ib == 0xff) {
            if (f->is_map && (f->count % 2) != 0) return LPA_SCAN_MALFORMED;
            depth--; /* depth > 0: st[0] is definite */
            continue;
        }
        unsigned mt = ib >> 5, ai = ib & 31u;
        uint64_t arg = 0;
        int indefinite = 0;
        if (ai < 24) {
            arg = ai;
        } else if (ai <= 27) {
            size_t n = (size_t)1 << (ai - 24);
            if (len - i < n) return LPA_SCAN_TRUNCATED;
            for (size_t k = 0; k < n; k++) arg = (arg << 8) | p[i + k];
            i += n;
        } else if (ai <= 30) {
            return LPA_SCAN_MALFORMED;
        } else {
            indefinite = 1;
        }
        if (f->indef) f->count++;
        else f->left--;
        if (f->str_major && (mt != f->str_major || indefinite)) return LPA_SCAN_MALFORMED;

        scan_frame child;
        memset(&child, 0, sizeof child);
        int push = 0;
        switch (mt) {
        case 0:
        case 1:
            if (indefinite) return LPA_SCAN_MALFORMED;
            break;
        case 2:
        case 3:
            if (indefinite) {
                info->chunked = 1;
                if (flags & LPA_SCAN_NO_CHUNKED) return refuse(info, LPA_SCAN_NO_CHUNKED);
                child.indef = 1;
                child.str_major = (uint8_t)mt;
                push = 1;
            } else {
                if (arg > len - i) return LPA_SCAN_TRUNCATED;
                i += (size_t)arg;
            }
            break;
        case 4:
        case 5:
            if (indefinite) {
                info->indefinite = 1;
                if (flags & LPA_SCAN_NO_INDEFINITE) return refuse(info, LPA_SCAN_NO_INDEFINITE);
                child.indef = 1;
                child.is_map = mt == 5;
            } else {
                /* Every item takes at least one byte: bound counts by what is left. */
                uint64_t room = len - i;
                if (mt == 5 ? arg > room / 2 : arg > room) return LPA_SCAN_TRUNCATED;
                child.left = mt == 5 ? arg * 2 : arg;
            }
            push = 1;
            break;
        case 6:
            if (indefinite) return LPA_SCAN_MALFORMED;
            info->tags++;
            if (flags & LPA_SCAN_NO_TAGS) return refuse(info, LPA_SCAN_NO_TAGS);
            child.left = 1;
            push = 1;
            break;
        default: /* 7 */
            if (indefinite) return LPA_SCAN_MALFORMED; /* break outside an indefinite item */
            if (ai == 24 && arg < 32) return LPA_SCAN_MALFORMED;
            break;
        }
        if (push) {
            if (depth + 1 > max_depth) return LPA_SCAN_TOO_DEEP;
            st[++depth] = child;
        }
    }
}

const char *lpa_cbor_scan_msg(lpa_scan_status s, const lpa_scan_info *info)
{
    switch (s) {
    case LPA_SCAN_OK: return "well-formed CBOR";
    case LPA_SCAN_TRUNCATED: return "truncated CBOR";
    case LPA_SCAN_TOO_DEEP: return "CBOR nested too deeply";
    case LPA_SCAN_TRAILING: return "trailing bytes after the CBOR item";
    case LPA_SCAN_REFUSED:
        switch (info ? info->refused : 0u) {
        case LPA_SCAN_NO_TAGS: return "CBOR tag not allowed";
        case LPA_SCAN_NO_INDEFINITE: return "indefinite-length array or map not allowed";
        case LPA_SCAN_NO_CHUNKED: return "chunked_string (indefinite-length string) not allowed";
        default: return "CBOR feature not allowed";
        }
    default: return "not well-formed CBOR";
    }
}

cbor_item_t *lpa_cbor_load_exact(const uint8_t *p, size_t len)
{
    struct cbor_load_result res;
    cbor_item_t *it = cbor_load(p, len, &res);
    if (!it) return NULL;
    if (res.error.code != CBOR_ERR_NONE || res.read != len) {
        cbor_decref(&it);
        return NULL;
    }
    return it;
}

size_t lpa_cbor_bstr_head(uint64_t n, uint8_t out[9])
{
    if (n < 24) {
        out[0] = (uint8_t)(0x40 | n);
        return 1;
    }
    size_t w = n <= 0xff ? 1 : n <= 0xffff ? 2 : n <= 0xffffffffu ? 4 : 8;
    out[0] = (uint8_t)(0x40 | (w == 1 ? 24 : w == 2 ? 25 : w == 4 ? 26 : 27));
    for (size_t k = 0; k < w; k++) out[1 + k] = (uint8_t)(n >> (8 * (w - 1 - k)));
    return 1 + w;
}
