import Foundation
import MarqueeCore
import Testing

@testable import MarqueeExport
@testable import MarqueeML

/// The V2 protocol without sockets: every answer comes from `InferenceService`.
@Suite struct InferenceServiceTests {
    let service: InferenceService
    let model: FactorModel

    init() throws {
        model = try fixtureModel().0.model
        service = InferenceService(name: "films", model: model)
    }

    func body(_ text: String) -> Data { Data(text.utf8) }

    func inputs(_ users: String, _ items: String, type: String = "INT64", shape: String = "[2]") -> Data {
        body(
            #"{"id": "r1", "inputs": [{"name": "user_index", "datatype": "\#(type)", "shape": \#(shape), "data": \#(users)}, {"name": "item_index", "datatype": "INT64", "shape": \#(shape), "data": \#(items)}]}"#
        )
    }

    @Test func inferReturnsMarqueesPredictionsAsFP32() throws {
        let reply = service.infer("films", body: inputs("[1, 0]", "[2, 3]"))
        #expect(reply.status == 200)
        #expect(reply.body["id"] == .string("r1"))
        let output = try #require(reply.body["outputs"]?[0])
        #expect(output["name"] == .string("rating") && output["datatype"] == .string("FP32"))
        #expect(output["shape"] == .array([.number(2)]))
        let expected = [model.predict(user: 0, item: 1), model.predict(user: -1, item: 2)].map { Double(Float($0)) }
        #expect(output["data"] == .array(expected.map { .number($0) }))
    }

    @Test func rawIdsMapThroughTheIdMaps() {
        let reply = service.infer(
            "films",
            body: body(
                #"{"inputs": [{"name": "user_id", "datatype": "BYTES", "shape": [2], "data": ["1", "nobody"]}, {"name": "item_id", "datatype": "BYTES", "shape": [2], "data": ["2", "2"]}]}"#
            ))
        #expect(reply.status == 200)
        let data = reply.body["outputs"]?[0]?["data"]
        #expect(data?[0] == .number(Double(Float(model.predict(user: 0, item: 1)))))
        #expect(data?[1] == .number(Double(Float(model.predict(user: -1, item: 1)))))  // unknown user
    }

    @Test(arguments: [
        (#"{bad"#, "invalid JSON"),
        (#"[1]"#, "must be a JSON object"),
        (#"{"inputs": 3}"#, "no \"inputs\" array"),
        (
            #"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [1], "data": [1]}]}"#,
            "missing input item_index"
        ),
        (#"{"inputs": [{"name": "user_index", "shape": [1], "data": [1]}]}"#, "has no \"datatype\""),
        (#"{"inputs": [{"name": "user_index", "datatype": "FP32", "shape": [1], "data": [1]}]}"#, "expected INT64"),
        (
            #"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [2], "data": [1]}]}"#,
            "needs 2 values, data has 1"
        ),
        (#"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [1], "data": [99]}]}"#, "outside 0…4"),
        (#"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [1], "data": [1.5]}]}"#, "non-integer"),
        (#"{"inputs": [{"name": "age", "datatype": "INT64", "shape": [1], "data": [1]}]}"#, "unknown input \"age\""),
    ])
    func badRequestsGet400WithAMessage(_ request: String, _ message: String) {
        let reply = service.infer("films", body: body(request))
        #expect(reply.status == 400)
        #expect(reply.body["error"]?.stringValue?.contains(message) == true, "\(reply.body)")
    }

    @Test func mismatchedLengthsAndUnknownModels() {
        #expect(service.infer("films", body: inputs("[1, 2]", "[1]", shape: "[2]")).status == 400)
        #expect(service.infer("other", body: inputs("[1, 2]", "[1, 2]")).status == 404)
        #expect(service.metadata("other").status == 404)
        #expect(service.ready("films").status == 200)
        #expect(service.metadata("films").body["inputs"]?[0]?["name"] == .string("user_index"))
    }

    @Test func recommendLeavesSeenFilmsOut() throws {
        let reply = service.recommend("films", body: body(#"{"user_id": "1", "k": 10}"#))
        #expect(reply.status == 200)
        let films = try #require(reply.body["films"]?.arrayValue).compactMap { $0["film"]?.stringValue }
        // User 1 rated films 1, 2 and 5 of the fixture's five.
        #expect(Set(films) == ["3", "4"])
        #expect(service.recommend("films", body: body(#"{"k": 3}"#)).status == 400)
        #expect(service.recommend("films", body: body(#"{"user_id": "1", "k": 0}"#)).status == 400)
    }
}
