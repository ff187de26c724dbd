import CLibXML2

/// Decoding of HTML character references (`&amp;`, `&#39;`, `&#x27;`) in text that did not pass
/// through the HTML parser: JSON-LD strings, regex results.
public enum HTMLEntities {
    /// `text` with every well-formed character reference replaced by its character. Named
    /// references use the HTML 4 table (as libxml2 knows it) plus `&apos;`; unknown names and
    /// malformed references are left as they are.
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var index = text.startIndex
        while let ampersand = text[index...].firstIndex(of: "&") {
            result += text[index..<ampersand]
            if let (scalar, end) = reference(in: text, at: ampersand) {
                result.unicodeScalars.append(scalar)
                index = end
            } else {
                result.append("&")
                index = text.index(after: ampersand)
            }
        }
        result += text[index...]
        return result
    }

    private static func reference(in text: String, at ampersand: String.Index) -> (UnicodeScalar, String.Index)? {
        let bodyStart = text.index(after: ampersand)
        guard let semicolon = text[bodyStart...].prefix(32).firstIndex(of: ";") else { return nil }
        let body = text[bodyStart..<semicolon]
        let end = text.index(after: semicolon)
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value else { return nil }
            return (UnicodeScalar(value) ?? "\u{FFFD}", end)
        }
        if body == "apos" { return ("'", end) }
        guard !body.isEmpty, let entity = htmlEntityLookup(String(body)),
            let scalar = UnicodeScalar(entity.pointee.value)
        else { return nil }
        return (scalar, end)
    }
}
