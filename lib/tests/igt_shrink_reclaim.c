// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Reclaim triggers: memory.reclaim answering EAGAIN (a full FIFO stands in
 * for it in a fixture, and the real root cgroup is used where there is one)
 * is success, other errors are not; drop_caches writes its value; the
 * pressure child is bounded by what is free, refuses when nothing is, uses no
 * huge pages, volunteers for the OOM killer, ends by itself after its timeout,
 * and is killed by igt_pressure_stop() and by the exit handler of a failing
 * test.
 */

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "igt_core.h"
#include "igt_reclaim.h"
#include "igt_sysroot.h"
#include "igt_tests_common.h"
#include "shrink_fixture.h"

#define CG "/sys/fs/cgroup"

static char *root;

static void meminfo(unsigned int avail_mb, unsigned int swap_free_mb)
{
	char text[256];

	snprintf(text, sizeof(text), "MemTotal: 1000000 kB\nMemAvailable: %u kB\n"
		 "SwapFree: %u kB\n", avail_mb * 1024, swap_free_mb * 1024);
	fixture_write(root, "/proc/meminfo", text);
}

static void test_eagain_fixture(void)
{
	char fifo[512], buf[64];
	int rd, wr, n;

	fixture_write(root, "/proc/self/mounts",
		      "proc /proc proc rw 0 0\ncgroup2 " CG " cgroup2 rw 0 0\n");
	fixture_mkdirs(root, CG);
	snprintf(fifo, sizeof(fifo), "%s" CG "/memory.reclaim", root);
	check(mkfifo(fifo, 0600) == 0, NULL);
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	wr = open(fifo, O_WRONLY | O_NONBLOCK);
	while (write(wr, buf, sizeof(buf)) > 0)
		;	/* fill the pipe: the next write answers EAGAIN */

	igt_sysroot_set(root);
	check(igt_reclaim_has_memory_reclaim(), NULL);
	check(igt_sysroot_write(CG "/memory.reclaim", "1") == -EAGAIN, NULL);
	check(__igt_reclaim_memory(512 * MiB) == 1, NULL);

	/* once drained, the value written is the byte count */
	while (read(rd, buf, sizeof(buf)) > 0)
		;
	check(__igt_reclaim_memory(512 * MiB) == 0, NULL);
	n = read(rd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(!strcmp(buf, "536870912"), NULL);
	close(rd);
	close(wr);

	/* other errors are errors */
	check(__igt_reclaim_cgroup("no-such-group", 1) == -ENOENT, NULL);
	fixture_mkdirs(root, CG "/grp/memory.reclaim");
	check(__igt_reclaim_cgroup("grp", 1) == -EISDIR, NULL);
	fixture_write(root, "/proc/self/mounts", "proc /proc proc rw 0 0\n"
		      "cgroup2 /elsewhere cgroup2 rw 0 0\n");
	check(!igt_reclaim_has_memory_reclaim(), NULL);
	igt_sysroot_set(NULL);
}

/* The real root cgroup, where this machine has cgroup2 with memory.reclaim */
static void test_eagain_real(void)
{
	if (!igt_reclaim_has_memory_reclaim()) {
		printf("no cgroup2 memory.reclaim here: real EAGAIN part skipped\n");
		return;
	}
	/* far more than there is: the kernel gives up with EAGAIN */
	check(__igt_reclaim_memory(1ull << 50) == 1, NULL);
	printf("real memory.reclaim: EAGAIN taken as success\n");
}

static void test_drop_caches(void)
{
	igt_sysroot_set(root);
	fixture_write(root, "/proc/sys/vm/drop_caches", "0\n");
	check(__igt_reclaim_drop_caches(3) == 0, NULL);
	check(!strcmp(fixture_read(root, "/proc/sys/vm/drop_caches"), "3"), NULL);
	igt_sysroot_set(NULL);
}

static void test_limit(void)
{
	check(igt_pressure_limit(256 * MiB, 0) == 192 * MiB, NULL);
	check(igt_pressure_limit(4096 * MiB, 2048 * MiB) == 5120 * MiB - 320 * MiB, NULL);
	check(igt_pressure_limit(32 * MiB, 0) == 0, NULL);
}

/* A hog displaces the BOs only when free swap lets it outgrow RAM by them */
static void test_displaces(void)
{
	uint64_t avail = 0;
	char why[256] = "";

	igt_sysroot_set(root);
	meminfo(800, 2048);
	check(igt_pressure_displaces(64 * MiB, &avail, why, sizeof(why)), NULL);
	check(avail == 800 * MiB, NULL);
	/* 800 + 94 / 2 less the margin is below 800 + 21 */
	meminfo(781, 94);
	check(!igt_pressure_displaces(21 * MiB, NULL, why, sizeof(why)), NULL);
	printf("small swap: %s\n", why);
	check(strstr(why, "free swap too small to apply pressure") &&
	      strstr(why, "94 MiB swap free") && strstr(why, "displace 21 MiB"), NULL);
	igt_sysroot_set(NULL);
}

static int proc_int(pid_t pid, const char *file)
{
	char path[64], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return atoi(buf);
}

/* VmFlags of the hog's mapping of @bytes: must carry "nh" (no huge pages) */
static bool mapping_is_nohugepage(pid_t pid, uint64_t bytes)
{
	char path[64], line[256];
	bool in_map = false, nh = false;
	char want[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	snprintf(want, sizeof(want), "Size: %llu kB", (unsigned long long)(bytes / 1024));
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = line;

		if (!strncmp(line, "Size:", 5)) {
			while (strstr(p, "  "))
				memmove(strstr(p, "  "), strstr(p, "  ") + 1,
					strlen(strstr(p, "  ")));
			in_map = !strncmp(line, want, strlen(want));
		}
		if (in_map && !strncmp(line, "VmFlags:", 8))
			nh = strstr(line, " nh") != NULL;
	}
	if (f)
		fclose(f);
	return nh;
}

static bool is_gone(pid_t pid)
{
	char path[64], buf[256] = "";
	FILE *f;

	for (int i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			return true;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		if (strstr(buf, ") Z ") || strstr(buf, ") X "))
			return true;
		usleep(10000);
	}
	return false;
}

static void test_pressure_bounded(void)
{
	struct igt_pressure p;
	pid_t pid;

	igt_sysroot_set(root);
	meminfo(256, 0);
	check(igt_pressure_start(&p, 1ull << 40, 30) == 0, NULL);
	check(p.bytes == 192 * MiB, NULL);
	check(igt_pressure_wait_ready(&p, 20000), NULL);
	check(proc_int(p.pid, "oom_score_adj") == 1000, NULL);
	check(mapping_is_nohugepage(p.pid, p.bytes), NULL);
	pid = p.pid;
	/* still running: stop kills it */
	check(igt_pressure_stop(&p), NULL);
	check(WIFSIGNALED(p.status) && WTERMSIG(p.status) == SIGKILL, NULL);
	check(is_gone(pid), NULL);

	/* nothing safe to use: refused */
	meminfo(32, 0);
	check(igt_pressure_start(&p, 16 * MiB, 30) == -ENOMEM, NULL);
	check(p.pid == 0, NULL);
	igt_sysroot_set(NULL);
}

static void test_pressure_timeout(void)
{
	struct igt_pressure p;
	time_t start = time(NULL);

	igt_sysroot_set(root);
	meminfo(256, 0);
	check(igt_pressure_start(&p, 16 * MiB, 1) == 0, NULL);
	while (waitpid(p.pid, &p.status, WNOHANG) == 0 && time(NULL) - start < 10)
		usleep(50000);
	check(time(NULL) - start <= 3, NULL);
	check(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0, NULL);
	p.pid = 0;
	igt_pressure_stop(&p);
	igt_sysroot_set(NULL);
}

static int failing_body(int argc, char **argv)
{
	struct igt_pressure p;

	igt_simple_init(argc, argv);
	igt_sysroot_set(getenv("ROOT"));
	igt_assert_eq(igt_pressure_start(&p, 16 * MiB, 60), 0);
	igt_assert(igt_pressure_wait_ready(&p, 20000));
	printf("hog %d\n", p.pid);
	fflush(stdout);
	igt_assert(false);
	igt_exit();
}

static void test_pressure_killed_at_exit(void)
{
	struct child_result r;
	char *s;
	pid_t pid = 0;

	meminfo(256, 0);
	setenv("ROOT", root, 1);
	r = run_child(failing_body, NO_ARGS);
	check(exit_code_of(&r) == 98, &r);
	s = strstr(r.out, "hog ");
	if (s)
		pid = atoi(s + 4);
	check(pid > 0, &r);
	check(pid > 0 && is_gone(pid), &r);
	free_child_result(&r);
}

int main(void)
{
	root = fixture_root();
	test_eagain_fixture();
	test_eagain_real();
	test_drop_caches();
	test_limit();
	test_displaces();
	test_pressure_bounded();
	test_pressure_timeout();
	test_pressure_killed_at_exit();
	fixture_cleanup(root);
	return checks_done("igt_shrink_reclaim");
}
