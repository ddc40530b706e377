// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink contributors
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
#define RECLAIM_TRIES 6
/* Each subtest's timeout; its time budget is a fifth (igt_shrink_time_budget()) */
#define SUBTEST_TIMEOUT 280

/* Flags of a subtest in subtests[] */
#define WC	(1 << 0)	/* write-combined BOs, where the driver maps them so */
#define ROUNDS	(1 << 1)	/* --rounds rounds instead of one */

static struct igt_shrink_opts opt = {
	.rounds = 3,
};

struct bo_set {
	unsigned int count;
	uint64_t bytes;
	uint64_t seed;
	struct igt_backend_bo bo[MAX_BOS];
};

static int drm_fd = -1;
static enum igt_ttm_swap_path swap_path;
static struct igt_bo_backend backend;
static struct bo_set set;	/* global: freed after a failed subtest too */

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

static void set_create(const uint64_t *sizes, unsigned int nsizes, uint64_t bytes)
{
	memset(&set, 0, sizeof(set));
	for (unsigned int i = 0; set.count < MAX_BOS; i++) {
		uint64_t size = sizes[i % nsizes];
		struct igt_backend_bo *bo = &set.bo[set.count];
		int err;

		if (set.bytes + size > bytes)
			break;
		err = igt_bo_backend_create(&backend, size, bo);
		igt_assert_f(!err, "creating a %" PRIu64 " KiB BO failed: %s\n",
			     size / SZ_1K, strerror(-err));
		set.bytes += bo->size;
		set.count++;
	}
	igt_assert(set.count);
	print_buddy("before");
	igt_info("%u BOs, %" PRIu64 " MiB (%s)\n", set.count, set.bytes / SZ_1M,
		 igt_bo_backend_name(&backend));
}

static void set_destroy(void)
{
	if (set.count)
		print_buddy("after");
	for (unsigned int i = 0; i < set.count; i++)
		igt_bo_backend_destroy(&backend, &set.bo[i]);
	set.count = 0;
	set.bytes = 0;
}

static uint64_t set_pages(void)
{
	return set.bytes / SZ_4K;
}

/*
 * The BOs' own counters: this client's fdinfo, when the driver prints
 * drm-resident-*. System-wide counters cannot tell the BOs' pages from
 * anyone else's (a memory hog swaps its own pages too).
 */
static struct {
	bool tracks;
	struct igt_client_mem filled;
} bo_mem;

static struct igt_client_mem client_mem(void)
{
	struct igt_client_mem m = {};

	__igt_client_mem(drm_fd, &m);
	return m;
}

/* Just after a fill: does fdinfo show the BOs as resident? */
static void bo_mem_start(void)
{
	bo_mem.filled = client_mem();
	bo_mem.tracks = igt_client_mem_tracks(&bo_mem.filled, set.bytes);
	igt_info("BO counters: %s\n", bo_mem.tracks ?
		 "this client's fdinfo (drm-resident-*)" :
		 "none in fdinfo; resident shmem and swap deltas");
}

static bool bos_left(const struct igt_client_mem *now)
{
	return bo_mem.filled.resident > now->resident &&
	       (bo_mem.filled.resident - now->resident) * 100 >= set.bytes * MIN_PERCENT;
}

/* Where fdinfo counts the BOs, at least MIN_PERCENT of them left memory */
static void assert_bos_left(struct igt_client_mem *out, const char *how)
{
	*out = client_mem();
	if (bo_mem.tracks)
		igt_assert_f(igt_shrink_check_left(&bo_mem.filled, out, set.bytes,
						       MIN_PERCENT),
			     "%s did not move the BOs out of memory (client fdinfo)\n", how);
}

/* ... and came back when read */
static void assert_bos_back(const struct igt_client_mem *out)
{
	struct igt_client_mem back = client_mem();

	if (bo_mem.tracks)
		igt_assert_f(igt_shrink_check_back(out, &back, set.bytes, MIN_PERCENT),
			     "the BOs did not come back into memory (client fdinfo)\n");
}

