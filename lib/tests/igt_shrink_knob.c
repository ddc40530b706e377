// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Settings changed through igt_knob (THP shmem_enabled, ttm pages_limit) come
 * back after pass, fail, skip, SIGTERM sent from outside, and an explicit
 * restore; forked children never restore; SIGKILL (no handler can run) is
 * shown to leave the change behind, so the check can fail, and the next run
 * restores the true originals from the killed run's state file and says so.
 * Uses a fixture tree, and the real shmem_enabled too when this machine lets
 * root write it.
 */

#include <dirent.h>

#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>

#include "igt_core.h"
#include "igt_knob.h"
#include "igt_sysroot.h"
#include "igt_thp.h"
#include "igt_ttm.h"
#include "igt_tests_common.h"
#include "shrink_fixture.h"

#define SHMEM "/sys/kernel/mm/transparent_hugepage/shmem_enabled"
#define SHMEM_TEXT "always within_size advise [never] deny force\n"

static const char *root;

static void reset_fixture(void)
{
	fixture_write(root, SHMEM, SHMEM_TEXT);
	fixture_write(root, "/sys/kernel/mm/transparent_hugepage/enabled",
		      "always [madvise] never\n");
	fixture_write(root, "/sys/module/ttm/parameters/pages_limit", "1000000\n");
	fixture_write(root, "/run/.tmpfs", "");	/* the state files' tmpfs */
}

static int body(int argc, char **argv)
{
	const char *how = getenv("HOW");

	igt_simple_init(argc, argv);
	igt_sysroot_set(getenv("ROOT"));
	if (!strcmp(how, "missing"))	/* the asserting setter fails the test */
		igt_thp_set("no_such_knob", "always");
	igt_thp_set("shmem_enabled", "always");
	igt_assert_eq(__igt_ttm_set_pages_limit(1234), 0);
	printf("changed\n");
	fflush(stdout);
	if (!strcmp(how, "fail"))
		igt_assert(false);
	if (!strcmp(how, "skip"))
		igt_skip("skipping\n");
	if (!strcmp(how, "wait"))
		pause();
	if (!strcmp(how, "kill"))
		raise(SIGKILL);
	if (!strcmp(how, "fork")) {
		/* a child exiting must not restore the parent's settings */
		igt_fork(child, 1)
			;
		igt_waitchildren();
		igt_assert(!strcmp(fixture_read(getenv("ROOT"), SHMEM), "always"));
	}
	if (!strcmp(how, "explicit")) {
		igt_assert_eq(igt_knob_restore_all(), 0);
		igt_assert_eq(igt_knob_saved_count(), 0);
		igt_assert(!strcmp(fixture_read(getenv("ROOT"), SHMEM), "never"));
	}
	igt_exit();
}

static bool restored(void)
{
	return !strcmp(fixture_read(root, SHMEM), "never") &&
	       !strcmp(fixture_read(root, "/sys/module/ttm/parameters/pages_limit"),
		       "1000000");
}

static void run_how(const char *how, int want_exit, bool want_restored)
{
	struct child_result r;

	reset_fixture();
	setenv("HOW", how, 1);
	r = run_child(body, NO_ARGS);
	if (want_exit >= 0)
		check(exit_code_of(&r) == want_exit, &r);
	check(strstr(r.out, "changed") != NULL, &r);
	check(restored() == want_restored, &r);
	free_child_result(&r);
}

/* igt_thp_set() on a knob that is not there fails the test, naming it */
static void run_missing(void)
{
	struct child_result r;

	reset_fixture();
	setenv("HOW", "missing", 1);
	r = run_child(body, NO_ARGS);
	check(exit_code_of(&r) == 98, &r);
	check(strstr(r.err, "THP no_such_knob: cannot set") != NULL, &r);
	check(strstr(r.out, "changed") == NULL, &r);
	free_child_result(&r);
}

/* SIGTERM from outside while the test waits, as igt_runner's timeout does */
static void run_sigterm(void)
{
	pid_t pid;
	int status;

	reset_fixture();
	setenv("HOW", "wait", 1);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)"unit-test", NULL };

		exit(body(1, argv));
	}
	/* wait until both knobs are changed */
	for (int i = 0; i < 500; i++) {
		if (!strcmp(fixture_read(root, "/sys/module/ttm/parameters/pages_limit"),
			    "1234"))
			break;
		usleep(10000);
	}
	check(!strcmp(fixture_read(root, SHMEM), "always"), NULL);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	check(WIFSIGNALED(status) || WIFEXITED(status), NULL);
	if (!restored())
		fprintf(stderr, "after SIGTERM: shmem_enabled \"%s\", status 0x%x\n",
			fixture_read(root, SHMEM), status);
	check(restored(), NULL);
}

