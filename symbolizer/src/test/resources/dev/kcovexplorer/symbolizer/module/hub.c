/*
 * One file of a stand-in for a kernel module (linked with ports.c by ld -r, as a .ko is): code in .text, .init.text, .exit.text and .text.unlikely, an
 * inlined helper from a header, a static helper reached by a tail call, comparisons and a switch.
 */
#include "helpers.h"

#define __init __attribute__((section(".init.text"), cold, noinline))
#define __exit __attribute__((section(".exit.text"), cold, noinline))

struct port {
	int status;
	int changes;
	int speed;
	unsigned long events;
};

static struct port ports[8];
static int debounce_ms = 100;
extern void report_event(int port, int what);
extern void kcov_remote_start(unsigned long long handle);
extern void kcov_remote_stop(void);

/* noinline + a tail call: "return note_change(...)" ends in jmp note_change. */
static __attribute__((noinline)) int note_change(struct port *p, int what)
{
	p->changes++;
	if (p->changes > 3)
		report_event(p->speed, what);
	return p->changes;
}

static __attribute__((cold, noinline)) void port_trouble(struct port *p)
{
	report_event(p->status, -1);
	p->status = 0;
}

int port_event(int index, int status)
{
	struct port *p = &ports[clamp_count(index, 7)];
	if (status == 0x10)
		port_trouble(p);
	p->status = status;
	switch (status & 7) {
	case 1:
		p->speed = 12;
		break;
	case 2:
		p->speed = 480;
		break;
	case 5:
		p->speed = 5000;
		break;
	default:
		p->speed = clamp_count(status, 20);
	}
	return note_change(p, status);
}

unsigned long hub_events(unsigned long mask, long long deadline)
{
	unsigned long total = 0;
	for (int i = 0; i < 8; i++) {
		if (mask & (1ul << i)) {
			total += ports[i].events;
			if ((long long)total > deadline)
				break;
		}
	}
	return total + clamp_count((int)mask, debounce_ms);
}

int __init hub_init(void)
{
	for (int i = 0; i < 8; i++)
		ports[i].speed = clamp_count(i * 100, 480);
	return debounce_ms > 50 ? port_event(0, 1) : 0;
}

void __exit hub_exit(void)
{
	for (int i = 0; i < 8; i++)
		if (ports[i].changes)
			report_event(i, 0);
}

/* Ends in the callback: gcc before 14 tail-calls __sanitizer_cov_trace_pc here. */
static __attribute__((noinline)) void clear_events(struct port *p)
{
	if (p->events)
		p->events = 0;
}

void hub_quiesce(int index)
{
	clear_events(&ports[index & 7]);
	ports[index & 7].status = 0;
}

/* A remote coverage section, as vhost_worker() opens one around each work item. */
void hub_worker(unsigned long long handle, int index)
{
	kcov_remote_start(handle);
	port_event(index, ports[index & 7].status | 1);
	kcov_remote_stop();
}
