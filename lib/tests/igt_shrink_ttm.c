// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * TTM and swap plumbing against fixture trees: tt_shrink read loops and
 * their bounds, swap path detection through module holders (bochs through
 * drm_vram_helper and drm_ttm_helper, qxl directly, xe, a non-TTM driver),
 * zero-copy symbol detection, /proc/swaps parsing.
 */

#include "igt_core.h"
#include "igt_swap.h"
#include "igt_sysroot.h"
#include "igt_ttm.h"
#include "igt_tests_common.h"
#include "shrink_fixture.h"

static char *root;

static void test_tt_shrink(void)
{
	igt_sysroot_set(root);
	check(!igt_ttm_has_debugfs(), NULL);
	fixture_write(root, IGT_TTM_DEBUGFS "/tt_shrink", "123\n");
	check(igt_ttm_has_debugfs(), NULL);
	check(igt_ttm_tt_shrink_once() == 123, NULL);
	/* budget: stops at the first read reaching it */
	check(igt_ttm_tt_shrink(500, 100, 10000) == 5 * 123, NULL);
	/* bound on reads */
	check(igt_ttm_tt_shrink(0, 3, 10000) == 3 * 123, NULL);
	/* nothing left to swap: 0, or an errno the kernel printed */
	fixture_write(root, IGT_TTM_DEBUGFS "/tt_shrink", "0\n");
	check(igt_ttm_tt_shrink(0, 100, 10000) == 0, NULL);
	fixture_write(root, IGT_TTM_DEBUGFS "/tt_shrink", "-16\n");
	check(igt_ttm_tt_shrink(0, 100, 10000) == 0, NULL);
	fixture_write(root, IGT_TTM_DEBUGFS "/tt_shrink", "nonsense\n");
	check(igt_ttm_tt_shrink(0, 100, 10000) == -EINVAL, NULL);
	igt_sysroot_set(NULL);
}

static void holder(const char *of, const char *by)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/holders/%s", of, by);
	fixture_mkdirs(root, path);
}

static void test_swap_path(void)
{
	char path[512];

	igt_sysroot_set(root);
	check(igt_ttm_swap_path_of_module("bochs") == IGT_TTM_NONE, NULL);
	holder("ttm", "qxl");
	holder("ttm", "drm_ttm_helper");
	holder("drm_ttm_helper", "drm_vram_helper");
	holder("drm_vram_helper", "bochs");
	fixture_mkdirs(root, "/sys/module/simpledrm/holders");
	check(igt_ttm_swap_path_of_module("qxl") == IGT_TTM_LEGACY, NULL);
	check(igt_ttm_swap_path_of_module("bochs") == IGT_TTM_LEGACY, NULL);
	check(igt_ttm_swap_path_of_module("xe") == IGT_TTM_SHRINKER, NULL);
	/* a virtual driver with a shrinker of its own, as its kallsyms show */
	holder("ttm", "vshrink");
	check(igt_ttm_swap_path_of_module("vshrink") == IGT_TTM_LEGACY, NULL);
	fixture_write(root, "/proc/kallsyms",
		      "ffffffffc0a01230 t qxl_bo_move\t[qxl]\n"
		      "ffffffffc0b01000 t vshrink_shrinker_scan\t[vshrink]\n"
		      "ffffffffc0b01100 t vshrink_shrinker_count\t[vshrink]\n");
	check(igt_ttm_swap_path_of_module("vshrink") == IGT_TTM_SHRINKER, NULL);
	check(igt_ttm_swap_path_of_module("qxl") == IGT_TTM_LEGACY, NULL);
	check(igt_ttm_swap_path_of_module("simpledrm") == IGT_TTM_NONE, NULL);
	/* 7.x bochs: shmem helpers, no ttm in its chain */
	snprintf(path, sizeof(path), "%s/sys/module/drm_vram_helper/holders/bochs", root);
	rmdir(path);
	check(igt_ttm_swap_path_of_module("bochs") == IGT_TTM_NONE, NULL);
	igt_sysroot_set(NULL);
}

static void test_zero_copy(void)
{
	char missing[128];

	igt_sysroot_set(root);
	fixture_write(root, "/proc/kallsyms",
		      "ffffffff81000000 T _text\n"
		      "ffffffffc0a01000 t ttm_backup_backup_folio\t[ttm]\n");
	check(!igt_ttm_has_zero_copy(missing, sizeof(missing)), NULL);
	check(!strcmp(missing, "shmem_insert_folio ttm_backup_insert_folio"), NULL);
	fixture_write(root, "/proc/kallsyms",
		      "ffffffff81234560 T shmem_insert_folio\n"
		      "ffffffffc0a01000 t ttm_backup_backup_folio\t[ttm]\n");
	check(!igt_ttm_has_zero_copy(missing, sizeof(missing)), NULL);
	check(!strcmp(missing, "ttm_backup_insert_folio"), NULL);
	fixture_write(root, "/proc/kallsyms",
		      "ffffffff81234560 T shmem_insert_folio\n"
		      "ffffffffc0a01000 t ttm_backup_insert_folio\t[ttm]\n");
	check(igt_ttm_has_zero_copy(missing, sizeof(missing)), NULL);
	check(missing[0] == '\0', NULL);
	igt_sysroot_set(NULL);
}

static void test_swaps(void)
{
	struct igt_swap_device devs[4];

	igt_sysroot_set(root);
	fixture_write(root, "/proc/swaps",
		      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	check(!igt_swap_active() && igt_swap_free_mb() == 0, NULL);
	check(igt_swap_rotational() == -1, NULL);
	fixture_write(root, "/proc/swaps",
		      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		      "/dev/vdb                                partition\t1048572\t\t24576\t\t-2\n"
		      "/swapfile                               file\t\t524288\t\t0\t\t-3\n");
	check(igt_swap_devices(devs, 4) == 2, NULL);
	check(!devs[0].is_file && devs[1].is_file, NULL);
	check(devs[0].size_kb == 1048572 && devs[0].used_kb == 24576, NULL);
	check(devs[1].priority == -3, NULL);
	check(igt_swap_active(), NULL);
	check(igt_swap_free_mb() == (1048572 - 24576 + 524288) / 1024, NULL);
	igt_sysroot_set(NULL);
}

int main(void)
{
	root = fixture_root();
	test_tt_shrink();
	test_swap_path();
	test_zero_copy();
	test_swaps();
	fixture_cleanup(root);
	return checks_done("igt_shrink_ttm");
}
