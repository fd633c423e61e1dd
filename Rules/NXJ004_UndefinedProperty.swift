import NexlintCore

struct UndefinedProperty: Rule {
    static let description = RuleDescription(
        identifier: "NXJ004",
        severity: .warning,
        title: "Property reference that nothing defines",
        summary: """
            An attribute refers to `${name}` without a default, and neither the unit's root \
            attributes nor a value set from outside (`--define`) define `name`. Rules that \
            judge the attribute's value skip it.
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
                    <HTTPConnection channel="Partner" url="${partner.url}"/>
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

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        for file in unit.files {
            for marked in file.document.propertyReferences {
                let (element, attribute) = (marked.element, marked.attribute)
                for name in unit.properties.undefinedReferences(in: attribute.value) {
                    sink.report("`${\(name)}` in attribute `\(attribute.name)` has no default and nothing defines `\(name)`",
                                file: file.path, element: element, channel: element["channel"])
                }
            }
        }
    }
}
