// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

/**
 * TEST: xe evict shrink
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: Memory management
 * Functionality: xe shrinker, VRAM eviction, swap
 * Run type: FULL
 * Description: Buffer objects in system memory, and VRAM buffer objects
 *	evicted to system memory, are backed up by the xe shrinker to shmem and
 *	swap and restored when the CPU or the GPU touches them again; every
 *	word is checked afterwards.
 */

/**
 * SUBTEST: system-%s
 * Description: Idle system-memory BOs are shrunk by %arg[1], then every
 *	word is checked through the CPU mapping. A run where nothing was
 *	shrunk fails.
 * Test category: functionality test
 *
 * arg[1]:
 *
 * @drop-caches:	drop_caches: backed up to shmem (shmem grows by at
 *			least 80% of the BO bytes, then shrinks as they are
 *			restored)
 * @reclaim:		the root cgroup's memory.reclaim: pushed on to swap
 *			(swap-out covers at least 80% of the BO pages)
 * @pressure:		an anonymous-memory child waking kswapd, the path that
 *			writes back at once (some BO pages must be restored)
 */

/**
 * SUBTEST: system-%s-wc
 * Description: The system subtest of %arg[1] with BOs created with
 *	write-combined CPU caching (honoured on integrated GPUs; discrete GPUs
 *	map system memory write-back, and the test says which it got).
 * Test category: functionality test
 *
 * arg[1]:
 *
 * @drop-caches:	drop_caches
 * @reclaim:		memory.reclaim
 * @pressure:		memory pressure
 */

/**
 * SUBTEST: system-%s-gpu
 * Description: The system subtest of %arg[1] with the GPU in the loop: before
 *	the shrink the GPU writes one dword per 4 KiB page of every BO, which
 *	the CPU finds after the restore; after the shrink the GPU reads another
 *	dword per page of every BO (restoring them through the VM bindings kept
 *	in place) into a result BO the CPU checks.
 * Test category: functionality test
 *
 * arg[1]:
 *
 * @drop-caches:	drop_caches
 * @reclaim:		memory.reclaim
 * @pressure:		memory pressure
 */

/**
 * SUBTEST: vram-evict-%s
 * Description: Discrete only: BOs placed in VRAM, about 1.25 times the
 *	CPU-visible VRAM, so that some are evicted to system memory; %arg[1]
 *	shrinks the evicted ones; every BO is then checked by the GPU (one
 *	dword per page) and by the CPU (every word).
 * Test category: functionality test
 *
 * arg[1]:
 *
 * @drop-caches:	drop_caches
 * @reclaim:		memory.reclaim
 */

/**
 * SUBTEST: busy
 * Description: While a GPU job keeps the BOs of one VM busy, drop_caches
 *	shrinks only the idle BOs of another VM; once the job ends the busy
 *	ones shrink too, and no word of either is corrupted.
 * Test category: functionality test
 *
 * SUBTEST: no-swap
 * Description: With no swap active the xe shrinker counts nothing: drop_caches
 *	must shrink nothing and leave every word intact. Skips when swap is
 *	active.
 * Test category: functionality test
 *
 * SUBTEST: multi-client
 * Description: Several processes, each with its own device fd, VM and BOs,
 *	are shrunk by one drop_caches and check their own BOs afterwards.
 * Test category: functionality test
 *
 * SUBTEST: external
 * Description: BOs created without a VM and exported as dma-buf are shrunk
 *	and restored like private ones, checked by the GPU and the CPU.
 * Test category: functionality test
 *
 * SUBTEST: purgeable
 * Description: Where the kernel reports purging support: BOs marked DONTNEED
 *	are dropped by drop_caches, not backed up, and report they were purged;
 *	WILLNEED BOs survive intact. Skips elsewhere, naming the missing flag.
 * Test category: functionality test
 *
 * SUBTEST: cycles
 * Description: Several shrink and restore rounds (--rounds), with a new
 *	pattern written each round.
 * Test category: functionality test
 *
 * SUBTEST: over-ram
 * Description: BOs totalling 1.5 times RAM, with enough free swap for the
 *	excess, then memory.reclaim; every word is checked. Stress: not for
 *	quick CI lists.
 * Test category: stress test
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "drmtest.h"
#include "igt_aux.h"
#include "igt_os.h"
#include "igt_syncobj.h"
#include "ioctl_wrappers.h"
#include "intel_gpu_commands.h"
#include "xe/xe_ioctl.h"
#include "xe/xe_query.h"

#include "igt_bo_pattern.h"
#include "igt_knob.h"
#include "igt_reclaim.h"
#include "igt_shrink_opts.h"
#include "igt_shrink_plan.h"
#include "igt_swap.h"
#include "igt_vmstat.h"
#include "intel_sample_batch.h"

IGT_TEST_DESCRIPTION("The xe shrinker and VRAM eviction: BO contents survive "
		     "backup to shmem and swap, proven by the CPU and the GPU.");

#define MIB ((uint64_t)1024 * 1024)
#define PAGE_SZ ((uint64_t)4096)
#define MAX_BO (64 * MIB)
#define QUICK_CAP (512 * MIB)
#define MIN_PERCENT 80
#define VRAM_PERCENT 50
#define CLIENTS 4
#define SWAPPINESS "/proc/sys/vm/swappiness"

/* GPU virtual address layout of a client */
#define BATCH_ADDR 0x40000000ull
#define RESULT_ADDR 0x80000000ull
#define BO_ADDR 0x100000000ull

