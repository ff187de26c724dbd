#ifndef MARQUEE_RAWTEXT_H
#define MARQUEE_RAWTEXT_H

#include <stddef.h>

/// `<script>` and `<style>` bodies, cut out of a page before libxml2 parses it and put back into
/// the tree after.
///
/// libxml2 2.9's HTML parser reads these bodies a character at a time, and on real pages they
/// are 40 % of the bytes (JSON-LD, `__NEXT_DATA__`, inline CSS). Each long body is replaced by a
/// marker (with the body's newlines, so line numbers stay right); after the parse every marker
/// must be found, in order, as the only text of a `script`/`style` element — libxml2 itself
/// confirming it read that element there — and the body is put in its place. If any marker is
/// missing or out of place the caller parses the original page instead. Bodies libxml2 would
/// alter (carriage returns, control characters, U+FFFE/U+FFFF) are left in the page.
typedef struct {
    char *html;            // the page with the cut bodies replaced (NUL-terminated), or NULL
    size_t html_length;
    const char *source;    // the original page (not owned)
    size_t *starts;        // each cut body's offset in `source`
    size_t *lengths;       // and its length
    int count;
    char marker[40];       // "<prefix>" of every marker; a marker is "<prefix><index>;"
} marquee_rawtext;

/// Cuts the long script/style bodies of UTF-8 `html`. Returns the number cut (0: nothing worth
/// cutting, `cut->html` is NULL), or -1 when out of memory.
int marquee_rawtext_cut(const char *html, size_t length, marquee_rawtext *cut);

/// Puts the bodies back into `document` (an htmlDocPtr parsed from `cut->html`). Returns 0, or -1
/// when the markers are not where they must be (parse the original instead).
int marquee_rawtext_restore(void *document, const marquee_rawtext *cut);

void marquee_rawtext_free(marquee_rawtext *cut);

#endif
