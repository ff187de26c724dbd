#define _GNU_SOURCE
#include "marquee_rawtext.h"

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/tree.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SHORTEST_CUT 256

static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static inline int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Whether html[at...] starts with `word` (lower case), ignoring ASCII case.
static int starts_with(const char *html, size_t length, size_t at, const char *word) {
    size_t n = strlen(word);
    if (at + n > length) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)html[at + i]) != (unsigned char)word[i]) return 0;
    return 1;
}

static const char *find(const char *html, size_t length, size_t from, const char *needle) {
    if (from >= length) return NULL;
    return memmem(html + from, length - from, needle, strlen(needle));
}

// Whether libxml2 would keep `body` byte for byte as the element's text: no carriage returns, no
// characters XML forbids (it drops those), no U+FFFE/U+FFFF.
static int keeps_verbatim(const unsigned char *body, size_t length) {
    for (size_t i = 0; i < length; i++) {
        unsigned char c = body[i];
        if (c < 0x20 && c != '\t' && c != '\n') return 0;
        if (c == 0xEF && i + 2 < length && body[i + 1] == 0xBF && (body[i + 2] == 0xBE || body[i + 2] == 0xBF))
            return 0;
    }
    return 1;
}

// The position of the `>` ending the tag whose attributes start at `from` (quoted values may hold
// `>`), `length` when the page ends first, SIZE_MAX when a quote is never closed.
static size_t tag_end(const char *html, size_t length, size_t from) {
    size_t i = from;
    while (i < length && html[i] != '>') {
        if (html[i] == '"' || html[i] == '\'') {
            const char *close = memchr(html + i + 1, html[i], length - i - 1);
            if (close == NULL) return SIZE_MAX;
            i = (size_t)(close - html);
        }
        i++;
    }
    return i;
}

typedef struct {
    char *bytes;
    size_t length, capacity;
} buffer;

static int append(buffer *out, const char *bytes, size_t length) {
    if (out->length + length + 1 > out->capacity) {
        size_t capacity = out->capacity * 2;
        while (capacity < out->length + length + 1) capacity *= 2;
        char *grown = realloc(out->bytes, capacity);
        if (grown == NULL) return -1;
        out->bytes = grown;
        out->capacity = capacity;
    }
    memcpy(out->bytes + out->length, bytes, length);
    out->length += length;
    out->bytes[out->length] = 0;
    return 0;
}

void marquee_rawtext_free(marquee_rawtext *cut) {
    free(cut->html);
    free(cut->starts);
    free(cut->lengths);
    cut->html = NULL;
    cut->starts = cut->lengths = NULL;
    cut->count = 0;
}

