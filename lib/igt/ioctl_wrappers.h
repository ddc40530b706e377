/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Driver-agnostic ioctl helpers from upstream IGT's lib/ioctl_wrappers.h:
 * the ioctl hook, GEM handle closing, PRIME (dma-buf) import and export.
 */

#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>

/*
 * Every helper issues its ioctls through this pointer (drmIoctl() unless a
 * test swaps it, e.g. to inject failures); per thread.
 */
extern __thread int (*igt_ioctl)(int fd, unsigned long request, void *arg);

void gem_close(int fd, uint32_t handle);

/* dma-buf CPU access bracketing, as linux/dma-buf.h defines it. */
struct local_dma_buf_sync {
	uint64_t flags;
};

#define LOCAL_DMA_BUF_SYNC_READ      (1 << 0)
#define LOCAL_DMA_BUF_SYNC_WRITE     (2 << 0)
#define LOCAL_DMA_BUF_SYNC_RW        (LOCAL_DMA_BUF_SYNC_READ | LOCAL_DMA_BUF_SYNC_WRITE)
#define LOCAL_DMA_BUF_SYNC_START     (0 << 2)
#define LOCAL_DMA_BUF_SYNC_END       (1 << 2)
#define LOCAL_DMA_BUF_SYNC_VALID_FLAGS_MASK \
		(LOCAL_DMA_BUF_SYNC_RW | LOCAL_DMA_BUF_SYNC_END)

#define LOCAL_DMA_BUF_BASE 'b'
#define LOCAL_DMA_BUF_IOCTL_SYNC _IOW(LOCAL_DMA_BUF_BASE, 0, struct local_dma_buf_sync)

#ifndef DRM_RDWR
#define DRM_RDWR O_RDWR
#endif

int prime_handle_to_fd(int fd, uint32_t handle);

/**
 * to_user_pointer:
 * @ptr: a pointer
 *
 * Returns: @ptr as the u64 that ioctl structures carry.
 */
static inline uint64_t to_user_pointer(const void *ptr)
{
	return (uintptr_t)ptr;
}

/**
 * from_user_pointer:
 * @u64p: a u64 from an ioctl structure
 *
 * Returns: @u64p as a pointer.
 */
static inline void *from_user_pointer(uint64_t u64p)
{
	return (void *)(uintptr_t)u64p;
}

/**
 * lower_32_bits:
 * @x: a u64
 *
 * Returns: the low half of @x.
 */
static inline uint32_t lower_32_bits(uint64_t x)
{
	return x & 0xffffffff;
}

/**
 * upper_32_bits:
 * @x: a u64
 *
 * Returns: the high half of @x.
 */
static inline uint32_t upper_32_bits(uint64_t x)
{
	return x >> 32;
}

#endif /* IOCTL_WRAPPERS_H */
