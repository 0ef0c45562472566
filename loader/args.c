// SPDX-License-Identifier: GPL-2.0
/*
 * migctl's command line and value parsing: pure functions of their
 * arguments, unit-tested on the host (tests/host/migctl-unit.c).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "migctl.h"

static const char *const verbs[] = {
	[VERB_NONE] = "",
	[VERB_LIST] = "list",
	[VERB_ATTACH] = "attach",
	[VERB_REPLACE] = "replace",
	[VERB_DETACH] = "detach",
	[VERB_STATUS] = "status",
	[VERB_STATS] = "stats",
	[VERB_TUNE] = "tune",
};

const char *verb_name(enum verb v)
{
	return verbs[v];
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

/* The option's value: "--opt=VALUE" or the next argument. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, size_t optlen,
			     const char *shrt)
{
	const char *a = argv[*i];

	if (!strncmp(a, opt, optlen) && a[optlen] == '=')
		return a + optlen + 1;
	if (strcmp(a, opt) != 0 && (!shrt || strcmp(a, shrt) != 0))
		return NULL;
	if (*i + 1 >= argc)
		return "";	/* caught by the caller: a value is missing */
	return argv[++*i];
}

#define OPT(name, shrt) \
	(val = opt_value(argc, argv, &i, name, sizeof(name) - 1, shrt))

int parse_cmdline(int argc, char **argv, struct cmd *cmd, char *err, size_t errlen)
{
	const char *vn, *val;
	int i = 1;

	memset(cmd, 0, sizeof(*cmd));
	err[0] = 0;
	/* Global options. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			cmd->verbose = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			cmd->help = true;
		else
			return usage_err(err, errlen, "unknown option '%s'", argv[i]);
	}
	if (i >= argc) {
		if (cmd->help)
			return 0;
		return usage_err(err, errlen, "no verb given (try 'migctl --help')");
	}
	vn = argv[i++];
	for (int v = VERB_LIST; v <= VERB_TUNE; v++)
		if (!strcmp(vn, verbs[v]))
			cmd->verb = v;
	if (cmd->verb == VERB_NONE) {
		if (!strcmp(vn, "help")) {
			/* "migctl help [VERB]" */
			cmd->help = true;
			if (i < argc) {
				vn = argv[i++];
				for (int v = VERB_LIST; v <= VERB_TUNE; v++)
					if (!strcmp(vn, verbs[v]))
						cmd->verb = v;
				if (cmd->verb == VERB_NONE)
					return usage_err(err, errlen, "unknown verb '%s' (try 'migctl --help')", vn);
			}
			if (i < argc)
				return usage_err(err, errlen, "help: unexpected argument '%s'", argv[i]);
			return 0;
		}
		return usage_err(err, errlen, "unknown verb '%s' (try 'migctl --help')", vn);
	}
	vn = verbs[cmd->verb];

	for (; i < argc; i++) {
		const char *a = argv[i];
		bool takes_kv = cmd->verb == VERB_ATTACH || cmd->verb == VERB_REPLACE;
		bool data = cmd->verb == VERB_LIST || cmd->verb == VERB_STATUS ||
			    cmd->verb == VERB_STATS;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cmd->help = true;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			cmd->verbose = true;
			continue;
		}
		if (data && !strcmp(a, "--json")) {
			cmd->json = true;
			continue;
		}
		if (takes_kv && OPT("--set", "-s")) {
			char key[NAME_LEN];
			const char *v;

			if (!*val)
				return usage_err(err, errlen, "%s: --set needs KEY=VALUE", vn);
			if (split_kv(val, key, sizeof(key), &v))
				return usage_err(err, errlen, "%s: '%s' is not KEY=VALUE", vn, val);
			if (cmd->nkv == MAX_KV)
				return usage_err(err, errlen, "%s: more than %d values", vn, MAX_KV);
			cmd->kv[cmd->nkv++] = val;
			continue;
		}
		if (cmd->verb == VERB_STATS && OPT("--interval", "-i")) {
			int e;

			if (!*val)
				return usage_err(err, errlen, "stats: --interval needs a number of seconds");
			e = parse_seconds(val, &cmd->interval);
			if (e == -ERANGE)
				return usage_err(err, errlen, "stats: --interval '%s' out of range (above 0, at most 86400 seconds)", val);
			if (e)
				return usage_err(err, errlen, "stats: --interval '%s' is not a number of seconds", val);
			continue;
		}
		if (cmd->verb == VERB_STATS && OPT("--count", "-c")) {
			int e;

			if (!*val)
				return usage_err(err, errlen, "stats: --count needs a number");
			e = parse_count(val, &cmd->count);
			if (e)
				return usage_err(err, errlen, "stats: --count '%s' is not a positive integer", val);
			continue;
		}
		if (cmd->verb == VERB_TUNE && OPT("--cgroup", "-g")) {
			if (!*val)
				return usage_err(err, errlen, "tune: --cgroup needs a cgroup directory");
			cmd->cgroup = val;
			continue;
		}
		if (cmd->verb == VERB_TUNE && !strcmp(a, "--clear")) {
			cmd->clear = true;
			continue;
		}
		if (a[0] == '-' && a[1])
			return usage_err(err, errlen, "%s: unknown option '%s'", vn, a);
		/* Positional arguments. */
		if ((takes_kv || cmd->verb == VERB_LIST) && !cmd->policy) {
			cmd->policy = a;
			continue;
		}
		if (cmd->verb == VERB_TUNE) {
			char key[NAME_LEN];
			const char *v;

			if (split_kv(a, key, sizeof(key), &v))
				return usage_err(err, errlen, "tune: '%s' is not KEY=VALUE", a);
			if (cmd->nkv == MAX_KV)
				return usage_err(err, errlen, "tune: more than %d values", MAX_KV);
			cmd->kv[cmd->nkv++] = a;
			continue;
		}
		return usage_err(err, errlen, "%s: unexpected argument '%s'", vn, a);
	}
	if (cmd->help)
		return 0;
	if ((cmd->verb == VERB_ATTACH || cmd->verb == VERB_REPLACE) && !cmd->policy)
		return usage_err(err, errlen, "%s: which policy? (see 'migctl list')", vn);
	if (cmd->verb == VERB_STATS && cmd->count && !cmd->interval)
		return usage_err(err, errlen, "stats: --count needs --interval");
	if (cmd->verb == VERB_TUNE) {
		if (cmd->clear && !cmd->cgroup)
			return usage_err(err, errlen, "tune: --clear needs --cgroup");
		if (cmd->clear && cmd->nkv)
			return usage_err(err, errlen, "tune: --clear takes no KEY=VALUE");
		if (!cmd->clear && !cmd->nkv)
			return usage_err(err, errlen, "tune: no KEY=VALUE given");
	}
	return 0;
}
