// SPDX-License-Identifier: GPL-2.0
/* Must be refused at load: a sleepable policy. */
#include "migrator.bpf.h"

SEC("struct_ops.s/can_migrate_dma")
bool BPF_PROG(sleepable_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	return true;
}

MIGRATOR_POLICY(reject_sleepable, sleepable_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
