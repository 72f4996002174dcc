/*
 * A user-space stand-in for kcov: the sanitizer-coverage callbacks record what the kernel's do
 * (__builtin_return_address(0) minus the load address, as kcov subtracts the KASLR offset) into a
 * kcov-format area (word 0 = count) and write it to $KCOV_AREA_FILE at exit. Built without
 * -fsanitize-coverage, linked into position-independent test programs (which link at address 0).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define AREA_WORDS (1 << 16)
static uintptr_t area[AREA_WORDS];
extern const char __ehdr_start;

void __sanitizer_cov_trace_pc(void) {
    uintptr_t n = area[0];
    if (n + 1 < AREA_WORDS) {
        area[n + 1] = (uintptr_t)__builtin_return_address(0) - (uintptr_t)&__ehdr_start;
        area[0] = n + 1;
    }
}

/* The comparison hooks only need to exist: the tests find their call sites, not their records. */
void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_const_cmp2(uint16_t a, uint16_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b) { (void)a; (void)b; }
void __sanitizer_cov_trace_switch(uint64_t v, uint64_t *cases) { (void)v; (void)cases; }

__attribute__((destructor)) static void write_area(void) {
    const char *path = getenv("KCOV_AREA_FILE");
    if (path == NULL) {
        return;
    }
    /* The whole area, as a tool that dumps a kcov mmap would write it: the count says what is valid. */
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(area, sizeof(uintptr_t), AREA_WORDS, f) != AREA_WORDS || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}
