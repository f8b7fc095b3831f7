/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flush denormals to zero on the calling thread (FTZ/DAZ on x86 SSE, FZ on
 * AArch64). Call once from JACK's thread-init callback, which runs in the
 * process thread, and from any thread that renders audio offline. RT-safe. */
#ifndef FL_CORE_DENORMAL_H
#define FL_CORE_DENORMAL_H

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
static inline void
fl_denormals_disable(void)
{
	/* FTZ (bit 15) and DAZ (bit 6) in MXCSR. */
	_mm_setcsr(_mm_getcsr() | 0x8040u);
}
#elif defined(__aarch64__)
#include <stdint.h>
static inline void
fl_denormals_disable(void)
{
	uint64_t fpcr;
	__asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
	fpcr |= (1u << 24); /* FZ */
	__asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr));
}
#elif defined(__arm__) && defined(__VFP_FP__) && !defined(__SOFTFP__)
#include <stdint.h>
static inline void
fl_denormals_disable(void)
{
	uint32_t fpscr;
	__asm__ __volatile__("vmrs %0, fpscr" : "=r"(fpscr));
	fpscr |= (1u << 24); /* FZ */
	__asm__ __volatile__("vmsr fpscr, %0" : : "r"(fpscr));
}
#else
static inline void
fl_denormals_disable(void)
{
}
#endif

#endif
