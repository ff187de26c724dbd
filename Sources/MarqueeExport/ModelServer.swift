import Foundation
import MarqueeCore
import Synchronization

/// What `marquee serve` answers, as a function of method, path and body: the model once loaded
/// (ready means loaded), the routes of ``InferenceService/endpoint(method:path:)``, and the
/// metrics. The HTTP layer (``InferenceServer``) only moves bytes and times them.
public final class ModelServer: Sendable {
    /// One response, ready to send.
    public struct Answer: Sendable {
        /// HTTP status.
        public var status: Int
        /// `application/json`, or Prometheus's text type for `/metrics`.
        public var contentType: String
        /// The body.
        public var body: Data
        /// The `Allow` header of a 405.
        public var allow: String?
        /// The endpoint asked for (`nil` for an unknown path).
        public var endpoint: InferenceService.Endpoint?
        /// Predictions made (the batch size of a successful infer, 1 for a recommendation).
        public var predictions: Int
        /// How long the model computed, for infer and recommend.
        public var compute: Duration?
    }

    private enum State {
        case loading(name: String?)
        case ready(InferenceService)
    }

    private let state: Mutex<State>
    /// Counters and histograms for `/metrics`.
    public let metrics = ServingMetrics()

    /// A server whose model is still loading (`name`, when known, is used in messages).
    public init(loading name: String? = nil) { state = Mutex(.loading(name: name)) }

    /// A server with `service` loaded.
    public init(serving service: InferenceService) { state = Mutex(.ready(service)) }

    /// Makes `service` the served model: from now on the server is ready.
    public func load(_ service: InferenceService) { state.withLock { $0 = .ready(service) } }

    /// The served model, once loaded.
    public var service: InferenceService? {
        state.withLock {
            if case .ready(let service) = $0 { return service }
            return nil
        }
    }

    /// Answers one request.
    public func answer(method: String, path: String, body: Data) -> Answer {
        let endpoint: InferenceService.Endpoint
        switch InferenceService.endpoint(method: method, path: path) {
        case .failure(let reply):
            // A 405 still names its route (for the metrics' labels).
            let route = reply.allow.flatMap { try? InferenceService.endpoint(method: String($0.prefix { $0 != "," }), path: path).get() }
            return Self.json(reply, endpoint: route)
        case .success(let found): endpoint = found
        }
        let service = service
        switch endpoint {
        case .metrics:
            return Answer(
                status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Data(metrics.text().utf8),
                endpoint: endpoint, predictions: 0)
        case .serverMetadata: return Self.json(InferenceService.serverMetadata(), endpoint: endpoint)
        case .live: return Self.json(.init(status: 200, body: .object(JSONObject([("live", .bool(true))]))), endpoint: endpoint)
        case .ready:
            return Self.json(
                .init(status: service == nil ? 503 : 200, body: .object(JSONObject([("ready", .bool(service != nil))]))),
                endpoint: endpoint)
        case .modelMetadata(let model, let version), .modelReady(let model, let version), .infer(let model, let version),
            .recommend(let model, let version):
            guard let service else {
                if case .modelReady = endpoint {
                    return Self.json(.init(status: 503, body: .object(JSONObject([("ready", .bool(false))]))), endpoint: endpoint)
                }
                return Self.json(
                    InferenceService.error(503, "the model is still loading; GET /v2/health/ready says when it is ready"),
                    endpoint: endpoint)
            }
            let started = ContinuousClock.now
            let reply: InferenceService.Reply
            switch endpoint {
            case .modelMetadata: reply = service.metadata(model, version: version)
            case .modelReady: reply = service.ready(model, version: version)
            case .infer: reply = service.infer(model, version: version, body: body)
            default: reply = service.recommend(model, version: version, body: body)
            }
            var answer = Self.json(reply, endpoint: endpoint)
            if case .infer = endpoint {
                answer.compute = ContinuousClock.now - started
                if reply.status == 200, case .array(let data)? = reply.body["outputs"]?[0]?["data"] {
                    answer.predictions = data.count
                }
            } else if case .recommend = endpoint {
                answer.compute = ContinuousClock.now - started
                answer.predictions = reply.status == 200 ? 1 : 0
            }
            return answer
        }
    }

    /// A JSON answer for `reply`.
    public static func json(_ reply: InferenceService.Reply, endpoint: InferenceService.Endpoint?) -> Answer {
        Answer(
            status: reply.status, contentType: "application/json", body: Data((reply.body.serialized() + "\n").utf8),
            allow: reply.allow, endpoint: endpoint, predictions: 0)
    }
}
