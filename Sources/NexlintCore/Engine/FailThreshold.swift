/// The lowest severity that fails a run (`--fail-on`, config `fail-on:`).
public enum FailThreshold: String, Sendable, CaseIterable {
    case error, warning, note, never

    public func isExceeded(by findings: [Finding]) -> Bool {
        guard let threshold = Severity(rawValue: rawValue) else { return false }
        return findings.contains { $0.severity >= threshold }
    }
}
