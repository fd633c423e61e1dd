import Foundation
import NexlintCore

/// Reads a baseline written by `--write-baseline`.
public enum BaselineFile {
    private struct Document: Decodable {
        struct Entry: Decodable {
            var file: String
            var rule: String
            var subject: String
            var count: Int
        }

        var version: Int
        var entries: [Entry]
    }

    public static func load(_ path: String) throws(ConfigurationError) -> Baseline {
        let bytes: [UInt8]
        switch FileSystem.read(path) {
        case .success(let read): bytes = read
        case .failure(let problem): throw ConfigurationError(file: path, line: nil, message: problem.reason)
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(bytes)) else {
            throw ConfigurationError(file: path, line: nil, message: "not a nexlint baseline (expected the JSON that --write-baseline writes)")
        }
        guard document.version == 1 else {
            throw ConfigurationError(file: path, line: nil, message: "baseline version \(document.version) is not supported (expected 1)")
        }
        return Baseline(entries: document.entries.map {
            Baseline.Entry(file: $0.file, rule: $0.rule, subject: $0.subject, count: $0.count)
        })
    }
}
