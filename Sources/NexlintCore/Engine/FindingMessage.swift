/// A finding's message as a rule writes it — `"`${\(name)}` is undefined"` — kept as its
/// pieces (the literal text and the values between) and joined only when shown. A file can
/// give tens of thousands of findings: the text reporter copies the pieces straight into its
/// output, so most messages are never made into a `String` at all.
public struct FindingMessage: Sendable, Hashable, Comparable, ExpressibleByStringInterpolation {
    /// The channel named before the rule's words (``naming(channel:element:)``): held as the
    /// name alone, its literal pieces being the program's. Putting it in front of the rule's
    /// pieces made a second array for a third of a legacy repository's findings, about 1,500
    /// instructions each.
    private var lead = Lead.none
    /// The rule's pieces, in order; literals are the program's own constants, so holding them
    /// costs nothing.
    private let body: MessagePieces

    private enum Lead: Sendable {
        case none
        case channel(name: String)
        case unnamedChannel(element: String)

        /// Its text, in three pieces.
        var pieces: (String, String, String)? {
            switch self {
            case .none: nil
            case .channel(let name): ("channel `", name, "`: ")
            case .unnamedChannel(let element): ("<", element, "> without a channel name: ")
            }
        }

        var pieceCount: Int {
            if case .none = self { 0 } else { 3 }
        }
    }

    public init(_ text: String) {
        body = MessagePieces(text)
    }

    public init(stringLiteral value: String) {
        body = MessagePieces(value)
    }

    public init(stringInterpolation: StringInterpolation) {
        body = stringInterpolation.pieces
    }

    /// The message after the channel it is about: "channel `EWS`: …", or "<HTTPConnection>
    /// without a channel name: …" for a channel without one.
    consuming func naming(channel name: String?, element: String) -> FindingMessage {
        if case .none = lead {
            lead = name.map { .channel(name: $0) } ?? .unnamedChannel(element: element)
            return consume self
        }
        return name.map { "channel `\($0)`: \(self)" } ?? "<\(element)> without a channel name: \(self)"
    }

    public var pieceCount: Int { lead.pieceCount + body.count }

    /// Each piece in order: for a writer, which looks at every piece once. The pieces are
    /// lent where they lie, the lead's by a switch and the body's one by one: the lead taken
    /// out as a tuple of three strings, and the body by index, cost a SARIF report about 270
    /// instructions a finding more.
    @inline(__always)
    public func forEachPiece(_ visit: (String) -> Void) {
        switch lead {
        case .none:
            break
        case .channel(let name):
            visit("channel `")
            visit(name)
            visit("`: ")
        case .unnamedChannel(let element):
            visit("<")
            visit(element)
            visit("> without a channel name: ")
        }
        body.forEach(visit)
    }

    /// The piece at `index` (below ``pieceCount``).
    public subscript(piece index: Int) -> String {
        guard let leading = lead.pieces else { return body[index] }
        return switch index {
        case 0: leading.0
        case 1: leading.1
        case 2: leading.2
        default: body[index - 3]
        }
    }

    public static func == (lhs: FindingMessage, rhs: FindingMessage) -> Bool {
        order(lhs, rhs) == .same
    }

    /// Ordered as their texts are (findings on one element sort by message).
    public static func < (lhs: FindingMessage, rhs: FindingMessage) -> Bool {
        order(lhs, rhs) == .ascending
    }

    enum Order { case ascending, same, descending }

    /// The texts' order, found without joining them: piece by piece where their pieces line up,
    /// otherwise run by run of bytes. Where a non-ASCII byte is involved (at the difference or
    /// just after it, as a combining mark there changes the character before it), `String`'s
    /// own comparison by canonical equivalence decides on the joined texts, so the order is
    /// exactly the texts' order.
    static func order(_ lhs: FindingMessage, _ rhs: FindingMessage) -> Order {
        // Messages of one rule share their literal pieces: the first piece that differs
        // usually decides, at a byte of its own, without walking the texts.
        var index = 0
        while index < lhs.pieceCount, index < rhs.pieceCount {
            switch pieceOrder(lhs, rhs, index) {
            case .identical: index += 1
            case .decided(let order): return order
            case .undecided: return textOrder(lhs, rhs, fromPiece: index)
            }
        }
        return textOrder(lhs, rhs, fromPiece: index)
    }

