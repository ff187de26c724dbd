/// How log lines are written: for a person at a terminal, or as JSON lines for machines.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-25T14:52:36Z info marquee: message key=value`, one line per event.
    case human
    /// One JSON object per line: `{"ts":…,"level":…,"label":…,"message":…,"metadata":{…}}`.
    case json
}
