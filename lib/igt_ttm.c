// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_ttm
 * @short_description: TTM's swap controls: debugfs, module parameters
 * @title: TTM
 * @include: igt_ttm.h
 *
 * TTM-based drivers leave memory in one of two ways. Most (qxl, vmwgfx, amdgpu,
 * radeon, nouveau, VRAM-helper drivers) take the legacy path: ttm_tt_swapout()
 * copies a BO's pages into shmem when the ttm module's pages_limit would be
 * exceeded, or one BO per read of debugfs ttm/tt_shrink. xe instead has an mm
 * shrinker and is driven by ordinary memory reclaim. This file tells which
 * path a device takes, drives tt_shrink with a budget and changes
 * pages_limit with guaranteed restore.
 *
 * Paths are resolved through igt_sysroot. Reading tt_shrink or
 * page_pool_shrink has side effects: nothing here reads the whole directory.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_sysroot.h"
#include "igt_ttm.h"

#define PAGES_LIMIT IGT_TTM_PARAMS "/pages_limit"

/*
 * The module bound to the device's parent, e.g. "qxl" for a PCI device.
 * Devices without a bus driver of their own (faux, platform built-ins) have
 * no such link.
 */
static int parent_driver_module(int fd, char *buf, int len)
{
	char path[128], link[256], target[256];
	struct stat st;
	ssize_t n;
	char *base;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return -ENODEV;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/driver/module",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!igt_sysroot_path(path, link, sizeof(link)))
		return -ENAMETOOLONG;
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, len, "%s", base ? base + 1 : target);
	return 0;
}

/**
 * igt_ttm_driver_module:
 * @fd: an open DRM device
 * @buf: receives the kernel module that drives it, e.g. "qxl"
 * @len: size of @buf
 *
 * The module bound to the device's parent (PCI) device; for devices without
 * one (e.g. faux devices of virtual drivers) the DRM driver's name.
 *
 * Returns: 0 or -errno.
 */
int igt_ttm_driver_module(int fd, char *buf, int len)
{
	drmVersionPtr version;

	if (!parent_driver_module(fd, buf, len))
		return 0;

	version = drmGetVersion(fd);
	if (!version)
		return -ENODEV;
	snprintf(buf, len, "%s", version->name);
	drmFreeVersion(version);
	return 0;
}

/* Does @module use ttm, directly or through helpers (e.g. drm_vram_helper)? */
static bool module_holds_ttm(const char *holder_of, const char *module, int depth)
{
	char path[256], dir[256];
	bool found = false;
	struct stat st;

	snprintf(path, sizeof(path), "/sys/module/%s/holders/%s", holder_of, module);
	if (igt_sysroot_path(path, dir, sizeof(dir)) && !stat(dir, &st))
		return true;
	if (depth >= 3)
		return false;

	/* Walk through the helper modules that hold @holder_of */
	snprintf(path, sizeof(path), "/sys/module/%s/holders", holder_of);
	if (igt_sysroot_path(path, dir, sizeof(dir))) {
		char holder[256];
		struct dirent *de;
		DIR *d = opendir(dir);

		if (!d)
			return false;
		while (!found && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(holder, sizeof(holder), "%s", de->d_name);
			found = module_holds_ttm(holder, module, depth + 1);
		}
		closedir(d);
	}
	return found;
}

/*
 * Does @module register an mm shrinker of its own? Its scan callback is then
 * in /proc/kallsyms, by the kernel's naming habit "<prefix>_shrinker_scan"
 * (xe_shrinker_scan), tagged "[module]".
 */
static bool module_has_shrinker(const char *module)
{
	char line[512], tag[80];
	bool found = false;
	FILE *f;

	f = igt_sysroot_fopen("/proc/kallsyms", "r");
	if (!f)
		return false;
	snprintf(tag, sizeof(tag), "[%s]", module);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "shrinker_scan") && strstr(line, tag);
	fclose(f);
	return found;
}

/**
 * igt_ttm_swap_path_of_module:
 * @module: a DRM driver's kernel module name
 *
 * Returns: the path BOs of that driver take to swap: xe, and any other
 * module using ttm with an mm shrinker of its own (a "*shrinker_scan"
 * function in /proc/kallsyms), have a shrinker; other modules using the ttm
 * module take the legacy path; the rest none.
 */
enum igt_ttm_swap_path igt_ttm_swap_path_of_module(const char *module)
{
	if (!strcmp(module, "xe"))
		return IGT_TTM_SHRINKER;
	if (module_holds_ttm("ttm", module, 0))
		return module_has_shrinker(module) ? IGT_TTM_SHRINKER : IGT_TTM_LEGACY;
	return IGT_TTM_NONE;
}

/**
 * igt_ttm_swap_path:
 * @fd: an open DRM device
 *
 * Returns: the path this device's BOs take to swap, IGT_TTM_NONE when its
 * driver does not use TTM (or cannot be told).
 */
enum igt_ttm_swap_path igt_ttm_swap_path(int fd)
{
	char module[64];

	if (igt_ttm_driver_module(fd, module, sizeof(module)))
		return IGT_TTM_NONE;
	return igt_ttm_swap_path_of_module(module);
}

/**
 * igt_ttm_swap_path_name:
 * @path: a swap path
 *
 * Returns: a printable name.
 */
