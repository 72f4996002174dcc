/* What cold_part.c calls, uninstrumented. */
int check(int value);

void __sanitizer_cov_trace_pc(void)
{
}

__attribute__((cold)) void report(int value)
{
	(void) value;
}

int lookup(int value)
{
	return value - 1;
}

int main(int argc, char **argv)
{
	(void) argv;
	return check(argc) > 0;
}
