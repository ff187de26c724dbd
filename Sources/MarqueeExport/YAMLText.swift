import Foundation
import MarqueeCore

/// Writes a `JSONValue` as block-style YAML, keys in their order, every string double-quoted
/// with JSON's escapes (valid YAML 1.2, and never re-typed: `"on"`, `"1.0"` stay strings).
public enum YAMLText {
    /// `value` as a YAML document (no leading `---`), ending in a newline.
    public static func document(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out, inline: false)
        return out.hasSuffix("\n") ? out : out + "\n"
    }

    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
        case .string: value.serialized()
        case .array(let items) where items.isEmpty: "[]"
        case .object(let object) where object.members.isEmpty: "{}"
        default: nil
        }
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object) where !object.members.isEmpty:
            var first = true
            for (key, member) in object.members {
                let prefix = first && inline ? "" : pad
                first = false
                let name = key.allSatisfy { $0.isLetter || $0.isNumber || "_-./".contains($0) } ? key : JSONValue.string(key).serialized()
                if let text = scalar(member) {
                    out += "\(prefix)\(name): \(text)\n"
                } else if case .array = member {
                    out += "\(prefix)\(name):\n"
                    write(member, indent: indent, into: &out, inline: false)
                } else {
                    out += "\(prefix)\(name):\n"
                    write(member, indent: indent + 2, into: &out, inline: false)
                }
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                if let text = scalar(item) {
                    out += "\(pad)- \(text)\n"
                } else if case .array = item {
                    out += "\(pad)- \(item.serialized())\n"  // flow style: valid YAML
                } else {
                    out += "\(pad)- "
                    write(item, indent: indent + 2, into: &out, inline: true)
                }
            }
        default:
            out += (inline ? "" : pad) + (scalar(value) ?? "null") + "\n"
        }
    }
}
