import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

@testable import MarqueeFetch

@Suite struct WARCTests {
    static func page(_ path: String, body: String) -> FetchedPage {
        FetchedPage(
            requestedURL: "http://127.0.0.1:8000\(path)", finalURL: "http://127.0.0.1:8000\(path)", status: 200,
            headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"), ("ETag", "\"v1\"")],
            body: Data(body.utf8), timings: .init(connect: 0, firstByte: 0, total: 0),
            fetchedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func base32MatchesRFC4648() {
        #expect(WARCRecord.base32(Array("foobar".utf8)) == "MZXW6YTBOI======")
        #expect(WARCRecord.base32(Array("f".utf8)) == "MY======")
        #expect(WARCRecord.digest(Data()) == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")  // SHA-1 of ""
    }

    @Test func writtenRecordsReadBackAsTheSamePages() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-warc-\(UUID().uuidString)")
        let writer = WARCWriter(directory: folder, maxBytes: 600)  // small: forces rotation
        let pages = (0..<5).map { Self.page("/p/\($0)", body: "<html>page \($0) é</html>") }
        for page in pages {
            let (request, response) = WARCRecord.exchange(page, userAgent: "Marquee/test")
            try await writer.write([request, response])
        }
        await writer.close()
        let files = await writer.files
        #expect(files.count > 1)
        let records = try files.flatMap { try WARCReader.records($0) }
        #expect(records.filter { $0.header("WARC-Type") == "warcinfo" }.count == files.count)
        #expect(records.filter { $0.header("WARC-Type") == "request" }.count == 5)
        let replay = try ReplayFetcher(directory: folder)
        #expect(replay.urls.count == 5)
        for page in pages {
            let replayed = try await replay.fetch(page.finalURL)
            #expect(replayed.body == page.body)
            #expect(replayed.status == 200)
            #expect(replayed.header("ETag") == "\"v1\"")
            #expect(replayed.header("Content-Encoding") == nil)  // the payload is stored decoded
            #expect(replayed.header("Content-Length") == String(page.body.count))
        }
        await #expect(throws: FetchError.self) { try await replay.fetch("http://127.0.0.1:8000/never") }
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(
                atPath: SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/warcio").path),
            "needs .venv-test with warcio (make setup)"))
    func warcioChecksAndIndexesWhatMarqueeWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "marquee-warcio-\(UUID().uuidString)")
        let writer = WARCWriter(directory: folder)
        for index in 0..<3 {
            let (request, response) = WARCRecord.exchange(
                Self.page("/f/\(index)", body: "<p>\(index)</p>"), userAgent: "M")
            try await writer.write([request, response])
        }
        await writer.close()
        let file = try #require(await writer.files.first)
        let warcio = SharedData.repositoryRoot.appendingPathComponent(".venv-test/bin/warcio").path
        for arguments in [
            ["check", "-v", file.path], ["index", "-f", "warc-type,warc-target-uri,http:status", file.path],
        ] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: warcio)
            process.arguments = arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "warcio \(arguments[0]): \(output)")
            if arguments[0] == "check" {
                #expect(output.contains("digest pass"), "\(output)")
                #expect(!output.contains("fail"), "\(output)")
            } else {
                #expect(output.components(separatedBy: "\"response\"").count - 1 == 3, "\(output)")
            }
        }
    }

    @Test func fixtureFoldersReplayWithTheirMetadata() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "marquee-fixtures-\(UUID().uuidString)")
        let kind = folder.appendingPathComponent("letterboxd/film")
        try FileManager.default.createDirectory(at: kind, withIntermediateDirectories: true)
        try Data("<h1>Breathless</h1>".utf8).write(to: kind.appendingPathComponent("breathless.html"))
        try Data(
            #"{"url": "https://letterboxd.com/film/breathless/", "status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}, "fetched_at": "2025-01-02T03:04:05Z"}"#
                .utf8
        ).write(to: kind.appendingPathComponent("breathless.meta.json"))
        try Data("<p>no metadata: skipped</p>".utf8).write(to: kind.appendingPathComponent("loose.html"))
        let replay = try ReplayFetcher(fixtures: folder)
        #expect(replay.urls == ["https://letterboxd.com/film/breathless/"])
        let page = try await replay.fetch("https://letterboxd.com/film/breathless/")
        #expect(String(decoding: page.body, as: UTF8.self) == "<h1>Breathless</h1>")
        #expect(page.header("content-type") == "text/html; charset=utf-8")
        #expect(page.fetchedAt == Date(timeIntervalSince1970: 1_735_787_045))
        await #expect(throws: FetchError.self) { try await replay.fetch("https://letterboxd.com/film/other/") }

        try Data("{not json".utf8).write(to: kind.appendingPathComponent("breathless.meta.json"))
        #expect(throws: MarqueeError.self) { try ReplayFetcher(fixtures: folder) }
    }
}

/// A Content-Length past the end of the file, negative or too large to add to an offset is a
/// data error naming the byte, never an overflow or an out-of-range read.
@Test(arguments: ["-5", "9223372036854775807", "999999"])
func aBadContentLengthIsADataError(_ length: String) {
    let record = "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: \(length)\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"
    #expect {
        _ = try WARCReader.records(data: Data(record.utf8), source: "bad.warc")
    } throws: { error in
        (error as? MarqueeError)?.message.contains("bad Content-Length at byte 0") == true
    }
}
