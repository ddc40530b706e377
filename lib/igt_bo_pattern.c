// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
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
 * are all detected. The low halves advance by a constant per word, so a
 * vector of words advances by one add: fill and verify run at memory speed.
 */

#include <inttypes.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __x86_64__
#include <immintrin.h>
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

/**
 * igt_mix64:
 * @x: any 64-bit value
 *
 * splitmix64's finaliser: every input bit reaches every output bit. Spreads
 * a seed and an index over all bits, for the BO patterns here and the sample
 * offsets of igt_shrink_sample.
 *
 * Returns: the mixed value.
 */
uint64_t igt_mix64(uint64_t x)
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
	uint64_t a = igt_mix64(seed + 0x9e3779b97f4a7c15ull * (bo + 1ull));
	uint64_t b = igt_mix64(a ^ 0xd1b54a32d192ed03ull);
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

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PATTERN_VECTORS 1
#else
#define PATTERN_VECTORS 0
#endif

/*
 * Vector form of the pattern. In little-endian memory a word is its low half
 * then its high half, so two words are the 32-bit lanes {lo0, tag, lo1, tag}:
 * the next pair is one vector add of {2 * stride, 0, 2 * stride, 0} away, the
 * tags untouched. One add per 16 bytes written or checked, no multiply: the
 * loops run at memory speed (and stay cheap where instructions are emulated).
 */
typedef uint32_t u32x4 __attribute__((vector_size(16)));

static u32x4 pair_at(const struct pattern *p, uint64_t i)
{
	uint32_t hi = p->tag >> 32, lo = p->base + (uint32_t)i * p->stride;
	u32x4 v = { lo, hi, lo + p->stride, hi };

	return v;
}

static u32x4 pair_step(const struct pattern *p)
{
	uint32_t s = 2 * p->stride;
	u32x4 v = { s, 0, s, 0 };

	return v;
}

/*
 * Buffers are far larger than the caches and are not read back soon:
 * streaming stores skip the read-for-ownership of each line, as memset()
 * does for large sizes. @dst is 16-byte aligned.
 */
static inline void store_nt(uint64_t *dst, u32x4 v)
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

#if defined(__x86_64__) && PATTERN_VECTORS
typedef uint32_t u32x8 __attribute__((vector_size(32)));

/*
 * Four words per 256-bit store where the CPU has AVX2. @w + @i is 32-byte
 * aligned. Returns the index of the first word not written.
 */
__attribute__((target("avx2")))
static uint64_t fill_avx2(uint64_t *w, uint64_t i, uint64_t n, const struct pattern *p)
{
	uint32_t hi = p->tag >> 32, s = p->stride, lo = p->base + (uint32_t)i * s;
	u32x8 v = { lo, hi, lo + s, hi, lo + 2 * s, hi, lo + 3 * s, hi };
	const u32x8 step = { 4 * s, 0, 4 * s, 0, 4 * s, 0, 4 * s, 0 };

	for (; i + 4 <= n; i += 4) {
		_mm256_stream_si256((__m256i *)&w[i], (__m256i)v);
		v += step;
	}
	_mm_sfence();
	return i;
}

static uint64_t fill_wide(uint64_t *w, uint64_t i, uint64_t n, const struct pattern *p)
{
	return __builtin_cpu_supports("avx2") ? fill_avx2(w, i, n, p) : i;
}
#else
static uint64_t fill_wide(uint64_t *w, uint64_t i, uint64_t n, const struct pattern *p)
{
	return i;
}
#endif

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

	/* scalar up to a 32-byte boundary, for the aligned vector stores */
	for (; i < n && ((uintptr_t)&w[i] & 31); i++)
		w[i] = pattern_word(&p, i);

	if (PATTERN_VECTORS) {
		u32x4 v, step = pair_step(&p);

		i = fill_wide(w, i, n, &p);
		for (v = pair_at(&p, i); i + 2 <= n; i += 2) {
			store_nt(&w[i], v);
			v += step;
		}
		store_fence();
	}

	for (; i < n; i++)
		w[i] = pattern_word(&p, i);
}

/* OR of (found ^ expected) over words [first, first + n): 0 when all match */
static uint64_t diff_words(const uint64_t *w, uint64_t first, uint64_t n,
			   const struct pattern *p)
{
	uint64_t i = first, diff = 0;

	if (PATTERN_VECTORS) {
		u32x4 v = pair_at(p, first), step = pair_step(p), acc = { 0 };

		for (; i + 2 <= first + n; i += 2) {
			u32x4 found;

			memcpy(&found, &w[i], sizeof(found));
			acc |= found ^ v;
			v += step;
		}
		diff = acc[0] | acc[1] | acc[2] | acc[3];
	}
	for (; i < first + n; i++)
		diff |= w[i] ^ pattern_word(p, i);
	return diff;
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