static int state_files(void)
{
	char dir[512];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/run/igt_knob", root);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * A run killed by SIGKILL leaves its state file (written before the first
 * change); the next run puts the originals back before it saves anything,
 * says so, and its own restore then ends at the true originals, not at the
 * values the killed run left.
 */
static void test_state_after_kill(void)
{
	struct child_result r;

	run_how("kill", -1, false);
	check(state_files() == 1, NULL);

	setenv("HOW", "pass", 1);
	r = run_child(body, NO_ARGS);	/* no reset: starts from what the kill left */
	check(exit_code_of(&r) == 0, &r);
	check(strstr(r.out, "which was killed before it could restore it") != NULL, &r);
	check(strstr(r.out, "restored \"never\"") != NULL, &r);
	check(restored(), &r);
	check(state_files() == 0, &r);
	free_child_result(&r);
}

/* Normal runs leave no state file behind */
static void test_state_removed(void)
{
	run_how("pass", 0, true);
	run_how("fail", 98, true);
	check(state_files() == 0, NULL);
}

/* The fixture's "choice" parsing and the saved value's round trip */
static void test_choice_file(void)
{
	char buf[32];

	reset_fixture();
	igt_sysroot_set(root);
	check(igt_thp_available(), NULL);
	check(!strcmp(igt_thp_get("shmem_enabled", buf, sizeof(buf)), "never"), NULL);
	check(!strcmp(igt_thp_get("enabled", buf, sizeof(buf)), "madvise"), NULL);
	check(igt_thp_get("no_such_knob", buf, sizeof(buf)) == NULL, NULL);
	igt_sysroot_set(NULL);
}

static int real_body(int argc, char **argv)
{
	igt_simple_init(argc, argv);
	igt_thp_set("shmem_enabled", getenv("MODE"));
	printf("changed\n");
	fflush(stdout);
	pause();
	igt_exit();
}

/* The real knob, when root may write it: SIGTERM'd child restores it */
static void test_real_shmem_enabled(void)
{
	char before[32], during[32], after[32];
	pid_t pid;
	int status, lock;

	if (!igt_thp_get("shmem_enabled", before, sizeof(before)) ||
	    access(SHMEM, W_OK)) {
		printf("real shmem_enabled not writable here: skipped that part\n");
		return;
	}
	/* the knob is machine-wide: one unit test run at a time touches it */
	lock = open("/tmp/igt-shrink-shmem-enabled.lock", O_CREAT | O_RDWR, 0600);
	if (lock < 0 || flock(lock, LOCK_EX)) {
		check(false, NULL);
		return;
	}
	igt_thp_get("shmem_enabled", before, sizeof(before));
	setenv("MODE", strcmp(before, "within_size") ? "within_size" : "always", 1);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)"unit-test", NULL };

		exit(real_body(1, argv));
	}
	for (int i = 0; i < 500; i++) {
		igt_thp_get("shmem_enabled", during, sizeof(during));
		if (strcmp(during, before))
			break;
		usleep(10000);
	}
	check(!strcmp(during, getenv("MODE")), NULL);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	igt_thp_get("shmem_enabled", after, sizeof(after));
	printf("real shmem_enabled: %s -> %s -> %s\n", before, during, after);
	check(!strcmp(after, before), NULL);
	close(lock);
}

int main(void)
{
	root = fixture_root();
	setenv("ROOT", root, 1);

	test_choice_file();
	run_how("pass", 0, true);
	run_how("fail", 98, true);
	run_how("skip", 77, true);
	run_how("fork", 0, true);
	run_how("explicit", 0, true);
	run_missing();
	run_sigterm();
	/* no handler runs on SIGKILL: the check sees the change left behind */
	run_how("kill", -1, false);
	test_state_after_kill();
	test_state_removed();
	test_real_shmem_enabled();

	fixture_cleanup(root);
	return checks_done("igt_shrink_knob");
}
