// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Opening DRM devices by driver. A device is accepted when the driver name
 * reported by DRM_IOCTL_VERSION maps to a bit of the requested chipset
 * mask; drivers this file does not know count as DRIVER_ANY. When nothing
 * matches, the drivers of the mask are loaded through libkmod and the
 * search runs once more. Device filters (--device, IGT_DEVICE) pick the
 * device instead of the first match.
 */

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drmtest.h"
#include "igt_device_scan.h"
#include "igt_kmod.h"
#include "ioctl_wrappers.h"
#include "xe/xe_query.h"

#define MAX_OPENED 64
#define NODES_PER_KIND 16

static const struct {
	unsigned int bit;
	const char *name;	/* kernel module and DRM driver name */
} drivers[] = {
	{ DRIVER_AMDGPU, "amdgpu" },
	{ DRIVER_INTEL, "i915" },
	{ DRIVER_MSM, "msm" },
	{ DRIVER_PANFROST, "panfrost" },
	{ DRIVER_PANTHOR, "panthor" },
	{ DRIVER_V3D, "v3d" },
	{ DRIVER_VC4, "vc4" },
	{ DRIVER_VGEM, "vgem" },
	{ DRIVER_VIRTIO, "virtio_gpu" },
	{ DRIVER_VKMS, "vkms" },
	{ DRIVER_VMWGFX, "vmwgfx" },
	{ DRIVER_XE, "xe" },
};

/* Devices handed out by __drm_open_driver_another(), by index. */
static dev_t opened_rdev[MAX_OPENED];
static int opened_count;

/**
 * __get_drm_device_name:
 * @fd: DRM file descriptor
 * @name: buffer for the driver name
 * @name_size: how many bytes the kernel may write into @name
 *
 * Asks the kernel for the name of the driver behind @fd. Pass one byte
 * less than the (zeroed) buffer size to keep the string terminated.
 *
 * Returns: 0 on success, -1 when @fd is not a DRM device.
 */
int __get_drm_device_name(int fd, char *name, int name_size)
{
	drm_version_t version;

	memset(&version, 0, sizeof(version));
	version.name = name;
	version.name_len = name_size;

	return drmIoctl(fd, DRM_IOCTL_VERSION, &version) ? -1 : 0;
}

static bool driver_name_is(int fd, const char *expected)
{
	char name[32] = "";

	if (__get_drm_device_name(fd, name, sizeof(name) - 1))
		return false;

	return !strcmp(name, expected);
}

/* Maps a driver name to its DRIVER_* bit; unknown drivers are "any". */
static unsigned int driver_bit(const char *name)
{
	for (int i = 0; i < ARRAY_SIZE(drivers); i++)
		if (!strcmp(drivers[i].name, name))
			return drivers[i].bit;

	return DRIVER_ANY;
}

static const char *chipset_name(int chipset)
{
	if (chipset == DRIVER_INTEL)
		return "intel";
	if (chipset == DRIVER_ANY)
		return "any";
	for (int i = 0; i < ARRAY_SIZE(drivers); i++)
		if (drivers[i].bit == chipset)
			return drivers[i].name;

	return "other";
}

static const char *forced_driver(void)
{
	const char *env = getenv("IGT_FORCE_DRIVER");

	return env && *env ? env : NULL;
}

/**
 * drm_get_chipset:
 * @fd: DRM file descriptor
 *
 * Returns: the DRIVER_* bit of the driver behind @fd, or DRIVER_ANY for a
 * driver without a bit of its own.
 */
unsigned int drm_get_chipset(int fd)
{
	char name[32] = "";

	if (__get_drm_device_name(fd, name, sizeof(name) - 1))
		return DRIVER_ANY;

	return driver_bit(name);
}

/**
 * __drm_open_device:
 * @name: device node, e.g. "/dev/dri/card0"
 * @chipset: DRIVER_* mask the driver must be in
 *
 * Opens @name when it is a DRM device whose driver is in @chipset.
 *
 * Returns: the fd, or -1.
 */
