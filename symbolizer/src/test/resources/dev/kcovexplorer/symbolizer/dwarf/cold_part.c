/*
 * A function whose error path GCC moves into a .cold part (check.cold), like the kernel's
 * pr_info_ratelimited() paths in net/netfilter/xt_state.c. Built with -fsanitize-coverage=trace-pc,
 * the .cold part opens with the __sanitizer_cov_trace_pc call. cold_part_main.c has the rest.
 */
__attribute__((cold)) void report(int value);
int lookup(int value);

int check(int value)
{
	int ret = lookup(value);
	if (ret < 0)
		report(value);
	return ret;
}
