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
        if (attribute->ns == NULL && strcmp((const char *)attribute->name, name) == 0) return attribute;
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
        && (element->ns != NULL || strcmp((const char *)element->name, compound->element) != 0))
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

int marquee_css_select(const marquee_css_program *program, void *context_pointer, marquee_css_result *result) {
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
