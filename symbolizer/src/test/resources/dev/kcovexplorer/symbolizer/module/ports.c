/* The second compile unit of the fixture module: its own .text and DWARF, merged by ld -r. */
#include "helpers.h"

struct port_stats {
	unsigned short resets;
	unsigned char errors;
};

static struct port_stats stats[4];

/* gcc inlines this one: its lines show up in the callers' inline chains. */
static inline void count_error(struct port_stats *s, unsigned char limit)
{
	if (s->errors < limit)
		s->errors++;
}

int port_reset(unsigned int index, unsigned short budget)
{
	struct port_stats *s = &stats[index & 3];
	if (s->resets >= budget) {
		count_error(s, 9);
		return -1;
	}
	s->resets++;
	return clamp_count(s->resets, 100);
}

void port_errors(unsigned int index, char kind)
{
	switch (kind) {
	case 'o':
		count_error(&stats[index & 3], 3);
		break;
	case 'c':
		count_error(&stats[index & 3], 5);
		break;
	default:
		stats[index & 3].errors = 0;
	}
}