static void set_fill(uint64_t seed)
{
	struct timespec start = {};

	set.seed = seed;
	igt_gettime(&start);
	for (unsigned int i = 0; i < set.count; i++) {
		struct igt_backend_bo *bo = &set.bo[i];

		igt_assert(igt_bo_backend_map(&backend, bo));
		igt_bo_pattern_fill(bo->map, bo->size, seed, i);
		/* no CPU mapping left: nothing keeps the pages resident */
		igt_bo_backend_unmap(bo);
	}
	igt_info("fill: %.1f MiB/s\n", mibps(set.bytes, elapsed_s(&start)));
	bo_mem_start();
}

/* Maps every BO again (faulting it back in) and checks every word */
static void set_verify(const char *what)
{
	struct timespec start = {};
	unsigned int bad = 0;

	igt_gettime(&start);
	for (unsigned int i = 0; i < set.count; i++) {
		struct igt_backend_bo *bo = &set.bo[i];

		igt_assert(igt_bo_backend_map(&backend, bo));
		if (!igt_bo_pattern_check(bo->map, bo->size, set.seed, i))
			bad++;
		igt_bo_backend_unmap(bo);
	}
	igt_info("%s: %.1f MiB/s\n", what, mibps(set.bytes, elapsed_s(&start)));
	igt_assert_f(!bad, "%u of %u BOs corrupted\n", bad, set.count);
}

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

/*
 * Moves BO pages out of the driver into shmem, the driver's own way: the xe
 * shrinker runs from drop_caches; the legacy path swaps one BO per read of
 * ttm/tt_shrink. Returns the pages that went to shmem.
 */