enum trigger {
	DROP_CACHES,
	RECLAIM,
	PRESSURE,
};

#define WC		(1 << 0)
#define GPU		(1 << 1)
#define VRAM		(1 << 2)
#define EXTERNAL	(1 << 3)

static struct {
	uint64_t size_mb;
	unsigned int rounds;
	uint64_t seed;
	bool seed_set;
} opt = {
	.rounds = 3,
};

struct bo {
	uint32_t handle;
	uint32_t index;		/* pattern index */
	uint64_t size;
	uint64_t addr;		/* GPU VA when bound, else 0 */
	int dmabuf;		/* exported dma-buf fd, or -1 */
};

struct client {
	int fd;
	uint32_t vm;
	uint32_t queue;
	struct drm_xe_engine_class_instance *eci;
	uint32_t batch, result;
	uint32_t *batch_map, *result_map;
	uint64_t batch_size, result_size;
	struct bo *bos;
	unsigned int count;
	uint64_t next_addr;
};

static const char *trigger_name(enum trigger t)
{
	switch (t) {
	case DROP_CACHES:
		return "drop_caches";
	case RECLAIM:
		return "memory.reclaim";
	case PRESSURE:
		return "memory pressure";
	}
	return "?";
}

static double mib_s(uint64_t bytes, uint64_t ns)
{
	return ns ? (double)bytes / MIB / (ns / 1e9) : 0.0;
}

static struct igt_shrink_resources resources(int fd, bool vram)
{
	struct igt_shrink_resources res = {
		.total_ram = igt_get_total_ram_mb() * MIB,
		.free_swap = igt_get_total_swap_mb() * MIB,
		.user_size = opt.size_mb * MIB,
		.cap = QUICK_CAP,
	};
	struct igt_vmstat *s;

	/*
	 * MemAvailable alone: igt_get_avail_ram_mb() adds the page cache to
	 * it, shmem included, which a shrinker test cannot count on.
	 */
	igt_purge_vm_caches(fd);
	s = igt_vmstat_snapshot();
	igt_assert(s && igt_vmstat_has(s, "meminfo.MemAvailable"));
	res.avail_ram = igt_vmstat_get(s, "meminfo.MemAvailable") * 1024;
	igt_vmstat_free(s);

	if (vram && xe_has_vram(fd))
		res.vram = xe_visible_vram_size(fd, 0);
	return res;
}

static uint64_t plan_size(int fd, enum igt_shrink_target target)
{
	struct igt_shrink_resources res = resources(fd, target == IGT_SHRINK_VRAM);
	char why[256];
	uint64_t total;

	total = igt_shrink_size(&res, target, why, sizeof(why));
	igt_info("memory: RAM %" PRIu64 " MiB total, %" PRIu64 " MiB available, "
		 "free swap %" PRIu64 " MiB, VRAM %" PRIu64 " MiB: using %" PRIu64 " MiB\n",
		 res.total_ram / MIB, res.avail_ram / MIB, res.free_swap / MIB,
		 res.vram / MIB, total / MIB);
	igt_require_f(total, "not enough memory: %s\n", why);
	return total;
}

static struct drm_xe_engine_class_instance *pick_engine(int fd)
{
	struct drm_xe_engine_class_instance *hwe, *any = NULL;

	xe_for_each_engine(fd, hwe) {
		if (hwe->engine_class == DRM_XE_ENGINE_CLASS_COPY ||
		    hwe->engine_class == DRM_XE_ENGINE_CLASS_RENDER ||
		    hwe->engine_class == DRM_XE_ENGINE_CLASS_COMPUTE)
			return hwe;
		if (!any)
			any = hwe;
	}
	igt_require_f(any, "no engine\n");
	return any;
}

static void client_init(struct client *c, int fd, unsigned int max_bos,
			uint64_t max_bo_size, bool gpu)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->vm = xe_vm_create(fd, 0, 0);
	c->bos = calloc(max_bos, sizeof(*c->bos));
	igt_assert(c->bos);
	c->next_addr = BO_ADDR;

	if (!gpu)
		return;

	c->eci = pick_engine(fd);
	c->queue = xe_exec_queue_create(fd, c->vm, c->eci, 0);

	c->batch_size = ALIGN((max_bo_size / PAGE_SZ * INTEL_SAMPLE_READ_DW + 1) * 4,
			      2 * MIB);
	c->batch = xe_bo_create(fd, c->vm, c->batch_size, system_memory(fd), 0);
	c->batch_map = xe_bo_map(fd, c->batch, c->batch_size);
	xe_vm_bind_sync(fd, c->vm, c->batch, 0, BATCH_ADDR, c->batch_size);

	c->result_size = ALIGN(max_bo_size / PAGE_SZ * 4, 2 * MIB);
	c->result = xe_bo_create(fd, c->vm, c->result_size, system_memory(fd), 0);
	c->result_map = xe_bo_mmap_ext(fd, c->result, c->result_size, PROT_READ);
	xe_vm_bind_sync(fd, c->vm, c->result, 0, RESULT_ADDR, c->result_size);
}

