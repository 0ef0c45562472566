// SPDX-License-Identifier: GPL-2.0
/* Must be refused at load: uses a fourth argument can_migrate_dma() does not have. */
#include "migrator.bpf.h"

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(signature_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch, unsigned long extra)
{
	return extra != 0;
}

MIGRATOR_POLICY(reject_signature, signature_can_migrate_dma);

char LICENSE[] SEC("license") = "GPL";
