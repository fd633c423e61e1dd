import NexlintCore

struct UndefinedProperty: Rule {
    static let description = RuleDescription(
        identifier: "NXJ004",
        severity: .warning,
        title: "Property reference that does not resolve",
        summary: """
            An attribute refers to `${name}` without a default, and neither the unit's root \
            attributes nor a value set from outside (`--define`) define `name`; or `name`'s \
            value nests references more than 16 deep (a reference cycle does) or expands past \
            64 KiB, where nexlint stops expanding (work on hostile files stays bounded). Rules \
            that judge the attribute's value skip it. A `.synctargets` file belongs to no unit: \
            its targets' references resolve against what is set from outside (`--define`, the \
            configuration's `properties:`).
            """,
        rationale: """
            NexJ resolves `${name}` at deploy time from properties; an undefined one leaves the \
            setting broken on the server, where it is found late.
            """,
        remedy: """
            Define the property as a root attribute of the environment (or `.server`), pass it \
            with `--define name=value`, or give a default: `${name:value}`.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="Partner" url="${partner.url}"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                ↓↓<Environment type="Generic" host="${server}" server="${host}">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="Partner" url="https://${host}/api"/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" partner.url="https://partner.contoso.com/api">
                  <ChannelConnections>
                    <HTTPConnection channel="Partner" url="${partner.url}" readTimeout="${timeout:30000}"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <HTTPConnection channel="Partner" url="${partner.url}"/>
                  </ChannelConnections>
                </Environment>
                """, definitions: ["partner.url": "https://partner.contoso.com/api"]),
        ])

    /// A `.synctargets` file belongs to no unit: its targets' references resolve against what
    /// is defined from outside for its directory.
    func check(syncTarget target: SyncTarget, scope: SyncTargetScope, into sink: inout FindingSink) {
        for attribute in target.element.attributes {
            target.properties.forEachUnresolvableReference(in: attribute) { name, failure in
                sink.report(Self.message(name, attribute: attribute.name, failure), file: target.file, element: target.element)
            }
        }
    }

    private static func message(_ name: String, attribute: String, _ failure: PropertyResolver.Failure) -> FindingMessage {
        switch failure {
        case .undefined:
            "`${\(name)}` in attribute `\(attribute)` has no default and nothing defines `\(name)`"
        case .tooDeep:
            "`${\(name)}` in attribute `\(attribute)` does not resolve: its references nest more than \(PropertyResolver.maximumDepth) deep or refer back to themselves"
        case .tooLarge:
            "`${\(name)}` in attribute `\(attribute)` does not resolve: it expands past \(PropertyResolver.maximumLength / 1024) KiB, where nexlint stops expanding"
        }
    }

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        for file in unit.files {
            // An element's references come together; its channel name is looked up once for
            // them all (a root with thousands of attributes must not be scanned per reference).
            var current: (position: SourcePosition, channel: String?)?
            file.document.propertyReferences.forEach { element, attribute in
                unit.properties.forEachUnresolvableReference(in: attribute) { name, failure in
                    if current?.position != element.position { current = (element.position, element["channel"]) }
                    sink.report(Self.message(name, attribute: attribute.name, failure), file: file.path, element: element,
                                channel: current?.channel)
                }
            }
        }
    }
}