static void client_fini(struct client *c)
{
	for (unsigned int i = 0; i < c->count; i++) {
		struct bo *bo = &c->bos[i];

		if (bo->addr)
			xe_vm_unbind_sync(c->fd, c->vm, 0, bo->addr, bo->size);
		if (bo->dmabuf >= 0)
			close(bo->dmabuf);
		gem_close(c->fd, bo->handle);
	}
	if (c->batch) {
		munmap(c->batch_map, c->batch_size);
		munmap(c->result_map, c->result_size);
		xe_vm_unbind_sync(c->fd, c->vm, 0, BATCH_ADDR, c->batch_size);
		xe_vm_unbind_sync(c->fd, c->vm, 0, RESULT_ADDR, c->result_size);
		gem_close(c->fd, c->batch);
		gem_close(c->fd, c->result);
	}
	if (c->queue)
		xe_exec_queue_destroy(c->fd, c->queue);
	xe_vm_destroy(c->fd, c->vm);
	free(c->bos);
}

static void *bo_map(struct client *c, struct bo *bo)
{
	return xe_bo_map(c->fd, bo->handle, bo->size);
}

/* Creates a BO, binds it when the GPU will use it, and fills it. */
static struct bo *add_bo(struct client *c, uint64_t size, uint32_t index,
			 unsigned int flags, uint64_t seed)
{
	struct bo *bo = &c->bos[c->count++];
	uint32_t placement = system_memory(c->fd);
	uint32_t create_flags = 0;
	void *map;

	if (flags & VRAM) {
		placement |= vram_memory(c->fd, 0);
		create_flags |= DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
	}

	bo->size = size;
	bo->index = index;
	bo->dmabuf = -1;
	bo->handle = xe_bo_create_caching(c->fd, flags & EXTERNAL ? 0 : c->vm,
					  size, placement, create_flags,
					  flags & WC ? DRM_XE_GEM_CPU_CACHING_WC :
					  __xe_default_cpu_caching(c->fd, placement,
								   create_flags));
	if (flags & EXTERNAL)
		bo->dmabuf = prime_handle_to_fd(c->fd, bo->handle);

	if (flags & GPU) {
		bo->addr = c->next_addr;
		c->next_addr += ALIGN(size, 2 * MIB);
		xe_vm_bind_sync(c->fd, c->vm, bo->handle, 0, bo->addr, size);
	}

	map = bo_map(c, bo);
	igt_bo_pattern_fill(map, size, seed, index);
	munmap(map, size);
	return bo;
}

static void gpu_run(struct client *c)
{
	xe_exec_wait(c->fd, c->queue, BATCH_ADDR);
}

/* The GPU writes the lane 1 dword of every page of @bo. */
static void gpu_write_samples(struct client *c, struct bo *bo, uint64_t seed)
{
	uint64_t pages = bo->size / PAGE_SZ;
	uint64_t *dst = calloc(pages, sizeof(*dst));
	uint32_t *val = calloc(pages, sizeof(*val));

	igt_assert(dst && val);
	for (uint64_t p = 0; p < pages; p++) {
		dst[p] = bo->addr + igt_shrink_sample_offset(seed, bo->index, p, 1);
		val[p] = igt_shrink_gpu_dword(seed, bo->index, p);
	}
	igt_assert(intel_sample_batch_write(c->batch_map, c->batch_size / 4,
					    dst, val, pages));
	gpu_run(c);
	free(dst);
	free(val);
}

/* The GPU copies the lane 0 dword of every page of @bo; the CPU compares. */
static void gpu_read_samples(struct client *c, struct bo *bo, uint64_t seed)
{
	uint64_t pages = bo->size / PAGE_SZ, bad = 0, first = 0;
	uint64_t *src = calloc(pages, sizeof(*src));

	igt_assert(src);
	for (uint64_t p = 0; p < pages; p++)
		src[p] = bo->addr + igt_shrink_sample_offset(seed, bo->index, p, 0);
	igt_assert(intel_sample_batch_read(c->batch_map, c->batch_size / 4,
					   src, pages, RESULT_ADDR));
	gpu_run(c);

	for (uint64_t p = 0; p < pages; p++) {
		uint64_t off = src[p] - bo->addr;
		uint32_t want = igt_shrink_pattern_dword(seed, bo->index, off);

		if (c->result_map[p] != want && !bad++)
			first = p;
	}
	if (bad) {
		uint64_t off = src[first] - bo->addr;

		igt_assert_f(!bad, "GPU read of BO %u: %" PRIu64 " of %" PRIu64
			     " sampled dwords wrong, first at offset %#" PRIx64
			     ": %#010x, expected %#010x\n", bo->index, bad, pages,
			     off, c->result_map[first],
			     igt_shrink_pattern_dword(seed, bo->index, off));
	}
	free(src);
}

/*
 * Checks every word of @bo through a CPU mapping. With @gpu_wrote, the lane 1
 * dwords must hold what the GPU wrote; they are checked, then given their
 * pattern value back so that the whole BO can be compared with the pattern.
 */
