// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * TEST: ttm swap thp
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: Memory management
 * Functionality: TTM buffer object swapout, shrinking and transparent huge pages
 * Description: GPU buffer objects of any TTM driver go to swap and come back
 *	intact, and huge pages are accounted for.
 *
 * SUBTEST: swap-cycle
 * Description: BOs of mixed sizes are filled, pushed to shmem by the driver's
 *	own mechanism (xe: its shrinker via drop_caches; other TTM drivers:
 *	debugfs ttm/tt_shrink), then to swap with the root cgroup's
 *	memory.reclaim, then read back through CPU faults. Every word is
 *	checked, and at least 80% of the BO pages must have left memory (the
 *	client's fdinfo drm-resident-* where the driver prints it, and resident
 *	shmem with swap writes) and come back.
 *
 * SUBTEST: swap-cycle-repeat
 * Description: swap-cycle for several rounds, with a new pattern each round.
 *
 * SUBTEST: watermark
 * Description: With the ttm module's pages_limit lowered below the BOs'
 *	size, TTM swaps BOs to shmem by itself while others are populated
 *	(legacy swap path only); contents stay intact.
 *
 * SUBTEST: pressure
 * Description: An anonymous-memory hog instead of memory.reclaim pushes the
 *	BOs out (kswapd and direct reclaim, no drop_caches first on the
 *	shrinker path); at least 80% of the BOs must leave memory by the
 *	client's own fdinfo counters and come back, contents intact. On the
 *	legacy path (no shrinker) tt_shrink moves the BOs to shmem first and
 *	the hog must push that backup to swap. Skips when free swap cannot
 *	take the pressure.
 *
 * SUBTEST: reclaim
 * Description: On the shrinker path, root cgroup memory.reclaim alone (no
 *	drop_caches) must move at least 80% of the BOs out of memory, judged
 *	by the client's fdinfo (drm-resident-*), and they must come back
 *	intact when read. Skips on the legacy path, which has no shrinker for
 *	reclaim to call.
 *
 * SUBTEST: closed-mapping
 * Description: BOs are filled, every other one's GEM handle closed while
 *	its CPU mapping lives on, then shrunk and pushed to swap as in
 *	swap-cycle; every word read back through the mappings must be intact,
 *	and (where fdinfo counts them) the BOs kept open must have left memory,
 *	the control that the trigger moved BOs at all. The
 *	mapping still holds the BO, so its contents are still the user's: a
 *	shrinker that purges a BO without a GEM reference (as xe_bo_shrink()
 *	does in 7.3 when the GEM refcount is 0) would hand back zeroed pages.
 *
 * SUBTEST: no-swap
 * Description: With no swap active, shrinking must not lose data; on xe
 *	nothing may be shrunk at all.
 *
 * SUBTEST: thp-control
 * Description: A plain shmem THP (memfd) is pushed to swap the same way, to
 *	learn whether this kernel and swap device can swap a THP whole.
 *
 * SUBTEST: thp-swapout
 * Description: With shmem huge pages enabled for the backup, 2 MiB-aligned
 *	BOs must reach swap as whole THPs whenever thp-control shows the kernel
 *	can.
 *
 * SUBTEST: thp-zero-copy
 * Description: With shmem huge pages off, on kernels with zero-copy
 *	insertion of TTM pages into shmem, high-order TTM pages reach swap as
 *	THPs and shrinking allocates no copy.
 *
 * SUBTEST: multi-process
 * Description: Several processes, each with its own device fd and BOs, go
 *	through the swap cycle at once.
 *
 * SUBTEST: low-memory
 * Description: BOs up to about 90% of available memory with swap present
 *	(less when the machine is too slow to move that much within the time
 *	budget): no OOM kill, contents intact.
 *
 * SUBTEST: swap-cycle-wc
 * Description: swap-cycle with write-combined BOs (integrated xe, where the
 *	device honours WC, or a TTM driver loaded with the module parameter
 *	wc=1 that maps every BO write-combined).
 *
 * SUBTEST: thp-swapout-wc
 * Description: thp-swapout with write-combined BOs (integrated xe, or a TTM
 *	driver loaded with wc=1).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "drmtest.h"
#include "igt_aux.h"
#include "igt_sizes.h"
#include "xe/xe_query.h"
#include "igt_bo_backend.h"
#include "igt_bo_pattern.h"
#include "igt_client_mem.h"
#include "igt_knob.h"
#include "igt_meet.h"
#include "igt_reclaim.h"
#include "igt_shrink_budget.h"
#include "igt_shrink_opts.h"
#include "igt_shrink_size.h"
#include "igt_shrink_verdict.h"
#include "igt_swap.h"
#include "igt_sysroot.h"
#include "igt_thp.h"
#include "igt_ttm.h"
#include "igt_vmstat.h"

IGT_TEST_DESCRIPTION("TTM buffer objects go to swap and come back intact, "
		     "with huge pages accounted for, on any TTM driver.");

#define CHUNK SZ_2M
/* The share of the BOs that must move, as in xe_evict_shrink */
#define MIN_PERCENT 80
#define MAX_BOS 2048
#define MAX_LIVE 2	/* clients one process has at once (the probe's and a subtest's) */
#define RECLAIM_TRIES 6
/* Each subtest's timeout; its time budget is a fifth (igt_shrink_time_budget()) */
#define SUBTEST_TIMEOUT 280

/* Flags of a subtest in subtests[] */
#define WC	(1 << 0)	/* write-combined BOs, where the driver maps them so */
#define ROUNDS	(1 << 1)	/* --rounds rounds instead of one */

static struct igt_shrink_opts opt = {
	.rounds = 3,
};

/* One DRM client: its BOs, made by a backend on the device fd */
struct client {
	struct igt_bo_backend backend;	/* backend.fd: the client's fd */
	struct igt_backend_bo *bos;
	unsigned int count;
	uint64_t bytes;
	uint64_t seed;			/* of the last fill */
	bool tracks;			/* its fdinfo counts the BOs (drm-resident-*) */
};

/*
 * One shrink and restore of a client's BOs, by its own counters: its fdinfo
 * after the fill, once the BOs were pushed out, and after the read-back.
 * System-wide counters cannot tell the BOs' pages from anyone else's (a
 * memory hog swaps its own pages too).
 */
struct round {
	struct igt_client_mem filled, shrunk, restored;
};

/* The device, opened once: the subtests' clients make their BOs on it */
static struct {
	int fd;
	enum igt_ttm_swap_path swap_path;
	struct igt_bo_backend backend;	/* how BOs are made on it */
	bool wc;	/* the running subtest wants write-combined BOs */
} dev = { .fd = -1 };

/*
 * The clients the running subtest made and has not freed yet: the fixture
 * after each subtest frees them, after a failed subtest too.
 */
static struct client *live[MAX_LIVE];

static const uint64_t mixed_sizes[] = {
	SZ_4K, SZ_64K, SZ_2M, SZ_2M + SZ_4K, SZ_8M, SZ_1M, SZ_4M,
};
static const uint64_t thp_sizes[] = { SZ_2M, SZ_4M, SZ_8M };

static double elapsed_s(struct timespec *start)
{
	return igt_nsec_elapsed(start) * 1e-9;
}

static double mibps(uint64_t bytes, double seconds)
{
	return seconds > 0 ? bytes / (double)SZ_1M / seconds : 0;
}

