// SPDX-License-Identifier: GPL-2.0
/*
 * Goes wrong on purpose when loaded, so the harness can prove that a kernel
 * problem in the guest fails a vmtest.sh run (tests/host/vmtest-harness.sh)
 * and that a genuine int3 is not taken for QEMU's live-patching fault
 * (tests/host/tcg-int3-fault.sh):
 *   what=warn  (default) one WARN()
 *   what=int3  an int3 instruction of the module's own: "Oops: int3"
 *   what=bug   BUG()
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/string.h>

static char *what = "warn";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "warn, int3 or bug");

static int __init vmtest_warn_init(void)
{
	if (!strcmp(what, "warn"))
		WARN(1, "vmtest_warn: deliberate warning for the harness self-test\n");
	else if (!strcmp(what, "int3"))
		asm volatile("int3");
	else if (!strcmp(what, "bug"))
		BUG();
	else
		return -EINVAL;
	return 0;
}

static void __exit vmtest_warn_exit(void)
{
}

module_init(vmtest_warn_init);
module_exit(vmtest_warn_exit);
MODULE_DESCRIPTION("vmtest.sh self-test: WARN, int3 or BUG on load");
MODULE_LICENSE("GPL");
