/*
 * An independent reader of kcov dumps for the tests: reads a whole file from stdin the simplest way
 * and prints the counts `info --json` must report, as a JSON fragment.
 *
 *   kcov_count WORD_SIZE pc|cmp < area      binary kcov area
 *   kcov_count text < list                   one address per line, 0x-hex, bare hex or decimal
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	unsigned char *data = malloc(cap);
	while ((got = fread(data + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n == cap)
			data = realloc(data, cap *= 2);
	}
	*len = n;
	return data;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static size_t unique(uint64_t *v, size_t n)
{
	size_t u = n ? 1 : 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[i - 1])
			u++;
	return u;
}

static uint64_t word(const unsigned char *d, size_t index, int size)
{
	uint64_t value = 0;
	for (int b = size - 1; b >= 0; b--)
		value = value << 8 | d[index * size + b];
	return value;
}

static int binary(int size, int cmp)
{
	size_t len;
	unsigned char *d = slurp(&len);
	size_t words = len / size, per = cmp ? 4 : 1;
	if (len % size || words < 1) {
		printf("bad length\n");
		return 2;
	}
	uint64_t count = word(d, 0, size), capacity = (words - 1) / per;
	if (count > capacity) {
		printf("truncated\n");
		return 2;
	}
	uint64_t *pcs = malloc((count + 1) * sizeof(*pcs));
	for (uint64_t i = 0; i < count; i++)
		pcs[i] = word(d, 1 + i * per + (cmp ? 3 : 0), size);
	/* kcov_mmap maps whole pages: only an area saved whole can be a full one */
	printf("\"entries\":%llu,\"uniquePcs\":%zu,\"overflow\":%s\n", (unsigned long long)count,
	       unique(pcs, count), count > 0 && count == capacity && len % 4096 == 0 ? "true" : "false");
	return 0;
}

static int text(void)
{
	char line[4096];
	size_t n = 0, cap = 1024;
	uint64_t *pcs = malloc(cap * sizeof(*pcs));
	while (fgets(line, sizeof(line), stdin)) {
		char *hash = strchr(line, '#'), *p = line, *end;
		if (hash)
			*hash = 0;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		int has_letters = 0;
		for (char *q = p; *q && !isspace((unsigned char)*q); q++)
			if (isalpha((unsigned char)*q) && *q != 'x' && *q != 'X')
				has_letters = 1;
		int base = (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) || has_letters ? 16 : 10;
		uint64_t value = strtoull(p, &end, base);
		if (n == cap)
			pcs = realloc(pcs, (cap *= 2) * sizeof(*pcs));
		pcs[n++] = value;
	}
	printf("\"entries\":%zu,\"uniquePcs\":%zu,\"overflow\":false\n", n, unique(pcs, n));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "text"))
		return text();
	if (argc == 3)
		return binary(atoi(argv[1]), !strcmp(argv[2], "cmp"));
	fprintf(stderr, "usage: kcov_count WORD_SIZE pc|cmp | text < file\n");
	return 2;
}
