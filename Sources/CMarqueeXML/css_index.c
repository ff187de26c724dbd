// The document index of the native CSS engine; see css_index.h.
#include "css_index.h"

#include <stdlib.h>
#include <string.h>

static inline int is_xml_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }


static size_t hash_bytes(const char *key, size_t length) {
    size_t hash = 1469598103934665603u; // FNV-1a
    for (size_t i = 0; i < length; i++) hash = (hash ^ (unsigned char)key[i]) * 1099511628211u;
    return hash;
}

static int map_init(bucket_map *map, size_t capacity) {
    map->slots = calloc(capacity, sizeof(bucket));
    map->mask = capacity - 1;
    map->used = 0;
    return map->slots == NULL ? -1 : 0;
}

long map_find(const bucket_map *map, const char *key, size_t length) {
    for (size_t i = hash_bytes(key, length) & map->mask;; i = (i + 1) & map->mask) {
        const bucket *slot = &map->slots[i];
        if (slot->key == NULL) return -1;
        if (slot->length == length && memcmp(slot->key, key, length) == 0) return (long)i;
    }
}

// The slot of `key`, added when new; -1 when out of memory. `*moved` is set when the map grew
// (every slot number handed out before is then stale).
static long map_insert(bucket_map *map, const char *key, size_t length, int *moved) {
    if ((map->used + 1) * 2 > map->mask + 1) {
        bucket_map grown;
        if (map_init(&grown, (map->mask + 1) * 2) != 0) return -1;
        for (size_t i = 0; i <= map->mask; i++) {
            if (map->slots[i].key == NULL) continue;
            size_t j = hash_bytes(map->slots[i].key, map->slots[i].length) & grown.mask;
            while (grown.slots[j].key != NULL) j = (j + 1) & grown.mask;
            grown.slots[j] = map->slots[i];
        }
        grown.used = map->used;
        free(map->slots);
        *map = grown;
        *moved = 1;
    }
    size_t i = hash_bytes(key, length) & map->mask;
    for (; map->slots[i].key != NULL; i = (i + 1) & map->mask)
        if (map->slots[i].length == length && memcmp(map->slots[i].key, key, length) == 0) return (long)i;
    map->slots[i].key = key;
    map->slots[i].length = length;
    map->used++;
    return (long)i;
}

static int index_add(position_index *index, const char *key, size_t length, int position) {
    int moved = 0;
    long slot = map_insert(&index->map, key, length, &moved);
    if (slot < 0) return -1;
    if (moved)
        for (int e = 0; e < index->entry_count; e++)
            index->entries[e].slot = map_find(&index->map, index->entries[e].key, index->entries[e].length);
    if (index->entry_count == index->entry_capacity) {
        int capacity = index->entry_capacity == 0 ? 1024 : index->entry_capacity * 2;
        entry *grown = realloc(index->entries, sizeof(entry) * (size_t)capacity);
        if (grown == NULL) return -1;
        index->entries = grown;
        index->entry_capacity = capacity;
    }
    index->entries[index->entry_count++] = (entry){key, length, slot, position};
    index->map.slots[slot].count++;
    return 0;
}

// Lays the entries out bucket by bucket; positions come out ascending because entries were added
// in document order.
static int index_build(position_index *index) {
    int offset = 0;
    for (size_t i = 0; i <= index->map.mask; i++) {
        index->map.slots[i].offset = offset;
        offset += index->map.slots[i].count;
        index->map.slots[i].count = 0;
    }
    index->positions = malloc(sizeof(int) * (size_t)(offset > 0 ? offset : 1));
    if (index->positions == NULL) return -1;
    for (int e = 0; e < index->entry_count; e++) {
        bucket *slot = &index->map.slots[index->entries[e].slot];
        index->positions[slot->offset + slot->count++] = index->entries[e].position;
    }
    free(index->entries);
    index->entries = NULL;
    return 0;
}

// The bucket for `key`, or NULL when no element has it.
const bucket *index_bucket(const position_index *index, const char *key) {
    long slot = map_find(&index->map, key, strlen(key));
    return slot < 0 ? NULL : &index->map.slots[slot];
}

