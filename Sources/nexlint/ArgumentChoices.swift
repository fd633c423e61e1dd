import ArgumentParser

/// An option whose values are an enumeration's raw strings. argument-parser's own lists of
/// such values go through generic descriptions of each case, and it asks for them eight times
/// while parsing a `lint` command line: about 1.3M instructions of a run's start, which is
/// spent before any file is read. The lists are the raw values either way.
public protocol ArgumentChoices: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {}

extension ArgumentChoices {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    /// No value has a description other than itself (what argument-parser's default finds).
    public static var allValueDescriptions: [String: String] { [:] }
}
