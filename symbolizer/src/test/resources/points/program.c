/*
 * Shapes of kernel code that matter to coverage points and their attribution. At -O2, GCC before 14
 * turns a callback call at the end of a function into a tail call (jmp __sanitizer_cov_trace_pc).
 */
volatile int sink;

/* The kernel's __no_sanitize_coverage. */
#ifdef __clang__
#define no_coverage __attribute__((no_sanitize("coverage")))
#else
#define no_coverage __attribute__((no_sanitize_coverage))
#endif

/* One tail-call site: its record is the return address in the caller. */
__attribute__((noinline)) void one_tail(int x) {
    if (x > 3)
        sink = x;
}

/* Two tail-call sites: a caller's return address has two candidates. */
__attribute__((noinline)) void two_tails(int x) {
    if (x & 1)
        sink = 1;
    else
        sink = 2;
}

/* Tail-jumps to one_tail (jmp one_tail): its caller's return address reaches one_tail's site. */
__attribute__((noinline)) void hop(int x) {
    one_tail(x);
}

/*
 * Tail-jumps to hop (jmp hop), which tail-jumps to one_tail: two jumps deep, its caller's return address still
 * reaches one_tail's site (the kernel's release_everything → scsi_host_put → put_device).
 */
__attribute__((noinline)) void hop_hop(int x) {
    hop(x);
}

/* Unlikely: GCC moves the paths that call it into .cold parts. */
__attribute__((noinline, cold)) void complain(int x) {
    sink = -x;
}

/*
 * Uninstrumented, like the kernel's sched_show_task (kernel/sched/ is built without kcov): its likely path
 * tail-jumps to one_tail, its unlikely one lives in cold_hop.cold and tail-jumps to two_tails. A caller's
 * return address is recorded by one_tail's site or by either of two_tails' sites.
 */
__attribute__((noinline)) no_coverage void cold_hop(int x) {
    if (x == 5) {
        complain(x);
        two_tails(x);
        return;
    }
    one_tail(x);
}

/* Reached only through a pointer: its tail call's record cannot be attributed. */
__attribute__((noinline)) void by_pointer(int x) {
    if (x == 5)
        sink = 5;
}
void (*volatile indirect)(int) = by_pointer;

/* Tail-jumps through the pointer (jmp *%rax): its caller's return address cannot be attributed either. */
__attribute__((noinline)) void via_pointer(int x) {
    indirect(x);
}

static inline int clamp(int x) {
    return x > 10 ? 10 : x;
}

__attribute__((noinline)) int classify(long x) {
    switch (x) {
    case 1: return 10;
    case 2: return 20;
    case 7: return 70;
    case 9: return 90;
    default: return clamp((int)x);
    }
}

int main(int argc, char **argv) {
    (void)argv;
    int total = 0;
    for (int i = 0; i < argc + 8; i++) {
        one_tail(i);
        two_tails(i);
        hop(i);
        hop_hop(i);
        cold_hop(i);
        indirect(i);
        via_pointer(i);
        total += classify(i);
    }
    sink = total;
    return 0;
}
