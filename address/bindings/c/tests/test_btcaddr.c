/*
 * The C test of libbtcaddr: every vector of vectors.tsv (exported from
 * address/tests/data/vectors.json), the BIP173/BIP350 conversions, and the misuse cases (NULL,
 * zero capacity, invalid UTF-8, too-small buffers, unterminated input). Run by
 * scripts/test-c.sh, linked statically and against the .so.
 *
 * Usage: test_btcaddr path/to/vectors.tsv
 * Prints each failure, then a last line "N passed, N failed"; exits 1 when any failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btcaddr.h"

static int passed, failed;

#define CHECK(cond, ...)                                                                         \
    do {                                                                                         \
        if (cond) {                                                                              \
            passed++;                                                                            \
        } else {                                                                                 \
            failed++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                      \
            fprintf(stderr, __VA_ARGS__);                                                        \
            fputc('\n', stderr);                                                                 \
        }                                                                                        \
    } while (0)

/* The status each vectors.json error kind must give: the test's own table, so a wrong number
 * in the library cannot pass by also being wrong in btcaddr_status_name. */
static const struct {
    const char *kind;
    btcaddr_status code;
} KINDS[] = {
    {"missing_colon", BTCADDR_ERR_MISSING_COLON},   {"repeated_colon", BTCADDR_ERR_REPEATED_COLON},
    {"mixed_case", BTCADDR_ERR_MIXED_CASE},         {"unknown_prefix", BTCADDR_ERR_UNKNOWN_PREFIX},
    {"invalid_char", BTCADDR_ERR_INVALID_CHAR},     {"invalid_length", BTCADDR_ERR_INVALID_LENGTH},
    {"script_too_long", BTCADDR_ERR_SCRIPT_TOO_LONG}, {"damm_mismatch", BTCADDR_ERR_DAMM_MISMATCH},
    {"crc_mismatch", BTCADDR_ERR_CRC_MISMATCH},
};

static int kind_code(const char *kind) {
    size_t i;
    for (i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
        if (strcmp(KINDS[i].kind, kind) == 0) return (int)KINDS[i].code;
    }
    return -1;
}

static size_t hex_decode(const char *hex, uint8_t *out, size_t cap) {
    size_t n = strlen(hex) / 2, i;
    if (n > cap) return (size_t)-1;
    for (i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) return (size_t)-1;
        out[i] = (uint8_t)v;
    }
    return n;
}