static uint64_t meminfo_mb(const char *key)
{
	return igt_meminfo_kb(key) / 1024;
}

static void print_buddy(const char *when)
{
	struct igt_vmstat *s = igt_vmstat_snapshot();

	igt_info("free 2 MiB blocks %s: %" PRId64 "\n", when,
		 igt_vmstat_get(s, "buddyinfo.free_2M"));
	igt_vmstat_free(s);
}

/* Clients */

/* A client on @fd with room for MAX_BOS BOs, none made yet */
static struct client *client_new(int fd)
{
	struct client *c = calloc(1, sizeof(*c));
	int i;

	igt_assert(c);
	c->bos = calloc(MAX_BOS, sizeof(*c->bos));
	igt_assert(c->bos);
	igt_bo_backend_init(&c->backend, fd, dev.wc);
	for (i = 0; i < MAX_LIVE && live[i]; i++)
		;
	igt_assert_f(i < MAX_LIVE, "more than %d clients at once\n", MAX_LIVE);
	live[i] = c;
	return c;
}

/* Frees @c's BOs (the fd stays open) and @c */
static void client_free(struct client *c)
{
	if (c->count)
		print_buddy("after");
	for (unsigned int i = 0; i < c->count; i++)
		igt_bo_backend_destroy(&c->backend, &c->bos[i]);
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i] == c)
			live[i] = NULL;
	free(c->bos);
	free(c);
}

/* Makes BOs of @sizes, in turn, until the next would pass @bytes */
static void client_add_bos(struct client *c, const uint64_t *sizes, unsigned int nsizes,
			   uint64_t bytes)
{
	for (unsigned int i = 0; c->count < MAX_BOS; i++) {
		uint64_t size = sizes[i % nsizes];
		struct igt_backend_bo *bo = &c->bos[c->count];
		int err;

		if (c->bytes + size > bytes)
			break;
		err = igt_bo_backend_create(&c->backend, size, bo);
		igt_assert_f(!err, "creating a %" PRIu64 " KiB BO failed: %s\n",
			     size / SZ_1K, strerror(-err));
		c->bytes += bo->size;
		c->count++;
	}
	igt_assert(c->count);
	print_buddy("before");
	igt_info("%u BOs, %" PRIu64 " MiB (%s)\n", c->count, c->bytes / SZ_1M,
		 igt_bo_backend_name(&c->backend));
}

static uint64_t client_pages(const struct client *c)
{
	return c->bytes / SZ_4K;
}

/* fdinfo */

static struct igt_client_mem client_mem(const struct client *c)
{
	struct igt_client_mem m = {};

	__igt_client_mem(c->backend.fd, &m);
	return m;
}

static bool bos_left(const struct client *c, const struct round *r)
{
	return r->filled.resident > r->shrunk.resident &&
	       (r->filled.resident - r->shrunk.resident) * 100 >= c->bytes * MIN_PERCENT;
}

/* Where fdinfo counts the BOs, at least MIN_PERCENT of them left memory */
static void assert_bos_left(const struct client *c, struct round *r, const char *how)
{
	r->shrunk = client_mem(c);
	if (c->tracks)
		igt_assert_f(igt_shrink_check_left(&r->filled, &r->shrunk, c->bytes,
						   MIN_PERCENT),
			     "%s did not move the BOs out of memory (client fdinfo)\n", how);
}

/* ... and came back when read */
static void assert_bos_back(const struct client *c, struct round *r)
{
	r->restored = client_mem(c);
	if (c->tracks)
		igt_assert_f(igt_shrink_check_back(&r->shrunk, &r->restored, c->bytes,
						   MIN_PERCENT),
			     "the BOs did not come back into memory (client fdinfo)\n");
}

/*
 * Fills every BO with @seed's pattern and unmaps it; @r, when given, gets
 * the fdinfo after the fill, and the client learns whether fdinfo counts
 * its BOs.
 */
static void client_fill(struct client *c, uint64_t seed, struct round *r)
{
	struct igt_client_mem filled;
	struct timespec start = {};

	c->seed = seed;
	igt_gettime(&start);
	for (unsigned int i = 0; i < c->count; i++) {
		struct igt_backend_bo *bo = &c->bos[i];

		igt_assert(igt_bo_backend_map(&c->backend, bo));
		igt_bo_pattern_fill(bo->map, bo->size, seed, i);
		/* no CPU mapping left: nothing keeps the pages resident */
		igt_bo_backend_unmap(bo);
	}
	igt_info("fill: %.1f MiB/s\n", mibps(c->bytes, elapsed_s(&start)));

	filled = client_mem(c);
	c->tracks = igt_client_mem_tracks(&filled, c->bytes);
	igt_info("BO counters: %s\n", c->tracks ?
		 "this client's fdinfo (drm-resident-*)" :
		 "none in fdinfo; resident shmem and swap deltas");
	if (r)
		r->filled = filled;
}

/* Maps every BO again (faulting it back in) and checks every word */
static void client_verify(struct client *c, const char *what)
{
	struct timespec start = {};
	unsigned int bad = 0;

	igt_gettime(&start);
	for (unsigned int i = 0; i < c->count; i++) {
		struct igt_backend_bo *bo = &c->bos[i];

		igt_assert(igt_bo_backend_map(&c->backend, bo));
		if (!igt_bo_pattern_check(bo->map, bo->size, c->seed, i))
			bad++;
		igt_bo_backend_unmap(bo);
	}
	igt_info("%s: %.1f MiB/s\n", what, mibps(c->bytes, elapsed_s(&start)));
	igt_assert_f(!bad, "%u of %u BOs corrupted\n", bad, c->count);
}

/* vmstat, the system-wide figures */

static const char *const swap_counters[] = {
	"pswpout", "pswpin", "zswpout", "swpout_zero", "meminfo.Shmem",
	"thp_file_alloc", "thp_swpout", "thp_swpout_fallback", "thp_split_page",
	"hugepages-2048kB.shmem_alloc", "hugepages-2048kB.swpout",
	"hugepages-2048kB.swpout_fallback", "buddyinfo.free_2M", NULL
};

static void print_delta(const char *title, const struct igt_vmstat *a,
			const struct igt_vmstat *b)
{
	struct igt_vmstat *d = igt_vmstat_delta(a, b);

	igt_assert(d);
	igt_vmstat_print(d, title, swap_counters);
	igt_vmstat_free(d);
}

/* Triggers */

/*
 * Moves @c's BO pages out of the driver into shmem, the driver's own way:
 * the xe shrinker runs from drop_caches; the legacy path swaps one BO per
 * read of ttm/tt_shrink. Returns the pages that went to shmem.
 */
static int64_t shrink_to_shmem(const struct client *c)
{
	struct igt_vmstat *a = igt_vmstat_snapshot(), *d;
	uint64_t pages = client_pages(c);
	struct timespec start = {};
	int64_t moved, reported = 0;

	igt_gettime(&start);
	if (dev.swap_path == IGT_TTM_SHRINKER)
		igt_reclaim_drop_caches(3);
	else
		reported = igt_ttm_tt_shrink(pages + pages / 8, 4 * c->count + 64,
					     60000);
	d = igt_vmstat_delta_since(a);
	moved = igt_vmstat_get(d, "meminfo.Shmem") / 4;
	igt_vmstat_free(d);
	igt_info("shrink to shmem: %" PRId64 " pages (tt_shrink reported %" PRId64
		 ") of %" PRIu64 ", %.1f MiB/s\n", moved, reported, pages,
		 mibps(moved > 0 ? moved * SZ_4K : 0, elapsed_s(&start)));
	return moved;
}

