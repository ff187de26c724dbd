#ifndef MARQUEE_CLIBXML2_SHIM_H
#define MARQUEE_CLIBXML2_SHIM_H

// libxml2's headers pull in ICU when it was built with ICU support; ICU's
// headers clash with Foundation's, so switch that off before anything else.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/// `xmlFree` is a global function pointer in libxml2; Swift cannot call it
/// directly, so this wrapper does.
static inline void marquee_xmlFree(void *ptr) { xmlFree(ptr); }

/// A generic-error handler that drops the message.
static void marquee_xml_generic_noop(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/// Stops libxml2 from printing errors to stderr on the calling thread (its error handlers are
/// per thread). Marquee recovers from parse problems and reports query errors itself.
static inline void marquee_xml_silence_thread(void) {
    xmlSetGenericErrorFunc(NULL, marquee_xml_generic_noop);
}

/// A structured-error handler that drops the error. Installed on XPath
/// contexts so libxml2 keeps the error in `context->lastError` for Marquee to
/// report instead of printing it to stderr.
static inline void marquee_xml_ignore_error(void *user, xmlErrorPtr error) {
    (void)user;
    (void)error;
}

/// Installs `marquee_xml_ignore_error` on an XPath context.
static inline void marquee_xpath_silence(xmlXPathContextPtr ctx) {
    ctx->error = marquee_xml_ignore_error;
    ctx->userData = NULL;
}

/// The node-set length of an XPath result, 0 when it holds no node set.
static inline int marquee_xpath_nodeset_count(xmlXPathObjectPtr obj) {
    if (obj == NULL || obj->nodesetval == NULL) return 0;
    return obj->nodesetval->nodeNr;
}

/// The i-th node of an XPath node-set result.
static inline xmlNodePtr marquee_xpath_nodeset_item(xmlXPathObjectPtr obj, int i) {
    return obj->nodesetval->nodeTab[i];
}

#endif
