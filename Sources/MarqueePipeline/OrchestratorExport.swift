import Foundation
import MarqueeCore

/// A pipeline as a program another orchestrator runs: a ZenML pipeline or an Airflow DAG in
/// Python, one task per Marquee step (`scrape:SITE`, `ingest`, `dataset`, `train`, `evaluate`,
/// `export`), each running `marquee pipeline step` and passing its typed outputs on — the
/// dataset version id and file, the model path and SHA-256, the evaluation report — so the
/// orchestrator's lineage shows what Marquee's run records show.
public enum OrchestratorExport {
    /// The orchestrators Marquee writes for.
    public enum Target: String, Sendable, CaseIterable {
        /// ZenML (`@step`s in a `@pipeline`; runs on the default local stack as generated).
        case zenml
        /// Apache Airflow (a TaskFlow DAG with XCom outputs; `airflow dags test` runs it).
        case airflow
    }

    /// Where the generated program finds things; each can be overridden by an environment
    /// variable when it runs (`MARQUEE`, `MARQUEE_STORE`, `MARQUEE_WORK`, `MARQUEE_CWD`).
    public struct Locations: Sendable {
        /// The `marquee` binary.
        public var marquee: String
        /// The pipeline file (absolute).
        public var pipelineFile: String
        /// The feature store.
        public var store: String
        /// The work folder.
        public var work: String
        /// The folder relative paths in the pipeline resolve from.
        public var directory: String
        /// Environment variables the steps get unless the environment sets them (the demo's
        /// public user salt for the demo's own store, as `marquee demo` uses it).
        public var defaults: [String: String]

        /// Locations; see the properties.
        public init(
            marquee: String, pipelineFile: String, store: String, work: String, directory: String,
            defaults: [String: String] = [:]
        ) {
            self.marquee = marquee
            self.pipelineFile = pipelineFile
            self.store = store
            self.work = work
            self.directory = directory
            self.defaults = defaults
        }
    }

    /// One task: its Python name, the Marquee step, its inputs and its typed outputs (name,
    /// Python type, the key of the step's outputs it comes from).
    struct Task {
        var function: String
        var step: String
        var inputs: [(name: String, type: String)]
        var options: [(flag: String, input: String)]
        var outputs: [(name: String, type: String, key: String)]
    }

    static func tasks(for runnerSteps: [String]) -> [Task] {
        var tasks: [Task] = []
        var dataInputs: [(String, String)] = []
        for step in runnerSteps {
            switch step {
            case "dataset":
                tasks.append(
                    Task(
                        function: "dataset", step: step, inputs: dataInputs, options: [],
                        outputs: [("dataset_version", "str", "version"), ("dataset_file", "str", "file"), ("dataset_rows", "int", "rows")]))
            case "train":
                tasks.append(
                    Task(
                        function: "train", step: step, inputs: [("dataset_version", "str"), ("dataset_file", "str")],
                        options: [("--dataset-version", "dataset_version"), ("--dataset-file", "dataset_file")],
                        outputs: [("model_path", "str", "file"), ("model_sha256", "str", "sha256")]))
            case "evaluate":
                tasks.append(
                    Task(
                        function: "evaluate", step: step, inputs: [("dataset_version", "str"), ("dataset_file", "str")],
                        options: [("--dataset-version", "dataset_version"), ("--dataset-file", "dataset_file")],
                        outputs: [
                            ("report_path", "str", "report"), ("rmse", "Optional[float]", "rmse"), ("ndcg", "Optional[float]", "ndcg"),
                        ]))
            case "export":
                tasks.append(
                    Task(
                        function: "export", step: step, inputs: [("model_path", "str"), ("model_sha256", "str")],
                        options: [("--model", "model_path"), ("--model-sha256", "model_sha256")],
                        outputs: [("export_dir", "str", "directory")]))
            default:
                // scrape:SITE and ingest feed the dataset: their counts are its inputs, which
                // also orders them before it.
                let function = step.replacingOccurrences(of: ":", with: "_").replacingOccurrences(of: "-", with: "_")
                let (output, key) = step == "ingest" ? ("ingest_ratings", "ratings") : ("\(function)_observations", "observations")
                tasks.append(Task(function: function, step: step, inputs: [], options: [], outputs: [(output, "int", key)]))
                dataInputs.append((output, "int"))
            }
        }
        return tasks
    }

