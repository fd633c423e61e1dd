import NexlintCore

struct OAuthPassword: Rule {
    static let description = RuleDescription(
        identifier: "EXO007",
        severity: .error,
        reads: .httpConnections,
        title: "OAuth channel password is not <client secret>:<account password>",
        summary: """
            The `password` of an Exchange Online channel on OAuth is missing, has no scheme \
            prefix, is bad `base64:` or `hex:`, or does not decode to a non-empty client secret \
            and a non-empty service-account password separated by the first colon. `master:` \
            values are encrypted and pass. Messages never show the value.
            """,
        rationale: """
            NexJ's EXO component splits the decoded password at its first colon: the client \
            secret goes to Azure, the rest is the service account's password. A value without a \
            scheme is taken literally, prefix and all.
            """,
        remedy: """
            Write `password="text:<client secret>:<service account password>"`, then encrypt it \
            with NexJ's `master:` scheme so the secret is not kept in the repository.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="text:OnlyTheAccountPassword"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="base64:not base64!"/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="base64:UzNjcjN0OlBhc3N3MHJkOndpdGg6Y29sb25z"/>
                  </ChannelConnections>
                </Environment>
                """),
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d/oauth2/v2.0/token">
                  <ChannelConnections>
                    <HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        let shape = "text:<client secret>:<service account password>"
        unit.activeExchangeOnlineChannelsNotOnBasic.forEachBorrowed { channel in
            // Most are encrypted: a value that starts `master:` stays so however it resolves.
            if channel.attribute("password", hasPrefix: PasswordValue.encryptedPrefix) { return }
            switch channel["password"] {
            case .absent:
                sink.report("no `password`: set password=\"\(shape)\" and encrypt it with master:", on: channel)
            case .unresolved:
                return
            case .value(let raw):
                guard let problem = Self.problem(with: PasswordValue(raw)) else { return }
                sink.report(problem, on: channel, secret: SecretValue(raw))
            }
        }
    }

    private static func problem(with password: PasswordValue) -> FindingMessage? {
        switch password {
        case .encrypted:
            return nil
        case .reversible(.none, _):
            return "password has no scheme prefix (text:, base64:, hex: or master:), so NexJ takes it literally; write text:<client secret>:<service account password>"
        case .reversible(let scheme, nil):
            return "password is not valid \(scheme.rawValue) (or does not decode to UTF-8 text)"
        case .reversible(let scheme, let decoded?):
            guard let parts = PasswordValue.splitCredentials(decoded) else {
                return "password (\(scheme.rawValue):) decodes to a single value; it needs <client secret>:<service account password> separated by a colon"
            }
            if parts.secret.isEmpty { return "the client secret part of the password (before the first colon) is empty" }
            if parts.password.isEmpty { return "the service account password part of the password (after the first colon) is empty" }
            return nil
        }
    }
}
