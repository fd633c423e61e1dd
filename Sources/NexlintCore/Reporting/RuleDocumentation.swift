/// The page `nexlint explain ID` prints, and the table `nexlint rules` prints.
public enum RuleDocumentation {
    public static func page(for rule: RuleDescription) -> String {
        var page = "\(rule.identifier): \(rule.title)\n"
        page += "Severity: \(rule.severity.rawValue)    Fix: \(fixLabel(rule.fix))\n\n"
        page += section("What it finds", rule.summary)
        page += section("Why it matters", rule.rationale)
        page += section("How to fix it", rule.remedy)
        for (title, examples) in [("Failing example", rule.triggeringExamples), ("Passing example", rule.nonTriggeringExamples)] {
            for example in examples.prefix(1) {
                var body = ""
                for file in example.files {
                    if example.files.count > 1 { body += "  --- \(file.name)\n" }
                    body += file.contents.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "  " + $0 }.joined(separator: "\n") + "\n"
                }
                if !example.definitions.isEmpty {
                    body += example.definitions.sorted { $0.key < $1.key }.map { "  (with --define \($0.key)=\($0.value))\n" }.joined()
                }
                page += "\(title)\n\(body)\n"
            }
        }
        return page
    }

    /// The page as Markdown, for SARIF viewers such as GitHub code scanning.
    public static func markdown(for rule: RuleDescription) -> String {
        var page = "**\(rule.identifier): \(rule.title)** (\(rule.severity.rawValue))\n\n"
        page += "\(rule.summary)\n\n**Why it matters.** \(rule.rationale)\n\n**How to fix it.** \(rule.remedy)\n"
        for (title, examples) in [("Failing example", rule.triggeringExamples), ("Passing example", rule.nonTriggeringExamples)] {
            guard let example = examples.first else { continue }
            page += "\n\(title):\n\n" + example.files.map { "```xml\n\($0.contents)\n```\n" }.joined()
        }
        return page
    }

    public static func table(_ rules: [RuleDescription]) -> String {
        var lines = [row("ID", "SEVERITY", "FIX", "TITLE")]
        lines += rules.map { row($0.identifier, $0.severity.rawValue, fixLabel($0.fix), $0.title) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ id: String, _ severity: String, _ fix: String, _ title: String) -> String {
        pad(id, 8) + pad(severity, 10) + pad(fix, 9) + title
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    private static func fixLabel(_ fix: FixKind) -> String {
        switch fix {
        case .none: "-"
        case .safe: "safe"
        case .migrate: "migrate"
        }
    }

    private static func section(_ title: String, _ text: String) -> String {
        "\(title)\n" + wrap(text, width: 88, indent: "  ") + "\n\n"
    }

    private static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(whereSeparator: \.isWhitespace) {
            if line.count + word.count + 1 > width, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        if line != indent { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
