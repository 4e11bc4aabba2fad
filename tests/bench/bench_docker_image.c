/* Benchmark: recompute_pcr0 --docker-image on a generated image of about
 * 300 MiB in about 3,000 files with gzip layers, beside the same-run floor.
 *
 * Input: IMAGE.tar when given, else tests/bench/gen_docker_image.py writes one
 * (BENCH_DOCKER_MB MiB of file content, default 300; five gzip layers with
 * whiteouts, an opaque directory, symlinks and hard links) into a temporary
 * directory.
 *
 * Measured, BENCH_REPS (default 5) interleaved repetitions after one untimed
 * warm-up run, medians [min..max]:
 *   - recompute_pcr0 --docker-image IMAGE --json (the plain PCR2 run: the one
 *     the aim is about) and the same with --emit-ramdisk FILE, each in a fresh
 *     process: wall time, CPU time and peak RSS (wait4 ru_maxrss);
 *   - the floor, in this process and on one core: the image's bytes read and
 *     every gzip member (each layer) inflated into a discard buffer (a plain
 *     layer tar is only read), then SHA-384 (OpenSSL EVP) over the emitted
 *     ramdisk's bytes, already in memory; floor = the two.  The tool cannot do
 *     less: it must inflate every layer and hash every ramdisk byte.
 *   - aims: plain run <= 1.3 x the floor of the same repetition (wall time;
 *     CPU time printed beside it: the 2 cores are shared), peak RSS < 64 MiB.
 * Checked every repetition: SHA-384 of the emitted ramdisk = the reported
 * CustomerRamdisk.sha384, its size = CustomerRamdisk.size, and
 * SHA384(0^48 || it) = the reported PCR2 of both runs; any difference prints
 * MISMATCH and the exit status is 1.  The ramdisk's cpio entries are counted
 * (untimed) for the file count.
 * Children run under "bench_docker_image --spawn" (started with posix_spawn):
 * a child forked from this process would carry its RSS peak (the ramdisk in
 * memory) across exec into ru_maxrss.
 *
 * Usage: bench_docker_image [IMAGE.tar]
 * Environment: BENCH_REPS; BENCH_DOCKER_MB; LP_BIN (directory of
 * recompute_pcr0, default build/bin, else ../bin beside this program);
 * BENCH_DOCKER_KEEP=1 keeps the temporary directory.
 * Exit 0 when the measurement ran (aims met or not), 1 on a mismatch or a
 * failed tool run, 2 on setup failure. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "tests/bench/lp_bench.h"

#define MAX_REPS 25
#define MIB (1024.0 * 1024.0)
#define READ_CHUNK ((size_t)1 << 20)
#define DISCARD ((size_t)256 << 10)
#define AIM_RATIO 1.3
#define AIM_RSS_MIB 64.0


static char g_self[4096], g_dir[4096], g_tool[4200], g_gen[4200];

static void die2(const char *m)
{
    fprintf(stderr, "bench_docker_image: %s\n", m);
    exit(2);
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef lp_bench_run_res run_res;

/* Runs argv in a fresh process, its stdout into g_dir/out.txt, stderr into g_dir/stderr.txt. */
static int run_prog(char *const argv[], run_res *o)
{
    char outf[4200], errf[4200];
    snprintf(outf, sizeof outf, "%s/out.txt", g_dir);
    snprintf(errf, sizeof errf, "%s/stderr.txt", g_dir);
    return lp_bench_run(g_self, outf, errf, argv, o);
}

/* The first line of the last child's stderr. */
static void last_stderr(char *out, size_t n)
{
    char errf[4200];
    snprintf(errf, sizeof errf, "%s/stderr.txt", g_dir);
    lp_bench_first_line(errf, out, n);
}

/* ---- the tool's report ---- */
typedef struct { char sha384[97], pcr2[97]; long long size; } report;

static json_t *find_key(json_t *v, const char *key, int depth)
{
    if (depth > 8)
        return NULL;
    if (json_is_object(v)) {
        json_t *x = json_object_get(v, key);
        if (x)
            return x;
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) {
            if ((x = find_key(c, key, depth + 1)))
                return x;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *c, *x;
        json_array_foreach(v, i, c) {
            if ((x = find_key(c, key, depth + 1)))
                return x;
        }
    }
    return NULL;
}

static void copy_hex(char dst[97], json_t *s)
{
    dst[0] = 0;
    if (json_is_string(s))
        snprintf(dst, 97, "%s", json_string_value(s));
}