const char *igt_ttm_swap_path_name(enum igt_ttm_swap_path path)
{
	switch (path) {
	case IGT_TTM_NONE:
		return "none (driver does not use TTM)";
	case IGT_TTM_LEGACY:
		return "legacy ttm_tt_swapout";
	case IGT_TTM_SHRINKER:
		return "shrinker backup";
	}
	return "?";
}

/**
 * igt_ttm_has_debugfs:
 *
 * Returns: whether debugfs ttm/tt_shrink exists (debugfs mounted, TTM loaded).
 */
bool igt_ttm_has_debugfs(void)
{
	char path[256];

	return igt_sysroot_path(IGT_TTM_DEBUGFS "/tt_shrink", path, sizeof(path)) &&
	       access(path, R_OK) == 0;
}

/**
 * igt_ttm_tt_shrink_once:
 *
 * Reads debugfs ttm/tt_shrink once: TTM swaps out one BO (legacy path).
 *
 * Returns: pages swapped out (0 when nothing was left to swap), or -errno.
 */
int64_t igt_ttm_tt_shrink_once(void)
{
	char buf[32], *end;
	long long v;
	int ret;

	ret = igt_sysroot_read(IGT_TTM_DEBUGFS "/tt_shrink", buf, sizeof(buf));
	if (ret < 0)
		return ret;
	v = strtoll(buf, &end, 10);
	if (end == buf)
		return -EINVAL;
	/* The kernel prints -EBUSY and friends when it found nothing to do */
	return v < 0 ? 0 : v;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/**
 * igt_ttm_tt_shrink:
 * @budget_pages: stop once this many pages went out (0: no budget)
 * @max_reads: stop after this many reads
 * @timeout_ms: stop after this long
 *
 * Reads tt_shrink until it reports 0 pages, the budget is met, or a bound is
 * reached.
 *
 * Returns: pages swapped out in total, or -errno when the first read failed.
 */
int64_t igt_ttm_tt_shrink(uint64_t budget_pages, unsigned int max_reads,
			  unsigned int timeout_ms)
{
	uint64_t start = now_ms(), total = 0;

	for (unsigned int i = 0; i < max_reads; i++) {
		int64_t n = igt_ttm_tt_shrink_once();

		if (n < 0)
			return i ? (int64_t)total : n;
		if (!n)
			break;
		total += n;
		if ((budget_pages && total >= budget_pages) ||
		    now_ms() - start > timeout_ms)
			break;
	}
	return total;
}

/**
 * igt_ttm_get_pages_limit:
 * @pages: receives the ttm module's pages_limit
 *
 * Returns: 0 or -errno.
 */
int igt_ttm_get_pages_limit(uint64_t *pages)
{
	unsigned long long v;
	int ret = igt_sysroot_read_u64(PAGES_LIMIT, &v);

	if (!ret)
		*pages = v;
	return ret;
}

/**
 * __igt_ttm_set_pages_limit:
 * @pages: new limit on TTM-allocated pages (legacy swap path watermark)
 *
 * The old value is restored by igt_ttm_restore_pages_limit(),
 * igt_knob_restore_all(), or at exit.
 *
 * Returns: 0 or -errno.
 */
int __igt_ttm_set_pages_limit(uint64_t pages)
{
	char value[32];

	snprintf(value, sizeof(value), "%llu", (unsigned long long)pages);
	return __igt_knob_set(PAGES_LIMIT, value);
}

/**
 * igt_ttm_set_pages_limit:
 * @pages: as for __igt_ttm_set_pages_limit()
 *
 * __igt_ttm_set_pages_limit() that fails the test when the limit cannot be
 * set.
 */
void igt_ttm_set_pages_limit(uint64_t pages)
{
	int err = __igt_ttm_set_pages_limit(pages);

	igt_assert_f(!err, "ttm pages_limit %llu: %s\n", (unsigned long long)pages,
		     strerror(-err));
}

/**
 * igt_ttm_restore_pages_limit:
 *
 * Returns: 0 or -errno.
 */
int igt_ttm_restore_pages_limit(void)
{
	return igt_knob_restore(PAGES_LIMIT);
}

/**
 * igt_ttm_has_zero_copy:
 * @missing: receives the names of the missing symbols, space separated
 * @len: size of @missing
 *
 * Looks in /proc/kallsyms for shmem_insert_folio() and
 * ttm_backup_insert_folio(), which the zero-copy shrink series adds: with
 * them, TTM inserts its high-order pages into shmem instead of copying them.
 *
 * Returns: whether both symbols exist.
 */
bool igt_ttm_has_zero_copy(char *missing, size_t len)
{
	static const char *const syms[] = {
		"shmem_insert_folio", "ttm_backup_insert_folio",
	};
	bool found[2] = {};
	char line[256], name[128];
	FILE *f;

	f = igt_sysroot_fopen("/proc/kallsyms", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %127s", name) != 1)
			continue;
		for (int i = 0; i < 2; i++)
			found[i] |= !strcmp(name, syms[i]);
	}
	if (f)
		fclose(f);

	missing[0] = '\0';
	for (int i = 0; i < 2; i++)
		if (!found[i])
			snprintf(missing + strlen(missing), len - strlen(missing),
				 "%s%s", missing[0] ? " " : "", syms[i]);
	return found[0] && found[1];
}