/* memory.reclaim until the shmem backup has left RAM, a bounded number of times */
static void reclaim_to_swap(uint64_t bytes)
{
	struct igt_vmstat *a = igt_vmstat_snapshot(), *b = NULL;
	struct timespec start = {};
	int64_t shmem_a = igt_vmstat_get(a, "meminfo.Shmem");
	int tries, partial = 0;

	igt_require_f(igt_reclaim_has_memory_reclaim(),
		      "no root cgroup memory.reclaim (cgroup2 not mounted?)\n");
	igt_gettime(&start);
	for (tries = 1; tries <= RECLAIM_TRIES; tries++) {
		/* EAGAIN: less than asked, not an error */
		partial += igt_reclaim_memory(bytes + bytes / 4);
		igt_vmstat_free(b);
		b = igt_vmstat_snapshot();
		if ((shmem_a - igt_vmstat_get(b, "meminfo.Shmem")) * 100 >=
		    (int64_t)(bytes / SZ_1K) * MIN_PERCENT)
			break;
	}
	igt_info("swap-out: %.1f MiB/s (%d memory.reclaim writes, %d partial)\n",
		 mibps(bytes, elapsed_s(&start)), min(tries, RECLAIM_TRIES), partial);
	igt_vmstat_free(a);
	igt_vmstat_free(b);
}

/* Sizing */

static const uint64_t probe_sizes[] = { SZ_2M };

/* The probe's steps (igt_shrink_probe()), on a client of its own */
static uint64_t probe_fill(void *data)
{
	struct client *c = data;

	client_add_bos(c, probe_sizes, ARRAY_SIZE(probe_sizes), IGT_SHRINK_PROBE_BYTES);
	client_fill(c, opt.seed, NULL);
	return c->bytes;
}

static uint64_t probe_shrink(void *data)
{
	return max_t(int64_t, shrink_to_shmem(data), 0) * SZ_4K;
}

static uint64_t probe_swap_out(void *data)
{
	struct client *c = data;

	reclaim_to_swap(c->bytes);
	return c->bytes;
}

static uint64_t probe_swap_in(void *data)
{
	struct client *c = data;

	client_verify(c, "probe read back");
	return c->bytes;
}

/*
 * Throughput of this machine now, on a small set of BOs taken through the
 * same steps as the subtests: fill, shrink, swap-out (when the subtest
 * swaps), swap-in with verification.
 */
static struct igt_shrink_rates measure_rates(bool needs_swap)
{
	const struct igt_shrink_probe_ops ops = {
		.fill = probe_fill,
		.shrink = probe_shrink,
		.swap_out = needs_swap ? probe_swap_out : NULL,
		.swap_in = probe_swap_in,
	};
	struct client *c = client_new(dev.fd);
	struct igt_shrink_rates r;

	r = igt_shrink_probe(IGT_SHRINK_PROBE_BYTES, &ops, c);
	client_free(c);
	return r;
}

/* What one subtest sizes: see plan_subtest() */
struct plan {
	enum igt_shrink_target target;
	uint64_t total;			/* BO bytes of the subtest */
	struct igt_shrink_rates rates;	/* measured for an automatic size */
	bool measured;
};

/*
 * The BO bytes of a subtest: what memory allows for @target, or --size-mb
 * when it does (igt_shrink_plan_memory()); an automatic size is then cut to
 * what @passes rounds can move within the time budget at the rates this
 * machine shows now, but not below @min_bytes (igt_shrink_plan_time()), and
 * divided by @share (subtests that leave room for a hog or a control).
 */
static struct plan plan_subtest(enum igt_shrink_target target, unsigned int passes,
				unsigned int share, uint64_t min_bytes)
{
	struct igt_shrink_resources res = {
		.user_size = opt.size_mb * SZ_1M,
	};
	struct plan p = { .target = target };

	/* What the page cache holds is nothing a shrinker test can count on */
	igt_purge_vm_caches(dev.fd);
	igt_shrink_resources_now(&res);
	p.total = igt_shrink_plan_memory(&res, target);
	if (opt.size_mb)
		return p;	/* asked for on the command line: no time cap */

	p.rates = measure_rates(target != IGT_SHRINK_NO_SWAP);
	p.measured = true;
	p.total = igt_shrink_plan_time(&p.rates, target, p.total, SUBTEST_TIMEOUT, passes,
				       min_bytes) / share;
	return p;
}

static void require_swap(void)
{
	igt_require_f(igt_swap_active(), "no swap active\n");
	igt_require_f(igt_reclaim_has_memory_reclaim(),
		      "no root cgroup memory.reclaim (cgroup2 not mounted?)\n");
	if (igt_zswap_enabled())
		igt_info("zswap is enabled: pages may stop in zswap (zswpout)\n");
}

static double best_of_3(void (*fn)(void *, struct igt_backend_bo *), void *arg,
			struct igt_backend_bo *bo)
{
	double best = 1e9;

	for (int i = 0; i < 3; i++) {
		struct timespec start = {};

		igt_gettime(&start);
		fn(arg, bo);
		best = fmin(best, elapsed_s(&start));
	}
	return best;
}

static uint64_t bench_sink;

/* What the pattern runs of bench_pattern() work on */
struct bench {
	uint64_t seed;
	uint32_t index;
	void *copy;
};

static void run_memset(void *arg, struct igt_backend_bo *bo)
{
	memset(bo->map, 0x5a, bo->size);
}

static void run_fill(void *arg, struct igt_backend_bo *bo)
{
	struct bench *b = arg;

	igt_bo_pattern_fill(bo->map, bo->size, b->seed, b->index);
}

static void run_memcmp(void *arg, struct igt_backend_bo *bo)
{
	struct bench *b = arg;

	WRITE_ONCE(bench_sink, bench_sink + memcmp(bo->map, b->copy, bo->size));
}

static void run_verify(void *arg, struct igt_backend_bo *bo)
{
	struct bench *b = arg;

	WRITE_ONCE(bench_sink, bench_sink +
		   igt_bo_pattern_verify(bo->map, bo->size, b->seed, b->index, NULL));
}

/*
 * Pattern fill and verify against memset() and memcmp() over the same BO
 * mapping (@c's largest BO, resident), best of three each: the figures show
 * what checking every word costs on this machine.
 */
static void bench_pattern(struct client *c)
{
	struct bench b = { .seed = c->seed };
	double t_memset, t_fill, t_memcmp, t_verify;
	struct igt_backend_bo *bo;

	for (uint32_t i = 1; i < c->count; i++)
		if (c->bos[i].size > c->bos[b.index].size)
			b.index = i;
	bo = &c->bos[b.index];
	igt_assert(igt_bo_backend_map(&c->backend, bo));
	t_memset = best_of_3(run_memset, &b, bo);
	t_fill = best_of_3(run_fill, &b, bo);
	b.copy = malloc(bo->size);
	igt_assert(b.copy);
	memcpy(b.copy, bo->map, bo->size);
	t_memcmp = best_of_3(run_memcmp, &b, bo);
	t_verify = best_of_3(run_verify, &b, bo);
	free(b.copy);
	igt_info("pattern speed on a %" PRIu64 " MiB BO mapping: "
		 "fill %.0f MiB/s (memset %.0f, %.0f%%), verify %.0f MiB/s (memcmp %.0f, %.0f%%)\n",
		 bo->size / SZ_1M,
		 mibps(bo->size, t_fill), mibps(bo->size, t_memset), 100 * t_memset / t_fill,
		 mibps(bo->size, t_verify), mibps(bo->size, t_memcmp),
		 100 * t_memcmp / t_verify);
	igt_assert(igt_bo_pattern_check(bo->map, bo->size, c->seed, b.index));
	igt_bo_backend_unmap(bo);
}

