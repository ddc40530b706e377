// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 */

/**
 * SECTION:igt_bo_pattern
 * @short_description: Seeded, verifiable contents for buffer objects
 * @title: BO patterns
 * @include: igt_bo_pattern.h
 *
 * Fills a mapping with a pattern that depends on a seed, the BO's index and
 * each word's position, and checks it later without keeping a copy, so that
 * buffers larger than RAM can be verified after they went to swap and back.
 *
 * Each 64-bit word holds a per-BO tag in its upper half (never zero, so no
 * page of a filled BO is all zeroes: the kernel does not write zero pages to
 * swap) and, in its lower half, its index multiplied by an odd per-BO stride
 * plus a per-BO base: every word of a BO up to 32 GiB differs, so misplaced
 * pages, stale data from another round (other seed) and pages of another BO
 * are all detected. The low halves advance by a constant per word, two
 * words per vector operation: fill and verify run at memory speed.
 */

#include <inttypes.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "igt_bo_pattern.h"
#include "igt_core.h"

/* Words checked per block before looking closer at a block that differs */
#define BLOCK_WORDS 512

struct pattern {
	uint64_t tag;
	uint32_t base;
	uint32_t stride;
};

/* splitmix64's finaliser: spreads seed and BO index over all bits */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static struct pattern pattern_of(uint64_t seed, uint32_t bo)
{
	uint64_t a = mix64(seed + 0x9e3779b97f4a7c15ull * (bo + 1ull));
	uint64_t b = mix64(a ^ 0xd1b54a32d192ed03ull);
	struct pattern p = {
		.tag = (a >> 32) ? (a >> 32) << 32 : 1ull << 32,
		.base = (uint32_t)a,
		.stride = (uint32_t)b | 1,
	};

	return p;
}

static inline uint64_t pattern_word(const struct pattern *p, uint64_t i)
{
	return p->tag | (uint32_t)(p->base + (uint32_t)i * p->stride);
}

/*
 * Two words per 128-bit vector (GCC/clang vector extensions, SSE2 on x86):
 * the low halves advance by the stride per word, so the loop needs no
 * multiplication and runs at memory speed without relying on the
 * auto-vectoriser.
 */
typedef uint64_t u64x2 __attribute__((vector_size(16)));

struct lanes {
	u64x2 lo, step2, step4, mask, tag;
};

static struct lanes lanes_at(const struct pattern *p, uint64_t first)
{
	uint64_t lo = p->base + (uint32_t)first * (uint64_t)p->stride;
	struct lanes l = {
		.lo = { lo, lo + p->stride },
		.step2 = { 2ull * p->stride, 2ull * p->stride },
		.step4 = { 4ull * p->stride, 4ull * p->stride },
		.mask = { 0xffffffffull, 0xffffffffull },
		.tag = { p->tag, p->tag },
	};

	return l;
}

/*
 * Buffers are far larger than the caches and are not read back soon:
 * streaming stores skip the read-for-ownership of each line, as memset()
 * does for large sizes. @dst is 16-byte aligned.
 */
static inline void store_nt(uint64_t *dst, u64x2 v)
{
#ifdef __SSE2__
	_mm_stream_si128((__m128i *)dst, (__m128i)v);
#else
	memcpy(dst, &v, sizeof(v));
#endif
}

static inline void store_fence(void)
{
#ifdef __SSE2__
	_mm_sfence();
#endif
}

/**
 * igt_bo_pattern_word:
 * @seed: pattern seed (e.g. per round)
 * @bo: BO index
 * @index: word index inside the BO
 *
 * Returns: the 64-bit word expected at byte offset 8 * @index; never zero.
 */
uint64_t igt_bo_pattern_word(uint64_t seed, uint32_t bo, uint64_t index)
{
	struct pattern p = pattern_of(seed, bo);

	return pattern_word(&p, index);
}

/**
 * igt_bo_pattern_fill:
 * @ptr: CPU mapping, 8-byte aligned
 * @size: bytes to fill, a multiple of 8
 * @seed: pattern seed
 * @bo: BO index, makes every BO's contents different
 *
 * Writes the pattern over the whole range.
 */
