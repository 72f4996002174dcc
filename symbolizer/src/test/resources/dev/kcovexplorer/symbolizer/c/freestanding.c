/* A freestanding program for other architectures: no libc, its own entry point. */
struct acc { unsigned long sum; unsigned n; };

static inline unsigned rotl(unsigned x, int r) { return (x << r) | (x >> (32 - r)); }

static inline unsigned step(unsigned h, unsigned v)
{
    h ^= rotl(v, 5);
    return h * 0x9e3779b1u;
}

static inline void acc_add(struct acc *a, unsigned v)
{
    a->sum += step((unsigned)a->sum, v);
    a->n++;
}

static __attribute__((noinline)) unsigned run(const unsigned *data, int n)
{
    struct acc a = {0, 0};
    for (int i = 0; i < n; i++) {
        if (data[i] & 1)
            acc_add(&a, data[i]);
        else
            acc_add(&a, step(data[i], (unsigned)i));
    }
    return (unsigned)a.sum + a.n;
}

static const unsigned table[] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
volatile unsigned result;

void _start(void)
{
    result = run(table, (int)(sizeof(table) / sizeof(table[0])));
    for (;;)
        ;
}
