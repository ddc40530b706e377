// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * vmstat snapshots: every source (/proc/vmstat, /proc/meminfo, buddyinfo,
 * per-size THP stats) is parsed from a fixture tree with exact values, deltas
 * are after - before, malformed lines and missing sources leave counters
 * absent rather than zero-valued; and the real /proc parses too.
 */

#include "igt_core.h"
#include "igt_sysroot.h"
#include "igt_vmstat.h"
#include "igt_tests_common.h"
#include "shrink_fixture.h"

#define THP "/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/stats"

static char *root;

static void write_fixture(unsigned int pswpout, unsigned int shmem_kb)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "nr_free_pages 1000\npswpin 7\npswpout %u\nthp_swpout 3\n"
		 "garbage line without value\n", pswpout);
	fixture_write(root, "/proc/vmstat", text);
	snprintf(text, sizeof(text),
		 "MemTotal:        8000000 kB\nMemAvailable:    6000000 kB\n"
		 "ShmemHugePages:     2048 kB\n"	/* Shmem is its prefix */
		 "Shmem:          %8u kB\nHugePages_Total:       0\n", shmem_kb);
	fixture_write(root, "/proc/meminfo", text);
	/* order 9: 1 + 1 blocks, order 10: 3 blocks of 4 MiB: 8 x 2 MiB in all */
	fixture_write(root, "/proc/buddyinfo",
		      "Node 0, zone      DMA      1      1      1      0      2      1      1      0      1      1      3\n"
		      "Node 0, zone    DMA32     10      5      0      0      0      0      0      0      0      1      0\n");
	fixture_write(root, THP "/swpout", "11\n");
	fixture_write(root, THP "/split", "2\n");
}

static void test_fixture(void)
{
	struct igt_vmstat *a, *b, *d;

	igt_sysroot_set(root);
	write_fixture(100, 4096);
	a = igt_vmstat_snapshot();
	check(igt_vmstat_get(a, "pswpout") == 100, NULL);
	check(igt_vmstat_get(a, "pswpin") == 7, NULL);
	check(igt_vmstat_get(a, "meminfo.Shmem") == 4096, NULL);
	check(igt_vmstat_get(a, "meminfo.MemAvailable") == 6000000, NULL);
	check(igt_meminfo_kb("MemAvailable") == 6000000, NULL);
	check(igt_meminfo_kb("Shmem") == 4096, NULL);
	check(igt_meminfo_kb("NoSuchField") == 0, NULL);
	check(igt_vmstat_get(a, "meminfo.HugePages_Total") == 0, NULL);
	check(igt_vmstat_has(a, "meminfo.HugePages_Total"), NULL);
	check(igt_vmstat_get(a, "buddyinfo.free_2M") == 8, NULL);
	check(igt_vmstat_get(a, "hugepages-2048kB.swpout") == 11, NULL);
	check(igt_vmstat_get(a, "hugepages-2048kB.split") == 2, NULL);
	check(!igt_vmstat_has(a, "garbage"), NULL);
	check(!igt_vmstat_has(a, "thp_swpout_fallback"), NULL);

	write_fixture(612, 1024);
	b = igt_vmstat_snapshot();
	d = igt_vmstat_delta(a, b);
	check(igt_vmstat_get(d, "pswpout") == 512, NULL);
	check(igt_vmstat_get(d, "meminfo.Shmem") == -3072, NULL);
	check(igt_vmstat_get(d, "pswpin") == 0 && igt_vmstat_has(d, "pswpin"), NULL);
	igt_vmstat_free(b);
	igt_vmstat_free(d);

	/* the same through igt_vmstat_delta_since(), which frees the snapshot */
	write_fixture(700, 2048);
	d = igt_vmstat_delta_since(a);
	check(igt_vmstat_get(d, "pswpout") == 600, NULL);
	check(igt_vmstat_get(d, "meminfo.Shmem") == -2048, NULL);
	igt_vmstat_free(d);

	/* no THP directory at all: per-size counters are absent */
	fixture_cleanup(root);
	root = fixture_root();
	igt_sysroot_set(root);
	fixture_write(root, "/proc/vmstat", "pswpout 5\n");
	a = igt_vmstat_snapshot();
	check(igt_vmstat_get(a, "pswpout") == 5, NULL);
	check(!igt_vmstat_has(a, "hugepages-2048kB.swpout"), NULL);
	check(!igt_vmstat_has(a, "meminfo.Shmem"), NULL);
	igt_vmstat_free(a);
	igt_sysroot_set(NULL);
}

static void test_many_entries(void)
{
	struct igt_vmstat *s = igt_vmstat_new();
	char name[32];

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		igt_vmstat_set(s, name, i);
	}
	check(s->count == 1000 && igt_vmstat_get(s, "c999") == 999, NULL);
	igt_vmstat_set(s, "c5", -5);
	check(s->count == 1000 && igt_vmstat_get(s, "c5") == -5, NULL);
	igt_vmstat_free(s);
}

static void test_real_proc(void)
{
	struct igt_vmstat *s = igt_vmstat_snapshot();

	check(igt_vmstat_get(s, "meminfo.MemTotal") > 0, NULL);
	check(igt_vmstat_has(s, "pswpout"), NULL);
	check(igt_vmstat_has(s, "nr_free_pages"), NULL);
	check(igt_vmstat_has(s, "buddyinfo.free_2M"), NULL);
	igt_vmstat_free(s);
}

int main(void)
{
	root = fixture_root();
	test_fixture();
	test_many_entries();
	test_real_proc();
	fixture_cleanup(root);
	return checks_done("igt_shrink_vmstat");
}
