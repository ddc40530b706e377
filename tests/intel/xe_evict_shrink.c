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
 *	word is checked afterwards. What moved is judged from the test's own
 *	DRM client: the drm-resident-* and drm-total-* counters of its fdinfo.
 */

/**
 * SUBTEST: system-%s
 * Description: Idle system-memory BOs are shrunk by %arg[1], then every
 *	word is checked through the CPU mapping. The client's fdinfo must show
 *	the BOs leave residency and come back; a run where nothing moved fails.
 * Test category: functionality test
 *
 * arg[1]:
 *
 * @drop-caches:	drop_caches: at least 80% of the BO pages stop being
 *			resident (backed up to shmem) and come back
 * @reclaim:		the root cgroup's memory.reclaim, sized from the BO
 *			bytes: at least 80% of the BO pages leave residency and
 *			come back, and swap-out covers 80% of them
 * @pressure:		an anonymous-memory child waking kswapd, the path that
 *			writes back at once: some BO pages must leave residency
 *			and come back
 */

/**
 * SUBTEST: system-%s-wc
 * Description: The system subtest of %arg[1] with BOs created with
 *	write-combined CPU caching (honoured on integrated GPUs; discrete GPUs
 *	map system memory write-back, and the test says which it got). Read
 *	back with streaming loads.
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
 *	in place) into a result BO the CPU checks. A GPU job that fails or a
 *	banned queue is reported as such, not as lost data.
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
 *	(sized from the spill, not the total) shrinks the evicted ones: at
 *	least 50% of the spill must leave residency and come back; every BO is
 *	then checked by the GPU (one dword per page) and by the CPU (every
 *	word, read with streaming loads).
 * Test category: functionality test
 *
 * arg[1]:
 *
 * @drop-caches:	drop_caches
 * @reclaim:		memory.reclaim
 */

/**
 * SUBTEST: busy
 * Description: Two clients: while a spinning GPU job keeps the BOs of one
 *	busy, drop_caches (the shrinkers only) shrinks at least 80% of the
 *	idle client's BOs and less than half of the busy one's; once the job
 *	has ended the busy BOs shrink too (80%), and no word of either is
 *	corrupted. A job killed by the job timeout fails with that reason.
 * Test category: functionality test
 *
 * SUBTEST: no-swap
 * Description: With no swap active the xe shrinker counts nothing: drop_caches
 *	must leave at least 95% of the BO pages resident and every word intact.
 *	Skips when swap is active.
 * Test category: functionality test
 *
 * SUBTEST: multi-client
 * Description: Several processes, each with its own device fd, VM and BOs,
 *	are shrunk by one drop_caches; each checks its own BOs by GPU and CPU
 *	and reports its fdinfo counters, summed before any BO is freed.
 * Test category: functionality test
 *
 * SUBTEST: external
 * Description: BOs created without a VM and exported as dma-buf are shrunk
 *	and restored like private ones, checked by the GPU and the CPU.
 * Test category: functionality test
 *
 * SUBTEST: purgeable
 * Description: Where the kernel reports purging support: BOs marked DONTNEED
 *	are counted purgeable, dropped by drop_caches rather than backed up,
 *	and report they were purged; WILLNEED BOs survive intact. Skips
 *	elsewhere, naming the missing flag.
 * Test category: functionality test
 *
 * SUBTEST: cycles
 * Description: Several shrink and restore rounds (--rounds), with a new
 *	pattern written each round.
 * Test category: functionality test
 *
 * SUBTEST: closed-mapping
 * Description: BOs whose GEM handle was closed while a CPU mapping of them
 *	lives on are still the user's data: after drop_caches, every word read
 *	through the mapping must be intact. BOs kept open beside them must be
 *	seen shrunk in fdinfo, so the trigger did act. xe_bo_shrink() purges
 *	BOs whose GEM refcount is 0; in 7.3 a CPU mapping holds a GEM
 *	reference, so a failure here is a kernel bug: a mapped BO purged.
 * Test category: functionality test
 *
 * SUBTEST: over-ram
 * Description: BOs totalling 1.5 times RAM, each with its own reservation,
 *	filled with memory.reclaim passes once RAM runs short, then
 *	memory.reclaim of the excess; at least 80% of the excess must leave
 *	residency and swap and come back, every word is checked, and no
 *	process may have been OOM-killed. Stress: not for quick CI lists.
 * Test category: stress test
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "igt.h"
#include "drmtest.h"
#include "igt_aux.h"
#include "igt_os.h"
#include "igt_sizes.h"
#include "igt_syncobj.h"
#include "igt_sysfs.h"
#include "igt_x86.h"
#include "ioctl_wrappers.h"
#include "intel_gpu_commands.h"
#include "sw_sync.h"
#include "xe/xe_ioctl.h"
#include "xe/xe_query.h"
#include "xe/xe_spin.h"

#include "igt_bo_pattern.h"
#include "igt_client_mem.h"
#include "igt_knob.h"
#include "igt_pm_hold.h"
#include "igt_reclaim.h"
#include "igt_shrink_budget.h"
#include "igt_shrink_opts.h"
#include "igt_shrink_sample.h"
#include "igt_shrink_size.h"
#include "igt_shrink_verdict.h"
#include "igt_swap.h"
#include "igt_vmstat.h"
#include "intel_sample_batch.h"

IGT_TEST_DESCRIPTION("The xe shrinker and VRAM eviction: BO contents survive "
		     "backup to shmem and swap, proven by the CPU and the GPU.");

#define MAX_BO		((uint64_t)SZ_64M)
#define BUSY_CAP	((uint64_t)SZ_256M)
/* drop_caches passes once the job ended: the shrinker only trylocks */
#define IDLE_SHRINK_PASSES	3
#define MAX_BOS		4096	/* bound of a client's BO array */
#define MIN_PERCENT	80
#define VRAM_PERCENT	50
#define CLIENTS		4
#define MAX_LIVE	2	/* clients one process has at once (busy: 2) */
/* A job wait: twice xe's default job timeout, after which xe kills a job */
#define JOB_WAIT_MS	10000
#define SWAPPINESS	"/proc/sys/vm/swappiness"

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
#define EXTERNAL	(1 << 3)	/* no VM, exported as dma-buf */
#define NO_VM		(1 << 4)	/* no VM: the BO has its own reservation */
#define ROUNDS		(1 << 5)	/* sizing only: opt.rounds shrink and restore rounds */

/* Each subtest's timeout; its time budget is a fifth (igt_shrink_time_budget()) */
#define SUBTEST_TIMEOUT	300

static struct igt_shrink_opts opt = {
	.rounds = 3,
};

struct bo {
	uint32_t handle;
	uint32_t index;		/* pattern index */
	uint64_t size;
	uint64_t addr;		/* GPU VA when bound, else 0 */
	int dmabuf;		/* exported dma-buf fd, or -1 */
	bool wc;		/* CPU reads need streaming loads */
};

/* One DRM client: its own fd, VM, BOs and, with the GPU, queue and batches */
struct client {
	int fd;
	uint32_t vm;
	uint32_t queue;
	struct drm_xe_engine_class_instance *eci;
	uint32_t batch, result;
	uint32_t *batch_map, *result_map;
	uint64_t batch_size, result_size;
	struct bo *bos;
	unsigned int count, max;
	uint64_t next_addr;
};

/*
 * One shrink and restore: the client's fdinfo after the fill, after the
 * trigger and after the read-back (what the BOs did), and the system-wide
 * vmstat figures beside them.
 */
struct round {
	struct igt_client_mem filled, shrunk, restored;
	int64_t shmem_in, swapped_out, swapcached_out;	/* over the trigger */
	int64_t shmem_out, swapped_in, swapcached_in;	/* over the read-back */
	uint64_t trigger_ns, restore_ns, bytes_read;
};

/* What one subtest sizes and creates: see prepare() */
struct plan {
	enum igt_shrink_target target;
	enum trigger trigger;
	unsigned int flags;
	uint64_t total;		/* BO bytes */
	uint64_t bo_size;
	unsigned int count;	/* BOs */
	uint64_t visible;	/* CPU-visible VRAM, for a VRAM plan */
};

/*
 * What the running subtest made and has not freed yet. A failed subtest
 * leaves here what the next one (or the last fixture) frees; the exit
 * handler ends a spinner still running.
 */
