// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * drm_open_driver() and device filters. What the machine has is found here
 * independently (libdrm's drmGetVersion() on every /dev/dri/card node,
 * after the child had its chance to load drivers), and each case expects
 * the matching outcome: the device opened, or a skip (exit 77) naming the
 * chipset. Without any GPU (CI) the skip paths are what gets checked; with
 * vgem loadable, DRIVER_VGEM and DRIVER_ANY are checked for real.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "igt_tests_common.h"

static bool has_result(const char *out, const char *name, const char *result)
{
	char line[128];

	snprintf(line, sizeof(line), "Subtest %s: %s (", name, result);
	return out && strstr(out, line) != NULL;
}

/* The first card node driven by one of @names (NULL-terminated), or NULL. */
static const char *find_card(const char *const names[], bool negate)
{
	static char node[32];

	for (int i = 0; i < 16; i++) {
		drmVersionPtr v;
		bool listed = false;
		int fd;

		snprintf(node, sizeof(node), "/dev/dri/card%d", i);
		fd = open(node, O_RDWR);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		close(fd);
		if (!v)
			continue;
		for (int n = 0; names[n]; n++)
			listed |= !strcmp(v->name, names[n]);
		drmFreeVersion(v);
		if (listed != negate)
			return node;
	}

	return NULL;
}

static const char *const xe_names[] = { "xe", NULL };
static const char *const vgem_names[] = { "vgem", NULL };
static const char *const virtual_names[] = { "vgem", "vkms", "virtio_gpu", NULL };

static int chipset;

static int open_one(int argc, char **argv)
{
	char name[32] = "";
	int fd = -1;

	igt_subtest_init(argc, argv);
	igt_fixture()
		fd = drm_open_driver(chipset);
	igt_subtest("open") {
		igt_assert_eq(__get_drm_device_name(fd, name, sizeof(name) - 1), 0);
		igt_info("driver: %s\n", name);
		if (chipset == DRIVER_XE)
			igt_assert(is_xe_device(fd));
		if (chipset == DRIVER_VGEM)
			igt_assert(!strcmp(name, "vgem"));
		if (chipset == DRIVER_ANY)
			igt_assert(strcmp(name, "vgem") && strcmp(name, "vkms") &&
				   strcmp(name, "virtio_gpu"));
		igt_assert_eq(drm_close_driver(fd), 0);
	}
	igt_exit();
}

/* Runs open_one for @flags and checks open-or-skip against the machine. */
static void check_open(int flags, const char *skip_text,
		       const char *const names[], bool negate,
		       const char *const argv[])
{
	struct child_result r;

	chipset = flags;
	r = run_child(open_one, argv);
	if (find_card(names, negate)) {
		check(exit_code_of(&r) == 0, &r);
		check(has_result(r.out, "open", "SUCCESS"), &r);
	} else {
		check(exit_code_of(&r) == IGT_EXIT_SKIP, &r);
		check(has_result(r.out, "open", "SKIP"), &r);
		check(strstr(r.out, skip_text) != NULL, &r);
	}
	free_child_result(&r);
}

static int filters(int argc, char **argv)
{
	struct igt_device_card card;
	int null_fd = -1;

	igt_subtest_init(argc, argv);
	igt_fixture()
		null_fd = open("/dev/null", O_RDWR);

	igt_subtest("filter-list") {
		igt_device_filter_free_all();
		igt_assert_eq(igt_device_filter_add("drm:/dev/dri/card0;pci:vendor=intel,card=1"), 2);
		igt_assert_eq(igt_device_filter_count(), 2);
		igt_assert(!strcmp(igt_device_filter_get(1), "pci:vendor=intel,card=1"));
		igt_assert(!igt_device_filter_get(2));
		igt_assert(!igt_device_filter_get(-1));
		igt_assert_eq(igt_device_filter_add("bogus:x"), 0);
		igt_assert_eq(igt_device_filter_add("pci:vendor=8086,card=all"), 0);
		igt_assert_eq(igt_device_filter_count(), 2);
		igt_device_filter_free_all();
		igt_assert_eq(igt_device_filter_count(), 0);
	}
	igt_subtest("card-match") {
		const char *node = find_card(virtual_names, true) ?:
				   find_card(virtual_names, false);
		char filter[64];

		igt_assert(!igt_device_card_match("drm:/dev/dri/card99", &card));
		igt_assert(!igt_device_card_match("bogus:", &card));
		igt_assert(!igt_device_card_match("sys:/nonexistent", &card));
		if (node) {
			snprintf(filter, sizeof(filter), "drm:%s", node);
			igt_assert(igt_device_card_match(filter, &card));
			igt_assert(!strcmp(card.card, node));
		}
	}
	igt_subtest("close-non-drm") {
		igt_assert_eq(__drm_close_driver(null_fd), -1);
		igt_assert_eq(drm_close_driver(null_fd), -1);
		igt_assert_eq(drm_close_driver(-1), -1);
		igt_assert(fcntl(null_fd, F_GETFD) != -1);	/* still open */
	}
	igt_exit();
}

int main(void)
{
	struct child_result r;

	check_open(DRIVER_XE, "No known gpu found for chipset flags 0x80 (xe)",
		   xe_names, false, NO_ARGS);
	check_open(DRIVER_ANY, "No known gpu found for chipset flags 0xfffff9fb (any)",
		   virtual_names, true, NO_ARGS);
	check_open(DRIVER_VGEM, "No known gpu found for chipset flags 0x4 (vgem)",
		   vgem_names, false, NO_ARGS);

	/* A filter that matches nothing: skip, with a warning naming it. */
	chipset = DRIVER_ANY;
	r = run_child(open_one, ARGV("--device", "drm:/dev/dri/card99"));
	check(exit_code_of(&r) == IGT_EXIT_SKIP, &r);
	check(strstr(r.err, "No card matches the filter! [drm:/dev/dri/card99]") != NULL, &r);
	free_child_result(&r);

	/* IGT_DEVICE is a filter too. */
	setenv("IGT_DEVICE", "sys:/nonexistent", 1);
	r = run_child(open_one, NO_ARGS);
	unsetenv("IGT_DEVICE");
	check(exit_code_of(&r) == IGT_EXIT_SKIP, &r);
	check(strstr(r.err, "No card matches the filter! [sys:/nonexistent]") != NULL, &r);
	free_child_result(&r);

	/* An unsupported filter is bad use of the command line. */
	r = run_child(open_one, ARGV("--device", "bogus:1"));
	check(exit_code_of(&r) != 0 && exit_code_of(&r) != IGT_EXIT_SKIP, &r);
	check(strstr(r.err, "bogus:1") != NULL, &r);
	free_child_result(&r);

	r = run_child(filters, NO_ARGS);
	check(exit_code_of(&r) == 0, &r);
	check(has_result(r.out, "filter-list", "SUCCESS"), &r);
	check(has_result(r.out, "card-match", "SUCCESS"), &r);
	check(has_result(r.out, "close-non-drm", "SUCCESS"), &r);
	check(strstr(r.err, "Unsupported device filter: bogus:x") != NULL, &r);
	check(strstr(r.err, "Don't attempt to close standard/invalid file descriptor") != NULL, &r);
	free_child_result(&r);

	return checks_done("igt_drm_open");
}
