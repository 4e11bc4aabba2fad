/* replay_sn46's procedure (lp_sn46_replay) on an epoch of 256 miners x 20 zipcodes,
 * generated here in the shape of the public case p01-r1118-clean (its metagraph,
 * validator and chain; every neuron uploads one file of 12 listings per zipcode; the
 * validator's records for every file), time per replay beside the cost of parsing the
 * same input.  Aim (issue 19): within 2x of the parse.  Usage: bench_sn46 (from the
 * repository root). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sn46_replay.h"
#include "canonical/lpc_json.h"
#include "tests/bench/lp_bench.h"

#define ZIPS 20
#define PER_FILE 12
#define BUDGET 2.0

static int add(lpc_buf *b, const char *s) { return lpc_buf_append(b, s, strlen(s)) == LPC_OK; }

static int addv(lpc_buf *b, const lpc_value *v)
{
    return lpc_dump(v, LPC_PROFILE_DU_A, b) == LPC_OK;
}

int main(void)
{
    size_t len;
    uint8_t *raw = lp_bench_read("vectors/subnet46/cases/p01-r1118-clean.input.json", &len);
    lpc_value *p01 = NULL;
    if (!raw || lpc_parse(raw, len, &p01, NULL) != LPC_OK) {
        fprintf(stderr, "bench_sn46: run from the repository root (vectors/ not found)\n");
        return 1;
    }
    free(raw);
    const lpc_value *ns = lpc_get(lpc_get(p01, "metagraph"), "neurons");
    const char *epoch = "2025-11-05T08-00-00", *nonce = "42914f2cee7d1d24";
    lpc_buf b = {0};
    char t[2048];
    int ok = add(&b, "{\"format\":\"leadpoet-verify/sn46-epoch-replay/1\",\"profile\":\"resi-2025-11-18\",\"assignment\":{");
    snprintf(t, sizeof t, "\"epochId\":\"%s\",\"epochStart\":\"2025-11-05T08:00:00.000Z\",\"epochEnd\":\"2025-11-05T12:00:00.000Z\","
                          "\"nonce\":\"%s\",\"targetListings\":%d,\"tolerancePercent\":10,"
                          "\"submissionDeadline\":\"2025-11-05T12:00:00.000Z\",\"zipcodes\":[", epoch, nonce, ZIPS * PER_FILE);
    ok &= add(&b, t);
    for (int z = 0; z < ZIPS; z++) {
        snprintf(t, sizeof t, "%s{\"zipcode\":\"%05d\",\"expectedListings\":%d}", z ? "," : "", 19100 + z, PER_FILE);
        ok &= add(&b, t);
    }
    ok &= add(&b, "]},\"assignment_history\":[],\"selection_policy\":{\"cooldownHours\":24},\"metagraph\":");
    ok &= addv(&b, lpc_get(p01, "metagraph"));
    ok &= add(&b, ",\"submissions\":[");
    long zpid = 2000000000;
    size_t nsub = 0;
    for (size_t m = 0; m < ns->u.a.n; m++) {
        const lpc_value *hk = lpc_get(ns->u.a.items[m], "hotkey");
        for (int z = 0; z < ZIPS; z++) {
            int minute = 10 + (int)((m * 7 + (size_t)z * 3) % 200) / 4;
            snprintf(t, sizeof t,
                     "%s{\"path_hotkey\":\"%s\",\"s3_key\":\"data/hotkey=%s/epoch=%s/zipcode=%05d/data_20251105_09%02d00.json\","
                     "\"s3_last_modified\":\"2025-11-05T09:%02d:30.000Z\",\"file\":{\"epoch_id\":\"%s\",\"zipcode\":\"%05d\","
                     "\"miner_hotkey\":\"%s\",\"submission_timestamp\":\"2025-11-05T09:%02d:00.%06zu+00:00\",\"listing_count\":%d,\"listings\":[",
                     nsub ? "," : "", hk->u.s.ptr, hk->u.s.ptr, epoch, 19100 + z, minute % 60, minute % 60, epoch, 19100 + z,
                     hk->u.s.ptr, minute % 60, m, PER_FILE);
            ok &= add(&b, t);
            for (int l = 0; l < PER_FILE; l++, zpid++) {
                snprintf(t, sizeof t,
                         "%s{\"zpid\":%ld,\"address\":\"%d Market St, Philadelphia, PA %05d\",\"price\":%d,\"bedrooms\":%d,"
                         "\"bathrooms\":%d,\"sqft\":%d,\"listing_date\":\"2025-10-27\",\"property_type\":\"CONDO\","
                         "\"listing_status\":\"RECENTLY_SOLD\",\"days_on_market\":%d,\"mls_id\":\"MLS%ld\","
                         "\"source_url\":\"https://www.zillow.com/homedetails/%d-Market-St-%05d/%ld_zpid/\","
                         "\"scraped_timestamp\":\"2025-11-05T07:52:09.071870+00:00\",\"zipcode\":\"%05d\",\"epoch_id\":\"%s\","
                         "\"scraped_for_epoch\":true}",
                         l ? "," : "", zpid, l + 1, 19100 + z, 100000 + l * 1000, 1 + l % 5, 1 + l % 3, 900 + l * 10, 10 + l, zpid,
                         l + 1, 19100 + z, zpid, 19100 + z, epoch);
                ok &= add(&b, t);
            }
            ok &= add(&b, "]}}");
            nsub++;
        }
    }
    ok &= add(&b, "],\"spot_checks\":[");
    for (size_t m = 0; m < ns->u.a.n; m++)
        for (int z = 0; z < ZIPS; z++) {
            snprintf(t, sizeof t, "%s{\"hotkey\":\"%s\",\"zipcode\":\"%05d\",\"listing_indices\":[0,1],\"results\":[true,true]}",
                     m || z ? "," : "", lpc_get(ns->u.a.items[m], "hotkey")->u.s.ptr, 19100 + z);
            ok &= add(&b, t);
        }
    ok &= add(&b, "],\"validator\":");
    ok &= addv(&b, lpc_get(p01, "validator"));
    ok &= add(&b, ",\"chain\":");
    ok &= addv(&b, lpc_get(p01, "chain"));
    ok &= add(&b, "}");
    size_t nminers = ns->u.a.n;
    lpc_free(p01);
    if (!ok) return 1;

    lp_checks ck;
    lp_checks_init(&ck);
    lpc_value *rep = NULL;
    lp_code v = lp_sn46_replay(b.ptr, b.len, NULL, &ck, &rep);
    lp_checks_free(&ck);
    if (v != LP_CODE_OK || !rep || !lpc_get(rep, "weights")) {
        fprintf(stderr, "bench_sn46: the generated epoch does not replay (%s)\n", lp_code_name(v));
        return 1;
    }
    size_t nw = lpc_get(lpc_get(rep, "weights"), "uids")->u.a.n;
    lpc_free(rep);

    int iters = 0;
    double t0 = lp_bench_now(), tt;
    do {
        lpc_value *d = NULL;
        if (lpc_parse_budget(b.ptr, b.len, LP_SN46_MAX_INPUT, LP_SN46_MAX_TREE, &d, NULL) != LPC_OK) return 1;
        lpc_free(d);
        iters++;
        tt = lp_bench_now();
    } while (tt - t0 < BUDGET / 2 || iters < 3);
    double parse_us = (tt - t0) / iters * 1e6;
    iters = 0;
    t0 = lp_bench_now();
    do {
        lp_checks_init(&ck);
        if (lp_sn46_replay(b.ptr, b.len, NULL, &ck, &rep) != LP_CODE_OK) return 1;
        lp_checks_free(&ck);
        lpc_free(rep);
        iters++;
        tt = lp_bench_now();
    } while (tt - t0 < BUDGET || iters < 3);
    double rep_us = (tt - t0) / iters * 1e6;
    printf("bench_sn46: %zu miners x %d zipcodes, %zu files of %d listings, %zu bytes, %zu weights\n", nminers, ZIPS, nsub,
           PER_FILE, b.len, nw);
    printf("  parse of the input                %9.0f us/call  (%.0f MB/s)\n", parse_us, (double)b.len / parse_us);
    printf("  replay (parse included)           %9.0f us/call  = %.2fx parse (aim: <= 2x)\n", rep_us, rep_us / parse_us);
    lpc_buf_free(&b);
    return 0;
}
