import NexlintCore

struct DuplicateChannel: Rule {
    static let description = RuleDescription(
        identifier: "NXJ003",
        severity: .error,
        title: "Two connections of a unit share a channel name",
        summary: """
            Two connections deployed together (one `.environment`, or a `.server` with one of \
            its `.connections` files) have the same `channel` name. Reported on the second and \
            each later connection of that name.
            """,
        rationale: """
            NexJ looks channels up by name; with two of one name, one silently wins and mail or \
            synchronisation goes through a connection nobody meant. `.connections` files kept \
            side by side for the same `.server` are alternatives, so reusing names across them \
            is fine and is not reported.
            """,
        remedy: "Rename or remove one of the connections.",
        triggeringExamples: [
            RuleExample(environment: """
                <Environment type="Generic">
                  <ChannelConnections>
                    <MailConnection channel="Mail" host="smtp.contoso.com"/>
                    ↓<MailConnection channel="Mail" host="smtp2.contoso.com"/>
                  </ChannelConnections>
                </Environment>
                """),
        ],
        nonTriggeringExamples: [
            RuleExample([
                ExampleFile("app.server", "<Server type=\"Generic\"/>\n"),
                ExampleFile("prod.connections", """
                    <Connections>
                      <ChannelConnections><MailConnection channel="Mail" host="smtp.contoso.com"/></ChannelConnections>
                    </Connections>
                    """),
                ExampleFile("test.connections", """
                    <Connections>
                      <ChannelConnections><MailConnection channel="Mail" host="smtp.test.contoso.com"/></ChannelConnections>
                    </Connections>
                    """),
            ]),
        ])

    func check(unit: DeploymentUnit, into sink: inout FindingSink) {
        let channels = unit.channels
        // The first channel of each name, by its place in the unit. A unit of a few dozen
        // channels (most) looks back through them: hashing every name costs more.
        let isSmall = channels.count <= 32
        var first: [String: Int] = [:]
        if !isSmall { first.reserveCapacity(channels.count) }
        // Looking back, names are compared by a number first: comparing two long names costs
        // about a hundred instructions, and most pairs differ.
        var keys: [UInt64] = []
        if isSmall {
            keys.reserveCapacity(channels.count)
            channels.forEachBorrowed { keys.append(Fingerprint.comparisonKey(of: $0.name)) }
        }
        var index = -1
        channels.forEachBorrowed { channel in
            index += 1
            guard let name = channel.name else { return }
            let earlierIndex = isSmall ? (0..<index).first { other in
                Fingerprint.keysMayMatch(keys[index], keys[other]) && channels[other].name == name
            } : first[name]
            guard let earlier = earlierIndex.map({ channels[$0] }) else {
                if !isSmall { first[name] = index }
                return
            }
            let line = earlier.element.position.line
            let place = earlier.file == channel.file ? "line \(line)" : "line \(line) of \(PathNames.fileName(of: earlier.file))"
            sink.report("already defined at \(place); one of the two is silently ignored", on: channel)
        }
    }
}