int __drm_open_device(const char *name, unsigned int chipset)
{
	const char *forced = forced_driver();
	char drv[32] = "";
	unsigned int bit;
	int fd;

	fd = open(name, O_RDWR);
	if (fd < 0)
		return -1;
	if (__get_drm_device_name(fd, drv, sizeof(drv) - 1))
		goto fail;

	if (forced && chipset == DRIVER_ANY) {
		if (strcmp(forced, drv)) {
			igt_debug("Expected driver \"%s\" but got \"%s\"\n",
				  forced, drv);
			goto fail;
		}
	} else {
		bit = driver_bit(drv);
		if ((chipset & bit) != bit)
			goto fail;
	}

	igt_debug("Opened device: %s (%s)\n", name, drv);
	return fd;

fail:
	close(fd);
	return -1;
}

/* A node we cannot stat, or one already handed out below @idx, is skipped. */
static bool is_already_opened(const char *path, int idx)
{
	struct stat st;

	if (stat(path, &st))
		return true;
	for (int i = 0; i < idx && i < opened_count; i++)
		if (opened_rdev[i] == st.st_rdev)
			return true;

	return false;
}

static void remember_opened(int idx, int fd)
{
	struct stat st;

	if (idx >= MAX_OPENED || fstat(fd, &st))
		return;
	opened_rdev[idx] = st.st_rdev;
	if (opened_count < idx + 1)
		opened_count = idx + 1;
}

static int search_and_open(const char *base, int first, unsigned int chipset,
			   int idx)
{
	for (int i = 0; i < NODES_PER_KIND; i++) {
		char name[64];
		int fd;

		snprintf(name, sizeof(name), "%s%d", base, first + i);
		if (is_already_opened(name, idx))
			continue;
		fd = __drm_open_device(name, chipset);
		if (fd >= 0)
			return fd;
	}

	return -1;
}

/**
 * drm_load_module:
 * @chipset: DRIVER_* mask
 *
 * Loads the kernel module of every driver in @chipset (or the driver
 * $IGT_FORCE_DRIVER names) and rescans the DRM devices.
 */
void drm_load_module(unsigned int chipset)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	const char *forced = forced_driver();
	bool want_any = chipset == DRIVER_ANY;

	if (forced && chipset != DRIVER_VGEM)
		chipset &= driver_bit(forced) == DRIVER_ANY ? 0 : driver_bit(forced);

	pthread_mutex_lock(&lock);
	if (forced && !chipset) {
		if (want_any)
			igt_kmod_load(forced, "");
	} else {
		for (int i = 0; i < ARRAY_SIZE(drivers); i++)
			if (chipset & drivers[i].bit)
				igt_kmod_load(drivers[i].name, "");
	}
	pthread_mutex_unlock(&lock);

	igt_devices_scan();
}

static int open_with_module_load(const char *base, int first,
				 unsigned int chipset, int idx)
{
	int fd = search_and_open(base, first, chipset, idx);

	if (fd >= 0)
		return fd;
	drm_load_module(chipset);

	return search_and_open(base, first, chipset, idx);
}

static int open_exact_with_module_load(const char *node, unsigned int chipset)
{
	int fd = __drm_open_device(node, chipset);

	if (fd >= 0)
		return fd;
	drm_load_module(chipset);

	return __drm_open_device(node, chipset);
}

/* IGT_DEVICE counts as a filter when nothing else set one. */
static void add_env_filter(void)
{
	static bool done;
	const char *env = getenv("IGT_DEVICE");

	if (done)
		return;
	done = true;
	if (env && *env && !igt_device_filter_count())
		igt_device_filter_add(env);
}

static bool card_for_filter(int idx, struct igt_device_card *card)
{
	const char *filter = igt_device_filter_get(idx);

	igt_debug("Looking for devices to open using filter %d: %s\n",
		  idx, filter);

	return igt_device_card_match(filter, card);
}

static int open_filtered(int idx, unsigned int chipset)
{
	struct igt_device_card card;
	bool found = card_for_filter(idx, &card);

	if (!found) {
		drm_load_module(chipset);
		found = card_for_filter(idx, &card);
	}
	if (!found || !card.card[0]) {
		igt_warn("No card matches the filter! [%s]\n",
			 igt_device_filter_get(idx));
		return -1;
	}
	if (is_already_opened(card.card, idx)) {
		igt_warn("card maching filter %d is already opened\n", idx);
		return -1;
	}

	return open_exact_with_module_load(card.card, chipset);
}

