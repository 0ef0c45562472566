/* SPDX-License-Identifier: GPL-2.0 */
/*
 * migctl: the parts shared by the loader (migctl.c) and its host-side unit
 * tests (tests/host/migctl-unit.c). args.c holds the table of verbs and
 * parses the command line and values with nothing but libc; tunables.c
 * reads a policy's tunables and counters from its BTF (libbpf's btf API);
 * policies.c is the table of built-in policies, embedded as skeletons.
 */
#ifndef MIGCTL_H
#define MIGCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct btf;
struct bpf_object;

/* ---- the verbs and the command line (args.c) --------------------------- */

/* Paths, named in the help too. */
#define BPFFS		"/sys/fs/bpf"
#define PIN_DIR		BPFFS "/migrator"
#define CGROUP_ROOT	"/sys/fs/cgroup"

#define MAX_KV 32

struct cmd {
	const struct verb *verb;	/* NULL: none (general help) */
	bool verbose;
	bool help;		/* --help: of the verb, or general without one */
	bool version;		/* --version */
	bool json;
	const char *policy;	/* list, attach, replace: a built-in name or FILE.bpf.o */
	const char *kv[MAX_KV];	/* --set KEY=VALUE (attach, replace), KEY=VALUE (tune) */
	int nkv;
	const char *cgroup;	/* tune --cgroup PATH */
	bool clear;		/* tune --cgroup PATH --clear */
	double interval;	/* stats --interval S; 0: once */
	unsigned long count;	/* stats --count N; 0: until interrupted */
	bool by_cgroup;		/* stats --by-cgroup [PATH] */
	const char *by_cgroup_path;
	const char *file;	/* apply [FILE] */
	bool config;		/* show --config */
};

#define VERB_FORMS 2	/* synopses of a verb in 'migctl --help' (tune has two) */

/* What a verb takes besides -h/--help and -v/--verbose. */
enum verb_flags {
	VF_JSON		= 1 << 0,	/* --json */
	VF_POLICY	= 1 << 1,	/* [POLICY] */
	VF_NEED_POLICY	= 1 << 2,	/* POLICY */
	VF_SET		= 1 << 3,	/* --set KEY=VALUE... */
	VF_INTERVAL	= 1 << 4,	/* --interval S [--count N] */
	VF_KV		= 1 << 5,	/* KEY=VALUE..., at least one unless --clear */
	VF_CGROUP	= 1 << 6,	/* --cgroup PATH, --clear */
	VF_FILE		= 1 << 7,	/* [FILE] */
	VF_CONFIG	= 1 << 8,	/* --config */
};

struct verb {
	const char *name;
	unsigned int flags;		/* enum verb_flags */
	/* The verb's work: exit status 0, or 1 after the one error line. */
	int (*run)(const struct cmd *cmd);
	/* Its lines in 'migctl --help': synopsis and summary (lines split by \n). */
	struct {
		const char *synopsis, *summary;
	} usage[VERB_FORMS];
	const char *help;		/* all of 'migctl VERB --help' */
};

/* The verbs, in the order of 'migctl --help'. */
extern const struct verb verbs[];
extern const int nr_verbs;

/* Their handlers (migctl.c): exit status 0, or 1 after the one error line. */
int do_list(const struct cmd *cmd);
int do_attach(const struct cmd *cmd);
int do_replace(const struct cmd *cmd);
int do_detach(const struct cmd *cmd);
int do_status(const struct cmd *cmd);
int do_stats(const struct cmd *cmd);
int do_tune(const struct cmd *cmd);
int do_apply(const struct cmd *cmd);
int do_show(const struct cmd *cmd);

/* All of migctl but main() (main.c), so the unit tests can link it. */
int migctl_main(int argc, char **argv);

/* Print 'migctl VERB --help', or 'migctl --help' if verb is NULL. */
void print_help(const struct verb *verb);
/*
 * Parse argv (argv[0] is the program). 0 on success; on a usage error -1,
 * with one line (no newline) in err.
 */
int parse_cmdline(int argc, char **argv, struct cmd *cmd, char *err, size_t errlen);

enum value_kind { KIND_NUM, KIND_BYTES, KIND_BOOL };