/* Shrink and swap rounds */

/*
 * One fill, shrink, swap-out, swap-in round over @c's BOs. With @crowded
 * (BOs near the size of available memory) reading the last BOs back may
 * push the first ones out again, so that fewer are resident at the end
 * although every one came back to be checked: "came back" is then only
 * printed, the contents are the proof.
 */
static void swap_round(struct client *c, uint64_t seed, bool crowded)
{
	struct igt_vmstat *a, *b, *s, *d;
	uint64_t pages = client_pages(c);
	struct round r;

	client_fill(c, seed, &r);
	client_verify(c, "verify resident");
	if (seed == opt.seed)
		bench_pattern(c);
	a = igt_vmstat_snapshot();
	shrink_to_shmem(c);
	b = igt_vmstat_snapshot();
	reclaim_to_swap(c->bytes);
	s = igt_vmstat_snapshot();
	print_delta("shrink + swap-out:", a, s);

	d = igt_vmstat_delta(b, s);
	igt_assert(d);
	igt_assert_f(igt_shrink_check_backup_swapped(d, pages, MIN_PERCENT),
		     "the BOs did not leave memory: nothing (or too little) was swapped\n");
	igt_vmstat_free(d);
	assert_bos_left(c, &r, "shrink + swap-out");

	client_verify(c, "swap-in + verify");
	if (crowded) {
		r.restored = client_mem(c);
		if (c->tracks)
			igt_shrink_check_back(&r.shrunk, &r.restored, c->bytes, MIN_PERCENT);
	} else {
		assert_bos_back(c, &r);
	}
	d = igt_vmstat_snapshot();
	print_delta("swap-in:", s, d);
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	igt_vmstat_free(s);
	igt_vmstat_free(d);
}

/* Subtests */

static void test_swap_cycle(unsigned int flags)
{
	unsigned int rounds = flags & ROUNDS ? opt.rounds : 1;
	struct client *c;
	struct plan p;

	require_swap();
	p = plan_subtest(IGT_SHRINK_SYSTEM, rounds, 1, IGT_SHRINK_PROBE_BYTES);
	c = client_new(dev.fd);
	client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	for (unsigned int r = 0; r < rounds; r++) {
		igt_info("round %u of %u\n", r + 1, rounds);
		swap_round(c, opt.seed + r, false);
	}
	client_free(c);
}

static void test_watermark(unsigned int flags)
{
	struct igt_vmstat *a, *b;
	uint64_t old, limit;
	struct client *c;
	struct plan p;
	int64_t moved;

	igt_require_f(dev.swap_path == IGT_TTM_LEGACY,
		      "pages_limit only applies to the legacy swap path "
		      "(xe BOs are external to it)\n");
	igt_require_f(!igt_ttm_get_pages_limit(&old), "no ttm pages_limit parameter\n");

	p = plan_subtest(IGT_SHRINK_NO_SWAP, 1, 1, IGT_SHRINK_PROBE_BYTES);
	c = client_new(dev.fd);
	client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	limit = client_pages(c) / 2;
	igt_info("pages_limit %" PRIu64 " -> %" PRIu64 "\n", old, limit);
	igt_ttm_set_pages_limit(limit);

	a = igt_vmstat_snapshot();
	client_fill(c, opt.seed, NULL);
	b = igt_vmstat_snapshot();
	print_delta("fill under the watermark:", a, b);
	moved = (igt_vmstat_get(b, "meminfo.Shmem") -
		 igt_vmstat_get(a, "meminfo.Shmem")) / 4;
	igt_info("swapped to shmem on populate: %" PRId64 " pages, expected at least %"
		 PRIu64 "\n", moved, (client_pages(c) - limit) * MIN_PERCENT / 100);
	igt_assert_f(moved * 100 >= (int64_t)(client_pages(c) - limit) * MIN_PERCENT,
		     "TTM did not swap on populate above pages_limit\n");
	client_verify(c, "verify (swapping in under the watermark)");

	igt_assert_eq(igt_ttm_restore_pages_limit(), 0);
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	client_free(c);
}

/* Wait for the hog to push the backup out: bounded by @timeout_s */
static bool wait_shmem_drop(int64_t shmem_before_kb, uint64_t pages,
			    unsigned int timeout_s)
{
	igt_until_timeout(timeout_s) {
		int64_t now = meminfo_mb("Shmem") * 1024;

		if ((shmem_before_kb - now) / 4 * 100 >= (int64_t)pages * MIN_PERCENT)
			return true;
		usleep(200 * 1000);
	}
	return false;
}

/* Wait for reclaim to move @c's BOs out, by its fdinfo: bounded by @timeout_s */
static bool wait_bos_left(const struct client *c, struct round *r, unsigned int timeout_s)
{
	igt_until_timeout(timeout_s) {
		r->shrunk = client_mem(c);
		if (bos_left(c, r))
			return true;
		usleep(200 * 1000);
	}
	r->shrunk = client_mem(c);
	return bos_left(c, r);
}

/*
 * The hog must be able to outgrow available memory by the BOs' size, or the
 * kernel never needs to move them (igt_pressure_displaces()).
 */
static uint64_t pressure_bytes(const struct client *c)
{
	uint64_t avail;
	char why[256];

	igt_require_f(igt_pressure_displaces(c->bytes, &avail, why, sizeof(why)), "%s\n", why);
	return avail + 2 * c->bytes;
}

/*
 * How long the hog may take to apply its pressure: touching its memory once
 * and pushing the BOs' worth out, three times over at the measured rates,
 * within bounds that leave the rest of the subtest its time.
 */
static unsigned int pressure_seconds(struct plan *p, const struct client *c,
				     uint64_t hog_bytes)
{
	const struct igt_shrink_rates *r = &p->rates;
	double s = 20;

	if (!p->measured) {
		p->rates = measure_rates(true);
		p->measured = true;
	}
	if (r->fill > 0)
		s += 3 * hog_bytes / (double)SZ_1M / r->fill;
	if (r->swap_out > 0)
		s += 3 * 2 * c->bytes / (double)SZ_1M / r->swap_out;
	return min_t(unsigned int, max_t(unsigned int, s, 60), SUBTEST_TIMEOUT - 60);
}

