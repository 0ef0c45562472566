// SPDX-License-Identifier: GPL-2.0
/* Must be refused at load: implements migrate_dma(), the copy itself. */
#include "migrator.bpf.h"

SEC("struct_ops/can_migrate_dma")
bool BPF_PROG(copy_can_migrate_dma, struct folio *dst, struct folio *src,
	      const struct migrate_dma_batch *batch)
{
	return true;
}

SEC("struct_ops/migrate_dma")
void BPF_PROG(copy_migrate_dma, struct list_head *dst_list, struct list_head *src_list)
{
}

SEC(".struct_ops.link")
struct migrator reject_migrate_dma = {
	.can_migrate_dma = (void *)copy_can_migrate_dma,
	.migrate_dma = (void *)copy_migrate_dma,
	.name = "reject_migrate_dma",
};

char LICENSE[] SEC("license") = "GPL";
