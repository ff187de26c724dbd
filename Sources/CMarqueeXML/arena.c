#include "marquee_xml_arena.h"

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Every block starts with this header; the pointer given to libxml2 is just after it, so it keeps
// malloc's 16-byte alignment.
typedef struct {
    size_t size;   // bytes usable after the header
    uint64_t kind; // KIND_SYSTEM or KIND_ARENA
} header;

#define KIND_SYSTEM UINT64_C(0x4d51535953544d31) // "MQSYSTM1"
#define KIND_ARENA UINT64_C(0x4d514152454e4131)  // "MQARENA1"

typedef struct chunk {
    struct chunk *next;
    size_t capacity;
    size_t used;
    // 16-byte aligned storage follows
} chunk;

#define CHUNK_HEAD ((sizeof(chunk) + 15) & ~(size_t)15)
#define FIRST_CHUNK ((size_t)256 * 1024)
#define LARGEST_CHUNK ((size_t)8 * 1024 * 1024)

struct marquee_xml_arena {
    chunk *chunks;        // newest first
    size_t next_capacity; // grows geometrically
    size_t handed_out;
    void *last;           // the most recent block, which realloc can grow in place
};

static _Thread_local marquee_xml_arena *current = NULL;
static int installed = 0;

static inline header *header_of(void *pointer) { return (header *)((char *)pointer - sizeof(header)); }

static void *system_block(size_t size) {
    if (size > SIZE_MAX - sizeof(header)) return NULL;
    header *h = malloc(sizeof(header) + size);
    if (h == NULL) return NULL;
    h->size = size;
    h->kind = KIND_SYSTEM;
    return h + 1;
}

static void *arena_block(marquee_xml_arena *arena, size_t size) {
    size_t needed = sizeof(header) + ((size + 15) & ~(size_t)15);
    if (size > SIZE_MAX / 2) return NULL;
    chunk *c = arena->chunks;
    if (c == NULL || c->capacity - c->used < needed) {
        size_t capacity = arena->next_capacity;
        while (capacity < needed) capacity *= 2;
        c = malloc(CHUNK_HEAD + capacity);
        if (c == NULL) return NULL;
        c->capacity = capacity;
        c->used = 0;
        c->next = arena->chunks;
        arena->chunks = c;
        if (arena->next_capacity < LARGEST_CHUNK) arena->next_capacity *= 2;
    }
    header *h = (header *)((char *)c + CHUNK_HEAD + c->used);
    c->used += needed;
    arena->handed_out += needed;
    h->size = needed - sizeof(header);
    h->kind = KIND_ARENA;
    arena->last = h + 1;
    return h + 1;
}

static void *marquee_malloc(size_t size) {
    marquee_xml_arena *arena = current;
    return arena != NULL ? arena_block(arena, size) : system_block(size);
}

static void marquee_free(void *pointer) {
    if (pointer == NULL) return;
    header *h = header_of(pointer);
    if (h->kind == KIND_SYSTEM) {
        h->kind = 0;
        free(h);
    } else if (h->kind != KIND_ARENA) {
        // A block libxml2 allocated with its default allocator (malloc) before ours was installed.
        free(pointer);
    }
}

static void *marquee_realloc(void *pointer, size_t size) {
    if (pointer == NULL) return marquee_malloc(size);
    header *h = header_of(pointer);
    if (h->kind == KIND_SYSTEM) {
        // Ordinary blocks stay ordinary, even when an arena is entered: a buffer that was made
        // before the parse may well outlive the document.
        if (size > SIZE_MAX - sizeof(header)) return NULL;
        header *grown = realloc(h, sizeof(header) + size);
        if (grown == NULL) return NULL;
        grown->size = size;
        return grown + 1;
    }
    if (h->kind == KIND_ARENA && size <= h->size) return pointer;
    marquee_xml_arena *arena = current;
    if (h->kind == KIND_ARENA && arena != NULL && arena->last == pointer) {
        // The newest block of the current arena grows in place when its chunk has room.
        chunk *c = arena->chunks;
        size_t extra = ((size + 15) & ~(size_t)15) - h->size;
        if (c != NULL && (char *)pointer + h->size == (char *)c + CHUNK_HEAD + c->used
            && c->capacity - c->used >= extra) {
            c->used += extra;
            arena->handed_out += extra;
            h->size += extra;
            return pointer;
        }
    }
    if (h->kind != KIND_ARENA) return realloc(pointer, size); // allocated before installation: malloc's
    void *moved = marquee_malloc(size);
    if (moved == NULL) return NULL;
    memcpy(moved, pointer, h->size < size ? h->size : size);
    marquee_free(pointer);
    return moved;
}

static char *marquee_strdup(const char *string) {
    size_t length = strlen(string) + 1;
    char *copy = marquee_malloc(length);
    if (copy != NULL) memcpy(copy, string, length);
    return copy;
}

// Installed on request, by the executable, as early as it can (the `marquee` command does it first
// thing in main): never behind a library user's back. Blocks libxml2 allocated before (with
// malloc) are recognised by their missing header and handed to free/realloc.
// MARQUEE_XML_ARENA=0 leaves libxml2 on its ordinary allocator (to compare, or to rule it out).
int marquee_xml_arena_install(void) {
    if (installed) return 1;
    const char *setting = getenv("MARQUEE_XML_ARENA");
    if (setting != NULL && strcmp(setting, "0") == 0) return 0;
    // Another part of the program chose its own allocator for libxml2: leave it alone.
    xmlFreeFunc freeFunction = NULL;
    xmlMallocFunc mallocFunction = NULL;
    xmlReallocFunc reallocFunction = NULL;
    xmlStrdupFunc strdupFunction = NULL;
    if (xmlMemGet(&freeFunction, &mallocFunction, &reallocFunction, &strdupFunction) != 0) return 0;
    if (freeFunction != free || mallocFunction != malloc || reallocFunction != realloc) return 0;
    if (xmlMemSetup(marquee_free, marquee_malloc, marquee_realloc, marquee_strdup) != 0) return 0;
    installed = 1;
    // libxml2's process-wide tables are made now, with ordinary blocks, so none of them can land
    // in a document's arena.
    xmlInitParser();
    return 1;
}

int marquee_xml_arena_installed(void) { return installed; }

marquee_xml_arena *marquee_xml_arena_create(void) {
    marquee_xml_arena *arena = calloc(1, sizeof(marquee_xml_arena));
    if (arena != NULL) arena->next_capacity = FIRST_CHUNK;
    return arena;
}

void marquee_xml_arena_enter(marquee_xml_arena *arena) {
    if (installed) current = arena;
}

void marquee_xml_arena_leave(void) { current = NULL; }

size_t marquee_xml_arena_used(const marquee_xml_arena *arena) { return arena->handed_out; }

void marquee_xml_arena_destroy(marquee_xml_arena *arena) {
    if (arena == NULL) return;
    if (current == arena) current = NULL;
    chunk *c = arena->chunks;
    while (c != NULL) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(arena);
}