/**
 * __drm_open_driver_another:
 * @idx: index of the device, for tests using several GPUs
 * @chipset: DRIVER_* mask
 *
 * Opens the card node selected by the @idx-th device filter, or else the
 * first card in @chipset not yet opened under a lower index. Loads the
 * drivers of @chipset when no device is found. xe devices get their query
 * cache filled (xe_device_get()).
 *
 * Returns: the fd, or -1.
 */
int __drm_open_driver_another(int idx, int chipset)
{
	int fd;

	add_env_filter();
	if (chipset != DRIVER_VGEM && igt_device_filter_count() > idx)
		fd = open_filtered(idx, chipset);
	else
		fd = open_with_module_load("/dev/dri/card", 0, chipset, idx);

	if (fd >= 0) {
		remember_opened(idx, fd);
		if (is_xe_device(fd))
			xe_device_get(fd);
	}

	return fd;
}

/**
 * drm_open_driver_another:
 * @idx: index of the device
 * @chipset: DRIVER_* mask
 *
 * Like __drm_open_driver_another() but skips the test when no device
 * matches.
 *
 * Returns: the fd.
 */
int drm_open_driver_another(int idx, int chipset)
{
	int fd = __drm_open_driver_another(idx, chipset);

	igt_skip_on_f(fd < 0, "No known gpu found for chipset flags 0x%x (%s)\n",
		      chipset, chipset_name(chipset));

	return fd;
}

/**
 * drm_open_driver:
 * @chipset: DRIVER_* mask, e.g. DRIVER_XE or DRIVER_ANY
 *
 * Opens the card node of a device driven by a driver in @chipset, loading
 * the driver first when needed, and honouring --device. Skips the test
 * when there is no such device.
 *
 * Returns: the fd; close it with drm_close_driver().
 */
int drm_open_driver(int chipset)
{
	return drm_open_driver_another(0, chipset);
}

/* Only fds on /dev/dri nodes may be closed by the helpers below. */
static bool is_drm_node_fd(int fd)
{
	char link[32], target[PATH_MAX];
	ssize_t len;

	if (fd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, target, sizeof(target) - 1);
	if (len <= 0)
		return false;
	target[len] = '\0';

	return !strncmp(target, "/dev/dri/card", 13) ||
	       !strncmp(target, "/dev/dri/renderD", 16);
}

/**
 * __drm_close_driver:
 * @fd: fd from one of the drm_open_driver() family
 *
 * Drops the xe query cache of @fd and closes it.
 *
 * Returns: 0 on success, -1 when @fd is not an open DRM node.
 */
int __drm_close_driver(int fd)
{
	if (!is_drm_node_fd(fd))
		return -1;
	if (is_xe_device(fd))
		xe_device_put(fd);

	return close(fd);
}

/**
 * drm_close_driver:
 * @fd: fd from one of the drm_open_driver() family
 *
 * Like __drm_close_driver(), warning when @fd is not a DRM node (so that
 * stdin or a stale fd is never closed by mistake).
 *
 * Returns: 0 on success, -1 otherwise.
 */
int drm_close_driver(int fd)
{
	if (!is_drm_node_fd(fd)) {
		igt_warn("Don't attempt to close standard/invalid file descriptor: %d\n",
			 fd);
		return -1;
	}

	return __drm_close_driver(fd);
}

/**
 * is_xe_device:
 * @fd: a DRM fd
 *
 * Returns: true when @fd belongs to the xe driver.
 */
bool is_xe_device(int fd)
{
	return driver_name_is(fd, "xe");
}

/**
 * is_i915_device:
 * @fd: a DRM fd
 *
 * Returns: true when @fd belongs to the i915 driver.
 */
bool is_i915_device(int fd)
{
	return driver_name_is(fd, "i915");
}

/**
 * is_intel_device:
 * @fd: a DRM fd
 *
 * Returns: true for i915 and xe devices.
 */
bool is_intel_device(int fd)
{
	return is_i915_device(fd) || is_xe_device(fd);
}

/**
 * is_msm_device:
 * @fd: a DRM fd
 *
 * Returns: true when @fd belongs to msm.
 */
bool is_msm_device(int fd)
{
	return driver_name_is(fd, "msm");
}
