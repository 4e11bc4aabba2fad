#!/bin/sh
# make install: library, header and pkg-config file land under PREFIX, and a
# program built only from `pkg-config leadpoet_canonical` reproduces a vector.
. tests/cli/lib.sh
BUILD=${BUILD:-build}
P="$T_TMP/prefix"
SANFLAGS=""
[ "${LP_SAN:-}" = 1 ] && SANFLAGS="-fsanitize=address,undefined"

expect_exit 0 "make install" make --no-print-directory -s install BUILD="$BUILD" PREFIX="$P" ${LP_SAN:+SAN=1}
for f in lib/libleadpoet_canonical.so.0.1.0 lib/libleadpoet_canonical.so.0 lib/libleadpoet_canonical.so \
         lib/libleadpoet_canonical.a include/leadpoet_canonical.h lib/pkgconfig/leadpoet_canonical.pc bin/canonicalize; do
  if [ -e "$P/$f" ]; then pass; else failt "installed $f"; fi
done
expect_eq "soname" "$(objdump -p "$P/lib/libleadpoet_canonical.so.0.1.0" | awk '/SONAME/{print $2}')" "libleadpoet_canonical.so.0"
# Only the leadpoet_* ABI is exported.
expect_eq "exports only leadpoet_*" \
  "$(nm -D --defined-only "$P/lib/libleadpoet_canonical.so" | awk '$2=="T"{print $3}' | grep -vc '^leadpoet_')" 0

cat >"$T_TMP/user.c" <<'C'
#include <leadpoet_canonical.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    const char *in = "{\"weights\":[[1,1000],[5,2000],[10,3000]],\"netuid\":71,\"epoch_id\":100,\"block\":12345}";
    char hex[LEADPOET_HEX_DIGEST_SIZE];
    int rc = leadpoet_canonical_sha256_hex((const unsigned char *)in, strlen(in), "compact-sorted-ascii", hex);
    if (rc) { fprintf(stderr, "%s\n", leadpoet_strerror(rc)); return 1; }
    puts(hex);
    rc = leadpoet_canonical_sha256_hex((const unsigned char *)"[NaN]", 5, "compact-sorted-utf8-nonan", hex);
    printf("%s\n", leadpoet_errname(rc));
    const char *plain = "{\"sequence\": 7, \"a\": \"\\u00e9\"}";
    unsigned char *out = NULL;
    size_t n = 0, span[2];
    rc = leadpoet_canonical_csa_from_text((const unsigned char *)plain, strlen(plain), "sequence", span, &out, &n);
    if (rc) { fprintf(stderr, "%s\n", leadpoet_strerror(rc)); return 1; }
    printf("%.*s %zu %zu\n", (int)n, (const char *)out, span[0], span[1]);
    leadpoet_free(out);
    rc = leadpoet_canonical_csa_from_text((const unsigned char *)"\"\\u00E9\"", 8, NULL, NULL, &out, &n);
    printf("%d %d\n", rc == LEADPOET_CSA_DECLINED, out == NULL);
    return 0;
}
C
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
expect_exit 0 "pkg-config finds it" pkg-config --exists leadpoet_canonical
# shellcheck disable=SC2046
expect_exit 0 "compile against installed header" cc -std=c11 $SANFLAGS -o "$T_TMP/user" "$T_TMP/user.c" $(pkg-config --cflags --libs leadpoet_canonical)
LD_LIBRARY_PATH="$P/lib" "$T_TMP/user" >"$T_TMP/user.out" 2>&1
# Expected: Leadpoet's bundle_weights_hash for docstring_example (vectors/leadpoet/weights.json).
expect_eq "hash through the installed library" "$(head -n 1 "$T_TMP/user.out")" \
  "7d77babb987b81bf12860fc431518c64a983002d21d675ff4438126683b3dcf8"
expect_eq "error name through the ABI" "$(sed -n 2p "$T_TMP/user.out")" "NAN_NOT_ALLOWED"
# json.dumps(json.loads(plain), sort_keys=True, separators=(",", ":")), "7" at [25, 26)
expect_eq "CS-A from text through the ABI" "$(sed -n 3p "$T_TMP/user.out")" '{"a":"\u00e9","sequence":7} 25 26'
expect_eq "declined through the ABI" "$(sed -n 4p "$T_TMP/user.out")" "1 1"
finish test_install
