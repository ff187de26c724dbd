import Foundation
import Logging
import MarqueeCore
import MarqueeStore

/// Runs a pipeline's steps one after another and records each in the run: reuses a step whose
/// input hash matches a previous successful run (when its artefacts still exist), records
/// `running` → `ok`/`failed`/`interrupted`, and keeps each step's output hash and outputs for the
/// steps downstream.
final class StepRecorder {
    let store: FeatureStore
    let runID: String
    let force: Bool
    let shouldStop: @Sendable () -> Bool
    let logger: Logger
    private var position = 0
    /// Output hash by step name.
    private(set) var upstream: [String: String] = [:]
    /// Recorded outputs by step name.
    private(set) var outputs: [String: JSONValue] = [:]

    init(store: FeatureStore, runID: String, force: Bool, shouldStop: @escaping @Sendable () -> Bool, logger: Logger) {
        self.store = store
        self.runID = runID
        self.force = force
        self.shouldStop = shouldStop
        self.logger = logger
    }

    /// Runs step `name` unless a previous run with the same `inputs` can be reused.
    /// - Parameters:
    ///   - inputs: everything the step reads (hashed: the step's identity for reuse).
    ///   - cacheable: `false` for steps that must always run (a live scrape).
    ///   - body: does the work; returns the hash of what it produced and the outputs to record.
    /// - Throws: the body's error (the step and the run are recorded as failed first), or
    ///   `.temporary` (75) when a stop was requested before or during the step.
    func step(
        _ name: String, inputs: JSONValue, cacheable: Bool = true,
        _ body: () async throws(MarqueeError) -> (hash: String, outputs: JSONValue)
    ) async throws(MarqueeError) {
        let inputHash = Hashing.sha256(
            JSONValue.object(JSONObject([("step", .string(name)), ("inputs", inputs)])).serialized())
        let started = Microseconds.from(Date())
        if shouldStop() { throw interrupted("before", name) }
        if !force, cacheable, let cached = try store.cachedStep(name, inputHash: inputHash),
            let hash = cached.outputHash, PipelineRunner.artefactsExist(cached.outputs)
        {
            try finish(
                name, hash: hash, outputs: cached.outputs ?? .null,
                RunStep(
                    step: name, status: "cached", started: started, ended: Microseconds.from(Date()),
                    inputHash: inputHash, outputHash: hash, outputs: cached.outputs))
            logger.info("step cached", metadata: ["step": "\(name)", "output": "\(hash.prefix(16))"])
            return
        }
        try store.recordStep(
            run: runID, position: position,
            RunStep(step: name, status: "running", started: started, inputHash: inputHash))
        logger.info("step started", metadata: ["step": "\(name)"])
        do throws(MarqueeError) {
            let (hash, produced) = try await body()
            if shouldStop() {
                // Stopped at a safe point (a crawl re-queues what was in flight): not a result to reuse.
                try? store.recordStep(
                    run: runID, position: position,
                    RunStep(
                        step: name, status: "interrupted", started: started, ended: Microseconds.from(Date()),
                        inputHash: inputHash, outputs: produced))
                throw interrupted("during", name)
            }
            try finish(
                name, hash: hash, outputs: produced,
                RunStep(
                    step: name, status: "ok", started: started, ended: Microseconds.from(Date()),
                    inputHash: inputHash, outputHash: hash, outputs: produced))
            logger.info("step done", metadata: ["step": "\(name)", "output": "\(hash.prefix(16))"])
        } catch {
            if !shouldStop() {
                try? store.recordStep(
                    run: runID, position: position,
                    RunStep(
                        step: name, status: "failed", started: started, ended: Microseconds.from(Date()),
                        inputHash: inputHash, error: error.description))
            }
            try? store.endRun(id: runID, status: shouldStop() ? "interrupted" : "failed")
            throw error
        }
    }

    private func finish(_ name: String, hash: String, outputs produced: JSONValue, _ record: RunStep)
        throws(MarqueeError)
    {
        upstream[name] = hash
        outputs[name] = produced
        try store.recordStep(run: runID, position: position, record)
        position += 1
    }

    private func interrupted(_ when: String, _ name: String) -> MarqueeError {
        try? store.endRun(id: runID, status: "interrupted")
        return MarqueeError(
            .temporary, "interrupted \(when) step \(name)",
            hint: "run again: finished steps are reused and a crawl resumes where it stopped")
    }
}
