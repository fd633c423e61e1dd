import NexlintCore

struct EncryptedFile: Rule {
    static let description = RuleDescription(
        identifier: "NXJ002",
        severity: .note,
        title: "File is encrypted and cannot be checked",
        summary: """
            The whole file is encrypted: its content starts with a cipher scheme prefix such \
            as `master:` instead of `<`. nexlint cannot read it, so no other rule checks it. \
            A file behind `text:`, `base64:` or `hex:` is not encrypted: NexJ's cipher \
            dispatcher reads those as plain text or encodings, and so does nexlint, checking the \
            XML under them like any file (positions are those of the decoded XML; such a file is \
            never rewritten).
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
            // An encoding, not encryption: the environment under it is read and checked.
            RuleExample(environment: "base64:PEVudmlyb25tZW50IHR5cGU9IkdlbmVyaWMiIHBhc3N3b3JkPSJtYXN0ZXI6QUFFQ0F3UUZCZ2NJQ1FvTERBME9Edz09Ii8+Cg==\n"),
        ])

    func check(file: NexJFile, into sink: inout FindingSink) {
        guard case .encrypted(let scheme) = file.content else { return }
        sink.report("the file is encrypted (`\(scheme):`), so nexlint cannot check it; lint its decrypted source instead",
                    file: file.path, at: SourcePosition(line: 1, column: 1), subject: "document")
    }
}
