import NexlintCore

/// Reads a baseline written by `--write-baseline`.
public enum BaselineFile {
    public static func load(_ path: String) throws(ConfigurationError) -> Baseline {
        switch FileSystem.read(path) {
        case .success(let bytes): return try parse(bytes, file: path)
        case .failure(let problem): throw ConfigurationError(file: path, line: nil, message: problem.reason)
        }
    }

    /// The baseline `bytes` hold, as read from `path`.
    public static func parse(_ bytes: [UInt8], file path: String) throws(ConfigurationError) -> Baseline {
        guard let document = JSONValue.parse(bytes), case .int(let version)? = document["version"],
              case .array(let entries)? = document["entries"] else {
            throw ConfigurationError(file: path, line: nil, message: "not a nexlint baseline (expected the JSON that --write-baseline writes)")
        }
        guard version == 1 else {
            throw ConfigurationError(file: path, line: nil, message: "baseline version \(version) is not supported (expected 1)")
        }
        var read: [Baseline.Entry] = []
        for entry in entries {
            guard case .string(let file)? = entry["file"], case .string(let rule)? = entry["rule"],
                  case .string(let subject)? = entry["subject"], case .int(let count)? = entry["count"] else {
                throw ConfigurationError(file: path, line: nil, message: "not a nexlint baseline (an entry lacks file, rule, subject or count)")
            }
            var digests: [String]?
            if let listed = entry["digests"] {
                guard case .array(let values) = listed else {
                    throw ConfigurationError(file: path, line: nil, message: "not a nexlint baseline (an entry's digests are not a list)")
                }
                digests = try values.map { value throws(ConfigurationError) in
                    guard case .string(let digest) = value else {
                        throw ConfigurationError(file: path, line: nil, message: "not a nexlint baseline (a digest is not a string)")
                    }
                    return digest
                }
            }
            read.append(Baseline.Entry(file: file, rule: rule, subject: subject, count: count, digests: digests))
        }
        var salt: String?
        if case .string(let value)? = document["salt"] { salt = value }
        return Baseline(entries: read, salt: salt)
    }
}
