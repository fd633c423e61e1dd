import NexlintCore

struct EntityDeclarations: Rule {
    static let description = RuleDescription(
        identifier: "NXJ008",
        severity: .error,
        title: "File declares entities that nexlint cannot check",
        summary: """
            The file's `<!DOCTYPE>` declares entities in an internal DTD subset. NexJ's parser \
            expands them when it loads the file; nexlint never does (expanding entities is how \
            billion-laughs and external-entity attacks work), so whatever they hold — a channel, \
            a URL, a password — would go unchecked. The file is reported at the `<!DOCTYPE` and \
            not checked further.
            """,
        rationale: """
            An entity can hide a whole `HTTPConnection`: a Basic-auth Exchange channel on \
            plain `http:` placed in an entity and referenced inside `<ChannelConnections>` \
            would pass every other rule unseen. A linter that cannot see part of a file must \
            not call it clean.
            """,
        remedy: """
            Write the entity's text where it is referenced and remove the declaration. NexJ \
            configuration needs no DTD; character references such as `&#38;` and the five \
            predefined entities (`&amp;`, `&lt;`, …) work without one.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <?xml version="1.0"?>
                ↓<!DOCTYPE Environment [
                  <!ENTITY ews '<HTTPConnection channel="EWS" url="http://outlook.office365.com/EWS/Exchange.asmx" user="svc@contoso.com" password="text:pw"/>'>
                ]>
                <Environment type="Generic">
                  <ChannelConnections>&ews;</ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <?xml version="1.0"?>
                <!DOCTYPE Environment>
                <Environment type="Generic" description="R&amp;D &#38; more"/>
                """),
        ])

    func check(file: NexJFile, into sink: inout FindingSink) {
        guard case .declaresEntities(let doctype) = file.content else { return }
        sink.report("the DOCTYPE declares entities, which NexJ expands and nexlint does not: what they hold is unchecked; write their text in place and remove the declarations",
                    file: file.path, at: doctype, subject: "document")
    }
}