static struct {
	struct client *clients[MAX_LIVE];
	struct xe_spin *spin;	/* WRITE_ONCE(): the exit handler reads it */
} live;

static double mib_s(uint64_t bytes, uint64_t ns)
{
	return ns ? (double)bytes / SZ_1M / (ns / 1e9) : 0.0;
}

static int64_t pages_of(int64_t bytes)
{
	return bytes / SZ_4K;
}

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

/* fdinfo */

static void mem_add(struct igt_client_mem *sum, const struct igt_client_mem *m)
{
	sum->total += m->total;
	sum->resident += m->resident;
	sum->purgeable += m->purgeable;
}

/* Pages that stopped being resident between @from and @to */
static int64_t left_pages(const struct igt_client_mem *from, const struct igt_client_mem *to)
{
	return pages_of((int64_t)from->resident - (int64_t)to->resident);
}

/* vmstat, the system-wide figures */

static void record_trigger(struct round *r, struct igt_vmstat *before)
{
	struct igt_vmstat *d = igt_vmstat_delta_since(before);

	r->shmem_in = igt_vmstat_get(d, "meminfo.Shmem") / 4;
	r->swapped_out = igt_swap_pages_out(d);
	r->swapcached_out = igt_vmstat_get(d, "meminfo.SwapCached") / 4;
	igt_vmstat_free(d);
}

static void record_restore(struct round *r, struct igt_vmstat *before)
{
	struct igt_vmstat *d = igt_vmstat_delta_since(before);

	r->shmem_out = -igt_vmstat_get(d, "meminfo.Shmem") / 4;
	r->swapped_in = igt_vmstat_get(d, "pswpin") + igt_vmstat_get(d, "zswpin");
	r->swapcached_in = igt_vmstat_get(d, "meminfo.SwapCached") / 4;
	igt_vmstat_free(d);
}

static uint64_t swapped_since(const struct igt_vmstat *start)
{
	struct igt_vmstat *now = igt_vmstat_snapshot();
	struct igt_vmstat *delta = igt_vmstat_delta(start, now);
	int64_t pages = igt_swap_pages_out(delta);

	igt_vmstat_free(now);
	igt_vmstat_free(delta);
	return pages > 0 ? pages : 0;
}

/* Sizing */

static struct igt_shrink_resources resources(int fd, bool vram)
{
	struct igt_shrink_resources res = {
		.user_size = opt.size_mb * SZ_1M,
	};

	/* What the page cache holds is nothing a shrinker test can count on */
	igt_purge_vm_caches(fd);
	igt_shrink_resources_now(&res);
	igt_assert_f(res.avail_ram, "no MemAvailable in /proc/meminfo\n");

	if (vram && xe_has_vram(fd))
		res.vram = xe_visible_vram_size(fd, 0);
	return res;
}

static struct igt_shrink_rates measure_rates(bool swap);

/*
 * Bytes of BOs for a subtest: what memory allows, or --size-mb when it does
 * (igt_shrink_plan_memory()); an automatic size also what @passes shrink
 * and restore passes can do within the time budget at the rates this
 * machine shows now, measured on a probe (igt_shrink_plan_time()), so that a
 * slow or loaded machine gets less work, not a timeout.
 */
static uint64_t plan_size(int fd, enum igt_shrink_target target, unsigned int passes)
{
	struct igt_shrink_resources res = resources(fd, target == IGT_SHRINK_VRAM);
	struct igt_shrink_rates rates;
	uint64_t total;

	total = igt_shrink_plan_memory(&res, target);
	if (opt.size_mb)
		return total;	/* asked for on the command line: no time cap */

	rates = measure_rates(target != IGT_SHRINK_NO_SWAP && igt_swap_active());
	return igt_shrink_plan_time(&rates, target, total, SUBTEST_TIMEOUT, passes,
				    IGT_SHRINK_PROBE_BYTES);
}

/* Subtest lifetime */

static void spin_exit_handler(int sig)
{
	struct xe_spin *spin = READ_ONCE(live.spin);

	if (spin)
		xe_spin_end(spin);
}

static void live_add(struct client *c)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (!live.clients[i]) {
			live.clients[i] = c;
			return;
		}
	igt_assert_f(false, "more than %d clients at once\n", MAX_LIVE);
}

static void live_remove(struct client *c)
{
	for (int i = 0; i < MAX_LIVE; i++)
		if (live.clients[i] == c)
			live.clients[i] = NULL;
}

/*
 * Ends a subtest: frees what a failed one left (ends its spinner, unmaps and
 * frees the client memory, closes the fds, which frees every BO, VM and
 * queue in the kernel), then puts back the settings it changed. Called at
 * the end of every subtest, at the start of the next (after a failure) and
 * by the last fixture.
 */
static void free_leftovers(void)
{
	if (live.spin) {
		xe_spin_end(live.spin);
		WRITE_ONCE(live.spin, NULL);
	}
	for (int i = 0; i < MAX_LIVE; i++) {
		struct client *c = live.clients[i];

		if (!c)
			continue;
		if (c->batch_map)
			munmap(c->batch_map, c->batch_size);
		if (c->result_map)
			munmap(c->result_map, c->result_size);
		for (unsigned int j = 0; j < c->count; j++)
			if (c->bos[j].dmabuf >= 0)
				close(c->bos[j].dmabuf);
		free(c->bos);
		drm_close_driver(c->fd);
		free(c);
		live.clients[i] = NULL;
	}
	igt_knob_restore_all();
}

/*
 * Keeps the device awake for the subtest: integrated parts with flat CCS
 * skip shrinking BOs while runtime-suspended (xe_bo_shrink() outside
 * kswapd). igt_pm_hold_awake() saves the setting with igt_knob: restored at
 * the end of the subtest, on exit, and by the next run after a kill.
 */
static void hold_awake(int fd)
{
	char dev[128];

	if (igt_sysfs_path(fd, dev, sizeof(dev)))
		igt_pm_hold_awake(dev);
}

/* Clients and BOs */

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

static void client_gpu_init(struct client *c, uint64_t max_bo_size)
{
	int fd = c->fd;

	c->eci = pick_engine(fd);
	c->queue = xe_exec_queue_create(fd, c->vm, c->eci, 0);

	c->batch_size = ALIGN((max_bo_size / SZ_4K * INTEL_SAMPLE_READ_DW + 1) * 4,
			      (uint64_t)SZ_2M);
	c->batch_size = max_t(uint64_t, c->batch_size, ALIGN(sizeof(struct xe_spin), SZ_4K));
	c->batch = xe_bo_create(fd, c->vm, c->batch_size, system_memory(fd), 0);
	c->batch_map = xe_bo_map(fd, c->batch, c->batch_size);
	xe_vm_bind_sync(fd, c->vm, c->batch, 0, BATCH_ADDR, c->batch_size);

	c->result_size = ALIGN(max_bo_size / SZ_4K * 4, (uint64_t)SZ_2M);
	c->result = xe_bo_create(fd, c->vm, c->result_size, system_memory(fd), 0);
	c->result_map = xe_bo_mmap_ext(fd, c->result, c->result_size, PROT_READ);
	xe_vm_bind_sync(fd, c->vm, c->result, 0, RESULT_ADDR, c->result_size);
}

/*
 * Opens a new fd for the client (every subtest starts from fresh fds, as
 * xe_evict does), with a VM and room for @p's BOs; with the GPU, a queue, a
 * batch and a result BO. Registered, so a failure frees it.
 */
static struct client *client_new(const struct plan *p, bool gpu)
{
	struct client *c = calloc(1, sizeof(*c));

	igt_assert(c);
	c->fd = drm_open_driver(DRIVER_XE);
	live_add(c);

	c->max = p->count;
	c->bos = calloc(c->max, sizeof(*c->bos));
	igt_assert(c->bos);
	c->vm = xe_vm_create(c->fd, 0, 0);
	c->next_addr = BO_ADDR;
	if (gpu)
		client_gpu_init(c, p->bo_size);
	return c;
}

