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
            // No scheme at all is the password itself; a disabled connection counts too.
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="RetiredSender" enabled="false" url="https://mail.contoso.com/EWS/Exchange.asmx"
                      user="svc.crm@contoso.com" password="example-only"/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" password="master:AAECAwQFBgcICQoLDA0ODw==">
                  <DataSourceConnections>
                    <RelationalDatabaseConnection dataSource="DefaultRelationalDatabase" user="crm" password="${db.password}"/>
                    <RelationalDatabaseConnection dataSource="Reporting" user="crm" password=""/>
                  </DataSourceConnections>
                </Environment>
                """, definitions: ["db.password": "text:fromTheVault"]),
        ])

    /// Whose attribute it is, as the message names it.
    private enum Owner: Int, CaseIterable {
        case channel, rootElement, element

        /// What follows the attribute's name or the owner's, before the verdict.
        var close: String {
            switch self {
            case .channel: "`"
            case .rootElement: "` of the root element"
            case .element: ">"
            }
        }
    }

    private static let schemes = PasswordValue.Scheme.allCases

    /// The end of the message for each owner and scheme, joined once: a message is written
    /// piece by piece, and each piece costs a finding something to make, report and free
    /// (with these ends a message is three to five pieces, not five to seven).
    private static let endings = Owner.allCases.flatMap { owner in
        schemes.map { scheme in
            let form = switch scheme {
            case .none: "a plain value with no scheme"
            case .text, .base64, .hex: "a reversible `\(scheme.rawValue):` value"
            }
            return "\(owner.close) is \(form) kept in the repository; encrypt it with NexJ's master: scheme"
        }
    }

    private static func ending(_ owner: Owner, _ scheme: PasswordValue.Scheme) -> String {
        endings[owner.rawValue * schemes.count + schemes.firstIndex(of: scheme)!]
    }

    /// The scheme of the value the attribute resolves to when it is reversible, with the value
    /// for the baseline's digest; nil when it is encrypted, empty, or set from outside. A value
    /// that refers to no property (most) is judged on its bytes in place, never copied out.
    private static func reversibleValue(of attribute: NexJAttribute,
                                        properties: PropertyResolver) -> (PasswordValue.Scheme, SecretValue)? {
        enum Literal { case reversible(PasswordValue.Scheme), notReported, refersToProperties }
        let literal = attribute.withValueBytes { bytes -> Literal in
            if PropertyReference.mayOccur(inUTF8: bytes) { return .refersToProperties }
            guard !bytes.isEmpty, let scheme = PasswordValue.reversibleScheme(ofUTF8: bytes) else { return .notReported }
            return .reversible(scheme)
        }
        switch literal {
        case .reversible(let scheme):
            return (scheme, SecretValue(valueOf: attribute))
        case .notReported:
            return nil
        case .refersToProperties:
            guard let resolved = properties.resolve(attribute.value), !resolved.usesExternalValue, !resolved.text.isEmpty,
                  let scheme = PasswordValue.reversibleScheme(of: resolved.text) else { return nil }
            return (scheme, SecretValue(resolved.text))
        }
    }

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        for file in unit.files {
            file.document.passwordAttributes.forEach { element, attribute in
                // Most are encrypted: a value that starts `master:` stays so however it resolves.
                guard !attribute.valueHasPrefix(PasswordValue.encryptedPrefix),
                      let (scheme, secret) = Self.reversibleValue(of: attribute, properties: unit.properties) else { return }
                // The message is made of constants and names already held, never of new strings:
                // a legacy repository has tens of thousands of these.
                let channel = element["channel"]
                let message: FindingMessage = if let channel {
                    "`\(attribute.name)` of channel `\(channel)\(Self.ending(.channel, scheme))"
                } else if element.position == file.document.root.position {
                    "`\(attribute.name)\(Self.ending(.rootElement, scheme))"
                } else {
                    "`\(attribute.name)` of <\(element.name)\(Self.ending(.element, scheme))"
                }
                sink.report(message, file: file.path, element: element, channel: consume channel, secret: consume secret)
            }
        }
    }
}
