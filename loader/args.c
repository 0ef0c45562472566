// SPDX-License-Identifier: GPL-2.0
/*
 * migctl's verbs and their help, the parsing of the command line and of
 * values: libc only, unit-tested on the host (tests/host/migctl-unit.c).
 *
 * A verb is one entry of verbs[] (its name, the options it takes, its
 * help) and its handler in migctl.c.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migctl.h"

const struct verb verbs[] = {
	{ .name = "list", .flags = VF_JSON | VF_POLICY, .run = do_list,
	  .usage = { { "list [--json] [POLICY]",
		       "built-in policies, their tunables and defaults" } },
	  .help =
"Usage: migctl list [--json] [POLICY]\n"
"\n"
"One line per built-in policy: its name, what it does, its tunables with\n"
"their defaults. With POLICY (a built-in name or FILE.bpf.o): its tunables\n"
"one per line, with ranges, and its counters. Needs no kernel support.\n",
	},
	{ .name = "attach", .flags = VF_NEED_POLICY | VF_SET, .run = do_attach,
	  .usage = { { "attach POLICY [--set KEY=VALUE]...",
		       "load POLICY (built-in or FILE.bpf.o), attach it,\n"
		       "pin it under " PIN_DIR "/ and exit" } },
	  .help =
"Usage: migctl attach POLICY|FILE.bpf.o [--set KEY=VALUE]...\n"
"\n"
"Load the policy, set its tunables (defaults: 'migctl list'), attach it as a\n"
"struct_ops link and pin the link and the policy's maps under\n"
PIN_DIR "/; migctl then exits and the policy stays attached.\n"
"A FILE.bpf.o must hold one SEC(\".struct_ops.link\") of type\n"
"struct migrate_dma_policy_ops (bpf/migrator.bpf.h); its tunables and\n"
"counters follow bpf/migctl.bpf.h.\n"
"Fails if a policy is already attached (see replace, detach). Mounts bpffs\n"
"on " BPFFS " if it is not.\n"
"\n"
"  -s, --set KEY=VALUE   set a tunable before the policy starts (repeatable)\n",
	},
	{ .name = "replace", .flags = VF_NEED_POLICY | VF_SET, .run = do_replace,
	  .usage = { { "replace POLICY [--set KEY=VALUE]...",
		       "swap the attached policy for POLICY atomically" } },
	  .help =
"Usage: migctl replace POLICY|FILE.bpf.o [--set KEY=VALUE]...\n"
"\n"
"Load POLICY and swap it for the attached one by updating the pinned link:\n"
"every folio is decided by the old or the new policy, none by no policy.\n"
"The new policy's maps replace the old ones' pins (its tunables start from\n"
"its defaults and --set, and per-cgroup tunables are not carried over).\n"
"\n"
"  -s, --set KEY=VALUE   set a tunable before the policy starts (repeatable)\n",
	},
	{ .name = "detach", .flags = 0, .run = do_detach,
	  .usage = { { "detach",
		       "detach the policy and unpin it; returns once the\n"
		       "kernel no longer calls it" } },
	  .help =
"Usage: migctl detach\n"
"\n"
"Detach the policy attached by migctl and remove " PIN_DIR "/. Returns once\n"
"no migration can still be inside the policy; the migrator then decides\n"
"alone.\n",
	},
	{ .name = "status", .flags = VF_JSON, .run = do_status,
	  .usage = { { "status [--json]",
		       "policy, tunables, backend, channels, counters" } },
	  .help =
"Usage: migctl status [--json]\n"
"\n"
"The attached policy, its tunables (global and per cgroup), the active\n"
"migrator (backend), its DMA channels, the batch size, the kernel's\n"
"counters (the pgmigrate_dma_* events of /proc/vmstat, named without the\n"
"prefix) and the policy's own counters.\n",
	},
	{ .name = "stats", .flags = VF_JSON | VF_INTERVAL, .run = do_stats,
	  .usage = { { "stats [--json] [--interval S [--count N]]",
		       "counters, or rates every S seconds (like vmstat)" },
		     { "stats [--json] --by-cgroup [PATH]",
		       "each memory cgroup's offloaded and CPU-copied\nfolios and bytes" } },
	  .help =
"Usage: migctl stats [--json] [--interval S [--count N]]\n"
"       migctl stats [--json] --by-cgroup [PATH]\n"
"\n"
"Without --interval: the kernel's counters and the policy's, since boot,\n"
"then, for each migration reason the kernel counts apart and that had a\n"
"batch copy (demotion; numa: NUMA balancing, promotion included; damon;\n"
"syscall: move_pages, migrate_pages, mbind, cpusets), its folios, bytes,\n"
"offloaded, CPU-copied and fallen-back folios (pgmigrate_dma_REASON_* of\n"
"/proc/vmstat; \"by_reason\" in --json, with the bytes of each).\n"
"With --interval S: every S seconds one line of rates, like vmstat:\n"
"folios/s migrated by batch copies, offloaded and CPU-copied, GB/s\n"
"offloaded and CPU-copied, fallbacks/s (copies the CPU redid or did alone),\n"
"and the policy's verdicts/s; --count N stops after N lines, otherwise\n"
"until interrupted. --json prints one JSON object per line.\n"
"\n"
"With --by-cgroup: each memory cgroup at or below PATH (default the root,\n"
"" CGROUP_ROOT "), its folios and bytes offloaded and CPU-copied from its\n"
"memory.stat, which counts the cgroups below it too; then the kernel's\n"
"totals and what they hold beyond the root's memory.stat (folios charged\n"
"to no cgroup, and counts memory.stat has yet to fold in).\n"
"\n"
"  -i, --interval S   seconds between lines (e.g. 1, 0.5)\n"
"  -c, --count N      number of lines\n"
"      --by-cgroup [PATH]  per memory cgroup, from memory.stat\n",
	},
	{ .name = "tune", .flags = VF_KV | VF_CGROUP, .run = do_tune,
	  .usage = { { "tune [--cgroup PATH] KEY=VALUE...",
		       "change tunables of the attached policy, globally\n"
		       "or for a memory cgroup and those below it" },
		     { "tune --cgroup PATH --clear", "drop the cgroup's own tunables" } },
	  .help =
"Usage: migctl tune [--cgroup PATH] KEY=VALUE...\n"
"       migctl tune --cgroup PATH --clear\n"
"\n"
"Change tunables of the attached policy while it runs, through its pinned\n"
"maps: all KEY=VALUE are checked first, then written at once. Without\n"
"--cgroup the global values change; with it, the values for the folios of\n"
"that memory cgroup (PATH absolute, or relative to " CGROUP_ROOT "),\n"
"starting from the global values the first time, and of the cgroups below\n"
"it, those created later included, except where one nearer has values of\n"
"its own: the nearest up the tree wins (up to 16 levels up). --clear drops\n"
"the cgroup's own values: its folios follow the nearest ancestor's, or the\n"
"global values. Keys and ranges: 'migctl list POLICY'.\n"
"\n"
"  -g, --cgroup PATH   tune for this memory cgroup and those below it\n"
"      --clear         drop the cgroup's own values\n",
	},
	{ .name = "apply", .flags = VF_FILE, .run = do_apply,
	  .usage = { { "apply [FILE]",
		       "make the running state that of FILE\n"
		       "(" CONFIG_FILE ")" } },
	  .help =
"Usage: migctl apply [FILE]\n"
"\n"
"Make the attached policy, its tunables and its per-cgroup rules those of\n"
"the configuration FILE (default " CONFIG_FILE "):\n"
"\n"
"  policy NAME|FILE.bpf.o|none   the policy (one line)\n"
"  set KEY=VALUE...              global tunables; others keep their defaults\n"
"  cgroup PATH KEY=VALUE...      a rule for a memory cgroup and all below it;\n"
"                                PATH absolute or under " CGROUP_ROOT "\n"
"  # ...                         a comment\n"
"\n"
"The whole file is checked first: a fault refuses it, with the line named,\n"
"and changes nothing. A rule's unset keys take the values of the nearest\n"
"rule above it, or the global ones; a rule for a cgroup that does not exist\n"
"yet is left out, with a warning. If the attached policy is the file's (the\n"
"same object, attached by migctl), only the tunables and rules that differ\n"
"are written, so applying a file twice changes nothing. Otherwise the\n"
"policy is loaded with the file's values and attached, or swapped for the\n"
"attached one as 'migctl replace' does: never a moment without a policy.\n"
"'policy none' detaches. One line on stdout says what changed.\n",
	},
	{ .name = "show", .flags = VF_CONFIG, .run = do_show,
	  .usage = { { "show --config",
		       "the running state in the format of apply" } },
	  .help =
"Usage: migctl show --config\n"
"\n"
"Print the attached policy, its tunables and its per-cgroup rules as a\n"
"configuration that 'migctl apply' reads: every tunable, with its current\n"
"value; rules for cgroups since removed are comments.\n",
	},
};
const int nr_verbs = sizeof(verbs) / sizeof(verbs[0]);

static const struct verb *verb_find(const char *name)
{
	for (int i = 0; i < nr_verbs; i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

#define HELP_COL 33	/* where the summaries of 'migctl --help' start */

