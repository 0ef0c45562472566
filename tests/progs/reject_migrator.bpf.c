// SPDX-License-Identifier: GPL-2.0
/*
 * Must be refused at load: a struct_ops of type struct migrator, the
 * drivers' interface, which is not a BPF struct_ops type (a policy is a
 * struct migrate_dma_policy_ops; the copy stays with the kernel).
 */
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
struct migrator reject_migrator = {
	.can_migrate_dma = (void *)copy_can_migrate_dma,
	.migrate_dma = (void *)copy_migrate_dma,
	.name = "reject_migrator",
};

char LICENSE[] SEC("license") = "GPL";
