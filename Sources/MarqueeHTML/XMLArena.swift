import CMarqueeXML

/// Opt-in region allocation for libxml2 (see `marquee_xml_arena.h`): documents parse about a
/// quarter faster when their nodes come from one arena freed at once. It replaces libxml2's
/// allocator for the whole process, so only an executable may turn it on — early in `main`,
/// before other threads use libxml2. Without it, everything works the same on malloc.
public enum XMLArena {
    /// Installs the allocator; `true` when it is in place (it refuses when `MARQUEE_XML_ARENA=0`
    /// or when the program gave libxml2 an allocator of its own).
    @discardableResult
    public static func install() -> Bool { marquee_xml_arena_install() == 1 }

    /// Whether documents are parsed into arenas.
    public static var isInstalled: Bool { marquee_xml_arena_installed() == 1 }
}
