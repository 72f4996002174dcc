/* A second header with nested inline helpers: mix() inside fold() inside hash_step(). */
#ifndef HASH_H
#define HASH_H

static inline unsigned mix(unsigned h, unsigned v)
{
    h ^= v;
    h *= 0x01000193u;
    return h ^ (h >> 13);
}

static inline unsigned fold(unsigned h, const unsigned char *p, int n)
{
    for (int i = 0; i < n; i++)
        h = mix(h, p[i]);
    return h;
}

static inline unsigned hash_step(unsigned h, const char *s, int n)
{
    if (n <= 0)
        return mix(h, 0);
    return fold(h, (const unsigned char *)s, n);
}

#define DEFINE_SCALER(name, k) \
    static int name(int x) { return x * (k) + (x >> 3); }
#endif
