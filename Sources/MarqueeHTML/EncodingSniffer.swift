import Foundation

/// Picks the character encoding of an HTML page from its bytes and HTTP headers.
///
/// Order: byte-order mark → HTTP `Content-Type` charset → `<meta>` charset in the first 4 KiB →
/// UTF-8. A declaration is checked against the bytes: pages that declare a single-byte encoding
/// but are valid, non-ASCII UTF-8 are read as UTF-8, and pages that declare (or default to) UTF-8
/// but are mostly invalid UTF-8 are read as windows-1252, so extracted text has no mojibake.
/// Labels follow the WHATWG Encoding Standard: `iso-8859-1`, `latin1` and `us-ascii` mean
/// windows-1252.
public enum EncodingSniffer {
    /// How many leading bytes the `<meta>` prescan reads.
    public static let prescanLength = 4096

    /// Detects the encoding of `bytes`, given the HTTP `Content-Type` header if there was one.
    public static func detect(_ bytes: some Collection<UInt8>, contentType: String? = nil) -> DetectedEncoding {
        detectWithStatistics(bytes, contentType: contentType).encoding
    }

    /// ``detect(_:contentType:)``, plus the UTF-8 validity counts it computed on the way.
    static func detectWithStatistics(_ bytes: some Collection<UInt8>, contentType: String?) -> (
        encoding: DetectedEncoding, statistics: UTF8Stats?
    ) {
        if let bom = byteOrderMark(bytes) { return (DetectedEncoding(name: bom.name, source: .byteOrderMark), nil) }
        let statistics = UTF8Stats(bytes)
        return (decide(bytes, contentType: contentType, statistics: statistics), statistics)
    }

    private static func decide(_ bytes: some Collection<UInt8>, contentType: String?, statistics stats: UTF8Stats)
        -> DetectedEncoding
    {
        if let bom = byteOrderMark(bytes) { return DetectedEncoding(name: bom.name, source: .byteOrderMark) }

        var declaration: (label: String, source: DetectedEncoding.Source)?
        if let label = contentType.flatMap(charset(inContentType:)) {
            declaration = (label, .httpHeader)
        } else if let label = metaCharset(in: bytes.prefix(prescanLength)) {
            declaration = (label, .metaTag)
        }
        var declared = declaration.map { canonicalName(forLabel: $0.label) }
        // A <meta> that says UTF-16 was itself readable as ASCII, so the page is not UTF-16.
        if declaration?.source == .metaTag, declared?.hasPrefix("UTF-16") == true { declared = "UTF-8" }

        switch declared {
        case nil, "UTF-8":
            if stats.invalidSequences > 0, stats.multibyteSequences < stats.invalidSequences {
                return DetectedEncoding(name: "windows-1252", source: .content, declared: declaration?.label)
            }
            if let declaration { return DetectedEncoding(name: "UTF-8", source: declaration.source, declared: nil) }
            return DetectedEncoding(name: "UTF-8", source: .fallback)
        case let name? where name.hasPrefix("UTF-16") || name.hasPrefix("UTF-32"):
            return DetectedEncoding(name: name, source: declaration!.source)
        case let name?:
            if stats.invalidSequences == 0, stats.multibyteSequences > 0 {
                return DetectedEncoding(name: "UTF-8", source: .content, declared: declaration!.label)
            }
            let label = declaration!.label
            return DetectedEncoding(
                name: name, source: declaration!.source,
                declared: label.caseInsensitiveEquals(name) ? nil : label)
        }
    }

    /// The encoding named by a byte-order mark, and the mark's length.
    public static func byteOrderMark(_ bytes: some Collection<UInt8>) -> (name: String, length: Int)? {
        let head = Array(bytes.prefix(3))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", 3) }
        if head.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", 2) }
        if head.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", 2) }
        return nil
    }