/* "  SYNOPSIS  SUMMARY": the summary's lines from HELP_COL on, below a long SYNOPSIS. */
static void help_item(const char *synopsis, const char *summary)
{
	const char *nl;

	if (strlen(synopsis) + 4 > HELP_COL)
		printf("  %s\n%*s", synopsis, HELP_COL, "");
	else
		printf("  %-*s", HELP_COL - 2, synopsis);
	for (; (nl = strchr(summary, '\n')); summary = nl + 1)
		printf("%.*s\n%*s", (int)(nl - summary), summary, HELP_COL, "");
	printf("%s\n", summary);
}

void print_help(const struct verb *verb)
{
	if (verb) {
		fputs(verb->help, stdout);
		return;
	}
	fputs("migctl: attach, tune, replace and detach the BPF policy that decides which\n"
	      "migrating folios a migrator (a DMA engine) copies and which the CPU copies.\n"
	      "\n"
	      "Usage: migctl [-v] VERB [ARGS...]\n"
	      "       migctl VERB --help\n"
	      "\n", stdout);
	for (int i = 0; i < nr_verbs; i++)
		for (int u = 0; u < VERB_FORMS && verbs[i].usage[u].synopsis; u++)
			help_item(verbs[i].usage[u].synopsis, verbs[i].usage[u].summary);
	putchar('\n');
	help_item("-v, --verbose", "show libbpf's messages (the verifier's log)");
	help_item("-h, --help", "this help");
	help_item("--version", "migctl's version");
	fputs("\n"
	      "Exit status: 0 on success, 1 on an error, 2 on a usage error; every error is\n"
	      "one line on stderr and leaves the attached policy as it was.\n", stdout);
}

