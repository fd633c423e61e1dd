#ifndef NEXLINT_CLIBXML2_SHIM_H
#define NEXLINT_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>

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