/* "CustomerRamdisk": {"size", "sha384"} and "Measurements": {"PCR2"} of the last run's stdout. */
static int read_report(report *r)
{
    char outf[4200];
    snprintf(outf, sizeof outf, "%s/out.txt", g_dir);
    memset(r, 0, sizeof *r);
    r->size = -1;
    json_t *doc = json_load_file(outf, 0, NULL);
    if (!doc)
        return 0;
    json_t *cr = find_key(doc, "CustomerRamdisk", 0), *ms = find_key(doc, "Measurements", 0);
    if (cr) {
        copy_hex(r->sha384, json_object_get(cr, "sha384"));
        json_t *sz = json_object_get(cr, "size");
        if (json_is_integer(sz))
            r->size = (long long)json_integer_value(sz);
    }
    if (ms)
        copy_hex(r->pcr2, json_object_get(ms, "PCR2"));
    json_decref(doc);
    return r->sha384[0] && r->pcr2[0];
}

/* ---- floor part 1: read the image, inflate every gzip member into a discard buffer ---- */
typedef struct {
    uint64_t members, gz_members, plain_layers, gz_in, gz_out, plain_bytes, image_bytes;
} inflate_stats;

typedef struct {
    uint8_t hdr[512];
    size_t hl;
    uint64_t left, pad;
    int kind; /* 0 not yet known, 1 gzip, 2 other */
    int plain_layer, z_ended;
    z_stream z;
    uint8_t *discard;
    inflate_stats *s;
} tar_walk;

static uint64_t tar_size(const uint8_t *h)
{
    uint64_t v = 0;
    if (h[124] & 0x80) { /* base-256 */
        for (int i = 125; i < 136; i++)
            v = v << 8 | h[i];
        return v;
    }
    for (int i = 124; i < 136 && h[i]; i++)
        if (h[i] >= '0' && h[i] <= '7')
            v = v << 3 | (uint64_t)(h[i] - '0');
    return v;
}

static void member_data(tar_walk *w, const uint8_t *p, size_t n)
{
    if (!w->kind) {
        w->kind = p[0] == 0x1f && (n < 2 || p[1] == 0x8b) ? 1 : 2;
        if (w->kind == 1) {
            w->s->gz_members++;
            w->z_ended = 0;
            if (inflateReset2(&w->z, 16 + MAX_WBITS) != Z_OK)
                die2("inflateReset2");
        } else if (w->plain_layer) {
            w->s->plain_layers++;
        }
    }
    if (w->kind == 2) {
        if (w->plain_layer)
            w->s->plain_bytes += n;
        return;
    }
    w->s->gz_in += n;
    w->z.next_in = (Bytef *)(uintptr_t)p;
    w->z.avail_in = (uInt)n;
    for (;;) {
        if (w->z_ended) { /* a further gzip member in the same file */
            if (!w->z.avail_in)
                break;
            if (inflateReset(&w->z) != Z_OK)
                die2("inflateReset");
            w->z_ended = 0;
        }
        w->z.next_out = w->discard;
        w->z.avail_out = (uInt)DISCARD;
        int ret = inflate(&w->z, Z_NO_FLUSH);
        w->s->gz_out += DISCARD - w->z.avail_out;
        if (ret == Z_STREAM_END) {
            w->z_ended = 1;
            continue;
        }
        if (ret == Z_BUF_ERROR && !w->z.avail_in)
            break;
        if (ret != Z_OK)
            die2("a gzip member of the image does not inflate");
        if (!w->z.avail_in && w->z.avail_out)
            break;
    }
}

static void walk_bytes(tar_walk *w, const uint8_t *p, size_t n)
{
    while (n) {
        if (w->left) {
            size_t k = n < w->left ? n : (size_t)w->left;
            member_data(w, p, k);
            p += k, n -= k, w->left -= k;
            if (!w->left && w->kind == 1 && !w->z_ended)
                die2("a gzip member of the image is truncated");
            continue;
        }
        if (w->pad) {
            size_t k = n < w->pad ? n : (size_t)w->pad;
            p += k, n -= k, w->pad -= k;
            continue;
        }
        size_t k = n < 512 - w->hl ? n : 512 - w->hl;
        memcpy(w->hdr + w->hl, p, k);
        w->hl += k, p += k, n -= k;
        if (w->hl < 512)
            continue;
        w->hl = 0;
        int zero = 1;
        for (int i = 0; i < 512 && zero; i++)
            zero = !w->hdr[i];
        if (zero)
            continue;
        uint8_t t = w->hdr[156];
        w->left = tar_size(w->hdr);
        w->pad = (512 - w->left % 512) % 512;
        w->s->members++;
        w->kind = t == '0' || t == 0 || t == '7' ? 0 : 2;
        char name[101];
        memcpy(name, w->hdr, 100);
        name[100] = 0;
        size_t nl = strlen(name);
        w->plain_layer = nl >= 9 && !strcmp(name + nl - 9, "layer.tar");
    }
}

