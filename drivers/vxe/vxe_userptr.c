// SPDX-License-Identifier: GPL-2.0
/*
 * Userptr bindings of vxe (MAP_USERPTR), as xe's xe_userptr.c: the pages
 * of a CPU range pinned, an MMU interval notifier that marks them stale
 * when the CPU mapping changes, the re-pin before an exec and the notifier
 * lock an exec holds until its fence is in the VM's resv.
 */

#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <drm/drm_gpuvm.h>

#include "vxe_userptr.h"
#include "vxe_vm_types.h"

/*
 * A userptr range (MAP_USERPTR): its pages pinned, and an MMU interval
 * notifier that marks them stale when the CPU mapping changes (munmap, an
 * mmap over it, fork's COW...), after waiting for the VM's jobs, as xe's
 * vma_userptr_invalidate() does. The next exec pins the current pages. The
 * pieces of a split binding share one until that exec gives each its own.
 */
struct vxe_userptr {
	struct mmu_interval_notifier notifier;
	struct kref ref;
	struct vxe_vm *vm;	/* no reference: its bindings live in the VM */
	spinlock_t lock;	/* pages and valid, against the engine */
	struct page **pages;
	unsigned long npages;
	u64 start;		/* CPU address of pages[0] */
	bool readonly;
	bool valid;
};

/*
 * xe faults userptr pages in without pinning them; vxe pins, and pinned
 * pages cannot be swapped: pinning 1 GiB of a 1 GiB guest ended in an OOM
 * kill rather than swapping. So all userptr pins together stay below 3/4 of
 * RAM; past that a bind or an exec gets -ENOMEM.
 */
static atomic_long_t vxe_userptr_pinned;

static bool vxe_userptr_charge(unsigned long npages)
{
	if (atomic_long_add_return(npages, &vxe_userptr_pinned) > totalram_pages() / 4 * 3) {
		atomic_long_sub(npages, &vxe_userptr_pinned);
		return false;
	}
	return true;
}

static void vxe_userptr_unpin(struct vxe_userptr *up, struct page **pages)
{
	if (!pages)
		return;
	unpin_user_pages_dirty_lock(pages, up->npages, !up->readonly);
	kvfree(pages);
	atomic_long_sub(up->npages, &vxe_userptr_pinned);
}

/* The pages of the range now, in the mm of the process that bound it. */
static int vxe_userptr_pin(struct vxe_userptr *up, struct page ***out)
{
	unsigned int gup = up->readonly ? 0 : FOLL_WRITE;
	unsigned long done = 0;
	struct page **pages;
	long n;

	if (current->mm != up->notifier.mm)
		return -EFAULT;
	if (!vxe_userptr_charge(up->npages))
		return -ENOMEM;
	pages = kvmalloc_array(up->npages, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		atomic_long_sub(up->npages, &vxe_userptr_pinned);
		return -ENOMEM;
	}

	while (done < up->npages) {
		n = pin_user_pages_fast(up->start + done * PAGE_SIZE,
					min_t(unsigned long, up->npages - done, SZ_64K),
					gup, pages + done);
		if (n <= 0) {
			unpin_user_pages(pages, done);
			kvfree(pages);
			atomic_long_sub(up->npages, &vxe_userptr_pinned);
			return n ? n : -EFAULT;
		}
		done += n;
	}
	*out = pages;
	return 0;
}

/* Pins the current pages; retries while the notifier keeps invalidating. */
static int vxe_userptr_repin(struct vxe_userptr *up)
{
	struct page **pages, **old;
	unsigned long seq;
	int tries, err;

	for (tries = 0; tries < 8; tries++) {
		seq = mmu_interval_read_begin(&up->notifier);
		err = vxe_userptr_pin(up, &pages);
		if (err)
			return err;

		spin_lock(&up->lock);
		if (!mmu_interval_read_retry(&up->notifier, seq)) {
			old = up->pages;
			up->pages = pages;
			up->valid = true;
			spin_unlock(&up->lock);
			vxe_userptr_unpin(up, old);
			return 0;
		}
		spin_unlock(&up->lock);
		vxe_userptr_unpin(up, pages);
	}
	return -EAGAIN;
}