void marquee_css_index_free(marquee_css_index *index) {
    if (index == NULL) return;
    free(index->elements);
    free(index->subtree_end);
    position_index *parts[2] = {&index->tags, &index->classes};
    for (int p = 0; p < 2; p++) {
        free(parts[p]->map.slots);
        free(parts[p]->entries);
        free(parts[p]->positions);
    }
    free(index->attributes.slots);
    free(index);
}

// The value of a simple attribute (one text child) in place; NULL for any other shape.
static const char *simple_value(xmlAttrPtr attribute) {
    xmlNodePtr child = attribute->children;
    if (child == NULL) return "";
    if (child->next == NULL && child->type == XML_TEXT_NODE && child->content != NULL)
        return (const char *)child->content;
    return NULL;
}

static int index_element(marquee_css_index *index, xmlNodePtr node) {
    if (index->element_count == index->element_capacity) {
        int capacity = index->element_capacity * 2;
        xmlNodePtr *elements = realloc(index->elements, sizeof(xmlNodePtr) * (size_t)capacity);
        if (elements == NULL) return -1;
        index->elements = elements;
        int *ends = realloc(index->subtree_end, sizeof(int) * (size_t)capacity);
        if (ends == NULL) return -1;
        index->subtree_end = ends;
        index->element_capacity = capacity;
    }
    int position = index->element_count++;
    index->elements[position] = node;
    index->subtree_end[position] = position;
    // libxml2's own document-order mark (what xmlXPathOrderDocElems writes): XPath sorts with it too.
    node->content = (xmlChar *)(ptrdiff_t)(-(position + 1));
    if (node->ns == NULL && index_add(&index->tags, (const char *)node->name, strlen((const char *)node->name),
                                      position) != 0)
        return -1;
    for (xmlAttrPtr attribute = node->properties; attribute != NULL; attribute = attribute->next) {
        if (attribute->ns != NULL) continue;
        int moved = 0;
        if (map_insert(&index->attributes, (const char *)attribute->name, strlen((const char *)attribute->name),
                       &moved) < 0)
            return -1;
        if (strcmp((const char *)attribute->name, "class") != 0) continue;
        const char *value = simple_value(attribute);
        if (value == NULL) {
            index->classes_incomplete = 1;
            continue;
        }
        for (size_t i = 0; value[i] != 0;) {
            while (value[i] != 0 && is_xml_space((unsigned char)value[i])) i++;
            size_t start = i;
            while (value[i] != 0 && !is_xml_space((unsigned char)value[i])) i++;
            if (i > start && index_add(&index->classes, value + start, i - start, position) != 0) return -1;
        }
    }
    return 0;
}

marquee_css_index *marquee_css_index_build(void *document) {
    marquee_css_index *index = calloc(1, sizeof(marquee_css_index));
    if (index == NULL) return NULL;
    index->element_capacity = 1024;
    index->elements = malloc(sizeof(xmlNodePtr) * 1024);
    index->subtree_end = malloc(sizeof(int) * 1024);
    if (index->elements == NULL || index->subtree_end == NULL || map_init(&index->tags.map, 256) != 0
        || map_init(&index->classes.map, 1024) != 0 || map_init(&index->attributes, 256) != 0)
        goto failed;
    xmlNodePtr root = document, node = root->children;
    while (node != NULL) {
        if (node->type == XML_ELEMENT_NODE) {
            if (index_element(index, node) != 0) goto failed;
            if (node->children != NULL) {
                node = node->children;
                continue;
            }
        }
        while (node != NULL && node->next == NULL) {
            node = node->parent;
            if (node == root) {
                node = NULL;
            } else if (node->type == XML_ELEMENT_NODE) {
                // Leaving an element: its subtree ends with the last element seen.
                index->subtree_end[-(ptrdiff_t)node->content - 1] = index->element_count - 1;
            }
        }
        if (node != NULL) {
            if (node->type == XML_ELEMENT_NODE)
                index->subtree_end[-(ptrdiff_t)node->content - 1] = index->element_count - 1;
            node = node->next;
        }
    }
    if (index_build(&index->tags) != 0 || index_build(&index->classes) != 0) goto failed;
    return index;
failed:
    marquee_css_index_free(index);
    return NULL;
}