static void floor_inflate(const char *path, inflate_stats *s, double *wall, double *cpu)
{
    static uint8_t buf[READ_CHUNK];
    tar_walk w;
    memset(&w, 0, sizeof w);
    memset(s, 0, sizeof *s);
    w.s = s;
    w.discard = malloc(DISCARD);
    if (!w.discard || inflateInit2(&w.z, 16 + MAX_WBITS) != Z_OK)
        die2("inflateInit2");
    double t0 = lp_bench_now(), c0 = cpu_now();
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die2("cannot open the image");
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        s->image_bytes += (uint64_t)r;
        walk_bytes(&w, buf, (size_t)r);
    }
    if (r < 0)
        die2("cannot read the image");
    close(fd);
    *wall = lp_bench_now() - t0;
    *cpu = cpu_now() - c0;
    inflateEnd(&w.z);
    free(w.discard);
}

/* ---- floor part 2: SHA-384 of the ramdisk, and its cpio entries (untimed) ---- */
static void sha384(const uint8_t *p, size_t n, uint8_t out[48])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned ol = 0;
    if (!c || !EVP_DigestInit_ex(c, EVP_sha384(), NULL) || !EVP_DigestUpdate(c, p, n) || !EVP_DigestFinal_ex(c, out, &ol))
        die2("EVP SHA-384");
    EVP_MD_CTX_free(c);
}