static bool vxe_userptr_invalidate(struct mmu_interval_notifier *mni,
				   const struct mmu_notifier_range *range,
				   unsigned long cur_seq)
{
	struct vxe_userptr *up = container_of(mni, struct vxe_userptr, notifier);
	struct vxe_vm *vm = up->vm;

	if (mmu_notifier_range_blockable(range)) {
		down_write(&vm->userptr_notifier_lock);
	} else if (!down_write_trylock(&vm->userptr_notifier_lock)) {
		return false;
	} else if (!dma_resv_test_signaled(vxe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP)) {
		up_write(&vm->userptr_notifier_lock);
		return false;
	}

	/* The VM's jobs may be using the pages: let them end first. */
	dma_resv_wait_timeout(vxe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP, false,
			      msecs_to_jiffies(VXE_VM_WAIT_MS));
	spin_lock(&up->lock);
	mmu_interval_set_seq(mni, cur_seq);
	up->valid = false;
	spin_unlock(&up->lock);
	up_write(&vm->userptr_notifier_lock);
	return true;
}

static const struct mmu_interval_notifier_ops vxe_userptr_notifier_ops = {
	.invalidate = vxe_userptr_invalidate,
};

struct vxe_userptr *vxe_userptr_create(struct vxe_vm *vm, u64 start, u64 size,
				       bool readonly)
{
	struct vxe_userptr *up;
	int err;

	if (!current->mm)
		return ERR_PTR(-EFAULT);
	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return ERR_PTR(-ENOMEM);
	kref_init(&up->ref);
	spin_lock_init(&up->lock);
	up->vm = vm;
	up->start = start;
	up->npages = size >> PAGE_SHIFT;
	up->readonly = readonly;

	err = mmu_interval_notifier_insert(&up->notifier, current->mm, start, size,
					   &vxe_userptr_notifier_ops);
	if (err) {
		kfree(up);
		return ERR_PTR(err);
	}
	err = vxe_userptr_repin(up);
	if (err) {
		mmu_interval_notifier_remove(&up->notifier);
		kfree(up);
		return ERR_PTR(err);
	}
	return up;
}

static void vxe_userptr_release(struct kref *ref)
{
	struct vxe_userptr *up = container_of(ref, struct vxe_userptr, ref);

	mmu_interval_notifier_remove(&up->notifier);
	vxe_userptr_unpin(up, up->pages);
	kfree(up);
}

struct vxe_userptr *vxe_userptr_get(struct vxe_userptr *up)
{
	if (up)
		kref_get(&up->ref);
	return up;
}

void vxe_userptr_put(struct vxe_userptr *up)
{
	if (up)
		kref_put(&up->ref, vxe_userptr_release);
}

/* @cpu: CPU address inside the range. Engine side, under vm->va_lock. */
int vxe_userptr_access(struct vxe_userptr *up, u64 cpu, void *buf, size_t len,
		       bool write)
{
	unsigned long idx = (cpu - up->start) >> PAGE_SHIFT;
	int err = 0;
	void *p;

	spin_lock(&up->lock);
	if (!up->valid || cpu < up->start || idx >= up->npages) {
		err = -EFAULT;
	} else {
		p = kmap_local_page(up->pages[idx]);
		if (write)
			memcpy(p + offset_in_page(cpu), buf, len);
		else
			memcpy(buf, p + offset_in_page(cpu), len);
		kunmap_local(p);
	}
	spin_unlock(&up->lock);
	return err;
}

int vxe_vm_userptr_revalidate(struct vxe_vm *vm)
{
	struct vxe_userptr *up, *piece;
	struct drm_gpuva *va;
	int err = 0;

	mutex_lock(&vm->userptr_lock);
	drm_gpuvm_for_each_va(va, &vm->gpuvm) {
		up = to_vxe_vma(va)->userptr;
		if (!up)
			continue;
		if (up->start != va->gem.offset || up->npages != va->va.range >> PAGE_SHIFT) {
			/* A piece of a split binding: its own range and notifier. */
			piece = vxe_userptr_create(vm, va->gem.offset, va->va.range, up->readonly);
			if (IS_ERR(piece)) {
				err = PTR_ERR(piece);
				break;
			}
			mutex_lock(&vm->va_lock);
			to_vxe_vma(va)->userptr = piece;
			mutex_unlock(&vm->va_lock);
			vxe_userptr_put(up);
		} else if (!READ_ONCE(up->valid)) {
			err = vxe_userptr_repin(up);
			if (err)
				break;
		}
	}
	mutex_unlock(&vm->userptr_lock);
	return err;
}

int vxe_vm_userptr_begin(struct vxe_vm *vm)
{
	struct drm_gpuva *va;

	down_read(&vm->userptr_notifier_lock);
	drm_gpuvm_for_each_va(va, &vm->gpuvm) {
		struct vxe_userptr *up = to_vxe_vma(va)->userptr;

		if (up && !READ_ONCE(up->valid)) {
			up_read(&vm->userptr_notifier_lock);
			return -EAGAIN;
		}
	}
	return 0;
}

void vxe_vm_userptr_end(struct vxe_vm *vm)
{
	up_read(&vm->userptr_notifier_lock);
}
