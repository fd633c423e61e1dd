import NexlintCore

struct EncryptedFile: Rule {
    static let description = RuleDescription(
        identifier: "NXJ002",
        severity: .note,
        title: "File is encrypted and cannot be checked",
        summary: """
            The whole file is encrypted: its content starts with a cipher scheme prefix such \
            as `master:` instead of `<`. nexlint cannot read it, so no other rule checks it.
            """,
        rationale: """
            NexJ can encrypt a whole configuration file with the deployment's master password. \
            Such a file passes every check unread; this note says so, so that a clean report is \
            not mistaken for a checked file.
            """,
        remedy: """
            Lint the decrypted source of the file where it is kept, or exclude the encrypted \
            copy from linting.
            """,
        triggeringExamples: [
            RuleExample(environment: "↓master:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\n"),
        ],
        nonTriggeringExamples: [
            RuleExample(environment: "<Environment type=\"Generic\" password=\"master:AAECAwQFBgcICQoLDA0ODw==\"/>\n"),
        ])

    func check(file: NexJFile, into sink: inout FindingSink) {
        guard case .encrypted(let scheme) = file.content else { return }
        sink.report("the file is encrypted (`\(scheme):`), so nexlint cannot check it; lint its decrypted source instead",
                    file: file.path, at: SourcePosition(line: 1, column: 1), subject: "document")
    }
}
