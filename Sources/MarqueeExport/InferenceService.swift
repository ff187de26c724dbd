import Foundation
import MarqueeCore
import MarqueeML

/// The Open Inference Protocol (V2) over one model, as plain functions from request to
/// response, so the HTTP server stays a thin shell and the protocol can be tested without
/// sockets. Inputs and outputs have the exported ONNX graph's names: `user_index` and
/// `item_index` (INT64, model row + 1, 0 for unknown) → `rating` (FP32). `user_id` and
/// `item_id` (BYTES, raw ids) may be sent instead of the indices.
public struct InferenceService: Sendable {
    /// A response: status and JSON body.
    public struct Reply: Sendable, Equatable, Error {
        /// HTTP status.
        public var status: Int
        /// JSON body.
        public var body: JSONValue
        /// The `Allow` header of a 405 (Method Not Allowed).
        public var allow: String?

        /// A reply; see the properties.
        public init(status: Int, body: JSONValue, allow: String? = nil) {
            self.status = status
            self.body = body
            self.allow = allow
        }
    }

    /// The served model's name (`marquee-svd`).
    public let name: String
    /// The model.
    public let model: FactorModel
    /// The most (user, film) pairs one infer request may hold; more is 413.
    public let maxBatch: Int
    private let recommender: Recommender

    /// Serves `model` as `name`, at most `maxBatch` pairs per infer request.
    public init(name: String, model: FactorModel, maxBatch: Int = 10_000) {
        self.name = name
        self.model = model
        self.maxBatch = maxBatch
        recommender = Recommender(model: model)
    }

    /// `{"error": message}` with `status`.
    public static func error(_ status: Int, _ message: String) -> Reply {
        Reply(status: status, body: .object(JSONObject([("error", .string(message))])))
    }

    /// `GET /v2/models/{name}[/versions/{version}]`: name, versions, platform, inputs and outputs.
    public func metadata(_ requested: String, version: String? = nil) -> Reply {
        guard requested == name else { return unknownModel(requested) }
        if let wrong = checkVersion(version) { return wrong }
        func tensor(_ name: String, _ type: String) -> JSONValue {
            .object(
                JSONObject([("name", .string(name)), ("datatype", .string(type)), ("shape", .array([.number(-1)]))]))
        }
        return Reply(
            status: 200,
            body: .object(
                JSONObject([
                    ("name", .string(name)), ("versions", .array([.string("1")])), ("platform", .string("marquee")),
                    ("inputs", .array([tensor(ONNXGraph.userInput, "INT64"), tensor(ONNXGraph.itemInput, "INT64")])),
                    ("outputs", .array([tensor(ONNXGraph.ratingOutput, "FP32")])),
                    (
                        "parameters",
                        .object(
                            JSONObject([
                                ("algorithm", .string(model.algorithm.rawValue)),
                                ("users", .number(Double(model.userIDs.count))),
                                ("films", .number(Double(model.itemIDs.count))),
                                ("unknown_index", .number(0)),
                            ]))
                    ),
                ])))
    }

    /// `GET /v2/models/{name}[/versions/{version}]/ready`: loaded, so ready.
    public func ready(_ requested: String, version: String? = nil) -> Reply {
        guard requested == name else { return unknownModel(requested) }
        if let wrong = checkVersion(version) { return wrong }
        return Reply(status: 200, body: .object(JSONObject([("name", .string(name)), ("ready", .bool(true))])))
    }

    func unknownModel(_ requested: String) -> Reply {
        Self.error(404, "unknown model \"\(requested)\"; this server serves \"\(name)\"")
    }

