/* Remote coverage sections the way the kernel writes them: static inline wrappers (as in
 * include/linux/kcov.h) around kcov_remote_start()/kcov_remote_stop(), a hub_event()-like function
 * with code before the start and after the stop, and a vhost_worker()-like loop whose section only
 * runs a callback. Built with -fsanitize-coverage=trace-pc; remote_harness.c collects like kcov. */
#include <stdint.h>

void kcov_remote_start(uint64_t handle);
void kcov_remote_stop(void);

static inline uint64_t kcov_remote_handle(uint64_t subsys, uint64_t inst)
{
	if (subsys & ~0xff00000000000000ull || inst & ~0xffffffffull)
		return 0;
	return subsys | inst;
}

static inline void kcov_remote_start_common(uint64_t id)
{
	kcov_remote_start(kcov_remote_handle(0, id));
}

static inline void kcov_remote_start_usb(uint64_t id)
{
	kcov_remote_start(kcov_remote_handle(1ull << 56, id));
}

volatile int sink;

__attribute__((noinline)) void port_work(int value)
{
	if (value > 3)
		sink = value;
	else
		sink = -value;
}

__attribute__((noinline)) void event_worker(int bus)
{
	int status = bus * 7;
	if (status > 100)
		sink = status;
	kcov_remote_start_usb(bus);
	port_work(bus);
	if (bus > 1)
		sink = bus;
	kcov_remote_stop();
}

__attribute__((noinline)) void loop_worker(void (*fn)(int), int rounds)
{
	for (int i = 0; i < rounds; i++) {
		if (i & 1)
			sink = i;
		kcov_remote_start_common(0x42);
		fn(i);
		kcov_remote_stop();
		if (sink > 1000)
			sink = 0;
	}
}

int remote_main(int mode)
{
	event_worker(mode);
	loop_worker(port_work, mode);
	return sink;
}