static void client_fini(struct client *c)
{
	int fd = c->fd;

	for (unsigned int i = 0; i < c->count; i++) {
		struct bo *bo = &c->bos[i];

		if (bo->addr)
			xe_vm_unbind_sync(fd, c->vm, 0, bo->addr, bo->size);
		if (bo->dmabuf >= 0)
			close(bo->dmabuf);
		if (bo->handle)
			gem_close(fd, bo->handle);
	}
	if (c->batch) {
		munmap(c->batch_map, c->batch_size);
		munmap(c->result_map, c->result_size);
		xe_vm_unbind_sync(fd, c->vm, 0, BATCH_ADDR, c->batch_size);
		xe_vm_unbind_sync(fd, c->vm, 0, RESULT_ADDR, c->result_size);
		gem_close(fd, c->batch);
		gem_close(fd, c->result);
	}
	if (c->queue)
		xe_exec_queue_destroy(fd, c->queue);
	xe_vm_destroy(fd, c->vm);
	free(c->bos);
	live_remove(c);
	drm_close_driver(fd);
	free(c);
}

static void *bo_map(struct client *c, struct bo *bo)
{
	return xe_bo_map(c->fd, bo->handle, bo->size);
}

/* Creates a BO, binds it when the GPU will use it, and fills it. */
static struct bo *add_bo(struct client *c, uint64_t size, uint32_t index,
			 unsigned int flags, uint64_t seed)
{
	uint32_t placement = system_memory(c->fd), create_flags = 0;
	struct bo *bo;
	void *map;

	igt_assert_f(c->count < c->max, "BO array full (%u)\n", c->max);
	bo = &c->bos[c->count++];
	if (flags & VRAM) {
		placement |= vram_memory(c->fd, 0);
		create_flags |= DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
	}

	bo->size = size;
	bo->index = index;
	bo->dmabuf = -1;
	bo->wc = flags & (WC | VRAM);
	bo->handle = xe_bo_create_caching(c->fd, flags & (EXTERNAL | NO_VM) ? 0 : c->vm,
					  size, placement, create_flags,
					  flags & WC ? DRM_XE_GEM_CPU_CACHING_WC :
					  __xe_default_cpu_caching(c->fd, placement,
								   create_flags));
	if (flags & EXTERNAL)
		bo->dmabuf = prime_handle_to_fd(c->fd, bo->handle);

	if (flags & GPU) {
		bo->addr = c->next_addr;
		c->next_addr += ALIGN(size, (uint64_t)SZ_2M);
		xe_vm_bind_sync(c->fd, c->vm, bo->handle, 0, bo->addr, size);
	}

	map = bo_map(c, bo);
	igt_bo_pattern_fill(map, size, seed, index);
	munmap(map, size);
	return bo;
}

/* GPU jobs */

static uint64_t deadline_ns(unsigned int ms)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000000000ull + now.tv_nsec + ms * 1000000ull;
}

static bool queue_banned(int fd, uint32_t queue)
{
	struct drm_xe_exec_queue_get_property prop = {
		.exec_queue_id = queue,
		.property = DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN,
	};

	igt_assert_eq(igt_ioctl(fd, DRM_IOCTL_XE_EXEC_QUEUE_GET_PROPERTY, &prop), 0);
	return prop.value;
}

/* The job's fence state: 1 signalled, 0 pending, else the fence's error */
static int job_status(int fd, uint32_t syncobj)
{
	int sync_file, status;

	sync_file = syncobj_handle_to_fd(fd, syncobj,
					 DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE);
	status = sync_fence_status(sync_file);
	close(sync_file);
	return status;
}

/*
 * Fails, naming the cause, when a job's fence carries an error or its queue
 * was banned: a GPU hang, fault or job timeout must not read as lost data.
 */
static void check_job(struct client *c, uint32_t syncobj, const char *what)
{
	int status = job_status(c->fd, syncobj);
	bool banned = queue_banned(c->fd, c->queue);

	igt_assert_f(status == 1 && !banned,
		     "%s: GPU job failed (fence status %d%s%s), queue %s: a hang, "
		     "GPU fault or job timeout, not a data check\n", what, status,
		     status < 0 ? ": " : "", status < 0 ? strerror(-status) : "",
		     banned ? "banned" : "not banned");
}

static uint32_t gpu_submit(struct client *c)
{
	struct drm_xe_sync sync = {
		.type = DRM_XE_SYNC_TYPE_SYNCOBJ,
		.flags = DRM_XE_SYNC_FLAG_SIGNAL,
		.handle = syncobj_create(c->fd, 0),
	};

	xe_exec_sync(c->fd, c->queue, BATCH_ADDR, &sync, 1);
	return sync.handle;
}

/* Runs the client's batch and waits for it, within a bounded time */
static void gpu_run(struct client *c, const char *what)
{
	uint32_t syncobj = gpu_submit(c);

	igt_assert_f(syncobj_wait(c->fd, &syncobj, 1, deadline_ns(JOB_WAIT_MS), 0, NULL),
		     "%s: GPU job not done after %d ms\n", what, JOB_WAIT_MS);
	check_job(c, syncobj, what);
	syncobj_destroy(c->fd, syncobj);
}

/* The GPU writes the lane 1 dword of every page of @bo. */
static void gpu_write_samples(struct client *c, struct bo *bo, uint64_t seed)
{
	uint64_t pages = bo->size / SZ_4K;
	uint64_t *dst = calloc(pages, sizeof(*dst));
	uint32_t *val = calloc(pages, sizeof(*val));

	igt_assert(dst && val);
	for (uint64_t p = 0; p < pages; p++) {
		dst[p] = bo->addr + igt_shrink_sample_offset(seed, bo->index, p, 1);
		val[p] = igt_shrink_gpu_dword(seed, bo->index, p);
	}
	igt_assert(intel_sample_batch_write(c->batch_map, c->batch_size / 4,
					    dst, val, pages));
	free(dst);
	free(val);
	gpu_run(c, "GPU write");
}

/* The GPU copies the lane 0 dword of every page of @bo; the CPU compares. */
static void gpu_read_samples(struct client *c, struct bo *bo, uint64_t seed)
{
	uint64_t pages = bo->size / SZ_4K, bad = 0, first = 0, off;
	uint64_t *src = calloc(pages, sizeof(*src));

	igt_assert(src);
	for (uint64_t p = 0; p < pages; p++)
		src[p] = bo->addr + igt_shrink_sample_offset(seed, bo->index, p, 0);
	igt_assert(intel_sample_batch_read(c->batch_map, c->batch_size / 4,
					   src, pages, RESULT_ADDR));
	free(src);
	gpu_run(c, "GPU read");

	for (uint64_t p = 0; p < pages; p++) {
		off = igt_shrink_sample_offset(seed, bo->index, p, 0);
		if (c->result_map[p] != igt_shrink_pattern_dword(seed, bo->index, off) &&
		    !bad++)
			first = p;
	}
	off = igt_shrink_sample_offset(seed, bo->index, first, 0);
	igt_assert_f(!bad, "GPU read of BO %u: %" PRIu64 " of %" PRIu64
		     " sampled dwords wrong, first at offset %#" PRIx64
		     ": %#010x, expected %#010x\n", bo->index, bad, pages, off,
		     c->result_map[first], igt_shrink_pattern_dword(seed, bo->index, off));
}

/* CPU checks */

/*
 * Where the CPU reads @bo: the mapping itself when it is write-back; a copy
 * made with streaming loads when it is write-combined or VRAM, where plain
 * loads are slow (a VRAM BAR: minutes for 16 GiB). Returns what to free,
 * with *@words pointing at the data.
 */
static void *bo_read(struct client *c, struct bo *bo, uint64_t **words,
		     void **map)
{
	void *copy;

	*map = bo_map(c, bo);
	if (!bo->wc) {
		*words = *map;
		return NULL;
	}
	copy = malloc(bo->size);
	igt_assert(copy);
	igt_memcpy_from_wc(copy, *map, bo->size);
	munmap(*map, bo->size);
	*map = NULL;
	*words = copy;
	return copy;
}

/* The lane 1 dwords hold what the GPU wrote; they get the pattern back */
static void check_gpu_writes(struct bo *bo, uint32_t *dw, uint64_t seed)
{
	for (uint64_t p = 0; p < bo->size / SZ_4K; p++) {
		uint64_t off = igt_shrink_sample_offset(seed, bo->index, p, 1);
		uint32_t want = igt_shrink_gpu_dword(seed, bo->index, p);

		igt_assert_f(dw[off / 4] == want,
			     "BO %u offset %#" PRIx64 ": GPU-written dword %#010x, expected %#010x\n",
			     bo->index, off, dw[off / 4], want);
		dw[off / 4] = igt_shrink_pattern_dword(seed, bo->index, off);
	}
}

