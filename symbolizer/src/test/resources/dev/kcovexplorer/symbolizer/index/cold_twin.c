/*
 * Compiled twice, with -DTWIN=a and -DTWIN=b: two translation units, each with a static foo whose unlikely path
 * GCC moves into a part of its own, foo.cold. Two symbols then carry each name, so no one foo is the parent of either
 * foo.cold part. The likely path waits in a loop, so GCC enters the cold part by an unconditional jmp foo.cold after
 * the loop's conditional jump back; the cold part ends in a tail jump to this unit's tail function, whose last
 * callback call is a tail call (jmp __sanitizer_cov_trace_pc), so a caller of foo can be recorded by its site.
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

/* Uninstrumented, like the kernel's kernel/sched: its only way to a callback is its cold part's tail jump. */
static __attribute__((noinline, no_sanitize_coverage)) void foo(int x) {
    while (twin_sink != x) {
        if (twin_sink > 1000)
            return;
        twin_sink++;
    }
    NAMED(complain, TWIN)(x);
    NAMED(tail, TWIN)(x);
}

int NAMED(run, TWIN)(int x) {
    foo(x);
    return twin_sink;
}
