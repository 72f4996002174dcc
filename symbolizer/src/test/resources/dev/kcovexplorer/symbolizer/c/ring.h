/* A small ring buffer whose helpers are inlined into every caller (inlining across headers). */
#ifndef RING_H
#define RING_H
#include <string.h>

struct ring {
    unsigned head, tail, mask;
    int slots[64];
};

static inline unsigned ring_count(const struct ring *r)
{
    return (r->head - r->tail) & r->mask;
}

static inline int ring_full(const struct ring *r)
{
    return ring_count(r) == r->mask;
}

static inline int ring_push(struct ring *r, int v)
{
    if (ring_full(r))
        return -1;
    r->slots[r->head & r->mask] = v;
    r->head++;
    return 0;
}

static inline int ring_pop(struct ring *r, int *v)
{
    if (ring_count(r) == 0)
        return -1;
    *v = r->slots[r->tail & r->mask];
    r->tail++;
    return 0;
}

static inline __attribute__((always_inline)) void ring_reset(struct ring *r, unsigned size)
{
    memset(r, 0, sizeof(*r));
    r->mask = size - 1;
}

int checksum(const char *s, int n);
int dispatch(int op, int a, int b);
#endif
