// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <stdint.h>
#include <string.h>

#include "igt_x86.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/*
 * Streaming loads (MOVNTDQA) read write-combined memory, such as a VRAM BAR
 * or a WC system-memory mapping, a cache line at a time instead of one
 * uncached access per load: many times faster than plain loads there. They
 * need a 16-byte aligned source; the unaligned head and the tail go through
 * memcpy().
 */
__attribute__((target("sse4.1")))
static void memcpy_from_wc_sse41(void *dst, const void *src, unsigned long len)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	unsigned long head = (16 - ((uintptr_t)s & 15)) & 15;

	if (head > len)
		head = len;
	memcpy(d, s, head);
	s += head;
	d += head;
	len -= head;

	while (len >= 64) {
		__m128i a = _mm_stream_load_si128((__m128i *)s);
		__m128i b = _mm_stream_load_si128((__m128i *)(s + 16));
		__m128i c = _mm_stream_load_si128((__m128i *)(s + 32));
		__m128i e = _mm_stream_load_si128((__m128i *)(s + 48));

		_mm_storeu_si128((__m128i *)d, a);
		_mm_storeu_si128((__m128i *)(d + 16), b);
		_mm_storeu_si128((__m128i *)(d + 32), c);
		_mm_storeu_si128((__m128i *)(d + 48), e);
		s += 64;
		d += 64;
		len -= 64;
	}
	while (len >= 16) {
		_mm_storeu_si128((__m128i *)d, _mm_stream_load_si128((__m128i *)s));
		s += 16;
		d += 16;
		len -= 16;
	}
	memcpy(d, s, len);
}

/**
 * igt_memcpy_from_wc:
 * @dst: destination, ordinary memory
 * @src: source, typically a write-combined or VRAM mapping
 * @len: bytes to copy
 *
 * memcpy() for reading from write-combined memory: with SSE4.1, through
 * streaming loads; otherwise a plain memcpy().
 */
void igt_memcpy_from_wc(void *dst, const void *src, unsigned long len)
{
	if (__builtin_cpu_supports("sse4.1"))
		memcpy_from_wc_sse41(dst, src, len);
	else
		memcpy(dst, src, len);
}
#else
void igt_memcpy_from_wc(void *dst, const void *src, unsigned long len)
{
	memcpy(dst, src, len);
}
#endif