    /// `POST /v2/models/{name}[/versions/{version}]/infer`. The output has the shape of the
    /// `user_index` (or `user_id`) input: `[n]` or `[n, 1]`.
    public func infer(_ requested: String, version: String? = nil, body: Data) -> Reply {
        guard requested == name else { return unknownModel(requested) }
        if let wrong = checkVersion(version) { return wrong }
        let request: JSONValue
        switch parse(body) {
        case .success(let value): request = value
        case .failure(let reply): return reply
        }
        guard case .array(let inputs)? = request["inputs"] else {
            return Self.error(400, "the request has no \"inputs\" array")
        }
        var users: [Int]?
        var items: [Int]?
        var shape: JSONValue = .array([])
        for input in inputs {
            guard let inputName = input["name"]?.stringValue else { return Self.error(400, "an input has no \"name\"") }
            let decoded: Result<[Int], Reply>
            switch inputName {
            case ONNXGraph.userInput: decoded = indices(input, count: model.userIDs.count)
            case ONNXGraph.itemInput: decoded = indices(input, count: model.itemIDs.count)
            case "user_id": decoded = ids(input, lookup: recommender.userRow)
            case "item_id": decoded = ids(input, lookup: recommender.itemRow)
            default:
                return Self.error(
                    400,
                    "unknown input \"\(inputName)\"; inputs are user_index and item_index (INT64) or user_id and item_id (BYTES)"
                )
            }
            switch decoded {
            case .failure(let reply): return reply
            case .success(let values):
                if inputName.hasPrefix("user") {
                    users = values
                    shape = input["shape"] ?? shape
                } else {
                    items = values
                }
            }
        }
        guard let users, let items else {
            return Self.error(
                400, "missing input \(users == nil ? "user_index (or user_id)" : "item_index (or item_id)")")
        }
        guard users.count == items.count else {
            return Self.error(
                400, "user_index has \(users.count) values and item_index \(items.count); they must match")
        }
        guard users.count <= maxBatch else {
            return Self.error(413, "a batch of \(users.count) pairs is over this server's limit of \(maxBatch) (--max-batch)")
        }
        let ratings = zip(users, items).map { Double(Float(model.predict(user: $0 - 1, item: $1 - 1))) }
        var reply: [(String, JSONValue)] = [("model_name", .string(name)), ("model_version", .string(Self.version))]
        if let id = request["id"] { reply.append(("id", id)) }
        reply.append(
            (
                "outputs",
                .array([
                    .object(
                        JSONObject([
                            ("name", .string(ONNXGraph.ratingOutput)), ("datatype", .string("FP32")),
                            ("shape", shape),
                            ("data", .array(ratings.map { .number($0) })),
                        ]))
                ])
            ))
        return Reply(status: 200, body: .object(JSONObject(reply)))
    }

    /// `POST /v2/models/{name}/recommend`: `{"user_id": "movielens:1"}` or `{"user_index": 3}`,
    /// optional `"k"` (10) and `"exclude_seen"` (true).
    public func recommend(_ requested: String, version: String? = nil, body: Data) -> Reply {
        guard requested == name else { return unknownModel(requested) }
        if let wrong = checkVersion(version) { return wrong }
        let request: JSONValue
        switch parse(body) {
        case .success(let value): request = value
        case .failure(let reply): return reply
        }
        let row: Int
        if let id = request["user_id"]?.stringValue {
            do {
                row = try recommender.userRow(id)
            } catch {
                return Self.error(400, error.message)
            }
        } else if let index = request["user_index"]?.doubleValue, index.rounded() == index,
            (0...Double(model.userIDs.count)).contains(index)
        {
            row = Int(index) - 1
        } else {
            return Self.error(
                400, "give \"user_id\" (a string) or \"user_index\" (an integer 0…\(model.userIDs.count), 0 = unknown)")
        }
        let k = request["k"]?.doubleValue ?? 10
        guard k.rounded() == k, k >= 1, k <= 1_000 else { return Self.error(400, "\"k\" must be an integer 1…1000") }
        var excludeSeen = true
        if let flag = request["exclude_seen"] {
            guard case .bool(let value) = flag else { return Self.error(400, "\"exclude_seen\" must be true or false") }
            excludeSeen = value
        }
        let top = recommender.recommend(user: row, k: Int(k), excludeSeen: excludeSeen)
        let films = top.map { entry -> JSONValue in
            var members: [(String, JSONValue)] = [
                ("film", .string(model.itemIDs[entry.item])), ("item_index", .number(Double(entry.item + 1))),
                ("score", .number(Double(Float(entry.score)))),
            ]
            if let labels = model.itemLabels { members.append(("label", .string(labels[entry.item]))) }
            return .object(JSONObject(members))
        }
        return Reply(
            status: 200,
            body: .object(
                JSONObject([
                    ("model_name", .string(name)), ("user", .string(row >= 0 ? model.userIDs[row] : "(unknown)")),
                    ("films", .array(films)),
                ])))
    }

