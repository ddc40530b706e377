/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Kernel module loading through libkmod: the part of upstream IGT's
 * lib/igt_kmod.h that opening a driver needs.
 */

#ifndef IGT_KMOD_H
#define IGT_KMOD_H

#include <stdbool.h>

int igt_kmod_load(const char *mod_name, const char *opts);

#endif /* IGT_KMOD_H */
