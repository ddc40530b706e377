// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_swap
 * @short_description: Swap devices and what reached them
 * @title: swap
 * @include: igt_swap.h
 *
 * Lists active swap (/proc/swaps), tells whether it sits on a rotational
 * device (which changes how the kernel writes huge pages out), whether zswap
 * intercepts pages, and counts from a vmstat delta the pages that went to
 * swap (igt_swap_pages_out(); the verdicts on them are igt_shrink_verdict's).
 * Paths are resolved through igt_sysroot.
 */

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "igt_core.h"
#include "igt_swap.h"
#include "igt_sysroot.h"

#define SWAP_MAX 16

/* Rotational flag of the block device holding (or being) a swap area */
static int swap_rotational_of(const char *path)
{
	char file[128];
	unsigned long long v;
	struct stat st;
	dev_t dev;

	if (stat(path, &st))
		return -1;
	dev = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;

	/* A partition has no queue/ of its own: its parent's is one level up */
	snprintf(file, sizeof(file), "/sys/dev/block/%u:%u/queue/rotational",
		 major(dev), minor(dev));
	if (!igt_sysroot_read_u64(file, &v))
		return !!v;
	snprintf(file, sizeof(file), "/sys/dev/block/%u:%u/../queue/rotational",
		 major(dev), minor(dev));
	if (!igt_sysroot_read_u64(file, &v))
		return !!v;
	return -1;
}

/**
 * igt_swap_devices:
 * @devs: array to fill
 * @max: its size
 *
 * Returns: the number of active swap areas found (at most @max).
 */
int igt_swap_devices(struct igt_swap_device *devs, int max)
{
	char line[256], path[128], type[32];
	unsigned long long size, used;
	int n = 0, prio;
	FILE *f;

	f = igt_sysroot_fopen("/proc/swaps", "r");
	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %31s %llu %llu %d",
			   path, type, &size, &used, &prio) != 5)
			continue;	/* the header */
		memset(&devs[n], 0, sizeof(devs[n]));
		snprintf(devs[n].path, sizeof(devs[n].path), "%s", path);
		devs[n].is_file = !strcmp(type, "file");
		devs[n].size_kb = size;
		devs[n].used_kb = used;
		devs[n].priority = prio;
		devs[n].rotational = swap_rotational_of(path);
		n++;
	}
	fclose(f);
	return n;
}

/**
 * igt_swap_active:
 *
 * Returns: whether at least one swap area is active.
 */
bool igt_swap_active(void)
{
	struct igt_swap_device devs[SWAP_MAX];

	return igt_swap_devices(devs, SWAP_MAX) > 0;
}

/**
 * igt_swap_free_mb:
 *
 * Returns: free swap in MiB, summed over the active areas.
 */
uint64_t igt_swap_free_mb(void)
{
	struct igt_swap_device devs[SWAP_MAX];
	uint64_t free_kb = 0;
	int n = igt_swap_devices(devs, SWAP_MAX);

	for (int i = 0; i < n; i++)
		free_kb += devs[i].size_kb - devs[i].used_kb;
	return free_kb / 1024;
}

/**
 * igt_swap_rotational:
 *
 * Returns: 1 when every active swap area is on a rotational device, 0 when
 * none is, -1 when there is no swap, the answer is unknown or mixed.
 */
int igt_swap_rotational(void)
{
	struct igt_swap_device devs[SWAP_MAX];
	int n = igt_swap_devices(devs, SWAP_MAX);
	int rot;

	if (n <= 0)
		return -1;
	rot = devs[0].rotational;
	for (int i = 1; i < n; i++)
		if (devs[i].rotational != rot)
			return -1;
	return rot;
}

/**
 * igt_zswap_enabled:
 *
 * Returns: whether zswap is enabled; then pages may stop in compressed RAM
 * and count as zswpout instead of pswpout.
 */
bool igt_zswap_enabled(void)
{
	char buf[16];

	if (igt_sysroot_read("/sys/module/zswap/parameters/enabled", buf,
			     sizeof(buf)) <= 0)
		return false;
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
}

/**
 * igt_swap_pages_out:
 * @delta: vmstat delta
 *
 * Returns: pages that left RAM for swap (written, or compressed by zswap).
 */
int64_t igt_swap_pages_out(const struct igt_vmstat *delta)
{
	return igt_vmstat_get(delta, "pswpout") + igt_vmstat_get(delta, "zswpout");
}
