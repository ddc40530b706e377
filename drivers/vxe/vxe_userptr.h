/* SPDX-License-Identifier: GPL-2.0 */
/* Userptr bindings (vxe_userptr.c, as xe's xe_userptr.h). */
#ifndef VXE_USERPTR_H
#define VXE_USERPTR_H

#include <linux/types.h>

struct vxe_userptr;
struct vxe_vm;

/**
 * vxe_userptr_create() - pin a CPU range for a MAP_USERPTR binding
 * @vm: the VM the binding is in (no reference is taken)
 * @start: CPU address, page aligned
 * @size: bytes, page aligned
 * @readonly: a read-only binding: pinned without FOLL_WRITE
 *
 * Pins in the caller's mm, before any dma_resv is locked (pinning takes
 * mmap_lock). Return: the userptr with one reference, or an ERR_PTR().
 */
struct vxe_userptr *vxe_userptr_create(struct vxe_vm *vm, u64 start, u64 size,
				       bool readonly);

/** vxe_userptr_get() - take a reference (NULL is passed through) */
struct vxe_userptr *vxe_userptr_get(struct vxe_userptr *up);

/** vxe_userptr_put() - drop a reference (NULL is ignored) */
void vxe_userptr_put(struct vxe_userptr *up);

/**
 * vxe_userptr_access() - read or write the pinned pages, for the engine
 * @up: the userptr
 * @cpu: CPU address inside the range; the access stays within one page
 * @buf: data to write or buffer to read into
 * @len: bytes
 * @write: true to write @buf
 *
 * Return: 0, or -EFAULT when the pages went stale or @cpu is outside.
 */
int vxe_userptr_access(struct vxe_userptr *up, u64 cpu, void *buf, size_t len,
		       bool write);

/**
 * vxe_vm_userptr_revalidate() - re-pin the userptr bindings a CPU mapping change invalidated
 * @vm: the VM, its lock held (read), no dma_resv held (pinning takes mmap_lock)
 *
 * As xe does before an exec: a userptr whose pages changed under its MMU
 * notifier gets the current pages. Return: 0, or -EFAULT when the range is
 * no longer mapped.
 */
int vxe_vm_userptr_revalidate(struct vxe_vm *vm);

/**
 * vxe_vm_userptr_begin() - hold off userptr invalidations until the job is fenced
 * @vm: the VM, its lock held (read)
 *
 * Checks that every userptr binding still has its pages and, if so, keeps
 * the MMU notifiers waiting until vxe_vm_userptr_end(): by then the job's
 * fence is in the VM's resv and the notifiers wait for it (xe does the same
 * with its userptr notifier lock). Nothing between begin and end may
 * allocate memory. Return: 0, or -EAGAIN when a binding went stale (re-pin
 * and retry).
 */
int vxe_vm_userptr_begin(struct vxe_vm *vm);

/** vxe_vm_userptr_end() - end what vxe_vm_userptr_begin() started */
void vxe_vm_userptr_end(struct vxe_vm *vm);

#endif