static void test_pressure(unsigned int flags)
{
	bool legacy = dev.swap_path == IGT_TTM_LEGACY;
	struct igt_vmstat *a, *d;
	struct igt_pressure hog;
	struct timespec start = {};
	uint64_t pages, hog_bytes;
	unsigned int hog_s;
	bool hog_ok, ready;
	struct round r = {};
	struct client *c;
	struct plan p;

	require_swap();
	p = plan_subtest(IGT_SHRINK_SYSTEM, 1, 2, IGT_SHRINK_PROBE_BYTES);
	c = client_new(dev.fd);
	client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	pages = client_pages(c);
	client_fill(c, opt.seed, &r);
	if (legacy)
		shrink_to_shmem(c);	/* pressure alone never swaps legacy BOs */
	else
		igt_require_f(c->tracks,
			      "the driver's fdinfo does not count the BOs as resident: "
			      "nothing to judge them by\n");
	hog_bytes = pressure_bytes(c);
	hog_s = pressure_seconds(&p, c, hog_bytes);

	a = igt_vmstat_snapshot();
	igt_gettime(&start);
	igt_assert_eq(igt_pressure_start(&hog, hog_bytes, hog_s), 0);
	igt_info("pressure child: %" PRIu64 " MiB for at most %u s\n", hog.bytes / SZ_1M, hog_s);
	ready = igt_pressure_wait_ready(&hog, (hog_s - 10) * 1000);
	if (!ready)
		igt_info("pressure child did not touch all its memory in %u s\n", hog_s - 10);
	if (legacy)
		wait_shmem_drop(igt_vmstat_get(a, "meminfo.Shmem"), pages, ready ? 20 : 1);
	else
		wait_bos_left(c, &r, ready ? 20 : 1);
	hog_ok = igt_pressure_stop(&hog);
	igt_info("pressure: %.1f s, child %s\n", elapsed_s(&start),
		 hog_ok ? "stopped by us" : "killed before (OOM or alarm)");
	/* A hog too slow to touch its memory applied no full pressure */
	igt_require_f(ready || (legacy ? false : bos_left(c, &r)),
		      "the pressure child could not touch its %" PRIu64 " MiB in %u s on this "
		      "machine: no pressure to judge the BOs by\n", hog.bytes / SZ_1M, hog_s - 10);
	d = igt_vmstat_delta_since(a);
	igt_vmstat_print(d, "under pressure:", swap_counters);
	if (legacy)
		igt_assert_f(igt_shrink_check_backup_swapped(d, pages, MIN_PERCENT),
			     "pressure did not push the BOs' backup to swap\n");
	else
		igt_assert_f(igt_shrink_check_left(&r.filled, &r.shrunk, c->bytes, MIN_PERCENT),
			     "pressure did not move the BOs out of memory (client fdinfo)\n");
	igt_vmstat_free(d);
	client_verify(c, "swap-in + verify");
	if (!legacy)
		assert_bos_back(c, &r);
	client_free(c);
}

/* memory.reclaim alone, no drop_caches: the reclaim path xe's users hit */
static void test_reclaim(unsigned int flags)
{
	struct igt_vmstat *a, *b;
	int tries, partial = 0;
	struct round r = {};
	struct client *c;
	struct plan p;

	require_swap();
	igt_require_f(dev.swap_path == IGT_TTM_SHRINKER,
		      "memory.reclaim reaches TTM BOs only through a driver's shrinker; "
		      "this driver takes the %s path\n", igt_ttm_swap_path_name(dev.swap_path));
	p = plan_subtest(IGT_SHRINK_SYSTEM, 1, 1, IGT_SHRINK_PROBE_BYTES);
	c = client_new(dev.fd);
	client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	client_fill(c, opt.seed, &r);
	igt_require_f(c->tracks,
		      "the driver's fdinfo does not count the BOs as resident: "
		      "nothing to judge them by\n");

	a = igt_vmstat_snapshot();
	for (tries = 1; tries <= RECLAIM_TRIES; tries++) {
		/* EAGAIN: less than asked, not an error */
		partial += igt_reclaim_memory(c->bytes + c->bytes / 4);
		r.shrunk = client_mem(c);
		if (bos_left(c, &r))
			break;
	}
	b = igt_vmstat_snapshot();
	igt_info("%d memory.reclaim writes, %d partial\n", min(tries, RECLAIM_TRIES), partial);
	print_delta("memory.reclaim:", a, b);
	igt_assert_f(igt_shrink_check_left(&r.filled, &r.shrunk, c->bytes, MIN_PERCENT),
		     "memory.reclaim did not move the BOs out of memory (client fdinfo)\n");
	client_verify(c, "swap-in + verify");
	assert_bos_back(c, &r);
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	client_free(c);
}

/*
 * GEM handles closed, CPU mappings kept: the mappings still own the data.
 * Every other BO keeps its handle, the control that the trigger moved BOs
 * (judged by fdinfo, where the closed ones no longer count).
 */
static void test_closed_mapping(unsigned int flags)
{
	struct igt_vmstat *a, *b;
	uint64_t open_bytes = 0;
	unsigned int closed = 0;
	struct round r = {};
	struct client *c;
	struct plan p;

	require_swap();
	p = plan_subtest(IGT_SHRINK_SYSTEM, 1, 2, IGT_SHRINK_PROBE_BYTES);
	c = client_new(dev.fd);
	client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	igt_require_f(c->count >= 2, "room for %u BO: need 2\n", c->count);
	client_fill(c, opt.seed, NULL);
	for (unsigned int i = 0; i < c->count; i++) {
		struct igt_backend_bo *bo = &c->bos[i];

		if (!(i & 1)) {
			open_bytes += bo->size;
			continue;
		}
		igt_assert(igt_bo_backend_map(&c->backend, bo));
		gem_close(c->backend.fd, bo->handle);
		bo->handle = 0;	/* client_free() only unmaps it */
		closed++;
	}
	r.filled = client_mem(c);
	igt_info("%u GEM handles closed, their mappings kept; %" PRIu64
		 " MiB of BOs kept open\n", closed, open_bytes / SZ_1M);

	a = igt_vmstat_snapshot();
	shrink_to_shmem(c);
	reclaim_to_swap(c->bytes);
	b = igt_vmstat_snapshot();
	print_delta("shrink + swap-out with closed handles:", a, b);
	r.shrunk = client_mem(c);
	client_verify(c, "read back through the mappings");
	if (c->tracks)
		igt_assert_f(igt_shrink_check_left(&r.filled, &r.shrunk, open_bytes, MIN_PERCENT),
			     "the BOs kept open did not leave memory: the trigger moved nothing\n");
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	client_free(c);
}

static void test_no_swap(unsigned int flags)
{
	struct client *c;
	uint64_t pages;
	struct plan p;
	int64_t moved;

	igt_require_f(!igt_swap_active(), "swap is active; this needs a machine without swap\n");
	p = plan_subtest(IGT_SHRINK_NO_SWAP, 1, 1, IGT_SHRINK_PROBE_BYTES);
	c = client_new(dev.fd);
	client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	pages = client_pages(c);
	client_fill(c, opt.seed, NULL);
	moved = shrink_to_shmem(c);
	if (dev.swap_path == IGT_TTM_SHRINKER)
		igt_assert_f(moved * 100 < (int64_t)pages * (100 - MIN_PERCENT),
			     "xe shrank %" PRId64 " pages with no swap to go to\n", moved);
	if (igt_reclaim_has_memory_reclaim())
		igt_reclaim_memory(c->bytes);
	client_verify(c, "verify");
	client_free(c);
}

static void set_shmem_thp(const char *mode)
{
	char buf[32];
	int err;

	igt_require_f(igt_thp_available(), "no transparent huge pages\n");
	err = __igt_thp_set("shmem_enabled", mode);
	igt_require_f(!err, "cannot set shmem_enabled=%s: %s\n", mode, strerror(-err));
	/* mapped shmem (the memfd control) follows the per-size knob */
	if (igt_thp_get("hugepages-2048kB/shmem_enabled", buf, sizeof(buf)))
		__igt_thp_set("hugepages-2048kB/shmem_enabled",
			    strcmp(mode, "never") ? "always" : "never");
}

