/*
 * comment.h - the pull-request comment client: post the estimate as a
 * comment on a GitHub pull request or a GitLab merge request, or edit the
 * comment an earlier run posted (found by CT_ESTIMATE_MARKER).
 *
 * GitHub (REST, https://api.github.com or an Enterprise /api/v3 base):
 *   GET   /repos/{owner}/{repo}/issues/{n}/comments?per_page=100  (Link: rel="next")
 *   POST  /repos/{owner}/{repo}/issues/{n}/comments               {"body": ...}
 *   PATCH /repos/{owner}/{repo}/issues/comments/{id}              {"body": ...}
 *   Authorization: Bearer TOKEN
 * GitLab (REST v4, https://gitlab.com/api/v4 or a self-managed base):
 *   GET   /projects/{id}/merge_requests/{iid}/notes?sort=asc&order_by=created_at&per_page=100
 *         (X-Next-Page; Link: rel="next" when it is missing)
 *   POST  /projects/{id}/merge_requests/{iid}/notes               {"body": ...}
 *   PUT   /projects/{id}/merge_requests/{iid}/notes/{note_id}     {"body": ...}
 *   PRIVATE-TOKEN: TOKEN
 *   {id} is a numeric ID or the URL-encoded path ("group%2Fproj").
 *
 * Depends on http.h (the one libcurl wrapper) and Jansson. The token is
 * sent only in a request header, only to the API's own origin (a
 * pagination link to another host is refused), and never appears in an
 * error: messages that quote the server are scrubbed of it. Never prints.
 */
#ifndef CT_SRC_COMMENT_H
#define CT_SRC_COMMENT_H

#include "ct.h"

#define CT_COMMENT_GITHUB_API "https://api.github.com"
#define CT_COMMENT_GITLAB_API "https://gitlab.com/api/v4"
#define CT_COMMENT_GITHUB_MAX 65536   /* characters in a GitHub comment */
#define CT_COMMENT_GITLAB_MAX 1000000 /* characters in a GitLab note */
#define CT_COMMENT_PAGES_MAX 1000     /* pages of comments read, at most */

enum ct_comment_forge {
	CT_COMMENT_GITHUB,
	CT_COMMENT_GITLAB,
};

enum ct_comment_behavior {
	CT_COMMENT_UPDATE, /* edit the newest marked comment, else post one */
	CT_COMMENT_NEW,	   /* always post a new comment */
};

/* Where to comment. Everything is borrowed. */
struct ct_comment_target {
	enum ct_comment_forge forge;
	const char *api_url; /* API base; NULL: the forge's public API */
	const char *repo;    /* GitHub: "owner/repo" */
	const char *project; /* GitLab: numeric ID or path, not encoded */
	long number;	     /* pull request number / merge request IID */
	const char *token;   /* only ever sent in a request header */
};

/* What was done. */
struct ct_comment_result {
	long long id;	/* the comment's (GitHub) or note's (GitLab) ID */
	char *url;	/* new: its web address, NULL when unknown */
	bool updated;	/* an earlier comment was edited */
	size_t scanned; /* comments read while looking for the marker */
};

/**
 * Check a target without sending anything: a forge-shaped repository or
 * project, a positive number, a token without control characters, and an
 * API base that is an http(s) URL without user, query or fragment; plain
 * http only to a loopback host (the token is not sent in clear text
 * across a network).
 *
 * @return CT_OK, or CT_E_USAGE with a message that never shows the token.
 */
int ct_comment_check(const struct ct_comment_target *t, struct ct_err *err);

/**
 * Post body, or with CT_COMMENT_UPDATE edit the newest comment whose
 * body holds CT_ESTIMATE_MARKER outside a quoted ("> ") line (GitLab
 * system notes are skipped), reading every page of comments.
 *
 * @param body  the comment text, UTF-8 (borrowed).
 * @param res   filled on success (release with ct_comment_result_release()).
 * @return CT_OK; CT_E_USAGE for a bad target (ct_comment_check());
 *         CT_E_INPUT for a body that is not UTF-8 or is too long for the
 *         forge; CT_E_NET for HTTP and API errors (401 bad or expired
 *         token, 403 no permission, 404 no such repository, project, pull
 *         or merge request, rate limits, 5xx, an answer that is not the
 *         JSON expected), err naming the URL.
 */
int ct_comment_post(const struct ct_comment_target *t, enum ct_comment_behavior b, const char *body,
		    struct ct_comment_result *res, struct ct_err *err);

/* Free the contents of res; NULL is allowed. */
void ct_comment_result_release(struct ct_comment_result *res);

/**
 * The URL-encoded form of a GitLab project path or ID: every byte but
 * A-Z a-z 0-9 - . _ ~ as %XX ("group/sub proj" -> "group%2Fsub%20proj").
 *
 * @return new string.
 */
char *ct_comment_encode(const char *s);

/**
 * Does body hold CT_ESTIMATE_MARKER on a line that is not a quotation
 * (a line whose first non-blank character is '>')?
 */
bool ct_comment_is_marked(const char *body);

#endif
