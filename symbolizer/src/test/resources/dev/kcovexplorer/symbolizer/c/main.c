#include <stdio.h>
#include <stdlib.h>
#include "ring.h"
#include "hash.h"

DEFINE_SCALER(scale3, 3)
DEFINE_SCALER(scale7, 7)

struct stats {
    long sum;
    int min, max, n;
};

static void stats_add(struct stats *s, int v)
{
    if (s->n == 0 || v < s->min)
        s->min = v;
    if (s->n == 0 || v > s->max)
        s->max = v;
    s->sum += v;
    s->n++;
}

static __attribute__((noinline)) int fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static int classify(int v)
{
    switch (v % 7) {
    case 0: return scale3(v);
    case 1: return scale7(v);
    case 2: return -v;
    case 3: return v * v;
    case 4: return v / 3;
    case 5: return fib(v & 15);
    default: return 0;
    }
}

/* Only called once with a constant: GCC clones and specializes it (foo.constprop / .isra). */
static __attribute__((noinline)) int drain(struct ring *r, struct stats *s, int limit)
{
    int v, got = 0;
    while (got < limit && ring_pop(r, &v) == 0) {
        stats_add(s, classify(v));
        got++;
    }
    return got;
}

static int run(int rounds, const char *tag)
{
    struct ring r;
    struct stats s = {0};
    unsigned h = 2166136261u;
    ring_reset(&r, 64);
    for (int i = 0; i < rounds; i++) {
        if (ring_push(&r, i * 31 + rounds) < 0)
            drain(&r, &s, 8);
        h = hash_step(h, tag, i & 7);
    }
    drain(&r, &s, 1000);
    printf("%s: n=%d min=%d max=%d sum=%ld h=%08x\n", tag, s.n, s.min, s.max, s.sum, h);
    return s.n + (int)(h & 1);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 100;
    int total = run(rounds, argc > 2 ? argv[2] : "default");
    total += checksum(argv[0], 4);
    total += dispatch(argc, total, rounds);
    return total & 1;
}