void igt_bo_pattern_fill(void *ptr, uint64_t size, uint64_t seed, uint32_t bo)
{
	struct pattern p = pattern_of(seed, bo);
	uint64_t *w = ptr, n = size / 8, i = 0;
	struct lanes l;

	/* scalar up to a 16-byte boundary, for the aligned vector stores */
	for (; i < n && ((uintptr_t)&w[i] & 15); i++)
		w[i] = pattern_word(&p, i);

	l = lanes_at(&p, i);
	for (; i + 4 <= n; i += 4) {
		store_nt(&w[i], (l.lo & l.mask) | l.tag);
		store_nt(&w[i + 2], ((l.lo + l.step2) & l.mask) | l.tag);
		l.lo += l.step4;
	}
	store_fence();

	for (; i < n; i++)
		w[i] = pattern_word(&p, i);
}

/* OR of (found ^ expected) over words [first, first + n): 0 when all match */
static uint64_t diff_words(const uint64_t *w, uint64_t first, uint64_t n,
			   const struct pattern *p)
{
	struct lanes l = lanes_at(p, first);
	u64x2 diff = { 0, 0 };
	uint64_t i, tail = 0;

	for (i = first; i + 4 <= first + n; i += 4) {
		u64x2 a, b;

		memcpy(&a, &w[i], sizeof(a));
		memcpy(&b, &w[i + 2], sizeof(b));
		diff |= a ^ ((l.lo & l.mask) | l.tag);
		diff |= b ^ (((l.lo + l.step2) & l.mask) | l.tag);
		l.lo += l.step4;
	}
	for (; i < first + n; i++)
		tail |= w[i] ^ pattern_word(p, i);
	return diff[0] | diff[1] | tail;
}

static uint64_t verify_block(const uint64_t *w, uint64_t first, uint64_t n,
			     const struct pattern *p,
			     struct igt_bo_pattern_result *res)
{
	uint64_t bad = 0;

	for (uint64_t i = first; i < first + n; i++) {
		uint64_t want = pattern_word(p, i);

		if (w[i] == want)
			continue;
		if (!res->mismatches && !bad) {
			res->offset = i * 8;
			res->expected = want;
			res->found = w[i];
		}
		bad++;
	}
	return bad;
}

/**
 * igt_bo_pattern_verify:
 * @ptr: CPU mapping, 8-byte aligned
 * @size: bytes to check, a multiple of 8
 * @seed: seed used to fill
 * @bo: BO index used to fill
 * @res: optional; receives the first difference and the count
 *
 * Compares every word; blocks are first compared branch-free, and only a block
 * that differs is walked word by word to count and locate the differences.
 *
 * Returns: the number of 64-bit words that differ from the pattern.
 */
uint64_t igt_bo_pattern_verify(const void *ptr, uint64_t size, uint64_t seed,
			       uint32_t bo, struct igt_bo_pattern_result *res)
{
	struct pattern p = pattern_of(seed, bo);
	struct igt_bo_pattern_result local;
	const uint64_t *w = ptr;
	uint64_t n = size / 8;

	if (!res)
		res = &local;
	memset(res, 0, sizeof(*res));
	res->bo = bo;
	res->words = n;

	for (uint64_t start = 0; start < n; start += BLOCK_WORDS) {
		uint64_t len = n - start < BLOCK_WORDS ? n - start : BLOCK_WORDS;

		if (diff_words(w, start, len, &p))
			res->mismatches += verify_block(w, start, len, &p, res);
	}
	return res->mismatches;
}

/**
 * igt_bo_pattern_check:
 * @ptr: CPU mapping
 * @size: bytes
 * @seed: seed used to fill
 * @bo: BO index used to fill
 *
 * igt_bo_pattern_verify(), reporting a mismatch with igt_warn(): the BO, the
 * offset, expected and found values of the first differing word, and how many
 * words differ. Meant for igt_assert(igt_bo_pattern_check(...)).
 *
 * Returns: true when the contents are intact.
 */
bool igt_bo_pattern_check(const void *ptr, uint64_t size, uint64_t seed,
			  uint32_t bo)
{
	struct igt_bo_pattern_result r;

	if (!igt_bo_pattern_verify(ptr, size, seed, bo, &r))
		return true;

	igt_warn("BO %u: %" PRIu64 " of %" PRIu64 " words differ; first at offset 0x%" PRIx64
		 ": expected 0x%016" PRIx64 ", found 0x%016" PRIx64 "\n",
		 r.bo, r.mismatches, r.words, r.offset, r.expected, r.found);
	return false;
}
