// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_thp
 * @short_description: Transparent huge page settings and swap statistics
 * @title: THP
 * @include: igt_thp.h
 *
 * Reads and changes the knobs under /sys/kernel/mm/transparent_hugepage
 * ("enabled", "shmem_enabled", "hugepages-2048kB/shmem_enabled", ...) through
 * igt_knob, so every change is undone at exit, and tells whether the kernel
 * counts THP swapouts at all (igt_thp_has_swap_stats()); whether 2 MiB folios
 * went out whole is judged by igt_shrink_thp_verdict().
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_sysroot.h"
#include "igt_thp.h"

static char *thp_path(const char *knob, char *buf, size_t len)
{
	snprintf(buf, len, IGT_THP_SYSFS "/%s", knob);
	return buf;
}

/**
 * igt_thp_available:
 *
 * Returns: whether the kernel has transparent huge pages at all.
 */
bool igt_thp_available(void)
{
	char buf[64];

	return igt_sysroot_read_selected(IGT_THP_SYSFS "/enabled", buf, sizeof(buf));
}

/**
 * igt_thp_get:
 * @knob: file under /sys/kernel/mm/transparent_hugepage, e.g. "shmem_enabled"
 * @buf: destination
 * @len: size of @buf
 *
 * Returns: @buf holding the selected value (the bracketed word), or NULL when
 * the knob does not exist.
 */
char *igt_thp_get(const char *knob, char *buf, size_t len)
{
	char path[256];

	return igt_sysroot_read_selected(thp_path(knob, path, sizeof(path)), buf, len);
}

/**
 * __igt_thp_set:
 * @knob: file under /sys/kernel/mm/transparent_hugepage, e.g. "shmem_enabled"
 * @value: e.g. "always", "within_size", "never"
 *
 * Changes a THP setting; the old value is restored by igt_thp_restore(),
 * igt_knob_restore_all() or, failing those, at exit.
 *
 * Returns: 0 or -errno (-EINVAL when the kernel does not know @value).
 */
int __igt_thp_set(const char *knob, const char *value)
{
	char path[256];

	return __igt_knob_set(thp_path(knob, path, sizeof(path)), value);
}

/**
 * igt_thp_set:
 * @knob: file under /sys/kernel/mm/transparent_hugepage
 * @value: the new setting
 *
 * __igt_thp_set(), failing the test when the setting cannot be changed.
 */
void igt_thp_set(const char *knob, const char *value)
{
	int err = __igt_thp_set(knob, value);

	igt_assert_f(!err, "THP %s: cannot set \"%s\": %s\n", knob, value, strerror(-err));
}

/**
 * igt_thp_restore:
 * @knob: a knob earlier changed with igt_thp_set()
 *
 * Returns: 0 or -errno.
 */
int igt_thp_restore(const char *knob)
{
	char path[256];

	return igt_knob_restore(thp_path(knob, path, sizeof(path)));
}

/**
 * igt_thp_has_swap_stats:
 * @s: a vmstat snapshot
 *
 * Returns: whether the kernel counts THPs swapped out whole, globally
 * (thp_swpout) or per size (hugepages-2048kB.swpout).
 */
bool igt_thp_has_swap_stats(const struct igt_vmstat *s)
{
	return igt_vmstat_has(s, "thp_swpout") ||
	       igt_vmstat_has(s, "hugepages-2048kB.swpout");
}
