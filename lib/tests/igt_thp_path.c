// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
 *
 * igt_thp_backup_path(): which way a shrink got the BOs into shmem, told
 * from the shrink's counter deltas. Each path must be recognised, and a
 * delta of one path must not pass for another.
 */

#include "igt_core.h"
#include "igt_thp.h"
#include "igt_vmstat.h"
#include "igt_tests_common.h"

struct counter {
	const char *name;
	int64_t value;
};

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
	struct igt_vmstat *d = igt_vmstat_new();
	enum igt_thp_backup_path p;

	for (; c->name; c++)
		igt_vmstat_set(d, c->name, c->value);
	p = igt_thp_backup_path(d, BO_PAGES, 90);
	igt_vmstat_free(d);
	return p;
}

int main(void)
{
	check(path_of(copy_thp) == IGT_THP_BACKUP_COPY_THP, NULL);
	check(path_of(copy_thp_per_size) == IGT_THP_BACKUP_COPY_THP, NULL);
	check(path_of(copy_pages) == IGT_THP_BACKUP_COPY_PAGES, NULL);
	check(path_of(insert) == IGT_THP_BACKUP_INSERT, NULL);
	check(path_of(mixed) == IGT_THP_BACKUP_MIXED, NULL);
	check(path_of(none) == IGT_THP_BACKUP_NONE, NULL);
	check(path_of(half) == IGT_THP_BACKUP_NONE, NULL);

	check(!strcmp(igt_thp_backup_path_name(IGT_THP_BACKUP_INSERT), "zero-copy insertion"), NULL);
	check(!strcmp(igt_thp_backup_path_name(IGT_THP_BACKUP_COPY_THP), "copy into shmem THPs"), NULL);

	return checks_done("igt_thp_path");
}
