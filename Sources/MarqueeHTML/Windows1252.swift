import Foundation

/// The windows-1252 decoder of the WHATWG Encoding Standard (which also serves the labels
/// `iso-8859-1`, `latin1` and `us-ascii`): every byte maps to a character, none is an error.
enum Windows1252 {
    /// Code points for bytes 0x80…0x9F; other bytes map to the same code point.
    private static let high: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// `bytes` decoded as windows-1252 and re-encoded as UTF-8.
    static func decodeToUTF8(_ bytes: Data) -> Data {
        var output = Data()
        output.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
                continue
            }
            let value = (0x80...0x9F).contains(byte) ? high[Int(byte - 0x80)] : UInt32(byte)
            output.append(contentsOf: Array(String(UnicodeScalar(value)!).utf8))
        }
        return output
    }
}