static void cpu_verify(struct client *c, struct bo *bo, uint64_t seed,
		       bool gpu_wrote)
{
	struct igt_bo_pattern_result res;
	uint32_t *map = bo_map(c, bo);
	uint64_t bad;

	if (gpu_wrote) {
		for (uint64_t p = 0; p < bo->size / PAGE_SZ; p++) {
			uint64_t off = igt_shrink_sample_offset(seed, bo->index, p, 1);
			uint32_t want = igt_shrink_gpu_dword(seed, bo->index, p);

			igt_assert_f(map[off / 4] == want,
				     "BO %u offset %#" PRIx64 ": GPU-written dword %#010x, expected %#010x\n",
				     bo->index, off, map[off / 4], want);
			map[off / 4] = igt_shrink_pattern_dword(seed, bo->index, off);
		}
	}

	bad = igt_bo_pattern_verify(map, bo->size, seed, bo->index, &res);
	munmap(map, bo->size);
	igt_assert_f(!bad, "BO %u: %" PRIu64 " of %" PRIu64 " words wrong, first at offset %#"
		     PRIx64 ": %#018" PRIx64 ", expected %#018" PRIx64 "\n",
		     bo->index, res.mismatches, res.words, res.offset, res.found,
		     res.expected);
}

static void report_caching(int fd, unsigned int flags)
{
	if (!(flags & WC))
		return;
	if (xe_has_vram(fd))
		igt_info("caching: WC asked, discrete GPU: the kernel maps system memory write-back\n");
	else
		igt_info("caching: WC asked, integrated GPU: write-combined honoured\n");
}

static struct igt_vmstat *snapshot(void)
{
	struct igt_vmstat *s = igt_vmstat_snapshot();

	igt_assert(s);
	return s;
}

static uint64_t swapped_since(const struct igt_vmstat *start)
{
	struct igt_vmstat *now = snapshot();
	struct igt_vmstat *delta = igt_vmstat_delta(start, now);
	int64_t pages = igt_swap_pages_out(delta);

	igt_vmstat_free(now);
	igt_vmstat_free(delta);
	return pages > 0 ? pages : 0;
}

static void run_trigger(enum trigger t, uint64_t bytes)
{
	struct igt_vmstat *start;
	struct igt_pressure p;
	int err;

	switch (t) {
	case DROP_CACHES:
		igt_assert_eq(igt_reclaim_drop_caches(3), 0);
		break;
	case RECLAIM:
		igt_require_f(igt_reclaim_has_memory_reclaim(),
			      "no writable /sys/fs/cgroup/memory.reclaim (cgroup2)\n");
		start = snapshot();
		igt_knob_set(SWAPPINESS, "100");
		/*
		 * The first pass backs the BOs up to shmem, later ones push
		 * shmem on to swap: stop once swap-out covers the BOs.
		 */
		for (int i = 0; i < 4 && swapped_since(start) < bytes / PAGE_SZ; i++) {
			err = igt_reclaim_memory(bytes);
			igt_assert_f(!err, "memory.reclaim: %s\n", strerror(-err));
		}
		igt_vmstat_free(start);
		break;
	case PRESSURE:
		igt_knob_set(SWAPPINESS, "100");
		err = igt_pressure_start(&p, UINT64_MAX, 60);
		igt_require_f(!err, "no room for a pressure child: %s\n", strerror(-err));
		igt_pressure_wait_ready(&p, 60000);
		igt_pressure_stop(&p);
		break;
	}
}

/* Runs @t and records what it shrank in @counts; returns the nanoseconds taken. */
static uint64_t shrink(enum trigger t, uint64_t bytes, struct igt_shrink_counts *counts)
{
	struct igt_vmstat *before, *after, *delta;
	struct timespec ts = {};
	uint64_t ns;

	before = snapshot();
	igt_nsec_elapsed(&ts);
	run_trigger(t, bytes);
	ns = igt_nsec_elapsed(&ts);
	after = snapshot();
	delta = igt_vmstat_delta(before, after);
	igt_shrink_count_trigger(counts, delta);
	igt_info("%s: %.2f s, %" PRId64 " pages backed up to shmem, %" PRId64
		 " pages swapped out, %.0f MiB/s\n", trigger_name(t), ns / 1e9,
		 counts->backed_up, counts->swapped,
		 mib_s((counts->backed_up > 0 ? counts->backed_up : 0) * PAGE_SZ +
		       (counts->swapped > 0 ? counts->swapped : 0) * PAGE_SZ, ns));
	igt_vmstat_free(before);
	igt_vmstat_free(after);
	igt_vmstat_free(delta);
	return ns;
}

/* Reads every BO back: GPU samples first (restore by the GPU), then the CPU. */
static void restore(struct client *c, uint64_t seed, unsigned int flags,
		    struct igt_shrink_counts *counts)
{
	struct igt_vmstat *before, *after, *delta;
	struct timespec ts = {};
	uint64_t bytes = 0, ns;

	before = snapshot();
	igt_nsec_elapsed(&ts);
	if (flags & GPU)
		for (unsigned int i = 0; i < c->count; i++)
			gpu_read_samples(c, &c->bos[i], seed);
	for (unsigned int i = 0; i < c->count; i++) {
		cpu_verify(c, &c->bos[i], seed, flags & GPU);
		bytes += c->bos[i].size;
	}
	ns = igt_nsec_elapsed(&ts);
	after = snapshot();
	delta = igt_vmstat_delta(before, after);
	igt_shrink_count_restore(counts, delta);
	igt_info("restore and verify%s: %.2f s for %" PRIu64 " MiB (%.0f MiB/s), %"
		 PRId64 " pages restored\n", flags & GPU ? " (GPU then CPU)" : " (CPU)",
		 ns / 1e9, bytes / MIB, mib_s(bytes, ns), counts->restored);
	igt_vmstat_free(before);
	igt_vmstat_free(after);
	igt_vmstat_free(delta);
}

