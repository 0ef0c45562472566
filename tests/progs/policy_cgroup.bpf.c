// SPDX-License-Identifier: GPL-2.0
/* Test policy: offload the folios of one memory cgroup only. */
#include "migrator.bpf.h"

const volatile __u64 offload_cgroup_id;

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(cgroup_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	return bpf_migrate_folio_cgroup_id(src) == offload_cgroup_id;
}

MIGRATOR_POLICY(test_cgroup, cgroup_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
