import NexlintCore

struct MissingConnectionsFile: Rule {
    static let description = RuleDescription(
        identifier: "NXJ007",
        severity: .warning,
        title: "A server names a connections file that is not there",
        summary: """
            A `.server` (or a `.config` file with a `<Server>` root) names a connections file \
            that is not in its directory: a `<ValidConnections><Connection name="…"/>` whose \
            `NAME.connections` is absent, or a `meta.connections.url` whose file name is. \
            Reported at that `<Connection>` element, or at the root for `meta.connections.url`. \
            A file that is there but excluded by configuration is not missing.
            """,
        rationale: """
            NexJ deploys a server with exactly one connections file. A name that points nowhere \
            is a deployment that fails, or one made from another copy of the file than the one \
            kept, reviewed and linted here — and the channels it holds go unchecked.
            """,
        remedy: """
            Add the connections file beside the server, correct the name (a base name without \
            `.connections`), or remove the entry.
            """,
        triggeringExamples: [
            RuleExample([
                ExampleFile("JBoss.server", """
                    <Server type="JBoss">
                      <ValidConnections>
                        <Connection name="Development-MySQL"/>
                        ↓<Connection name="Development-PostgreSQL"/>
                      </ValidConnections>
                    </Server>
                    """),
                ExampleFile("Development-MySQL.connections", "<Connections/>\n"),
            ]),
            RuleExample([
                ExampleFile("test.config", """
                    ↓<Server type="Generic" meta.connections.url="file:/c:/work/app/env/Demo.connections"/>
                    """),
            ]),
        ],
        nonTriggeringExamples: [
            RuleExample([
                ExampleFile("JBoss.server", """
                    <Server type="JBoss">
                      <ValidConnections><Connection name="Development-MySQL"/></ValidConnections>
                    </Server>
                    """),
                ExampleFile("Development-MySQL.connections", "<Connections/>\n"),
            ]),
            RuleExample([
                ExampleFile("app.server", "<Server type=\"Generic\" meta.connections.url=\"${env.dir}/prod.connections\"/>\n"),
                ExampleFile("prod.connections", "<Connections/>\n"),
            ], definitions: ["env.dir": "file:/opt/nexj/env"]),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        for missing in unit.namedConnectionsFiles where !unit.directoryListing.contains(fileName: missing.fileName) {
            let namedBy = missing.isNamedByURL ? "meta.connections.url names" : "<ValidConnections> names"
            sink.report("\(namedBy) the connections file `\(missing.fileName)`, which is not in its directory",
                        file: unit.primary.path, element: missing.element)
        }
    }
}