/*
 * Checks every word of @bo. With @gpu_wrote, the lane 1 dwords must hold
 * what the GPU wrote; they are checked, then given their pattern value back
 * so that the whole BO can be compared with the pattern.
 */
static void cpu_verify(struct client *c, struct bo *bo, uint64_t seed,
		       bool gpu_wrote)
{
	struct igt_bo_pattern_result res;
	uint64_t *words, bad;
	void *map, *copy;

	copy = bo_read(c, bo, &words, &map);
	if (gpu_wrote)
		check_gpu_writes(bo, (uint32_t *)words, seed);
	bad = igt_bo_pattern_verify(words, bo->size, seed, bo->index, &res);
	if (map)
		munmap(map, bo->size);
	free(copy);
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

/* Triggers */

/*
 * memory.reclaim of @movable bytes, the BO memory that can actually go
 * (not the total: on a discrete card most of it stays in VRAM), in up to 4
 * passes: the first backs the BOs up to shmem, later ones push shmem on to
 * swap; stop once swap-out covers them. Less reclaimed than asked (EAGAIN)
 * is a normal outcome.
 */
static void reclaim_bos(uint64_t movable)
{
	struct igt_vmstat *start = igt_vmstat_snapshot();
	int err;

	igt_knob_set(SWAPPINESS, "100");
	for (int i = 0; i < 4 && swapped_since(start) < movable / SZ_4K; i++) {
		err = __igt_reclaim_memory(movable);
		igt_assert_f(err >= 0, "memory.reclaim: %s\n", strerror(-err));
	}
	igt_vmstat_free(start);
}

/* A pressure child that must push @movable bytes of BOs out of RAM */
static void press_bos(uint64_t movable)
{
	struct igt_pressure p;
	char why[256];
	bool ready, ok;
	int err;

	igt_require_f(igt_pressure_displaces(movable, NULL, why, sizeof(why)), "%s\n", why);
	igt_knob_set(SWAPPINESS, "100");
	err = igt_pressure_start(&p, UINT64_MAX, 60);
	igt_require_f(!err, "no room for a pressure child: %s\n", strerror(-err));
	ready = igt_pressure_wait_ready(&p, 60000);
	ok = igt_pressure_stop(&p);
	/* The verdict (the BOs' own counters) decides; these explain it */
	igt_info("pressure child: %" PRIu64 " MiB, %s, %s\n", p.bytes / SZ_1M,
		 ready ? "touched all its memory" : "did not touch all its memory in 60 s",
		 ok ? "stopped by the test" : "killed before the end (OOM killer?)");
}

static void run_trigger(enum trigger t, uint64_t movable)
{
	switch (t) {
	case DROP_CACHES:
		/* 2: slab and shrinkers; the page cache has nothing to do with BOs */
		igt_reclaim_drop_caches(2);
		break;
	case RECLAIM:
		reclaim_bos(movable);
		break;
	case PRESSURE:
		press_bos(movable);
		break;
	}
}

/*
 * The probe's steps (igt_shrink_probe()): a subtest's steps on
 * IGT_SHRINK_PROBE_BYTES of BOs in a client of its own: create and fill,
 * drop_caches (backup to shmem), memory.reclaim (on to swap) and the CPU
 * read-back, which measures and does not judge.
 */
struct probe {
	struct client *c;
	struct plan p;
	struct igt_client_mem filled;
};

static uint64_t probe_fill(void *data)
{
	struct probe *pr = data;

	for (unsigned int i = 0; i < pr->p.count; i++)
		add_bo(pr->c, pr->p.bo_size, i, 0, opt.seed);
	pr->filled = igt_client_mem(pr->c->fd);
	return pr->p.total;
}

static uint64_t probe_shrink(void *data)
{
	struct probe *pr = data;
	struct igt_client_mem shrunk;

	igt_reclaim_drop_caches(2);
	shrunk = igt_client_mem(pr->c->fd);
	return max_t(int64_t, left_pages(&pr->filled, &shrunk), 0) * SZ_4K;
}

static uint64_t probe_swap_out(void *data)
{
	struct probe *pr = data;

	reclaim_bos(pr->p.total);
	igt_knob_restore(SWAPPINESS);
	return pr->p.total;
}

static uint64_t probe_swap_in(void *data)
{
	struct probe *pr = data;
	uint64_t bad = 0;

	for (unsigned int i = 0; i < pr->c->count; i++) {
		struct igt_bo_pattern_result res;
		struct bo *bo = &pr->c->bos[i];
		uint64_t *words;
		void *map, *copy;

		copy = bo_read(pr->c, bo, &words, &map);
		bad += igt_bo_pattern_verify(words, bo->size, opt.seed, bo->index, &res);
		if (map)
			munmap(map, bo->size);
		free(copy);
	}
	if (bad)
		igt_info("probe: some words read back wrong: the subtest's own check judges\n");
	return pr->p.total;
}

/* Throughput of this machine now; the swap-out step only with @swap */
static struct igt_shrink_rates measure_rates(bool swap)
{
	const struct igt_shrink_probe_ops ops = {
		.fill = probe_fill,
		.shrink = probe_shrink,
		.swap_out = swap ? probe_swap_out : NULL,
		.swap_in = probe_swap_in,
	};
	struct probe pr = {
		.p = { .total = IGT_SHRINK_PROBE_BYTES, .bo_size = SZ_2M,
		       .count = IGT_SHRINK_PROBE_BYTES / SZ_2M },
	};
	struct igt_shrink_rates r;

	pr.c = client_new(&pr.p, false);
	r = igt_shrink_probe(pr.p.total, &ops, &pr);
	client_fini(pr.c);
	return r;
}

/* Shrink and restore rounds */

/* Runs @t on @c's BOs; @movable: the BO bytes that can be shrunk */
static void shrink(struct client *c, enum trigger t, uint64_t movable,
		   struct round *r)
{
	struct igt_vmstat *before;
	struct timespec ts = {};

	r->filled = igt_client_mem(c->fd);
	before = igt_vmstat_snapshot();
	igt_nsec_elapsed(&ts);
	run_trigger(t, movable);
	r->trigger_ns = igt_nsec_elapsed(&ts);
	record_trigger(r, before);
	r->shrunk = igt_client_mem(c->fd);
	igt_info("%s: %.2f s; BOs: %" PRId64 " pages left residency (fdinfo), %.0f MiB/s; "
		 "system: shmem %+" PRId64 ", swap-out %" PRId64 ", swap cache %+" PRId64 " pages\n",
		 trigger_name(t), r->trigger_ns / 1e9, left_pages(&r->filled, &r->shrunk),
		 mib_s(max(left_pages(&r->filled, &r->shrunk), (int64_t)0) * SZ_4K,
		       r->trigger_ns),
		 r->shmem_in, r->swapped_out, r->swapcached_out);
}

/* Reads every BO back: GPU samples first (restore by the GPU), then the CPU. */
static void restore_and_check(struct client *c, uint64_t seed,
			      unsigned int flags, struct round *r)
{
	struct igt_vmstat *before = igt_vmstat_snapshot();
	struct timespec ts = {};

	r->bytes_read = 0;
	igt_nsec_elapsed(&ts);
	if (flags & GPU)
		for (unsigned int i = 0; i < c->count; i++)
			gpu_read_samples(c, &c->bos[i], seed);
	for (unsigned int i = 0; i < c->count; i++) {
		cpu_verify(c, &c->bos[i], seed, flags & GPU);
		r->bytes_read += c->bos[i].size;
	}
	r->restore_ns = igt_nsec_elapsed(&ts);
	record_restore(r, before);
	r->restored = igt_client_mem(c->fd);
	igt_info("restore and verify%s: %.2f s for %" PRIu64 " MiB (%.0f MiB/s); "
		 "BOs: %" PRId64 " pages resident again (fdinfo); system: shmem %+" PRId64
		 ", swap-in %" PRId64 ", swap cache %+" PRId64 " pages\n",
		 flags & GPU ? " (GPU then CPU)" : " (CPU)", r->restore_ns / 1e9,
		 r->bytes_read / SZ_1M, mib_s(r->bytes_read, r->restore_ns),
		 left_pages(&r->restored, &r->shrunk), -r->shmem_out, r->swapped_in,
		 r->swapcached_in);
}

static void judge_shrink(const struct igt_shrink_counts *counts,
			 uint64_t bo_pages, enum igt_shrink_expect expect,
			 unsigned int percent)
{
	enum igt_shrink_verdict v = igt_shrink_judge(counts, bo_pages, expect, percent);

	/* memory.reclaim: the BOs themselves must have left, swap alone is not theirs */
	if (v == IGT_SHRINK_OK && expect == IGT_SHRINK_EXPECT_SWAP &&
	    counts->backed_up * 100 < (int64_t)bo_pages * percent)
		v = IGT_SHRINK_SHORT;

	igt_info("verdict: %s (%" PRIu64 " BO pages: %" PRId64 " left residency, %" PRId64
		 " came back; system-wide %" PRId64 " swapped out; need %u%%)\n",
		 igt_shrink_verdict_name(v), bo_pages, counts->backed_up,
		 counts->restored, counts->swapped, percent);
	igt_assert_f(v == IGT_SHRINK_OK, "shrinker check failed: %s\n",
		     igt_shrink_verdict_name(v));
}

/*
 * The verdict on this client's BOs: what left residency over the trigger and
 * came back over the read-back, from fdinfo; swap-out (system-wide) only
 * where swap is expected, on top of the BOs' own figures.
 */
static void judge(const struct round *r, uint64_t bo_pages,
		  enum igt_shrink_expect expect, unsigned int percent)
{
	struct igt_shrink_counts counts = {
		.backed_up = left_pages(&r->filled, &r->shrunk),
		.swapped = r->swapped_out,
		.restored = left_pages(&r->restored, &r->shrunk),
	};

	judge_shrink(&counts, bo_pages, expect, percent);
}

/* Setup shared by the subtests */

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

/* Cuts @p->total into BOs of at most @max_bo, and the total down to whole BOs */
static void cut_bos(struct plan *p, uint64_t max_bo)
{
	p->bo_size = igt_shrink_bo_size(p->total, max_bo, SZ_2M);
	p->count = p->total / p->bo_size;
	igt_require_f(p->count && p->count <= MAX_BOS, "%u BOs of %" PRIu64 " MiB: want 1 to %d\n",
		      p->count, p->bo_size / SZ_1M, MAX_BOS);
	p->total = p->count * p->bo_size;
}

/*
 * The largest BO of a VRAM plan: small enough that the part beyond the
 * CPU-visible VRAM takes at least two of them (one BO of the whole total
 * would fit or not, and evict nothing), within MAX_BO.
 */
static uint64_t vram_max_bo(const struct plan *p)
{
	uint64_t spill = p->total > p->visible ? p->total - p->visible : 0;

	return spill / 2 < MAX_BO ? spill / 2 : MAX_BO;
}

/*
 * The requirements and sizes of a subtest, after freeing what a failed one
 * left: @parts clients (or halves) share the total, capped at @cap (0: no
 * cap). Checks the trigger, swap (unless @target is NO_SWAP), and that the
 * driver reports per-client memory in fdinfo, on a new fd (closed again);
 * holds the device awake. The BO count is bounded by MAX_BOS.
 */
static struct plan plan_subtest(enum igt_shrink_target target, enum trigger t,
				unsigned int flags, unsigned int parts, uint64_t cap)
{
	struct plan p = { .target = target, .trigger = t, .flags = flags };
	struct igt_client_mem m;
	int fd;

	free_leftovers();
	require_trigger(t);
	if (target != IGT_SHRINK_NO_SWAP)
		require_swap();

	fd = drm_open_driver(DRIVER_XE);
	hold_awake(fd);
	igt_require_f(!__igt_client_mem(fd, &m),
		      "the driver prints no per-client memory (drm-total-*, drm-resident-*) in fdinfo\n");
	/* A probe above may leave ENOENT: not the reason for a skip below */
	errno = 0;
	if (flags & VRAM) {
		igt_require_f(xe_has_vram(fd), "integrated GPU: no VRAM to evict from\n");
		p.visible = xe_visible_vram_size(fd, 0);
	}
	p.total = plan_size(fd, target, flags & ROUNDS ? opt.rounds : 1);
	report_caching(fd, flags);
	drm_close_driver(fd);

	if (cap && p.total > cap)
		p.total = cap;
	p.total /= parts;
	cut_bos(&p, flags & VRAM ? vram_max_bo(&p) : MAX_BO);
	return p;
}

/* Creates @p's BOs in @c and fills them; with the GPU, it writes its samples */
static void fill(struct client *c, const struct plan *p, unsigned int flags,
		 uint64_t seed, uint32_t first_index)
{
	struct timespec ts = {};
	uint64_t ns;

	igt_nsec_elapsed(&ts);
	for (unsigned int i = 0; i < p->count; i++) {
		struct bo *bo = add_bo(c, p->bo_size, first_index + i, flags, seed);

		if ((flags & GPU) && c->batch)
			gpu_write_samples(c, bo, seed);
	}
	ns = igt_nsec_elapsed(&ts);
	igt_info("created and filled %u BOs of %" PRIu64 " MiB%s: %.0f MiB/s\n", p->count,
		 p->bo_size / SZ_1M, flags & GPU && c->batch ? ", GPU wrote a dword per page" : "",
		 mib_s(p->total, ns));
}

/*
 * The common start of a subtest: requirements, sizes, a client on a new fd
 * (in *@c) and its BOs, filled.
 */
static struct plan prepare(struct client **c, enum igt_shrink_target target,
			   enum trigger t, unsigned int flags, uint64_t seed)
{
	struct plan p = plan_subtest(target, t, flags, 1, 0);

	*c = client_new(&p, flags & GPU);
	fill(*c, &p, flags, seed, 0);
	return p;
}

/* Subtests */

static void test_system(enum trigger t, unsigned int flags)
{
	uint64_t seed = opt.seed;
	struct client *c;
	struct round r;
	struct plan p;

	p = prepare(&c, IGT_SHRINK_SYSTEM, t, flags, seed);
	shrink(c, t, p.total, &r);
	restore_and_check(c, seed, flags, &r);
	judge(&r, p.total / SZ_4K, expect_of(t), MIN_PERCENT);
	client_fini(c);
}

static void test_vram(enum trigger t)
{
	uint64_t spill, seed = opt.seed;
	struct client *c;
	struct round r;
	struct plan p;

	p = prepare(&c, IGT_SHRINK_VRAM, t, VRAM | GPU, seed);
	spill = p.total > p.visible ? p.total - p.visible : 0;
	igt_info("VRAM: %" PRIu64 " MiB visible, %" PRIu64 " MiB placed, about %"
		 PRIu64 " MiB evicted to system memory\n",
		 p.visible / SZ_1M, p.total / SZ_1M, spill / SZ_1M);
	igt_require_f(spill, "the BOs fit in VRAM: nothing to evict\n");
	shrink(c, t, spill, &r);
	restore_and_check(c, seed, GPU, &r);
	judge(&r, spill / SZ_4K, expect_of(t), VRAM_PERCENT);
	client_fini(c);
}

static void test_no_swap(void)
{
	uint64_t seed = opt.seed;
	struct client *c;
	struct round r;
	struct plan p;

	igt_require_f(!igt_swap_active(), "swap is active: swapoff to run no-swap\n");
	p = prepare(&c, IGT_SHRINK_NO_SWAP, DROP_CACHES, 0, seed);
	shrink(c, DROP_CACHES, p.total, &r);
	restore_and_check(c, seed, 0, &r);
	judge(&r, p.total / SZ_4K, IGT_SHRINK_EXPECT_NONE, MIN_PERCENT);
	client_fini(c);
}

static void test_cycles(void)
{
	struct client *c;
	struct plan p;

	p = prepare(&c, IGT_SHRINK_SYSTEM, DROP_CACHES, ROUNDS, opt.seed);
	for (unsigned int round = 0; round < opt.rounds; round++) {
		uint64_t seed = opt.seed + round;
		struct round r;

		igt_info("round %u of %u, seed %#" PRIx64 "\n", round + 1,
			 opt.rounds, seed);
		for (unsigned int i = 0; round && i < c->count; i++) {
			void *map = bo_map(c, &c->bos[i]);

			igt_bo_pattern_fill(map, c->bos[i].size, seed, c->bos[i].index);
			munmap(map, c->bos[i].size);
		}
		shrink(c, DROP_CACHES, p.total, &r);
		restore_and_check(c, seed, 0, &r);
		judge(&r, p.total / SZ_4K, IGT_SHRINK_EXPECT_BACKUP, MIN_PERCENT);
	}
	client_fini(c);
}

static void test_external(void)
{
	uint64_t seed = opt.seed;
	struct client *c;
	struct round r;
	struct plan p;

	p = prepare(&c, IGT_SHRINK_SYSTEM, DROP_CACHES, EXTERNAL | GPU, seed);
	shrink(c, DROP_CACHES, p.total, &r);
	restore_and_check(c, seed, GPU, &r);
	judge(&r, p.total / SZ_4K, IGT_SHRINK_EXPECT_BACKUP, MIN_PERCENT);
	client_fini(c);
}

/* Both clients' counters around one drop_caches (the shrinkers) */
static void shrink_busy(struct client *busy, struct client *idle,
			struct round *rb, struct round *ri)
{
	rb->filled = igt_client_mem(busy->fd);
	ri->filled = igt_client_mem(idle->fd);
	igt_reclaim_drop_caches(2);
	rb->shrunk = igt_client_mem(busy->fd);
	ri->shrunk = igt_client_mem(idle->fd);
}

/*
 * Background reclaim (kswapd catching up after an earlier subtest's
 * pressure) may have backed BOs up since the fill: such a BO is neither seen
 * busy nor can it shrink once idle, and the verdict would blame the shrinker
 * (seen: "once idle: busy client 1024 of 16384 pages left residency", only
 * the batch and result BOs). Reads each BO back, which also checks it, and
 * requires them resident before the busy phase.
 */
static void make_resident(struct client *c, uint64_t seed, const char *who)
{
	struct igt_client_mem m;
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < c->count; i++) {
		cpu_verify(c, &c->bos[i], seed, false);
		bytes += c->bos[i].size;
	}
	m = igt_client_mem(c->fd);
	igt_info("%s client: %" PRIu64 " of %" PRIu64 " MiB resident after a read-back (fdinfo)\n",
		 who, m.resident / SZ_1M, bytes / SZ_1M);
	igt_require_f(m.resident * 100 >= bytes * MIN_PERCENT,
		      "the %s client's BOs do not stay resident (%" PRIu64 " of %" PRIu64
		      " MiB after a read-back): reclaim outside the test moves them\n",
		      who, m.resident / SZ_1M, bytes / SZ_1M);
}

