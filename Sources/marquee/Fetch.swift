import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeFetch

/// `marquee fetch URL`: fetch one page and show what came back.
struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch one page and print its status, redirects, headers, size and timings.",
        discussion:
            "Exit status: 0 for any HTTP response, 69 when the site cannot be reached, 65 for bodies over the cap or redirect loops, 64 for non-http(s) URLs."
    )

    @OptionGroup var global: LoggingOptions
    @Argument(help: "The URL.") var url: String
    @Option(name: .customLong("user-agent"), help: "User-Agent header (default from marquee config).")
    var userAgentFlag: String?

    /// The flag, else `marquee config`'s user agent (with its contact).
    var userAgent: String { userAgentFlag ?? EffectiveConfig.userAgent }
    @Option(help: "Seconds for the whole fetch of one hop.") var timeout = 30.0
    @Option(help: "Largest body accepted after decompression, in bytes.") var maxBytes = 20 << 20
    @Option(help: "Write the body to this file.") var out: String?
    @Option(help: "Append the request and response to this WARC file (.warc.gz).") var warc: String?
    @Option(help: "text or json (status, redirects, headers, size, timings; not the body).")
    var format: OutputFormat = .text

    struct Outcome: Encodable {
        struct Header: Encodable { var name, value: String }
        var status: Int
        var finalUrl: String
        var redirects: [String]
        var headers: [Header]
        var bytes: Int
        var seconds, connectSeconds, firstByteSeconds: Double
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.fetch")
        try await reportingErrors {
            var configuration = HTTPClientConfiguration()
            configuration.userAgent = userAgent
            configuration.totalTimeout = timeout
            configuration.maxBodyBytes = maxBytes
            if let out { try OutputLocation.check(URL(fileURLWithPath: out), what: "the page") }
            let page: FetchedPage
            do {
                page = try await HTTPClient(configuration: configuration).fetch(url)
            } catch let error as FetchError {
                throw error.marqueeError
            }
            logger.debug("fetched", metadata: ["url": "\(url)", "status": "\(page.status)"])
            if format == .json {
                try printJSON(
                    Outcome(
                        status: page.status, finalUrl: page.finalURL, redirects: page.redirects,
                        headers: page.headers.map { .init(name: $0.name, value: $0.value) }, bytes: page.body.count,
                        seconds: page.timings.total, connectSeconds: page.timings.connect,
                        firstByteSeconds: page.timings.firstByte))
            } else {
                for hop in page.redirects { print("redirect \(hop)") }
                print("status \(page.status) \(page.finalURL)")
                for header in page.headers { print("\(header.name): \(header.value)") }
                print(
                    String(
                        format: "%d bytes in %.3f s (connect %.3f s, first byte %.3f s)", page.body.count,
                        page.timings.total, page.timings.connect, page.timings.firstByte))
            }
            if let warc {
                let (request, response) = WARCRecord.exchange(page, userAgent: userAgent)
                try WARCWriter.append([request, response], to: URL(fileURLWithPath: warc))
                if format == .text { print("recorded in \(warc)") }
            }
            if let out {
                do {
                    try page.body.write(to: URL(fileURLWithPath: out))
                } catch {
                    throw MarqueeError(.failure, "cannot write the body: \(error.localizedDescription)", location: out)
                }
            }
        }
    }
}
