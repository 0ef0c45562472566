// SPDX-License-Identifier: GPL-2.0
/* migctl's entry point: everything else is in the sources the unit tests link. */
#include "migctl.h"

int main(int argc, char **argv)
{
	return migctl_main(argc, argv);
}
