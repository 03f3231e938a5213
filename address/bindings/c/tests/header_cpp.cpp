// The header compiles as C++ (g++ -std=c++11 -Wall -Wextra -Werror -pedantic) and links: the
// extern "C" guards keep the names unmangled. Prints "c++ ok" when a round trip works.
#include <cstdio>
#include <cstring>
#include <string>

#include "btcaddr.h"
#include "btcaddr.h"  // the include guard makes a second inclusion harmless

int main() {
    const uint8_t p2a[] = {0x51, 0x02, 0x4e, 0x73};
    char out[BTCADDR_MAX_ADDRESS_LEN + 1];
    btcaddr_error err;
    if (btcaddr_encode("btc", 3, p2a, sizeof p2a, out, sizeof out, &err) != BTCADDR_OK) {
        std::fprintf(stderr, "encode: %s\n", btcaddr_error_message(&err));
        return 1;
    }
    std::string address(out);
    btcaddr_decoded info;
    uint8_t script[BTCADDR_MAX_SCRIPT_LEN];
    btcaddr_status code =
        btcaddr_decode(address.data(), address.size(), script, sizeof script, &info, &err);
    if (code != BTCADDR_OK || info.script_type != BTCADDR_SCRIPT_P2A || info.script_len != 4 ||
        std::memcmp(script, p2a, 4) != 0) {
        std::fprintf(stderr, "decode %s: %s\n", address.c_str(), btcaddr_error_message(&err));
        return 1;
    }
    std::printf("c++ ok: %s is %s\n", address.c_str(), info.script_type_name);
    return 0;
}