static void judge(const struct igt_shrink_counts *counts, uint64_t pages,
		  enum igt_shrink_expect expect, unsigned int percent)
{
	enum igt_shrink_verdict v = igt_shrink_judge(counts, pages, expect, percent);

	igt_info("verdict: %s (%" PRIu64 " BO pages, %" PRId64 " backed up, %" PRId64
		 " swapped, %" PRId64 " restored, need %u%%)\n",
		 igt_shrink_verdict_name(v), pages, counts->backed_up,
		 counts->swapped, counts->restored, percent);
	igt_assert_f(v == IGT_SHRINK_OK, "shrinker check failed: %s\n",
		     igt_shrink_verdict_name(v));
}

static enum igt_shrink_expect expect_of(enum trigger t)
{
	switch (t) {
	case DROP_CACHES:
		return IGT_SHRINK_EXPECT_BACKUP;
	case RECLAIM:
		return IGT_SHRINK_EXPECT_SWAP;
	case PRESSURE:
		return IGT_SHRINK_EXPECT_SOME;
	}
	return IGT_SHRINK_EXPECT_SOME;
}

static uint64_t fill(struct client *c, uint64_t total, unsigned int flags,
		     uint64_t seed, uint32_t first_index)
{
	uint64_t bo_size = igt_shrink_bo_size(total, MAX_BO, 2 * MIB);
	unsigned int n = total / bo_size;
	struct timespec ts = {};
	uint64_t ns;

	igt_nsec_elapsed(&ts);
	for (unsigned int i = 0; i < n; i++) {
		struct bo *bo = add_bo(c, bo_size, first_index + i, flags, seed);

		if (flags & GPU)
			gpu_write_samples(c, bo, seed);
	}
	ns = igt_nsec_elapsed(&ts);
	igt_info("created and filled %u BOs of %" PRIu64 " MiB%s: %.0f MiB/s\n", n,
		 bo_size / MIB, flags & GPU ? ", GPU wrote a dword per page" : "",
		 mib_s(n * bo_size, ns));
	return n * bo_size;
}

static void require_swap(void)
{
	igt_require_f(igt_swap_active(), "no active swap (see the no-swap subtest)\n");
}

static void require_trigger(enum trigger t)
{
	igt_require_f(access("/proc/sys/vm/drop_caches", W_OK) == 0,
		      "/proc/sys/vm/drop_caches not writable: run as root\n");
	if (t == RECLAIM)
		igt_require_f(igt_reclaim_has_memory_reclaim(),
			      "no writable /sys/fs/cgroup/memory.reclaim (cgroup2)\n");
}

static void test_system(int fd, enum trigger t, unsigned int flags)
{
	uint64_t total, seed = opt.seed;
	struct igt_shrink_counts counts;
	struct client c;

	require_swap();
	require_trigger(t);
	total = plan_size(fd, IGT_SHRINK_SYSTEM);
	report_caching(fd, flags);

	client_init(&c, fd, total / igt_shrink_bo_size(total, MAX_BO, 2 * MIB) + 1,
		    igt_shrink_bo_size(total, MAX_BO, 2 * MIB), flags & GPU);
	total = fill(&c, total, flags, seed, 0);
	shrink(t, total, &counts);
	restore(&c, seed, flags, &counts);
	judge(&counts, total / PAGE_SZ, expect_of(t), MIN_PERCENT);
	client_fini(&c);
	igt_knob_restore_all();
}

static void test_vram(int fd, enum trigger t)
{
	uint64_t total, spill, seed = opt.seed;
	struct igt_shrink_counts counts;
	struct client c;

	igt_require_f(xe_has_vram(fd), "integrated GPU: no VRAM to evict from\n");
	require_swap();
	require_trigger(t);
	total = plan_size(fd, IGT_SHRINK_VRAM);
	spill = total - xe_visible_vram_size(fd, 0);

	client_init(&c, fd, total / igt_shrink_bo_size(total, MAX_BO, 2 * MIB) + 1,
		    igt_shrink_bo_size(total, MAX_BO, 2 * MIB), true);
	total = fill(&c, total, VRAM | GPU, seed, 0);
	igt_info("VRAM: %" PRIu64 " MiB visible, %" PRIu64 " MiB placed, about %"
		 PRIu64 " MiB evicted to system memory\n",
		 xe_visible_vram_size(fd, 0) / MIB, total / MIB, spill / MIB);
	shrink(t, total, &counts);
	restore(&c, seed, GPU, &counts);
	judge(&counts, spill / PAGE_SZ, expect_of(t), VRAM_PERCENT);
	client_fini(&c);
	igt_knob_restore_all();
}

static void test_no_swap(int fd)
{
	uint64_t total, seed = opt.seed;
	struct igt_shrink_counts counts;
	struct client c;

	require_trigger(DROP_CACHES);
	igt_require_f(!igt_swap_active(), "swap is active: swapoff to run no-swap\n");
	total = plan_size(fd, IGT_SHRINK_NO_SWAP);
	client_init(&c, fd, total / igt_shrink_bo_size(total, MAX_BO, 2 * MIB) + 1,
		    0, false);
	total = fill(&c, total, 0, seed, 0);
	shrink(DROP_CACHES, total, &counts);
	restore(&c, seed, 0, &counts);
	judge(&counts, total / PAGE_SZ, IGT_SHRINK_EXPECT_NONE, MIN_PERCENT);
	client_fini(&c);
}

