/* kcov's remote collection in user space: the coverage callback records return addresses only between
 * kcov_remote_start() and kcov_remote_stop(), into a kcov-format area written to a file. Not instrumented,
 * like kernel/kcov.c. An optional third argument ("usb" or "common") collects only that subsystem's
 * handles, as a kcov fd that registered only those would. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define AREA_WORDS 65536
static uint64_t area[AREA_WORDS];
static int collecting;
static int only_subsystem = -1; /* the handle's top byte to collect, or -1 for every handle */

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
	collecting = handle != 0 && (only_subsystem < 0 || (int)(handle >> 56) == only_subsystem);
}

__attribute__((noinline)) void kcov_remote_stop(void)
{
	collecting = 0;
}

int remote_main(int mode);

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4)
		return 2;
	if (argc == 4)
		only_subsystem = argv[3][0] == 'u' ? 1 : 0;
	remote_main(atoi(argv[1]));
	FILE *out = fopen(argv[2], "wb");
	if (!out)
		return 1;
	fwrite(area, sizeof(area[0]), AREA_WORDS, out);
	return fclose(out) != 0;
}
