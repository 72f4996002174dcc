/* The trace-pc callback, compiled without instrumentation (as the kernel's kcov.c is). */
unsigned long last_pc;

void __sanitizer_cov_trace_pc(void)
{
    last_pc = (unsigned long)__builtin_return_address(0);
}