static int usage_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int split_kv(const char *arg, char *key, size_t keylen, const char **val)
{
	const char *eq = strchr(arg, '=');
	size_t n;

	if (!eq || eq == arg || !eq[1])
		return -EINVAL;
	n = eq - arg;
	if (n >= keylen)
		return -EINVAL;
	memcpy(key, arg, n);
	key[n] = 0;
	*val = eq + 1;
	return 0;
}

int parse_value(const char *s, enum value_kind kind, unsigned long long min,
		unsigned long long max, unsigned long long *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (kind == KIND_BOOL) {
		static const char *const yes[] = { "1", "on", "yes", "true" };
		static const char *const no[] = { "0", "off", "no", "false" };

		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (!strcasecmp(s, yes[i]))
				return *out = 1, 0;
			if (!strcasecmp(s, no[i]))
				return *out = 0, 0;
		}
		return -EINVAL;
	}
	/* strtoull() takes a sign and leading blanks; a value does not. */
	if (!*s || !(s[0] >= '0' && s[0] <= '9'))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	if (*end && kind == KIND_BYTES) {
		static const struct { const char *sfx; unsigned long long mult; } sfx[] = {
			{ "K", 1ULL << 10 }, { "KiB", 1ULL << 10 },
			{ "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
			{ "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
		};
		size_t i;

		for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
			if (!strcmp(end, sfx[i].sfx)) {
				mult = sfx[i].mult;
				break;
			}
		}
		if (i == sizeof(sfx) / sizeof(sfx[0]))
			return -EINVAL;
		end += strlen(end);
	}
	if (*end)
		return -EINVAL;
	if (v > max / mult)
		return -ERANGE;
	v *= mult;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!*s || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end || errno || !isfinite(v))
		return -EINVAL;
	if (v <= 0 || v > 86400)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_count(const char *s, unsigned long *out)
{
	unsigned long long v;
	int err = parse_value(s, KIND_NUM, 1, 1000000000ULL, &v);

	if (!err)
		*out = v;
	return err;
}