static int64_t thp_allocated(const struct igt_vmstat *d)
{
	return max_t(int64_t, igt_vmstat_get(d, "thp_file_alloc"),
		     igt_vmstat_get(d, "hugepages-2048kB.shmem_alloc"));
}

static void print_thp(const char *who, enum igt_thp_verdict v,
		      const struct igt_thp_swapout *f)
{
	igt_info("%s: THP swapout %s: %" PRId64 " of %" PRId64 " chunks whole, %"
		 PRId64 " fell back, %" PRId64 " split, %" PRId64 " pages written\n",
		 who, igt_shrink_thp_verdict_name(v), f->whole, f->chunks, f->fallback,
		 f->split, f->pages);
}

/* A memfd with 2 MiB pages, swapped out and back in the same way as the BOs */
static enum igt_thp_verdict thp_control(uint64_t bytes, struct igt_thp_swapout *f)
{
	struct igt_vmstat *a, *b, *c, *d;
	enum igt_thp_verdict v;
	uint64_t chunks = bytes / CHUNK;
	int mfd;
	void *p;

	set_shmem_thp("always");
	mfd = memfd_create("ttm-swap-thp-control", MFD_CLOEXEC);
	igt_assert_fd(mfd);
	igt_assert_eq(ftruncate(mfd, bytes), 0);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	igt_assert(p != MAP_FAILED);
	madvise(p, bytes, MADV_HUGEPAGE);

	a = igt_vmstat_snapshot();
	igt_bo_pattern_fill(p, bytes, opt.seed, 0);
	munmap(p, bytes);
	b = igt_vmstat_snapshot();
	d = igt_vmstat_delta(a, b);
	igt_info("control: %" PRId64 " shmem THPs allocated for %" PRIu64 " chunks\n",
		 thp_allocated(d), chunks);
	igt_require_f(thp_allocated(d) * 100 >= (int64_t)chunks * MIN_PERCENT,
		      "the kernel gave the memfd no 2 MiB pages\n");
	igt_vmstat_free(d);

	reclaim_to_swap(bytes);
	c = igt_vmstat_snapshot();
	print_delta("control swap-out:", b, c);
	d = igt_vmstat_delta(b, c);
	v = igt_shrink_thp_verdict(d, chunks, MIN_PERCENT, f);
	print_thp("control", v, f);

	p = mmap(NULL, bytes, PROT_READ, MAP_SHARED, mfd, 0);
	igt_assert(p != MAP_FAILED);
	igt_assert(igt_bo_pattern_check(p, bytes, opt.seed, 0));
	munmap(p, bytes);
	close(mfd);
	igt_thp_restore("hugepages-2048kB/shmem_enabled");
	igt_thp_restore("shmem_enabled");
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	igt_vmstat_free(c);
	igt_vmstat_free(d);
	return v;
}

/* The control's and the BOs' size: each half of the subtest, whole chunks */
static uint64_t thp_size(void)
{
	struct plan p = plan_subtest(IGT_SHRINK_SYSTEM, 1, 2, IGT_SHRINK_PROBE_BYTES);

	return max_t(uint64_t, p.total / CHUNK * CHUNK, SZ_8M);
}

static void test_thp_control(unsigned int flags)
{
	struct igt_thp_swapout f;
	enum igt_thp_verdict v;
	int rot;

	require_swap();
	rot = igt_swap_rotational();
	igt_info("swap device: %s\n", rot < 0 ? "unknown/mixed" :
		 rot ? "rotational" : "non-rotational");
	v = thp_control(thp_size(), &f);
	igt_assert_f(v != IGT_THP_NOT_SWAPPED, "the control memfd was not swapped\n");
	igt_info("this kernel %s swap a shmem THP whole here\n",
		 v == IGT_THP_WHOLE ? "can" : "cannot");
}

/* What one BO THP run measured: the figures its subtest judges */
struct thp_run {
	enum igt_thp_backup_path path;
	enum igt_thp_verdict swapout;
	struct igt_thp_swapout f;
	bool no_copy;
};

/*
 * The reference zero-copy series (patches/shmem-zero-copy) can be turned
 * off at run time: then the copy path can be measured on the same kernel.
 */
#define TTM_BACKUP_INSERT "/sys/module/ttm/parameters/backup_insert"

static bool set_backup_insert(bool on)
{
	char buf[8];

	if (!igt_sysroot_read_selected(TTM_BACKUP_INSERT, buf, sizeof(buf)))
		return false;
	igt_knob_set(TTM_BACKUP_INSERT, on ? "Y" : "N");
	return true;
}

/*
 * The low point of free memory while the shrink runs, the seed's measure of
 * what shrinking costs: a child samples MemFree every 5 ms (for at most
 * 5 minutes) and writes each new minimum to a non-blocking pipe.
 */
struct free_low {
	pid_t pid;
	int fd;
};

static long meminfo_free_kib(int fd)
{
	char buf[4096], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "MemFree:");
	return p ? strtol(p + strlen("MemFree:"), NULL, 10) : -1;
}

static void free_low_start(struct free_low *s)
{
	int pfd[2];

	igt_assert_eq(pipe2(pfd, O_NONBLOCK | O_CLOEXEC), 0);
	s->pid = fork();
	igt_assert(s->pid >= 0);
	if (!s->pid) {
		int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
		long low = LONG_MAX, v;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pfd[0]);
		for (int i = 0; fd >= 0 && i < 60000; i++) {
			v = meminfo_free_kib(fd);
			if (v >= 0 && v < low) {
				low = v;
				if (write(pfd[1], &low, sizeof(low)) != sizeof(low))
					break;
			}
			usleep(5000);
		}
		_exit(0);	/* no exit handlers: they belong to the parent */
	}
	close(pfd[1]);
	s->fd = pfd[0];
}

static long free_low_stop(struct free_low *s)
{
	long v, low = -1;

	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	while (read(s->fd, &v, sizeof(v)) == sizeof(v))
		low = v;
	close(s->fd);
	return low;
}

static void shrink_measured(const struct client *c)
{
	uint64_t pages = client_pages(c);
	struct free_low s;
	long before, low;
	int fd;

	fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	igt_assert_fd(fd);
	before = meminfo_free_kib(fd);
	close(fd);
	free_low_start(&s);
	shrink_to_shmem(c);
	low = free_low_stop(&s);
	if (before < 0 || low < 0)
		return;
	igt_info("free memory during shrink: %ld KiB before, lowest %ld KiB: "
		 "%ld KiB used at the low point, %.1f%% of the %" PRIu64 " KiB of BOs\n",
		 before, low, before - low,
		 100.0 * (before - low) / (double)(pages * SZ_4K / SZ_1K),
		 pages * SZ_4K / SZ_1K);
}

/*
 * 2 MiB-multiple BOs, shrunk to shmem and pushed to swap: reports which
 * backup path the shrink took, what it allocated, how the 2 MiB chunks
 * reached swap, free 2 MiB blocks after the restore, and the speeds.
 */
