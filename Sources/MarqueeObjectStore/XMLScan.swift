import Foundation

/// Reads the flat XML documents S3 answers with (`<Code>`, `<UploadId>`, `<Contents>` lists): no
/// attributes, namespaces or CDATA are needed, only element text with the five predefined
/// entities and numeric references decoded.
enum XMLScan {
    /// The text of the first `<name>` element.
    static func first(_ name: String, in text: String) -> String? { all(name, in: text).first }

    /// The texts of every `<name>` element, in order (an element holding elements is returned as
    /// markup, undecoded, for a further scan).
    static func all(_ name: String, in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>") ?? rest.range(of: "<\(name) ") {
            var start = open.upperBound
            if rest[open].hasSuffix(" ") {
                guard let close = rest[start...].firstIndex(of: ">") else { break }
                start = rest.index(after: close)
            }
            guard let end = rest[start...].range(of: "</\(name)>") else { break }
            let content = String(rest[start..<end.lowerBound])
            found.append(content.contains("<") ? content : decode(content))
            rest = rest[end.upperBound...]
        }
        return found
    }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semi = rest[amp...].firstIndex(of: ";") else {
                out += rest[amp...]
                return out
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number =
                    entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar) } else {
                    out += "&\(entity);"
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }

    /// `text` escaped for element content.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
