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

/// What a channel's ``Channel/ResolutionCache`` knows of each slot, and the parsed service account.
private struct ResolutionState {
    enum Slot: UInt8 { case pending, unresolved, resolved }
    typealias Slots = InlineArray<12, Slot>
    var slots = Slots(repeating: .pending)
    var account: Channel.ServiceAccountParse?? = nil
}

/// A connection under `<ChannelConnections>` of one file of a deployment unit. A reference
/// type: built once per unit, read by every rule, on the thread that checks the unit.
public final class Channel {
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

    /// Its first attributes' values, each resolved when a rule first asks for it (by the index
    /// of the attribute on the element): the rules ask for the same few attributes of a channel
    /// again and again, and a resolution copies the value out of the document and scans it for
    /// references. Later attributes (rare) are resolved at each request, as are those of
    /// channels other than HTTP connections (nil here), which no rule asks about more than
    /// once: a repository has tens of thousands of those, and the slots would more than double
    /// their size.
    private let resolved: ResolutionCache?

    /// The slots, in one allocation with the cache, and the `user` parsed as a service account,
    /// which two rules read (nil until asked). The texts are tail-allocated and only those
    /// resolved are freed: a stored array of slots cost ~560 instructions to make and as much
    /// to destroy, and an inline array of them ~830 to destroy (generic witnesses, element by
    /// element, most of them never used). No lock: a unit and its channels are made, read and
    /// freed by the one thread that checks the unit, which is why neither is `Sendable` (a lock
    /// taken and released at each of some 50 reads a file cost two atomic operations each).
    private final class ResolutionCache: ManagedBuffer<ResolutionState, String> {
        static var slotCount: Int { ResolutionState.Slots.count }

        static func make() -> ResolutionCache {
            unsafeDowncast(create(minimumCapacity: slotCount) { _ in ResolutionState() }, to: ResolutionCache.self)
        }

        deinit {
            withUnsafeMutablePointers { state, texts in
                for index in 0..<Self.slotCount where state.pointee.slots[index] == .resolved {
                    (texts + index).deinitialize(count: 1)
                }
            }
        }

        /// The value kept in slot `index`, or nil while it is pending. This and ``keep(_:at:)``
        /// are called, not inlined, and take no closure: so they borrow the cache the channel
        /// holds, where a read inlined with the resolution as a closure retained and released
        /// the cache, the element and the source around each (atomic operations all, costlier
        /// than the read).
        @inline(never)
        func kept(at index: Int) -> AttributeValue? {
            withUnsafeMutablePointers { state, texts in
                switch state.pointee.slots[index] {
                case .resolved: .value(texts[index])
                case .unresolved: .unresolved
                case .pending: nil
                }
            }
        }

        /// Keeps `value`, just resolved, in slot `index`.
        @inline(never)
        func keep(_ value: AttributeValue, at index: Int) {
            withUnsafeMutablePointers { state, texts in
                switch value {
                case .value(let text):
                    (texts + index).initialize(to: text)
                    state.pointee.slots[index] = .resolved
                case .unresolved:
                    state.pointee.slots[index] = .unresolved
                case .absent:
                    // Never kept: a slot is only asked for an attribute that is there.
                    break
                }
            }
        }

        /// The service account, parsed by `parse` the first time.
        func serviceAccount(_ parse: () -> ServiceAccountParse?) -> ServiceAccountParse? {
            if let parsed = header.account { return parsed }
            let parsed = parse()
            header.account = parsed
            return parsed
        }
    }

    public typealias ServiceAccountParse = Result<ServiceAccountUser, ServiceAccountUser.Problem>

    public var file: String { source.file }
    public var properties: PropertyResolver { source.properties }
    /// Its file was converted to UTF-8 for parsing, so byte offsets are not the file's.
    public var isInTranscodedFile: Bool { source.isInTranscodedFile }

    /// An HTTP connection's url with what was made of it, kept for the next channel of the
    /// file: most of a file's Exchange channels share one EWS URL, and parsing it again cost
    /// each of them ~1,000 instructions (a string comparison is a few dozen).
    struct ParsedURL {
        let text: String
        let address: WebAddress?
        let cloud: MicrosoftCloud?

        init(_ text: String) {
            self.text = text
            address = WebAddress(text)
            // `outlook.office365.com/EWS/Exchange.asmx` (no scheme) still names Exchange Online.
            cloud = address.map { $0.withHostBytes(ExchangeOnline.cloud(ofEWSHostBytes:)) } ?? ExchangeOnline.cloud(ofURLWithoutScheme: text)
        }
    }

