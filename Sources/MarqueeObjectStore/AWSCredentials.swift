import Foundation
import MarqueeCore

/// An access key pair (and session token) with where it came from. `description` never shows
/// the secret: errors name ``source`` and the key id's last four characters.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    /// The access key id (`AKIA…`).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials.
    public var sessionToken: String?
    /// Where they were read: `the environment (AWS_ACCESS_KEY_ID)` or the file and profile.
    public var source: String

    /// Credentials from `source`.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// `access key …WXYZ from the environment (AWS_ACCESS_KEY_ID)`.
    public var description: String { "access key …\(accessKeyID.suffix(4)) from \(source)" }

    /// The AWS SDKs' order: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, then
    /// the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`),
    /// then the config file (`AWS_CONFIG_FILE`, default `~/.aws/config`), for profile
    /// `AWS_PROFILE` (default `default`).
    /// - Throws: `MarqueeError` `.configuration` (78) naming every place looked in when none has
    ///   them, `.dataError` for a half-set environment or profile.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(MarqueeError)
        -> AWSCredentials
    {
        let id = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if id != nil || secret != nil {
            guard let id, let secret else {
                throw MarqueeError(
                    .configuration,
                    "\(id == nil ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") is set but \(id == nil ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") is not",
                    hint: "set both, or unset both to use the shared credentials file")
            }
            return AWSCredentials(
                accessKeyID: id, secretAccessKey: secret,
                sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
                source: "the environment (AWS_ACCESS_KEY_ID)")
        }
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let files = sharedFiles(environment)
        for (path, isConfig) in [(files.credentials, false), (files.config, true)] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let section = isConfig && profile != "default" ? "profile \(profile)" : profile
            guard let values = INIFile.section(section, in: text) else { continue }
            let id = values["aws_access_key_id"]
            let secret = values["aws_secret_access_key"]
            if id == nil && secret == nil { continue }
            guard let id, let secret, !id.isEmpty, !secret.isEmpty else {
                throw MarqueeError(
                    .dataError, "profile \(profile) has \(id == nil ? "no aws_access_key_id" : "no aws_secret_access_key")",
                    location: path, hint: "add both keys to [\(section)]")
            }
            return AWSCredentials(
                accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"],
                source: "\(path), profile \(profile)")
        }
        throw MarqueeError(
            .configuration,
            "no AWS credentials: AWS_ACCESS_KEY_ID is not set and profile \(profile) is in neither \(files.credentials) nor \(files.config)",
            hint: "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add [\(profile)] to \(files.credentials)")
    }

    /// The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` in the config file,
    /// else `us-east-1` (where S3 answers every bucket's region).
    public static func region(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        if let text = try? String(contentsOfFile: sharedFiles(environment).config, encoding: .utf8),
            let region = INIFile.section(profile == "default" ? "default" : "profile \(profile)", in: text)?["region"],
            !region.isEmpty
        {
            return region
        }
        return "us-east-1"
    }

    static func sharedFiles(_ environment: [String: String]) -> (credentials: String, config: String) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (
            environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials",
            environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        )
    }
}

/// The INI dialect of AWS's shared files: `[section]`, `key = value`, `#`/`;` comments.
enum INIFile {
    static func section(_ name: String, in text: String) -> [String: String]? {
        var current: String?
        var found: [String: String]?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if current == name, found == nil { found = [:] }
                continue
            }
            guard current == name, let equals = line.firstIndex(of: "=") else { continue }
            found?[line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return found
    }
}
