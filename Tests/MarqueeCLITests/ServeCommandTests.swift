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
    process.standardError = FileHandle.nullDevice
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

    func call(_ path: String, _ body: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: base + path)!)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
        }
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

    process.interrupt()  // SIGINT; SIGTERM takes the same path
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let rest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(rest.contains("stopped"))
}
