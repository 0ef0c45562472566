// SPDX-License-Identifier: GPL-2.0
/*
 * workload: per-cgroup rules, a default for everything else.
 *
 * Each memory cgroup can have its own rule: offload its folios or not,
 * and from which folio order. A rule covers the cgroups below it too
 * (those created later included), unless one of them, nearer, has its
 * own: the nearest rule up the hierarchy wins. Folios of cgroups with no
 * rule on their path to the root (and folios charged to no cgroup)
 * follow the global default. Rules are set at run time, without
 * re-attaching:
 *
 *   migctl tune --cgroup /sys/fs/cgroup/batch offload=1 min_order=0
 *   migctl tune --cgroup /sys/fs/cgroup/db offload=0
 *   migctl tune offload=1 min_order=9          (the default)
 *
 * Tunables (global default, or per cgroup with --cgroup):
 *   offload    1: offload, 0: CPU copy                 (default 1)
 *   min_order  smallest folio order offloaded, 0..10  (default 9)
 * Counters:
 *   dma_rule     folios under a rule (their cgroup's or an ancestor's)
 *                sent to the migrator
 *   cpu_rule     folios under a rule copied by the CPU
 *   dma_default  other folios sent to the migrator
 *   cpu_default  other folios copied by the CPU
 *
 * Works well on hosts that mix workloads with different needs: a batch
 * job whose memory is demoted in bulk gains from the engine, a
 * latency-sensitive service may not want its migrations to wait on DMA
 * completions, and a tenant can be given or denied the engine. Works
 * badly when the cgroup of a folio is not the workload that cares about
 * it (shared page cache charged to another cgroup, memory charged to the
 * root cgroup).
 */
#include "migctl.bpf.h"

MIGCTL_SUMMARY("per-cgroup rules: offload on/off, min_order; a default");

struct workload_tunables {
	__u8 offload MIGCTL_BOOL MIGCTL_HELP("offload at all (0/1, on/off)");
	__u32 min_order MIGCTL_RANGE(0, 10)
		MIGCTL_HELP("smallest folio order offloaded (9: 2 MiB THP)");
};

struct workload_counters {
	__u64 dma_rule;
	__u64 cpu_rule;
	__u64 dma_default;
	__u64 cpu_default;
};

MIGCTL_TUNABLES(struct workload_tunables, .offload = 1, .min_order = MIGRATOR_PMD_ORDER);
MIGCTL_COUNTERS(struct workload_counters);

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(workload_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	struct workload_tunables *t = migctl_cgroup_tunables(src);
	bool dma;

	if (t) {
		dma = t->offload && bpf_migrate_folio_order(src) >= t->min_order;
		if (dma)
			migctl_count(dma_rule);
		else
			migctl_count(cpu_rule);
		return dma;
	}
	dma = tunables.offload && bpf_migrate_folio_order(src) >= tunables.min_order;
	if (dma)
		migctl_count(dma_default);
	else
		migctl_count(cpu_default);
	return dma;
}

MIGRATOR_POLICY(workload, workload_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