/* Starts a spinner on @c's queue: all BOs of its VM are busy until it ends */
static uint32_t start_spinner(struct client *c)
{
	struct xe_spin *spin = (struct xe_spin *)c->batch_map;
	uint32_t syncobj;

	xe_spin_init_opts(spin, .addr = BATCH_ADDR, .preempt = true);
	WRITE_ONCE(live.spin, spin);
	syncobj = gpu_submit(c);
	/*
	 * xe_spin_wait_started() waits without a limit, as upstream's: bounded
	 * here, to say what did not happen rather than time the subtest out.
	 */
	igt_assert_f(igt_wait(xe_spin_started(spin), JOB_WAIT_MS, 10),
		     "the spinner did not start within %d ms of its exec\n", JOB_WAIT_MS);
	return syncobj;
}

static void end_spinner(struct client *c, uint32_t syncobj, uint64_t shrink_ns)
{
	bool ended_early = syncobj_wait(c->fd, &syncobj, 1, 0, 0, NULL);

	igt_assert_f(!ended_early,
		     "the spinning job ended before the CPU ended it (fence status %d, "
		     "queue %s) after a %.1f s shrink: xe's job timeout (5 s) or a hang, "
		     "so the busy BOs were not known busy\n", job_status(c->fd, syncobj),
		     queue_banned(c->fd, c->queue) ? "banned" : "not banned", shrink_ns / 1e9);
	xe_spin_end(live.spin);
	igt_assert_f(syncobj_wait(c->fd, &syncobj, 1, deadline_ns(JOB_WAIT_MS), 0, NULL),
		     "the spinning job did not end within %d ms of xe_spin_end()\n",
		     JOB_WAIT_MS);
	WRITE_ONCE(live.spin, NULL);
	check_job(c, syncobj, "spinner");
	syncobj_destroy(c->fd, syncobj);
}

