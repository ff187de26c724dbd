/// A JSON value that keeps object keys in document order.
///
/// Marquee reads JSON that real sites ship (JSON-LD, embedded `__NEXT_DATA__`) and writes JSON
/// Lines records; both want the source's key order and exact strings, which `JSONSerialization`
/// does not keep. Parse with ``JSONParser``; write with ``serialized(pretty:)``.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number (JSON does not tell integers from floats; integral values print without a fraction).
    case number(Double)
    /// A string, escapes resolved.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object(JSONObject)

    /// The member `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index is in range, else `nil`.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number, when this is a number.
    public var doubleValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// A copy with `transform` applied to every string value (not to keys), depth first.
    public func mapStrings(_ transform: (String) -> String) -> JSONValue {
        switch self {
        case .string(let text): .string(transform(text))
        case .array(let items): .array(items.map { $0.mapStrings(transform) })
        case .object(let object):
            .object(JSONObject(object.members.map { ($0.key, $0.value.mapStrings(transform)) }))
        case .null, .bool, .number: self
        }
    }
}

/// The members of a JSON object, in document order. Lookup by key returns the last duplicate,
/// as JavaScript's `JSON.parse` does.
public struct JSONObject: Sendable, Hashable {
    /// The members in document order, duplicates included.
    public var members: [(key: String, value: JSONValue)]

    /// Creates an object from `(key, value)` pairs, kept in the given order.
    public init(_ members: [(String, JSONValue)] = []) {
        self.members = members.map { (key: $0.0, value: $0.1) }
    }

    /// The value of the last member named `key`.
    public subscript(key: String) -> JSONValue? {
        members.last { $0.key == key }?.value
    }

    /// The member names in document order.
    public var keys: [String] { members.map(\.key) }

    /// Equal when the members, in order, are equal.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Hashes the members in order.
    public func hash(into hasher: inout Hasher) {
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}
