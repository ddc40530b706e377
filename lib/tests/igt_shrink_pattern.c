// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * BO patterns: a filled buffer verifies clean; one corrupted word is found
 * with its exact offset, expected and found values and a count of 1; a moved
 * page, another seed or another BO index are all detected; no word and no
 * page of a pattern is zero; the report printed for a mismatch names the BO,
 * offset, both values and the count.
 */

#include <sys/mman.h>

#include "igt_bo_pattern.h"
#include "igt_core.h"
#include "igt_tests_common.h"

#define SIZE (8u << 20)
#define WORDS (SIZE / 8)

static uint64_t *buf;

static void test_clean(void)
{
	struct igt_bo_pattern_result r;

	igt_bo_pattern_fill(buf, SIZE, 42, 3);
	check(igt_bo_pattern_verify(buf, SIZE, 42, 3, &r) == 0, NULL);
	check(r.mismatches == 0 && r.words == WORDS && r.bo == 3, NULL);
	check(buf[1000] == igt_bo_pattern_word(42, 3, 1000), NULL);
}

static void test_one_word(uint64_t index)
{
	struct igt_bo_pattern_result r;
	uint64_t good;

	igt_bo_pattern_fill(buf, SIZE, 42, 3);
	good = buf[index];
	buf[index] ^= 1ull << 17;	/* one flipped bit */
	check(igt_bo_pattern_verify(buf, SIZE, 42, 3, &r) == 1, NULL);
	check(r.offset == index * 8, NULL);
	check(r.expected == good, NULL);
	check(r.found == (good ^ (1ull << 17)), NULL);
	check(r.mismatches == 1, NULL);
	buf[index] = good;
	check(igt_bo_pattern_verify(buf, SIZE, 42, 3, NULL) == 0, NULL);
}

static void test_several_words(void)
{
	struct igt_bo_pattern_result r;

	igt_bo_pattern_fill(buf, SIZE, 7, 0);
	buf[WORDS - 1] = 0;
	buf[5000] = 0;
	buf[70000] = ~0ull;
	check(igt_bo_pattern_verify(buf, SIZE, 7, 0, &r) == 3, NULL);
	check(r.offset == 5000 * 8 && r.found == 0, NULL);
}

static void test_moved_page(void)
{
	struct igt_bo_pattern_result r;

	igt_bo_pattern_fill(buf, SIZE, 7, 0);
	memcpy(&buf[512 * 10], &buf[512 * 11], 4096);	/* page 11 over page 10 */
	check(igt_bo_pattern_verify(buf, SIZE, 7, 0, &r) == 512, NULL);
	check(r.offset == 10 * 4096, NULL);
}

static void test_other_seed_or_bo(void)
{
	igt_bo_pattern_fill(buf, SIZE, 7, 0);
	check(igt_bo_pattern_verify(buf, SIZE, 8, 0, NULL) == WORDS, NULL);
	check(igt_bo_pattern_verify(buf, SIZE, 7, 1, NULL) == WORDS, NULL);
}

/* Start off a 16-byte boundary, end off a vector: every path stores the same */
static void test_unaligned(void)
{
	uint64_t *p = buf + 1, n = 1001;

	igt_bo_pattern_fill(p, n * 8, 11, 2);
	for (uint64_t i = 0; i < n; i++)
		check(p[i] == igt_bo_pattern_word(11, 2, i), NULL);
	check(igt_bo_pattern_verify(p, n * 8, 11, 2, NULL) == 0, NULL);
	p[n - 1]++;
	check(igt_bo_pattern_verify(p, n * 8, 11, 2, NULL) == 1, NULL);
}

static void test_never_zero(void)
{
	uint64_t zero_words = 0;

	for (uint32_t bo = 0; bo < 64; bo++) {
		igt_bo_pattern_fill(buf, SIZE, bo * 977, bo);
		for (uint64_t i = 0; i < WORDS; i++)
			zero_words += !buf[i];
	}
	check(zero_words == 0, NULL);
}

static int report_body(int argc, char **argv)
{
	igt_simple_init(argc, argv);
	igt_bo_pattern_fill(buf, SIZE, 1, 9);
	buf[0x1238 / 8] = 0xdeadbeef;
	buf[0x9000 / 8] = 0;
	igt_assert(igt_bo_pattern_check(buf, SIZE, 1, 9));
	igt_exit();
}

static void test_report(void)
{
	struct child_result r = run_child(report_body, NO_ARGS);
	char expected[128];

	snprintf(expected, sizeof(expected), "expected 0x%016llx, found 0x00000000deadbeef",
		 (unsigned long long)igt_bo_pattern_word(1, 9, 0x1238 / 8));
	check(exit_code_of(&r) == 98, &r);
	check(strstr(r.err, "BO 9: 2 of 1048576 words differ") != NULL, &r);
	check(strstr(r.err, "first at offset 0x1238") != NULL, &r);
	check(strstr(r.err, expected) != NULL, &r);
	free_child_result(&r);
}

int main(void)
{
	buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 2;

	test_clean();
	test_one_word(0);
	test_one_word(12345);
	test_one_word(WORDS - 1);
	test_several_words();
	test_moved_page();
	test_other_seed_or_bo();
	test_unaligned();
	test_never_zero();
	test_report();
	return checks_done("igt_shrink_pattern");
}
