import Foundation
import Prometheus

/// What `GET /metrics` reports, in Prometheus's text format (swift-prometheus): the counters and
/// histograms Triton and MLServer users watch, under Marquee's names. Durations are in seconds
/// (Prometheus's convention; Triton's are cumulative microseconds).
///
/// | Marquee | Triton | Meaning |
/// |---|---|---|
/// | `marquee_inference_request_success_total` | `nv_inference_request_success` | infer/recommend requests answered 2xx |
/// | `marquee_inference_request_failure_total` | `nv_inference_request_failure` | infer/recommend requests answered 4xx/5xx (label `reason`: `client`, `server`) |
/// | `marquee_inference_count_total` | `nv_inference_count` | predictions made (a batch of 100 pairs counts 100) |
/// | `marquee_inference_exec_count_total` | `nv_inference_exec_count` | model executions (one per successful request) |
/// | `marquee_inference_request_duration_seconds` | `nv_inference_request_duration_us` | request received → response ready |
/// | `marquee_inference_queue_duration_seconds` | `nv_inference_queue_duration_us` | request received → computation starts (body read, JSON parsed) |
/// | `marquee_inference_compute_duration_seconds` | `nv_inference_compute_infer_duration_us` | the prediction itself |
/// | `marquee_http_requests_total` | — | every request, by `method`, `route` and `code` |
public final class ServingMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    /// A fresh registry.
    public init() {}

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "marquee", metricName: metric, unitName: unit, helpText: help)
    }
    static var requests: MetricNameDescriptor {
        name("http_requests", "total", "HTTP requests by method, route and status code")
    }
    static var success: MetricNameDescriptor {
        name(
        "inference_request_success", "total", "Successful infer/recommend requests (Triton: nv_inference_request_success)")
    }
    static var failure: MetricNameDescriptor {
        name(
        "inference_request_failure", "total", "Failed infer/recommend requests (Triton: nv_inference_request_failure)")
    }
    static var count: MetricNameDescriptor {
        name("inference_count", "total", "Predictions made, batch items counted (Triton: nv_inference_count)")
    }
    static var executions: MetricNameDescriptor {
        name(
        "inference_exec_count", "total", "Model executions, one per successful request (Triton: nv_inference_exec_count)")
    }
    static var requestDuration: MetricNameDescriptor {
        name(
        "inference_request_duration", "seconds",
        "Request received to response ready (Triton: nv_inference_request_duration_us)")
    }
    static var queueDuration: MetricNameDescriptor {
        name(
        "inference_queue_duration", "seconds",
        "Request received to computation start: body read (Triton: nv_inference_queue_duration_us)")
    }
    static var computeDuration: MetricNameDescriptor {
        name(
        "inference_compute_duration", "seconds",
        "Parsing the request and computing the predictions (Triton: nv_inference_compute_infer_duration_us)")
    }

    /// Records one request: its endpoint (`nil` for an unknown path), status, predictions made,
    /// and the three durations.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - endpoint: What was asked for; `nil` when the path matched none.
    ///   - model: The served model's name (a label of the inference metrics).
    ///   - status: The HTTP status answered.
    ///   - predictions: Predictions made.
    ///   - total: Request received to response ready.
    ///   - queue: Request received to computation start.
    ///   - compute: The computation.
    public func record(
        method: String, endpoint: InferenceService.Endpoint?, model: String?, status: Int, predictions: Int,
        total: Duration, queue: Duration?, compute: Duration?
    ) {
        registry.makeCounter(
            descriptor: Self.requests, labels: [("method", method), ("route", endpoint?.route ?? "unknown"), ("code", "\(status)")]
        ).increment()
        switch endpoint {
        case .infer?, .recommend?: break
        default: return
        }
        let labels = [("model", model ?? ""), ("version", InferenceService.version)]
        if (200...299).contains(status) {
            registry.makeCounter(descriptor: Self.success, labels: labels).increment()
            registry.makeCounter(descriptor: Self.count, labels: labels).increment(by: Int64(predictions))
            registry.makeCounter(descriptor: Self.executions, labels: labels).increment()
        } else {
            registry.makeCounter(
                descriptor: Self.failure, labels: labels + [("reason", status >= 500 ? "server" : "client")]
            ).increment()
        }
        registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: labels, buckets: Self.buckets)
            .record(total)
        if let queue {
            registry.makeDurationHistogram(descriptor: Self.queueDuration, labels: labels, buckets: Self.buckets)
                .record(queue)
        }
        if let compute {
            registry.makeDurationHistogram(descriptor: Self.computeDuration, labels: labels, buckets: Self.buckets)
                .record(compute)
        }
    }

    /// The Prometheus text exposition of everything recorded.
    public func text() -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
