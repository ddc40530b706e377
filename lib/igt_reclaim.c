// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * SECTION:igt_reclaim
 * @short_description: Make the kernel reclaim memory, in its different ways
 * @title: reclaim
 * @include: igt_reclaim.h
 *
 * Three triggers with different kernel contexts:
 * - igt_reclaim_drop_caches(): /proc/sys/vm/drop_caches runs every shrinker
 *   once, from process context (not as kswapd);
 * - igt_reclaim_memory(): proactive reclaim through the root cgroup's
 *   memory.reclaim, shrinkers included, pushes shmem pages to swap;
 * - igt_pressure_start(): a child that allocates anonymous memory until kswapd
 *   and direct reclaim run, the way real applications cause reclaim. The child
 *   uses no huge pages, is the first OOM victim, stays within what is free and
 *   kills itself after a timeout.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_reclaim.h"
#include "igt_sizes.h"
#include "igt_sysroot.h"
#include "igt_vmstat.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define PAGE 4096ull

/* Where cgroup2 is mounted: /sys/fs/cgroup, or e.g. /sys/fs/cgroup/unified */
static const char *cgroup2_mount(char *buf, size_t len)
{
	char dev[64], dir[128], type[32];
	FILE *f = igt_sysroot_fopen("/proc/self/mounts", "r");

	snprintf(buf, len, CGROUP_ROOT);
	while (f && fscanf(f, "%63s %127s %31s %*[^\n]", dev, dir, type) == 3) {
		if (!strcmp(type, "cgroup2")) {
			snprintf(buf, len, "%s", dir);
			break;
		}
	}
	if (f)
		fclose(f);
	return buf;
}

/**
 * __igt_reclaim_cgroup:
 * @cgroup: cgroup directory relative to the cgroup2 mount, "" for the root
 * @bytes: how much to reclaim
 *
 * Writes @bytes to the cgroup's memory.reclaim. The kernel answers EAGAIN when
 * it reclaimed less than asked; that is a normal outcome here, not an error.
 *
 * Returns: 0 when all was reclaimed, 1 when less was (EAGAIN), or -errno,
 * e.g. -ENOENT when cgroup2 or memory.reclaim is missing.
 */
int __igt_reclaim_cgroup(const char *cgroup, uint64_t bytes)
{
	char mnt[128], path[256], value[32];
	int err;

	snprintf(path, sizeof(path), "%s%s%s/memory.reclaim",
		 cgroup2_mount(mnt, sizeof(mnt)), *cgroup ? "/" : "", cgroup);
	snprintf(value, sizeof(value), "%llu", (unsigned long long)bytes);
	err = igt_sysroot_write(path, value);
	if (err == -EAGAIN) {
		igt_debug("memory.reclaim %s: partial (EAGAIN)\n", value);
		return 1;
	}
	return err;
}

/**
 * __igt_reclaim_memory:
 * @bytes: how much to reclaim system-wide
 *
 * __igt_reclaim_cgroup() on the root cgroup, which covers GPU buffer
 * objects: their pages are not charged to any child cgroup.
 *
 * Returns: 0 when all was reclaimed, 1 when less was (EAGAIN), or -errno.
 */
int __igt_reclaim_memory(uint64_t bytes)
{
	return __igt_reclaim_cgroup("", bytes);
}

/**
 * igt_reclaim_memory:
 * @bytes: how much to reclaim system-wide
 *
 * __igt_reclaim_memory(), failing the test on an error (a partial reclaim is
 * none).
 *
 * Returns: 0 when all was reclaimed, 1 when less was (EAGAIN).
 */
int igt_reclaim_memory(uint64_t bytes)
{
	int ret = __igt_reclaim_memory(bytes);

	igt_assert_f(ret >= 0, "memory.reclaim: %s\n", strerror(-ret));
	return ret;
}

/**
 * igt_reclaim_has_memory_reclaim:
 *
 * Returns: whether the root cgroup offers memory.reclaim (cgroup2 mounted).
 */
bool igt_reclaim_has_memory_reclaim(void)
{
	char mnt[128], file[256], path[512];

	snprintf(file, sizeof(file), "%s/memory.reclaim",
		 cgroup2_mount(mnt, sizeof(mnt)));
	if (!igt_sysroot_path(file, path, sizeof(path)))
		return false;
	return access(path, W_OK) == 0;
}