int marquee_rawtext_cut(const char *html, size_t length, marquee_rawtext *cut) {
    memset(cut, 0, sizeof(*cut));
    cut->source = html;
    // A prefix no page holds by chance (and a marker counts only as the whole text of the right
    // script/style element, in order).
    static _Atomic unsigned long calls = 0;
    unsigned long nonce = (unsigned long)time(NULL) * 2654435761u ^ (unsigned long)getpid() << 20 ^ calls++;
    snprintf(cut->marker, sizeof cut->marker, "marquee-cut-%016lx:", nonce);
    buffer out = {0};
    size_t capacity = 0, copied = 0, at = 0;
    for (;;) {
        const char *open = at < length ? memchr(html + at, '<', length - at) : NULL;
        if (open == NULL) break;
        at = (size_t)(open - html);
        if (starts_with(html, length, at, "<!--")) {
            const char *end = find(html, length, at + 4, "-->");
            if (end == NULL) break; // the rest is one comment
            at = (size_t)(end - html) + 3;
            continue;
        }
        const char *name = NULL;
        if (starts_with(html, length, at + 1, "script")) name = "script";
        else if (starts_with(html, length, at + 1, "style")) name = "style";
        size_t after = at + 1 + (name ? strlen(name) : 0);
        if (name == NULL || after >= length || !(is_space((unsigned char)html[after]) || html[after] == '>' || html[after] == '/')) {
            // Some other tag (or text): step over it, quoted attribute values included.
            if (at + 1 < length && ((html[at + 1] | 0x20) >= 'a' && (html[at + 1] | 0x20) <= 'z')) {
                at = tag_end(html, length, at + 1);
                if (at == SIZE_MAX) break;
            } else {
                at++;
            }
            continue;
        }
        // A script or style start tag.
        size_t i = tag_end(html, length, after);
        if (i == SIZE_MAX || i >= length) break;
        // `<script … />`: empty to libxml2 unless the slash ends an unquoted value (`src=a.js/>`);
        // rather than guess, cut nothing from here on.
        if (html[i - 1] == '/') break;
        size_t body = i + 1, end = body;
        // libxml2 (in recovery mode) ends the body at the first "</" + the element's name.
        for (;;) {
            const char *close = find(html, length, end, "</");
            if (close == NULL) goto done;
            end = (size_t)(close - html);
            if (starts_with(html, length, end + 2, name)) break;
            end += 2;
        }
        at = end;
        size_t body_length = end - body;
        if (body_length < SHORTEST_CUT || !keeps_verbatim((const unsigned char *)html + body, body_length)) continue;
        if (out.bytes == NULL) {
            out.capacity = length / 2 + 1024;
            out.bytes = malloc(out.capacity);
            if (out.bytes == NULL) goto failed;
        }
        if ((size_t)cut->count == capacity) {
            capacity = capacity == 0 ? 16 : capacity * 2;
            size_t *starts = realloc(cut->starts, capacity * sizeof(size_t));
            if (starts == NULL) goto failed;
            cut->starts = starts;
            size_t *lengths = realloc(cut->lengths, capacity * sizeof(size_t));
            if (lengths == NULL) goto failed;
            cut->lengths = lengths;
        }
        char marker[64];
        int marker_length = snprintf(marker, sizeof marker, "%s%d;", cut->marker, cut->count);
        if (append(&out, html + copied, body - copied) != 0 || append(&out, marker, (size_t)marker_length) != 0)
            goto failed;
        // The body's newlines follow the marker, so libxml2 counts the same lines.
        size_t newlines = 0;
        for (const char *k = html + body; (k = memchr(k, '\n', (size_t)(html + end - k))) != NULL; k++) newlines++;
        if (newlines > 0) {
            while (out.length + newlines + 1 > out.capacity) {
                char *grown = realloc(out.bytes, out.capacity * 2);
                if (grown == NULL) goto failed;
                out.bytes = grown;
                out.capacity *= 2;
            }
            memset(out.bytes + out.length, '\n', newlines);
            out.length += newlines;
            out.bytes[out.length] = 0;
        }
        cut->starts[cut->count] = body;
        cut->lengths[cut->count] = body_length;
        cut->count++;
        copied = end;
    }
done:
    if (cut->count == 0) {
        free(out.bytes);
        return 0;
    }
    if (append(&out, html + copied, length - copied) != 0) goto failed;
    cut->html = out.bytes;
    cut->html_length = out.length;
    return cut->count;
failed:
    free(out.bytes);
    marquee_rawtext_free(cut);
    return -1;
}

// Whether `text` is marker `index` followed by nothing but the body's newlines.
static int is_marker(const marquee_rawtext *cut, int index, const char *text) {
    char marker[64];
    int marker_length = snprintf(marker, sizeof marker, "%s%d;", cut->marker, index);
    if (strncmp(text, marker, (size_t)marker_length) != 0) return 0;
    const char *rest = text + marker_length;
    while (*rest == '\n') rest++;
    return *rest == 0;
}

int marquee_rawtext_restore(void *document, const marquee_rawtext *cut) {
    xmlNodePtr root = document, node = root->children;
    int next = 0;
    while (node != NULL && next < cut->count) {
        if (node->type == XML_ELEMENT_NODE) {
            xmlNodePtr child = node->children;
            if (next < cut->count && child != NULL && child->next == NULL && node->ns == NULL
                && (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) && child->content != NULL
                && (strcmp((const char *)node->name, "script") == 0 || strcmp((const char *)node->name, "style") == 0)
                && strncmp((const char *)child->content, cut->marker, strlen(cut->marker)) == 0) {
                if (!is_marker(cut, next, (const char *)child->content)) return -1;
                xmlNodeSetContentLen(child, (const xmlChar *)cut->source + cut->starts[next], (int)cut->lengths[next]);
                next++;
            }
            if (child != NULL) {
                node = child;
                continue;
            }
        }
        // A marker libxml2 put anywhere else leaves its body unrestored: `next` falls short.
        while (node != NULL && node->next == NULL) {
            node = node->parent;
            if (node == root) node = NULL;
        }
        if (node != NULL) node = node->next;
    }
    return next == cut->count ? 0 : -1;
}
