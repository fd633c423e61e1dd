import NexlintCore

struct ReversibleSecret: Rule {
    static let description = RuleDescription(
        identifier: "EXO008",
        severity: .warning,
        title: "Password kept reversibly in the repository",
        summary: """
            A password attribute (any attribute whose name ends in "password", in any case, on \
            any element including the root: `password`, `proxyPassword`, and what NexJ's schema \
            also types as passwords, the root's `keystorePassword` and `pushPassword`, \
            `Fragment/@password`, `SOAConnection/@password`) holds a value anyone can read: \
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
            // NexJ's schema types these as passwords too; any attribute ending in "password" counts.
            RuleExample(environment: """
                ↓↓<Environment type="Generic" keystorePassword="text:Xk9-store" pushPassword="base64:UHo3LW5vdGlmeQ==">
                  <DataSourceConnections>
                    <RelationalDatabaseConnection dataSource="DefaultRelationalDatabase" user="crm" password="master:AAECAwQFBgcICQoLDA0ODw==">
                      <Fragments>
                        ↓<Fragment name="archive" user="crm" password="hex:53337372657421"/>
                      </Fragments>
                    </RelationalDatabaseConnection>
                  </DataSourceConnections>
                  <SOAConnections>
                    ↓<SOAConnection service="Billing" user="crm" password="text:example-only"/>
                  </SOAConnections>
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

    /// The end of the message for a scheme, joined once for each: a message is written piece
    /// by piece, and each piece costs a finding something to make, report and free.
    private static func verdict(_ scheme: PasswordValue.Scheme) -> String {
        switch scheme {
        case .none: verdicts.plain
        case .text: verdicts.text
        case .base64: verdicts.base64
        case .hex: verdicts.hex
        }
    }

    private static let verdicts = (plain: verdict("a plain value with no scheme"), text: verdict("a reversible `text:` value"),
                                   base64: verdict("a reversible `base64:` value"), hex: verdict("a reversible `hex:` value"))

    private static func verdict(_ form: String) -> String {
        " is \(form) kept in the repository; encrypt it with NexJ's master: scheme"
    }

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        for file in unit.files {
            for marked in file.document.passwordAttributes {
                let (element, attribute) = (marked.element, marked.attribute)
                // Most are encrypted: a value that starts `master:` stays so however it resolves.
                guard !attribute.valueHasPrefix(PasswordValue.encryptedPrefix), let resolved = unit.properties.resolve(attribute.value), !resolved.usesExternalValue,
                      !resolved.text.isEmpty,
                      let scheme = PasswordValue.reversibleScheme(of: resolved.text) else { continue }
                // The message is made of constants and names already held, never of new strings:
                // a legacy repository has tens of thousands of these.
                let channel = element["channel"]
                let owner = channel.map { ("of channel `", $0, "`") }
                    ?? (element.position == file.document.root.position ? ("of the root element", "", "") : ("of <", element.name, ">"))
                sink.report("`\(attribute.name)` \(owner.0)\(owner.1)\(owner.2)\(Self.verdict(scheme))",
                            file: file.path, element: element, channel: channel, secret: resolved.text)
            }
        }
    }
}
