import Foundation
import GRDB
import MarqueeCore

/// One step of a recorded run.
public struct RunStep: Sendable, Hashable {
    /// The step's name (`dataset`, `train`, …).
    public var step: String
    /// `ok`, `cached` (skipped: a previous run had the same inputs), `failed`, `running`.
    public var status: String
    /// When it started (UTC microseconds).
    public var started: Int64
    /// When it ended (UTC microseconds); `nil` while it runs.
    public var ended: Int64?
    /// Hash of the step's inputs and parameters: equal hashes mean the step would do the same work.
    public var inputHash: String
    /// Hash of what it produced (a dataset version, a model file's SHA-256 …).
    public var outputHash: String?
    /// What it produced, as JSON (artefact paths, counts, versions).
    public var outputs: JSONValue?
    /// Why the step failed, as the command line printed it.
    public var error: String?

    /// A step record; see the properties for what each part means.
    public init(
        step: String, status: String, started: Int64, ended: Int64? = nil, inputHash: String, outputHash: String? = nil,
        outputs: JSONValue? = nil, error: String? = nil
    ) {
        self.step = step
        self.status = status
        self.started = started
        self.ended = ended
        self.inputHash = inputHash
        self.outputHash = outputHash
        self.outputs = outputs
        self.error = error
    }
}

/// A recorded pipeline run.
public struct RunRecord: Sendable, Hashable {
    /// The run id (time-ordered, unique).
    public var id: String
    /// The pipeline's name.
    public var pipeline: String
    /// `running`, `ok`, `failed`, `interrupted`.
    public var status: String
    /// When it started (UTC microseconds).
    public var started: Int64
    /// When it ended (UTC microseconds); `nil` while it runs.
    public var ended: Int64?
    /// Versions and the like (Marquee version, git commit), as JSON.
    public var detail: JSONValue?
    /// Its steps, in the order they ran.
    public var steps: [RunStep]
    /// Why a `failed` (or `interrupted`) run ended: the error as the command line printed it.
    public var error: String?
    /// The exit status the run ended with, when it did not end `ok`.
    public var exitCode: Int?
}