    /// The Python program for `target` running `spec`'s steps (`steps`, as
    /// ``PipelineRunner/stepNames`` lists them).
    public static func python(_ target: Target, spec: PipelineSpec, steps: [String], locations: Locations) -> String {
        let tasks = tasks(for: steps)
        let pipelineName = "marquee_" + spec.name.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        var text = header(target, spec: spec, pipelineName: pipelineName, locations: locations)
        switch target {
        case .zenml:
            for task in tasks { text += zenmlStep(task) }
            text += "\n@pipeline(name=\"\(pipelineName)\", enable_cache=False)\ndef \(pipelineName)():\n"
            text += wiring(tasks, indexed: false)
            text += """


                if __name__ == "__main__":
                    run = \(pipelineName)()
                    outputs = {}
                    for step_run in run.steps.values():
                        for name, artifacts in step_run.outputs.items():
                            outputs[name] = artifacts[0].load()
                    print(json.dumps({"pipeline": "\(spec.name)", "run": run.name, "status": str(run.status), "outputs": outputs}, indent=2, sort_keys=True))

                """
        case .airflow:
            let schedule = spec.schedule.map { "\"\($0)\"" } ?? "None"
            text += """

                @dag(
                    dag_id="\(pipelineName)",
                    schedule=\(schedule),
                    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
                    catchup=False,
                    max_active_runs=1,  # Marquee's run lock: an overlapping run would exit 75
                    tags=["marquee"],
                )
                def \(pipelineName)():

                """
            for task in tasks { text += airflowTask(task) }
            text += wiring(tasks, indexed: true).split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.isEmpty ? "" : "    " + $0
            }.joined(separator: "\n")
            text += "\n\n\(pipelineName)()\n"
        }
        return text
    }

    static func header(_ target: Target, spec: PipelineSpec, pipelineName: String, locations: Locations) -> String {
        let run =
            target == .zenml
            ? "    pip install \"zenml[local]==0.98.0\"\n    python THIS_FILE        # on ZenML's default local stack, offline"
            : "    airflow dags test \(pipelineName)   # with this file in the DAGs folder"
        let imports =
            target == .zenml
            ? "from typing import Annotated, Optional, Tuple\n\n# Offline by default: no usage analytics, no dashboard (set them to opt in).\n"
                + "os.environ.setdefault(\"ZENML_ANALYTICS_OPT_IN\", \"false\")\nos.environ.setdefault(\"AUTO_OPEN_DASHBOARD\", \"false\")\n\n"
                + "from zenml import pipeline, step\n"
            : "from typing import Optional\n\nimport pendulum\nfrom airflow.decorators import dag, task\n"
        return """
            #!/usr/bin/env python3
            \"\"\"Marquee's `\(spec.name)` pipeline as \(target == .zenml ? "a ZenML pipeline" : "an Airflow DAG").

            Generated by `marquee pipeline export \(spec.name) --to \(target.rawValue)` (Marquee \(MarqueeVersion.current))
            from \(spec.file). Each task runs one Marquee step with `marquee pipeline step` — the
            work `marquee pipeline run` does for it — and passes its typed outputs on: the dataset
            version id and file, the model path and SHA-256, the evaluation report.

            \(run)

            Environment: MARQUEE (the marquee binary), MARQUEE_STORE (the feature store),
            MARQUEE_WORK (the artefacts folder), MARQUEE_CWD (where relative paths resolve).
            \"\"\"
            import json
            import os
            import subprocess
            \(imports)
            MARQUEE = os.environ.get("MARQUEE", \(quoted(locations.marquee)))
            PIPELINE = \(quoted(locations.pipelineFile))
            STORE = os.environ.get("MARQUEE_STORE", \(quoted(locations.store)))
            WORK = os.environ.get("MARQUEE_WORK", \(quoted(locations.work)))
            CWD = os.environ.get("MARQUEE_CWD", \(quoted(locations.directory)))
            DEFAULTS = {\(locations.defaults.sorted { $0.key < $1.key }.map { "\(quoted($0.key)): \(quoted($0.value))" }.joined(separator: ", "))}


            def marquee_step(name, *options):
                \"\"\"Runs `marquee pipeline step PIPELINE NAME` and returns the step's outputs.\"\"\"
                command = [MARQUEE, "pipeline", "step", PIPELINE, name, "--store", STORE, "--work", WORK,
                           "--format", "json", "--log-format", "json", *options]
                result = subprocess.run(command, cwd=CWD, capture_output=True, text=True, env={**DEFAULTS, **os.environ})
                if result.returncode != 0:
                    raise RuntimeError(f"marquee pipeline step {name} exited {result.returncode}: {result.stderr.strip()}")
                return json.loads(result.stdout)

            """
    }

    static func call(_ task: Task) -> String {
        let options = task.options.map { "\"\($0.flag)\", \($0.input)" }
        return "marquee_step(\(([quoted(task.step)] + options).joined(separator: ", ")))"
    }

    static func converted(_ output: (name: String, type: String, key: String)) -> String {
        switch output.type {
        case "int": "int(outputs[\(quoted(output.key))])"
        case "Optional[float]": "outputs.get(\(quoted(output.key)))"
        default: "outputs[\(quoted(output.key))]"
        }
    }

    static func zenmlStep(_ task: Task) -> String {
        let parameters = task.inputs.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
        let annotated = task.outputs.map { "Annotated[\($0.type), \(quoted($0.name))]" }
        let returns = annotated.count == 1 ? annotated[0] : "Tuple[\(annotated.joined(separator: ", "))]"
        return """

            @step(enable_cache=False)
            def \(task.function)(\(parameters)) -> \(returns):
                outputs = \(call(task))
                return \(task.outputs.map(converted).joined(separator: ", "))

            """
    }

    static func airflowTask(_ task: Task) -> String {
        let parameters = task.inputs.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
        if task.outputs.count == 1 {
            return """
                    @task(task_id=\(quoted(task.step.replacingOccurrences(of: ":", with: "_"))))
                    def \(task.function)(\(parameters)) -> \(task.outputs[0].type):
                        outputs = \(call(task))
                        return \(converted(task.outputs[0]))


                """
        }
        let members = task.outputs.map { "\(quoted($0.name)): \(converted($0))" }.joined(separator: ", ")
        return """
                @task(task_id=\(quoted(task.step)), multiple_outputs=True)
                def \(task.function)(\(parameters)) -> dict:
                    outputs = \(call(task))
                    return {\(members)}


            """
    }

    /// The pipeline body: each task called with the outputs it needs.
    static func wiring(_ tasks: [Task], indexed: Bool) -> String {
        var lines: [String] = []
        var known: [String: String] = [:]  // output name → Python expression
        // The data steps (scrapes, ingest) write the store in the pipeline's order, one after the
        // other, as `pipeline run` does: entity resolution depends on what came first.
        var previousDataStep: Task?
        for task in tasks {
            var arguments = task.inputs.map { known[$0.name] ?? $0.name }.joined(separator: ", ")
            let variable = task.function + "_result"
            let isDataStep = task.step.hasPrefix("scrape:") || task.step == "ingest"
            if isDataStep, let previous = previousDataStep, !indexed {
                arguments = "after=\(quoted(previous.function))"
            }
            if indexed || task.outputs.count == 1 {
                lines.append("\(variable) = \(task.function)(\(arguments))")
                for output in task.outputs {
                    known[output.name] = task.outputs.count == 1 ? variable : "\(variable)[\(quoted(output.name))]"
                }
            } else {
                lines.append("\(task.outputs.map(\.name).joined(separator: ", ")) = \(task.function)(\(arguments))")
                for output in task.outputs { known[output.name] = output.name }
            }
            if isDataStep {
                if indexed, let previous = previousDataStep { lines.append("\(previous.function)_result >> \(variable)") }
                previousDataStep = task
            }
        }
        return lines.map { indexed ? $0 : "    " + $0 }.joined(separator: "\n")
    }

    static func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }
}