static void hex48(const uint8_t d[48], char out[97])
{
    for (int i = 0; i < 48; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

typedef struct { long files, dirs, symlinks, other; int ok; } cpio_count;

static unsigned long hex8(const uint8_t *p)
{
    char t[9];
    memcpy(t, p, 8);
    t[8] = 0;
    return strtoul(t, NULL, 16);
}

/* Entries of a newc ("070701") cpio up to TRAILER!!!. */
static cpio_count count_cpio(const uint8_t *p, size_t n)
{
    cpio_count c = {0, 0, 0, 0, 0};
    size_t off = 0;
    while (off + 110 <= n && !memcmp(p + off, "070701", 6)) {
        unsigned long mode = hex8(p + off + 14), fsize = hex8(p + off + 54), nsize = hex8(p + off + 94);
        if (off + 110 + nsize > n)
            return c;
        if (nsize == 11 && !memcmp(p + off + 110, "TRAILER!!!", 10)) {
            c.ok = 1;
            return c;
        }
        switch (mode & 0170000) {
        case 0100000: c.files++; break;
        case 0040000: c.dirs++; break;
        case 0120000: c.symlinks++; break;
        default: c.other++; break;
        }
        off = (off + 110 + nsize + 3) & ~(size_t)3;
        off = (off + fsize + 3) & ~(size_t)3;
    }
    return c;
}

/* ---- statistics ---- */
typedef struct { double med, lo, hi; } stat3;

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static stat3 stats(const double *x, int n)
{
    double s[MAX_REPS];
    memcpy(s, x, (size_t)n * sizeof *x);
    qsort(s, (size_t)n, sizeof *s, cmp_d);
    stat3 r = {n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, s[0], s[n - 1]};
    return r;
}

static void machine_state(const char *when)
{
    char la[128] = "?";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (!fgets(la, sizeof la, f))
            snprintf(la, sizeof la, "?");
        fclose(f);
    }
    la[strcspn(la, "\n")] = 0;
    long long avail = -1;
    char line[256];
    f = fopen("/proc/meminfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "MemAvailable:", 13))
            avail = atoll(line + 13);
    if (f)
        fclose(f);
    printf("  machine %s: %ld online cores, load average %s, MemAvailable %.0f MiB\n", when, sysconf(_SC_NPROCESSORS_ONLN),
           la, (double)avail / 1024.0);
}

static int find(char *out, size_t n, const char *rel_cwd, const char *rel_bin)
{
    if (access(rel_cwd, F_OK) == 0) {
        snprintf(out, n, "%s", rel_cwd);
        return 1;
    }
    char *slash = strrchr(g_self, '/');
    snprintf(out, n, "%.*s/%s", (int)(slash - g_self), g_self, rel_bin);
    return access(out, F_OK) == 0;
}

static int g_bad;

static void mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mismatch(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("  MISMATCH: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    g_bad = 1;
}

/* One tool run; a failure prints its exit status and stderr line (and g_bad). */
static int tool_run(const char *img, const char *emit, run_res *r, report *rep, const char *label)
{
    char *av[8];
    size_t k = 0;
    av[k++] = g_tool;
    av[k++] = "--docker-image";
    av[k++] = (char *)(uintptr_t)img;
    av[k++] = "--json";
    if (emit) {
        av[k++] = "--emit-ramdisk";
        av[k++] = (char *)(uintptr_t)emit;
    }
    av[k] = NULL;
    if (!run_prog(av, r))
        die2("cannot run recompute_pcr0");
    int ok = r->status == 0 && read_report(rep);
    if (!ok) {
        char why[400];
        last_stderr(why, sizeof why);
        printf("  recompute_pcr0 %s: exit %d%s, %s: %s\n", label, r->status,
               r->status == 0 ? " but no CustomerRamdisk.sha384 / Measurements.PCR2 in its JSON" : "",
               "stderr", why[0] ? why : "(empty)");
        g_bad = 1;
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc > 5 && !strcmp(argv[1], "--spawn"))
        return lp_bench_spawn_main(argv + 2);
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: bench_docker_image [IMAGE.tar]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    ssize_t sl = readlink("/proc/self/exe", g_self, sizeof g_self - 1);
    if (sl <= 0)
        die2("cannot find own executable");
    g_self[sl] = 0;
    const char *bin = getenv("LP_BIN");
    if (bin && *bin)
        snprintf(g_tool, sizeof g_tool, "%s/recompute_pcr0", bin);
    else if (!find(g_tool, sizeof g_tool, "build/bin/recompute_pcr0", "../bin/recompute_pcr0"))
        die2("recompute_pcr0 not found (run from the repository root, or set LP_BIN)");
    int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 5;
    reps = reps < 1 ? 1 : reps > MAX_REPS ? MAX_REPS : reps;
    snprintf(g_dir, sizeof g_dir, "/tmp/bench_docker_image_XXXXXX");
    if (!mkdtemp(g_dir))
        die2("cannot make a temporary directory under /tmp");
    printf("bench_docker_image: %d repetitions (+1 warm-up), tool %s\n", reps, g_tool);
    machine_state("at start");

    char img[4200], ramdisk[4200];
    snprintf(ramdisk, sizeof ramdisk, "%s/ramdisk.cpio", g_dir);
    int generated = argc < 2;
    if (generated) {
        if (!find(g_gen, sizeof g_gen, "tests/bench/gen_docker_image.py", "../../tests/bench/gen_docker_image.py"))
            die2("tests/bench/gen_docker_image.py not found (run from the repository root, or give IMAGE.tar)");
        const char *mb = getenv("BENCH_DOCKER_MB") ? getenv("BENCH_DOCKER_MB") : "300";
        snprintf(img, sizeof img, "%s/image.tar", g_dir);
        char *gv[] = {"python3", g_gen, img, "--size-mb", (char *)(uintptr_t)mb, NULL};
        run_res g;
        if (!run_prog(gv, &g) || g.status != 0) {
            char why[400];
            last_stderr(why, sizeof why);
            fprintf(stderr, "bench_docker_image: the generator failed: %s\n", why);
            return 2;
        }
        char outf[4200], line[1024] = "";
        snprintf(outf, sizeof outf, "%s/out.txt", g_dir);
        FILE *f = fopen(outf, "r");
        if (f) {
            if (!fgets(line, sizeof line, f))
                line[0] = 0;
            fclose(f);
        }
        line[strcspn(line, "\n")] = 0;
        printf("  %s (%.1f s)\n", line, g.wall);
    } else {
        snprintf(img, sizeof img, "%s", argv[1]);
    }
    struct stat sb;
    if (stat(img, &sb) != 0)
        die2("cannot stat the image");

    /* warm-up: page cache, and an early word when the tool refuses the image */
    run_res r;
    report rep;
    if (!tool_run(img, NULL, &r, &rep, "--docker-image --json (warm-up)"))
        printf("  (no tool figures: the floor's inflate half alone follows)\n");
    int have_tool = !g_bad;

    double tw[MAX_REPS], tc[MAX_REPS], trs[MAX_REPS], ew[MAX_REPS], ec[MAX_REPS], ers[MAX_REPS];
    double fiw[MAX_REPS], fic[MAX_REPS], fsw[MAX_REPS], fsc[MAX_REPS], fw[MAX_REPS], fc[MAX_REPS];
    double ratio_t[MAX_REPS], ratio_tc[MAX_REPS], ratio_e[MAX_REPS];
    inflate_stats is;
    size_t rd_len = 0;
    cpio_count cc = {0, 0, 0, 0, 0};
    char pcr2[97] = "", rsha[97] = "";
    for (int k = 0; k < reps; k++) {
        report er, pr;
        int eok = have_tool && tool_run(img, ramdisk, &r, &er, "--docker-image --json --emit-ramdisk");
        ew[k] = r.wall, ec[k] = r.cpu, ers[k] = r.rss_mib;

        floor_inflate(img, &is, &fiw[k], &fic[k]);
        fsw[k] = fsc[k] = 0;
        if (eok) {
            uint8_t *rd = lp_bench_read(ramdisk, &rd_len);
            if (!rd)
                die2("cannot read the emitted ramdisk");
            uint8_t d[48], pd[48], pre[96];
            char dh[97], ph[97];
            double t0 = lp_bench_now(), c0 = cpu_now();
            sha384(rd, rd_len, d);
            fsw[k] = lp_bench_now() - t0;
            fsc[k] = cpu_now() - c0;
            memset(pre, 0, 48);
            memcpy(pre + 48, d, 48);
            sha384(pre, sizeof pre, pd);
            hex48(d, dh);
            hex48(pd, ph);
            if (k == 0)
                cc = count_cpio(rd, rd_len);
            free(rd);
            unlink(ramdisk);
            if (strcmp(dh, er.sha384))
                mismatch("SHA-384 of the emitted ramdisk %s, reported CustomerRamdisk.sha384 %s", dh, er.sha384);
            if (er.size != (long long)rd_len)
                mismatch("emitted ramdisk %zu bytes, reported CustomerRamdisk.size %lld", rd_len, er.size);
            if (strcmp(ph, er.pcr2))
                mismatch("SHA384(0^48 || ramdisk sha384) %s, reported PCR2 (--emit-ramdisk run) %s", ph, er.pcr2);
            snprintf(pcr2, sizeof pcr2, "%s", ph);
            snprintf(rsha, sizeof rsha, "%s", dh);
        }
        fw[k] = fiw[k] + fsw[k];
        fc[k] = fic[k] + fsc[k];

        int pok = have_tool && tool_run(img, NULL, &r, &pr, "--docker-image --json");
        tw[k] = r.wall, tc[k] = r.cpu, trs[k] = r.rss_mib;
        if (pok && eok && strcmp(pr.pcr2, pcr2))
            mismatch("PCR2 of the plain run %s, of the ramdisk %s", pr.pcr2, pcr2);
        ratio_t[k] = tw[k] / fw[k];
        ratio_tc[k] = tc[k] / fc[k];
        ratio_e[k] = ew[k] / fw[k];
        if (!eok || !pok)
            have_tool = 0;
    }

    printf("  image %.1f MiB (%s): %llu members, %llu gzip (%.1f MiB -> %.1f MiB inflated, %.2fx), %llu plain layer tars "
           "(%.1f MiB)\n", (double)sb.st_size / MIB, generated ? "generated" : img, (unsigned long long)is.members,
           (unsigned long long)is.gz_members, (double)is.gz_in / MIB, (double)is.gz_out / MIB,
           is.gz_in ? (double)is.gz_out / (double)is.gz_in : 0.0, (unsigned long long)is.plain_layers,
           (double)is.plain_bytes / MIB);
    stat3 s_fi = stats(fiw, reps), s_fic = stats(fic, reps);
    printf("  %d run%s, medians [min..max]:\n", reps, reps == 1 ? "" : "s");
    printf("    floor: read + inflate   : wall %7.3f s [%.3f..%.3f]  CPU %7.3f s  (%.1f MB/s inflated)\n", s_fi.med, s_fi.lo,
           s_fi.hi, s_fic.med, (double)is.gz_out / 1e6 / s_fi.med);
    if (!have_tool) {
        printf("  recompute_pcr0 --docker-image gave no report: no ramdisk, no SHA-384 floor, no ratio\n");
        machine_state("at end");
        if (!getenv("BENCH_DOCKER_KEEP")) {
            char p[4300];
            snprintf(p, sizeof p, "%s/out.txt", g_dir), unlink(p);
            snprintf(p, sizeof p, "%s/stderr.txt", g_dir), unlink(p);
            if (generated)
                unlink(img);
            rmdir(g_dir);
        }
        return 1;
    }
    printf("  ramdisk %.1f MiB (%zu bytes), cpio entries %ld: %ld files, %ld directories, %ld symlinks, %ld other%s\n",
           (double)rd_len / MIB, rd_len, cc.files + cc.dirs + cc.symlinks + cc.other, cc.files, cc.dirs, cc.symlinks,
           cc.other, cc.ok ? "" : " (not a complete newc cpio)");
    printf("  CustomerRamdisk.sha384 %s\n  PCR2 %s\n", rsha, pcr2);
    stat3 s_fs = stats(fsw, reps), s_f = stats(fw, reps), s_fc = stats(fc, reps);
    stat3 s_t = stats(tw, reps), s_tc = stats(tc, reps), s_trs = stats(trs, reps);
    stat3 s_e = stats(ew, reps), s_ec = stats(ec, reps), s_ers = stats(ers, reps);
    stat3 s_r = stats(ratio_t, reps), s_rc = stats(ratio_tc, reps), s_re = stats(ratio_e, reps);
    printf("    floor: SHA-384 ramdisk  : wall %7.3f s [%.3f..%.3f]  (%.1f MB/s)\n", s_fs.med, s_fs.lo, s_fs.hi,
           (double)rd_len / 1e6 / s_fs.med);
    printf("    floor: total            : wall %7.3f s [%.3f..%.3f]  CPU %7.3f s [%.3f..%.3f]\n", s_f.med, s_f.lo, s_f.hi,
           s_fc.med, s_fc.lo, s_fc.hi);
    printf("    recompute_pcr0 --json   : wall %7.3f s [%.3f..%.3f]  CPU %7.3f s [%.3f..%.3f]  peak RSS %6.1f MiB "
           "[%.1f..%.1f]\n", s_t.med, s_t.lo, s_t.hi, s_tc.med, s_tc.lo, s_tc.hi, s_trs.med, s_trs.lo, s_trs.hi);
    printf("    ... --emit-ramdisk FILE : wall %7.3f s [%.3f..%.3f]  CPU %7.3f s [%.3f..%.3f]  peak RSS %6.1f MiB "
           "[%.1f..%.1f]\n", s_e.med, s_e.lo, s_e.hi, s_ec.med, s_ec.lo, s_ec.hi, s_ers.med, s_ers.lo, s_ers.hi);
    printf("    tool / floor (same run) : PCR2 run wall %.2fx [%.2f..%.2f], CPU %.2fx [%.2f..%.2f]; with --emit-ramdisk "
           "wall %.2fx [%.2f..%.2f]\n", s_r.med, s_r.lo, s_r.hi, s_rc.med, s_rc.lo, s_rc.hi, s_re.med, s_re.lo, s_re.hi);
    machine_state("at end");
    printf("\nsummary (aims of the Docker-image issue; timings are never pass conditions):\n");
    printf("  %-58s %-8s %.2fx (CPU %.2fx; %.3f s vs floor %.3f s)\n", "time to PCR2 <= 1.3x floor (inflate + SHA-384)",
           s_r.med <= AIM_RATIO ? "met" : "NOT met", s_r.med, s_rc.med, s_t.med, s_f.med);
    printf("  %-58s %-8s %.1f MiB (with --emit-ramdisk %.1f MiB)\n", "peak RSS < 64 MiB",
           s_trs.hi < AIM_RSS_MIB ? "met" : "NOT met", s_trs.hi, s_ers.hi);
    printf("  %-58s %s\n", "ramdisk SHA-384, size and PCR2 agree with the report", g_bad ? "MISMATCH" : "agree");
    if (!getenv("BENCH_DOCKER_KEEP")) {
        char p[4300];
        snprintf(p, sizeof p, "%s/out.txt", g_dir), unlink(p);
        snprintf(p, sizeof p, "%s/stderr.txt", g_dir), unlink(p);
        if (generated)
            unlink(img);
        rmdir(g_dir);
    } else {
        printf("  (kept %s)\n", g_dir);
    }
    return g_bad ? 1 : 0;
}