extension FeatureStore {
    /// Starts a run record.
    public func beginRun(id: String, pipeline: String, detail: JSONValue) throws(MarqueeError) {
        do {
            try writer.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO runs (id, pipeline, status, started_ts_us, detail) VALUES (?, ?, 'running', ?, ?)",
                    arguments: [id, pipeline, nowMicroseconds, detail.serialized()])
            }
        } catch {
            throw .database(error, "recording the run")
        }
    }

    /// Writes (or rewrites) step `position` of run `id`.
    public func recordStep(run id: String, position: Int, _ step: RunStep) throws(MarqueeError) {
        do {
            try writer.write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO run_steps
                            (run_id, position, step, status, started_ts_us, ended_ts_us, input_hash, output_hash, outputs, error)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, position, step.step, step.status, step.started, step.ended, step.inputHash, step.outputHash,
                        step.outputs?.serialized(), step.error,
                    ])
            }
        } catch {
            throw .database(error, "recording a run step")
        }
    }

    /// Marks runs of `pipeline` still `running` as `abandoned` (their process died without
    /// ending them, e.g. `kill -9`); call only while holding the run lock. Returns how many.
    @discardableResult
    public func abandonStaleRuns(pipeline: String) throws(MarqueeError) -> Int {
        do {
            return try writer.write { db in
                try db.execute(
                    sql:
                        "UPDATE runs SET status = 'abandoned', ended_ts_us = ? WHERE pipeline = ? AND status = 'running'",
                    arguments: [nowMicroseconds, pipeline])
                return db.changesCount
            }
        } catch {
            throw .database(error, "closing abandoned runs")
        }
    }

    /// Ends run `id` with `status`.
    public func endRun(id: String, status: String) throws(MarqueeError) {
        do {
            try writer.write { db in
                try db.execute(
                    sql: "UPDATE runs SET status = ?, ended_ts_us = ? WHERE id = ?",
                    arguments: [status, nowMicroseconds, id])
            }
        } catch {
            throw .database(error, "ending the run")
        }
    }

    /// Records why run `id` ended early: its error and exit status, and `failed` as its status
    /// unless it already ended otherwise (`interrupted`).
    public func failRun(id: String, error: String, exitCode: Int) throws(MarqueeError) {
        do {
            try writer.write { db in
                try db.execute(
                    sql: """
                        UPDATE runs SET status = CASE WHEN status IN ('running', 'failed') THEN 'failed' ELSE status END,
                            ended_ts_us = COALESCE(ended_ts_us, ?), error = ?, exit_code = ?
                        WHERE id = ?
                        """,
                    arguments: [nowMicroseconds, error, exitCode, id])
            }
        } catch {
            throw .database(error, "ending the run")
        }
    }

    /// The latest successful execution of `step` with inputs `inputHash` (what the step cache reuses).
    public func cachedStep(_ step: String, inputHash: String) throws(MarqueeError) -> RunStep? {
        do {
            return try writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM run_steps WHERE step = ? AND input_hash = ? AND status IN ('ok', 'cached')
                        ORDER BY started_ts_us DESC LIMIT 1
                        """, arguments: [step, inputHash]
                ).map(Self.step)
            }
        } catch {
            throw .database(error, "reading the step cache")
        }
    }

    /// Runs, newest first (`limit` of them), with their steps.
    public func runs(limit: Int = 20) throws(MarqueeError) -> [RunRecord] {
        do {
            return try writer.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM runs ORDER BY started_ts_us DESC, id LIMIT ?", arguments: [limit])
                return try rows.map { row in try Self.run(row, db) }
            }
        } catch {
            throw .database(error, "reading runs")
        }
    }

    /// The ids of runs starting with `prefix`, newest first (at most `limit`).
    public func runIDs(prefix: String, limit: Int = 10) throws(MarqueeError) -> [String] {
        do {
            return try writer.read { db in
                try String.fetchAll(
                    db, sql: "SELECT id FROM runs WHERE id LIKE ? || '%' ORDER BY started_ts_us DESC LIMIT ?",
                    arguments: [prefix, limit])
            }
        } catch {
            throw .database(error, "reading runs")
        }
    }

    /// One run by id (or a unique prefix of it).
    public func run(_ id: String) throws(MarqueeError) -> RunRecord? {
        do {
            return try writer.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM runs WHERE id LIKE ? || '%' LIMIT 2", arguments: [id])
                guard rows.count == 1 else { return nil }
                return try Self.run(rows[0], db)
            }
        } catch {
            throw .database(error, "reading the run")
        }
    }

    private static func run(_ row: Row, _ db: Database) throws -> RunRecord {
        let id: String = row["id"]
        let steps = try Row.fetchAll(
            db, sql: "SELECT * FROM run_steps WHERE run_id = ? ORDER BY position", arguments: [id])
        let detail: String? = row["detail"]
        return RunRecord(
            id: id, pipeline: row["pipeline"], status: row["status"], started: row["started_ts_us"],
            ended: row["ended_ts_us"], detail: detail.flatMap { try? JSONParser().parse($0).value },
            steps: steps.map(step), error: row["error"], exitCode: row["exit_code"])
    }

    private static func step(_ row: Row) -> RunStep {
        let outputs: String? = row["outputs"]
        return RunStep(
            step: row["step"], status: row["status"], started: row["started_ts_us"], ended: row["ended_ts_us"],
            inputHash: row["input_hash"], outputHash: row["output_hash"],
            outputs: outputs.flatMap { try? JSONParser().parse($0).value }, error: row["error"])
    }
}

extension FeatureStore {
    /// A fingerprint of the observations (count and newest row): equal fingerprints mean no
    /// observation was added since, so a dataset built from them would be the same.
    public func observationsFingerprint() throws(MarqueeError) -> String {
        do {
            return try writer.read { db in
                let row = try Row.fetchOne(
                    db, sql: "SELECT COUNT(*) AS n, COALESCE(MAX(rowid), 0) AS last FROM observations")
                let count: Int64 = row?["n"] ?? 0
                let last: Int64 = row?["last"] ?? 0
                return "\(count):\(last)"
            }
        } catch {
            throw .database(error, "reading the observations")
        }
    }
}
