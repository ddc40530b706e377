// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 igt-shrink authors
 *
 * Subtest name patterns, with the syntax of INN's uwildmat that IGT uses for
 * --run-subtest: '*' any run, '?' one character, '[abc]', '[a-z]', '[^x]' or
 * '[!x]' a set, '\' quotes the next character; ',' separates alternatives and
 * a leading '!' makes an alternative a negation. The last alternative that
 * matches decides: "a*,!ab" matches "ac" but not "ab".
 */

#include <stdbool.h>
#include <string.h>

#include "uwildmat.h"

/* Matches one "[...]" set at *pat against c; advances *pat past it. */
static bool match_set(const char **pat, const char *end, char c, bool *ok)
{
	const char *p = *pat + 1;
	bool negate = false, found = false;

	if (p < end && (*p == '^' || *p == '!')) {
		negate = true;
		p++;
	}
	/* A ']' right after the '[' (or its negation) is a member. */
	if (p < end && *p == ']') {
		found = c == ']';
		p++;
	}
	for (; p < end && *p != ']'; p++) {
		if (p + 2 < end && p[1] == '-' && p[2] != ']') {
			found |= c >= p[0] && c <= p[2];
			p += 2;
		} else {
			found |= c == *p;
		}
	}
	*ok = p < end;	/* an unterminated set matches nothing */
	*pat = p < end ? p + 1 : end;
	return found != negate;
}

/* Matches text against pattern[0..end) without ',' or leading '!'. */
static bool match_simple(const char *text, const char *pat, const char *end)
{
	while (pat < end) {
		bool ok;

		switch (*pat) {
		case '*':
			while (pat < end && *pat == '*')
				pat++;
			if (pat == end)
				return true;
			for (; *text; text++)
				if (match_simple(text, pat, end))
					return true;
			return match_simple(text, pat, end);
		case '?':
			if (!*text)
				return false;
			text++;
			pat++;
			break;
		case '[':
			if (!*text || !match_set(&pat, end, *text, &ok) || !ok)
				return false;
			text++;
			break;
		case '\\':
			if (pat + 1 < end)
				pat++;
			/* fall through */
		default:
			if (*text != *pat)
				return false;
			text++;
			pat++;
		}
	}
	return *text == '\0';
}

/* Finds the ',' ending the alternative at p, skipping sets and escapes. */
static const char *alternative_end(const char *p)
{
	for (; *p && *p != ','; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			const char *q = p + 1;

			if (*q == '^' || *q == '!')
				q++;
			if (*q == ']')
				q++;
			q = strchr(q, ']');
			if (q)
				p = q;
		}
	}
	return p;
}

/**
 * uwildmat:
 * @text: subtest name
 * @pattern: pattern as described at the top of this file
 *
 * Returns: whether @text matches @pattern.
 */
bool uwildmat(const char *text, const char *pattern)
{
	bool matched = false;
	const char *p = pattern;

	for (;;) {
		const char *end = alternative_end(p);
		bool negate = *p == '!';

		if (match_simple(text, p + negate, end))
			matched = !negate;
		if (!*end)
			return matched;
		p = end + 1;
	}
}
