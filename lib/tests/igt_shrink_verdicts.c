// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 *
 * The decisions ttm_swap_thp takes from counter deltas, fed with deltas
 * recorded in the VM (qxl, 6.12 and 7.3) and with deltas of runs that went
 * wrong: "nothing was swapped" and "THPs were split" must be refused, and a
 * shrink that copied must be told from a zero-copy one (no kernel with the
 * zero-copy series was available: those two deltas are constructed).
 */

#include "igt_core.h"
#include "igt_swap.h"
#include "igt_thp.h"
#include "igt_vmstat.h"
#include "igt_tests_common.h"

struct counter {
	const char *name;
	int64_t value;
};

static struct igt_vmstat *delta_of(const struct counter *c)
{
	struct igt_vmstat *d = igt_vmstat_new();

	for (; c->name; c++)
		igt_vmstat_set(d, c->name, c->value);
	return d;
}

/*
 * Recorded in the VM (7.3.4, qxl, 768 MiB, non-rotational swap): swap-cycle,
 * 191 MiB of BOs = 49112 pages, memory.reclaim after tt_shrink.
 */
static const struct counter swapped[] = {
	{ "pswpout", 49654 }, { "pswpin", 89 }, { "meminfo.Shmem", -49109 * 4 },
	{ "thp_swpout", 0 }, { "thp_swpout_fallback", 0 }, { "thp_split_page", 0 },
	{}
};

/* the same run had reclaim found nothing to do (trigger removed) */
static const struct counter nothing[] = {
	{ "pswpout", 0 }, { "meminfo.Shmem", 12 }, { "thp_swpout", 0 }, {}
};

/* backup left shmem but was freed, not written (e.g. dropped) */
static const struct counter not_written[] = {
	{ "pswpout", 120 }, { "meminfo.Shmem", -49112 * 4 }, {}
};

/* Recorded: 7.3.4 qxl thp-swapout, 43 chunks of BO backup went out whole */
static const struct counter thp_whole[] = {
	{ "pswpout", 22080 }, { "pswpin", 18 }, { "meminfo.Shmem", -88064 },
	{ "thp_swpout", 43 }, { "thp_swpout_fallback", 0 }, { "thp_split_page", 0 },
	{ "hugepages-2048kB.swpout", 43 }, { "hugepages-2048kB.swpout_fallback", 0 },
	{}
};

/*
 * Recorded: 6.12.117 qxl, rotational swap, thp-control: every THP split
 * before writeout, and thp_swpout_fallback stays 0.
 */
static const struct counter thp_split[] = {
	{ "pswpout", 26589 }, { "pswpin", 35 }, { "meminfo.Shmem", -105456 },
	{ "thp_swpout", 0 }, { "thp_swpout_fallback", 0 }, { "thp_split_page", 51 },
	{ "hugepages-2048kB.swpout", 0 }, { "hugepages-2048kB.swpout_fallback", 0 },
	{}
};

/* most whole, some fell back to order 0 */
static const struct counter thp_fallback[] = {
	{ "pswpout", 32768 }, { "thp_swpout", 60 }, { "thp_swpout_fallback", 4 },
	{ "thp_split_page", 0 }, {}
};

/* a kernel without any THP swap counter */
static const struct counter thp_no_stats[] = {
	{ "pswpout", 32768 }, {}
};

static const struct counter thp_nothing[] = {
	{ "pswpout", 0 }, { "thp_swpout", 0 }, {}
};

/* shrink of 128 MiB (32768 pages): a copy allocates as many pages again */
static const struct counter shrink_copy[] = {
	{ "pgalloc_dma32", 20000 }, { "pgalloc_normal", 13500 }, {}
};

static const struct counter shrink_zero_copy[] = {
	{ "pgalloc_dma32", 40 }, { "pgalloc_normal", 310 }, {}
};

static bool left(const struct counter *c, uint64_t pages)
{
	struct igt_vmstat *d = delta_of(c);
	bool ok = igt_swap_check_left_memory(d, pages, 90);

	igt_vmstat_free(d);
	return ok;
}

static enum igt_thp_verdict thp(const struct counter *c, uint64_t chunks)
{
	struct igt_vmstat *d = delta_of(c);
	enum igt_thp_verdict v = igt_thp_swapout_verdict(d, chunks, 90, NULL);

	igt_vmstat_free(d);
	return v;
}

static bool no_copy(const struct counter *c, uint64_t pages)
{
	struct igt_vmstat *d = delta_of(c);
	bool ok = igt_thp_check_no_copy(d, pages, 10);

	igt_vmstat_free(d);
	return ok;
}

int main(void)
{
	struct igt_thp_swapout f;
	struct igt_vmstat *d;

	check(left(swapped, 49112), NULL);
	check(!left(nothing, 49112), NULL);
	check(!left(not_written, 49112), NULL);
	/* the same good delta does not cover twice the BOs */
	check(!left(swapped, 2 * 49112), NULL);

	check(thp(thp_whole, 43) == IGT_THP_WHOLE, NULL);
	check(thp(thp_split, 51) == IGT_THP_SPLIT, NULL);
	check(thp(thp_fallback, 64) == IGT_THP_SPLIT, NULL);
	check(thp(thp_no_stats, 64) == IGT_THP_NO_STATS, NULL);
	check(thp(thp_nothing, 64) == IGT_THP_NOT_SWAPPED, NULL);
	/* whole, but only 43 of 86 chunks: not enough */
	check(thp(thp_whole, 86) == IGT_THP_NOT_SWAPPED, NULL);

	d = delta_of(thp_fallback);
	igt_thp_swapout_verdict(d, 64, 90, &f);
	check(f.whole == 60 && f.fallback == 4 && f.split == 0 && f.pages == 32768, NULL);
	igt_vmstat_free(d);

	check(!no_copy(shrink_copy, 32768), NULL);
	check(no_copy(shrink_zero_copy, 32768), NULL);

	return checks_done("igt_shrink_verdicts");
}
