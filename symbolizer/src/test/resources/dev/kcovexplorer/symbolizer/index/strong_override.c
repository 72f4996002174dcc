/* The definition that overrides weak_default.c's: every call of arch_hook lands here. */
volatile int strong_sink;

int arch_hook(int x)
{
	if (x & 1)
		strong_sink = x;
	return 0;
}

/* A static function: `strip --discard-all` drops its symbol, not its code. */
static __attribute__((noinline)) int twice(int x)
{
	if (x > 1)
		strong_sink = 2 * x;
	return x;
}

int main(int argc, char **argv)
{
	(void)argv;
	return arch_hook(twice(argc));
}
