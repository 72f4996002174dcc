/* kcov's remote collection in user space: the coverage callback records return addresses only between
 * kcov_remote_start() and kcov_remote_stop(), into a kcov-format area written to a file. Not instrumented,
 * like kernel/kcov.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define AREA_WORDS 65536
static uint64_t area[AREA_WORDS];
static int collecting;

__attribute__((noinline)) void __sanitizer_cov_trace_pc(void)
{
	uint64_t n = area[0];
	if (collecting && n + 1 < AREA_WORDS) {
		area[n + 1] = (uint64_t)__builtin_return_address(0);
		area[0] = n + 1;
	}
}

__attribute__((noinline)) void kcov_remote_start(uint64_t handle)
{
	collecting = handle != 0;
}

__attribute__((noinline)) void kcov_remote_stop(void)
{
	collecting = 0;
}

int remote_main(int mode);

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	remote_main(atoi(argv[1]));
	FILE *out = fopen(argv[2], "wb");
	if (!out)
		return 1;
	fwrite(area, sizeof(area[0]), AREA_WORDS, out);
	return fclose(out) != 0;
}
