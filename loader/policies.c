// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in policies (bpf/NAME.bpf.c), embedded in migctl as skeletons.
 * Their tunables, defaults and counters are read from each object's BTF
 * (tunables.c), so adding a policy is one line here and one rule in the
 * Makefile.
 */
#include <string.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "migctl.h"
#include "policies.h"
#include "always.skel.h"
#include "never.skel.h"
#include "size.skel.h"
#include "reason.skel.h"
#include "workload.skel.h"
#include "adaptive.skel.h"
#include "tier.skel.h"

#define BUILTIN(_name, _summary) {					\
	.name = #_name,							\
	.summary = (_summary),						\
	.open = open_##_name,						\
	.destroy = destroy_##_name,					\
}

/* NOLINTBEGIN(bugprone-macro-parentheses): _name is a type and a prefix */
#define SKEL_OPS(_name)							\
static struct bpf_object *open_##_name(void **skel)			\
{									\
	struct _name *s = _name##__open();				\
									\
	*skel = s;							\
	return s ? s->obj : NULL;					\
}									\
static void destroy_##_name(void *skel)					\
{									\
	_name##__destroy(skel);						\
}

SKEL_OPS(always)
SKEL_OPS(never)
SKEL_OPS(size)
SKEL_OPS(reason)
SKEL_OPS(workload)
SKEL_OPS(adaptive)
SKEL_OPS(tier)
/* NOLINTEND(bugprone-macro-parentheses) */

const struct builtin builtins[] = {
	BUILTIN(always, "offload every folio (baseline)"),
	BUILTIN(never, "copy every folio with the CPU (baseline, off switch)"),
	BUILTIN(size, "offload folios of at least min_order and min_bytes"),
	BUILTIN(reason, "offload or not per migration reason"),
	BUILTIN(workload, "per-cgroup rules: offload on/off, min_order; a default"),
	BUILTIN(adaptive, "offload only batches of at least min_batch_bytes"),
	BUILTIN(tier, "tiered memory: offload demotions, promotions only in large batches"),
};
const int nr_builtins = sizeof(builtins) / sizeof(builtins[0]);

const struct builtin *builtin_find(const char *name)
{
	for (int i = 0; i < nr_builtins; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}