static void test_cycles(int fd)
{
	uint64_t total, bo_size;
	struct client c;

	require_trigger(DROP_CACHES);
	require_swap();
	total = plan_size(fd, IGT_SHRINK_SYSTEM);
	bo_size = igt_shrink_bo_size(total, MAX_BO, 2 * MIB);
	client_init(&c, fd, total / bo_size + 1, bo_size, false);
	total = fill(&c, total, 0, opt.seed, 0);

	for (unsigned int round = 0; round < opt.rounds; round++) {
		uint64_t seed = opt.seed + round;
		struct igt_shrink_counts counts;

		igt_info("round %u of %u, seed %#" PRIx64 "\n", round + 1,
			 opt.rounds, seed);
		if (round) {
			for (unsigned int i = 0; i < c.count; i++) {
				void *map = bo_map(&c, &c.bos[i]);

				igt_bo_pattern_fill(map, c.bos[i].size, seed, i);
				munmap(map, c.bos[i].size);
			}
		}
		shrink(DROP_CACHES, total, &counts);
		restore(&c, seed, 0, &counts);
		judge(&counts, total / PAGE_SZ, IGT_SHRINK_EXPECT_BACKUP, MIN_PERCENT);
	}
	client_fini(&c);
}

static void test_external(int fd)
{
	uint64_t total, bo_size, seed = opt.seed;
	struct igt_shrink_counts counts;
	struct client c;

	require_trigger(DROP_CACHES);
	require_swap();
	total = plan_size(fd, IGT_SHRINK_SYSTEM);
	bo_size = igt_shrink_bo_size(total, MAX_BO, 2 * MIB);
	client_init(&c, fd, total / bo_size + 1, bo_size, true);
	total = fill(&c, total, EXTERNAL | GPU, seed, 0);
	shrink(DROP_CACHES, total, &counts);
	restore(&c, seed, GPU, &counts);
	judge(&counts, total / PAGE_SZ, IGT_SHRINK_EXPECT_BACKUP, MIN_PERCENT);
	client_fini(&c);
}

static void test_busy(int fd)
{
	uint64_t total, bo_size, busy_bytes, idle_bytes, seed = opt.seed;
	struct igt_shrink_counts first, second;
	struct drm_xe_sync sync = {
		.type = DRM_XE_SYNC_TYPE_SYNCOBJ,
		.flags = DRM_XE_SYNC_FLAG_SIGNAL,
	};
	struct drm_xe_exec exec = {
		.num_batch_buffer = 1,
		.num_syncs = 1,
		.syncs = to_user_pointer(&sync),
		.address = BATCH_ADDR,
	};
	struct client busy, idle;

	require_trigger(DROP_CACHES);
	require_swap();
	total = plan_size(fd, IGT_SHRINK_SYSTEM);
	bo_size = igt_shrink_bo_size(total / 2, MAX_BO, 2 * MIB);
	client_init(&busy, fd, total / bo_size + 1, bo_size, true);
	client_init(&idle, fd, total / bo_size + 1, bo_size, false);
	busy_bytes = fill(&busy, total / 2, 0, seed, 0);
	idle_bytes = fill(&idle, total / 2, 0, seed, 1000);

	/* A spinning job on the busy client's VM fences all of its BOs */
	igt_assert(intel_spin_batch(busy.batch_map, busy.batch_size / 4, BATCH_ADDR));
	sync.handle = syncobj_create(fd, 0);
	exec.exec_queue_id = busy.queue;
	xe_exec(fd, &exec);

	shrink(DROP_CACHES, total, &first);
	igt_assert_f(!syncobj_wait(fd, &sync.handle, 1, 0, 0, NULL),
		     "the spinning job ended early: busy BOs were not busy\n");
	intel_spin_batch_end(busy.batch_map);
	igt_assert_f(syncobj_wait(fd, &sync.handle, 1, INT64_MAX, 0, NULL),
		     "the spinning job did not end\n");
	syncobj_destroy(fd, sync.handle);

	igt_info("while busy: %" PRId64 " pages backed up, idle BOs %" PRIu64
		 " pages, busy BOs %" PRIu64 " pages\n", first.backed_up,
		 idle_bytes / PAGE_SZ, busy_bytes / PAGE_SZ);
	igt_assert_f(first.backed_up * 100 >= (int64_t)(idle_bytes / PAGE_SZ) * MIN_PERCENT,
		     "idle BOs were not shrunk while others were busy\n");
	igt_assert_f(first.backed_up < (int64_t)((idle_bytes + busy_bytes / 2) / PAGE_SZ),
		     "busy BOs were shrunk: %" PRId64 " pages backed up\n",
		     first.backed_up);

	shrink(DROP_CACHES, total, &second);
	igt_assert_f(second.backed_up * 100 >= (int64_t)(busy_bytes / PAGE_SZ) * MIN_PERCENT,
		     "once idle, the formerly busy BOs were not shrunk: %" PRId64
		     " pages backed up\n", second.backed_up);

	restore(&busy, seed, 0, &second);
	restore(&idle, seed, 0, &first);
	client_fini(&busy);
	client_fini(&idle);
}

