/*
 * render_k8s.c - the model of `cloudtally k8s` (k8s_cost.h) in four
 * formats: text and markdown for people (amounts rounded to the cent by
 * ct_render_money()), JSON exact to the nano-dollar (the issue 8
 * contract, keys in strcmp order), and CSV for chargeback: one row per
 * allocation with its cost parts and a closing total row (money with 9
 * decimals, text cells protected as ct_render_csv_cell() does).
 *
 * Depends on the model, money.h, the JSON writer and the shared render
 * helpers; writes only to the FILE * given.
 */
#include "ct.h"
#include "k8s_cost.h"
#include "jsonw.h"
#include "money.h"
#include "render.h"

#include <inttypes.h>

#define GIB_D 1073741824.0

/* millicores (or milli-GPUs) as a decimal: "2", "0.5", "0.125" */
static const char *milli(int64_t m, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%s%" PRId64 ".%03" PRId64, m < 0 ? "-" : "", (m < 0 ? -m : m) / 1000,
		 (m < 0 ? -m : m) % 1000);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* bytes as GiB with up to 6 decimals */
static const char *gib(int64_t b, char *buf, size_t len)
{
	return ct_render_num((double)b / GIB_D, buf, len);
}

/* bytes as GiB with up to 2 decimals, for people */
static const char *gib2(int64_t b, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%.2f", (double)b / GIB_D);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

static const char *money(ct_money m, char *buf, size_t len)
{
	return ct_render_money(m, NULL, buf, len);
}

/* ---- tables for text and markdown -------------------------------------- */

#define TAB_COLS 16

struct tab {
	size_t ncol;
	const char *head[TAB_COLS];
	bool right[TAB_COLS];
	char **cell; /* nrows x ncol, owned */
	size_t nrows, cap;
};

/* Columns: a string of names separated by '|', a trailing '>' on a name
 * right-aligns it. */
static void tab_init(struct tab *t, const char *cols, char *store)
{
	char *p = store, *e;

	memset(t, 0, sizeof(*t));
	snprintf(store, 512, "%s", cols);
	while (p && t->ncol < TAB_COLS) {
		e = strchr(p, '|');
		if (e)
			*e++ = '\0';
		size_t n = strlen(p);
		if (n && p[n - 1] == '>') {
			p[n - 1] = '\0';
			t->right[t->ncol] = true;
		}
		t->head[t->ncol++] = p;
		p = e;
	}
}

/* Add a row of ncol cells (copied; NULL is empty). */
static void tab_row(struct tab *t, ...)
{
	va_list ap;

	CT_GROW(t->cell, (t->nrows + 1) * t->ncol, t->cap);
	va_start(ap, t);
	for (size_t i = 0; i < t->ncol; i++) {
		const char *s = va_arg(ap, const char *);
		t->cell[t->nrows * t->ncol + i] = ct_xstrdup(s ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

/* Display width of a string: code points (names are mostly ASCII). */
static size_t width(const char *s)
{
	size_t n = 0;

	while (ct_render_utf8_next(&s))
		n++;
	return n;
}

static void pad(FILE *out, size_t n)
{
	while (n--)
		putc(' ', out);
}

static void tab_print(struct tab *t, FILE *out, bool md)
{
	size_t w[TAB_COLS], i, j;

	for (j = 0; j < t->ncol; j++) {
		w[j] = width(t->head[j]);
		for (i = 0; i < t->nrows; i++) {
			size_t x = width(t->cell[i * t->ncol + j]);
			if (x > w[j])
				w[j] = x;
		}
	}
	if (md) {
		fputs("|", out);
		for (j = 0; j < t->ncol; j++)
			fprintf(out, " %s |", t->head[j]);
		fputs("\n|", out);
		for (j = 0; j < t->ncol; j++)
			fputs(t->right[j] ? "---:|" : ":---|", out);
		putc('\n', out);
		for (i = 0; i < t->nrows; i++) {
			fputs("|", out);
			for (j = 0; j < t->ncol; j++) {
				putc(' ', out);
				ct_render_put_md(out, t->cell[i * t->ncol + j]);
				fputs(" |", out);
			}
			putc('\n', out);
		}
	} else {
		for (i = 0; i <= t->nrows; i++) {
			fputs("  ", out);
			for (j = 0; j < t->ncol; j++) {
				const char *s =
					i == 0 ? t->head[j] : t->cell[(i - 1) * t->ncol + j];
				size_t x = width(s);
				if (t->right[j])
					pad(out, w[j] - x);
				ct_render_put_plain(out, s);
				if (j + 1 < t->ncol)
					pad(out, (t->right[j] ? 0 : w[j] - x) + 2);
			}
			putc('\n', out);
		}
	}
	for (i = 0; i < t->nrows * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->nrows = t->cap = 0;
}

static void heading(FILE *out, bool md, const char *title)
{
	if (md)
		fprintf(out, "\n## %s\n\n", title);
	else
		fprintf(out, "\n%s\n", title);
}

/* ---- text and markdown ------------------------------------------------ */

static void render_human(const struct ct_k8s_cost *c, FILE *out, bool md)
{
	char store[512], a[CT_RENDER_MONEY_MAX], b[CT_RENDER_MONEY_MAX], d[CT_RENDER_MONEY_MAX],
		e[CT_RENDER_MONEY_MAX], f[CT_RENDER_MONEY_MAX], g[CT_RENDER_MONEY_MAX],
		h[CT_RENDER_MONEY_MAX], x1[32], x2[32], x3[32], n1[32], t[160];
	struct tab tb;
	size_t i;

	if (md)
		fputs("# Kubernetes cluster cost\n\n", out);
	else
		fputs("Kubernetes cluster cost\n", out);
	snprintf(t, sizeof(t), "Monthly (730 h)%s%s; allocation by %s.",
		 c->region ? ", region " : "", c->region ? c->region : "", c->by_name);
	if (md)
		ct_render_put_md(out, t);
	else
		ct_render_put_plain(out, t);
	putc('\n', out);
	if (md)
		putc('\n', out);

	tab_init(&tb, "Cost|Monthly>", store);
	snprintf(t, sizeof(t), "Control plane (%s)", c->plane);
	tab_row(&tb, t,
		c->plane_priced || !strcmp(c->plane, "none") ? money(c->control_plane, a, sizeof(a))
							     : "unknown");
	snprintf(t, sizeof(t), "Nodes (%zu%s)", c->nnodes,
		 c->unpriced_nodes ? ", some without a price" : "");
	tab_row(&tb, t, money(c->nodes_total, a, sizeof(a)));
	snprintf(t, sizeof(t), "Persistent volumes (%zu)", c->nvolumes);
	tab_row(&tb, t, money(c->volumes_total, a, sizeof(a)));
	snprintf(t, sizeof(t), "Load balancers (%zu)", c->nlbs);
	tab_row(&tb, t, money(c->lbs_total, a, sizeof(a)));
	tab_row(&tb, "Cluster", money(c->cluster, a, sizeof(a)));
	tab_row(&tb, "  allocated to workloads", money(c->allocated, a, sizeof(a)));
	tab_row(&tb, "  shared namespaces", money(c->shared, a, sizeof(a)));
	snprintf(t, sizeof(t), "  idle (%s vCPU, %s GiB, %s GPU unrequested)",
		 milli(c->idle_cpu_m, x1, sizeof(x1)), gib2(c->idle_mem_b, x2, sizeof(x2)),
		 milli(c->idle_gpu_m, x3, sizeof(x3)));
	tab_row(&tb, t, money(c->idle, a, sizeof(a)));
	if (c->nspot)
		tab_row(&tb, "Spot projection: saving", money(c->spot_savings, a, sizeof(a)));
	if (!md)
		putc('\n', out);
	tab_print(&tb, out, md);

	heading(out, md, "Nodes");
	tab_init(&tb,
		 "Node|Type|Capacity|Zone|vCPU>|GiB>|GPU>|Monthly>|CPU>|Memory>|GPU $>|"
		 "Allocated>|Idle>",
		 store);
	for (i = 0; i < c->nnodes; i++) {
		const struct ct_k8s_cost_node *n = &c->nodes[i];
		tab_row(&tb, n->name, n->instance_type ? n->instance_type : "?", n->capacity,
			n->zone	    ? n->zone
			: n->region ? n->region
				    : "?",
			milli(n->cpu_m, x1, sizeof(x1)), gib2(n->mem_b, x2, sizeof(x2)),
			milli(n->gpu_m, x3, sizeof(x3)),
			n->priced ? money(n->monthly, a, sizeof(a)) : "no price",
			money(n->cpu, b, sizeof(b)), money(n->mem, d, sizeof(d)),
			money(n->gpu, e, sizeof(e)), money(n->allocated, f, sizeof(f)),
			money(n->idle, g, sizeof(g)));
	}
	tab_print(&tb, out, md);
	for (i = 0; i < c->nnodes; i++)
		if (c->nodes[i].note) {
			snprintf(t, sizeof(t), "%s: ", c->nodes[i].name);
			fputs(md ? "\n- " : "  ", out);
			if (md) {
				ct_render_put_md(out, t);
				ct_render_put_md(out, c->nodes[i].note);
			} else {
				ct_render_put_plain(out, t);
				ct_render_put_plain(out, c->nodes[i].note);
			}
			putc('\n', out);
		}

	snprintf(t, sizeof(t), "Allocation by %s", c->by_name);
	heading(out, md, t);
	tab_init(&tb,
		 "Name|Pods>|CPU req>|GiB req>|GPU>|Compute>|Volumes>|LBs>|Shared>|Idle>|"
		 "Monthly>",
		 store);
	for (i = 0; i < c->nalloc; i++) {
		const struct ct_k8s_cost_alloc *al = &c->alloc[i];
		snprintf(n1, sizeof(n1), "%zu", al->pods);
		tab_row(&tb, al->name, n1, milli(al->cpu_req_m, x1, sizeof(x1)),
			gib2(al->mem_req_b, x2, sizeof(x2)), milli(al->gpu_req_m, x3, sizeof(x3)),
			money(al->cpu + al->mem + al->gpu, a, sizeof(a)),
			money(al->pv, b, sizeof(b)), money(al->lb, d, sizeof(d)),
			money(al->shared, e, sizeof(e)), money(al->idle, f, sizeof(f)),
			money(al->total, h, sizeof(h)));
	}
	tab_row(&tb, "Total (cluster less control plane)", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL, NULL, money(c->nodes_total + c->volumes_total + c->lbs_total, h, sizeof(h)));
	tab_print(&tb, out, md);

	if (c->nshared_groups) {
		heading(out, md, "Shared namespaces (spread over the groups above)");
		tab_init(&tb, "Namespace|Pods>|CPU req>|GiB req>|Monthly>", store);
		for (i = 0; i < c->nshared_groups; i++) {
			const struct ct_k8s_cost_alloc *al = &c->shared_groups[i];
			snprintf(n1, sizeof(n1), "%zu", al->pods);
			tab_row(&tb, al->name, n1, milli(al->cpu_req_m, x1, sizeof(x1)),
				gib2(al->mem_req_b, x2, sizeof(x2)),
				money(al->total, a, sizeof(a)));
		}
		tab_print(&tb, out, md);
	}

	if (c->nvolumes) {
		heading(out, md, "Persistent volumes");
		tab_init(&tb, "Volume|Claim|Class|EBS type|GiB>|Monthly>", store);
		for (i = 0; i < c->nvolumes; i++) {
			const struct ct_k8s_cost_volume *v = &c->volumes[i];
			tab_row(&tb, v->name, v->claim ? v->claim : "-",
				v->class_name ? v->class_name : "-",
				v->ebs_type ? v->ebs_type : "?",
				ct_render_num(v->gib, x1, sizeof(x1)),
				v->priced ? money(v->monthly, a, sizeof(a)) : "no price");
		}
		tab_print(&tb, out, md);
	}
	if (c->nlbs) {
		heading(out, md, "Load balancers");
		tab_init(&tb, "Load balancer|Kind|Monthly>", store);
		for (i = 0; i < c->nlbs; i++) {
			const struct ct_k8s_cost_lb *l = &c->lbs[i];
			tab_row(&tb, l->name, l->kind ? l->kind : "?",
				l->priced ? money(l->monthly, a, sizeof(a)) : "no price");
		}
		tab_print(&tb, out, md);
	}
	if (c->nspot) {
		heading(out, md, "Spot projection (on-demand node groups run on spot)");
		tab_init(&tb, "Node group|Type|Nodes>|On-demand>|Spot>|Saving>|Interruptions",
			 store);
		for (i = 0; i < c->nspot; i++) {
			const struct ct_k8s_cost_spot *sp = &c->spot[i];
			snprintf(n1, sizeof(n1), "%zu", sp->nodes);
			tab_row(&tb, sp->node_group, sp->instance_type, n1,
				money(sp->on_demand, a, sizeof(a)),
				sp->has_spot ? money(sp->spot, b, sizeof(b)) : "no spot price",
				sp->has_spot ? money(sp->savings, d, sizeof(d)) : "-",
				sp->band ? sp->band : "-");
		}
		tab_print(&tb, out, md);
	}
	if (c->nnotes) {
		heading(out, md, "Notes");
		for (i = 0; i < c->nnotes; i++) {
			fputs(md ? "- " : "  - ", out);
			if (md)
				ct_render_put_md(out, c->notes[i]);
			else
				ct_render_put_plain(out, c->notes[i]);
			putc('\n', out);
		}
	}
}

/* ---- JSON ---------------------------------------------------------------- */

static void jm(struct ct_jsonw *w, const char *key, ct_money m)
{
	ct_jsonw_key(w, key);
	ct_jsonw_money(w, m);
}

static void jraw(struct ct_jsonw *w, const char *key, const char *v)
{
	ct_jsonw_key(w, key);
	ct_jsonw_raw(w, v);
}

static void js(struct ct_jsonw *w, const char *key, const char *v)
{
	ct_jsonw_key(w, key);
	ct_jsonw_string(w, v);
}

static void jn(struct ct_jsonw *w, const char *key, size_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%zu", v);
	jraw(w, key, buf);
}

static void json_alloc(struct ct_jsonw *w, const struct ct_k8s_cost_alloc *a)
{
	char b[32];

	ct_jsonw_open(w, '{');
	jm(w, "cpu_cost", a->cpu);
	jraw(w, "cpu_request_cores", milli(a->cpu_req_m, b, sizeof(b)));
	jraw(w, "cpu_usage_cores", a->has_usage ? milli(a->cpu_use_m, b, sizeof(b)) : "null");
	jm(w, "gpu_cost", a->gpu);
	jraw(w, "gpu_request", milli(a->gpu_req_m, b, sizeof(b)));
	jm(w, "idle_cost", a->idle);
	jm(w, "load_balancer_cost", a->lb);
	jm(w, "memory_cost", a->mem);
	jraw(w, "memory_request_gib", gib(a->mem_req_b, b, sizeof(b)));
	jraw(w, "memory_usage_gib", a->has_usage ? gib(a->mem_use_b, b, sizeof(b)) : "null");
	jm(w, "monthly_cost", a->total);
	js(w, "name", a->name);
	jn(w, "pods", a->pods);
	jm(w, "shared_cost", a->shared);
	jm(w, "volume_cost", a->pv);
	ct_jsonw_close(w, '}');
}

void ct_k8s_cost_json(struct ct_jsonw *wp, const struct ct_k8s_cost *c)
{
	struct ct_jsonw w = *wp;
	char b[48];
	size_t i;

	ct_jsonw_open(&w, '{');
	jm(&w, "allocated_monthly_cost", c->allocated);
	ct_jsonw_key(&w, "allocations");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < c->nalloc; i++)
		json_alloc(&w, &c->alloc[i]);
	ct_jsonw_close(&w, ']');
	js(&w, "by", c->by_name);
	jm(&w, "cluster_monthly_cost", c->cluster);
	js(&w, "control_plane", c->plane);
	ct_jsonw_key(&w, "control_plane_monthly_cost");
	if (c->plane_priced || !strcmp(c->plane, "none"))
		ct_jsonw_money(&w, c->control_plane);
	else
		ct_jsonw_raw(&w, "null");
	ct_jsonw_key(&w, "idle");
	ct_jsonw_open(&w, '{');
	jraw(&w, "cpu_cores", milli(c->idle_cpu_m, b, sizeof(b)));
	jm(&w, "cpu_cost", c->idle_cpu);
	jm(&w, "gpu_cost", c->idle_gpu);
	jraw(&w, "gpus", milli(c->idle_gpu_m, b, sizeof(b)));
	jm(&w, "memory_cost", c->idle_mem);
	jraw(&w, "memory_gib", gib(c->idle_mem_b, b, sizeof(b)));
	jm(&w, "monthly_cost", c->idle);
	jraw(&w, "shared", c->opts.share_idle ? "true" : "false");
	ct_jsonw_close(&w, '}');
	jm(&w, "idle_monthly_cost", c->idle);
	ct_jsonw_key(&w, "load_balancers");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < c->nlbs; i++) {
		const struct ct_k8s_cost_lb *l = &c->lbs[i];
		ct_jsonw_open(&w, '{');
		js(&w, "kind", l->kind);
		ct_jsonw_key(&w, "monthly_cost");
		if (l->priced)
			ct_jsonw_money(&w, l->monthly);
		else
			ct_jsonw_raw(&w, "null");
		js(&w, "name", l->name);
		js(&w, "note", l->note);
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	jm(&w, "load_balancers_monthly_cost", c->lbs_total);
	ct_jsonw_key(&w, "nodes");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < c->nnodes; i++) {
		const struct ct_k8s_cost_node *n = &c->nodes[i];
		ct_jsonw_open(&w, '{');
		jm(&w, "allocated_monthly_cost", n->allocated);
		js(&w, "capacity_type", n->capacity);
		jraw(&w, "cpu_cores", milli(n->cpu_m, b, sizeof(b)));
		jm(&w, "cpu_cost", n->cpu);
		jm(&w, "gpu_cost", n->gpu);
		jraw(&w, "gpus", milli(n->gpu_m, b, sizeof(b)));
		ct_jsonw_key(&w, "hourly_rate");
		ct_jsonw_raw(&w, n->priced ? ct_rate_format(n->hourly, b, sizeof(b)) : "null");
		jm(&w, "idle_monthly_cost", n->idle);
		js(&w, "instance_type", n->instance_type);
		jm(&w, "memory_cost", n->mem);
		jraw(&w, "memory_gib", gib(n->mem_b, b, sizeof(b)));
		ct_jsonw_key(&w, "monthly_cost");
		if (n->priced)
			ct_jsonw_money(&w, n->monthly);
		else
			ct_jsonw_raw(&w, "null");
		js(&w, "name", n->name);
		js(&w, "node_group", n->group);
		js(&w, "note", n->note);
		js(&w, "os", n->os);
		jn(&w, "pods", n->pods);
		js(&w, "region", n->region);
		js(&w, "zone", n->zone);
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	jm(&w, "nodes_monthly_cost", c->nodes_total);
	ct_jsonw_key(&w, "notes");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < c->nnotes; i++)
		ct_jsonw_string(&w, c->notes[i]);
	ct_jsonw_close(&w, ']');
	ct_jsonw_key(&w, "persistent_volumes");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < c->nvolumes; i++) {
		const struct ct_k8s_cost_volume *v = &c->volumes[i];
		ct_jsonw_open(&w, '{');
		js(&w, "claim", v->claim);
		js(&w, "ebs_type", v->ebs_type);
		jraw(&w, "gib", ct_render_num(v->gib, b, sizeof(b)));
		ct_jsonw_key(&w, "monthly_cost");
		if (v->priced)
			ct_jsonw_money(&w, v->monthly);
		else
			ct_jsonw_raw(&w, "null");
		js(&w, "name", v->name);
		js(&w, "note", v->note);
		js(&w, "storage_class", v->class_name);
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	jm(&w, "persistent_volumes_monthly_cost", c->volumes_total);
	ct_jsonw_key(&w, "pods");
	ct_jsonw_open(&w, '{');
	jn(&w, "finished", c->pods_finished);
	jn(&w, "no_requests", c->pods_no_requests);
	jn(&w, "other", c->pods_other);
	jn(&w, "pending", c->pods_pending);
	jn(&w, "running", c->pods_running);
	jn(&w, "unknown_node", c->pods_unknown_node);
	ct_jsonw_close(&w, '}');
	js(&w, "region", c->region);
	ct_jsonw_key(&w, "shared");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < c->nshared_groups; i++)
		json_alloc(&w, &c->shared_groups[i]);
	ct_jsonw_close(&w, ']');
	jm(&w, "shared_monthly_cost", c->shared);
	ct_jsonw_key(&w, "spot_savings");
	ct_jsonw_open(&w, '[');
	for (i = 0; i < c->nspot; i++) {
		const struct ct_k8s_cost_spot *sp = &c->spot[i];
		ct_jsonw_open(&w, '{');
		js(&w, "instance_type", sp->instance_type);
		js(&w, "interruption_band", sp->band);
		ct_jsonw_key(&w, "monthly_savings");
		if (sp->has_spot)
			ct_jsonw_money(&w, sp->savings);
		else
			ct_jsonw_raw(&w, "null");
		js(&w, "node_group", sp->node_group);
		jn(&w, "nodes", sp->nodes);
		jm(&w, "on_demand_monthly_cost", sp->on_demand);
		js(&w, "region", sp->region);
		ct_jsonw_key(&w, "spot_monthly_cost");
		if (sp->has_spot)
			ct_jsonw_money(&w, sp->spot);
		else
			ct_jsonw_raw(&w, "null");
		js(&w, "zones", sp->zones);
		ct_jsonw_close(&w, '}');
	}
	ct_jsonw_close(&w, ']');
	jm(&w, "spot_savings_monthly_total", c->spot_savings);
	jn(&w, "unpriced_nodes", c->unpriced_nodes);
	jraw(&w, "usage", c->usage ? "true" : "false");
	ct_jsonw_close(&w, '}');
	*wp = w;
}

static void render_json(const struct ct_k8s_cost *c, FILE *out)
{
	struct ct_jsonw w;

	memset(&w, 0, sizeof(w));
	w.out = out;
	ct_k8s_cost_json(&w, c);
	putc('\n', out);
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_money(FILE *out, ct_money m)
{
	char b[48];

	fputs(ct_money_format(m, 9, false, b, sizeof(b)), out);
}

static void render_csv(const struct ct_k8s_cost *c, FILE *out)
{
	ct_money sum[8] = {0};
	char b[48];

	fputs("name,pods,cpu_request_cores,memory_request_gib,gpu_request,cpu_cost,"
	      "memory_cost,gpu_cost,volume_cost,load_balancer_cost,shared_cost,idle_cost,"
	      "monthly_cost\n",
	      out);
	for (size_t i = 0; i < c->nalloc; i++) {
		const struct ct_k8s_cost_alloc *a = &c->alloc[i];
		const ct_money v[8] = {a->cpu, a->mem,	  a->gpu,  a->pv,
				       a->lb,  a->shared, a->idle, a->total};
		ct_render_csv_cell(out, a->name);
		fprintf(out, ",%zu,%s,", a->pods, milli(a->cpu_req_m, b, sizeof(b)));
		fprintf(out, "%s,", gib(a->mem_req_b, b, sizeof(b)));
		fprintf(out, "%s", milli(a->gpu_req_m, b, sizeof(b)));
		for (int k = 0; k < 8; k++) {
			putc(',', out);
			csv_money(out, v[k]);
			sum[k] += v[k];
		}
		putc('\n', out);
	}
	fputs("total,,,,", out);
	for (int k = 0; k < 8; k++) {
		putc(',', out);
		csv_money(out, sum[k]);
	}
	putc('\n', out);
}

int ct_k8s_cost_render(const struct ct_k8s_cost *c, enum ct_k8s_cost_format fmt, FILE *out,
		       struct ct_err *err)
{
	switch (fmt) {
	case CT_K8S_TEXT:
		render_human(c, out, false);
		break;
	case CT_K8S_MARKDOWN:
		render_human(c, out, true);
		break;
	case CT_K8S_JSON:
		render_json(c, out);
		break;
	case CT_K8S_CSV:
		render_csv(c, out);
		break;
	}
	if (fflush(out) != 0 || ferror(out))
		return ct_err_set(err, CT_E_IO, NULL, 0, "cannot write the cluster cost");
	return CT_OK;
}