static void test_busy(void)
{
	uint64_t seed = opt.seed, busy_pages, idle_pages, shrink_ns;
	struct round rb = {}, ri = {}, second = {};
	unsigned int passes;
	struct client *busy, *idle;
	struct timespec ts = {};
	uint32_t syncobj;
	struct plan p;

	p = plan_subtest(IGT_SHRINK_SYSTEM, DROP_CACHES, 0, 2, BUSY_CAP);
	busy = client_new(&p, true);
	idle = client_new(&p, false);
	fill(busy, &p, 0, seed, 0);
	fill(idle, &p, 0, seed, 1000);
	busy_pages = idle_pages = p.total / SZ_4K;
	make_resident(busy, seed, "busy");
	make_resident(idle, seed, "idle");

	syncobj = start_spinner(busy);
	igt_nsec_elapsed(&ts);
	shrink_busy(busy, idle, &rb, &ri);
	shrink_ns = igt_nsec_elapsed(&ts);
	igt_info("drop_caches (shrinkers) while the spinner runs: %.2f s\n", shrink_ns / 1e9);
	end_spinner(busy, syncobj, shrink_ns);

	igt_info("while busy: idle client %" PRId64 " of %" PRIu64 " pages left residency, "
		 "busy client %" PRId64 " of %" PRIu64 " (fdinfo)\n",
		 left_pages(&ri.filled, &ri.shrunk), idle_pages,
		 left_pages(&rb.filled, &rb.shrunk), busy_pages);
	igt_assert_f(left_pages(&ri.filled, &ri.shrunk) * 100 >=
		     (int64_t)idle_pages * MIN_PERCENT,
		     "idle BOs were not shrunk while others were busy\n");
	igt_assert_f(left_pages(&rb.filled, &rb.shrunk) * 2 < (int64_t)busy_pages,
		     "busy BOs were shrunk while their job ran\n");

	/*
	 * Judged from where the busy phase left the BOs: what left since, left
	 * once idle. The shrinker only trylocks, so a reservation still held
	 * right after the fence signalled can make it pass the BOs over: a few
	 * passes, a short pause apart, before calling them unshrinkable.
	 */
	second.filled = rb.shrunk;
	for (passes = 1; ; passes++) {
		igt_reclaim_drop_caches(2);
		second.shrunk = igt_client_mem(busy->fd);
		if (passes == IDLE_SHRINK_PASSES ||
		    left_pages(&second.filled, &second.shrunk) * 100 >=
		    (int64_t)busy_pages * MIN_PERCENT)
			break;
		usleep(100 * 1000);
	}
	igt_info("once idle: busy client %" PRId64 " of %" PRIu64 " pages left residency"
		 " (%u drop_caches pass%s)\n",
		 left_pages(&second.filled, &second.shrunk), busy_pages,
		 passes, passes == 1 ? "" : "es");
	igt_assert_f(left_pages(&second.filled, &second.shrunk) * 100 >=
		     (int64_t)busy_pages * MIN_PERCENT,
		     "once idle, the formerly busy BOs were not shrunk\n");

	restore_and_check(busy, seed, 0, &second);
	restore_and_check(idle, seed, 0, &ri);
	client_fini(busy);
	client_fini(idle);
}

/* What a multi-client child reports: its fdinfo at the three points */
struct child_report {
	struct igt_client_mem filled, shrunk, restored;
};

static void read_token(int fd, const char *what)
{
	char token;

	igt_assert_f(read(fd, &token, 1) == 1, "%s\n", what);
}

/*
 * One multi-client child: fills its BOs, reports, waits for the shrink,
 * checks them by GPU and CPU, reports its counters, and frees its BOs only
 * once the parent has taken its figures.
 */
