// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libkmod.h>

#include "igt_core.h"
#include "igt_kmod.h"

/* libkmod's own messages would land on stderr and turn results into warn. */
static void quiet_log(void *data, int priority, const char *file, int line,
		      const char *fn, const char *format, va_list args)
{
}

/* One context per process, honouring IGT_KMOD_DIRNAME like upstream. */
static struct kmod_ctx *get_kmod_ctx(void)
{
	static struct kmod_ctx *ctx;

	if (!ctx) {
		ctx = kmod_new(getenv("IGT_KMOD_DIRNAME"), NULL);
		if (ctx)
			kmod_set_log_fn(ctx, quiet_log, NULL);
	}
	return ctx;
}

/**
 * igt_kmod_load:
 * @mod_name: module name, e.g. "vgem"
 * @opts: module options, or NULL / "" for none
 *
 * Loads @mod_name and its dependencies like modprobe.
 *
 * Returns: 0 on success, -EEXIST when the module was loaded already, another
 * negative errno value when it could not be loaded.
 */
int igt_kmod_load(const char *mod_name, const char *opts)
{
	struct kmod_ctx *ctx = get_kmod_ctx();
	struct kmod_module *mod;
	int err;

	if (!ctx)
		return -ENOSYS;
	err = kmod_module_new_from_name(ctx, mod_name, &mod);
	if (err < 0)
		return err;

	err = kmod_module_probe_insert_module(mod, KMOD_PROBE_FAIL_ON_LOADED,
					      opts && *opts ? opts : NULL,
					      NULL, NULL, NULL);
	if (err < 0 && err != -EEXIST)
		igt_debug("Could not load module %s: %s\n", mod_name,
			  strerror(-err));
	else if (err > 0) /* blacklisted or otherwise skipped */
		err = -EPERM;
	kmod_module_unref(mod);

	return err;
}
