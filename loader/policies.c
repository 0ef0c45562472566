// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in policies (bpf/NAME.bpf.c), embedded in migctl: bpftool's
 * skeletons are used for their ELF bytes only, which migctl opens with
 * bpf_object__open_mem() as it opens a FILE.bpf.o it has read. Their
 * tunables, defaults and counters are read from each object's BTF
 * (tunables.c), so adding a policy is one line here and its name in the
 * Makefile's MIGCTL_POLICIES.
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
	.elf_bytes = _name##__elf_bytes,				\
}

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

struct bpf_object *builtin_open(const struct builtin *b, const void **bytes, size_t *size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = b->name);

	*bytes = b->elf_bytes(size);
	return bpf_object__open_mem(*bytes, *size, &opts);
}
