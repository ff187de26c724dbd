#ifndef MARQUEE_XML_ARENA_H
#define MARQUEE_XML_ARENA_H

#include <stddef.h>

/// Region allocation for libxml2's HTML parser.
///
/// Parsing a page makes tens of thousands of small allocations (nodes, attributes, names, text)
/// that all live exactly as long as the document. With glibc's malloc, allocating and then
/// freeing them one by one is about a quarter of the parse. An arena hands them out from large
/// blocks instead and drops the blocks at once when the document goes.
///
/// Every allocation libxml2 makes goes through functions installed with `xmlMemSetup` by
/// `marquee_xml_arena_install`, which an executable calls (early in `main`) to opt in; a library
/// never installs it for its host. Each block carries a 16-byte header
/// saying whether it belongs to an arena. While a thread has an arena *entered*, its allocations
/// come from that arena; freeing an arena block is a no-op (the arena is freed as a whole), and
/// everything else is ordinary `malloc`/`free`.
typedef struct marquee_xml_arena marquee_xml_arena;

/// Installs the allocator for the whole process; returns 1 when it is in place. Refuses (0) when
/// `MARQUEE_XML_ARENA=0` or when libxml2 already has an allocator other than malloc's (someone
/// else chose one). Blocks libxml2 made before are still freed correctly. Call it once, early,
/// before other threads use libxml2.
int marquee_xml_arena_install(void);

/// Whether the allocator was installed; without it, arenas are never used and libxml2 keeps its
/// ordinary allocator.
int marquee_xml_arena_installed(void);

/// A new, empty arena.
marquee_xml_arena *marquee_xml_arena_create(void);

/// Makes `arena` the calling thread's allocation target until `marquee_xml_arena_leave`.
void marquee_xml_arena_enter(marquee_xml_arena *arena);

/// Ends the calling thread's use of its entered arena.
void marquee_xml_arena_leave(void);

/// Bytes handed out by `arena` so far (for tests and statistics).
size_t marquee_xml_arena_used(const marquee_xml_arena *arena);

/// Frees `arena` and every block it handed out. Nothing may point into it any more.
void marquee_xml_arena_destroy(marquee_xml_arena *arena);

#endif
