/*
 * Per-call cost of libbtcaddr's functions from C, on one P2WPKH address (22-byte script).
 * Rounds are interleaved (each round times every row once, in turn), so that load from other
 * processes hits all rows alike; each row prints the median over the rounds of the mean time per
 * call, and the median of its per-round ratio to btcaddr_is_valid (the allocation-free check).
 * Run by address/bindings/c/bench/run.sh; numbers go in docs/BENCHMARKS.md, never in tests.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "btcaddr.h"

#define ROUNDS 21
#define CALLS 50000
#define ROWS 7

static const uint8_t P2WPKH[22] = {0x00, 0x14, 0x75, 0x1e, 0x76, 0xe8, 0x19, 0x91,
                                   0x96, 0xd4, 0x54, 0x94, 0x1c, 0x45, 0xd1, 0xb3,
                                   0xa3, 0x23, 0xf1, 0x43, 0x3b, 0xd6};
static const char STANDARD[] = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
static char address[128];
static size_t address_len;
static volatile int sink;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void is_valid(void) { sink += btcaddr_is_valid(address, address_len); }

static void decode(void) {
    uint8_t script[BTCADDR_MAX_SCRIPT_LEN];
    btcaddr_decoded d;
    btcaddr_error err;
    sink += btcaddr_decode(address, address_len, script, sizeof script, &d, &err);
}

static void decode_no_err(void) {
    uint8_t script[64];
    btcaddr_decoded d;
    sink += btcaddr_decode(address, address_len, script, sizeof script, &d, NULL);
}

static void encode(void) {
    char out[128];
    sink += btcaddr_encode("btc", 3, P2WPKH, sizeof P2WPKH, out, sizeof out, NULL);
}

static void to_standard(void) {
    char out[BTCADDR_MAX_STANDARD_LEN + 1];
    sink += btcaddr_to_standard(address, address_len, out, sizeof out, NULL);
}

static void from_standard(void) {
    char out[128];
    sink += btcaddr_from_standard(STANDARD, sizeof STANDARD - 1, NULL, 0, out, sizeof out, NULL);
}

static void invalid_decode(void) {
    /* the check letter replaced: a Damm mismatch, with the error struct's message filled */
    static char typo[128];
    uint8_t script[64];
    btcaddr_decoded d;
    btcaddr_error err;
    if (!typo[0]) {
        memcpy(typo, address, address_len);
        typo[address_len - 1] = typo[address_len - 1] == 'y' ? 'b' : 'y';
    }
    sink += btcaddr_decode(typo, address_len, script, sizeof script, &d, &err);
}

static double time_calls(void (*f)(void)) {
    double t0 = now();
    int i;
    for (i = 0; i < CALLS; i++) f();
    return (now() - t0) / CALLS;
}

static double median(double *v) {
    qsort(v, ROUNDS, sizeof v[0], cmp);
    return v[ROUNDS / 2];
}

int main(void) {
    static const struct {
        const char *name;
        void (*f)(void);
    } rows[] = {
        {"btcaddr_is_valid", is_valid},
        {"btcaddr_decode (with btcaddr_error)", decode},
        {"btcaddr_decode (err NULL)", decode_no_err},
        {"btcaddr_decode, invalid (damm_mismatch)", invalid_decode},
        {"btcaddr_encode", encode},
        {"btcaddr_to_standard", to_standard},
        {"btcaddr_from_standard", from_standard},
    };
    static double ns[ROWS][ROUNDS], ratio[ROWS][ROUNDS];
    size_t i;
    int r;
    if (btcaddr_encode("btc", 3, P2WPKH, sizeof P2WPKH, address, sizeof address, NULL) !=
        BTCADDR_OK) {
        fprintf(stderr, "bench: cannot encode the sample\n");
        return 1;
    }
    if (sizeof rows / sizeof rows[0] != ROWS) {
        fprintf(stderr, "bench: ROWS is not the number of rows\n");
        return 1;
    }
    address_len = strlen(address);
    printf("libbtcaddr %s, %s (%zu characters), %d interleaved rounds of %d calls per row\n\n",
           btcaddr_version(), address, address_len, ROUNDS, CALLS);
    for (i = 0; i < ROWS; i++) time_calls(rows[i].f); /* warm up */
    for (r = 0; r < ROUNDS; r++) {
        for (i = 0; i < ROWS; i++) ns[i][r] = time_calls(rows[i].f);
        for (i = 0; i < ROWS; i++) ratio[i][r] = ns[i][r] / ns[0][r];
    }
    printf("| function | ns/call | ratio to btcaddr_is_valid |\n| --- | --- | --- |\n");
    for (i = 0; i < ROWS; i++) {
        double t = median(ns[i]), q = median(ratio[i]);
        printf("| %s | %.1f | %.2f |\n", rows[i].name, t, q);
    }
    return 0;
}
