import NexlintCore

/// Reading `.nexlint.yml` (spec §4). Paths in it are relative to the file's directory.
extension Configuration {
    public static let keys = ["rules", "exclude", "sync-targets", "properties", "fail-on", "baseline"]
    public static let ruleSettings = ["off"] + Severity.allCases.map(\.rawValue).reversed()

    public static func load(_ file: String, ruleIdentifiers: [String], workingDirectory: String) throws(ConfigurationError) -> Configuration {
        switch FileSystem.read(file) {
        case .success(let bytes): return try parse(bytes, file: file, ruleIdentifiers: ruleIdentifiers, workingDirectory: workingDirectory)
        case .failure(let problem): throw ConfigurationError(file: file, line: nil, message: problem.reason)
        }
    }

    /// The configuration `bytes` state, as read from `file` (whose directory paths are relative to).
    public static func parse(_ bytes: [UInt8], file: String, ruleIdentifiers: [String], workingDirectory: String) throws(ConfigurationError) -> Configuration {
        let text = String(decoding: bytes, as: UTF8.self)
        let root: Node?
        do {
            root = try ConfigurationYAML.parse(text)
        } catch {
            throw ConfigurationError(file: file, line: error.line, message: "invalid YAML: \(error.problem)")
        }
        let reader = Reader(file: file, ruleIdentifiers: ruleIdentifiers,
                            base: PathNames.directory(of: PathNames.absolute(file, base: workingDirectory)),
                            workingDirectory: workingDirectory)
        var configuration = try reader.read(root)
        configuration.file = file
        return configuration
    }
}

extension ConfigurationError {
    init(file: String, at node: Node, message: String) {
        self.init(file: file, line: node.line, message: message)
    }
}

typealias Node = ConfigurationYAML.Node

private struct Reader {
    var file: String
    var ruleIdentifiers: [String]
    /// The configuration file's directory, absolute.
    var base: String
    var workingDirectory: String

    func read(_ root: Node?) throws(ConfigurationError) -> Configuration {
        var configuration = Configuration()
        guard let root else { return configuration }
        guard case .mapping(let mapping, _) = root else {
            throw fail(root, "the configuration must be a mapping with the keys \(Configuration.keys.joined(separator: ", "))")
        }
        for (keyNode, value) in mapping {
            let key = try string(keyNode, "a key")
            switch key {
            case "rules":
                for (idNode, settingNode) in try self.mapping(value, "rules") {
                    // Rule IDs are read in any case, as on the command line and in suppressions.
                    let id = try string(idNode, "a rule ID").uppercased()
                    guard ruleIdentifiers.contains(id) else { throw fail(idNode, "unknown rule `\(id)`" + nearest(id, ruleIdentifiers)) }
                    let setting = try string(settingNode, "off or a severity")
                    if setting == "off" {
                        configuration.disabledRules.append(id)
                    } else if let severity = Severity(rawValue: setting) {
                        configuration.severities[id] = severity
                    } else {
                        throw fail(settingNode, "`\(setting)` is not a rule setting (\(Configuration.ruleSettings.joined(separator: ", ")))" + nearest(setting, Configuration.ruleSettings))
                    }
                }
            case "exclude":
                let patterns = try strings(value, "exclude")
                configuration.exclude = PathFilter(patterns: patterns, base: base)
            case "sync-targets":
                configuration.syncTargets = try strings(value, "sync-targets").map(usablePath)
            case "baseline":
                configuration.baseline = usablePath(try string(value, "a baseline file"))
            case "properties":
                for (nameNode, valueNode) in try self.mapping(value, "properties") {
                    configuration.properties[try string(nameNode, "a property name")] = try string(valueNode, "a property value")
                }
            case "fail-on":
                let setting = try string(value, "a severity or never")
                guard let threshold = FailThreshold(rawValue: setting) else {
                    let names = FailThreshold.allCases.map(\.rawValue)
                    throw fail(value, "`\(setting)` is not a fail-on value (\(names.joined(separator: ", ")))" + nearest(setting, names))
                }
                configuration.failOn = threshold
            default:
                throw fail(keyNode, "unknown key `\(key)`" + nearest(key, Configuration.keys))
            }
        }
        return configuration
    }

    /// A path written relative to the configuration file, as the working directory reaches it.
    private func usablePath(_ entry: String) -> String {
        PathNames.relative(PathNames.absolute(entry, base: base), to: PathNames.normalized(workingDirectory))
    }

    private func fail(_ node: Node, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, at: node, message: message)
    }

    private func nearest(_ word: String, _ candidates: [String]) -> String {
        Spelling.nearest(to: word, in: candidates).map { "; did you mean `\($0)`?" } ?? ""
    }

    private func string(_ node: Node, _ what: String) throws(ConfigurationError) -> String {
        guard case .scalar(let text, _) = node else { throw fail(node, "expected \(what), not a list or mapping") }
        return text
    }

    private func strings(_ node: Node, _ key: String) throws(ConfigurationError) -> [String] {
        guard case .sequence(let sequence, _) = node else { throw fail(node, "`\(key)` must be a list") }
        var result: [String] = []
        for element in sequence { result.append(try string(element, "a path")) }
        return result
    }

    private func mapping(_ node: Node, _ key: String) throws(ConfigurationError) -> [(key: Node, value: Node)] {
        guard case .mapping(let mapping, _) = node else { throw fail(node, "`\(key)` must be a mapping") }
        return mapping
    }
}