static void thp_bo_swapout(const char *shmem_mode, uint64_t bytes, struct thp_run *r)
{
	struct igt_vmstat *a, *b, *s, *d;
	struct client *c;
	uint64_t chunks;

	set_shmem_thp(shmem_mode);
	c = client_new(dev.fd);
	client_add_bos(c, thp_sizes, ARRAY_SIZE(thp_sizes), bytes);
	chunks = c->bytes / CHUNK;
	client_fill(c, opt.seed, NULL);
	print_buddy("after fill");

	a = igt_vmstat_snapshot();
	shrink_measured(c);
	b = igt_vmstat_snapshot();
	d = igt_vmstat_delta(a, b);
	igt_info("backup: %" PRId64 " shmem THPs for %" PRIu64 " chunks\n",
		 thp_allocated(d), chunks);
	r->no_copy = igt_shrink_check_no_copy(d, client_pages(c), 100 - MIN_PERCENT);
	r->path = igt_shrink_backup_path(d, client_pages(c), MIN_PERCENT);
	igt_info("backup path measured: %s (shmem_enabled=%s)\n",
		 igt_shrink_backup_path_name(r->path), shmem_mode);
	igt_vmstat_free(d);

	reclaim_to_swap(c->bytes);
	s = igt_vmstat_snapshot();
	print_delta("BO swap-out:", b, s);
	d = igt_vmstat_delta(b, s);
	r->swapout = igt_shrink_thp_verdict(d, chunks, MIN_PERCENT, &r->f);
	print_thp("BOs", r->swapout, &r->f);
	client_verify(c, "swap-in + verify");
	print_buddy("after restore");
	igt_knob_restore_all();
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	igt_vmstat_free(s);
	igt_vmstat_free(d);
	client_free(c);
}

/* The copy path: backup into shmem THPs, which must go to swap whole */
static void test_thp_swapout(unsigned int flags)
{
	struct igt_thp_swapout f;
	struct thp_run r;
	enum igt_thp_verdict v;
	uint64_t bytes;
	bool forced;

	require_swap();
	bytes = thp_size();
	v = thp_control(bytes, &f);
	igt_require_f(v == IGT_THP_WHOLE,
		      "this kernel and swap device cannot swap a plain shmem THP whole "
		      "(control: %s, %" PRId64 " of %" PRId64 " whole, %" PRId64
		      " fell back, %" PRId64 " split; swap rotational=%d)\n",
		      igt_shrink_thp_verdict_name(v), f.whole, f.chunks, f.fallback, f.split,
		      igt_swap_rotational());
	forced = set_backup_insert(false);
	if (forced)
		igt_info("ttm.backup_insert=N: measuring the copy path\n");
	thp_bo_swapout("always", bytes, &r);
	igt_require_f(r.path != IGT_THP_BACKUP_INSERT,
		      "this kernel inserts the BOs' pages into shmem instead of copying "
		      "them%s: the copy path cannot be measured here (thp-zero-copy "
		      "measures insertion)\n",
		      forced ? ", even with ttm.backup_insert=N" : " and cannot be told not to");
	igt_assert_f(r.swapout == IGT_THP_WHOLE, "BO THPs did not reach swap whole: %s (path: %s)\n",
		     igt_shrink_thp_verdict_name(r.swapout), igt_shrink_backup_path_name(r.path));
}

/*
 * The zero-copy path. On a kernel without it the same run is still made
 * (on the shrinker path) so its figures show what the copy does instead.
 */
static void test_thp_zero_copy(unsigned int flags)
{
	char missing[128];
	struct thp_run r;
	bool has;

	require_swap();
	igt_require_f(dev.swap_path == IGT_TTM_SHRINKER,
		      "zero-copy insertion is in the shrinker backup path; this driver uses %s\n",
		      igt_ttm_swap_path_name(dev.swap_path));
	has = igt_ttm_has_zero_copy(missing, sizeof(missing));
	if (has && set_backup_insert(true))
		igt_info("ttm.backup_insert=Y\n");
	thp_bo_swapout("never", thp_size(), &r);
	igt_require_f(has,
		      "kernel lacks zero-copy shmem insertion: no %s in /proc/kallsyms "
		      "(measured instead: %s, THP swapout %s)\n",
		      missing, igt_shrink_backup_path_name(r.path),
		      igt_shrink_thp_verdict_name(r.swapout));
	igt_assert_f(r.no_copy, "shrinking allocated a copy of the BOs (path: %s)\n",
		     igt_shrink_backup_path_name(r.path));
	igt_assert_f(r.path == IGT_THP_BACKUP_INSERT, "backup path: %s, not zero-copy insertion\n",
		     igt_shrink_backup_path_name(r.path));
	igt_assert_f(r.swapout == IGT_THP_WHOLE, "BO THPs did not reach swap whole: %s\n",
		     igt_shrink_thp_verdict_name(r.swapout));
}

/* What the children of multi-process share: how many judged by their fdinfo */
struct multi_shared {
	unsigned int by_fdinfo;
};

static void test_multi_process(unsigned int flags)
{
	const unsigned int nproc = 3;
	struct multi_shared *shared;
	struct igt_vmstat *a, *d;
	struct igt_meet *swapped;
	uint64_t bytes;
	bool swapped_enough;

	require_swap();
	bytes = plan_subtest(IGT_SHRINK_SYSTEM, 1, 1, IGT_SHRINK_PROBE_BYTES).total / nproc;
	/* a failed child fails the subtest here; the exit unmaps these then */
	swapped = igt_meet_new(nproc);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	igt_assert(shared != MAP_FAILED);
	shared->by_fdinfo = 0;
	a = igt_vmstat_snapshot();
	igt_fork(child, nproc) {
		int fd = drm_open_driver(DRIVER_ANY);
		struct client *c = client_new(fd);
		struct round r;

		client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), bytes);
		client_fill(c, opt.seed + child, &r);
		shrink_to_shmem(c);
		/* the others' reclaim competes: a few rounds, judged by our fdinfo */
		for (int i = 0; i < RECLAIM_TRIES; i++) {
			igt_reclaim_memory(c->bytes + c->bytes / 4);
			r.shrunk = client_mem(c);
			if (!c->tracks || bos_left(c, &r))
				break;
		}
		assert_bos_left(c, &r, "the child's shrink + swap-out");
		if (c->tracks)
			__atomic_add_fetch(&shared->by_fdinfo, 1, __ATOMIC_SEQ_CST);
		/*
		 * Nobody reads back while a sibling still reclaims: its
		 * memory.reclaim would push our BOs out again before we count
		 * them back (seen: 1.0 of 13.1 MiB came back).
		 */
		igt_meet(swapped, SUBTEST_TIMEOUT / 2, "swapped out");
		client_verify(c, "child swap-in + verify");
		assert_bos_back(c, &r);
		client_free(c);
		drm_close_driver(fd);
	}
	igt_waitchildren_timeout(SUBTEST_TIMEOUT - 20, "multi-process children");
	igt_meet_free(swapped);
	d = igt_vmstat_delta_since(a);
	igt_vmstat_print(d, "all children:", swap_counters);
	swapped_enough = igt_shrink_check_swapped(d, nproc * (bytes / SZ_4K) * 3 / 4,
						  MIN_PERCENT);
	igt_vmstat_free(d);
	/*
	 * Each child judged its own BOs by its fdinfo where the driver counts
	 * them; system-wide swap traffic, which any process can make, is then
	 * only a figure. It decides only for a child that had no such counter.
	 */
	igt_info("%u of %u children judged their BOs by their fdinfo\n",
		 shared->by_fdinfo, nproc);
	if (shared->by_fdinfo < nproc)
		igt_assert_f(swapped_enough, "the children's BOs were not swapped\n");
	munmap(shared, sizeof(*shared));
}

