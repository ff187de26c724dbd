import Foundation
import Logging
import MarqueeCore
import PropertyBased
import Synchronization
import Testing

@Test func jsonLinesCarryMetadataAndRedactSecrets() throws {
    let date = Date(timeIntervalSince1970: 1_764_000_000)
    let line = LineLogHandler.render(
        format: .json, date: date, level: .info, label: "marquee.fetch", message: "fetched",
        metadata: [
            "url": "https://letterboxd.com/film/x/", "Authorization": "Bearer s3cret",
            "status": .stringConvertible(200),
        ])
    let (value, _) = try JSONParser().parse(line)
    #expect(value["level"] == .string("info"))
    #expect(value["label"] == .string("marquee.fetch"))
    #expect(value["metadata"]?["status"] == .string("200"))
    #expect(value["metadata"]?["Authorization"] == .string("[redacted]"))
    #expect(!line.contains("s3cret"))
    #expect(value["ts"] == .string("2025-11-24T16:00:00Z"))
}

@Test func humanLinesAreOneLineWithSortedMetadata() {
    let line = LineLogHandler.render(
        format: .human, date: Date(timeIntervalSince1970: 0), level: .warning, label: "m", message: "slow",
        metadata: ["b": "2", "a": "1", "cookie": "id=1"])
    #expect(line == "1970-01-01T00:00:00Z warning m: slow a=1 b=2 cookie=[redacted]")
}

@Test func handlerHonoursItsLevel() {
    let lines = Mutex<[String]>([])
    var handler = LineLogHandler(
        label: "t", format: .human, sink: .closure { line in lines.withLock { $0.append(line) } })
    handler.logLevel = .info
    let logger = Logger(label: "t") { _ in handler }
    logger.debug("hidden")
    logger.info("shown")
    #expect(lines.withLock { $0.count } == 1)
}

@Test(arguments: [(0, Logger.Level.notice), (1, .info), (2, .debug), (5, .trace)])
func verbosityMapsToLevels(count: Int, level: Logger.Level) {
    #expect(LogSetup.level(verbosity: count) == level)
}

@Test func errorsFollowSysexitsAndReadAsOneLine() {
    #expect(MarqueeError.Code.usage.rawValue == 64)
    #expect(MarqueeError.Code.dataError.rawValue == 65)
    #expect(MarqueeError.Code.unavailable.rawValue == 69)
    #expect(MarqueeError.Code.temporary.rawValue == 75)
    let error = MarqueeError(
        .dataError, "field \"year\": unknown normaliser \"yaer\"", location: "scrapers/imdb.toml:14",
        hint: "did you mean \"year\"?")
    #expect(
        error.description
            == "scrapers/imdb.toml:14: field \"year\": unknown normaliser \"yaer\" (did you mean \"year\"?)")
}

@Test func isoTimestampsMatchFoundationSinceTheGregorianCalendar() async {
    // Foundation switches to the Julian calendar before October 1582; ISO 8601 (and Marquee) stay
    // proleptic Gregorian, so the comparison starts in 1583.
    await propertyCheck(count: 500, input: Gen<Int64>.value(in: -12_212_553_600...253_402_300_799)) { seconds in
        #expect(
            Microseconds.iso(seconds * 1_000_000) == Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601))
    }
    #expect(Microseconds.iso(1_500_000) == "1970-01-01T00:00:01.500000Z")
    #expect(Microseconds.iso(-1) == "1969-12-31T23:59:59.999999Z")
    #expect(Microseconds.iso(-62_135_596_800_000_000) == "0001-01-01T00:00:00Z")
    #expect(Microseconds.parse("2019-02-05") == 1_549_324_800_000_000)
    #expect(Microseconds.parse("964982703") == 964_982_703_000_000)
}

/// A child that writes far more than a pipe holds to standard error before it writes its
/// answer must not deadlock the parent (the onnxruntime parity check runs such children).
@Test func aChildFloodingStandardErrorDoesNotDeadlock() throws {
    let result = try ChildProcess.run(
        "python3", ["-c", "import sys; sys.stderr.write('x' * 300000); sys.stderr.flush(); print('done')"])
    #expect(result.status == 0)
    #expect(result.stderr.count == 300_000)
    #expect(String(decoding: result.stdout, as: UTF8.self) == "done\n")
}
