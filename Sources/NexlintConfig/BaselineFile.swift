import FoundationEssentials
import NexlintCore

/// Reads a baseline written by `--write-baseline`, with FoundationEssentials' `JSONDecoder`
/// (linked already; it refuses nesting past its own bound, invalid UTF-8, and numbers no
/// `Int` holds). Counts that add up past `Int.max` saturate where they are used.
public enum BaselineFile {
    public static func load(_ path: String) throws(ConfigurationError) -> Baseline {
        switch FileSystem.read(path) {
        case .success(let bytes): return try parse(bytes, file: path)
        case .failure(let problem): throw ConfigurationError(file: path, line: nil, message: problem.reason)
        }
    }

    /// The baseline `bytes` hold, as read from `path`.
    public static func parse(_ bytes: [UInt8], file path: String) throws(ConfigurationError) -> Baseline {
        let data = Data(bytes)
        func refusal(_ reason: String) -> ConfigurationError {
            ConfigurationError(file: path, line: nil, message: "not a nexlint baseline (\(reason))")
        }
        /// `entries.count`: the keys leading to a value, without the array positions.
        func field(_ path: [any CodingKey]) -> String {
            path.filter { $0.intValue == nil }.map(\.stringValue).joined(separator: ".")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let unsupported as UnsupportedVersion {
            throw ConfigurationError(file: path, line: nil, message: "baseline version \(unsupported.version) is not supported (expected 1)")
        } catch DecodingError.keyNotFound(let key, let context) where !context.codingPath.isEmpty {
            throw refusal("an entry lacks \(key.stringValue)")
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.count > 1,
                DecodingError.valueNotFound(_, let context) where context.codingPath.count > 1 {
            throw refusal("\(field(context.codingPath)) has the wrong type")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw refusal("\(field(context.codingPath)) is not a value nexlint wrote")
        } catch {
            throw refusal("expected the JSON that --write-baseline writes")
        }
        return Baseline(entries: document.entries.map {
            Baseline.Entry(file: $0.file, rule: $0.rule, subject: $0.subject, count: $0.count, digests: $0.digests)
        }, salt: document.salt)
    }

    private struct UnsupportedVersion: Error {
        var version: Int
    }

    /// Read in one pass: the version first, so that a baseline of another version is refused
    /// as such whatever its entries hold.
    private struct Document: Decodable {
        var salt: String?
        var entries: [Entry]

        private enum Keys: String, CodingKey {
            case version, salt, entries
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            let version = try container.decode(Int.self, forKey: .version)
            guard version == 1 else { throw UnsupportedVersion(version: version) }
            salt = try container.decodeIfPresent(String.self, forKey: .salt)
            entries = try container.decode([Entry].self, forKey: .entries)
        }

        struct Entry: Decodable {
            var file: String
            var rule: String
            var subject: String
            var count: Int
            var digests: [String]?
        }
    }
}