static void test_low_memory(unsigned int flags)
{
	struct igt_vmstat *a, *b;
	uint64_t avail_mb, swap_mb;
	struct client *c;
	struct plan p;

	require_swap();
	/* on a slow (loaded) machine less than 90%, but 64 MiB: no timeout */
	p = plan_subtest(IGT_SHRINK_FILL_RAM, 1, 1, SZ_64M);
	avail_mb = meminfo_mb("MemAvailable");
	swap_mb = igt_swap_free_mb();
	igt_require_f(swap_mb >= p.total / SZ_1M * 6 / 10 && p.total >= SZ_64M,
		      "needs free swap for 60%% of the BOs: %" PRIu64 " MiB of BOs, %" PRIu64
		      " MiB available, %" PRIu64 " MiB swap free\n",
		      p.total / SZ_1M, avail_mb, swap_mb);
	a = igt_vmstat_snapshot();
	c = client_new(dev.fd);
	client_add_bos(c, mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	swap_round(c, opt.seed, true);
	b = igt_vmstat_snapshot();
	igt_info("OOM kills: %" PRId64 "\n",
		 igt_vmstat_get(b, "oom_kill") - igt_vmstat_get(a, "oom_kill"));
	igt_assert_eq_u64(igt_vmstat_get(b, "oom_kill"), igt_vmstat_get(a, "oom_kill"));
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	client_free(c);
}

/*
 * Whatever a subtest left behind (the pressure child, settings, its
 * clients' BOs), so the next one starts clean
 */
static void subtest_cleanup(void)
{
	igt_pressure_kill_all();
	igt_knob_restore_all();
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i])
			client_free(live[i]);
	dev.wc = false;
	igt_reset_timeout();
}

/*
 * A virtual TTM driver may map every BO write-combined when loaded with the
 * module parameter wc=1: the WC variants then run on its dumb buffers.
 */
static bool driver_maps_wc(void)
{
	char module[64] = "", path[128], wc[8] = "";
	int fd;

	if (igt_ttm_driver_module(dev.fd, module, sizeof(module)))
		return false;
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/wc", module);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	if (read(fd, wc, sizeof(wc) - 1) < 0)
		wc[0] = '\0';
	close(fd);
	return wc[0] == 'Y' || wc[0] == '1';
}

/* Called in each WC subtest, so that only those show the reason of a skip */
static void require_wc(void)
{
	if (driver_maps_wc())
		return;
	/* the probe's failed lookups are expected: no stray "Last errno" */
	errno = 0;
	igt_require_f(dev.backend.kind == IGT_BO_BACKEND_XE,
		      "WC variants need xe native BOs, or a TTM driver loaded with wc=1 "
		      "(%s here)\n", igt_bo_backend_name(&dev.backend));
	igt_require_f(!xe_has_vram(dev.fd),
		      "discrete xe maps system memory WB whatever cpu_caching says\n");
	dev.wc = true;
}

static const char help_str[] =
	"  --size-mb=N\tTotal BO memory of each subtest in MiB instead of the automatic size\n"
	"  --rounds=N\tRounds of swap-cycle-repeat, 1 to 100 (default 3)\n"
	"  --seed=N\tSeed of the BO contents (default: random, printed)\n";

/* What the subtests change, as found: shows that an earlier run restored it */
static void print_settings(void)
{
	char shmem[32] = "n/a";
	uint64_t limit = 0;

	igt_thp_get("shmem_enabled", shmem, sizeof(shmem));
	igt_ttm_get_pages_limit(&limit);
	igt_info("settings: shmem_enabled %s, ttm pages_limit %" PRIu64 "\n", shmem, limit);
}

static void open_device(void)
{
	char module[64] = "?";

	dev.fd = drm_open_driver(DRIVER_ANY);
	igt_ttm_driver_module(dev.fd, module, sizeof(module));
	dev.swap_path = igt_ttm_swap_path(dev.fd);
	igt_require_f(dev.swap_path != IGT_TTM_NONE,
		      "driver %s does not use TTM\n", module);
	igt_require_f(dev.swap_path == IGT_TTM_SHRINKER || igt_ttm_has_debugfs(),
		      "debugfs ttm/tt_shrink missing (is debugfs mounted?)\n");
	igt_bo_backend_init(&dev.backend, dev.fd, false);
	igt_info("driver %s, swap path: %s, BOs: %s\n", module,
		 igt_ttm_swap_path_name(dev.swap_path), igt_bo_backend_name(&dev.backend));
	print_settings();
	opt.seed = igt_shrink_seed(opt.seed_set, opt.seed);
}

static const struct subtest {
	const char *name;
	const char *describe;
	void (*func)(unsigned int flags);
	unsigned int flags;
} subtests[] = {
	{ "swap-cycle", "Mixed-size BOs to shmem, to swap and back, every word checked",
	  test_swap_cycle, 0 },
	{ "swap-cycle-repeat", "swap-cycle for several rounds, a new pattern each round",
	  test_swap_cycle, ROUNDS },
	{ "watermark", "A lowered ttm pages_limit makes TTM swap on populate (legacy path)",
	  test_watermark, 0 },
	{ "pressure",
	  "An anonymous-memory hog alone moves the BOs out and back (kswapd, direct reclaim)",
	  test_pressure, 0 },
	{ "reclaim", "memory.reclaim alone moves the BOs out and back (shrinker path)",
	  test_reclaim, 0 },
	{ "closed-mapping",
	  "BOs whose GEM handles were closed keep their data through their mappings",
	  test_closed_mapping, 0 },
	{ "no-swap", "Without swap, shrinking loses no data; xe shrinks nothing",
	  test_no_swap, 0 },
	{ "thp-control", "Can this kernel and swap device swap a plain shmem THP whole?",
	  test_thp_control, 0 },
	{ "thp-swapout", "2 MiB-aligned BOs reach swap as whole THPs when the kernel can",
	  test_thp_swapout, 0 },
	{ "thp-zero-copy", "Zero-copy shrink: high-order TTM pages reach swap as THPs, no copy",
	  test_thp_zero_copy, 0 },
	{ "multi-process", "Several processes with their own fds and BOs swap at once",
	  test_multi_process, 0 },
	{ "low-memory", "BOs up to 90% of available memory: no OOM kill, contents intact",
	  test_low_memory, 0 },
	{ "swap-cycle-wc", "swap-cycle with write-combined BOs", test_swap_cycle, WC },
	{ "thp-swapout-wc", "thp-swapout with write-combined BOs", test_thp_swapout, WC },
};

int igt_main_args("", igt_shrink_long_opts, help_str, igt_shrink_opt_handler, &opt)
{
	igt_fixture() {
		open_device();
	}

	for (int i = 0; i < ARRAY_SIZE(subtests); i++) {
		const struct subtest *t = &subtests[i];

		igt_describe(t->describe);
		igt_subtest(t->name) {
			if (t->flags & WC)
				require_wc();
			igt_set_timeout(SUBTEST_TIMEOUT, t->name);
			t->func(t->flags);
		}

		/* Also after a failed or skipped subtest: the next starts clean */
		igt_fixture() {
			subtest_cleanup();
		}
	}

	igt_fixture() {
		drm_close_driver(dev.fd);
	}
}
