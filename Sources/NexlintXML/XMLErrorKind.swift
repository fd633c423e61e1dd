import CLibXML2

/// What a libxml2 error code means, in words of nexlint's own. libxml2's message texts quote
/// the input (entity names, attribute names, comment text, element names, encoding names —
/// often parts of a password), so NXJ001 never shows them: only this description and the code.
enum XMLErrorKind {
    static func describe(_ code: Int32) -> String {
        let kind = description(of: xmlParserErrors(rawValue: UInt32(bitPattern: code)))
        return "\(kind) (libxml2 error \(code))"
    }

    private static func description(of code: xmlParserErrors) -> String {
        switch code {
        case XML_ERR_DOCUMENT_EMPTY: "the document is empty"
        case XML_ERR_DOCUMENT_START: "no root element was found"
        case XML_ERR_DOCUMENT_END: "there is content after the root element"
        case XML_ERR_INVALID_CHAR, XML_ERR_INVALID_ENCODING:
            "a character that XML does not allow, or bytes not valid in the file's encoding"
        case XML_ERR_INVALID_HEX_CHARREF, XML_ERR_INVALID_DEC_CHARREF, XML_ERR_INVALID_CHARREF:
            "a character reference (`&#…;`) to a character XML does not allow"
        case XML_ERR_UNDECLARED_ENTITY, XML_WAR_UNDECLARED_ENTITY:
            "a reference to an entity that is not declared (a literal `&` must be written `&amp;`)"
        case XML_ERR_ENTITYREF_SEMICOL_MISSING, XML_ERR_ENTITYREF_NO_NAME:
            "an `&` that starts no entity reference (a literal `&` must be written `&amp;`)"
        case XML_ERR_ENTITY_LOOP, XML_ERR_ENTITY_BOUNDARY, XML_ERR_ENTITY_NOT_FINISHED, XML_ERR_ENTITY_NOT_STARTED:
            "an entity declaration or reference that is malformed or refers to itself"
        case XML_ERR_LT_IN_ATTRIBUTE: "an attribute value contains an unescaped `<`"
        case XML_ERR_ATTRIBUTE_NOT_STARTED: "an attribute value does not start with a quote"
        case XML_ERR_ATTRIBUTE_NOT_FINISHED: "an attribute value is not closed by its quote"
        case XML_ERR_ATTRIBUTE_WITHOUT_VALUE: "an attribute has no value"
        case XML_ERR_ATTRIBUTE_REDEFINED: "an attribute appears twice in one start tag"
        case XML_ERR_SPACE_REQUIRED: "white space is missing (between attributes, or in a declaration)"
        case XML_ERR_GT_REQUIRED: "a tag is not closed by `>`"
        case XML_ERR_LTSLASH_REQUIRED, XML_ERR_TAG_NOT_FINISHED:
            "an element is not closed before its parent or the file ends"
        case XML_ERR_TAG_NAME_MISMATCH: "an end tag does not match its start tag"
        case XML_ERR_NAME_REQUIRED: "a name is missing (after `<`, `&` or `</`)"
        case XML_ERR_COMMENT_NOT_FINISHED: "a comment is not closed by `-->`"
        case XML_ERR_HYPHEN_IN_COMMENT: "a comment contains `--`"
        case XML_ERR_PI_NOT_STARTED, XML_ERR_PI_NOT_FINISHED, XML_ERR_RESERVED_XML_NAME:
            "a processing instruction is malformed, or the XML declaration is not at the very start"
        case XML_ERR_XMLDECL_NOT_STARTED, XML_ERR_XMLDECL_NOT_FINISHED, XML_ERR_VERSION_MISSING, XML_ERR_STRING_NOT_STARTED,
             XML_ERR_STRING_NOT_CLOSED, XML_ERR_STANDALONE_VALUE:
            "the XML declaration is malformed"
        case XML_ERR_UNSUPPORTED_ENCODING, XML_ERR_UNKNOWN_ENCODING, XML_ERR_ENCODING_NAME:
            "the declared encoding is unknown or unsupported"
        case XML_ERR_CDATA_NOT_FINISHED: "a CDATA section is not closed by `]]>`"
        case XML_ERR_DOCTYPE_NOT_FINISHED, XML_ERR_LITERAL_NOT_STARTED, XML_ERR_LITERAL_NOT_FINISHED:
            "the DOCTYPE declaration is malformed"
        case XML_ERR_NOT_WELL_BALANCED, XML_ERR_EXTRA_CONTENT: "the content is not well balanced"
        case XML_NS_ERR_UNDEFINED_NAMESPACE, XML_NS_ERR_QNAME, XML_NS_ERR_ATTRIBUTE_REDEFINED, XML_NS_ERR_EMPTY:
            "a namespace prefix is not declared or is malformed"
        case XML_ERR_NO_MEMORY: "libxml2 ran out of memory"
        default:
            code.rawValue >= XML_ERR_ENTITYREF_AT_EOF.rawValue && code.rawValue <= XML_ERR_PEREF_SEMICOL_MISSING.rawValue
                ? "an entity reference is malformed or out of place" : "the file is not well-formed"
        }
    }
}