/* The value of option a = argv[*i]: "--opt=VALUE" or the next argument. */
static const char *opt_value(const char *a, int argc, char **argv, int *i, const char *opt,
			     size_t optlen, const char *shrt)
{
	if (!strncmp(a, opt, optlen) && a[optlen] == '=')
		return a + optlen + 1;
	if (strcmp(a, opt) != 0 && (!shrt || strcmp(a, shrt) != 0))
		return NULL;
	if (*i + 1 >= argc)
		return "";	/* caught by the caller: a value is missing */
	return argv[++*i];
}

#define OPT(name, shrt) \
	(val = opt_value(a, argc, argv, &i, name, sizeof(name) - 1, shrt))

/* Collect the KEY=VALUE of --set or of tune. */
static int add_kv(struct cmd *cmd, const char *kv, char *err, size_t errlen)
{
	char key[NAME_LEN];
	const char *v;

	if (split_kv(kv, key, sizeof(key), &v))
		return usage_err(err, errlen, "%s: '%s' is not KEY=VALUE", cmd->verb->name, kv);
	if (cmd->nkv == MAX_KV)
		return usage_err(err, errlen, "%s: more than %d values", cmd->verb->name, MAX_KV);
	cmd->kv[cmd->nkv++] = kv;
	return 0;
}

