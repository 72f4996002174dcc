/*
 * Compiled twice, with -DTWIN=a and -DTWIN=b, like cold_twin.c: two static foo, each with its unlikely path in a part
 * of its own, foo.cold, so no one foo is the parent of either part by name. Here the likely path is straight code, so
 * GCC enters the cold part only by a conditional jump (je foo.cold, 0f 84 rel32: the part is in another section, which
 * a short jump cannot reach); the part ends in a tail jump to this unit's tail function, whose last callback call is a
 * tail call (jmp __sanitizer_cov_trace_pc), so a caller of foo can be recorded by its site.
 */
#define PASTE(a, b) a##_##b
#define NAMED(name, twin) PASTE(name, twin)

extern volatile int twin_sink;

/* Instrumented: its last callback call is a tail call, its record the return address in the caller. */
__attribute__((noinline)) void NAMED(tail, TWIN)(int x) {
    if (x > 3)
        twin_sink = x;
}

/* Unlikely: the path that calls it goes into foo.cold. */
__attribute__((noinline, cold)) void NAMED(complain, TWIN)(int x) {
    twin_sink = -x;
}

/* Uninstrumented: its only way to a callback is its cold part's tail jump. */
static __attribute__((noinline, no_sanitize_coverage)) void foo(int x) {
    if (__builtin_expect(x == twin_sink, 0)) {
        NAMED(complain, TWIN)(x);
        NAMED(tail, TWIN)(x);
        return;
    }
    twin_sink = x + 1;
}

int NAMED(run, TWIN)(int x) {
    foo(x);
    return twin_sink;
}
