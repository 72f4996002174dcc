/*
 * The callbacks for the arm64 scan test, in their own section that the test links 256 MB away from
 * the code: beyond BL's +-128 MB reach, so ld.bfd routes the calls through ____<name>_veneer stubs.
 */
#include <stdint.h>
__attribute__((section("farcode"))) void __sanitizer_cov_trace_pc(void) {}
__attribute__((section("farcode"))) void __sanitizer_cov_trace_cmp4(uint32_t a, uint32_t b) { (void)a; (void)b; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_const_cmp4(uint32_t a, uint32_t b) { (void)a; (void)b; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_cmp8(uint64_t a, uint64_t b) { (void)a; (void)b; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b) { (void)a; (void)b; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_switch(uint64_t v, uint64_t *c) { (void)v; (void)c; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_cmp1(uint8_t a, uint8_t b) { (void)a; (void)b; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_cmp2(uint16_t a, uint16_t b) { (void)a; (void)b; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_const_cmp1(uint8_t a, uint8_t b) { (void)a; (void)b; }
__attribute__((section("farcode"))) void __sanitizer_cov_trace_const_cmp2(uint16_t a, uint16_t b) { (void)a; (void)b; }
