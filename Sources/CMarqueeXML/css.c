#include "marquee_css.h"

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/tree.h>

#include <stdlib.h>
#include <string.h>

static int push(marquee_css_result *result, void *node) {
    if (result->count == result->capacity) {
        int capacity = result->capacity == 0 ? 16 : result->capacity * 2;
        void **grown = realloc(result->nodes, sizeof(void *) * (size_t)capacity);
        if (grown == NULL) return -1;
        result->nodes = grown;
        result->capacity = capacity;
    }
    result->nodes[result->count++] = node;
    return 0;
}

static inline int is_xml_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

// Whether bytes [a, a+n) equal [b, b+n), lower-casing the ASCII letters of `a` when asked.
static int same(const unsigned char *a, const unsigned char *b, size_t n, int ignore_case) {
    if (!ignore_case) return memcmp(a, b, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != b[i]) return 0;
    return 1;
}

static int test_value(const unsigned char *subject, const marquee_css_test *test) {
    const unsigned char *value = (const unsigned char *)test->value;
    size_t n = strlen((const char *)subject), m = strlen(test->value);
    switch (test->operation) {
    case MARQUEE_CSS_EXISTS: return 1;
    case MARQUEE_CSS_EQUALS: return n == m && same(subject, value, n, test->ignore_case);
    case MARQUEE_CSS_PREFIX: return n >= m && same(subject, value, m, test->ignore_case);
    case MARQUEE_CSS_SUFFIX: return n >= m && same(subject + n - m, value, m, test->ignore_case);
    case MARQUEE_CSS_DASH:
        return (n == m && same(subject, value, n, test->ignore_case))
            || (n > m && subject[m] == '-' && same(subject, value, m, test->ignore_case));
    case MARQUEE_CSS_CONTAINS:
        if (m > n) return 0;
        for (size_t i = 0; i + m <= n; i++)
            if (same(subject + i, value, m, test->ignore_case)) return 1;
        return 0;
    case MARQUEE_CSS_TOKEN:
        for (size_t i = 0; i < n;) {
            while (i < n && is_xml_space(subject[i])) i++;
            size_t start = i;
            while (i < n && !is_xml_space(subject[i])) i++;
            if (i - start == m && m > 0 && same(subject + start, value, m, test->ignore_case)) return 1;
        }
        return 0;
    default: return 0;
    }
}

static xmlAttrPtr find_attribute(xmlNodePtr element, const char *name) {
    for (xmlAttrPtr attribute = element->properties; attribute != NULL; attribute = attribute->next)
        if (attribute->ns == NULL && attribute->name[0] == (xmlChar)name[0]
            && strcmp((const char *)attribute->name, name) == 0)
            return attribute;
    return NULL;
}

static int test_attribute(xmlNodePtr element, const marquee_css_test *test) {
    if (test->operation == MARQUEE_CSS_NEVER) return 0;
    xmlAttrPtr attribute = find_attribute(element, test->name);
    if (attribute == NULL) return 0;
    if (test->operation == MARQUEE_CSS_EXISTS) return 1;
    xmlNodePtr child = attribute->children;
    if (child == NULL) return test_value((const unsigned char *)"", test);
    if (child->next == NULL && child->type == XML_TEXT_NODE && child->content != NULL)
        return test_value(child->content, test); // the usual case: read in place
    xmlChar *joined = xmlNodeListGetString(element->doc, child, 1);
    int matched = test_value(joined != NULL ? joined : (const xmlChar *)"", test);
    if (joined != NULL) xmlFree(joined);
    return matched;
}

static int match_compound(xmlNodePtr element, const marquee_css_compound *compound) {
    if (compound->element != NULL
        && (element->ns != NULL || element->name[0] != (xmlChar)compound->element[0]
            || strcmp((const char *)element->name, compound->element) != 0))
        return 0;
    for (int i = 0; i < compound->test_count; i++)
        if (!test_attribute(element, &compound->tests[i])) return 0;
    return 1;
}

