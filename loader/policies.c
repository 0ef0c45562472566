// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in policies (bpf/NAME.bpf.c), their objects embedded in
 * migctl, which opens them with bpf_object__open_mem() as it opens a
 * FILE.bpf.o it has read. What they do, their tunables (with ranges and
 * help), defaults and counters are read from each object's BTF and data
 * (tunables.c, migctl.c), so adding a policy is its .bpf.c, two lines
 * here and its name in the Makefile's MIGCTL_POLICIES.
 */
#include <string.h>
#include <bpf/libbpf.h>

#include "migctl.h"

/*
 * bpf/NAME.bpf.o, as the assembler includes it: NAME_obj .. NAME_obj_end
 * in .rodata, aligned as libelf wants it. BPF_OBJ_DIR is where the
 * Makefile built the objects.
 */
#define EMBED(_name)							\
	extern const unsigned char _name##_obj[], _name##_obj_end[];	\
	__asm__(".pushsection .rodata\n"				\
		".balign 8\n"						\
		#_name "_obj:\n"					\
		".incbin \"" BPF_OBJ_DIR "/" #_name ".bpf.o\"\n"	\
		#_name "_obj_end:\n"					\
		".popsection\n")

EMBED(always);
EMBED(never);
EMBED(size);
EMBED(reason);
EMBED(workload);
EMBED(adaptive);
EMBED(tier);

#define BUILTIN(_name) { .name = #_name, .start = _name##_obj, .end = _name##_obj_end }

const struct builtin builtins[] = {
	BUILTIN(always),
	BUILTIN(never),
	BUILTIN(size),
	BUILTIN(reason),
	BUILTIN(workload),
	BUILTIN(adaptive),
	BUILTIN(tier),
};
const int nr_builtins = sizeof(builtins) / sizeof(builtins[0]);

const struct builtin *builtin_find(const char *name)
{
	for (int i = 0; i < nr_builtins; i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

struct bpf_object *builtin_open(const struct builtin *b, const void **bytes, size_t *size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = b->name);

	*bytes = b->start;
	*size = b->end - b->start;
	return bpf_object__open_mem(*bytes, *size, &opts);
}