    private enum PieceOrder { case identical, decided(Order), undecided }

    /// The pieces at one index, at the same offset of their texts: identical bytes, or an
    /// ASCII byte that differs with ASCII after it in both texts (so no combining mark can
    /// change it), or undecided (the texts decide from here).
    private static func pieceOrder(_ lhs: FindingMessage, _ rhs: FindingMessage, _ piece: Int) -> PieceOrder {
        lhs[piece: piece].utf8.withContiguousStorageIfAvailable { left in
            rhs[piece: piece].utf8.withContiguousStorageIfAvailable { right -> PieceOrder in
                let run = min(left.count, right.count)
                for index in 0..<run {
                    let (a, b) = (left[index], right[index])
                    if a >= 0x80 || b >= 0x80 { return .undecided }
                    guard a != b else { continue }
                    let after = index + 1
                    let next = (after < left.count ? left[after] : lhs.firstByte(after: piece) ?? 0,
                                after < right.count ? right[after] : rhs.firstByte(after: piece) ?? 0)
                    guard next.0 < 0x80, next.1 < 0x80 else { return .undecided }
                    return .decided(a < b ? .ascending : .descending)
                }
                return left.count == right.count ? .identical : .undecided
            } ?? .undecided
        } ?? .undecided
    }

    /// The first byte of the text after a piece; nil at the end.
    private func firstByte(after piece: Int) -> UInt8? {
        for next in (piece + 1)..<pieceCount {
            if let byte = self[piece: next].utf8.first { return byte }
        }
        return nil
    }

    /// From the start of a piece both texts reach at the same offset.
    private static func textOrder(_ lhs: FindingMessage, _ rhs: FindingMessage, fromPiece piece: Int) -> Order {
        func byTexts() -> Order {
            let (left, right) = (lhs.text, rhs.text)
            return left == right ? .same : left < right ? .ascending : .descending
        }
        enum Step { case same, differs(at: Int), nonASCII }
        var (left, leftOffset, right, rightOffset) = (piece, 0, piece, 0)
        while true {
            (left, leftOffset) = lhs.skippingEnds(left, leftOffset)
            (right, rightOffset) = rhs.skippingEnds(right, rightOffset)
            switch (left < lhs.pieceCount, right < rhs.pieceCount) {
            case (false, false): return .same
            case (false, true): return rhs.byte(right, rightOffset)! < 0x80 ? .ascending : byTexts()
            case (true, false): return lhs.byte(left, leftOffset)! < 0x80 ? .descending : byTexts()
            case (true, true): break
            }
            let (leftBytes, rightBytes) = (lhs[piece: left].utf8, rhs[piece: right].utf8)
            let run = min(leftBytes.count - leftOffset, rightBytes.count - rightOffset)
            let step = leftBytes.withContiguousStorageIfAvailable { leftBuffer in
                rightBytes.withContiguousStorageIfAvailable { rightBuffer -> Step in
                    for index in 0..<run {
                        let (a, b) = (leftBuffer[leftOffset + index], rightBuffer[rightOffset + index])
                        if a >= 0x80 || b >= 0x80 { return .nonASCII }
                        if a != b { return .differs(at: index) }
                    }
                    return .same
                }
            } ?? nil
            switch step {
            case .same?:
                leftOffset += run
                rightOffset += run
            case .differs(let index)?:
                let following = [lhs.byte(left, leftOffset + index + 1), rhs.byte(right, rightOffset + index + 1)]
                guard following.allSatisfy({ ($0 ?? 0) < 0x80 }) else { return byTexts() }
                return lhs.byte(left, leftOffset + index)! < rhs.byte(right, rightOffset + index)! ? .ascending : .descending
            case .nonASCII?, nil:
                return byTexts()
            }
        }
    }

