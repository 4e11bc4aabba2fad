/* Replays inputs through a libFuzzer target without libFuzzer or clang, so
 * `make check` runs the regression corpus (tests/fuzz/regress/<target>/) and the
 * seeds from vectors/ under the normal compiler, plain and under ASan+UBSan.
 *   fuzz_<target> FILE|DIR...   (a DIR contributes its regular files)
 * Each input is read whole and passed once to LLVMFuzzerTestOneInput; a finding
 * aborts (or the sanitizer reports and exits non-zero).  Prints the count. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_INPUT (4u << 20) /* beyond any target's -max_len */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "replay: cannot open %s\n", path); return -1; }
    uint8_t *buf = malloc(REPLAY_MAX_INPUT);
    if (!buf) { fclose(f); return -1; }
    size_t n = fread(buf, 1, REPLAY_MAX_INPUT, f);
    int big = n == REPLAY_MAX_INPUT && fgetc(f) != EOF;
    fclose(f);
    if (big) { fprintf(stderr, "replay: %s is larger than %u bytes\n", path, REPLAY_MAX_INPUT); free(buf); return -1; }
    /* An exact-size copy, so a read past the input is seen by ASan. */
    uint8_t *in = malloc(n ? n : 1);
    if (!in) { free(buf); return -1; }
    memcpy(in, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(in, n);
    free(in);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) { fprintf(stderr, "replay: no such input %s\n", argv[i]); bad = 1; continue; }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) == 0) count++; else bad = 1;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) { fprintf(stderr, "replay: cannot read %s\n", argv[i]); bad = 1; continue; }
        char **names = NULL;
        size_t nn = 0;
        for (struct dirent *e; (e = readdir(d));) {
            char *p = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
            char **grown = realloc(names, (nn + 1) * sizeof *names);
            if (!p || !grown) {
                free(p);
                names = grown ? grown : names;
                for (size_t k = 0; k < nn; k++) free(names[k]);
                free(names);
                closedir(d);
                fprintf(stderr, "replay: out of memory listing %s\n", argv[i]);
                return 2;
            }
            names = grown;
            sprintf(p, "%s/%s", argv[i], e->d_name);
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) names[nn++] = p;
            else free(p);
        }
        closedir(d);
        qsort(names, nn, sizeof *names, cmp);
        for (size_t k = 0; k < nn; k++) {
            if (run_file(names[k]) == 0) count++; else bad = 1;
            free(names[k]);
        }
        free(names);
    }
    printf("replayed %zu inputs\n", count);
    return bad ? 2 : 0;
}
