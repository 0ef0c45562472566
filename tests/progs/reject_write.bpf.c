// SPDX-License-Identifier: GPL-2.0
/* Must be refused at load: writes to a folio passed to the policy. */
#include "migrator.bpf.h"

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(write_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	src->flags = 0;
	return true;
}

MIGRATOR_POLICY(reject_write, write_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
