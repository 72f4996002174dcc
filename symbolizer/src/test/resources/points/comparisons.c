/*
 * Every comparison hook: non-constant and constant comparisons of each operand size, a switch, and a
 * comparison GCC 12 -O2 tail-calls when built with trace-cmp alone (the last thing the function does
 * is the hook call, since __builtin_unreachable() removes the branch it guarded).
 */
#include <stdint.h>
volatile int sink;

__attribute__((noinline)) void sizes(uint8_t a1, uint8_t b1, uint16_t a2, uint16_t b2, uint32_t a4, uint32_t b4,
                                     uint64_t a8, uint64_t b8) {
    if (a1 < b1) sink = 1;
    if (a2 < b2) sink = 2;
    if (a4 < b4) sink = 4;
    if (a8 < b8) sink = 8;
    if (a1 == 'K') sink = 11;
    if (a2 == 0x0409) sink = 12;
    if (a4 == 0xdeadbeef) sink = 14;
    if (a8 == 0x1122334455667788ull) sink = 18;
}

__attribute__((noinline)) int pick(long x) {
    switch (x) {
    case 1: sink = 10; return 1;
    case 7: sink = 70; return 2;
    case 300: sink = 3; return 3;
    case 1000: sink = 4; return 4;
    }
    return 0;
}

__attribute__((noipa)) void assume_not_nine(int x) {
    if (__builtin_expect(x == 9, 0))
        __builtin_unreachable();
}

int main(int argc, char **argv) {
    (void)argv;
    sizes(argc, 2, argc, 3, argc, 4, argc, 5);
    assume_not_nine(argc);
    return pick(argc);
}