/*
 * Parse a value: decimal or 0x hex; KIND_BYTES also takes a K, M or G
 * suffix (powers of 1024, also KiB, MiB, GiB); KIND_BOOL also takes
 * on/off, yes/no, true/false. 0, -EINVAL (malformed) or -ERANGE (above
 * max or below min).
 */
int parse_value(const char *s, enum value_kind kind, unsigned long long min,
		unsigned long long max, unsigned long long *out);
/* A positive number of seconds, at most a day, e.g. 1 or 0.5. */
int parse_seconds(const char *s, double *out);
/* A positive integer. */
int parse_count(const char *s, unsigned long *out);
/* Split "KEY=VALUE": key copied into key[keylen], *val points into arg. */
int split_kv(const char *arg, char *key, size_t keylen, const char **val);

/* ---- the configuration file (config.c) -------------------------------- */

#define CONFIG_FILE	"/etc/migctl/migctl.conf"

/* A KEY=VALUE of a 'set' line (rule -1) or of the cgroup rule rules[rule]. */
struct config_item {
	char *kv;
	int rule;
	int line;
};

/* A 'cgroup PATH KEY=VALUE...' line. */
struct config_rule {
	char *path;
	int line;
};

struct config {
	char *policy;			/* a built-in name, a FILE.bpf.o or "none" */
	int policy_line;
	struct config_item *items;	/* in the order of the file */
	int nitems;
	struct config_rule *rules;
	int nrules;
};

/*
 * Read a configuration from f (named file in messages). Only the syntax
 * is checked here: one 'policy' line, a key once a scope, a cgroup once,
 * KEY=VALUE words. 0, or -EINVAL with "FILE:LINE: fault" in err.
 */
int config_parse(FILE *f, const char *file, struct config *cfg, char *err, size_t errlen);
void config_free(struct config *cfg);

/* ---- tunables and counters of a policy (tunables.c) ------------------- */

#define MAX_FIELDS 32
#define NAME_LEN 64

struct field {
	char name[NAME_LEN];
	unsigned int off;		/* bytes from the start of the struct */
	unsigned int size;		/* 1, 2, 4 or 8 */
	enum value_kind kind;
	unsigned long long min, max;
	char help[128];			/* MIGCTL_HELP(), or "" */
};

/* The members of a policy's struct of tunables or of counters. */
struct fields {
	char type[NAME_LEN];		/* the struct's name, e.g. size_tunables */
	unsigned int size;		/* the struct's size */
	int nr;
	struct field f[MAX_FIELDS];
};

/*
 * Describe the struct type_id of btf (a STRUCT, or a DATASEC holding one
 * variable "tunables" of a STRUCT type). Members must be unsigned
 * integers of 1 to 8 bytes. How each is parsed, its range and its help
 * come from its BTF declaration tags (MIGCTL_BYTES, MIGCTL_BOOL,
 * MIGCTL_RANGE(), MIGCTL_HELP() of bpf/migctl.bpf.h); without them a
 * member is a number over the whole range of its type. 0 or -EINVAL with
 * one line in err.
 */
int fields_from_btf(const struct btf *btf, unsigned int type_id, struct fields *fs,
		    char *err, size_t errlen);
const struct field *field_find(const struct fields *fs, const char *name);
unsigned long long field_get(const struct field *f, const void *data);
void field_put(const struct field *f, void *data, unsigned long long v);
/* "min_order=9 min_bytes=0" */
void fields_format(const struct fields *fs, const void *data, char *buf, size_t len);
/* "min_order, min_bytes" */
void fields_names(const struct fields *fs, char *buf, size_t len);
/*
 * Apply "KEY=VALUE" to data: the key must be one of fs, the value valid
 * for it. 0, or -EINVAL with one line in err naming the key and why.
 */
int fields_set(const struct fields *fs, void *data, const char *kv, char *err, size_t errlen);

/* ---- built-in policies (policies.c) -------------------------------------- */

struct builtin {
	const char *name;
	/* the object file bpf/NAME.bpf.c compiles to, embedded */
	const unsigned char *start, *end;
};

extern const struct builtin builtins[];
extern const int nr_builtins;
const struct builtin *builtin_find(const char *name);
/*
 * Open (not load) a built-in policy from its embedded bytes, which it
 * returns in *bytes and *size; NULL with errno set on failure.
 */
struct bpf_object *builtin_open(const struct builtin *b, const void **bytes, size_t *size);

#endif /* MIGCTL_H */