    /// The position past any pieces that end at it.
    private func skippingEnds(_ piece: Int, _ offset: Int) -> (Int, Int) {
        var (piece, offset) = (piece, offset)
        while piece < pieceCount, offset >= self[piece: piece].utf8.count {
            (piece, offset) = (piece + 1, offset - self[piece: piece].utf8.count)
        }
        return (piece, offset)
    }

    /// The byte at an offset from a piece's start, running on into the next pieces; nil past the end.
    private func byte(_ piece: Int, _ offset: Int) -> UInt8? {
        let (piece, offset) = skippingEnds(piece, offset)
        guard piece < pieceCount else { return nil }
        let bytes = self[piece: piece].utf8
        return bytes[bytes.index(bytes.startIndex, offsetBy: offset)]
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
    }

    /// The message as one string.
    public var text: String {
        if case .none = lead, body.count == 1 { return body[0] }
        var text = ""
        forEachPiece { text += $0 }
        return text
    }

    /// Inlinable, so that a rule's message is put together where the rule writes it: a call
    /// into this module for each piece cost about 80 instructions a literal, and inlined, a
    /// literal is seen not to be empty where it is written.
    public struct StringInterpolation: StringInterpolationProtocol {
        @usableFromInline var pieces = MessagePieces()

        @inlinable
        public init(literalCapacity: Int, interpolationCount: Int) {}

        @inlinable @inline(__always)
        public mutating func appendLiteral(_ literal: String) {
            append(literal)
        }

        @inlinable @inline(__always)
        public mutating func appendInterpolation(_ value: String) {
            append(value)
        }

        public mutating func appendInterpolation(_ message: FindingMessage) {
            message.forEachPiece { append($0) }
        }

        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            append(value.description)
        }

        /// An empty piece adds nothing to the text, and a piece costs a finding something to
        /// make, report and free: none is kept.
        @inlinable @inline(__always)
        mutating func append(_ piece: String) {
            if !piece.isEmpty { pieces.append(piece) }
        }
    }
}

/// A message's pieces: the first five held in place, any more in an array. A rule's message
/// has five at most, and an array of its own cost each finding an allocation, and a walk
/// through generic witnesses when it was freed (about 500 instructions a finding).
@usableFromInline
struct MessagePieces: Sendable {
    @usableFromInline private(set) var count = 0
    @usableFromInline var first = "", second = "", third = "", fourth = "", fifth = ""
    @usableFromInline var more: [String] = []

    private static var inPlace: Int { 5 }

    @inlinable
    init() {}

    init(_ piece: String) {
        first = piece
        count = 1
    }

    @inlinable @inline(__always)
    mutating func append(_ piece: String) {
        switch count {
        case 0: first = piece
        case 1: second = piece
        case 2: third = piece
        case 3: fourth = piece
        case 4: fifth = piece
        default: more.append(piece)
        }
        count += 1
    }

    subscript(index: Int) -> String {
        switch index {
        case 0: first
        case 1: second
        case 2: third
        case 3: fourth
        case 4: fifth
        default: more[index - Self.inPlace]
        }
    }

    @inline(__always)
    func forEach(_ visit: (String) -> Void) {
        guard count > 0 else { return }
        visit(first)
        guard count > 1 else { return }
        visit(second)
        guard count > 2 else { return }
        visit(third)
        guard count > 3 else { return }
        visit(fourth)
        guard count > 4 else { return }
        visit(fifth)
        guard count > Self.inPlace else { return }
        more.withUnsafeBufferPointer { pieces in
            for index in pieces.indices { visit(pieces[index]) }
        }
    }
}
