/*
 * check: verify an address a user typed, the way a wallet's "send to" field should.
 *
 *   cc -std=c99 -Iinclude examples/check.c target/release/libbtcaddr.a -lpthread -ldl -lm -o check
 *   ./check btc:yyk8k8us7yc3dfswk1kbatqtsqt18hkd8xmjbzf8i1a     (or: echo ADDRESS | ./check)
 *
 * Prints the verdict, the warning for a valid address with a non-standard script, and for an
 * invalid one the error with a caret under the blamed character and the suggested corrections.
 * Exits 0 for a valid address, 1 for an invalid one, 2 for a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "btcaddr.h"

int main(int argc, char **argv) {
    char line[BTCADDR_MAX_ADDRESS_LEN + 2];
    const char *input = argc > 1 ? argv[1] : NULL;
    uint8_t script[BTCADDR_MAX_SCRIPT_LEN];
    btcaddr_decoded info;
    btcaddr_error err;
    size_t len;

    if (!input) {
        if (!fgets(line, sizeof line, stdin)) {
            fprintf(stderr, "usage: check ADDRESS (or the address on stdin)\n");
            return 2;
        }
        line[strcspn(line, "\r\n")] = 0;
        input = line;
    }
    len = strlen(input);

    if (btcaddr_decode(input, len, script, sizeof script, &info, &err) == BTCADDR_OK) {
        char text[BTCADDR_WARNING_SIZE]; /* also > BTCADDR_MAX_STANDARD_LEN */
        printf("valid: %s %s, %zu-byte script\n", info.network_name, info.script_type_name,
               info.script_len);
        if (btcaddr_to_standard(input, len, text, sizeof text, NULL) == BTCADDR_OK)
            printf("standard form: %s\n", text);
        if (!info.is_standard &&
            btcaddr_nonstandard_warning(input, len, text, sizeof text, NULL) == BTCADDR_OK)
            printf("warning: %s\n", text);
        return 0;
    }

    printf("invalid: %s\n", btcaddr_error_message(&err));
    if (err.position != BTCADDR_NO_POSITION)
        printf("  %s\n  %*s^\n", input, (int)err.position, "");
    {
        btcaddr_suggestions *list = NULL;
        size_t i;
        if (btcaddr_suggest(input, len, &list, NULL) == BTCADDR_OK && list->count > 0) {
            printf("did you mean (confirm with whoever gave you the address):\n");
            for (i = 0; i < list->count; i++)
                printf("  %s  (%s: %s)\n", list->items[i].address, list->items[i].kind,
                       list->items[i].description);
        }
        btcaddr_suggestions_free(list);
    }
    return 1;
}
