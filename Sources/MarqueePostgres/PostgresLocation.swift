import Foundation
import MarqueeCore

/// Where a PostgreSQL database is and how to log in, from a URL as libpq writes it:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require|verify-ca|verify-full]`.
///
/// The password comes from the URL, else `PGPASSWORD`, else the password file (`PGPASSFILE`,
/// else `~/.pgpass`, lines `host:port:database:user:password` with `*` wildcards, as libpq reads
/// it). It is never part of ``description``, of an error or of a log line.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How the connection uses TLS (libpq's `sslmode`).
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verifying its certificate; plain otherwise.
        case prefer
        /// TLS, without verifying the certificate (libpq's meaning).
        case require
        /// TLS with the certificate verified against the system's roots, any host name.
        case verifyCA = "verify-ca"
        /// TLS with the certificate and the host name verified.
        case verifyFull = "verify-full"
    }

    /// Server host name or address.
    public var host: String
    /// Server port.
    public var port: Int
    /// Role to log in as.
    public var user: String
    /// Database name.
    public var database: String
    /// TLS mode.
    public var sslMode: SSLMode
    /// The password, when one was found (never printed).
    var password: String?
    /// Where the password came from (`url`, `PGPASSWORD`, the password file's path), or `nil`.
    public private(set) var passwordSource: String?

    /// Whether `text` is a PostgreSQL URL rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `url`, finding the password as libpq does.
    /// - Parameters:
    ///   - url: the URL (`postgres://` or `postgresql://`).
    ///   - environment: where `PGPASSWORD`, `PGPASSFILE` and `HOME` are read.
    /// - Throws: `MarqueeError` (`.usage`) naming what is wrong with the URL, or (`.noPermission`)
    ///   when the password file is readable by others.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(MarqueeError)
    {
        let shown = Self.redacted(url)
        guard Self.isURL(url), let components = URLComponents(string: url), let host = components.host, !host.isEmpty
        else {
            throw MarqueeError(
                .usage, "not a PostgreSQL URL: \(shown)",
                hint: "write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable]")
        }
        guard let user = components.user, !user.isEmpty else {
            throw MarqueeError(
                .usage, "the PostgreSQL URL \(shown) names no user", hint: "write postgres://USER@\(host)/DATABASE")
        }
        self.host = host
        self.user = user
        port = components.port ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        sslMode = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: item.value ?? "") else {
                    throw MarqueeError(
                        .usage, "sslmode=\(item.value ?? "") in \(shown) is not a TLS mode",
                        hint: "use one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            default:
                throw MarqueeError(
                    .usage, "\(item.name) in \(shown) is not a parameter Marquee reads",
                    hint: "only sslmode is read from the URL; remove \(item.name)")
            }
        }
        if let password = components.password {
            self.password = password
            passwordSource = "the URL"
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            self.password = password
            passwordSource = "PGPASSWORD"
        } else {
            let file =
                environment["PGPASSFILE"].map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".pgpass")
            if let password = try Self.passwordFromFile(file, host: host, port: port, database: database, user: user) {
                self.password = password
                passwordSource = file.path
            }
        }
    }

    /// `postgres://USER@HOST:PORT/DB?sslmode=…`, without the password.
    public var description: String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// `url` with any password replaced by `***`, for messages about a URL that did not parse.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", options: .backwards),
            scheme.upperBound < at.lowerBound
        else { return url }
        let credentials = url[scheme.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at.lowerBound...])
    }

    /// The password of the first matching line of a libpq password file, or `nil`.
    static func passwordFromFile(_ file: URL, host: String, port: Int, database: String, user: String)
        throws(MarqueeError) -> String?
    {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            let text = try? String(contentsOf: file, encoding: .utf8)
        else { return nil }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw MarqueeError(
                .noPermission, "the password file is readable by other users", location: file.path,
                hint: "chmod 600 \(file.path)")
        }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitPasswordLine(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A password-file line's fields, `\:` and `\\` unescaped.
    private static func splitPasswordLine(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
