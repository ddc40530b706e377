// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_pm_hold
 * @short_description: Keep a GPU out of runtime suspend for a subtest
 * @title: runtime PM hold
 * @include: igt_pm_hold.h
 *
 * Integrated xe parts with flat CCS (LNL, PTL) do not shrink BOs while the
 * device is runtime-suspended, outside kswapd: a shrinker test run there
 * would see nothing move. Upstream's tests hold such a device awake by
 * writing "on" to its power/control; this does the same through igt_knob,
 * so the original value ("auto" as a rule) comes back after the subtest, on
 * failure, on the signals IGT's exit handlers cover, and, after a SIGKILL,
 * at the next run's first setting change (igt_knob's state file in /run).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_pm_hold.h"
#include "igt_sysroot.h"

/**
 * __igt_pm_hold_awake:
 * @sysfs_dev: the DRM device's sysfs directory (igt_sysfs_path()), e.g.
 *	       /sys/class/drm/card0; resolved through igt_sysroot
 *
 * Writes "on" to @sysfs_dev/device/power/control, saving the value found
 * with igt_knob_set() (igt_knob_restore_all() puts it back). A device
 * without a writable power/control (no runtime PM) is left alone.
 *
 * Returns: 1 when held, 0 when there is nothing to hold, a negative errno
 * when the write failed.
 */
int __igt_pm_hold_awake(const char *sysfs_dev)
{
	char path[256], real[512];
	int err;

	if (snprintf(path, sizeof(path), "%s/device/power/control", sysfs_dev) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	if (!igt_sysroot_path(path, real, sizeof(real)) || access(real, W_OK)) {
		igt_debug("%s: not writable, runtime PM left alone\n", path);
		return 0;
	}
	err = __igt_knob_set(path, "on");
	if (err)
		return err;
	igt_info("runtime PM: %s held on for the subtest\n", path);
	return 1;
}

/**
 * igt_pm_hold_awake:
 * @sysfs_dev: as for __igt_pm_hold_awake()
 *
 * __igt_pm_hold_awake() that fails the test, naming the file and the error,
 * when the device has a power/control that cannot be set.
 */
void igt_pm_hold_awake(const char *sysfs_dev)
{
	int err = __igt_pm_hold_awake(sysfs_dev);

	igt_assert_f(err >= 0, "%s/device/power/control: cannot hold the device awake: %s\n",
		     sysfs_dev, strerror(-err));
}
