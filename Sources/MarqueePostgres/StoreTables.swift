import Foundation

/// The feature store's tables as PostgreSQL holds them: the same tables, columns and keys as the
/// SQLite store (docs/store.md), with SQLite's untyped `value` columns split into a kind and one
/// column per kind, so every value keeps its exact type (an integer stays an integer, a double its
/// bits, a blob its bytes) and a dataset rebuilt from either store is byte-identical.
enum StoreTables {
    /// A column's type.
    enum Kind: Sendable {
        case integer, real, text
        /// SQLite's untyped column: `NAME_kind` ('null', 'integer', 'real', 'text', 'blob') and
        /// `NAME_integer`, `NAME_real`, `NAME_text`, `NAME_blob` in PostgreSQL.
        case dynamic
    }

    struct Column: Sendable {
        var name: String
        var kind: Kind
        var nullable = true

        /// The PostgreSQL columns it becomes.
        var postgresColumns: [String] {
            kind == .dynamic ? ["kind", "integer", "real", "text", "blob"].map { "\(name)_\($0)" } : [name]
        }
    }

    struct Table: Sendable {
        var name: String
        var columns: [Column]
        /// The primary key: copy and hash order.
        var key: [String]
        /// The PostgreSQL migration that creates it (1: the first).
        var since = 1
    }

    private static func int(_ name: String, null: Bool = false) -> Column { Column(name: name, kind: .integer, nullable: null) }
    private static func text(_ name: String, null: Bool = false) -> Column { Column(name: name, kind: .text, nullable: null) }
    private static func real(_ name: String) -> Column { Column(name: name, kind: .real) }
    private static func value(_ name: String) -> Column { Column(name: name, kind: .dynamic) }

    /// Every table, parents before children (the order rows are copied in).
    static let all: [Table] = [
        Table(name: "entities", columns: [int("id"), text("kind"), text("key"), int("created_ts_us")], key: ["id"]),
        Table(
            name: "entity_keys", columns: [text("kind"), text("namespace"), text("value"), int("entity_id")],
            key: ["kind", "namespace", "value"]),
        Table(
            name: "observations",
            columns: [
                int("id"), int("entity_id"), text("feature"), int("object_id"), value("value"), int("event_ts_us"),
                int("created_ts_us"), text("source"), text("source_hash", null: true),
            ], key: ["id"]),
        Table(
            name: "online",
            columns: [
                int("entity_id"), text("feature"), value("value"), int("event_ts_us"), int("created_ts_us"),
                int("observation_id"),
            ], key: ["entity_id", "feature"]),
        Table(
            name: "feature_views",
            columns: [
                text("name"), text("entity_kind"), text("definition"), text("definition_sha256"),
                int("registered_ts_us"),
            ], key: ["name"]),
        Table(
            name: "dataset_versions",
            columns: [
                text("id"), text("name"), text("spec"), text("views"), text("format"), int("as_of_ts_us", null: true),
                int("observation_watermark"), text("observations_sha256"), int("row_count"), text("content_sha256"),
                int("created_ts_us"), text("code_version"),
            ], key: ["id"]),
        Table(
            name: "pages",
            columns: [
                text("sha256"), text("url"), text("site", null: true), text("kind", null: true),
                int("status", null: true), int("fetched_ts_us"), text("path", null: true),
            ], key: ["sha256"]),
        Table(
            name: "rejects",
            columns: [
                int("id"), text("page_sha256", null: true), text("url", null: true), text("site", null: true),
                text("record", null: true), text("field", null: true), text("reason"), text("raw_value", null: true),
                text("rules_tried", null: true), int("created_ts_us"),
            ], key: ["id"]),
        Table(
            name: "runs",
            columns: [
                text("id"), text("pipeline"), text("status"), int("started_ts_us"), int("ended_ts_us", null: true),
                text("detail", null: true), text("error", null: true), int("exit_code", null: true),
            ], key: ["id"]),
        Table(
            name: "run_steps",
            columns: [
                text("run_id"), int("position"), text("step"), text("status"), int("started_ts_us"),
                int("ended_ts_us", null: true), text("input_hash"), text("output_hash", null: true),
                text("outputs", null: true), text("error", null: true),
            ], key: ["run_id", "position"]),
        Table(
            name: "scrape_runs",
            columns: [
                text("id"), text("command"), int("started_ts_us"), int("pages"), int("records"), int("alarms"),
            ], key: ["id"]),
        Table(
            name: "scrape_coverage",
            columns: [
                text("run_id"), text("site"), text("kind"), text("field"), int("records"), int("filled"),
                real("threshold"), real("previous_rate"), text("alarm", null: true),
            ], key: ["run_id", "site", "kind", "field"]),
        Table(
            name: "entity_matches",
            columns: [
                text("key"), text("status"), text("entity_key", null: true), real("score"), text("reason"),
                text("candidates"), int("created_ts_us"),
            ], key: ["key"]),
        Table(
            name: "experiments",
            columns: [
                text("id"), text("kind"), text("algorithm"), text("parameters"), text("dataset_version", null: true),
                text("split", null: true), text("metrics"), int("started_ts_us"), real("seconds"),
                text("model_sha256", null: true), text("marquee_version"),
            ], key: ["id"], since: 2),
    ]

    /// The table called `name` (one of ``all``).
    static func named(_ name: String) -> Table { all.first { $0.name == name }! }

    /// PostgreSQL's DDL for the store's migration `version` (the `store` component's; 1 creates
    /// the first tables and their indexes, later ones the tables added since).
    static func postgresSchema(version: Int) -> [String] {
        all.filter { $0.since == version }.map { table in
            var columns: [String] = []
            for column in table.columns {
                switch column.kind {
                case .integer: columns.append("\(column.name) BIGINT\(column.nullable ? "" : " NOT NULL")")
                case .real: columns.append("\(column.name) DOUBLE PRECISION\(column.nullable ? "" : " NOT NULL")")
                case .text: columns.append("\(column.name) TEXT\(column.nullable ? "" : " NOT NULL")")
                case .dynamic:
                    columns += [
                        "\(column.name)_kind TEXT NOT NULL CHECK (\(column.name)_kind IN ('null', 'integer', 'real', 'text', 'blob'))",
                        "\(column.name)_integer BIGINT", "\(column.name)_real DOUBLE PRECISION",
                        "\(column.name)_text TEXT", "\(column.name)_blob BYTEA",
                    ]
                }
            }
            columns.append("PRIMARY KEY (\(table.key.joined(separator: ", ")))")
            return "CREATE TABLE \(table.name) (\n    " + columns.joined(separator: ",\n    ") + ")"
        } + (version > 1 ? [] : [
            "CREATE INDEX observations_by_feature ON observations (feature, event_ts_us)",
            "CREATE INDEX observations_point_in_time ON observations (entity_id, feature, object_id, event_ts_us, created_ts_us)",
            "CREATE INDEX entity_keys_by_entity ON entity_keys (entity_id)",
            "CREATE INDEX dataset_versions_by_name ON dataset_versions (name, created_ts_us)",
        ])
    }
}
