import NexlintCore

struct ReversibleSecret: Rule {
    static let description = RuleDescription(
        identifier: "EXO008",
        severity: .warning,
        title: "Password kept reversibly in the repository",
        summary: """
            A password attribute (`password`, `proxyPassword` or any attribute whose name ends \
            in "password", on any element including the root) holds a value anyone can read: \
            `text:`, `base64:`, `hex:`, or no scheme at all. Every connection counts, enabled \
            or not. A value that comes from `--define` is not in the repository and is not \
            reported; empty values are not reported.
            """,
        rationale: """
            A configuration repository is copied to every developer machine and CI runner. \
            `base64:` and `hex:` are encodings, not encryption. The Exchange Online password \
            also carries the Azure client secret, which opens every mailbox the application may \
            reach.
            """,
        remedy: """
            Encrypt the value with NexJ's `master:` scheme (the deployment's master password), \
            or take it out of the repository and supply it at deploy time.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <DataSourceConnections>
                    ↓<RelationalDatabaseConnection dataSource="DefaultRelationalDatabase" user="crm" password="text:example-only"/>
                  </DataSourceConnections>
                </Environment>
                """),
            RuleExample(environment: """
                ↓<Environment type="Generic" password="hex:53337372657421">
                  <ChannelConnections/>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" password="master:AAECAwQFBgcICQoLDA0ODw==">
                  <DataSourceConnections>
                    <RelationalDatabaseConnection dataSource="DefaultRelationalDatabase" user="crm" password="${db.password}"/>
                  </DataSourceConnections>
                </Environment>
                """, definitions: ["db.password": "text:fromTheVault"]),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        for file in unit.files {
            for marked in file.document.passwordAttributes {
                let (element, attribute) = (marked.element, marked.attribute)
                // Most are encrypted: a value that starts `master:` stays so however it resolves.
                guard !attribute.valueHasPrefix(PasswordValue.encryptedPrefix), let resolved = unit.properties.resolve(attribute.value), !resolved.usesExternalValue,
                      !resolved.text.isEmpty,
                      case .reversible(let scheme, _) = PasswordValue(resolved.text) else { continue }
                let form = scheme == .none ? "a plain value with no scheme" : "a reversible `\(scheme.rawValue):` value"
                let owner = element["channel"].map { "of channel `\($0)`" }
                    ?? (element.position == file.document.root.position ? "of the root element" : "of <\(element.name)>")
                sink.report("`\(attribute.name)` \(owner) is \(form) kept in the repository; encrypt it with NexJ's master: scheme",
                            file: file.path, element: element, channel: element["channel"], secret: resolved.text)
            }
        }
    }
}
