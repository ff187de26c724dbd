// The document index of the native CSS engine (css.c): element positions in document order
// with their subtree ends, and positions by tag name, by class token and attribute names, so a
// selector is answered from the few elements that can match instead of a walk of the document.
// Internal to CMarqueeXML.
#ifndef MARQUEE_CSS_INDEX_H
#define MARQUEE_CSS_INDEX_H

#include "marquee_css.h"

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/tree.h>

#include <stddef.h>

// Keys are byte ranges inside the document (element names, attribute names, class tokens).
typedef struct {
    const char *key;
    size_t length;
    int count;  // positions in the bucket
    int offset; // its first position in `positions`
} bucket;

typedef struct {
    bucket *slots; // open addressing; key == NULL means empty
    size_t mask;   // capacity - 1 (a power of two)
    size_t used;
} bucket_map;

typedef struct {
    const char *key;
    size_t length;
    long slot;
    int position;
} entry;

typedef struct {
    bucket_map map;
    entry *entries;
    int entry_count, entry_capacity;
    int *positions; // every bucket's positions, ascending, one bucket after another
} position_index;

struct marquee_css_index {
    xmlNodePtr *elements; // document order
    int *subtree_end;     // position of the last element inside each element (its own when none)
    int element_count, element_capacity;
    position_index tags, classes;
    bucket_map attributes; // names only
    int classes_incomplete; // some class attribute was not plain text, so not indexed
};

/// The slot of `key` (`length` bytes) in `map`, or -1.
long map_find(const bucket_map *map, const char *key, size_t length);

/// The bucket of a NUL-terminated `key` in `index`, or NULL.
const bucket *index_bucket(const position_index *index, const char *key);

#endif
