// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * The sysfs attribute helpers against a temporary directory (they take any
 * directory fd), the sysfs folder of a real character device (/dev/null),
 * and the debugfs lookup refusing a non-DRM fd.
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igt.h"
#include "igt_tests_common.h"

/* True when @out reports subtest @name with @result, whatever the time. */
static bool has_result(const char *out, const char *name, const char *result)
{
	char line[128];

	snprintf(line, sizeof(line), "Subtest %s: %s (", name, result);
	return out && strstr(out, line) != NULL;
}

static char tmpdir[] = "/tmp/igt_drm_sysfs.XXXXXX";

/* Writes @text to @name in the temp dir without the helpers under test. */
static void put_file(const char *name, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	igt_assert(f);
	igt_assert_eq(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* Sysfs files always exist and have no length: start each from empty. */
static void empty_file(const char *name)
{
	put_file(name, "", 0);
}

static off_t file_size(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	igt_assert_eq(stat(path, &st), 0);
	return st.st_size;
}

static int attrs(int argc, char **argv)
{
	char buf[64], *s, big[10000];
	int dir = -1;

	igt_subtest_init(argc, argv);
	igt_fixture() {
		dir = open(tmpdir, O_RDONLY | O_DIRECTORY);
		igt_assert_fd(dir);
	}

	igt_subtest("get") {
		put_file("a", "hello\n\n", 7);
		s = igt_sysfs_get(dir, "a");
		igt_assert(s && !strcmp(s, "hello"));	/* newlines dropped */
		free(s);
		igt_assert(!igt_sysfs_get(dir, "missing"));
	}
	igt_subtest("get-large") {
		memset(big, 'x', sizeof(big));
		put_file("big", big, sizeof(big));
		s = igt_sysfs_get(dir, "big");
		igt_assert(s);
		igt_assert_eq(strlen(s), sizeof(big));
		free(s);
	}
	igt_subtest("read-write") {
		empty_file("rw");
		igt_assert_eq(igt_sysfs_write(dir, "rw", "abcdef", 6), 6);
		igt_assert_eq(igt_sysfs_read(dir, "rw", buf, 4), 4);
		igt_assert(!memcmp(buf, "abcd", 4));
		igt_assert_eq(igt_sysfs_read(dir, "missing", buf, 4), -ENOENT);
	}
	igt_subtest("printf") {
		empty_file("p");
		igt_assert_eq(igt_sysfs_printf(dir, "p", "%d-%s", 12, "ab"), 5);
		igt_assert_eq(igt_sysfs_read(dir, "p", buf, 5), 5);
		igt_assert(!memcmp(buf, "12-ab", 5));
		memset(big, 'y', 300);
		big[300] = '\0';
		empty_file("p");
		igt_assert_eq(igt_sysfs_printf(dir, "p", "%s", big), 300);
		igt_assert_eq(file_size("p"), 300);
		/* an empty value still reaches the file, as one NUL byte */
		empty_file("p");
		igt_assert_eq(igt_sysfs_printf(dir, "p", "%s", ""), 0);
		igt_assert_eq(file_size("p"), 1);
	}
	igt_exit();
}

static int device_dirs(int argc, char **argv)
{
	char path[128];
	int null_fd = -1, dir;

	igt_subtest_init(argc, argv);
	igt_fixture() {
		null_fd = open("/dev/null", O_RDWR);
		igt_assert_fd(null_fd);
	}

	igt_subtest("sysfs-of-chardev") {
		igt_require_f(access("/sys/dev/char/1:3", F_OK) == 0,
			      "no /sys/dev/char here\n");
		igt_assert(igt_sysfs_path(null_fd, path, sizeof(path)));
		igt_assert(!strcmp(path, "/sys/dev/char/1:3"));
	}
	igt_subtest("sysfs-of-non-device") {
		dir = open("/tmp", O_RDONLY);
		igt_assert(!igt_sysfs_path(dir, path, sizeof(path)));
		igt_assert(!igt_sysfs_path(-1, path, sizeof(path)));
		close(dir);
	}
	igt_subtest("debugfs-of-non-drm")
		igt_assert_eq(igt_debugfs_dir(null_fd), -1);
	igt_subtest("mountpoints") {
		igt_assert(igt_is_mountpoint("/proc"));
		igt_assert(!igt_is_mountpoint("/proc/self/fd/.."));
		igt_assert(!igt_is_mountpoint("/nonexistent"));
	}
	igt_exit();
}

int main(void)
{
	struct child_result r;

	char cmd[128];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}

	r = run_child(attrs, NO_ARGS);
	check(exit_code_of(&r) == 0, &r);
	check(has_result(r.out, "get", "SUCCESS"), &r);
	check(has_result(r.out, "get-large", "SUCCESS"), &r);
	check(has_result(r.out, "read-write", "SUCCESS"), &r);
	check(has_result(r.out, "printf", "SUCCESS"), &r);
	free_child_result(&r);

	r = run_child(device_dirs, NO_ARGS);
	check(exit_code_of(&r) == 0 || exit_code_of(&r) == IGT_EXIT_SKIP, &r);
	check(strstr(r.out, ": FAIL") == NULL, &r);
	check(has_result(r.out, "sysfs-of-non-device", "SUCCESS"), &r);
	check(has_result(r.out, "debugfs-of-non-drm", "SUCCESS"), &r);
	check(has_result(r.out, "mountpoints", "SUCCESS"), &r);
	free_child_result(&r);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);

	return checks_done("igt_drm_sysfs");
}