/**
 * __igt_reclaim_drop_caches:
 * @what: 1 page cache, 2 slab and shrinkers, 3 both
 *
 * Returns: 0 or -errno.
 */
int __igt_reclaim_drop_caches(int what)
{
	char value[4];

	snprintf(value, sizeof(value), "%d", what);
	return igt_sysroot_write("/proc/sys/vm/drop_caches", value);
}

/**
 * igt_reclaim_drop_caches:
 * @what: 1 page cache, 2 slab and shrinkers, 3 both
 *
 * __igt_reclaim_drop_caches(), failing the test on an error.
 */
void igt_reclaim_drop_caches(int what)
{
	int err = __igt_reclaim_drop_caches(what);

	igt_assert_f(!err, "drop_caches %d: %s\n", what, strerror(-err));
}

/**
 * igt_pressure_limit:
 * @avail_bytes: available RAM (MemAvailable)
 * @swap_free_bytes: free swap
 *
 * The largest hog that can be run without risking anyone else: all of the
 * available RAM plus half of the free swap, minus a margin of 1/16 of that
 * total and at least 64 MiB.
 *
 * Returns: the bound in bytes, 0 when nothing is safe.
 */
uint64_t igt_pressure_limit(uint64_t avail_bytes, uint64_t swap_free_bytes)
{
	uint64_t total = avail_bytes + swap_free_bytes / 2;
	uint64_t margin = total / 16;

	if (margin < SZ_64M)
		margin = SZ_64M;
	return total > margin ? total - margin : 0;
}

/**
 * igt_pressure_displaces:
 * @bytes: memory a hog must push out of RAM (the BOs that are to move)
 * @avail: receives the available RAM judged by, in bytes (may be NULL), so
 *	   that the caller sizes its hog from the same reading
 * @why: receives the figures when it cannot, for a skip message
 * @len: size of @why
 *
 * Whether a hog within igt_pressure_limit() of the available RAM and free
 * swap now can outgrow the available RAM by @bytes. With little free swap it
 * cannot: the kernel then never needs to move the BOs, and a pressure test
 * would prove nothing.
 *
 * Returns: true when it can; false with the reason in @why.
 */
bool igt_pressure_displaces(uint64_t bytes, uint64_t *avail_out, char *why, size_t len)
{
	uint64_t avail = igt_meminfo_kb("MemAvailable") * SZ_1K;
	uint64_t swap = igt_meminfo_kb("SwapFree") * SZ_1K;
	uint64_t limit = igt_pressure_limit(avail, swap);

	if (avail_out)
		*avail_out = avail;
	if (limit >= avail + bytes)
		return true;
	snprintf(why, len, "free swap too small to apply pressure: the hog may use %llu MiB "
		 "(%llu MiB available, %llu MiB swap free), it needs %llu MiB to displace "
		 "%llu MiB of BOs", (unsigned long long)(limit / SZ_1M),
		 (unsigned long long)(avail / SZ_1M), (unsigned long long)(swap / SZ_1M),
		 (unsigned long long)((avail + bytes) / SZ_1M),
		 (unsigned long long)(bytes / SZ_1M));
	return false;
}

/* Live hogs, killed at exit even when a failed subtest skipped the stop */
#define PRESSURE_MAX 8
static pid_t pressure_pids[PRESSURE_MAX];
static bool pressure_handler_installed;

static void pressure_track(pid_t pid, pid_t replace)
{
	for (int i = 0; i < PRESSURE_MAX; i++)
		if (pressure_pids[i] == replace) {
			pressure_pids[i] = pid;
			return;
		}
}

/**
 * igt_pressure_kill_all:
 *
 * Kills every pressure child still running (without reaping). Async-signal
 * safe; also installed as an exit handler by igt_pressure_start().
 */
void igt_pressure_kill_all(void)
{
	for (int i = 0; i < PRESSURE_MAX; i++)
		if (pressure_pids[i] > 0)
			kill(pressure_pids[i], SIGKILL);
}

static void pressure_exit_handler(int sig)
{
	igt_pressure_kill_all();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The calling process's own file, never a fixture: not a system setting */
static void oom_first(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "1000", 4) != 4)
			_exit(4);
		close(fd);
	}
}

