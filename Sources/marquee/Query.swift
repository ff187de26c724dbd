import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeStore

/// `marquee query "SQL"`: read the store with SQL; nothing but reading is allowed.
struct Query: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json

        init?(argument: String) {
            if argument == "table" { self = .text } else { self.init(rawValue: argument) }
        }
    }

    static let configuration = CommandConfiguration(
        abstract: "Run one read-only SQL statement against the store.",
        discussion:
            "The store is opened read-only; writes, ATTACH, setting pragmas and several statements are refused (exit 64)."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "One SQL statement (SELECT, WITH, EXPLAIN or a reporting PRAGMA).") var sql: String
    @Option(
        name: .customLong("arg"),
        help: "A value for the statement's next ? placeholder, bound (never pasted into the SQL); repeatable.")
    var arguments: [String] = []
    @Option(help: "text (an aligned table), csv or json.") var format: Format = .text

    func run() async throws {
        _ = global.makeLogger("marquee.query")
        try await reportingErrors {
            try global.requireSQLite()
            let result = try ReadOnlyQuery.run(sql, arguments: arguments, storePath: global.store)
            print(QueryOutput.render(result, format: format.rawValue), terminator: "")
        }
    }
}