static int64_t shrink_to_shmem(uint64_t pages)
{
	struct igt_vmstat *a = igt_vmstat_snapshot(), *d;
	struct timespec start = {};
	int64_t moved, reported = 0;

	igt_gettime(&start);
	if (swap_path == IGT_TTM_SHRINKER)
		igt_reclaim_drop_caches(3);
	else
		reported = igt_ttm_tt_shrink(pages + pages / 8, 4 * set.count + 64,
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

static const uint64_t probe_sizes[] = { SZ_2M };

/* The probe's steps (igt_shrink_probe()) on a set of its own */
static uint64_t probe_fill(void *data)
{
	set_create(probe_sizes, ARRAY_SIZE(probe_sizes), IGT_SHRINK_PROBE_BYTES);
	set_fill(opt.seed);
	return set.bytes;
}

static uint64_t probe_shrink(void *data)
{
	return max_t(int64_t, shrink_to_shmem(set_pages()), 0) * SZ_4K;
}

static uint64_t probe_swap_out(void *data)
{
	reclaim_to_swap(set.bytes);
	return set.bytes;
}

static uint64_t probe_swap_in(void *data)
{
	set_verify("probe read back");
	return set.bytes;
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
	struct igt_shrink_rates r;

	r = igt_shrink_probe(IGT_SHRINK_PROBE_BYTES, &ops, NULL);
	set_destroy();
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
 * The BO bytes of a subtest (igt_shrink_plan_total()): --size-mb when
 * given, else what memory allows for @target, cut to what @passes rounds can
 * move within the time budget at the rates this machine shows now, but not
 * below @min_bytes; an automatic total is then divided by @share (subtests
 * that leave room for a hog or a control).
 */
static struct plan plan_subtest(enum igt_shrink_target target, unsigned int passes,
				unsigned int share, uint64_t min_bytes)
{
	struct igt_shrink_resources res = {
		.user_size = opt.size_mb * SZ_1M,
	};
	struct plan p = { .target = target };

	/* What the page cache holds is nothing a shrinker test can count on */
	igt_purge_vm_caches(drm_fd);
	igt_shrink_resources_now(&res);
	if (!opt.size_mb) {
		p.rates = measure_rates(target != IGT_SHRINK_NO_SWAP);
		p.measured = true;
	}
	p.total = igt_shrink_plan_total(&res, target, p.measured ? &p.rates : NULL,
					SUBTEST_TIMEOUT, passes, min_bytes);
	if (!opt.size_mb)
		p.total /= share;
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

static volatile uint64_t bench_sink;

static void run_memset(void *arg, struct igt_backend_bo *bo)
{
	memset(bo->map, 0x5a, bo->size);
}

static void run_fill(void *arg, struct igt_backend_bo *bo)
{
	igt_bo_pattern_fill(bo->map, bo->size, set.seed, *(uint32_t *)arg);
}

static void run_memcmp(void *arg, struct igt_backend_bo *bo)
{
	bench_sink += memcmp(bo->map, arg, bo->size);
}

static void run_verify(void *arg, struct igt_backend_bo *bo)
{
	bench_sink += igt_bo_pattern_verify(bo->map, bo->size, set.seed,
					    *(uint32_t *)arg, NULL);
}

/*
 * Pattern fill and verify against memset() and memcmp() over the same BO
 * mapping (the largest BO, resident), best of three each: the figures show
 * what checking every word costs on this machine.
 */
static void bench_pattern(void)
{
	struct igt_backend_bo *bo;
	double t_memset, t_fill, t_memcmp, t_verify;
	uint32_t index = 0;
	void *copy;

	for (uint32_t i = 1; i < set.count; i++)
		if (set.bo[i].size > set.bo[index].size)
			index = i;
	bo = &set.bo[index];
	igt_assert(igt_bo_backend_map(&backend, bo));
	t_memset = best_of_3(run_memset, NULL, bo);
	t_fill = best_of_3(run_fill, &index, bo);
	copy = malloc(bo->size);
	igt_assert(copy);
	memcpy(copy, bo->map, bo->size);
	t_memcmp = best_of_3(run_memcmp, copy, bo);
	t_verify = best_of_3(run_verify, &index, bo);
	free(copy);
	igt_info("pattern speed on a %" PRIu64 " MiB BO mapping: "
		 "fill %.0f MiB/s (memset %.0f, %.0f%%), verify %.0f MiB/s (memcmp %.0f, %.0f%%)\n",
		 bo->size / SZ_1M,
		 mibps(bo->size, t_fill), mibps(bo->size, t_memset), 100 * t_memset / t_fill,
		 mibps(bo->size, t_verify), mibps(bo->size, t_memcmp),
		 100 * t_memcmp / t_verify);
	igt_assert(igt_bo_pattern_check(bo->map, bo->size, set.seed, index));
	igt_bo_backend_unmap(bo);
}

/*
 * One fill, shrink, swap-out, swap-in round over the current set. With
 * @crowded (BOs near the size of available memory) reading the last BOs
 * back may push the first ones out again, so that fewer are resident at the
 * end although every one came back to be checked: "came back" is then only
 * printed, the contents are the proof.
 */
static void swap_round(uint64_t seed, bool crowded)
{
	struct igt_vmstat *a, *b, *c, *d;
	struct igt_client_mem out;
	uint64_t pages = set_pages();

	set_fill(seed);
	set_verify("verify resident");
	if (seed == opt.seed)
		bench_pattern();
	a = igt_vmstat_snapshot();
	shrink_to_shmem(pages);
	b = igt_vmstat_snapshot();
	reclaim_to_swap(set.bytes);
	c = igt_vmstat_snapshot();
	print_delta("shrink + swap-out:", a, c);

	d = igt_vmstat_delta(b, c);
	igt_assert(d);
	igt_assert_f(igt_shrink_check_backup_swapped(d, pages, MIN_PERCENT),
		     "the BOs did not leave memory: nothing (or too little) was swapped\n");
	igt_vmstat_free(d);
	assert_bos_left(&out, "shrink + swap-out");

	set_verify("swap-in + verify");
	if (crowded) {
		struct igt_client_mem back = client_mem();

		if (bo_mem.tracks)
			igt_shrink_check_back(&out, &back, set.bytes, MIN_PERCENT);
	} else {
		assert_bos_back(&out);
	}
	d = igt_vmstat_snapshot();
	print_delta("swap-in:", c, d);
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	igt_vmstat_free(c);
	igt_vmstat_free(d);
}

static void test_swap_cycle(unsigned int flags)
{
	unsigned int rounds = flags & ROUNDS ? opt.rounds : 1;
	struct plan p;

	require_swap();
	p = plan_subtest(IGT_SHRINK_SYSTEM, rounds, 1, IGT_SHRINK_PROBE_BYTES);
	set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	for (unsigned int r = 0; r < rounds; r++) {
		igt_info("round %u of %u\n", r + 1, rounds);
		swap_round(opt.seed + r, false);
	}
	set_destroy();
}

static void test_watermark(unsigned int flags)
{
	struct igt_vmstat *a, *b;
	uint64_t old, limit;
	struct plan p;
	int64_t moved;

	igt_require_f(swap_path == IGT_TTM_LEGACY,
		      "pages_limit only applies to the legacy swap path "
		      "(xe BOs are external to it)\n");
	igt_require_f(!igt_ttm_get_pages_limit(&old), "no ttm pages_limit parameter\n");

	p = plan_subtest(IGT_SHRINK_NO_SWAP, 1, 1, IGT_SHRINK_PROBE_BYTES);
	set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	limit = set_pages() / 2;
	igt_info("pages_limit %" PRIu64 " -> %" PRIu64 "\n", old, limit);
	igt_ttm_set_pages_limit(limit);

	a = igt_vmstat_snapshot();
	set_fill(opt.seed);
	b = igt_vmstat_snapshot();
	print_delta("fill under the watermark:", a, b);
	moved = (igt_vmstat_get(b, "meminfo.Shmem") -
		 igt_vmstat_get(a, "meminfo.Shmem")) / 4;
	igt_info("swapped to shmem on populate: %" PRId64 " pages, expected at least %"
		 PRIu64 "\n", moved, (set_pages() - limit) * MIN_PERCENT / 100);
	igt_assert_f(moved * 100 >= (int64_t)(set_pages() - limit) * MIN_PERCENT,
		     "TTM did not swap on populate above pages_limit\n");
	set_verify("verify (swapping in under the watermark)");

	igt_assert_eq(igt_ttm_restore_pages_limit(), 0);
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	set_destroy();
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

/* Wait for reclaim to move the BOs out, by their fdinfo: bounded by @timeout_s */
static bool wait_bos_left(struct igt_client_mem *out, unsigned int timeout_s)
{
	igt_until_timeout(timeout_s) {
		*out = client_mem();
		if (bos_left(out))
			return true;
		usleep(200 * 1000);
	}
	*out = client_mem();
	return bos_left(out);
}

/*
 * The hog must be able to outgrow available memory by the BOs' size, or the
 * kernel never needs to move them (igt_pressure_displaces()).
 */
static uint64_t pressure_bytes(void)
{
	uint64_t avail;
	char why[256];

	igt_require_f(igt_pressure_displaces(set.bytes, &avail, why, sizeof(why)), "%s\n", why);
	return avail + 2 * set.bytes;
}

/*
 * How long the hog may take to apply its pressure: touching its memory once
 * and pushing the BOs' worth out, three times over at the measured rates,
 * within bounds that leave the rest of the subtest its time.
 */
static unsigned int pressure_seconds(struct plan *p, uint64_t hog_bytes)
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
		s += 3 * 2 * set.bytes / (double)SZ_1M / r->swap_out;
	return min_t(unsigned int, max_t(unsigned int, s, 60), SUBTEST_TIMEOUT - 60);
}

static void test_pressure(unsigned int flags)
{
	bool legacy = swap_path == IGT_TTM_LEGACY;
	struct igt_client_mem out = {};
	struct igt_vmstat *a, *d;
	struct igt_pressure hog;
	struct timespec start = {};
	uint64_t pages, hog_bytes;
	unsigned int hog_s;
	bool hog_ok, ready;
	struct plan p;

	require_swap();
	p = plan_subtest(IGT_SHRINK_SYSTEM, 1, 2, IGT_SHRINK_PROBE_BYTES);
	set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	pages = set_pages();
	set_fill(opt.seed);
	if (legacy)
		shrink_to_shmem(pages);	/* pressure alone never swaps legacy BOs */
	else
		igt_require_f(bo_mem.tracks,
			      "the driver's fdinfo does not count the BOs as resident: "
			      "nothing to judge them by\n");
	hog_bytes = pressure_bytes();
	hog_s = pressure_seconds(&p, hog_bytes);

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
		wait_bos_left(&out, ready ? 20 : 1);
	hog_ok = igt_pressure_stop(&hog);
	igt_info("pressure: %.1f s, child %s\n", elapsed_s(&start),
		 hog_ok ? "stopped by us" : "killed before (OOM or alarm)");
	/* A hog too slow to touch its memory applied no full pressure */
	igt_require_f(ready || (legacy ? false : bos_left(&out)),
		      "the pressure child could not touch its %" PRIu64 " MiB in %u s on this "
		      "machine: no pressure to judge the BOs by\n", hog.bytes / SZ_1M, hog_s - 10);
	d = igt_vmstat_delta_since(a);
	igt_vmstat_print(d, "under pressure:", swap_counters);
	if (legacy)
		igt_assert_f(igt_shrink_check_backup_swapped(d, pages, MIN_PERCENT),
			     "pressure did not push the BOs' backup to swap\n");
	else
		igt_assert_f(igt_shrink_check_left(&bo_mem.filled, &out, set.bytes,
						       MIN_PERCENT),
			     "pressure did not move the BOs out of memory (client fdinfo)\n");
	igt_vmstat_free(d);
	set_verify("swap-in + verify");
	if (!legacy)
		assert_bos_back(&out);
	set_destroy();
}

/* memory.reclaim alone, no drop_caches: the reclaim path xe's users hit */
static void test_reclaim(unsigned int flags)
{
	struct igt_client_mem out = {};
	struct igt_vmstat *a, *b;
	int tries, partial = 0;
	struct plan p;

	require_swap();
	igt_require_f(swap_path == IGT_TTM_SHRINKER,
		      "memory.reclaim reaches TTM BOs only through a driver's shrinker; "
		      "this driver takes the %s path\n", igt_ttm_swap_path_name(swap_path));
	p = plan_subtest(IGT_SHRINK_SYSTEM, 1, 1, IGT_SHRINK_PROBE_BYTES);
	set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	set_fill(opt.seed);
	igt_require_f(bo_mem.tracks,
		      "the driver's fdinfo does not count the BOs as resident: "
		      "nothing to judge them by\n");

	a = igt_vmstat_snapshot();
	for (tries = 1; tries <= RECLAIM_TRIES; tries++) {
		/* EAGAIN: less than asked, not an error */
		partial += igt_reclaim_memory(set.bytes + set.bytes / 4);
		out = client_mem();
		if (bos_left(&out))
			break;
	}
	b = igt_vmstat_snapshot();
	igt_info("%d memory.reclaim writes, %d partial\n", min(tries, RECLAIM_TRIES), partial);
	print_delta("memory.reclaim:", a, b);
	igt_assert_f(igt_shrink_check_left(&bo_mem.filled, &out, set.bytes, MIN_PERCENT),
		     "memory.reclaim did not move the BOs out of memory (client fdinfo)\n");
	set_verify("swap-in + verify");
	assert_bos_back(&out);
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	set_destroy();
}

/*
 * GEM handles closed, CPU mappings kept: the mappings still own the data.
 * Every other BO keeps its handle, the control that the trigger moved BOs
 * (judged by fdinfo, where the closed ones no longer count).
 */
static void test_closed_mapping(unsigned int flags)
{
	struct igt_client_mem open_filled, out;
	struct igt_vmstat *a, *b;
	uint64_t open_bytes = 0;
	unsigned int closed = 0;
	struct plan p;

	require_swap();
	p = plan_subtest(IGT_SHRINK_SYSTEM, 1, 2, IGT_SHRINK_PROBE_BYTES);
	set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	igt_require_f(set.count >= 2, "room for %u BO: need 2\n", set.count);
	set_fill(opt.seed);
	for (unsigned int i = 0; i < set.count; i++) {
		struct igt_backend_bo *bo = &set.bo[i];

		if (!(i & 1)) {
			open_bytes += bo->size;
			continue;
		}
		igt_assert(igt_bo_backend_map(&backend, bo));
		gem_close(backend.fd, bo->handle);
		bo->handle = 0;	/* set_destroy() only unmaps it */
		closed++;
	}
	open_filled = client_mem();
	igt_info("%u GEM handles closed, their mappings kept; %" PRIu64
		 " MiB of BOs kept open\n", closed, open_bytes / SZ_1M);

	a = igt_vmstat_snapshot();
	shrink_to_shmem(set_pages());
	reclaim_to_swap(set.bytes);
	b = igt_vmstat_snapshot();
	print_delta("shrink + swap-out with closed handles:", a, b);
	out = client_mem();
	set_verify("read back through the mappings");
	if (bo_mem.tracks)
		igt_assert_f(igt_shrink_check_left(&open_filled, &out, open_bytes,
						       MIN_PERCENT),
			     "the BOs kept open did not leave memory: the trigger moved nothing\n");
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	set_destroy();
}

static void test_no_swap(unsigned int flags)
{
	uint64_t pages;
	int64_t moved;
	struct plan p;

	igt_require_f(!igt_swap_active(), "swap is active; this needs a machine without swap\n");
	p = plan_subtest(IGT_SHRINK_NO_SWAP, 1, 1, IGT_SHRINK_PROBE_BYTES);
	set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	pages = set_pages();
	set_fill(opt.seed);
	moved = shrink_to_shmem(pages);
	if (swap_path == IGT_TTM_SHRINKER)
		igt_assert_f(moved * 100 < (int64_t)pages * (100 - MIN_PERCENT),
			     "xe shrank %" PRId64 " pages with no swap to go to\n", moved);
	if (igt_reclaim_has_memory_reclaim())
		igt_reclaim_memory(set.bytes);
	set_verify("verify");
	set_destroy();
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

static void shrink_measured(uint64_t pages)
{
	struct free_low s;
	long before, low;
	int fd;

	fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	igt_assert_fd(fd);
	before = meminfo_free_kib(fd);
	close(fd);
	free_low_start(&s);
	shrink_to_shmem(pages);
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
	struct igt_vmstat *a, *b, *c, *d;
	uint64_t chunks;

	set_shmem_thp(shmem_mode);
	set_create(thp_sizes, ARRAY_SIZE(thp_sizes), bytes);
	chunks = set.bytes / CHUNK;
	set_fill(opt.seed);
	print_buddy("after fill");

	a = igt_vmstat_snapshot();
	shrink_measured(set_pages());
	b = igt_vmstat_snapshot();
	d = igt_vmstat_delta(a, b);
	igt_info("backup: %" PRId64 " shmem THPs for %" PRIu64 " chunks\n",
		 thp_allocated(d), chunks);
	r->no_copy = igt_shrink_check_no_copy(d, set_pages(), 100 - MIN_PERCENT);
	r->path = igt_shrink_backup_path(d, set_pages(), MIN_PERCENT);
	igt_info("backup path measured: %s (shmem_enabled=%s)\n",
		 igt_shrink_backup_path_name(r->path), shmem_mode);
	igt_vmstat_free(d);

	reclaim_to_swap(set.bytes);
	c = igt_vmstat_snapshot();
	print_delta("BO swap-out:", b, c);
	d = igt_vmstat_delta(b, c);
	r->swapout = igt_shrink_thp_verdict(d, chunks, MIN_PERCENT, &r->f);
	print_thp("BOs", r->swapout, &r->f);
	set_verify("swap-in + verify");
	print_buddy("after restore");
	igt_knob_restore_all();
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	igt_vmstat_free(c);
	igt_vmstat_free(d);
	set_destroy();
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
	igt_require_f(swap_path == IGT_TTM_SHRINKER,
		      "zero-copy insertion is in the shrinker backup path; this driver uses %s\n",
		      igt_ttm_swap_path_name(swap_path));
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
		struct igt_client_mem out;

		drm_fd = drm_open_driver(DRIVER_ANY);
		igt_bo_backend_init(&backend, drm_fd, backend.wc);
		set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), bytes);
		set_fill(opt.seed + child);
		shrink_to_shmem(set_pages());
		/* the others' reclaim competes: a few rounds, judged by our fdinfo */
		for (int i = 0; i < RECLAIM_TRIES; i++) {
			igt_reclaim_memory(set.bytes + set.bytes / 4);
			out = client_mem();
			if (!bo_mem.tracks || bos_left(&out))
				break;
		}
		assert_bos_left(&out, "the child's shrink + swap-out");
		if (bo_mem.tracks)
			__atomic_add_fetch(&shared->by_fdinfo, 1, __ATOMIC_SEQ_CST);
		/*
		 * Nobody reads back while a sibling still reclaims: its
		 * memory.reclaim would push our BOs out again before we count
		 * them back (seen: 1.0 of 13.1 MiB came back).
		 */
		igt_meet(swapped, SUBTEST_TIMEOUT / 2, "swapped out");
		set_verify("child swap-in + verify");
		assert_bos_back(&out);
		set_destroy();
		drm_close_driver(drm_fd);
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
	set_create(mixed_sizes, ARRAY_SIZE(mixed_sizes), p.total);
	swap_round(opt.seed, true);
	b = igt_vmstat_snapshot();
	igt_info("OOM kills: %" PRId64 "\n",
		 igt_vmstat_get(b, "oom_kill") - igt_vmstat_get(a, "oom_kill"));
	igt_assert_eq_u64(igt_vmstat_get(b, "oom_kill"), igt_vmstat_get(a, "oom_kill"));
	igt_vmstat_free(a);
	igt_vmstat_free(b);
	set_destroy();
}

/* Whatever a subtest left behind, so the next one starts clean */
static void subtest_cleanup(void)
{
	igt_pressure_kill_all();
	igt_knob_restore_all();
	set_destroy();
	backend.wc = false;
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

	if (igt_ttm_driver_module(drm_fd, module, sizeof(module)))
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
	igt_require_f(backend.kind == IGT_BO_BACKEND_XE,
		      "WC variants need xe native BOs, or a TTM driver loaded with wc=1 "
		      "(%s here)\n", igt_bo_backend_name(&backend));
	igt_require_f(!xe_has_vram(drm_fd),
		      "discrete xe maps system memory WB whatever cpu_caching says\n");
	backend.wc = true;
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

	drm_fd = drm_open_driver(DRIVER_ANY);
	igt_ttm_driver_module(drm_fd, module, sizeof(module));
	swap_path = igt_ttm_swap_path(drm_fd);
	igt_require_f(swap_path != IGT_TTM_NONE,
		      "driver %s does not use TTM\n", module);
	igt_require_f(swap_path == IGT_TTM_SHRINKER || igt_ttm_has_debugfs(),
		      "debugfs ttm/tt_shrink missing (is debugfs mounted?)\n");
	igt_bo_backend_init(&backend, drm_fd, false);
	igt_info("driver %s, swap path: %s, BOs: %s\n", module,
		 igt_ttm_swap_path_name(swap_path), igt_bo_backend_name(&backend));
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
		drm_close_driver(drm_fd);
	}
}
