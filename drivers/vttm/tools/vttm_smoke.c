// SPDX-License-Identifier: GPL-2.0
/*
 * vttm_smoke - smoke test of the vttm module from user space
 *
 * Creates dumb buffers on the vttm device, fills them with non-zero data,
 * runs drop_caches (the shrinker path: BOs go to shmem when swap is active,
 * stay put without swap), optionally pushes the shmem copies to swap with the
 * root cgroup's memory.reclaim, then reads everything back (CPU faults
 * restore the backed-up pages) and checks every word. Prints the vttm debugfs
 * counters and /proc/vmstat swap counters at each step.
 * With --hog, an anonymous-memory hog runs instead of drop_caches: kswapd
 * wakes up, the only context where the shrinker waits and writes back.
 *
 * Build: gcc -O2 -static -o vttm_smoke vttm_smoke.c
 * Needs root (debugfs, drop_caches).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/drm_mode.h>

#define STATS "/sys/kernel/debug/vttm/stats"
#define MAX_STATS 32

struct stats {
	int n;
	char name[MAX_STATS][40];
	long long val[MAX_STATS];
};

struct bo {
	uint32_t handle;
	uint64_t size;
	uint64_t *map;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_vttm(char *path, size_t len)
{
	struct dirent *de;
	DIR *d = opendir("/dev/dri");

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char name[32] = "";
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
		int fd;

		if (strncmp(de->d_name, "card", 4))
			continue;
		snprintf(path, len, "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vttm")) {
			closedir(d);
			return fd;
		}
		close(fd);
	}
	closedir(d);
	return -1;
}

static int read_stats(struct stats *s)
{
	FILE *f = fopen(STATS, "r");

	s->n = 0;
	if (!f)
		return -1;
	while (s->n < MAX_STATS &&
	       fscanf(f, "%39s %lld", s->name[s->n], &s->val[s->n]) == 2)
		s->n++;
	fclose(f);
	return 0;
}

static long long stat_of(const struct stats *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->val[i];
	return -1;
}

static long long vmstat(const char *name)
{
	char key[64];
	long long v, found = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

static long long meminfo_kb(const char *name)
{
	char line[128];
	long long v = -1;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':')
			v = atoll(line + len + 1);
	fclose(f);
	return v;
}

static void show(const char *step)
{
	struct stats s;

	if (read_stats(&s)) {
		printf("[%s] cannot read %s: %s\n", step, STATS, strerror(errno));
		return;
	}
	printf("[%s]", step);
	for (int i = 0; i < s.n; i++)
		printf(" %s=%lld", s.name[i], s.val[i]);
	printf(" | Shmem=%lldkB pswpout=%lld pswpin=%lld thp_file_alloc=%lld thp_swpout=%lld\n",
	       meminfo_kb("Shmem"), vmstat("pswpout"), vmstat("pswpin"),
	       vmstat("thp_file_alloc"), vmstat("thp_swpout"));
	fflush(stdout);
}

static uint64_t word(unsigned int bo, uint64_t i, uint64_t seed)
{
	uint64_t x = seed ^ ((uint64_t)bo << 40) ^ i;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x | 1;	/* never an all-zero page */
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* A child that touches @mib MiB of anonymous memory, then exits. */
static void hog(unsigned int mib)
{
	pid_t pid = fork();

	if (pid == 0) {
		size_t len = (size_t)mib << 20;
		char *p;

		write_file("/proc/self/oom_score_adj", "1000");
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		madvise(p, len, MADV_NOHUGEPAGE);
		for (size_t i = 0; i < len; i += 4096)
			p[i] = 1;
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vttm_smoke [--bos N] [--mib M] [--expect backup|none]\n"
		"                  [--reclaim SIZE] [--hog MIB] [--seed S]\n"
		"  --expect backup  drop_caches must back up >= 90%% of the pages\n"
		"  --expect none    drop_caches must back up nothing (no swap)\n"
		"  --reclaim SIZE   then write SIZE to /sys/fs/cgroup/memory.reclaim\n"
		"  --hog MIB        touch MIB of anonymous memory instead of drop_caches\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int nbos = 16, mib = 16, hog_mib = 0;
	const char *expect = NULL, *reclaim = NULL;
	uint64_t seed = 0x5eed, total_pages, bad = 0;
	struct stats before, after;
	char path[300];
	struct bo *bos;
	double t;
	int fd, ret = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bos") && i + 1 < argc)
			nbos = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--mib") && i + 1 < argc)
			mib = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--expect") && i + 1 < argc)
			expect = argv[++i];
		else if (!strcmp(argv[i], "--reclaim") && i + 1 < argc)
			reclaim = argv[++i];
		else if (!strcmp(argv[i], "--hog") && i + 1 < argc)
			hog_mib = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else
			usage();
	}
	if (!nbos || !mib)
		usage();

	fd = open_vttm(path, sizeof(path));
	if (fd < 0) {
		fprintf(stderr, "no vttm device in /dev/dri (is vttm.ko loaded?)\n");
		return 2;
	}
	printf("device %s, %u BOs of %u MiB\n", path, nbos, mib);
	show("start");

	bos = calloc(nbos, sizeof(*bos));
	t = now();
	for (unsigned int b = 0; b < nbos; b++) {
		struct drm_mode_create_dumb c = {
			.width = 1024, .height = mib * 256, .bpp = 32,
		};
		struct drm_mode_map_dumb m = {};

		if (ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c)) {
			perror("DRM_IOCTL_MODE_CREATE_DUMB");
			return 1;
		}
		m.handle = c.handle;
		if (ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m)) {
			perror("DRM_IOCTL_MODE_MAP_DUMB");
			return 1;
		}
		bos[b].handle = c.handle;
		bos[b].size = c.size;
		bos[b].map = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED,
				  fd, m.offset);
		if (bos[b].map == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		/* New BOs must not show anybody's old data. */
		for (uint64_t i = 0; i < c.size / 8; i += 512)
			if (bos[b].map[i] && bad++ < 5)
				printf("new BO %u not zeroed at word %llu\n", b,
				       (unsigned long long)i);
		for (uint64_t i = 0; i < c.size / 8; i++)
			bos[b].map[i] = word(b, i, seed);
	}
	t = now() - t;
	total_pages = (uint64_t)nbos * mib * 256;
	printf("filled %u MiB in %.2f s (%.0f MiB/s)\n", nbos * mib, t, nbos * mib / t);
	show("filled");

	read_stats(&before);
	t = now();
	if (hog_mib) {
		hog(hog_mib);
	} else if (write_file("/proc/sys/vm/drop_caches", "3")) {
		perror("drop_caches");
		return 1;
	}
	t = now() - t;
	read_stats(&after);
	printf("%s took %.2f s, backed up %lld of %llu pages\n",
	       hog_mib ? "hog" : "drop_caches", t,
	       stat_of(&after, "backed_up_pages") - stat_of(&before, "backed_up_pages"),
	       (unsigned long long)total_pages);
	show(hog_mib ? "hog" : "drop_caches");

	if (expect && !strcmp(expect, "backup") &&
	    stat_of(&after, "backed_up_pages") < (long long)(total_pages * 9 / 10)) {
		printf("FAIL: expected drop_caches to back up most pages\n");
		ret = 1;
	}
	if (expect && !strcmp(expect, "none") &&
	    (stat_of(&after, "backed_up_pages") != 0 ||
	     stat_of(&after, "backups") != stat_of(&before, "backups"))) {
		printf("FAIL: expected nothing to be backed up without swap\n");
		ret = 1;
	}

	if (reclaim) {
		long long out = vmstat("pswpout");
		int err;

		t = now();
		err = write_file("/sys/fs/cgroup/memory.reclaim", reclaim);
		t = now() - t;
		printf("memory.reclaim %s: %s in %.2f s, pswpout +%lld pages\n", reclaim,
		       err ? strerror(-err) : "ok", t, vmstat("pswpout") - out);
		show("reclaim");
	}

	t = now();
	for (unsigned int b = 0; b < nbos; b++)
		for (uint64_t i = 0; i < bos[b].size / 8; i++)
			if (bos[b].map[i] != word(b, i, seed) && bad++ < 5)
				printf("mismatch: BO %u word %llu\n", b, (unsigned long long)i);
	t = now() - t;
	printf("verified %u MiB in %.2f s (%.0f MiB/s): %llu bad words\n",
	       nbos * mib, t, nbos * mib / t, (unsigned long long)bad);
	show("verified");
	if (bad)
		ret = 1;

	for (unsigned int b = 0; b < nbos; b++) {
		struct drm_mode_destroy_dumb d = { .handle = bos[b].handle };

		munmap(bos[b].map, bos[b].size);
		ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	}
	close(fd);
	show("freed");
	printf("%s\n", ret ? "FAIL" : "PASS");
	return ret;
}