static void to_lower(char *s) {
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

static void to_upper(char *s) {
    for (; *s; s++) *s = (char)toupper((unsigned char)*s);
}

/* Splits a line at tabs in place; returns the number of fields. */
static int split(char *line, char **fields, int max) {
    int n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = 0;
    while (n < max) {
        fields[n++] = p;
        p = strchr(p, '\t');
        if (!p) break;
        *p++ = 0;
    }
    return n;
}

static uint8_t script[BTCADDR_MAX_SCRIPT_LEN];
static uint8_t decoded_script[BTCADDR_MAX_SCRIPT_LEN];
static char text[BTCADDR_MAX_ADDRESS_LEN + 1];
static char upper[BTCADDR_MAX_ADDRESS_LEN + 1];

static void valid_vector(const char *network, const char *type, const char *hex,
                         const char *address, const char *standard) {
    btcaddr_error err;
    btcaddr_decoded d;
    btcaddr_status code;
    size_t len = hex_decode(hex, script, sizeof script), alen = strlen(address);
    char out[BTCADDR_MAX_STANDARD_LEN + 1];
    char warning[BTCADDR_WARNING_SIZE];
    int is_nonstandard = strcmp(type, "nonstandard") == 0;

    CHECK(len != (size_t)-1, "bad hex in vectors.tsv: %s", hex);
    if (len == (size_t)-1) return;

    /* encode */
    code = btcaddr_encode(network, strlen(network), script, len, text, sizeof text, &err);
    CHECK(code == BTCADDR_OK, "encode %s: %s", address, btcaddr_error_message(&err));
    CHECK(strcmp(text, address) == 0, "encode gave %s, expected %s", text, address);
    CHECK(err.needed == alen + 1, "encode needed %zu for %s", err.needed, address);

    /* one byte short: an error telling the size, and an empty string in the buffer */
    text[0] = 'x';
    code = btcaddr_encode(network, strlen(network), script, len, text, alen, &err);
    CHECK(code == BTCADDR_ERR_BUFFER_TOO_SMALL && err.needed == alen + 1 && text[0] == 0,
          "short buffer for %s: code %d needed %zu", address, code, err.needed);

    /* decode */
    memset(&d, 0xAB, sizeof d);
    code = btcaddr_decode(address, alen, decoded_script, sizeof decoded_script, &d, &err);
    CHECK(code == BTCADDR_OK, "decode %s: %s", address, btcaddr_error_message(&err));
    if (code != BTCADDR_OK) return;
    CHECK(d.script_len == len && memcmp(decoded_script, script, len) == 0,
          "decode %s: wrong script", address);
    CHECK(err.needed == len, "decode %s: needed %zu", address, err.needed);
    CHECK(strcmp(d.network_name, network) == 0, "decode %s: network %s", address,
          d.network_name);
    CHECK(strcmp(d.script_type_name, type) == 0, "decode %s: type %s, expected %s", address,
          d.script_type_name, type);
    CHECK(d.is_standard == !is_nonstandard, "decode %s: is_standard %d", address, d.is_standard);
    CHECK(d.has_standard_address == (strcmp(standard, "-") != 0),
          "decode %s: has_standard_address %d", address, d.has_standard_address);
    CHECK(btcaddr_is_valid(address, alen), "is_valid %s", address);

    /* the all-uppercase form: the library's equals toupper's, and decodes to the same script */
    code = btcaddr_to_uppercase(address, alen, upper, sizeof upper, &err);
    strcpy(text, address);
    to_upper(text);
    CHECK(code == BTCADDR_OK && strcmp(upper, text) == 0, "to_uppercase %s: %s (%s)", address,
          upper, btcaddr_error_message(&err));
    code = btcaddr_to_uppercase(upper, alen, text, sizeof text, &err);
    CHECK(code == BTCADDR_OK && strcmp(upper, text) == 0, "to_uppercase of uppercase %s", upper);
    code = btcaddr_decode(upper, alen, decoded_script, sizeof decoded_script, &d, &err);
    CHECK(code == BTCADDR_OK && d.script_len == len && memcmp(decoded_script, script, len) == 0,
          "decode uppercase %s: %s", upper, btcaddr_error_message(&err));

    /* the warning is there exactly for non-standard scripts */
    code = btcaddr_nonstandard_warning(address, alen, warning, sizeof warning, &err);
    CHECK(code == BTCADDR_OK, "warning %s: %s", address, btcaddr_error_message(&err));
    if (is_nonstandard) {
        CHECK(strncmp(warning, "valid, but pays to a non-standard script of ", 44) == 0,
              "warning for %s: %s", address, warning);
    } else {
        CHECK(warning[0] == 0, "warning for standard %s: %s", address, warning);
    }

    /* the standard form, both ways */
    code = btcaddr_to_standard(address, alen, out, sizeof out, &err);
    if (strcmp(standard, "-") == 0) {
        CHECK(code == BTCADDR_ERR_NO_STANDARD_ADDRESS, "to_standard %s: code %d", address, code);
    } else {
        CHECK(code == BTCADDR_OK && strcmp(out, standard) == 0, "to_standard %s: %s (%s)",
              address, out, btcaddr_error_message(&err));
        code = btcaddr_from_standard(standard, strlen(standard), network, strlen(network), text,
                                     sizeof text, &err);
        CHECK(code == BTCADDR_OK && strcmp(text, address) == 0, "from_standard %s on %s: %s (%s)",
              standard, network, text, btcaddr_error_message(&err));
    }
}

static void invalid_vector(const char *address, const char *kind, const char *position) {
    btcaddr_error err;
    btcaddr_decoded d;
    int expected = kind_code(kind);
    size_t want_pos = strcmp(position, "-") == 0 ? BTCADDR_NO_POSITION
                                                  : (size_t)strtoul(position, NULL, 10);
    btcaddr_status code = btcaddr_decode(address, strlen(address), decoded_script,
                                         sizeof decoded_script, &d, &err);
    CHECK(expected >= 0, "unknown kind %s in vectors.tsv", kind);
    CHECK((int)code == expected && (int)err.code == expected, "decode %.60s: code %d, expected %s",
          address, code, kind);
    CHECK(err.position == want_pos, "decode %.60s: position %zu, expected %s", address,
          err.position, position);
    CHECK(strlen(btcaddr_error_message(&err)) > 10, "decode %.60s: empty message", address);
    CHECK(strcmp(btcaddr_status_name(code), kind) == 0, "status name %s, expected %s",
          btcaddr_status_name(code), kind);
    CHECK(!btcaddr_is_valid(address, strlen(address)), "is_valid accepted %.60s", address);
}

static void run_vectors(const char *path) {
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int valid = 0, invalid = 0;
    CHECK(f != NULL, "cannot open %s", path);
    if (!f) return;
    while (getline(&line, &cap, f) != -1) {
        char *fields[6];
        int n;
        if (line[0] == '#') continue;
        n = split(line, fields, 6);
        if (strcmp(fields[0], "valid") == 0 && n == 6) {
            valid_vector(fields[1], fields[2], fields[3], fields[4], fields[5]);
            valid++;
        } else if (strcmp(fields[0], "invalid") == 0 && n == 4) {
            invalid_vector(fields[1], fields[2], fields[3]);
            invalid++;
        } else {
            CHECK(0, "malformed line in %s: %s", path, fields[0]);
        }
    }
    free(line);
    fclose(f);
    CHECK(valid >= 40 && invalid >= 15, "only %d valid and %d invalid vectors read", valid,
          invalid);
    printf("vectors: %d valid, %d invalid\n", valid, invalid);
}

/* BIP350's valid segwit addresses (v0 ones are also BIP173's) with their scriptPubKeys,
 * copied from address/tests/bip_vectors.rs. */
static const char *BIP_VALID[][2] = {
    {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
     "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
    {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
     "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"BC1SW50QGDZ25J", "6002751e"},
    {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
    {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
     "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
     "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
     "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
};

/* BIP173's and BIP350's invalid segwit addresses, from address/tests/bip_vectors.rs. */
static const char *BIP_INVALID[] = {
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
    "bc1rw5uspcuh",
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
    "bc1gmk9yu",
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "bc1pw5dgrnzv",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    /* BIP173's v1+ vectors in bech32, superseded by BIP350 (bech32m): no longer valid. */
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
};

static void bip_vectors(void) {
    size_t i;
    for (i = 0; i < sizeof BIP_VALID / sizeof BIP_VALID[0]; i++) {
        const char *standard = BIP_VALID[i][0];
        btcaddr_error err;
        btcaddr_decoded d;
        char back[BTCADDR_MAX_STANDARD_LEN + 1], lower[BTCADDR_MAX_STANDARD_LEN + 1];
        size_t len = hex_decode(BIP_VALID[i][1], script, sizeof script);
        btcaddr_status code = btcaddr_from_standard(standard, strlen(standard), NULL, 0, text,
                                                    sizeof text, &err);
        CHECK(code == BTCADDR_OK, "from_standard %s: %s", standard, btcaddr_error_message(&err));
        if (code != BTCADDR_OK) continue;
        code = btcaddr_decode(text, strlen(text), decoded_script, sizeof decoded_script, &d, &err);
        CHECK(code == BTCADDR_OK && d.script_len == len &&
                  memcmp(decoded_script, script, len) == 0,
              "%s via %s: wrong script", standard, text);
        code = btcaddr_to_standard(text, strlen(text), back, sizeof back, &err);
        strcpy(lower, standard);
        to_lower(lower);
        CHECK(code == BTCADDR_OK && strcmp(back, lower) == 0, "%s via %s came back as %s",
              standard, text, back);
    }
    for (i = 0; i < sizeof BIP_INVALID / sizeof BIP_INVALID[0]; i++) {
        btcaddr_error err;
        btcaddr_status code = btcaddr_from_standard(BIP_INVALID[i], strlen(BIP_INVALID[i]), NULL,
                                                    0, text, sizeof text, &err);
        CHECK(code == BTCADDR_ERR_INVALID_STANDARD || code == BTCADDR_ERR_WRONG_NETWORK,
              "from_standard accepted %s (code %d)", BIP_INVALID[i], code);
        CHECK(strlen(btcaddr_error_message(&err)) > 0, "no message for %s", BIP_INVALID[i]);
    }
    /* tb1 is testnet unless signet is asked for; never mainnet. */
    {
        const char *tb = BIP_VALID[1][0];
        btcaddr_error err;
        CHECK(btcaddr_from_standard(tb, strlen(tb), NULL, 0, text, sizeof text, &err) ==
                      BTCADDR_OK &&
                  strncmp(text, "testnet:", 8) == 0,
              "tb1 without a network gave %s", text);
        CHECK(btcaddr_from_standard(tb, strlen(tb), "signet", 6, text, sizeof text, &err) ==
                      BTCADDR_OK &&
                  strncmp(text, "signet:", 7) == 0,
              "tb1 on signet gave %s", text);
        CHECK(btcaddr_from_standard(tb, strlen(tb), "btc", 3, text, sizeof text, &err) ==
                  BTCADDR_ERR_WRONG_NETWORK,
              "tb1 on btc: code %d", err.code);
        CHECK(btcaddr_from_standard(tb, strlen(tb), "bct", 3, text, sizeof text, &err) ==
                      BTCADDR_ERR_UNKNOWN_NETWORK &&
                  strstr(err.message, "network") != NULL,
              "network bct: code %d, %s", err.code, err.message);
    }
}

/* A P2WPKH address of fixed bytes, built through the library. */
static const char *sample(char *buf, size_t cap) {
    static const uint8_t p2wpkh[22] = {0x00, 0x14, 0x75, 0x1e, 0x76, 0xe8, 0x19, 0x91,
                                       0x96, 0xd4, 0x54, 0x94, 0x1c, 0x45, 0xd1, 0xb3,
                                       0xa3, 0x23, 0xf1, 0x43, 0x3b, 0xd6};
    if (btcaddr_encode("btc", 3, p2wpkh, sizeof p2wpkh, buf, cap, NULL) != BTCADDR_OK) {
        fprintf(stderr, "cannot encode the sample address\n");
        exit(2);
    }
    return buf;
}

static void misuse(void) {
    btcaddr_error err;
    btcaddr_decoded d;
    btcaddr_status code;
    char buf[128], good[128];
    const uint8_t one[1] = {0x51};
    static uint8_t big[BTCADDR_MAX_SCRIPT_LEN + 1];
    size_t glen;

    sample(good, sizeof good);
    glen = strlen(good);

    /* NULL pointers */
    code = btcaddr_decode(NULL, 10, decoded_script, sizeof decoded_script, &d, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER && strstr(err.message, "address") != NULL,
          "decode NULL: %d %s", code, err.message);
    code = btcaddr_decode(NULL, 0, decoded_script, sizeof decoded_script, &d, NULL);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "decode NULL with length 0 and no err: %d", code);
    code = btcaddr_decode(good, glen, decoded_script, sizeof decoded_script, NULL, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "decode NULL out: %d", code);
    code = btcaddr_decode(good, glen, NULL, 40, &d, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "decode NULL script with capacity: %d", code);
    code = btcaddr_encode(NULL, 3, one, 1, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER && strstr(err.message, "network") != NULL,
          "encode NULL network: %d", code);
    code = btcaddr_encode("btc", 3, NULL, 1, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER && strstr(err.message, "script") != NULL,
          "encode NULL script: %d", code);
    code = btcaddr_encode("btc", 3, one, 1, NULL, 50, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "encode NULL out with capacity: %d", code);
    code = btcaddr_to_standard(NULL, 5, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "to_standard NULL: %d", code);
    code = btcaddr_from_standard(NULL, 5, NULL, 0, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "from_standard NULL: %d", code);
    code = btcaddr_from_standard("bc1q", 4, NULL, 3, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "from_standard NULL network with length: %d", code);
    code = btcaddr_nonstandard_warning(NULL, 5, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_NULL_POINTER, "warning NULL: %d", code);
    CHECK(!btcaddr_is_valid(NULL, 0) && !btcaddr_is_valid(NULL, 44), "is_valid NULL");
    {
        btcaddr_suggestions *list = (btcaddr_suggestions *)&err;
        code = btcaddr_suggest(NULL, 3, &list, &err);
        CHECK(code == BTCADDR_ERR_NULL_POINTER && list == NULL, "suggest NULL input: %d", code);
        code = btcaddr_suggest(good, glen, NULL, &err);
        CHECK(code == BTCADDR_ERR_NULL_POINTER, "suggest NULL out: %d", code);
        btcaddr_suggestions_free(NULL);
    }
    CHECK(btcaddr_error_message(NULL) != NULL && strlen(btcaddr_error_message(NULL)) > 0,
          "error_message(NULL)");

    /* zero capacities and size queries */
    code = btcaddr_encode("btc", 3, one, 1, NULL, 0, &err);
    CHECK(code == BTCADDR_ERR_BUFFER_TOO_SMALL && err.needed > 4, "size query: %d %zu", code,
          err.needed);
    buf[0] = 'x';
    code = btcaddr_encode("btc", 3, one, 1, buf, 0, &err);
    CHECK(code == BTCADDR_ERR_BUFFER_TOO_SMALL && buf[0] == 'x',
          "zero capacity wrote to the buffer: %d", code);
    code = btcaddr_to_standard(good, glen, buf, 0, &err);
    CHECK(code == BTCADDR_ERR_BUFFER_TOO_SMALL && err.needed == 43, "to_standard cap 0: %d %zu",
          code, err.needed);
    code = btcaddr_to_standard(good, glen, buf, 42, &err);
    CHECK(code == BTCADDR_ERR_BUFFER_TOO_SMALL && err.needed == 43 && buf[0] == 0,
          "to_standard cap 42: %d %zu", code, err.needed);
    code = btcaddr_decode(good, glen, NULL, 0, &d, &err);
    CHECK(code == BTCADDR_OK && d.script_len == 22 && err.needed == 22,
          "decode without a script buffer: %d %zu", code, d.script_len);
    memset(&d, 0, sizeof d);
    code = btcaddr_decode(good, glen, decoded_script, 21, &d, &err);
    CHECK(code == BTCADDR_ERR_BUFFER_TOO_SMALL && err.needed == 22 && d.script_len == 22 &&
              d.script_type == BTCADDR_SCRIPT_P2WPKH,
          "decode into 21 bytes: %d %zu", code, err.needed);
    code = btcaddr_decode(good, glen, decoded_script, 0, &d, &err);
    CHECK(code == BTCADDR_ERR_BUFFER_TOO_SMALL && err.needed == 22,
          "decode into capacity 0: %d", code);

    /* invalid UTF-8, with its byte offset */
    {
        char bad[64];
        memcpy(bad, good, glen);
        bad[6] = (char)0xff;
        code = btcaddr_decode(bad, glen, decoded_script, sizeof decoded_script, &d, &err);
        CHECK(code == BTCADDR_ERR_INVALID_UTF8 && err.position == 6, "invalid UTF-8: %d %zu",
              code, err.position);
        CHECK(!btcaddr_is_valid(bad, glen), "is_valid accepted invalid UTF-8");
        code = btcaddr_encode("bt\xc3", 3, one, 1, buf, sizeof buf, &err);
        CHECK(code == BTCADDR_ERR_INVALID_UTF8 && err.position == 2,
              "invalid UTF-8 network: %d %zu", code, err.position);
        code = btcaddr_from_standard("bc1\x80", 4, NULL, 0, buf, sizeof buf, &err);
        CHECK(code == BTCADDR_ERR_INVALID_UTF8 && err.position == 3,
              "invalid UTF-8 standard: %d", code);
        {
            btcaddr_suggestions *list = NULL;
            code = btcaddr_suggest(bad, glen, &list, &err);
            CHECK(code == BTCADDR_ERR_INVALID_UTF8 && list == NULL, "suggest invalid UTF-8: %d",
                  code);
        }
    }

    /* an unterminated input: exactly len bytes are read (ASan and valgrind catch any more) */
    {
        char *exact = malloc(glen);
        CHECK(exact != NULL, "malloc");
        if (exact) {
            memcpy(exact, good, glen);
            CHECK(btcaddr_is_valid(exact, glen), "unterminated valid address rejected");
            CHECK(!btcaddr_is_valid(exact, glen - 1), "a prefix of the address accepted");
            code = btcaddr_decode(exact, glen, decoded_script, sizeof decoded_script, &d, &err);
            CHECK(code == BTCADDR_OK, "unterminated decode: %s", err.message);
            free(exact);
        }
    }

    /* an embedded NUL is just an invalid character */
    {
        char withnul[64];
        memcpy(withnul, good, glen);
        withnul[10] = 0;
        code = btcaddr_decode(withnul, glen, decoded_script, sizeof decoded_script, &d, &err);
        CHECK(code == BTCADDR_ERR_INVALID_CHAR && err.position == 10, "embedded NUL: %d %zu",
              code, err.position);
    }

    /* lengths that cannot describe a buffer */
    code = btcaddr_decode(good, SIZE_MAX, decoded_script, sizeof decoded_script, &d, &err);
    CHECK(code == BTCADDR_ERR_INPUT_TOO_LONG, "SIZE_MAX length: %d", code);
    code = btcaddr_encode("btc", 3, one, SIZE_MAX, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_INPUT_TOO_LONG, "SIZE_MAX script length: %d", code);

    /* encoding errors */
    code = btcaddr_encode("btc", 3, one, 0, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_EMPTY_SCRIPT, "empty script: %d", code);
    code = btcaddr_encode("btc", 3, big, sizeof big, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_SCRIPT_TOO_LONG, "10001-byte script: %d", code);
    code = btcaddr_encode("bct", 3, one, 1, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_ERR_UNKNOWN_NETWORK && strstr(err.message, "bct") != NULL,
          "unknown network: %d %s", code, err.message);
    code = btcaddr_encode("mainnet", 7, one, 1, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_OK && strncmp(buf, "btc:", 4) == 0, "alias mainnet: %s", buf);
    code = btcaddr_encode("regtest", 7, big, BTCADDR_MAX_SCRIPT_LEN, text, sizeof text, &err);
    CHECK(code == BTCADDR_OK && err.needed == BTCADDR_MAX_ADDRESS_LEN + 1,
          "longest address: %d %zu", code, err.needed);

    /* the error struct on success, messages and names */
    code = btcaddr_decode(good, glen, decoded_script, sizeof decoded_script, &d, &err);
    CHECK(code == BTCADDR_OK && err.code == BTCADDR_OK && err.position == BTCADDR_NO_POSITION &&
              err.message[0] == 0,
          "error struct after success");
    CHECK(strcmp(btcaddr_error_message(&err), "no error") == 0, "message of success: %s",
          btcaddr_error_message(&err));
    code = btcaddr_decode("btc:ybn0", 8, decoded_script, sizeof decoded_script, &d, &err);
    CHECK(code == BTCADDR_ERR_INVALID_CHAR && err.position == 7 &&
              strstr(btcaddr_error_message(&err), "position 7") != NULL,
          "invalid char message: %s", btcaddr_error_message(&err));
    CHECK(strcmp(btcaddr_status_name(BTCADDR_OK), "ok") == 0 &&
              strcmp(btcaddr_status_name(BTCADDR_ERR_BUFFER_TOO_SMALL), "buffer_too_small") == 0 &&
              strcmp(btcaddr_status_name(-5), "unknown") == 0,
          "status names");
    CHECK(BTCADDR_NO_POSITION == SIZE_MAX, "BTCADDR_NO_POSITION");
    CHECK(strlen(btcaddr_version()) >= 5, "version %s", btcaddr_version());

    /* no standard form */
    code = btcaddr_encode("btc", 3, (const uint8_t *)"\x6a\x04test", 6, buf, sizeof buf, &err);
    CHECK(code == BTCADDR_OK, "encode OP_RETURN: %d", code);
    code = btcaddr_to_standard(buf, strlen(buf), text, sizeof text, &err);
    CHECK(code == BTCADDR_ERR_NO_STANDARD_ADDRESS && strstr(err.message, "op_return") != NULL,
          "OP_RETURN to_standard: %d %s", code, err.message);
    code = btcaddr_from_standard("bc1q", 4, NULL, 0, text, sizeof text, &err);
    CHECK(code == BTCADDR_ERR_INVALID_STANDARD, "from_standard bc1q: %d", code);
}

static void suggestions(void) {
    char good[128], typo[128];
    size_t glen, i, k;
    btcaddr_suggestions *list = NULL;
    btcaddr_error err;
    btcaddr_status code;
    int found;

    sample(good, sizeof good);
    glen = strlen(good);

    /* swap two different neighbours */
    strcpy(typo, good);
    for (k = 4; k + 1 < glen && typo[k] == typo[k + 1]; k++) {
    }
    typo[k] = good[k + 1];
    typo[k + 1] = good[k];
    code = btcaddr_suggest(typo, glen, &list, &err);
    CHECK(code == BTCADDR_OK && list != NULL, "suggest: %d", code);
    if (list) {
        CHECK(list->count > 0 && list->count == err.needed, "suggest count %zu", list->count);
        found = 0;
        for (i = 0; i < list->count; i++) {
            const btcaddr_suggestion *s = &list->items[i];
            CHECK(btcaddr_is_valid(s->address, strlen(s->address)), "suggested invalid %s",
                  s->address);
            if (strcmp(s->address, good) == 0 && strcmp(s->kind, "transposition") == 0 &&
                s->index == k && strstr(s->description, "swapped") != NULL) {
                found = 1;
            }
        }
        CHECK(found, "transposition at %zu not suggested for %s", k, typo);
        btcaddr_suggestions_free(list);
    }

    /* a typed 0 for o (or any letter replaced by 0): the original is among the candidates */
    strcpy(typo, good);
    typo[12] = '0';
    list = NULL;
    code = btcaddr_suggest(typo, glen, &list, NULL);
    CHECK(code == BTCADDR_OK && list != NULL, "suggest 0: %d", code);
    if (list) {
        found = 0;
        for (i = 0; i < list->count; i++) {
            if (strcmp(list->items[i].address, good) == 0 && list->items[i].index == 12) found = 1;
        }
        CHECK(found, "original not suggested for %s", typo);
        btcaddr_suggestions_free(list);
    }

    /* mixed case: lowercase suggested, with no position */
    strcpy(typo, good);
    typo[0] = 'B';
    typo[1] = 'T';
    typo[2] = 'C';
    list = NULL;
    code = btcaddr_suggest(typo, glen, &list, NULL);
    CHECK(code == BTCADDR_OK && list != NULL, "suggest mixed case: %d", code);
    if (list) {
        found = 0;
        for (i = 0; i < list->count; i++) {
            if (strcmp(list->items[i].kind, "lowercase") == 0 &&
                list->items[i].index == BTCADDR_NO_POSITION &&
                strcmp(list->items[i].address, good) == 0)
                found = 1;
        }
        CHECK(found, "lowercase not suggested for %s", typo);
        btcaddr_suggestions_free(list);
    }

    /* a valid address: an empty list, still to be freed */
    list = NULL;
    code = btcaddr_suggest(good, glen, &list, &err);
    CHECK(code == BTCADDR_OK && list != NULL && list->count == 0 && list->items == NULL,
          "suggest valid: %d", code);
    btcaddr_suggestions_free(list);
}

/* Several threads decode at once: the library has no shared state. */
static void *decode_loop(void *arg) {
    const char *address = arg;
    uint8_t buf[64];
    btcaddr_decoded d;
    btcaddr_error err;
    int i;
    for (i = 0; i < 2000; i++) {
        if (btcaddr_decode(address, strlen(address), buf, sizeof buf, &d, &err) != BTCADDR_OK ||
            d.script_len != 22)
            return (void *)1;
    }
    return NULL;
}

static void threads(void) {
    char good[128];
    pthread_t t[4];
    int i, ok = 1;
    sample(good, sizeof good);
    for (i = 0; i < 4; i++) ok &= pthread_create(&t[i], NULL, decode_loop, good) == 0;
    for (i = 0; i < 4; i++) {
        void *r = (void *)1;
        if (pthread_join(t[i], &r) != 0 || r != NULL) ok = 0;
    }
    CHECK(ok, "concurrent decodes failed");
}

/* Random inputs (fixed seed): every call returns a known status, never crashes (ASan, UBSan
 * and valgrind watch), and is_valid agrees with decode. */
static void random_inputs(void) {
    static const char pool[] = "ybndrfg8ejkmcpqxot1uwisza345h769YBNDRFG8:0lv2L \xff\xc3\x80";
    unsigned long seed = 12345;
    int i, bad = 0, suggested = 0;
    for (i = 0; i < 3000; i++) {
        char s[100];
        size_t len, j;
        btcaddr_error err;
        btcaddr_decoded d;
        btcaddr_status code;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        len = (seed >> 33) % sizeof s;
        /* half of them start with a known prefix, to get past the prefix check */
        j = 0;
        if ((seed >> 20) & 1) {
            memcpy(s, "btc:", 4);
            j = len < 4 ? len : 4;
        }
        for (; j < len; j++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            s[j] = pool[(seed >> 33) % (sizeof pool - 1)];
        }
        code = btcaddr_decode(s, len, decoded_script, sizeof decoded_script, &d, &err);
        if (!((code >= BTCADDR_ERR_MISSING_COLON && code <= BTCADDR_ERR_CRC_MISMATCH) ||
              code == BTCADDR_ERR_INVALID_UTF8 || code == BTCADDR_OK) ||
            code != err.code || (code == BTCADDR_OK) != btcaddr_is_valid(s, len) ||
            memchr(err.message, 0, sizeof err.message) == NULL ||
            (code != BTCADDR_OK) != (err.message[0] != 0)) {
            bad++;
            fprintf(stderr, "random input %d: code %d\n", i, code);
        }
        if (i % 60 == 0) {
            btcaddr_suggestions *list = NULL;
            code = btcaddr_suggest(s, len, &list, &err);
            if (code == BTCADDR_OK && list != NULL) {
                suggested++;
                btcaddr_suggestions_free(list);
            } else if (code != BTCADDR_ERR_INVALID_UTF8) {
                bad++;
                fprintf(stderr, "random suggest %d: code %d\n", i, code);
            }
        }
    }
    CHECK(bad == 0, "%d random inputs misbehaved", bad);
    CHECK(suggested > 0, "no random suggest call succeeded");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s vectors.tsv\n", argv[0]);
        return 2;
    }
    run_vectors(argv[1]);
    bip_vectors();
    misuse();
    suggestions();
    threads();
    random_inputs();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