static void test_multi_client(int fd)
{
	struct igt_vmstat *before, *after, *delta;
	struct igt_shrink_counts counts;
	uint64_t total, per_client, bo_size;
	int filled[2], go[2];
	char token;

	require_trigger(DROP_CACHES);
	require_swap();
	total = plan_size(fd, IGT_SHRINK_SYSTEM);
	per_client = total / CLIENTS;
	bo_size = igt_shrink_bo_size(per_client, MAX_BO, 2 * MIB);
	igt_assert(pipe(filled) == 0 && pipe(go) == 0);
	/* A client that dies early must not leave the others waiting forever */
	igt_set_timeout(300, "multi-client: clients stuck");

	igt_fork(child, CLIENTS) {
		int cfd = drm_open_driver(DRIVER_XE);
		uint64_t seed = opt.seed + child;
		struct client c;

		client_init(&c, cfd, per_client / bo_size + 1, bo_size, true);
		fill(&c, per_client, GPU, seed, child * 1000);
		close(filled[0]);
		close(go[1]);
		igt_assert(write(filled[1], "f", 1) == 1);
		igt_assert(read(go[0], &token, 1) == 1);
		for (unsigned int i = 0; i < c.count; i++)
			gpu_read_samples(&c, &c.bos[i], seed);
		for (unsigned int i = 0; i < c.count; i++)
			cpu_verify(&c, &c.bos[i], seed, true);
		client_fini(&c);
		drm_close_driver(cfd);
	}

	close(filled[1]);
	close(go[0]);
	for (int i = 0; i < CLIENTS; i++)
		igt_assert_f(read(filled[0], &token, 1) == 1, "a client died\n");
	shrink(DROP_CACHES, total, &counts);

	before = snapshot();
	for (int i = 0; i < CLIENTS; i++)
		igt_assert(write(go[1], "g", 1) == 1);
	igt_waitchildren();
	after = snapshot();
	delta = igt_vmstat_delta(before, after);
	igt_shrink_count_restore(&counts, delta);
	igt_vmstat_free(before);
	igt_vmstat_free(after);
	igt_vmstat_free(delta);

	igt_reset_timeout();
	judge(&counts, CLIENTS * (per_client / bo_size) * bo_size / PAGE_SZ,
	      IGT_SHRINK_EXPECT_BACKUP, MIN_PERCENT);
	close(filled[0]);
	close(go[1]);
}

static void test_over_ram(int fd)
{
	struct igt_vmstat *before, *after, *delta;
	struct igt_shrink_counts counts;
	uint64_t total, excess, seed = opt.seed;
	struct igt_shrink_resources res;
	struct client c;

	require_swap();
	require_trigger(RECLAIM);
	res = resources(fd, false);
	total = plan_size(fd, IGT_SHRINK_OVER_RAM);
	excess = total - min(total, res.avail_ram);
	client_init(&c, fd, total / MAX_BO + 1, 0, false);

	/* Filling alone must shrink: count over the fill and the trigger */
	igt_knob_set(SWAPPINESS, "100");
	before = snapshot();
	total = fill(&c, total, 0, seed, 0);
	run_trigger(RECLAIM, total);
	after = snapshot();
	delta = igt_vmstat_delta(before, after);
	igt_shrink_count_trigger(&counts, delta);
	igt_info("fill and memory.reclaim: %" PRId64 " pages backed up, %" PRId64
		 " swapped out, %" PRIu64 " MiB beyond available RAM\n",
		 counts.backed_up, counts.swapped, excess / MIB);
	igt_vmstat_free(before);
	igt_vmstat_free(after);
	igt_vmstat_free(delta);

	restore(&c, seed, 0, &counts);
	judge(&counts, excess / PAGE_SZ, IGT_SHRINK_EXPECT_SWAP, MIN_PERCENT);
	client_fini(&c);
	igt_knob_restore_all();
}

#if defined(DRM_XE_VMA_ATTR_PURGEABLE_STATE) && \
	defined(DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT)