int parse_cmdline(int argc, char **argv, struct cmd *cmd, char *err, size_t errlen)
{
	const char *vn, *val;
	unsigned int flags;
	bool help_verb;
	int i = 1;

	memset(cmd, 0, sizeof(*cmd));
	err[0] = 0;
	/* Global options. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			cmd->verbose = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			cmd->help = true;
		else if (!strcmp(argv[i], "--version"))
			cmd->version = true;
		else
			return usage_err(err, errlen, "unknown option '%s'", argv[i]);
	}
	if (i >= argc) {
		if (cmd->help || cmd->version)
			return 0;
		return usage_err(err, errlen, "no verb given (try 'migctl --help')");
	}
	vn = argv[i++];
	/* "migctl help [VERB]" */
	help_verb = !strcmp(vn, "help");
	if (help_verb) {
		cmd->help = true;
		if (i >= argc)
			return 0;
		vn = argv[i++];
	}
	cmd->verb = verb_find(vn);
	if (!cmd->verb)
		return usage_err(err, errlen, "unknown verb '%s' (try 'migctl --help')", vn);
	if (help_verb && i < argc)
		return usage_err(err, errlen, "help: unexpected argument '%s'", argv[i]);
	flags = cmd->verb->flags;

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cmd->help = true;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			cmd->verbose = true;
			continue;
		}
		if ((flags & VF_JSON) && !strcmp(a, "--json")) {
			cmd->json = true;
			continue;
		}
		if ((flags & VF_SET) && OPT("--set", "-s")) {
			if (!*val)
				return usage_err(err, errlen, "%s: --set needs KEY=VALUE", vn);
			if (add_kv(cmd, val, err, errlen))
				return -1;
			continue;
		}
		if ((flags & VF_INTERVAL) && OPT("--interval", "-i")) {
			int e;

			if (!*val)
				return usage_err(err, errlen, "%s: --interval needs a number of seconds", vn);
			e = parse_seconds(val, &cmd->interval);
			if (e == -ERANGE)
				return usage_err(err, errlen, "%s: --interval '%s' out of range (above 0, at most 86400 seconds)", vn, val);
			if (e)
				return usage_err(err, errlen, "%s: --interval '%s' is not a number of seconds", vn, val);
			continue;
		}
		if ((flags & VF_INTERVAL) && !strncmp(a, "--by-cgroup", 11) &&
		    (!a[11] || a[11] == '=')) {
			cmd->by_cgroup = true;
			if (a[11] == '=')
				cmd->by_cgroup_path = a + 12;
			else if (i + 1 < argc && argv[i + 1][0] != '-')
				cmd->by_cgroup_path = argv[++i];
			if (cmd->by_cgroup_path && !*cmd->by_cgroup_path)
				return usage_err(err, errlen, "%s: --by-cgroup= needs a cgroup directory", vn);
			continue;
		}
		if ((flags & VF_INTERVAL) && OPT("--count", "-c")) {
			if (!*val)
				return usage_err(err, errlen, "%s: --count needs a number", vn);
			if (parse_count(val, &cmd->count))
				return usage_err(err, errlen, "%s: --count '%s' is not a positive integer", vn, val);
			continue;
		}
		if ((flags & VF_CGROUP) && OPT("--cgroup", "-g")) {
			if (!*val)
				return usage_err(err, errlen, "%s: --cgroup needs a cgroup directory", vn);
			cmd->cgroup = val;
			continue;
		}
		if ((flags & VF_CONFIG) && !strcmp(a, "--config")) {
			cmd->config = true;
			continue;
		}
		if ((flags & VF_CGROUP) && !strcmp(a, "--clear")) {
			cmd->clear = true;
			continue;
		}
		if (a[0] == '-' && a[1])
			return usage_err(err, errlen, "%s: unknown option '%s'", vn, a);
		/* Positional arguments. */
		if ((flags & (VF_POLICY | VF_NEED_POLICY)) && !cmd->policy) {
			cmd->policy = a;
			continue;
		}
		if ((flags & VF_FILE) && !cmd->file) {
			cmd->file = a;
			continue;
		}
		if (flags & VF_KV) {
			if (add_kv(cmd, a, err, errlen))
				return -1;
			continue;
		}
		return usage_err(err, errlen, "%s: unexpected argument '%s'", vn, a);
	}
	if (cmd->help)
		return 0;
	if ((flags & VF_NEED_POLICY) && !cmd->policy)
		return usage_err(err, errlen, "%s: which policy? (see 'migctl list')", vn);
	if ((flags & VF_CONFIG) && !cmd->config)
		return usage_err(err, errlen, "%s: show what? (--config)", vn);
	if (cmd->by_cgroup && cmd->interval)
		return usage_err(err, errlen, "%s: --by-cgroup takes no --interval", vn);
	if (cmd->count && !cmd->interval)
		return usage_err(err, errlen, "%s: --count needs --interval", vn);
	if (cmd->clear && !cmd->cgroup)
		return usage_err(err, errlen, "%s: --clear needs --cgroup", vn);
	if (cmd->clear && cmd->nkv)
		return usage_err(err, errlen, "%s: --clear takes no KEY=VALUE", vn);
	if ((flags & VF_KV) && !cmd->clear && !cmd->nkv)
		return usage_err(err, errlen, "%s: no KEY=VALUE given", vn);
	return 0;
}
