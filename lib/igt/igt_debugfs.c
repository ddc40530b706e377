// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * A DRM device's debugfs folder is dri/<minor of its card node>. Render
 * nodes have none: their card's folder is found by comparing the "name"
 * files. Newer kernels also name the folder after the device (e.g. its PCI
 * slot); that is the fallback.
 */

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "igt_aux.h"
#include "igt_core.h"
#include "igt_debugfs.h"
#include "igt_sysfs.h"
#include "drmtest.h"

#define MAX_PRIMARY_MINOR 64

static const char *find_or_mount_debugfs(void)
{
	if (igt_is_mountpoint("/sys/kernel/debug"))
		return "/sys/kernel/debug";
	if (igt_is_mountpoint("/debug"))
		return "/debug";
	if (mount("debug", "/sys/kernel/debug", "debugfs", 0, NULL)) {
		igt_debug("Cannot mount debugfs: %s\n", strerror(errno));
		return NULL;
	}

	return "/sys/kernel/debug";
}

/**
 * igt_debugfs_mount:
 *
 * Finds where debugfs is mounted, mounting it on /sys/kernel/debug when it
 * is not (which needs root).
 *
 * Returns: the mount point, or NULL.
 */
const char *igt_debugfs_mount(void)
{
	static const char *root;

	if (!root)
		root = find_or_mount_debugfs();

	return root;
}

/* Reads dri/<minor>/name into @buf; returns its length or -1. */
static int read_dri_name(const char *root, unsigned int minor, char *buf, int size)
{
	char path[PATH_MAX];
	int dir, len;

	snprintf(path, sizeof(path), "%s/dri/%u", root, minor);
	dir = open(path, O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		return -1;
	len = igt_sysfs_read(dir, "name", buf, size);
	close(dir);

	return len;
}

/* A render node shares the "name" contents of its card node's folder. */
static int card_minor_for_render(const char *root, unsigned int minor)
{
	char name[128], other[128];
	int len = read_dri_name(root, minor, name, sizeof(name));

	if (len <= 0)
		return -1;
	for (unsigned int i = 0; i < MAX_PRIMARY_MINOR; i++)
		if (read_dri_name(root, i, other, sizeof(other)) == len &&
		    !memcmp(name, other, len))
			return i;

	return -1;
}

/* Newer kernels: dri/<device name>, the name being the sysfs device's. */
static char *device_named_path(const char *root, const struct stat *st,
			       char *path, int pathlen)
{
	char link[64], target[PATH_MAX];
	const char *devname;
	struct stat dst;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st->st_rdev), minor(st->st_rdev));
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	devname = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	snprintf(path, pathlen, "%s/dri/%s", root, devname);

	return stat(path, &dst) == 0 && S_ISDIR(dst.st_mode) ? path : NULL;
}

/**
 * igt_debugfs_path:
 * @device: DRM fd (card or render node), or -1 for the first device
 * @path: buffer for the result
 * @pathlen: size of @path
 *
 * Returns: @path filled with the device's debugfs folder, or NULL when
 * debugfs or the folder is missing.
 */
char *igt_debugfs_path(int device, char *path, int pathlen)
{
	const char *root = igt_debugfs_mount();
	struct stat st = { 0 };
	int minor_nr = 0;

	if (!root)
		return NULL;
	if (device != -1) {
		if (fstat(device, &st) || !S_ISCHR(st.st_mode)) {
			igt_debug("fd %d is not a DRM device node\n", device);
			return NULL;
		}
		minor_nr = minor(st.st_rdev);
	}

	if (minor_nr >= MAX_PRIMARY_MINOR)
		minor_nr = card_minor_for_render(root, minor_nr);
	if (minor_nr >= 0) {
		snprintf(path, pathlen, "%s/dri/%d", root, minor_nr);
		if (!access(path, F_OK))
			return path;
	}

	return device != -1 ? device_named_path(root, &st, path, pathlen) : NULL;
}

/**
 * igt_debugfs_dir:
 * @device: DRM fd, or -1 for the first device
 *
 * Returns: a directory fd on the device's debugfs folder, or -1.
 */
int igt_debugfs_dir(int device)
{
	char path[PATH_MAX];
	int dir;

	if (!igt_debugfs_path(device, path, sizeof(path)))
		return -1;
	dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		igt_debug("Cannot open %s: %s\n", path, strerror(errno));

	return dir;
}

/**
 * igt_debugfs_open:
 * @fd: DRM fd
 * @filename: file below the device's debugfs folder
 * @mode: open() flags
 *
 * Returns: an fd on the file, or a negative value.
 */
int igt_debugfs_open(int fd, const char *filename, int mode)
{
	int dir = igt_debugfs_dir(fd);
	int ret;

	if (dir < 0)
		return dir;
	ret = openat(dir, filename, mode);
	close(dir);

	return ret;
}

/**
 * igt_drop_caches_set:
 * @drm_fd: DRM fd
 * @val: DROP_* flags
 *
 * Asks the driver to drop its caches through debugfs: i915 takes @val as
 * is, msm shrinks as much as it can. Other drivers have no such file and
 * nothing happens.
 */
void igt_drop_caches_set(int drm_fd, uint64_t val)
{
	int dir;

	if (is_i915_device(drm_fd)) {
		dir = igt_debugfs_dir(drm_fd);
		igt_assert(igt_sysfs_printf(dir, "i915_gem_drop_caches",
					    "0x%" PRIx64, val) > 0);
		close(dir);
	} else if (is_msm_device(drm_fd)) {
		dir = igt_debugfs_dir(drm_fd);
		igt_assert(igt_sysfs_printf(dir, "shrink", "0x%" PRIx64,
					    ~(uint64_t)0) > 0);
		close(dir);
	}
}