// Whether `element` matches compounds [0, last] of `complex`, every one of them at or below `context`.
static int match_chain(xmlNodePtr element, const marquee_css_complex *complex, int last, xmlNodePtr context) {
    const marquee_css_compound *compound = &complex->compounds[last];
    if (!match_compound(element, compound)) return 0;
    if (last == 0) return 1;
    if (element == context) return 0;
    xmlNodePtr parent = element->parent;
    if (compound->combinator == MARQUEE_CSS_CHILD)
        return parent != NULL && parent->type == XML_ELEMENT_NODE && match_chain(parent, complex, last - 1, context);
    for (; parent != NULL && parent->type == XML_ELEMENT_NODE; parent = parent->parent) {
        if (match_chain(parent, complex, last - 1, context)) return 1;
        if (parent == context) break;
    }
    return 0;
}

// Which kinds of result `element` gives: bit 1 element, bit 2 its text, bit 4 attributes.
static int classify(const marquee_css_program *program, xmlNodePtr element, xmlNodePtr context) {
    int kinds = 0;
    for (int i = 0; i < program->alternative_count; i++) {
        const marquee_css_complex *complex = &program->alternatives[i];
        int bit = complex->yields == MARQUEE_CSS_ELEMENTS ? 1 : complex->yields == MARQUEE_CSS_TEXT ? 2 : 4;
        if (kinds & bit) continue;
        if (match_chain(element, complex, complex->compound_count - 1, context)) kinds |= bit;
    }
    return kinds;
}

// Pushes the attributes of `element` that a matching ::attr() alternative asks for, in the
// element's attribute order (document order).
static int push_attributes(const marquee_css_program *program, xmlNodePtr element, xmlNodePtr context,
                           marquee_css_result *result) {
    for (xmlAttrPtr attribute = element->properties; attribute != NULL; attribute = attribute->next) {
        if (attribute->ns != NULL) continue;
        for (int i = 0; i < program->alternative_count; i++) {
            const marquee_css_complex *complex = &program->alternatives[i];
            if (complex->yields != MARQUEE_CSS_ATTRIBUTE
                || strcmp(complex->attribute, (const char *)attribute->name) != 0)
                continue;
            if (match_chain(element, complex, complex->compound_count - 1, context)) {
                if (push(result, attribute) != 0) return -1;
                break;
            }
        }
    }
    return 0;
}

// MARK: names present in a document

typedef struct {
    const char **slots; // open addressing; NULL = empty
    size_t mask;        // capacity - 1 (a power of two)
    size_t count;
} name_set;

struct marquee_css_names {
    name_set elements;
    name_set attributes;
};

static size_t hash_name(const char *name) {
    size_t hash = 1469598103934665603u; // FNV-1a
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) hash = (hash ^ *p) * 1099511628211u;
    return hash;
}

static int set_contains(const name_set *set, const char *name) {
    for (size_t i = hash_name(name) & set->mask;; i = (i + 1) & set->mask) {
        if (set->slots[i] == NULL) return 0;
        if (strcmp(set->slots[i], name) == 0) return 1;
    }
}

