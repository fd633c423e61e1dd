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
        // The first channel of each name, in an open-addressing table keyed by a cheap hash of
        // the name: this runs over every channel, and hashing each name into a dictionary cost
        // more than the rest of the rule.
        var slots = [(fingerprint: UInt64, index: Int)](repeating: (0, -1), count: Self.tableSize(for: unit.channels.count))
        let mask = slots.count - 1
        for (index, channel) in unit.channels.enumerated() {
            guard let name = channel.name else { continue }
            let fingerprint = Self.fingerprint(name)
            var slot = Int(truncatingIfNeeded: fingerprint) & mask
            while slots[slot].index >= 0 {
                let earlierChannel = unit.channels[slots[slot].index]
                if slots[slot].fingerprint == fingerprint && earlierChannel.name == name {
                    let earlier = (file: earlierChannel.file, line: earlierChannel.element.position.line)
                    let place = earlier.file == channel.file ? "line \(earlier.line)" : "line \(earlier.line) of \(PathNames.fileName(of: earlier.file))"
                    sink.report("already defined at \(place); one of the two is silently ignored", on: channel)
                    break
                }
                slot = (slot + 1) & mask
            }
            if slots[slot].index < 0 { slots[slot] = (fingerprint, index) }
        }
    }

    /// A power of two at least twice the channel count.
    private static func tableSize(for count: Int) -> Int {
        var size = 16
        while size < 2 * count { size *= 2 }
        return size
    }

    /// FNV-1a over the name's UTF-8 bytes, read in place.
    private static func fingerprint(_ name: String) -> UInt64 {
        func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
            bytes.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
        }
        return name.utf8.withContiguousStorageIfAvailable(hash) ?? hash(name.utf8)
    }
}