static void multi_client_child(const struct plan *p, unsigned int child,
			       int to_parent, int from_parent)
{
	uint64_t seed = opt.seed + child;
	struct child_report rep = {};
	struct client *c;

	c = client_new(p, true);
	fill(c, p, GPU, seed, child * 1000);
	rep.filled = igt_client_mem(c->fd);
	igt_assert(write(to_parent, &rep, sizeof(rep)) == sizeof(rep));
	read_token(from_parent, "parent gone before the shrink");

	rep.shrunk = igt_client_mem(c->fd);
	for (unsigned int i = 0; i < c->count; i++)
		gpu_read_samples(c, &c->bos[i], seed);
	for (unsigned int i = 0; i < c->count; i++)
		cpu_verify(c, &c->bos[i], seed, true);
	rep.restored = igt_client_mem(c->fd);
	igt_assert(write(to_parent, &rep, sizeof(rep)) == sizeof(rep));
	read_token(from_parent, "parent gone before the free");
	client_fini(c);
}

/* Reads one report from each child; sums them into @r unless NULL */
static void collect(int fd, struct round *r)
{
	for (int i = 0; i < CLIENTS; i++) {
		struct child_report rep;

		igt_assert_f(read(fd, &rep, sizeof(rep)) == sizeof(rep), "a client died\n");
		if (!r)
			continue;
		mem_add(&r->filled, &rep.filled);
		mem_add(&r->shrunk, &rep.shrunk);
		mem_add(&r->restored, &rep.restored);
	}
}

static void release(int fd)
{
	for (int i = 0; i < CLIENTS; i++)
		igt_assert(write(fd, "g", 1) == 1);
}

