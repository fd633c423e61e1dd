import NexlintCore

struct TenantIsApplication: Rule {
    static let description = RuleDescription(
        identifier: "EXO005",
        severity: .error,
        reads: .httpConnections,
        title: "Token URL tenant is the channel's application ID",
        summary: """
            The tenant GUID in `exo.tokenURL` equals the application (client) ID at the start of \
            an Exchange Online channel's `user`. Reported on the channel.
            """,
        rationale: """
            The vendor's example writes `<application_ID>` in the token URL although the varying \
            part is the tenant ID; copying it gives a token URL Azure rejects with "tenant not \
            found", and every synchronisation fails.
            """,
        remedy: """
            Replace the GUID in `exo.tokenURL` with the Directory (tenant) ID from the Azure app \
            registration's overview page; keep the application ID in `user`.
            """,
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic" exo.tokenURL="https://login.microsoftonline.com/0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c/oauth2/v2.0/token">
                  <ChannelConnections>
                    ↓<HTTPConnection channel="ExchangeEWSSender5" url="https://outlook.office365.com/EWS/Exchange.asmx"
                      secure="true" authentication="custom" authComponent="rpc:System.Authentication.EXO"
                      user="0B4C7A9E-3F21-4D8A-9C65-2E7F1A0B3D4C:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
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
                      user="0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c:svc.crm@contoso.com" password="master:AAECAwQFBgcICQoLDA0ODw=="/>
                  </ChannelConnections>
                </Environment>
                """),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        guard case .success(let tokenURL)? = unit.tokenURL else { return }
        unit.activeExchangeOnlineChannelsNotOnBasic.forEachBorrowed { channel in
            guard case .success(let account)? = channel.serviceAccount,
                  GUID.equal(account.applicationID, tokenURL.tenant) else { return }
            sink.report("the tenant in exo.tokenURL is this channel's application (client) ID `\(account.applicationID)`: the token URL takes the directory (tenant) ID",
                        on: channel)
        }
    }
}
