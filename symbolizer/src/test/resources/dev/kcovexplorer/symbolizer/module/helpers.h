/* Inlined into several functions of module.c: its lines appear in their inline chains. */
static inline int clamp_count(int value, int limit)
{
	if (value > limit)
		return limit;
	if (value < 0)
		return 0;
	return value;
}