    /// The `charset` parameter of a `Content-Type` value: `text/html; charset="ISO-8859-1"` → `ISO-8859-1`.
    public static func charset(inContentType value: String) -> String? {
        for parameter in value.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2,
                parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset"
            else { continue }
            let label = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\"", "'"])
            return label.isEmpty ? nil : label
        }
        return nil
    }

    /// The first occurrence of `needle` in `haystack` (memchr for its first byte, then memcmp;
    /// Foundation's generic `firstRange(of:)` was a tenth of a crawl's CPU time).
    static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let offset: Int? = haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let base = hay.baseAddress!, last = hay.count - pin.count
                var position = 0
                while position <= last {
                    guard let found = memchr(base + position, Int32(pin[0]), last - position + 1) else { return nil }
                    position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + position, pin.baseAddress!, pin.count) == 0 { return position }
                    position += 1
                }
                return nil
            }
        }
        return offset.map { haystack.startIndex + $0..<haystack.startIndex + $0 + needle.count }
    }

    /// The charset declared by the first `<meta charset=…>` or `<meta http-equiv … content="…; charset=…">`
    /// in `bytes`, read as ASCII.
    public static func metaCharset(in bytes: some Collection<UInt8>) -> String? {
        let lowered = Array(bytes.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 })
        var index = 0
        while let tagStart = firstRange(of: Array("<meta".utf8), in: lowered[index...]) {
            let tagEnd = lowered[tagStart.upperBound...].firstIndex(of: UInt8(ascii: ">")) ?? lowered.count
            let tag = lowered[tagStart.upperBound..<tagEnd]
            if let found = firstRange(of: Array("charset".utf8), in: tag) {
                var cursor = found.upperBound
                func skipSpaces() {
                    while cursor < tag.endIndex, tag[cursor] == 0x20 || tag[cursor] == 0x09 { cursor += 1 }
                }
                skipSpaces()
                if cursor < tag.endIndex, tag[cursor] == UInt8(ascii: "=") {
                    cursor += 1
                    skipSpaces()
                    while cursor < tag.endIndex, tag[cursor] == UInt8(ascii: "\"") || tag[cursor] == UInt8(ascii: "'") {
                        cursor += 1
                    }
                    let start = cursor
                    while cursor < tag.endIndex, isLabelByte(tag[cursor]) { cursor += 1 }
                    if cursor > start { return String(decoding: tag[start..<cursor], as: UTF8.self) }
                }
            }
            index = tagEnd
        }
        return nil
    }

    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    /// Maps an encoding label to the name Marquee decodes with (WHATWG aliases for the common cases).
    public static func canonicalName(forLabel label: String) -> String {
        let key = label.trimmingCharacters(in: .whitespaces).lowercased()
        switch key {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "UTF-8"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "ascii", "us-ascii", "windows-1252",
            "cp1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100", "csisolatin1":
            return "windows-1252"
        case "utf-16", "utf-16le", "unicode", "ucs-2": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        case "shift_jis", "sjis", "x-sjis", "ms_kanji", "windows-31j": return "SHIFT_JIS"
        case "gb2312", "gbk", "x-gbk", "chinese": return "GBK"
        default: return key.uppercased()
        }
    }
}

/// Counts well-formed multibyte UTF-8 sequences and invalid bytes in a buffer.
struct UTF8Stats {
    var multibyteSequences = 0
    var invalidSequences = 0

    init(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { count($0) }
        if handled == nil { Array(bytes).withUnsafeBufferPointer { count($0) } }
    }

    private mutating func count(_ buffer: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let end = buffer.count
        let base = buffer.baseAddress
        while index < end {
            // ASCII runs, eight bytes at a time: most of an HTML page is ASCII markup.
            while index + 8 <= end,
                UnsafeRawPointer(base! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < end else { break }
            let lead = buffer[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var minimum: UInt32 = 0
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07); minimum = 0x10000
            default:
                invalidSequences += 1
                index += 1
                continue
            }
            var valid = index + length <= end
            if valid {
                for offset in 1..<length {
                    let byte = buffer[index + offset]
                    if byte & 0xC0 != 0x80 {
                        valid = false
                        break
                    }
                    scalar = scalar << 6 | UInt32(byte & 0x3F)
                }
            }
            if valid, scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) {
                multibyteSequences += 1
                index += length
            } else {
                invalidSequences += 1
                index += 1
            }
        }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
