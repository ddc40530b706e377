// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The verdicts of igt_shrink_verdict, fed with counter deltas recorded in the
 * VM (qxl, 6.12 and 7.3), with fdinfo readings of vxe's faults and with
 * deltas of runs that went wrong: "nothing was swapped" and "THPs were
 * split" must be refused, a shrink that copied must be told from a
 * zero-copy one (no kernel with the zero-copy series was available: those
 * deltas are constructed), and each backup path recognised, a delta of one
 * path never passing for another.
 */

#include "igt_core.h"
#include "igt_shrink_verdict.h"
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
	bool ok = igt_shrink_check_backup_swapped(d, pages, 90);

	igt_vmstat_free(d);
	return ok;
}

static enum igt_thp_verdict thp(const struct counter *c, uint64_t chunks)
{
	struct igt_vmstat *d = delta_of(c);
	enum igt_thp_verdict v = igt_shrink_thp_verdict(d, chunks, 90, NULL);

	igt_vmstat_free(d);
	return v;
}

static bool no_copy(const struct counter *c, uint64_t pages)
{
	struct igt_vmstat *d = delta_of(c);
	bool ok = igt_shrink_check_no_copy(d, pages, 10);

	igt_vmstat_free(d);
	return ok;
}

static struct igt_vmstat *delta(int64_t shmem_kb, int64_t out, int64_t zout,
				int64_t in, int64_t zin)
{
	struct igt_vmstat *d = igt_vmstat_new();

	igt_vmstat_set(d, "meminfo.Shmem", shmem_kb);
	igt_vmstat_set(d, "pswpout", out);
	igt_vmstat_set(d, "zswpout", zout);
	igt_vmstat_set(d, "pswpin", in);
	igt_vmstat_set(d, "zswpin", zin);
	return d;
}

static enum igt_shrink_verdict judge(struct igt_vmstat *trigger,
				     struct igt_vmstat *restore,
				     uint64_t pages, enum igt_shrink_expect e)
{
	struct igt_shrink_counts c;

	igt_shrink_count_trigger(&c, trigger);
	igt_shrink_count_restore(&c, restore);
	igt_vmstat_free(trigger);
	igt_vmstat_free(restore);
	return igt_shrink_judge(&c, pages, e, 80);
}

