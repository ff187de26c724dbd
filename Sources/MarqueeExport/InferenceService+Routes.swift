import Foundation
import MarqueeCore

extension InferenceService {
    /// The version every served model answers as (`/v2/models/NAME/versions/1/…`).
    public static let version = "1"

    /// What a request asks for, from its method and path: the Open Inference Protocol V2 REST
    /// endpoints, the `recommend` extension, and `/metrics`.
    public enum Endpoint: Sendable, Equatable {
        /// `GET /v2`.
        case serverMetadata
        /// `GET /v2/health/live`.
        case live
        /// `GET /v2/health/ready`.
        case ready
        /// `GET /metrics` (Prometheus text format).
        case metrics
        /// `GET /v2/models/NAME[/versions/V]`.
        case modelMetadata(model: String, version: String?)
        /// `GET /v2/models/NAME[/versions/V]/ready`.
        case modelReady(model: String, version: String?)
        /// `POST /v2/models/NAME[/versions/V]/infer`.
        case infer(model: String, version: String?)
        /// `POST /v2/models/NAME[/versions/V]/recommend`.
        case recommend(model: String, version: String?)

        /// The route's pattern, for metrics labels and the access log (`/v2/models/{name}/infer`).
        public var route: String {
            switch self {
            case .serverMetadata: "/v2"
            case .live: "/v2/health/live"
            case .ready: "/v2/health/ready"
            case .metrics: "/metrics"
            case .modelMetadata(_, let version): "/v2/models/{name}" + (version == nil ? "" : "/versions/{version}")
            case .modelReady(_, let version): "/v2/models/{name}" + (version == nil ? "" : "/versions/{version}") + "/ready"
            case .infer(_, let version): "/v2/models/{name}" + (version == nil ? "" : "/versions/{version}") + "/infer"
            case .recommend(_, let version):
                "/v2/models/{name}" + (version == nil ? "" : "/versions/{version}") + "/recommend"
            }
        }

        /// The method the endpoint answers (HEAD is taken wherever GET is).
        public var method: String {
            switch self {
            case .infer, .recommend: "POST"
            default: "GET"
            }
        }
    }

    /// `method path` as an endpoint; a path no endpoint has is 404, a known path with another
    /// method 405 (its reply names the allowed method). Both with a JSON `{"error": …}` body.
    public static func endpoint(method: String, path: String) -> Result<Endpoint, Reply> {
        let clean = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        let parts = clean.split(separator: "/", omittingEmptySubsequences: true).map { $0.removingPercentEncoding ?? String($0) }
        var found: Endpoint?
        switch parts.count {
        case 1 where parts[0] == "metrics": found = .metrics
        case 1 where parts[0] == "v2": found = .serverMetadata
        case 3 where parts[0] == "v2" && parts[1] == "health" && parts[2] == "live": found = .live
        case 3 where parts[0] == "v2" && parts[1] == "health" && parts[2] == "ready": found = .ready
        default:
            if parts.count >= 3, parts[0] == "v2", parts[1] == "models" {
                var rest = Array(parts.dropFirst(3))
                var version: String?
                if rest.count >= 2, rest[0] == "versions" {
                    version = rest[1]
                    rest.removeFirst(2)
                }
                let model = parts[2]
                switch rest {
                case []: found = .modelMetadata(model: model, version: version)
                case ["ready"]: found = .modelReady(model: model, version: version)
                case ["infer"]: found = .infer(model: model, version: version)
                case ["recommend"]: found = .recommend(model: model, version: version)
                default: break
                }
            }
        }
        guard let found else {
            return .failure(
                error(
                    404,
                    "no endpoint \(clean); this server answers GET /v2, /v2/health/live, /v2/health/ready, /v2/models/NAME[/versions/1][/ready], POST /v2/models/NAME[/versions/1]/infer and …/recommend, and GET /metrics"
                ))
        }
        let asked = method == "HEAD" ? "GET" : method
        guard asked == found.method else {
            var reply = error(405, "\(method) is not allowed on \(found.route); use \(found.method)")
            reply.allow = found.method == "GET" ? "GET, HEAD" : found.method
            return .failure(reply)
        }
        return .success(found)
    }

    /// `GET /v2`: the server's name, version and protocol extensions.
    public static func serverMetadata() -> Reply {
        Reply(
            status: 200,
            body: .object(
                JSONObject([
                    ("name", .string("marquee")), ("version", .string(MarqueeVersion.current)),
                    ("extensions", .array([.string("recommend"), .string("metrics")])),
                ])))
    }

    /// Checks a version in the path: `nil` (none given) and ``version`` are served.
    func checkVersion(_ requested: String?) -> Reply? {
        guard let requested, requested != Self.version else { return nil }
        return Self.error(404, "model \"\(name)\" has no version \(requested); versions: \(Self.version)")
    }
}
