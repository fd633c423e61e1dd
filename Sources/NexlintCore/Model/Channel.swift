import NexlintXML

/// An attribute value after property resolution.
public enum AttributeValue: Sendable, Equatable {
    case absent
    case value(String)
    /// It refers to a property nothing defines (NXJ004 reports it; value rules skip it).
    case unresolved
}

/// How a channel authenticates, from its `authentication` attribute (case-sensitive values).
public enum AuthenticationMode: Sendable, Equatable {
    /// `basic`, `proactive`, or no attribute (whose default is basic); the value as written.
    case basic(String?)
    case custom
    case other(String)
    case unresolved
}

/// What the channels of one file of a unit share, held once rather than by each channel.
final class ChannelSource: Sendable {
    let file: String
    let properties: PropertyResolver
    let isInTranscodedFile: Bool

    init(file: String, properties: PropertyResolver, isInTranscodedFile: Bool) {
        self.file = file
        self.properties = properties
        self.isInTranscodedFile = isInTranscodedFile
    }
}

/// A connection under `<ChannelConnections>` of one file of a deployment unit. A reference
/// type: built once per unit, read by every rule.
public final class Channel: Sendable {
    private let source: ChannelSource
    public let element: NexJElement
    /// An `HTTPConnection` that talks to Exchange Online (spec §1).
    public let isExchangeOnline: Bool
    /// The channel's name (resolved when it can be).
    public let name: String?
    /// An `HTTPConnection` (what Exchange channels are).
    public let isHTTP: Bool
    /// An HTTP connection's `url`, resolved and parsed, when it is an absolute URL: parsed
    /// once here for every rule that judges it.
    public let url: WebAddress?
    /// The Microsoft cloud whose Exchange Online EWS host the `url` names, if it names one
    /// (with or without a scheme).
    public let cloud: MicrosoftCloud?

    public var file: String { source.file }
    public var properties: PropertyResolver { source.properties }
    /// Its file was converted to UTF-8 for parsing, so byte offsets are not the file's.
    public var isInTranscodedFile: Bool { source.isInTranscodedFile }

    init(source: ChannelSource, element: NexJElement, syncSenders: Set<String>) {
        self.source = source
        self.element = element
        let properties = source.properties
        let name = element["channel"].map { raw in properties.resolve(raw)?.text ?? raw }
        self.name = name
        isHTTP = element.isNamed("HTTPConnection")
        var cloud: MicrosoftCloud?
        if isHTTP, case .value(let text) = Self.value(of: "url", in: element, properties: properties) {
            url = WebAddress(text)
            // `outlook.office365.com/EWS/Exchange.asmx` (no scheme) still names Exchange Online.
            cloud = url.map { ExchangeOnline.cloud(ofEWSHost: $0.host) } ?? ExchangeOnline.cloud(ofURLWithoutScheme: text)
        } else {
            url = nil
        }
        self.cloud = cloud
        isExchangeOnline = isHTTP && Self.talksToExchangeOnline(element, properties: properties, cloud: cloud, name: name,
                                                                 syncSenders: syncSenders)
    }

    public subscript(attribute: String) -> AttributeValue {
        Self.value(of: attribute, in: element, properties: properties)
    }

    private static func value(of attribute: String, in element: NexJElement, properties: PropertyResolver) -> AttributeValue {
        guard let raw = element[attribute] else { return .absent }
        return properties.resolve(raw).map { .value($0.text) } ?? .unresolved
    }

    /// `enabled="false"` (or `0`) switches a connection off.
    public var isEnabled: Bool {
        guard case .value(let enabled) = self["enabled"] else { return true }
        return enabled != "false" && enabled != "0"
    }

    /// An enabled Exchange Online channel: what most EXO rules look at.
    public var isActiveExchangeOnline: Bool { isExchangeOnline && isEnabled }

    public var authentication: AuthenticationMode {
        switch self["authentication"] {
        case .absent: .basic(nil)
        case .unresolved: .unresolved
        case .value(let mode) where mode == "basic" || mode == "proactive": .basic(mode)
        case .value("custom"): .custom
        case .value(let mode): .other(mode)
        }
    }

    public var usesBasicAuthentication: Bool {
        if case .basic = authentication { return true }
        return false
    }

    /// A fix setting these attributes on the channel's start tag, or nil when it cannot be
    /// applied safely: the file is not UTF-8, or a value to replace comes from a property
    /// (rewriting it would replace the reference with a literal).
    public func fix(setting values: [AttributeValueChange]) -> Fix? {
        guard !isInTranscodedFile,
              values.allSatisfy({ element[$0.name].map { PropertyReference.all(in: $0).isEmpty } ?? true }) else { return nil }
        return Fix(file: file, element: element.name, tagBytes: element.startTagBytes, values: values)
    }

    private static func talksToExchangeOnline(_ element: NexJElement, properties: PropertyResolver, cloud: MicrosoftCloud?,
                                              name: String?, syncSenders: Set<String>) -> Bool {
        if cloud != nil { return true }
        if case .value(ExchangeOnline.authComponent) = value(of: "authComponent", in: element, properties: properties) { return true }
        return name.map(syncSenders.contains) ?? false
    }
}
