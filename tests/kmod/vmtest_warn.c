// SPDX-License-Identifier: GPL-2.0
/*
 * Fires one WARN() when loaded, so the harness can prove that a kernel
 * warning in the guest fails a vmtest.sh run (tests/host/vmtest-harness.sh).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vmtest_warn_init(void)
{
	WARN(1, "vmtest_warn: deliberate warning for the harness self-test\n");
	return 0;
}

static void __exit vmtest_warn_exit(void)
{
}

module_init(vmtest_warn_init);
module_exit(vmtest_warn_exit);
MODULE_DESCRIPTION("vmtest.sh self-test: WARN on load");
MODULE_LICENSE("GPL");