static void test_verdicts(void)
{
	struct igt_shrink_counts c;
	struct igt_vmstat *d = delta(4000, 10, 5, 0, 0);

	igt_shrink_count_trigger(&c, d);
	check(c.backed_up == 1000 && c.swapped == 15, NULL);
	igt_vmstat_free(d);
	d = delta(-4000, 0, 0, 30, 2);
	igt_shrink_count_restore(&c, d);
	check(c.restored == 1032, NULL);
	igt_vmstat_free(d);

	/* drop_caches: 1000 pages backed up and restored */
	check(judge(delta(4000, 0, 0, 0, 0), delta(-4000, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_OK, NULL);
	/* backed up, then partly swapped: still all shrunk */
	check(judge(delta(1600, 600, 0, 0, 0), delta(-1600, 0, 0, 600, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_OK, NULL);
	/* nothing moved at all */
	check(judge(delta(0, 0, 0, 0, 0), delta(0, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_NOTHING, NULL);
	check(judge(delta(-40, 0, 0, 0, 0), delta(12, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_SWAP) == IGT_SHRINK_NOTHING, NULL);
	/* 70% < 80% */
	check(judge(delta(2800, 0, 0, 0, 0), delta(-2800, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_SHORT, NULL);
	/* shrunk but never restored */
	check(judge(delta(4000, 0, 0, 0, 0), delta(0, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_BACKUP) == IGT_SHRINK_SHORT, NULL);

	/* reclaim: swapped through zswap counts, shmem alone does not */
	check(judge(delta(0, 0, 900, 0, 0), delta(0, 0, 0, 0, 900), 1000,
		    IGT_SHRINK_EXPECT_SWAP) == IGT_SHRINK_OK, NULL);
	check(judge(delta(4000, 0, 0, 0, 0), delta(-4000, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_SWAP) == IGT_SHRINK_SHORT, NULL);

	/* pressure: only the restore counts, swap-out alone proves nothing */
	check(judge(delta(0, 50000, 0, 0, 0), delta(0, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_SOME) == IGT_SHRINK_NOTHING, NULL);
	check(judge(delta(0, 50000, 0, 0, 0), delta(0, 0, 0, 1, 0), 1000,
		    IGT_SHRINK_EXPECT_SOME) == IGT_SHRINK_OK, NULL);

	/* no swap: noise up to 5% */
	check(judge(delta(100, 0, 0, 0, 0), delta(-100, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_NONE) == IGT_SHRINK_OK, NULL);
	check(judge(delta(400, 0, 0, 0, 0), delta(-400, 0, 0, 0, 0), 1000,
		    IGT_SHRINK_EXPECT_NONE) == IGT_SHRINK_UNEXPECTED, NULL);

	check(!strcmp(igt_shrink_verdict_name(IGT_SHRINK_NOTHING), "nothing shrunk"), NULL);
}

static void test_client_mem(void)
{
	uint64_t bytes = 252 * MiB;
	struct igt_client_mem filled = { bytes, bytes };
	struct igt_client_mem all_out = { bytes, 12 * MiB };
	struct igt_client_mem none_out = { bytes, bytes };	/* fault_skip_scan */
	struct igt_client_mem half_out = { bytes, 126 * MiB };	/* fault_half_backup */
	struct igt_client_mem back = { bytes, bytes };

	check(igt_shrink_check_left(&filled, &all_out, bytes, 80), NULL);
	check(!igt_shrink_check_left(&filled, &none_out, bytes, 80), NULL);
	check(!igt_shrink_check_left(&filled, &half_out, bytes, 80), NULL);
	/* resident growing is no leaving */
	check(!igt_shrink_check_left(&all_out, &filled, bytes, 80), NULL);

	check(igt_shrink_check_back(&all_out, &back, bytes, 80), NULL);
	check(!igt_shrink_check_back(&all_out, &all_out, bytes, 80), NULL);
	check(!igt_shrink_check_back(&half_out, &back, bytes, 80), NULL);
}

/* 128 MiB of BOs: 32768 pages, 64 chunks of 2 MiB */
#define BO_PAGES 32768

/* copy with shmem_enabled=always: a page per BO page, and 2 MiB folios */
static const struct counter copy_thp[] = {
	{ "meminfo.Shmem", BO_PAGES * 4 }, { "pgalloc_dma32", 20000 },
	{ "pgalloc_normal", 13500 }, { "thp_file_alloc", 64 }, {}
};

/* the same with the per-size counter only (no thp_file_alloc) */
static const struct counter copy_thp_per_size[] = {
	{ "meminfo.Shmem", BO_PAGES * 4 }, { "pgalloc_normal", 33000 },
	{ "hugepages-2048kB.shmem_alloc", 60 }, {}
};

/* copy with shmem_enabled=never: 4 KiB shmem pages */
static const struct counter copy_pages[] = {
	{ "meminfo.Shmem", BO_PAGES * 4 }, { "pgalloc_normal", 33100 },
	{ "thp_file_alloc", 0 }, {}
};

/* zero-copy insertion: Shmem grows, the allocator hands out next to nothing */
static const struct counter insert[] = {
	{ "meminfo.Shmem", BO_PAGES * 4 }, { "pgalloc_dma32", 4 },
	{ "pgalloc_normal", 22 }, { "thp_file_alloc", 0 }, {}
};

/* zero-copy with every other insertion refused: half the pages copied */
static const struct counter mixed[] = {
	{ "meminfo.Shmem", BO_PAGES * 4 }, { "pgalloc_normal", 14000 },
	{ "thp_file_alloc", 0 }, {}
};

/* the shrinker found nothing to do */
static const struct counter none[] = {
	{ "meminfo.Shmem", 48 }, { "pgalloc_normal", 12 }, {}
};

/* half the BOs moved, by copy */
static const struct counter half[] = {
	{ "meminfo.Shmem", BO_PAGES * 2 }, { "pgalloc_normal", 16500 }, {}
};

static enum igt_thp_backup_path path_of(const struct counter *c)
{
	struct igt_vmstat *d = delta_of(c);
	enum igt_thp_backup_path p = igt_shrink_backup_path(d, BO_PAGES, 90);

	igt_vmstat_free(d);
	return p;
}

static void test_backup_paths(void)
{	check(path_of(copy_thp) == IGT_THP_BACKUP_COPY_THP, NULL);
	check(path_of(copy_thp_per_size) == IGT_THP_BACKUP_COPY_THP, NULL);
	check(path_of(copy_pages) == IGT_THP_BACKUP_COPY_PAGES, NULL);
	check(path_of(insert) == IGT_THP_BACKUP_INSERT, NULL);
	check(path_of(mixed) == IGT_THP_BACKUP_MIXED, NULL);
	check(path_of(none) == IGT_THP_BACKUP_NONE, NULL);
	check(path_of(half) == IGT_THP_BACKUP_NONE, NULL);

	check(!strcmp(igt_shrink_backup_path_name(IGT_THP_BACKUP_INSERT), "zero-copy insertion"), NULL);
	check(!strcmp(igt_shrink_backup_path_name(IGT_THP_BACKUP_COPY_THP), "copy into shmem THPs"), NULL);
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
	igt_shrink_thp_verdict(d, 64, 90, &f);
	check(f.whole == 60 && f.fallback == 4 && f.split == 0 && f.pages == 32768, NULL);
	igt_vmstat_free(d);

	check(!no_copy(shrink_copy, 32768), NULL);
	check(no_copy(shrink_zero_copy, 32768), NULL);

	test_verdicts();
	test_client_mem();
	test_backup_paths();
	return checks_done("igt_shrink_verdict");
}
