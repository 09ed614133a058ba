/*
 * cost.c - building a cost out of lines (see cost.h).
 */
#include "ct.h"
#include "cost.h"

void ct_cost_init(struct ct_cost *c)
{
	memset(c, 0, sizeof(*c));
}

void ct_cost_add(struct ct_cost *c, const char *name, double qty,
		 const char *unit, ct_rate rate, ct_money monthly)
{
	c->monthly += monthly;
	if (c->nlines < CT_NELEM(c->line)) {
		struct ct_cost_line *l = &c->line[c->nlines++];
		snprintf(l->name, sizeof(l->name), "%s", name);
		snprintf(l->unit, sizeof(l->unit), "%s", unit);
		l->qty = qty;
		l->rate = rate;
		l->monthly = monthly;
	} else {
		/* fold the rest into the last line so the total still adds up */
		c->line[c->nlines - 1].monthly += monthly;
	}
}

void ct_cost_merge(struct ct_cost *c, const struct ct_cost *o,
		   const char *prefix)
{
	for (size_t i = 0; i < o->nlines; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s%s", prefix, o->line[i].name);
		ct_cost_add(c, name, o->line[i].qty, o->line[i].unit,
			    o->line[i].rate, o->line[i].monthly);
	}
	c->upfront += o->upfront;
	c->estimated |= o->estimated;
	if (o->note[0])
		ct_cost_note(c, "%s", o->note);
	if (!c->source) {
		c->source = o->source;
		c->as_of = o->as_of;
	}
}

void ct_cost_note(struct ct_cost *c, const char *fmt, ...)
{
	char buf[256];
	size_t n = strlen(c->note);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strstr(c->note, buf))
		return;
	snprintf(c->note + n, sizeof(c->note) - n, "%s%s", n ? " " : "", buf);
}
