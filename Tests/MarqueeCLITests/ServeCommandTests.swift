import Foundation
import MarqueeTestKit
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `marquee serve` as a user runs it: a real process on an ephemeral loopback port.
@Test func serveAnswersV2RequestsAndStopsOnSIGTERM() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let model = folder.appendingPathComponent("m.mqm").path
    let trained = try runMarquee([
        "train", "--dataset", "fixtures/movielens-mini/ratings.csv", "--algorithm", "svd", "--param", "n_factors=4",
        "--out", model,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")

    let process = Process()
    process.executableURL = try marqueeBinary()
    process.arguments = ["serve", model, "--port", "0", "--name", "films", "--max-body", "2000"]
    let out = Pipe()
    process.standardOutput = out
    let log = folder.appendingPathComponent("serve.log")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: log)
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    // The first line names the bound port.
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
    let port = try #require(text.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) }, "\(text)")
    let base = "http://127.0.0.1:\(port)/v2"

    var requests = 0
    func call(_ path: String, _ body: String? = nil, method: String? = nil, root: String? = nil) async throws
        -> (Int, [String: Any])
    {
        requests += 1
        var request = URLRequest(url: URL(string: (root ?? base) + path)!)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
        }
        if let method { request.httpMethod = method }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as! HTTPURLResponse).statusCode, json)
    }

    #expect(try await call("/health/live").0 == 200)
    #expect(try await call("/health/ready").0 == 200)
    let (metadataStatus, metadata) = try await call("/models/films")
    #expect(metadataStatus == 200 && metadata["name"] as? String == "films")
    #expect(try await call("/models/films/ready").0 == 200)
    let infer =
        #"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [2], "data": [1, 0]}, {"name": "item_index", "datatype": "INT64", "shape": [2], "data": [2, 2]}]}"#
    let (inferStatus, inferred) = try await call("/models/films/infer", infer)
    #expect(inferStatus == 200)
    let outputs = try #require(inferred["outputs"] as? [[String: Any]])
    #expect((outputs.first?["data"] as? [Double])?.count == 2)
    let (recommendStatus, recommended) = try await call("/models/films/recommend", #"{"user_id": "1", "k": 2}"#)
    #expect(recommendStatus == 200 && (recommended["films"] as? [Any])?.count == 2)

    // Bad inputs: each gets its status and a message; the server stays up.
    let (badJSON, badBody) = try await call("/models/films/infer", "{not json")
    #expect(badJSON == 400 && (badBody["error"] as? String)?.contains("invalid JSON") == true)
    let wrongShape = #"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [3], "data": [1]}]}"#
    #expect(try await call("/models/films/infer", wrongShape).0 == 400)
    let wrongType = #"{"inputs": [{"name": "user_index", "datatype": "FP64", "shape": [1], "data": [1]}]}"#
    #expect(try await call("/models/films/infer", wrongType).0 == 400)
    #expect(try await call("/models/films/infer", #"{"id": "x"}"#).0 == 400)
    #expect(try await call("/models/other/infer", infer).0 == 404)
    let (tooLarge, tooLargeBody) = try await call("/models/films/infer", String(repeating: " ", count: 5_000) + infer)
    #expect(tooLarge == 413 && (tooLargeBody["error"] as? String)?.contains("larger than 2000") == true)
    #expect(try await call("/health/live").0 == 200)

    // Server metadata, versioned routes, shapes kept, 405 with a JSON body, unknown paths as JSON.
    let (serverStatus, server) = try await call("")
    #expect(serverStatus == 200 && server["name"] as? String == "marquee" && server["version"] != nil)
    let (readyStatus, ready) = try await call("/health/ready")
    #expect(readyStatus == 200 && ready["ready"] as? Bool == true)
    let column =
        #"{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [2, 1], "data": [[1], [0]]}, {"name": "item_index", "datatype": "INT64", "shape": [2, 1], "data": [[2], [2]]}]}"#
    let (versionedStatus, versioned) = try await call("/models/films/versions/1/infer", column)
    #expect(versionedStatus == 200)
    #expect((versioned["outputs"] as? [[String: Any]])?.first?["shape"] as? [Int] == [2, 1])
    let (wrongMethod, wrongMethodBody) = try await call("/models/films/infer", method: "GET")
    #expect(wrongMethod == 405 && (wrongMethodBody["error"] as? String)?.contains("use POST") == true)
    let (nowhere, nowhereBody) = try await call("/nowhere")
    #expect(nowhere == 404 && nowhereBody["error"] != nil)

    // /metrics: the counters count the inferences made above, and grow with the next one.
    var metricsRequest = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/metrics")!)
    metricsRequest.httpMethod = "GET"
    func successes() async throws -> Double? {
        requests += 1
        let text = String(decoding: try await URLSession.shared.data(for: metricsRequest).0, as: UTF8.self)
        return text.split(separator: "\n").first {
            $0.hasPrefix(#"marquee_inference_request_success_total{model="films",version="1"}"#)
        }.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }
    let before = try await successes()
    #expect(before == 3)  // infer, recommend, versioned infer
    _ = try await call("/models/films/infer", infer)
    #expect(try await successes() == 4)

    process.interrupt()  // SIGINT; SIGTERM takes the same path
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let rest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(rest.contains("stopped"))
    // The first read may already hold the "serving" line (the model loads in a blink).
    #expect((text + rest).contains("serving films on http://127.0.0.1:\(port)/v2/models/films"))

    // One access-log line per request, JSON off a terminal.
    let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").filter {
        $0.contains(#""message":"request""#) || $0.contains(#""message" : "request""#)
    }
    #expect(lines.count == requests, "\(lines.count) access-log lines for \(requests) requests")
    let first = try #require(lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
    let fields = (first["metadata"] as? [String: Any]) ?? first
    #expect(fields["method"] != nil && fields["status"] != nil && fields["path"] != nil, "\(first)")
}

/// Port and host are checked before anything binds.
@Test func serveRefusesABadPortOrHostBeforeBinding() throws {
    let model = "fixtures/none.mqm"
    let port = try runMarquee(["serve", model, "--port", "99999"])
    #expect(port.status == 64 && port.stderr.contains("--port 99999 is not a TCP port"), "\(port.stderr)")
    let host = try runMarquee(["serve", model, "--host", "no such host.invalid"])
    #expect(host.status == 64 && host.stderr.contains("--host"), "\(host.stderr)")
    // A model that cannot be loaded stops the server cleanly with the loader's error.
    let missing = try runMarquee(["serve", model, "--port", "0"])
    #expect(missing.status == 66 && missing.stderr.contains("does not exist"), "\(missing.stderr)")
    #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
}
