#ifndef NEXLINT_CLIBXML2_SHIM_H
#define NEXLINT_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>

#include <string.h>

/* Whether a short byte string occurs in a short value: memchr for the first byte, then a
   compare. (glibc's memmem sets up more than these attribute values need.) */
static inline int nexlint_contains_bytes(const void *haystack, size_t haystackLength,
                                         const void *needle, size_t needleLength) {
    const unsigned char *cursor = (const unsigned char *)haystack;
    const unsigned char *end = cursor + haystackLength;
    if (needleLength == 0) return 1;
    while ((size_t)(end - cursor) >= needleLength) {
        const unsigned char *found = memchr(cursor, *(const unsigned char *)needle, (size_t)(end - cursor) - needleLength + 1);
        if (found == NULL) return 0;
        if (memcmp(found, needle, needleLength) == 0) return 1;
        cursor = found + 1;
    }
    return 0;
}

/* The offset of the last `byte` in the first `length` bytes, or -1 (memrchr is a GNU
   extension that Swift's Glibc module does not expose). */
extern void *memrchr(const void *bytes, int byte, size_t length);
static inline long nexlint_last_index_of(const void *bytes, size_t length, unsigned char byte) {
    const unsigned char *found = memrchr(bytes, byte, length);
    return found == NULL ? -1 : (long)(found - (const unsigned char *)bytes);
}

/* xmlFree is a mutable global function pointer, which Swift 6 rejects as not concurrency-safe. */
static inline void nexlint_xml_free(void *pointer) { xmlFree(pointer); }

/* Swift cannot define C variadic callbacks, so the silent generic-error sink lives here. */
static void nexlint_ignore_generic_error(void *context, const char *message, ...) {
    (void)context; (void)message;
}

/* No document may make libxml2 open a file or a URL: every external entity resolves to nothing. */
static xmlParserInputPtr nexlint_deny_external_entity(const char *url, const char *id,
                                                      xmlParserCtxtPtr context) {
    (void)url; (void)id; (void)context;
    return NULL;
}

/* Gives a new parser context a dictionary shared with earlier parses on this thread, so that
   interned names keep their addresses from file to file. The context's own names for "xml"
   and its namespaces must come from the same dictionary (libxml2 compares them by address). */
static inline void nexlint_share_dictionary(xmlParserCtxtPtr context, xmlDictPtr dictionary) {
    if (context->dict != NULL) xmlDictFree(context->dict);
    xmlDictReference(dictionary);
    context->dict = dictionary;
    context->str_xml = xmlDictLookup(dictionary, BAD_CAST "xml", 3);
    context->str_xmlns = xmlDictLookup(dictionary, BAD_CAST "xmlns", 5);
    context->str_xml_ns = xmlDictLookup(dictionary, XML_XML_NAMESPACE, 36);
}

/* Once per process, before any thread parses. */
static inline void nexlint_xml_initialize(void) {
    xmlInitParser();
    xmlSetExternalEntityLoader(nexlint_deny_external_entity);
}

/* The generic error handler is per thread in libxml2, so each parsing thread silences its own. */
static inline void nexlint_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, nexlint_ignore_generic_error);
}

#endif
