#include "marquee_css.h"
#include "css_index.h"

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

// Whether every element and attribute `complex` names occurs in the document.
static int possible(const marquee_css_complex *complex, const marquee_css_index *index) {
    for (int i = 0; i < complex->compound_count; i++) {
        const marquee_css_compound *compound = &complex->compounds[i];
        if (compound->element != NULL && index_bucket(&index->tags, compound->element) == NULL) return 0;
        for (int t = 0; t < compound->test_count; t++)
            if (map_find(&index->attributes, compound->tests[t].name, strlen(compound->tests[t].name)) < 0) return 0;
    }
    if (complex->yields == MARQUEE_CSS_ATTRIBUTE
        && map_find(&index->attributes, complex->attribute, strlen(complex->attribute)) < 0)
        return 0;
    return 1;
}

// The positions that can match `complex`: the elements with the class its last compound asks
// for, else with its element name; NULL (with *count -1) when any element can.
static const int *candidates(const marquee_css_complex *complex, const marquee_css_index *index, int *count) {
    const marquee_css_compound *last = &complex->compounds[complex->compound_count - 1];
    for (int t = 0; t < last->test_count; t++) {
        const marquee_css_test *test = &last->tests[t];
        if (test->operation == MARQUEE_CSS_TOKEN && !test->ignore_case && !index->classes_incomplete
            && strcmp(test->name, "class") == 0) {
            const bucket *found = index_bucket(&index->classes, test->value);
            *count = found == NULL ? 0 : found->count;
            return found == NULL ? NULL : index->classes.positions + found->offset;
        }
    }
    if (last->element != NULL) {
        const bucket *found = index_bucket(&index->tags, last->element);
        *count = found == NULL ? 0 : found->count;
        return found == NULL ? NULL : index->tags.positions + found->offset;
    }
    *count = -1;
    return NULL;
}

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

// The first index in ascending `positions` whose value is at least `low`.
static int lower_bound(const int *positions, int count, int low) {
    int begin = 0, end = count;
    while (begin < end) {
        int middle = (begin + end) / 2;
        if (positions[middle] < low) begin = middle + 1;
        else end = middle;
    }
    return begin;
}

static int walk(const marquee_css_program *program, xmlNodePtr context, marquee_css_result *result);

// Answers `program` from the index; 1 when it could not (the caller walks instead), 0 or -1.
static int select_indexed(const marquee_css_program *program, xmlNodePtr context, const marquee_css_index *index,
                          marquee_css_result *result) {
    int low = 0, high = index->element_count - 1;
    if (context->type == XML_ELEMENT_NODE) {
        ptrdiff_t mark = -(ptrdiff_t)context->content - 1;
        if (mark < 0 || mark >= index->element_count || index->elements[mark] != context) return 1;
        low = (int)mark;
        high = index->subtree_end[mark];
    }
    int kinds_present = 0;
    for (int i = 0; i < program->alternative_count; i++)
        kinds_present |= 1 << program->alternatives[i].yields;
    int text_only = kinds_present == (1 << MARQUEE_CSS_TEXT);
    if ((kinds_present & (1 << MARQUEE_CSS_TEXT)) && !text_only) return 1;
    // Candidate positions: the union of each alternative's, within the context's subtree.
    int total = 0, everything = 0;
    for (int i = 0; i < program->alternative_count && !everything; i++) {
        int count;
        candidates(&program->alternatives[i], index, &count);
        if (count < 0) everything = 1;
        else total += count;
    }
    if (everything || total > high - low + 1) total = high - low + 1, everything = 1;
    int *positions = NULL, count = 0;
    if (!everything) {
        positions = malloc(sizeof(int) * (size_t)(total > 0 ? total : 1));
        if (positions == NULL) return -1;
        for (int i = 0; i < program->alternative_count; i++) {
            int bucket_count;
            const int *bucket_positions = candidates(&program->alternatives[i], index, &bucket_count);
            for (int k = lower_bound(bucket_positions, bucket_count, low);
                 k < bucket_count && bucket_positions[k] <= high; k++)
                positions[count++] = bucket_positions[k];
        }
        if (program->alternative_count > 1) {
            qsort(positions, (size_t)count, sizeof(int), compare_ints);
            int unique = 0;
            for (int k = 0; k < count; k++)
                if (unique == 0 || positions[unique - 1] != positions[k]) positions[unique++] = positions[k];
            count = unique;
        }
    } else {
        count = high - low + 1;
    }
    int text_until = -1; // subtree end of the last element whose text was given
    int status = 0;
    for (int k = 0; k < count; k++) {
        int position = everything ? low + k : positions[k];
        xmlNodePtr element = index->elements[position];
        int kinds = classify(program, element, context);
        if ((kinds & 1) && push(result, element) != 0) goto failed;
        if ((kinds & 4) && push_attributes(program, element, context, result) != 0) goto failed;
        if (kinds & 2) {
            // Text of nested matches interleaves in document order: leave that to the walk.
            if (position <= text_until) {
                status = 1;
                break;
            }
            text_until = index->subtree_end[position];
            for (xmlNodePtr child = element->children; child != NULL; child = child->next)
                if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
                    && push(result, child) != 0)
                    goto failed;
        }
    }
    free(positions);
    if (status == 1) result->count = 0;
    return status;
failed:
    free(positions);
    return -1;
}

// MARK: matching

int marquee_css_select(const marquee_css_program *full_program, void *context_pointer,
                       const marquee_css_index *index, marquee_css_result *result) {
    // Alternatives that cannot match on this page are left out; with none left there is no walk.
    marquee_css_complex kept[16];
    marquee_css_program narrowed = *full_program;
    if (index != NULL && full_program->alternative_count <= 16) {
        int count = 0;
        for (int i = 0; i < full_program->alternative_count; i++)
            if (possible(&full_program->alternatives[i], index)) kept[count++] = full_program->alternatives[i];
        if (count == 0) return 0;
        narrowed.alternatives = kept;
        narrowed.alternative_count = count;
        int status = select_indexed(&narrowed, context_pointer, index, result);
        if (status != 1) return status;
    }
    return walk(&narrowed, context_pointer, result);
}

// One walk of the context's subtree, testing every element.
static int walk(const marquee_css_program *program, xmlNodePtr context, marquee_css_result *result) {
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
