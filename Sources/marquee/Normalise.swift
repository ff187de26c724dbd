import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeNormalize

/// `marquee normalise NAME VALUE…`: what a normaliser makes of raw values, as JSON lines.
struct Normalise: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalise",
        abstract: "Print what a normaliser makes of raw values (one JSON value per line).",
        discussion: """
            Exit status: 0 when every value normalised, 65 when any did not (its error goes to \
            standard error), 64 for an unknown normaliser. `marquee normalise --list` lists them.
            """,
        aliases: ["normalize"])

    @OptionGroup var global: LoggingOptions

    @Argument(
        help:
            "The normaliser: duration, date, release, year, year_range, count, rating, money, title, genres, person, imdb_id, …"
    )
    var name: String?

    @Argument(help: "Raw values as a page shows them.")
    var values: [String] = []

    @Option(help: "Locale of the page (en-US, de, fr): decimal marks and numeric date order.")
    var locale: String?

    @Option(help: "Scale of bare rating numbers (10 for IMDb, 5 for Letterboxd).")
    var scale: Double?

    @Option(help: "Base URL that relative URLs resolve against.")
    var baseURL: String?

    @Flag(help: "List the normalisers with examples.")
    var list = false

    @Option(help: "json (one JSON value per line, the default) or text (strings unquoted).")
    var format: OutputFormat = .json

    func validate() throws {
        if !list && (name == nil || values.isEmpty) {
            throw ValidationError("give a normaliser name and at least one value (or --list)")
        }
    }

    func run() async throws {
        _ = global.makeLogger("marquee.normalise")
        if list {
            for normalizer in NormalizerRegistry.standard.names.compactMap({ NormalizerRegistry.standard[$0] }) {
                print("\(normalizer.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(normalizer.summary)")
                print(
                    String(repeating: " ", count: 17) + "e.g. "
                        + normalizer.examples.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            return
        }
        try await reportingErrors {
            let request = NormalizeRequest(
                name: name!, values: values, options: NormalizeOptions(locale: locale, scale: scale, baseURL: baseURL))
            let results: [Result<String, NormalizeError>]
            do {
                results = try request.run()
            } catch let unknown as UnknownNormalizer {
                throw MarqueeError(.usage, unknown.description, hint: "marquee normalise --list shows them all")
            }
            var failures = 0
            for result in results {
                switch result {
                case .success(let json):
                    if format == .text, json.hasPrefix("\""),
                        let string = try? JSONDecoder().decode(String.self, from: Data(json.utf8))
                    {
                        print(string)
                    } else {
                        print(json)
                    }
                case .failure(let error):
                    failures += 1
                    FileHandle.standardError.write(Data("marquee: error: \(error)\n".utf8))
                }
            }
            if failures > 0 { throw ExitCode(MarqueeError.Code.dataError.rawValue) }
        }
    }
}