static void test_purgeable(int fd)
{
	uint64_t total, bo_size, keep_pages = 0, drop_pages = 0, seed = opt.seed;
	struct igt_shrink_counts counts;
	struct client c;

	require_trigger(DROP_CACHES);
	igt_require_f(xe_config(fd)->info[DRM_XE_QUERY_CONFIG_FLAGS] &
		      DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT,
		      "the kernel does not report DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT\n");
	total = plan_size(fd, IGT_SHRINK_NO_SWAP);
	bo_size = igt_shrink_bo_size(total / 2, MAX_BO, 2 * MIB);
	client_init(&c, fd, total / bo_size + 2, 0, false);
	/* Purging works on VM ranges: bind every BO, without the GPU batches */
	for (unsigned int i = 0; i < 2 * (total / 2 / bo_size); i++) {
		struct bo *bo = add_bo(&c, bo_size, i, GPU, seed);

		if (i & 1) {
			xe_vm_madvise_purgeable(fd, c.vm, bo->addr, bo->size,
						DRM_XE_VMA_PURGEABLE_STATE_DONTNEED);
			drop_pages += bo_size / PAGE_SZ;
		} else {
			keep_pages += bo_size / PAGE_SZ;
		}
	}

	shrink(DROP_CACHES, total, &counts);
	igt_assert_f(counts.backed_up < (int64_t)(keep_pages + drop_pages / 2),
		     "DONTNEED BOs were backed up instead of purged: %" PRId64
		     " pages backed up, %" PRIu64 " WILLNEED pages\n",
		     counts.backed_up, keep_pages);

	for (unsigned int i = 0; i < c.count; i++) {
		struct bo *bo = &c.bos[i];

		if (i & 1) {
			uint32_t retained;

			retained = xe_vm_madvise_purgeable(fd, c.vm, bo->addr, bo->size,
							   DRM_XE_VMA_PURGEABLE_STATE_WILLNEED);
			igt_assert_f(!retained, "DONTNEED BO %u survived drop_caches\n", i);
		} else {
			cpu_verify(&c, bo, seed, false);
		}
	}
	igt_info("purgeable: %" PRIu64 " DONTNEED pages purged, %" PRIu64
		 " WILLNEED pages intact\n", drop_pages, keep_pages);
	client_fini(&c);
}
#else
static void test_purgeable(int fd)
{
	igt_skip("built without DRM_XE_VMA_ATTR_PURGEABLE_STATE and "
		 "DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT in xe_drm.h\n");
}
#endif

/* Same option names, letters and checks as ttm_swap_thp */
static int opt_handler(int option, int option_index, void *data)
{
	uint64_t rounds;
	int ret;

	switch (option) {
	case 'm':
		return igt_shrink_opt_u64("size-mb", optarg, 1, 1 << 24, &opt.size_mb);
	case 'r':
		ret = igt_shrink_opt_u64("rounds", optarg, 1, 100, &rounds);
		if (ret == IGT_OPT_HANDLER_SUCCESS)
			opt.rounds = rounds;
		return ret;
	case 's':
		opt.seed_set = true;
		return igt_shrink_opt_u64("seed", optarg, 0, UINT64_MAX, &opt.seed);
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
}

static const struct option long_opts[] = {
	{ "size-mb", required_argument, NULL, 'm' },
	{ "rounds", required_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 's' },
	{ }
};

static const char help_str[] =
	"  --size-mb=N\tTotal BO memory in MiB instead of the automatic size\n"
	"  --rounds=N\tShrink/restore rounds of the cycles subtest, 1 to 100 (default 3)\n"
	"  --seed=N\tSeed of the BO contents (default: random, printed)\n";

static const struct {
	const char *name;
	enum trigger trigger;
} triggers[] = {
	{ "drop-caches", DROP_CACHES },
	{ "reclaim", RECLAIM },
	{ "pressure", PRESSURE },
};

int igt_main_args("", long_opts, help_str, opt_handler, NULL)
{
	int fd = -1;

	igt_fixture() {
		fd = drm_open_driver(DRIVER_XE);
		xe_device_get(fd);
		if (!opt.seed_set) {
			igt_srandom();
			opt.seed = ((uint64_t)rand() << 32) ^ rand();
		}
		igt_info("seed %#" PRIx64 " (--seed to repeat)\n", opt.seed);
		/*
		 * igt_knob_set() and igt_pressure_start() install their own exit
		 * handlers: swappiness is restored and the hog killed on every exit.
		 */
	}

	for (int i = 0; i < ARRAY_SIZE(triggers); i++) {
		igt_describe("Idle system-memory BOs shrunk by one trigger, every word checked by the CPU.");
		igt_subtest_f("system-%s", triggers[i].name)
			test_system(fd, triggers[i].trigger, 0);

		igt_describe("The same with write-combined BOs.");
		igt_subtest_f("system-%s-wc", triggers[i].name)
			test_system(fd, triggers[i].trigger, WC);

		igt_describe("The same with the GPU writing before and reading after the shrink.");
		igt_subtest_f("system-%s-gpu", triggers[i].name)
			test_system(fd, triggers[i].trigger, GPU);
	}

	for (int i = 0; i < 2; i++) {
		igt_describe("VRAM BOs overcommitted so some are evicted, then shrunk; checked by GPU and CPU.");
		igt_subtest_f("vram-evict-%s", triggers[i].name)
			test_vram(fd, triggers[i].trigger);
	}

	igt_describe("Busy BOs are skipped by the shrinker and shrunk once idle.");
	igt_subtest("busy")
		test_busy(fd);

	igt_describe("Without swap nothing is shrunk and nothing is lost.");
	igt_subtest("no-swap")
		test_no_swap(fd);

	igt_describe("Several processes with their own fd, VM and BOs shrunk at once.");
	igt_subtest("multi-client")
		test_multi_client(fd);

	igt_describe("Exported BOs created without a VM are shrunk and restored.");
	igt_subtest("external")
		test_external(fd);

	igt_describe("DONTNEED BOs are purged, not swapped; WILLNEED BOs stay intact.");
	igt_subtest("purgeable")
		test_purgeable(fd);

	igt_describe("Several shrink/restore rounds with a new pattern each round.");
	igt_subtest("cycles")
		test_cycles(fd);

	igt_describe("BOs totalling 1.5x RAM through swap, every word checked.");
	igt_subtest("over-ram")
		test_over_ram(fd);

	igt_fixture() {
		igt_knob_restore_all();
		xe_device_put(fd);
		drm_close_driver(fd);
	}
}
