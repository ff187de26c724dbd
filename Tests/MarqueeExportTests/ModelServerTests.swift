import Foundation
import MarqueeCore
import Testing

@testable import MarqueeExport
@testable import MarqueeML

/// Routing, readiness, limits and metrics of `marquee serve`, without sockets.
@Suite struct ModelServerTests {
    let model: FactorModel

    init() throws { model = try fixtureModel().0.model }

    func json(_ answer: ModelServer.Answer) -> JSONValue? {
        try? JSONParser().parse(String(decoding: answer.body, as: UTF8.self)).value
    }

    static let pairs =
        #"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [2, 1], "data": [[1], [0]]}, {"name": "item_index", "datatype": "INT64", "shape": [2, 1], "data": [[2], [3]]}]}"#

    @Test func readyMeansTheModelIsLoaded() {
        let server = ModelServer(loading: "films")
        #expect(server.answer(method: "GET", path: "/v2/health/live", body: Data()).status == 200)
        let notYet = server.answer(method: "GET", path: "/v2/health/ready", body: Data())
        #expect(notYet.status == 503 && json(notYet)?["ready"] == .bool(false))
        let loading = server.answer(method: "POST", path: "/v2/models/films/infer", body: Data(Self.pairs.utf8))
        #expect(loading.status == 503 && json(loading)?["error"]?.stringValue?.contains("loading") == true)
        #expect(server.answer(method: "GET", path: "/v2/models/films/ready", body: Data()).status == 503)
        server.load(InferenceService(name: "films", model: model))
        let ready = server.answer(method: "GET", path: "/v2/health/ready", body: Data())
        #expect(ready.status == 200 && json(ready)?["ready"] == .bool(true))
        #expect(server.answer(method: "GET", path: "/v2/models/films/ready", body: Data()).status == 200)
    }

    @Test func serverMetadataVersionsAndShapes() throws {
        let server = ModelServer(serving: InferenceService(name: "films", model: model))
        let metadata = try #require(json(server.answer(method: "GET", path: "/v2", body: Data())))
        #expect(metadata["name"] == .string("marquee") && metadata["version"] == .string(MarqueeVersion.current))
        #expect(metadata["extensions"] != nil)
        for path in ["/v2/models/films/infer", "/v2/models/films/versions/1/infer"] {
            let answer = server.answer(method: "POST", path: path, body: Data(Self.pairs.utf8))
            #expect(answer.status == 200, "\(path)")
            let output = json(answer)?["outputs"]?[0]
            #expect(output?["shape"] == .array([.number(2), .number(1)]), "a [2, 1] input keeps its shape")
            #expect(output?["data"]?[0] == .number(Double(Float(model.predict(user: 0, item: 1)))))
            #expect(answer.predictions == 2)
        }
        #expect(server.answer(method: "GET", path: "/v2/models/films/versions/1", body: Data()).status == 200)
        #expect(server.answer(method: "GET", path: "/v2/models/films/versions/1/ready", body: Data()).status == 200)
        let wrongVersion = server.answer(method: "GET", path: "/v2/models/films/versions/7/ready", body: Data())
        #expect(wrongVersion.status == 404 && json(wrongVersion)?["error"]?.stringValue?.contains("no version 7") == true)
    }

    @Test(arguments: [
        ("GET", "/v2/models/films/infer", 405, "use POST"),
        ("PUT", "/v2/health/ready", 405, "use GET"),
        ("DELETE", "/metrics", 405, "use GET"),
        ("GET", "/v2/nowhere", 404, "no endpoint /v2/nowhere"),
        ("GET", "/", 404, "no endpoint"),
        ("POST", "/v2/models/films/versions/1/explain", 404, "no endpoint"),
        ("GET", "/v2/models/other", 404, "unknown model"),
    ])
    func everyErrorIsJSON(method: String, path: String, status: Int, message: String) {
        let server = ModelServer(serving: InferenceService(name: "films", model: model))
        let answer = server.answer(method: method, path: path, body: Data())
        #expect(answer.status == status && answer.contentType == "application/json")
        #expect(json(answer)?["error"]?.stringValue?.contains(message) == true, "\(String(decoding: answer.body, as: UTF8.self))")
        if status == 405 { #expect(answer.allow != nil) }
    }

    @Test func batchesOverTheLimitAre413() {
        let server = ModelServer(serving: InferenceService(name: "films", model: model, maxBatch: 1))
        let answer = server.answer(method: "POST", path: "/v2/models/films/infer", body: Data(Self.pairs.utf8))
        #expect(answer.status == 413 && json(answer)?["error"]?.stringValue?.contains("limit of 1") == true)
    }

    @Test func metricsCountRequestsAndPredictions() {
        let server = ModelServer(serving: InferenceService(name: "films", model: model))
        func record(_ method: String, _ path: String, _ body: String = "") {
            let answer = server.answer(method: method, path: path, body: Data(body.utf8))
            server.metrics.record(
                method: method, endpoint: answer.endpoint, model: "films", status: answer.status,
                predictions: answer.predictions, total: .milliseconds(2), queue: .microseconds(100),
                compute: answer.compute)
        }
        for _ in 0..<3 { record("POST", "/v2/models/films/infer", Self.pairs) }
        record("POST", "/v2/models/films/infer", "{bad")
        record("GET", "/v2/health/ready")
        let text = String(decoding: server.answer(method: "GET", path: "/metrics", body: Data()).body, as: UTF8.self)
        func value(_ prefix: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { $0.split(separator: " ").last }
                .flatMap { Double($0) }
        }
        #expect(value(#"marquee_inference_request_success_total{model="films",version="1"}"#) == 3, "\(text)")
        #expect(value(#"marquee_inference_count_total{model="films",version="1"}"#) == 6)
        #expect(value(#"marquee_inference_exec_count_total{model="films",version="1"}"#) == 3)
        #expect(value(#"marquee_inference_request_failure_total{model="films",version="1",reason="client"}"#) == 1)
        #expect(value(#"marquee_inference_request_duration_seconds_count{model="films",version="1"}"#) == 4)
        #expect(value(#"marquee_inference_compute_duration_seconds_count{model="films",version="1"}"#) == 4)
        #expect(value(#"marquee_http_requests_total{method="GET",route="/v2/health/ready",code="200"}"#) == 1)
        #expect(text.contains("# TYPE marquee_inference_request_duration_seconds histogram"))
    }
}