    /// `previousURL` is the url parsed for an earlier channel of the same file, if any; it is
    /// left holding this channel's.
    init(source: consuming ChannelSource, element: consuming NexJElement, syncSenders: Set<String>, previousURL: inout ParsedURL?) {
        // Everything is worked out from the arguments, which the channel then takes over as its
        // last use of them. Stored first and read back, the source and the element were each
        // retained and released again around the look-ups: eight atomic counts a channel, each
        // dearer than the instructions around it (README, "Performance").
        let isHTTP = element.isNamed("HTTPConnection")
        let resolved = isHTTP ? ResolutionCache.make() : nil
        let name: String? = switch Self.value(of: "channel", in: element, source: source, cache: resolved) {
        case .value(let resolvedName): resolvedName
        case .unresolved: element["channel"]
        case .absent: nil
        }
        var url: WebAddress?, cloud: MicrosoftCloud?
        if isHTTP, case .value(let text) = Self.value(of: "url", in: element, source: source, cache: resolved) {
            // Compared and read in place: the parse taken out as a value of its own (its text
            // and address retained, then released) cost three atomic counts more a channel.
            if previousURL?.text != text { previousURL = ParsedURL(text) }
            url = previousURL?.address
            cloud = previousURL?.cloud
        }
        isExchangeOnline = isHTTP && (cloud != nil
            || Self.value(of: "authComponent", in: element, source: source, cache: resolved) == .value(ExchangeOnline.authComponent)
            || name.map(syncSenders.contains) ?? false)
        self.isHTTP = isHTTP
        self.resolved = resolved
        self.name = name
        self.url = url
        self.cloud = cloud
        self.source = consume source
        self.element = consume element
    }

    public subscript(attribute: String) -> AttributeValue {
        Self.value(of: attribute, in: element, source: source, cache: resolved)
    }

    private static func value(of attribute: String, in element: NexJElement, source: ChannelSource,
                              cache: ResolutionCache?) -> AttributeValue {
        guard let index = element.xml.attributeIndex(named: attribute) else { return .absent }
        guard let cache, index < ResolutionCache.slotCount else { return resolution(ofAttributeAt: index, in: element, source: source) }
        if let kept = cache.kept(at: index) { return kept }
        let value = resolution(ofAttributeAt: index, in: element, source: source)
        cache.keep(value, at: index)
        return value
    }

    /// The resolver is reached through `source` only when a value is resolved: copying it out
    /// retains its parts, which a look-up of a known value need not pay.
    private static func resolution(ofAttributeAt index: Int, in element: NexJElement, source: ChannelSource) -> AttributeValue {
        source.properties.resolve(element.xml.valueOfAttribute(at: index)).map { .value($0.text) } ?? .unresolved
    }

    /// Whether the attribute is there and its value as written starts with `prefix`, compared
    /// in place. A rule asks before resolving a value it would only set aside: a `master:`
    /// password stays encrypted however it resolves, and need not be copied out.
    public func attribute(_ name: String, hasPrefix prefix: StaticString) -> Bool {
        withBytesAsWritten(of: name) { $0.hasPrefix(prefix) } ?? false
    }

    /// Whether the attribute's value as written is `expected`, byte for byte, with no property
    /// reference in it (so it resolves to itself), compared in place. False tells no more:
    /// the value may still resolve to `expected`.
    public func attribute(_ name: String, isLiterally expected: String) -> Bool {
        withBytesAsWritten(of: name) { value in
            ASCII.withBytes(of: expected) { ASCII.equal(value, $0) } && !PropertyReference.mayOccur(inUTF8: value)
        } ?? false
    }

    /// The attribute's value as written, lent in place; nil when there is no such attribute.
    private func withBytesAsWritten(of name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        guard let index = element.xml.attributeIndex(named: name) else { return nil }
        return element.xml.withValueBytesOfAttribute(at: index, body)
    }

    /// Its `user` parsed as a service account (`<application ID>:<mailbox>`), when it has a
    /// value: parsed once for the rules that judge it.
    public var serviceAccount: ServiceAccountParse? {
        func parse() -> ServiceAccountParse? {
            guard case .value(let user) = self["user"] else { return nil }
            return ServiceAccountUser.parse(user)
        }
        guard let resolved else { return parse() }
        return resolved.serviceAccount(parse)
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
}
