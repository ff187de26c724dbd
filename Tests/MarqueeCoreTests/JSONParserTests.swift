import MarqueeCore
import PropertyBased
import Testing

@Test(arguments: [
    (
        #"{"a":[1,2.5,-3e2,true,false,null,"x"]}"#,
        JSONValue.object(
            JSONObject([
                (
                    "a",
                    .array([.number(1), .number(2.5), .number(-300), .bool(true), .bool(false), .null, .string("x")])
                )
            ]))
    ),
    (#""\u00e9\ud83c\udfac\n\"\\\/""#, .string("é🎬\n\"\\/")),
    (" [ ] ", .array([])),
    (#"{"k":1,"k":2}"#, .object(JSONObject([("k", .number(1)), ("k", .number(2))]))),
])
func strictParsesRFC8259(text: String, expected: JSONValue) throws {
    let (value, repairs) = try JSONParser().parse(text)
    #expect(value == expected)
    #expect(repairs.isEmpty)
}

struct Rejection: Sendable, CustomTestStringConvertible {
    let text: String
    let message: String
    let line: Int
    let column: Int
    var testDescription: String { text }
}

@Test(arguments: [
    Rejection(text: "[1,]", message: "trailing comma", line: 1, column: 3),
    Rejection(text: "{\"a\":\n  01}", message: "leading zero", line: 2, column: 3),
    Rejection(text: "\"tab\there\"", message: "control character", line: 1, column: 5),
    Rejection(text: #""\q""#, message: "invalid escape", line: 1, column: 2),
    Rejection(text: "/* c */ 1", message: "unexpected character", line: 1, column: 1),
    Rejection(text: "[1 2]", message: "expected ',' or ']'", line: 1, column: 4),
    Rejection(text: "{\"a\" 1}", message: "expected ':'", line: 1, column: 6),
    Rejection(text: "[tru]", message: "invalid literal", line: 1, column: 2),
    Rejection(text: "\"open", message: "unterminated string", line: 1, column: 1),
    Rejection(text: "1 2", message: "after the JSON value", line: 1, column: 3),
    Rejection(text: "", message: "unexpected end", line: 1, column: 1),
    Rejection(text: "{\"é\": x}", message: "unexpected character 'x'", line: 1, column: 7),
])
func strictRejectsWithPosition(_ example: Rejection) {
    do {
        _ = try JSONParser().parse(example.text)
        Issue.record("accepted \(example.text)")
    } catch {
        #expect(error.message.contains(example.message), "\(error)")
        #expect(error.line == example.line, "\(error)")
        #expect(error.column == example.column, "\(error)")
    }
}

@Test func lenientRepairsAndSaysWhere() throws {
    let text = "/* <![CDATA[ */ {\"a\": [1, 2,], \"b\": \"x\ny\", \"c\": \"it\\'s\",} // end"
    let (value, repairs) = try JSONParser(options: .lenient).parse(text)
    #expect(value["a"] == .array([.number(1), .number(2)]))
    #expect(value["b"] == .string("x\ny"))
    #expect(value["c"] == .string("it's"))
    #expect(
        repairs.map(\.kind) == [
            "comment", "trailing comma", "control character in string", "invalid escape", "trailing comma", "comment",
        ])
    #expect(repairs[1].column == 28)
}

@Test func deepNestingIsAnErrorNotACrash() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONParser.Failure.self) { try JSONParser().parse(deep) }
}

@Test func serializationEscapesAndFormatsNumbers() {
    let value = JSONValue.object(
        JSONObject([
            ("s", .string("q\"\\\n\u{01}é")), ("i", .number(1994)), ("f", .number(8.3)), ("n", .number(.nan)),
            ("e", .array([])),
        ]))
    #expect(value.serialized() == #"{"s":"q\"\\\n\u0001é","i":1994,"f":8.3,"n":null,"e":[]}"#)
    #expect(
        JSONValue.object(JSONObject([("a", .array([.number(1)]))])).serialized(pretty: true)
            == "{\n  \"a\": [\n    1\n  ]\n}")
}

/// Random JSON values from a seed: nested arrays/objects of strings (with escapes and non-ASCII),
/// numbers, booleans and nulls.
private func randomValue(_ seed: inout UInt64, depth: Int = 0) -> JSONValue {
    func next(_ bound: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((seed >> 33) % UInt64(bound))
    }
    let pieces = ["a", "é", "\"", "\\", "\n", "\u{0}", "🎬", " ", "/", "\u{2028}"]
    switch next(depth > 3 ? 4 : 6) {
    case 0: return .null
    case 1: return .bool(next(2) == 0)
    case 2: return .number(Double(next(2_000_000) - 1_000_000) / Double([1, 10, 1000][next(3)]))
    case 3: return .string((0..<next(8)).map { _ in pieces[next(pieces.count)] }.joined())
    case 4: return .array((0..<next(4)).map { _ in randomValue(&seed, depth: depth + 1) })
    default:
        return .object(
            JSONObject(
                (0..<next(4)).map { index in
                    ("k\(index)\(pieces[next(pieces.count)])", randomValue(&seed, depth: depth + 1))
                }))
    }
}

@Test func serializeThenParseIsIdentity() async {
    await propertyCheck(count: 500, input: Gen<UInt64>.value(in: 0...UInt64.max), Gen.bool) { seed, pretty in
        var state = seed
        let value = randomValue(&state)
        let text = value.serialized(pretty: pretty)
        let reparsed = try? JSONParser().parse(text).value
        #expect(reparsed == value, "\(text)")
    }
}

@Test func arbitraryTextNeverCrashesTheLenientParser() async {
    let alphabet: [Character] = Array("{}[],:\"\\/*0123456789.eE+-tfnul \n\té")
    await propertyCheck(count: 500, input: Gen.element(of: alphabet).array(of: 0...60)) { characters in
        _ = try? JSONParser(options: .lenient).parse(String(characters.compactMap { $0 }))
    }
}
