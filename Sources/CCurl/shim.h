#ifndef MARQUEE_CCURL_SHIM_H
#define MARQUEE_CCURL_SHIM_H

#include <curl/curl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call; these typed
// wrappers pass each kind of argument the way libcurl expects it.

static inline CURLcode marquee_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode marquee_curl_set_off_t(CURL *curl, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode marquee_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode marquee_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode marquee_curl_set_slist(CURL *curl, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(curl, option, value);
}

typedef size_t (*marquee_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode marquee_curl_set_callback(CURL *curl, CURLoption option, marquee_curl_data_callback value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode marquee_curl_get_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}

static inline CURLcode marquee_curl_get_double(CURL *curl, CURLINFO info, double *value) {
    return curl_easy_getinfo(curl, info, value);
}

static inline CURLcode marquee_curl_get_string(CURL *curl, CURLINFO info, char **value) {
    return curl_easy_getinfo(curl, info, value);
}

// The private-address guard: libcurl calls the open-socket callback with the address it is
// about to connect to — after DNS, for every hop and every address it tries — so the check is
// on what is actually connected to, whatever spelling the URL used (127.1, 2130706433,
// [::ffff:127.0.0.1], a name resolving to 10.0.0.1).

typedef struct {
    int allow_private;
    int blocked;
    char blocked_address[INET6_ADDRSTRLEN];
} marquee_socket_guard;

static inline int marquee_ipv4_is_private(const unsigned char *a) {
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 100 && (a[1] & 0xC0) == 64)
        || (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xF0) == 16)
        || (a[0] == 192 && a[1] == 168) || (a[0] == 192 && a[1] == 0 && a[2] == 0)
        || (a[0] == 198 && (a[1] & 0xFE) == 18) || a[0] >= 224;
}

/// Loopback, unspecified, private (RFC 1918, ULA), shared (CGNAT), link-local, benchmark,
/// multicast and reserved addresses; IPv4-mapped and NAT64 IPv6 addresses by their IPv4 part.
static inline int marquee_address_is_private(const struct sockaddr *address) {
    if (address->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)address;
        return marquee_ipv4_is_private((const unsigned char *)&v4->sin_addr.s_addr);
    }
    if (address->sa_family == AF_INET6) {
        const unsigned char *a = ((const struct sockaddr_in6 *)address)->sin6_addr.s6_addr;
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
        static const unsigned char nat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
        static const unsigned char zero[15] = {0};
        if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0) return marquee_ipv4_is_private(a + 12);
        if (memcmp(a, zero, 15) == 0) return 1;                 // :: and ::1
        return (a[0] & 0xFE) == 0xFC                            // fc00::/7 unique local
            || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80)          // fe80::/10 link-local
            || a[0] == 0xFF;                                    // multicast
    }
    return 1;  // anything else (Unix sockets) is not the public web
}

static curl_socket_t marquee_open_socket(void *context, curlsocktype purpose, struct curl_sockaddr *address) {
    marquee_socket_guard *guard = (marquee_socket_guard *)context;
    if (purpose == CURLSOCKTYPE_IPCXN && !guard->allow_private && marquee_address_is_private(&address->addr)) {
        guard->blocked = 1;
        const void *raw = address->family == AF_INET6
            ? (const void *)&((const struct sockaddr_in6 *)&address->addr)->sin6_addr
            : (const void *)&((const struct sockaddr_in *)&address->addr)->sin_addr;
        inet_ntop(address->family, raw, guard->blocked_address, sizeof guard->blocked_address);
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

/// Routes the handle's connections through the guard (`guard` must outlive the transfer).
static inline void marquee_curl_guard_sockets(CURL *curl, marquee_socket_guard *guard) {
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, marquee_open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, (void *)guard);
}

/// Whether a numeric address (any spelling inet_aton or inet_pton accepts) is private; 0 for a
/// name, which only the connection can tell.
static inline int marquee_literal_is_private(const char *host) {
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    if (inet_aton(host, &v4.sin_addr)) {
        v4.sin_family = AF_INET;
        return marquee_address_is_private((const struct sockaddr *)&v4);
    }
    if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        return marquee_address_is_private((const struct sockaddr *)&v6);
    }
    return 0;
}

#endif
