// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_aux.h"
#include "igt_debugfs.h"
#include "igt_os.h"
#include "igt_sysfs.h"

/* Rough kernel cost of tracking one buffer object (object, inode...). */
#define KERNEL_BO_OVERHEAD 8192

static char *read_proc_file(const char *name)
{
	int dir = open("/proc", O_RDONLY | O_DIRECTORY);
	char *text;

	if (dir < 0)
		return NULL;
	text = igt_sysfs_get(dir, name);
	close(dir);

	return text;
}

/* Value of "@field:" in /proc/meminfo text, in bytes; 0 with a warning. */
static uint64_t meminfo_field(const char *info, const char *field)
{
	size_t len = strlen(field);
	unsigned long long kib;
	const char *line;

	for (line = info; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, field, len) && line[len] == ':' &&
		    sscanf(line + len + 1, " %llu", &kib) == 1)
			return (uint64_t)kib << 10;
	}
	igt_warn("Unrecognised /proc/meminfo field: '%s'\n", field);

	return 0;
}

/**
 * igt_get_meminfo:
 * @field: a /proc/meminfo field name without the colon, e.g. "MemTotal"
 *
 * Returns: the field's value in bytes (meminfo prints kB), or 0 with a
 * warning when there is no such field.
 */
uint64_t igt_get_meminfo(const char *field)
{
	char *info = read_proc_file("meminfo");
	uint64_t value;

	if (!info) {
		igt_warn("Could not open /proc/meminfo\n");
		return 0;
	}
	value = meminfo_field(info, field);
	free(info);

	return value;
}

/**
 * igt_get_total_ram_mb:
 *
 * Returns: the RAM the kernel manages, in MiB.
 */
uint64_t igt_get_total_ram_mb(void)
{
	struct sysinfo si;

	igt_assert(sysinfo(&si) == 0);

	return (uint64_t)si.totalram * si.mem_unit >> 20;
}

/* Any DRM device already present, without loading drivers; or -1. */
static int any_present_drm_device(void)
{
	char name[32];
	int fd;

	for (int i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "/dev/dri/card%d", i);
		fd = __drm_open_device(name, DRIVER_ANY);
		if (fd >= 0)
			return fd;
	}

	return -1;
}

/**
 * igt_get_avail_ram_mb:
 *
 * Drops the kernel's caches (igt_purge_vm_caches()), then counts what a
 * test can use: MemAvailable plus Buffers, Cached and SwapCached, which
 * the kernel can hand back.
 *
 * Returns: the available RAM in MiB.
 */
uint64_t igt_get_avail_ram_mb(void)
{
	int fd = any_present_drm_device();
	uint64_t bytes;
	char *info;

	igt_purge_vm_caches(fd);
	if (fd >= 0)
		close(fd);

	info = read_proc_file("meminfo");
	if (info) {
		bytes = meminfo_field(info, "MemAvailable") +
			meminfo_field(info, "Buffers") +
			meminfo_field(info, "Cached") +
			meminfo_field(info, "SwapCached");
		free(info);
	} else {
		struct sysinfo si;

		igt_assert(sysinfo(&si) == 0);
		bytes = ((uint64_t)si.freeram + min(si.freeswap, si.bufferram)) *
			si.mem_unit;
	}

	return bytes >> 20;
}

/**
 * igt_get_total_swap_mb:
 *
 * Despite the name (kept from upstream), this is the swap space still
 * free, not the size of the swap devices.
 *
 * Returns: free swap in MiB.
 */
uint64_t igt_get_total_swap_mb(void)
{
	struct sysinfo si;

	igt_assert(sysinfo(&si) == 0);

	return (uint64_t)si.freeswap * si.mem_unit >> 20;
}

/**
 * __igt_check_memory:
 * @count: number of objects
 * @size: bytes per object
 * @mode: CHECK_RAM, optionally | CHECK_SWAP
 * @out_required: set to the estimated bytes needed; may be NULL
 * @out_total: set to the bytes available; may be NULL
 *
 * Estimates whether @count objects of @size bytes (plus the kernel's
 * bookkeeping per object) fit into available RAM, or RAM plus free swap,
 * and whether that many files may be open.
 *
 * Returns: true (1) when they fit.
 */
int __igt_check_memory(uint64_t count, uint64_t size, unsigned mode,
		       uint64_t *out_required, uint64_t *out_total)
{
	uint64_t required, total = 0;

	required = ALIGN(count * (size + KERNEL_BO_OVERHEAD), 4096);
	if (mode & (CHECK_RAM | CHECK_SWAP))
		total += igt_get_avail_ram_mb();
	if (mode & CHECK_SWAP)
		total += igt_get_total_swap_mb();
	total <<= 20;

	igt_debug("Checking %llu objects of %llu bytes (%llu in total) against %s%s\n",
		  (unsigned long long)count, (unsigned long long)size,
		  (unsigned long long)required,
		  mode & (CHECK_RAM | CHECK_SWAP) ? "RAM" : "",
		  mode & CHECK_SWAP ? " + swap" : "");
	if (out_required)
		*out_required = required;
	if (out_total)
		*out_total = total;

	return count <= vfs_file_max() && required < total;
}

/**
 * igt_require_memory:
 * @count: number of objects
 * @size: bytes per object
 * @mode: CHECK_RAM, optionally | CHECK_SWAP
 *
 * Skips the test when __igt_check_memory() says the objects do not fit.
 * /proc/meminfo is logged at debug level in that case.
 */
void igt_require_memory(uint64_t count, uint64_t size, unsigned mode)
{
	uint64_t required, total;
	bool enough;
	char *info;

	enough = __igt_check_memory(count, size, mode, &required, &total);
	if (!enough && (info = read_proc_file("meminfo"))) {
		igt_debug("Insufficient free memory; /proc/meminfo:\n%s\n", info);
		free(info);
	}

	igt_require_f(enough,
		      "Estimated that we need %llu objects and %llu MiB for the test, but only have %llu MiB available (%s%s) and a maximum of %llu objects\n",
		      (unsigned long long)count,
		      (unsigned long long)DIV_ROUND_UP(required, 1 << 20),
		      (unsigned long long)(total >> 20),
		      mode & (CHECK_RAM | CHECK_SWAP) ? "RAM" : "",
		      mode & CHECK_SWAP ? " + swap" : "",
		      (unsigned long long)vfs_file_max());
}

static void write_drop_caches(const char *value)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0)
		igt_debug("drop_caches: %s\n", strerror(errno));
	close(fd);
}

/**
 * igt_purge_vm_caches:
 * @drm_fd: DRM fd whose driver caches to drop too, or -1
 *
 * Frees what the kernel holds only as cache: the page cache and slab
 * objects (/proc/sys/vm/drop_caches, which runs every shrinker, GPU
 * drivers' included) and, for drivers with such a debugfs file (i915),
 * the driver's own caches. Twice, as freeing one cache can release
 * another. Needs root to have any effect; errors are ignored.
 */
void igt_purge_vm_caches(int drm_fd)
{
	write_drop_caches("4\n");	/* stop the kernel logging each drop */
	for (int pass = 0; pass < 2; pass++) {
		if (drm_fd >= 0)
			igt_drop_caches_set(drm_fd, DROP_SHRINK_ALL | DROP_IDLE |
					    DROP_FREED);
		write_drop_caches("3\n");
	}
	errno = 0;
}