static void test_multi_client(void)
{
	struct igt_vmstat *before;
	struct round r = {};
	int up[2], down[2];
	struct plan p;

	p = plan_subtest(IGT_SHRINK_SYSTEM, DROP_CACHES, GPU, CLIENTS, 0);
	igt_assert(pipe(up) == 0 && pipe(down) == 0);
	/* A client that dies early must not leave the others waiting forever */
	igt_set_timeout(SUBTEST_TIMEOUT, "multi-client: clients stuck");

	igt_fork(child, CLIENTS) {
		close(up[0]);
		close(down[1]);
		multi_client_child(&p, child, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);

	collect(up[0], NULL);
	before = igt_vmstat_snapshot();
	igt_reclaim_drop_caches(2);
	record_trigger(&r, before);

	/* The restore is counted up to the checks, before any client frees */
	before = igt_vmstat_snapshot();
	release(down[1]);
	collect(up[0], &r);
	record_restore(&r, before);
	release(down[1]);
	igt_waitchildren();
	close(up[0]);
	close(down[1]);

	igt_info("%d clients: %" PRId64 " pages left residency, %" PRId64
		 " resident again (their fdinfo, summed); system: shmem %+" PRId64
		 ", swap-in %" PRId64 " pages\n", CLIENTS,
		 left_pages(&r.filled, &r.shrunk), left_pages(&r.restored, &r.shrunk),
		 r.shmem_in, r.swapped_in);
	judge(&r, p.total * CLIENTS / SZ_4K, IGT_SHRINK_EXPECT_BACKUP, MIN_PERCENT);
}

#if defined(DRM_XE_VMA_ATTR_PURGEABLE_STATE) && \
	defined(DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT)
static void require_purging(void)
{
	int fd = drm_open_driver(DRIVER_XE);
	bool has = xe_config(fd)->info[DRM_XE_QUERY_CONFIG_FLAGS] &
		   DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT;

	drm_close_driver(fd);
	igt_require_f(has, "the kernel does not report "
		      "DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT\n");
}

static void test_purgeable(void)
{
	uint64_t keep_pages = 0, drop_pages = 0, seed = opt.seed;
	struct igt_vmstat *before;
	struct client *c;
	struct round r;
	struct plan p;

	free_leftovers();
	require_purging();
	p = plan_subtest(IGT_SHRINK_NO_SWAP, DROP_CACHES, 0, 1, 0);
	igt_require_f(p.count >= 2, "room for %u BO: need 2\n", p.count);
	c = client_new(&p, false);
	/* Purging works on VM ranges: bind every BO, without the GPU batches */
	for (unsigned int i = 0; i < p.count; i++) {
		struct bo *bo = add_bo(c, p.bo_size, i, GPU, seed);

		if (i & 1) {
			xe_vm_madvise_purgeable(c->fd, c->vm, bo->addr, bo->size,
						DRM_XE_VMA_PURGEABLE_STATE_DONTNEED);
			drop_pages += p.bo_size / SZ_4K;
		} else {
			keep_pages += p.bo_size / SZ_4K;
		}
	}

	r.filled = igt_client_mem(c->fd);
	igt_info("before: %" PRIu64 " pages purgeable (fdinfo), %" PRIu64 " marked DONTNEED\n",
		 pages_of(r.filled.purgeable), drop_pages);
	igt_assert_f(pages_of(r.filled.purgeable) >= (int64_t)drop_pages,
		     "fdinfo counts %" PRIu64 " pages purgeable, fewer than the %" PRIu64
		     " DONTNEED ones\n", pages_of(r.filled.purgeable), drop_pages);
	before = igt_vmstat_snapshot();
	igt_reclaim_drop_caches(2);
	record_trigger(&r, before);
	r.shrunk = igt_client_mem(c->fd);
	igt_info("drop_caches: %" PRId64 " pages left residency (fdinfo), shmem %+" PRId64
		 " pages\n", left_pages(&r.filled, &r.shrunk), r.shmem_in);
	igt_assert_f(left_pages(&r.filled, &r.shrunk) * 100 >= (int64_t)drop_pages * MIN_PERCENT,
		     "DONTNEED BOs were not dropped\n");
	igt_assert_f(r.shmem_in < (int64_t)(keep_pages + drop_pages / 2),
		     "DONTNEED BOs were backed up instead of purged: shmem grew by %" PRId64
		     " pages, %" PRIu64 " WILLNEED pages\n", r.shmem_in, keep_pages);

	for (unsigned int i = 0; i < c->count; i++) {
		struct bo *bo = &c->bos[i];

		if (i & 1)
			igt_assert_f(!xe_vm_madvise_purgeable(c->fd, c->vm, bo->addr, bo->size,
							      DRM_XE_VMA_PURGEABLE_STATE_WILLNEED),
				     "DONTNEED BO %u survived drop_caches\n", i);
		else
			cpu_verify(c, bo, seed, false);
	}
	igt_info("purgeable: %" PRIu64 " DONTNEED pages purged, %" PRIu64
		 " WILLNEED pages intact\n", drop_pages, keep_pages);
	client_fini(c);
}
#else
static void test_purgeable(void)
{
	igt_skip("built without DRM_XE_VMA_ATTR_PURGEABLE_STATE and "
		 "DRM_XE_QUERY_CONFIG_FLAG_HAS_PURGING_SUPPORT in xe_drm.h\n");
}
#endif

/*
 * Every other BO gets its GEM handle closed while a CPU mapping keeps it
 * alive; the others stay open, the control that the trigger shrank
 * something. The closed ones are no longer in the client's fdinfo.
 */
static void test_closed_mapping(void)
{
	uint64_t seed = opt.seed, open_pages = 0, closed = 0;
	struct igt_bo_pattern_result bad = {};
	void *maps[MAX_BOS] = {};
	struct client *c;
	struct round r;
	struct plan p;

	p = plan_subtest(IGT_SHRINK_SYSTEM, DROP_CACHES, 0, 1, 0);
	/* Every other BO gets its handle closed: two BOs at least */
	if (p.count < 2)
		cut_bos(&p, p.total / 2);
	c = client_new(&p, false);
	/* Without a VM: nothing but the handle and the mapping refers to them */
	fill(c, &p, NO_VM, seed, 0);
	for (unsigned int i = 1; i < c->count; i += 2) {
		maps[i] = bo_map(c, &c->bos[i]);
		gem_close(c->fd, c->bos[i].handle);
		c->bos[i].handle = 0;
		closed++;
	}
	open_pages = (c->count - closed) * p.bo_size / SZ_4K;
	igt_info("%" PRIu64 " BOs mapped with their handle closed, %" PRIu64
		 " pages in BOs kept open\n", closed, open_pages);

	shrink(c, DROP_CACHES, p.total, &r);
	/* Unmap them all before failing: a mapping keeps its BO alive */
	for (unsigned int i = 1; i < c->count; i += 2) {
		struct igt_bo_pattern_result res;

		if (igt_bo_pattern_verify(maps[i], c->bos[i].size, seed, c->bos[i].index,
					  &res) && !bad.mismatches)
			bad = res;
		munmap(maps[i], c->bos[i].size);
	}
	igt_assert_f(!bad.mismatches, "closed BO %u read through its mapping: %" PRIu64
		     " of %" PRIu64 " words wrong, first at offset %#" PRIx64 ": %#018"
		     PRIx64 ", expected %#018" PRIx64 " (purged instead of backed up?)\n",
		     bad.bo, bad.mismatches, bad.words, bad.offset, bad.found, bad.expected);
	igt_info("closed BOs: every word intact through the mappings\n");

	for (unsigned int i = 0; i < c->count; i += 2)
		cpu_verify(c, &c->bos[i], seed, false);
	r.restored = igt_client_mem(c->fd);
	judge(&r, open_pages, IGT_SHRINK_EXPECT_BACKUP, MIN_PERCENT);
	client_fini(c);
}

/*
 * Fills @p's BOs while RAM runs out: once the BOs exceed what was
 * available less the margin, a memory.reclaim pass after each BO makes room
 * (each BO has its own reservation, so the shrinker can take the ones not
 * being filled).
 */
static void fill_over_ram(struct client *c, const struct plan *p, uint64_t avail,
			  uint64_t seed)
{
	uint64_t margin = igt_shrink_margin(avail), filled = 0;
	struct timespec ts = {};
	int err;

	igt_nsec_elapsed(&ts);
	for (unsigned int i = 0; i < p->count; i++) {
		add_bo(c, p->bo_size, i, NO_VM, seed);
		filled += p->bo_size;
		if (filled + margin > avail) {
			err = __igt_reclaim_memory(p->bo_size);
			igt_assert_f(err >= 0, "memory.reclaim: %s\n", strerror(-err));
		}
	}
	igt_info("created and filled %u BOs of %" PRIu64 " MiB: %.0f MiB/s\n", p->count,
		 p->bo_size / SZ_1M, mib_s(p->total, igt_nsec_elapsed(&ts)));
}

static void test_over_ram(void)
{
	uint64_t excess, avail, seed = opt.seed;
	struct igt_shrink_counts counts;
	struct igt_vmstat *before, *oom;
	struct client *c;
	struct round r;
	struct plan p;
	int64_t kills;
	int fd;

	p = plan_subtest(IGT_SHRINK_OVER_RAM, RECLAIM, 0, 1, 0);
	fd = drm_open_driver(DRIVER_XE);
	avail = resources(fd, false).avail_ram;
	drm_close_driver(fd);
	excess = p.total > avail ? p.total - avail : 0;
	c = client_new(&p, false);

	oom = igt_vmstat_snapshot();
	igt_knob_set(SWAPPINESS, "100");
	r.filled = igt_client_mem(c->fd);
	before = igt_vmstat_snapshot();
	fill_over_ram(c, &p, avail, seed);
	reclaim_bos(excess);
	record_trigger(&r, before);
	/* What would be resident had nothing been shrunk */
	r.filled.resident += p.total;
	r.shrunk = igt_client_mem(c->fd);
	igt_info("fill and memory.reclaim: %" PRId64 " BO pages left residency (fdinfo), "
		 "%" PRId64 " swapped out, %" PRIu64 " MiB beyond available RAM\n",
		 left_pages(&r.filled, &r.shrunk), r.swapped_out, excess / SZ_1M);

	restore_and_check(c, seed, 0, &r);
	oom = igt_vmstat_delta_since(oom);
	kills = igt_vmstat_get(oom, "oom_kill");
	igt_vmstat_free(oom);
	igt_assert_f(kills == 0, "%" PRId64 " processes were OOM-killed\n", kills);

	/*
	 * Reading 1.5x RAM back pushes BOs out again as others return, so the
	 * client's resident count at the end cannot show the return; what came
	 * back is read from swap and shmem, and every word was checked.
	 */
	counts.backed_up = left_pages(&r.filled, &r.shrunk);
	counts.swapped = r.swapped_out;
	counts.restored = r.swapped_in + max_t(int64_t, r.shmem_out, 0);
	judge_shrink(&counts, excess / SZ_4K, IGT_SHRINK_EXPECT_SWAP, MIN_PERCENT);
	client_fini(c);
}

static const char help_str[] =
	"  --size-mb=N\tTotal BO memory of each subtest in MiB instead of the automatic size\n"
	"  --rounds=N\tShrink/restore rounds of the cycles subtest, 1 to 100 (default 3)\n"
	"  --seed=N\tSeed of the BO contents (default: random, printed)\n";

static const struct trigger_desc {
	const char *name;
	enum trigger trigger;
	bool vram;	/* also a vram-evict-* subtest */
} triggers[] = {
	{ "drop-caches", DROP_CACHES, true },
	{ "reclaim", RECLAIM, true },
	{ "pressure", PRESSURE, false },
};

static const struct {
	const char *suffix;
	unsigned int flags;
	const char *describe;
} system_variants[] = {
	{ "", 0, "Idle system-memory BOs shrunk by one trigger, every word checked by the CPU." },
	{ "-wc", WC, "The same with write-combined BOs." },
	{ "-gpu", GPU, "The same with the GPU writing before and reading after the shrink." },
};

static const struct {
	const char *name;
	void (*func)(void);
	const char *describe;
} others[] = {
	{ "busy", test_busy, "Busy BOs are skipped by the shrinker and shrunk once idle." },
	{ "no-swap", test_no_swap, "Without swap nothing is shrunk and nothing is lost." },
	{ "multi-client", test_multi_client,
	  "Several processes with their own fd, VM and BOs shrunk at once." },
	{ "external", test_external, "Exported BOs created without a VM are shrunk and restored." },
	{ "purgeable", test_purgeable,
	  "DONTNEED BOs are purged, not swapped; WILLNEED BOs stay intact." },
	{ "cycles", test_cycles, "Several shrink/restore rounds with a new pattern each round." },
	{ "closed-mapping", test_closed_mapping,
	  "BOs mapped with their GEM handle closed keep their data across a shrink." },
	{ "over-ram", test_over_ram, "BOs totalling 1.5x RAM through swap, every word checked." },
};

int igt_main_args("", igt_shrink_long_opts, help_str, igt_shrink_opt_handler, &opt)
{
	char name[64];

	igt_fixture() {
		int fd = drm_open_driver(DRIVER_XE);

		drm_close_driver(fd);
		opt.seed = igt_shrink_seed(opt.seed_set, opt.seed);
		/*
		 * igt_knob_set() and igt_pressure_start() install their own exit
		 * handlers (settings restored, hog killed); this one ends a GPU
		 * spinner a failed subtest left running.
		 */
		igt_install_exit_handler(spin_exit_handler);
	}

	for (int i = 0; i < ARRAY_SIZE(triggers); i++) {
		for (int v = 0; v < ARRAY_SIZE(system_variants); v++) {
			igt_describe(system_variants[v].describe);
			igt_subtest_f("system-%s%s", triggers[i].name, system_variants[v].suffix) {
				snprintf(name, sizeof(name), "system-%s%s", triggers[i].name,
					 system_variants[v].suffix);
				igt_set_timeout(SUBTEST_TIMEOUT, name);
				test_system(triggers[i].trigger, system_variants[v].flags);
				free_leftovers();
			}

			igt_fixture()
				igt_reset_timeout();
		}
	}

	for (int i = 0; i < ARRAY_SIZE(triggers); i++) {
		if (!triggers[i].vram)
			continue;
		igt_describe("VRAM BOs overcommitted so some are evicted, then shrunk; checked by GPU and CPU.");
		igt_subtest_f("vram-evict-%s", triggers[i].name) {
			snprintf(name, sizeof(name), "vram-evict-%s", triggers[i].name);
			igt_set_timeout(SUBTEST_TIMEOUT, name);
			test_vram(triggers[i].trigger);
			free_leftovers();
		}

		igt_fixture()
			igt_reset_timeout();
	}

	for (int i = 0; i < ARRAY_SIZE(others); i++) {
		igt_describe(others[i].describe);
		igt_subtest(others[i].name) {
			igt_set_timeout(SUBTEST_TIMEOUT, others[i].name);
			others[i].func();
			free_leftovers();
		}

		igt_fixture()
			igt_reset_timeout();
	}

	igt_fixture()
		free_leftovers();
}