/* Touch every page, over and over, until the alarm fires */
static __noreturn void
pressure_child(uint64_t bytes, unsigned int timeout_s, int ready_fd)
{
	uint64_t *mem;
	uint64_t pass = 1;
	double end = now_s() + timeout_s;
	bool reported = false;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGALRM, SIG_DFL);
	alarm(timeout_s + 1);
	oom_first();

	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		_exit(2);
	madvise(mem, bytes, MADV_NOHUGEPAGE);

	while (now_s() < end) {
		/* non-zero data: zero pages would not be written to swap */
		for (uint64_t off = 0; off < bytes; off += PAGE)
			WRITE_ONCE(mem[off / 8], pass ^ off ^ 0x5a5a5a5a5a5a5a5aull);
		if (!reported) {
			if (write(ready_fd, "r", 1) != 1)
				_exit(3);
			reported = true;
		}
		pass++;
	}
	_exit(0);
}

/**
 * igt_pressure_start:
 * @p: the pressure child to start
 * @bytes: anonymous memory to touch; capped by igt_pressure_limit() of what is
 *	   currently free
 * @timeout_s: the child exits by itself (or is killed by SIGALRM) after this
 *
 * Forks a child that maps @bytes of anonymous memory without huge pages, sets
 * its oom_score_adj to 1000 so the OOM killer takes it first, and writes every
 * page again and again. It dies with the parent (PR_SET_PDEATHSIG).
 *
 * Returns: 0 or -errno; -ENOMEM when nothing can safely be used.
 */
int igt_pressure_start(struct igt_pressure *p, uint64_t bytes,
		       unsigned int timeout_s)
{
	uint64_t limit = igt_pressure_limit(igt_meminfo_kb("MemAvailable") * 1024,
					    igt_meminfo_kb("SwapFree") * 1024);
	int fds[2];

	memset(p, 0, sizeof(*p));
	p->ready_fd = -1;
	if (bytes > limit)
		bytes = limit;
	bytes &= ~(PAGE - 1);
	if (!bytes)
		return -ENOMEM;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;

	p->bytes = bytes;
	p->pid = fork();
	if (p->pid < 0) {
		int err = -errno;

		close(fds[0]);
		close(fds[1]);
		p->pid = 0;
		return err;
	}
	if (p->pid == 0) {
		close(fds[0]);
		pressure_child(bytes, timeout_s, fds[1]);
	}
	close(fds[1]);
	p->ready_fd = fds[0];
	pressure_track(p->pid, 0);
	if (!pressure_handler_installed) {
		igt_install_exit_handler(pressure_exit_handler);
		pressure_handler_installed = true;
	}
	igt_debug("pressure child %d: %llu MiB for at most %u s\n", p->pid,
		  (unsigned long long)(bytes / SZ_1M), timeout_s);
	return 0;
}

/**
 * igt_pressure_wait_ready:
 * @p: a started pressure child
 * @timeout_ms: how long to wait
 *
 * Returns: true once the child has touched all of its memory once, false on
 * timeout or when the child died first.
 */
bool igt_pressure_wait_ready(struct igt_pressure *p, unsigned int timeout_ms)
{
	struct pollfd pfd = { .fd = p->ready_fd, .events = POLLIN };
	char c;

	if (p->ready_fd < 0 || poll(&pfd, 1, timeout_ms) <= 0)
		return false;
	return read(p->ready_fd, &c, 1) == 1;
}

/**
 * igt_pressure_stop:
 * @p: a pressure child, started or not
 *
 * Kills and reaps the child.
 *
 * Returns: true when the child was still running or had ended normally; false
 * when something else (the OOM killer, its own alarm) had killed it before.
 */
bool igt_pressure_stop(struct igt_pressure *p)
{
	bool ok = true;
	pid_t ret;

	if (p->pid > 0) {
		ret = waitpid(p->pid, &p->status, WNOHANG);
		if (ret == p->pid) {
			ok = WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0;
		} else {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &p->status, 0);
		}
		pressure_track(0, p->pid);
		p->pid = 0;
	}
	if (p->ready_fd >= 0)
		close(p->ready_fd);
	p->ready_fd = -1;
	return ok;
}
