import NexlintCore

struct WrongRootElement: Rule {
    static let description = RuleDescription(
        identifier: "NXJ005",
        severity: .error,
        title: "Root element does not match the file's kind",
        summary: """
            A `.environment`, `.server`, `.connections` or `.synctargets` file whose root \
            element is not `<Environment>`, `<Server>`, `<Connections>` or `<SyncTargets>` \
            respectively; or a file named on the command line whose root is none of these. \
            The file is not checked further.
            """,
        rationale: """
            NexJ chooses the parser by extension: a `<Connections>` document saved as \
            `.environment` fails to load, and a file in the wrong role is never deployed the \
            way its author thinks.
            """,
        remedy: "Rename the file to the extension its root element requires, or fix the root element.",
        triggeringExamples: [
            RuleExample([ExampleFile("prod.server", "↓<Environment type=\"Generic\"/>\n")]),
        ],
        nonTriggeringExamples: [
            RuleExample([ExampleFile("prod.server", "<Server type=\"Generic\"/>\n")]),
        ])

    func check(file: NexJFile, into sink: inout FindingSink) {
        guard case .wrongRoot(let root, let expected) = file.content else { return }
        let message: FindingMessage = if let expected {
            "a .\(expected.fileExtension) file must have the root element <\(expected.rootElement)>, not <\(root.name)>"
        } else {
            "root element <\(root.name)> is not a NexJ configuration root (Environment, Server, Connections or SyncTargets)"
        }
        sink.report(message, file: file.path, element: root)
    }
}
