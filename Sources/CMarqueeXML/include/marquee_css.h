#ifndef MARQUEE_CSS_H
#define MARQUEE_CSS_H

#include <stddef.h>

/// Native matching of the common CSS selectors over a libxml2 tree.
///
/// `CSSTranslator` turns every selector into XPath; for the ones made only of type, `#id`,
/// `.class` and attribute tests joined by descendant or child combinators (with an optional
/// `::text` or `::attr(name)` at the end) it also builds one of these programs. One walk of the
/// context node's subtree then answers the selector, testing class tokens and attribute values
/// in place, where libxml2's XPath evaluates `contains(concat(' ', normalize-space(@class), ' '), …)`
/// with several string copies per element. The result is the same node set, in document order.

/// What an attribute test checks (see `CSSParser.attributeSelector` for the XPath each stands for).
typedef enum {
    MARQUEE_CSS_EXISTS = 0,   // [a]
    MARQUEE_CSS_EQUALS = 1,   // [a=v], #id
    MARQUEE_CSS_TOKEN = 2,    // [a~=v], .class: v is one of the whitespace-separated tokens
    MARQUEE_CSS_PREFIX = 3,   // [a^=v]
    MARQUEE_CSS_SUFFIX = 4,   // [a$=v]
    MARQUEE_CSS_CONTAINS = 5, // [a*=v]
    MARQUEE_CSS_DASH = 6,     // [a|=v]: v, or v followed by '-'
    MARQUEE_CSS_NEVER = 7     // tests that can never hold ([a^=""], [a~="x y"])
} marquee_css_operator;

typedef struct {
    const char *name;  // attribute name, lower case
    const char *value; // NUL-terminated UTF-8; lower case when `ignore_case`
    int operation;     // a marquee_css_operator
    int ignore_case;   // compare with the attribute value's ASCII letters lower-cased
} marquee_css_test;

/// How a compound relates to the one on its left.
enum { MARQUEE_CSS_FIRST = 0, MARQUEE_CSS_DESCENDANT = 1, MARQUEE_CSS_CHILD = 2 };

typedef struct {
    const char *element; // lower-case element name, NULL for `*`
    const marquee_css_test *tests;
    int test_count;
    int combinator; // MARQUEE_CSS_FIRST for the leftmost compound
} marquee_css_compound;

/// What a complex selector yields for each element it matches.
enum { MARQUEE_CSS_ELEMENTS = 0, MARQUEE_CSS_TEXT = 1, MARQUEE_CSS_ATTRIBUTE = 2 };

typedef struct {
    const marquee_css_compound *compounds; // left to right
    int compound_count;
    int yields;            // MARQUEE_CSS_ELEMENTS, _TEXT or _ATTRIBUTE
    const char *attribute; // for MARQUEE_CSS_ATTRIBUTE
} marquee_css_complex;

/// A selector list: the union of its alternatives.
typedef struct {
    const marquee_css_complex *alternatives;
    int alternative_count;
} marquee_css_program;

/// Nodes found by `marquee_css_select`, in document order; free `nodes` with `free`.
typedef struct {
    void **nodes; // xmlNodePtr (elements and text nodes) or xmlAttrPtr
    int count;
    int capacity;
} marquee_css_result;

/// An index of a document's elements, built in one walk: document order and subtree extents,
/// the elements of each name and of each class token, and the attribute names that occur. With
/// it a selector looks only at the elements its last compound's class (or element name) picks,
/// and a selector naming an element or attribute the page lacks — site specs hold many such
/// fallbacks for other layouts — costs a few lookups. Building it also writes libxml2's
/// document-order marks (as `xmlXPathOrderDocElems` does), which XPath's sorting uses.
typedef struct marquee_css_index marquee_css_index;

/// Indexes `document` (a document node); NULL when out of memory. The index points into the
/// document's nodes: free it before the document.
marquee_css_index *marquee_css_index_build(void *document);

void marquee_css_index_free(marquee_css_index *index);

/// Matches `program` against `context` (an element or document node) and its descendants, as
/// the XPath `descendant-or-self::…` translation would. `index`, when not NULL, must be the index
/// of the context's document. Returns 0, or -1 when out of memory.
int marquee_css_select(const marquee_css_program *program, void *context, const marquee_css_index *index,
                       marquee_css_result *result);

#endif
