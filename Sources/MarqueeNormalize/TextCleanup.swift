import Foundation

/// Clean-up shared by the normalisers: entities, Unicode form, invisible marks, whitespace, footnotes.
public enum TextCleanup {
    /// `raw` with HTML character references decoded, Unicode NFC, bidi and zero-width marks
    /// removed, runs of whitespace (no-break spaces included) collapsed to one space, ends trimmed.
    public static func clean(_ raw: String) -> String {
        let entityFree = decodeEntities(raw)
        // ASCII needs no NFC pass and holds no invisible marks: collapse whitespace bytewise.
        if entityFree.utf8.allSatisfy({ $0 < 0x80 }) { return collapseASCIIWhitespace(entityFree) }
        // Text made of Latin letters, general punctuation (curly quotes, dashes, direction marks)
        // and currency signs is already in NFC: only other text takes Foundation's NFC pass.
        let alreadyComposed = entityFree.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            return value < 0x300 || (0x2002...0x206F).contains(value) || (0x20A0...0x20BF).contains(value)
        }
        let decoded = alreadyComposed ? entityFree : entityFree.precomposedStringWithCanonicalMapping
        var result = ""
        result.reserveCapacity(decoded.utf8.count)
        var pendingSpace = false
        for scalar in decoded.unicodeScalars {
            if invisible.contains(scalar.value) { continue }
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.unicodeScalars.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// ``clean(_:)``, then Wikipedia-style footnote marks removed: `[1]`, `[a]`, `[note 3]`,
    /// `[citation needed]`, `[ 4 ]`.
    public static func cleanWithoutFootnotes(_ raw: String) -> String {
        let cleaned = clean(raw)
        guard cleaned.utf8.contains(UInt8(ascii: "[")) else { return cleaned }
        return clean(cleaned.replacing(footnote, with: " "))
    }

    /// ``clean(_:)`` for ASCII text: runs of ASCII whitespace become one space, ends trimmed.
    static func collapseASCIIWhitespace(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    nonisolated(unsafe) private static let footnote =
        #/\[\s*(?:\d{1,3}|[a-z]|note \d{1,3}|nb \d{1,3}|citation needed|clarification needed|when\?)\s*\]/#
        .asciiOnlyDigits()
        .ignoresCase()

    /// Left-to-right/right-to-left marks, zero-width spaces and joiners, BOM, soft hyphen.
    private static let invisible: Set<UInt32> = [
        0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0xFEFF, 0x00AD,
    ]

    /// Decodes `&amp;`, `&#39;`, `&#x2019;` and the named references sites commonly leave behind.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacing(#/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/#.asciiOnlyDigits()) {
            match in
            let body = match.output.1
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                return UInt32(body.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init).map { String($0) }
                    ?? String(match.output.0)
            }
            if body.hasPrefix("#") {
                return UInt32(body.dropFirst()).flatMap(UnicodeScalar.init).map { String($0) } ?? String(match.output.0)
            }
            return namedEntities[String(body)] ?? String(match.output.0)
        }
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "ndash": "–",
        "mdash": "—", "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«",
        "raquo": "»", "middot": "·", "bull": "•", "copy": "©", "reg": "®", "trade": "™", "eacute": "é",
        "egrave": "è", "ecirc": "ê", "euml": "ë", "aacute": "á", "agrave": "à", "acirc": "â", "auml": "ä",
        "atilde": "ã", "aring": "å", "oacute": "ó", "ograve": "ò", "ocirc": "ô", "ouml": "ö", "otilde": "õ",
        "oslash": "ø", "uacute": "ú", "ugrave": "ù", "ucirc": "û", "uuml": "ü", "iacute": "í", "igrave": "ì",
        "icirc": "î", "iuml": "ï", "ntilde": "ñ", "ccedil": "ç", "szlig": "ß", "Eacute": "É", "Auml": "Ä",
        "Ouml": "Ö", "Uuml": "Ü", "frac12": "½", "star": "☆", "starf": "★", "euro": "€", "pound": "£",
        "yen": "¥", "cent": "¢", "times": "×", "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}",
    ]

    /// The Levenshtein distance between two strings (insertions, deletions and substitutions of
    /// characters), for "did you mean" suggestions.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