    private func parse(_ body: Data) -> Result<JSONValue, Reply> {
        guard let text = String(data: body, encoding: .utf8) else {
            return .failure(Self.error(400, "the body is not UTF-8"))
        }
        do {
            let value = try JSONParser().parse(text).value
            guard case .object = value else { return .failure(Self.error(400, "the body must be a JSON object")) }
            return .success(value)
        } catch {
            return .failure(Self.error(400, "invalid JSON: \(error)"))
        }
    }

    /// An INT64 tensor of indices within 0…count.
    private func indices(_ input: JSONValue, count: Int) -> Result<[Int], Reply> {
        let name = input["name"]?.stringValue ?? ""
        guard let datatype = input["datatype"]?.stringValue else {
            return .failure(Self.error(400, "input \(name) has no \"datatype\""))
        }
        guard ["INT64", "INT32"].contains(datatype) else {
            return .failure(Self.error(400, "input \(name) has datatype \(datatype); expected INT64"))
        }
        switch values(input) {
        case .failure(let reply): return .failure(reply)
        case .success(let values):
            var result: [Int] = []
            result.reserveCapacity(values.count)
            for value in values {
                guard let number = value.doubleValue, number.rounded() == number else {
                    return .failure(Self.error(400, "input \(name) holds a non-integer value"))
                }
                guard number >= 0, number <= Double(count) else {
                    return .failure(
                        Self.error(400, "input \(name): index \(Int(number)) is outside 0…\(count) (0 = unknown)"))
                }
                result.append(Int(number))
            }
            return .success(result)
        }
    }

    /// A BYTES tensor of raw ids, mapped to indices (unknown ids → 0).
    private func ids(_ input: JSONValue, lookup: (String) throws(MarqueeError) -> Int) -> Result<[Int], Reply> {
        let name = input["name"]?.stringValue ?? ""
        guard input["datatype"]?.stringValue == "BYTES" else {
            return .failure(Self.error(400, "input \(name) must have datatype BYTES (strings)"))
        }
        switch values(input) {
        case .failure(let reply): return .failure(reply)
        case .success(let values):
            var result: [Int] = []
            for value in values {
                guard let id = value.stringValue else {
                    return .failure(Self.error(400, "input \(name) holds a non-string value"))
                }
                result.append(((try? lookup(id)) ?? -1) + 1)
            }
            return .success(result)
        }
    }

    /// The flattened `data` of an input, checked against its `shape`.
    private func values(_ input: JSONValue) -> Result<[JSONValue], Reply> {
        let name = input["name"]?.stringValue ?? ""
        guard case .array(let shape)? = input["shape"], !shape.isEmpty,
            shape.allSatisfy({ ($0.doubleValue ?? -1) >= 0 && $0.doubleValue!.rounded() == $0.doubleValue! })
        else {
            return .failure(Self.error(400, "input \(name) needs a \"shape\" of non-negative integers, e.g. [3]"))
        }
        guard case .array(let data)? = input["data"] else {
            return .failure(Self.error(400, "input \(name) has no \"data\" array"))
        }
        func flatten(_ value: JSONValue) -> [JSONValue] {
            if case .array(let items) = value { return items.flatMap(flatten) }
            return [value]
        }
        let flat = data.flatMap(flatten)
        let expected = shape.reduce(1) { $0 * Int($1.doubleValue!) }
        guard shape.count == 1 || (shape.count == 2 && shape[1].doubleValue == 1) else {
            return .failure(
                Self.error(400, "input \(name) has shape \(shape.map { Int($0.doubleValue!) }); expected [n] or [n, 1]")
            )
        }
        guard flat.count == expected else {
            return .failure(
                Self.error(
                    400,
                    "input \(name): shape \(shape.map { Int($0.doubleValue!) }) needs \(expected) values, data has \(flat.count)"
                ))
        }
        return .success(flat)
    }
}
