// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The runtime PM hold (__igt_pm_hold_awake(), xe_evict_shrink's hold_awake())
 * on a fixture device whose power/control reads "auto": the hold writes
 * "on"; "auto" comes back after a pass, a failure and an explicit restore;
 * after a SIGKILL the "on" is shown left behind (so the check can fail) and
 * the next run's hold puts "auto" back first, says so, and ends at "auto";
 * a device without power/control is left alone.
 */

#include <dirent.h>
#include <signal.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_pm_hold.h"
#include "igt_sysroot.h"
#include "igt_tests_common.h"
#include "shrink_fixture.h"

#define DEV "/sys/class/drm/card0"
#define CONTROL DEV "/device/power/control"

static const char *root;

static void reset_fixture(void)
{
	fixture_write(root, CONTROL, "auto\n");
	fixture_write(root, "/run/.tmpfs", "");	/* the knob state files' tmpfs */
}

static int body(int argc, char **argv)
{
	const char *how = getenv("HOW");
	const char *dev = getenv("DEV_DIR");

	igt_simple_init(argc, argv);
	igt_sysroot_set(getenv("ROOT"));
	printf("hold: %d\n", __igt_pm_hold_awake(dev));
	printf("during: %s\n", fixture_read(getenv("ROOT"), CONTROL));
	fflush(stdout);
	if (!strcmp(how, "fail"))
		igt_assert(false);
	if (!strcmp(how, "kill"))
		raise(SIGKILL);
	if (!strcmp(how, "explicit")) {
		igt_assert_eq(igt_knob_restore_all(), 0);
		igt_assert(!strcmp(fixture_read(getenv("ROOT"), CONTROL), "auto"));
	}
	igt_exit();
}

static struct child_result run_how(const char *how, bool reset)
{
	if (reset)
		reset_fixture();
	setenv("HOW", how, 1);
	setenv("DEV_DIR", DEV, 1);
	return run_child(body, NO_ARGS);
}

/* "auto", with or without the newline the kernel prints */
static bool is_auto(void)
{
	const char *v = fixture_read(root, CONTROL);

	return v && (!strcmp(v, "auto") || !strcmp(v, "auto\n"));
}

/* Held "on" while the subtest runs, "auto" again after it ends @how */
static void test_restored(const char *how, int want_exit)
{
	struct child_result r = run_how(how, true);

	check(exit_code_of(&r) == want_exit, &r);
	check(strstr(r.out, "hold: 1") != NULL, &r);
	check(strstr(r.out, "during: on") != NULL, &r);
	check(strstr(r.out, "held on for the subtest") != NULL, &r);
	if (!is_auto())
		fprintf(stderr, "after %s: power/control \"%s\", want \"auto\"\n", how,
			fixture_read(root, CONTROL));
	check(is_auto(), &r);
	free_child_result(&r);
}

/* SIGKILL: no handler runs; the next hold restores "auto" from /run first */
static void test_after_kill(void)
{
	struct child_result r = run_how("kill", true);

	check(signal_of(&r) == SIGKILL, &r);
	check(!strcmp(fixture_read(root, CONTROL), "on"), &r);
	free_child_result(&r);

	r = run_how("pass", false);	/* starts from what the kill left */
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "which was killed before it could restore it") != NULL, &r);
	check(strstr(r.out, "restored \"auto\"") != NULL, &r);
	check(strstr(r.out, "during: on") != NULL, &r);
	check(is_auto(), &r);
	free_child_result(&r);
}

/* No runtime PM (no power/control): nothing written, nothing to restore */
static void test_no_control(void)
{
	struct child_result r;

	reset_fixture();
	setenv("HOW", "pass", 1);
	setenv("DEV_DIR", "/sys/class/drm/card1", 1);
	r = run_child(body, NO_ARGS);
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "hold: 0") != NULL, &r);
	check(is_auto(), &r);
	free_child_result(&r);
}

int main(void)
{
	root = fixture_root();
	setenv("ROOT", root, 1);

	test_restored("pass", 0);
	test_restored("fail", 98);
	test_restored("explicit", 0);
	test_after_kill();
	test_no_control();

	fixture_cleanup(root);
	return checks_done("igt_pm_hold");
}
