/* Prints the kcov ABI as <linux/kcov.h> defines it, for KcovAbiTest to compare with the Java binding. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kcov.h>

int main(int argc, char **argv)
{
	printf("KCOV_INIT_TRACE %lu\n", (unsigned long)KCOV_INIT_TRACE);
	printf("KCOV_ENABLE %lu\n", (unsigned long)KCOV_ENABLE);
	printf("KCOV_DISABLE %lu\n", (unsigned long)KCOV_DISABLE);
	printf("KCOV_REMOTE_ENABLE %lu\n", (unsigned long)KCOV_REMOTE_ENABLE);
	printf("KCOV_REMOTE_MAX_HANDLES %d\n", KCOV_REMOTE_MAX_HANDLES);
	printf("KCOV_TRACE_PC %d\n", KCOV_TRACE_PC);
	printf("KCOV_TRACE_CMP %d\n", KCOV_TRACE_CMP);
	printf("offsetof.trace_mode %zu\n", offsetof(struct kcov_remote_arg, trace_mode));
	printf("offsetof.area_size %zu\n", offsetof(struct kcov_remote_arg, area_size));
	printf("offsetof.num_handles %zu\n", offsetof(struct kcov_remote_arg, num_handles));
	printf("offsetof.common_handle %zu\n", offsetof(struct kcov_remote_arg, common_handle));
	printf("offsetof.handles %zu\n", offsetof(struct kcov_remote_arg, handles));
	printf("sizeof %zu\n", sizeof(struct kcov_remote_arg));

	/* argv: trace_mode area_size common_handle handle... ; prints the bytes the kernel would copy */
	if (argc >= 4) {
		unsigned n = argc - 4;
		size_t size = sizeof(struct kcov_remote_arg) + n * sizeof(((struct kcov_remote_arg *)0)->handles[0]);
		struct kcov_remote_arg *arg = calloc(1, size);
		arg->trace_mode = strtoul(argv[1], NULL, 0);
		arg->area_size = strtoul(argv[2], NULL, 0);
		arg->num_handles = n;
		arg->common_handle = strtoull(argv[3], NULL, 0);
		for (unsigned i = 0; i < n; i++)
			arg->handles[i] = strtoull(argv[4 + i], NULL, 0);
		printf("sizeof.with_handles %zu\n", size);
		printf("bytes ");
		for (size_t i = 0; i < size; i++)
			printf("%02x", ((unsigned char *)arg)[i]);
		printf("\n");
		free(arg);
	}
	return 0;
}