static int set_insert(name_set *set, const char *name) {
    if ((set->count + 1) * 2 > set->mask + 1) {
        size_t capacity = (set->mask + 1) * 2;
        const char **slots = calloc(capacity, sizeof(char *));
        if (slots == NULL) return -1;
        for (size_t i = 0; i <= set->mask; i++) {
            if (set->slots[i] == NULL) continue;
            size_t j = hash_name(set->slots[i]) & (capacity - 1);
            while (slots[j] != NULL) j = (j + 1) & (capacity - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->mask = capacity - 1;
    }
    size_t i = hash_name(name) & set->mask;
    for (; set->slots[i] != NULL; i = (i + 1) & set->mask)
        if (strcmp(set->slots[i], name) == 0) return 0;
    set->slots[i] = name;
    set->count++;
    return 0;
}

void marquee_css_names_free(marquee_css_names *names) {
    if (names == NULL) return;
    free(names->elements.slots);
    free(names->attributes.slots);
    free(names);
}

marquee_css_names *marquee_css_names_collect(void *document) {
    marquee_css_names *names = calloc(1, sizeof(marquee_css_names));
    if (names == NULL) return NULL;
    names->elements.slots = calloc(64, sizeof(char *));
    names->attributes.slots = calloc(64, sizeof(char *));
    names->elements.mask = names->attributes.mask = 63;
    if (names->elements.slots == NULL || names->attributes.slots == NULL) goto failed;
    xmlNodePtr root = document, node = root->children;
    while (node != NULL) {
        if (node->type == XML_ELEMENT_NODE) {
            if (node->ns == NULL && set_insert(&names->elements, (const char *)node->name) != 0) goto failed;
            for (xmlAttrPtr attribute = node->properties; attribute != NULL; attribute = attribute->next)
                if (attribute->ns == NULL && set_insert(&names->attributes, (const char *)attribute->name) != 0)
                    goto failed;
            if (node->children != NULL) {
                node = node->children;
                continue;
            }
        }
        while (node != NULL && node->next == NULL) {
            node = node->parent;
            if (node == root) node = NULL;
        }
        if (node != NULL) node = node->next;
    }
    return names;
failed:
    marquee_css_names_free(names);
    return NULL;
}

// Whether every element and attribute `complex` names occurs in the document.
static int possible(const marquee_css_complex *complex, const marquee_css_names *names) {
    for (int i = 0; i < complex->compound_count; i++) {
        const marquee_css_compound *compound = &complex->compounds[i];
        if (compound->element != NULL && !set_contains(&names->elements, compound->element)) return 0;
        for (int t = 0; t < compound->test_count; t++)
            if (!set_contains(&names->attributes, compound->tests[t].name)) return 0;
    }
    if (complex->yields == MARQUEE_CSS_ATTRIBUTE && !set_contains(&names->attributes, complex->attribute)) return 0;
    return 1;
}

// MARK: matching

int marquee_css_select(const marquee_css_program *full_program, void *context_pointer,
                       const marquee_css_names *names, marquee_css_result *result) {
    // Alternatives that cannot match on this page are left out; with none left there is no walk.
    marquee_css_complex kept[16];
    marquee_css_program narrowed = *full_program;
    if (names != NULL && full_program->alternative_count <= 16) {
        int count = 0;
        for (int i = 0; i < full_program->alternative_count; i++)
            if (possible(&full_program->alternatives[i], names)) kept[count++] = full_program->alternatives[i];
        if (count == 0) return 0;
        narrowed.alternatives = kept;
        narrowed.alternative_count = count;
    }
    const marquee_css_program *program = &narrowed;
    xmlNodePtr context = context_pointer;
    // Whether each open element (by depth below the context) gives its text children.
    int depth_capacity = 64, depth = 0;
    unsigned char *gives_text = malloc((size_t)depth_capacity);
    if (gives_text == NULL) return -1;
    gives_text[0] = 0;
    int status = 0;
    xmlNodePtr node = context;
    if (context->type != XML_ELEMENT_NODE) {
        node = context->children;
        depth = 1;
        if (node == NULL) goto done;
    }
    while (node != NULL) {
        int descend = 0;
        if (node->type == XML_ELEMENT_NODE) {
            int kinds = classify(program, node, context);
            if ((kinds & 1) && push(result, node) != 0) goto failed;
            if ((kinds & 4) && push_attributes(program, node, context, result) != 0) goto failed;
            if (node->children != NULL) {
                if (depth + 1 >= depth_capacity) {
                    depth_capacity *= 2;
                    unsigned char *grown = realloc(gives_text, (size_t)depth_capacity);
                    if (grown == NULL) goto failed;
                    gives_text = grown;
                }
                gives_text[depth] = (kinds & 2) != 0;
                descend = 1;
            }
        } else if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && depth > 0
                   && gives_text[depth - 1]) {
            if (push(result, node) != 0) goto failed;
        }
        if (descend) {
            node = node->children;
            depth++;
            continue;
        }
        // Next in document order, without leaving the context's subtree.
        while (node != context && node->next == NULL) {
            node = node->parent;
            depth--;
            if (node == NULL || node == context || depth <= 0) {
                node = NULL;
                break;
            }
        }
        if (node == NULL || node == context) break;
        node = node->next;
    }
done:
    free(gives_text);
    return status;
failed:
    free(gives_text);
    return -1;
}
