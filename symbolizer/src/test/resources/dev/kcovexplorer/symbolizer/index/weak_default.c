/*
 * A generic default that an architecture overrides, like the kernel's __weak arch_* hooks and the weak
 * COND_SYSCALL stubs of kernel/sys_ni.c. strong_override.c has the definition the linker keeps.
 */
volatile int weak_sink;

__attribute__((weak)) int arch_hook(int x)
{
	if (x > 2)
		weak_sink = x;
	return -38;
}
