/* Prints what gcc makes of <linux/usb/raw_gadget.h> and glibc's struct sigaction, as "name value" lines. */
#include <linux/usb/raw_gadget.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>

int main(void)
{
	printf("USB_RAW_IOCTL_INIT %lu\n", (unsigned long)USB_RAW_IOCTL_INIT);
	printf("USB_RAW_IOCTL_RUN %lu\n", (unsigned long)USB_RAW_IOCTL_RUN);
	printf("USB_RAW_IOCTL_EVENT_FETCH %lu\n", (unsigned long)USB_RAW_IOCTL_EVENT_FETCH);
	printf("USB_RAW_IOCTL_EP0_WRITE %lu\n", (unsigned long)USB_RAW_IOCTL_EP0_WRITE);
	printf("USB_RAW_IOCTL_EP0_READ %lu\n", (unsigned long)USB_RAW_IOCTL_EP0_READ);
	printf("USB_RAW_IOCTL_CONFIGURE %lu\n", (unsigned long)USB_RAW_IOCTL_CONFIGURE);
	printf("USB_RAW_IOCTL_VBUS_DRAW %lu\n", (unsigned long)USB_RAW_IOCTL_VBUS_DRAW);
	printf("USB_RAW_IOCTL_EP0_STALL %lu\n", (unsigned long)USB_RAW_IOCTL_EP0_STALL);
	printf("sizeof.usb_raw_init %zu\n", sizeof(struct usb_raw_init));
	printf("offsetof.usb_raw_init.device_name %zu\n", offsetof(struct usb_raw_init, device_name));
	printf("offsetof.usb_raw_init.speed %zu\n", offsetof(struct usb_raw_init, speed));
	printf("sizeof.usb_raw_event %zu\n", sizeof(struct usb_raw_event));
	printf("offsetof.usb_raw_event.length %zu\n", offsetof(struct usb_raw_event, length));
	printf("sizeof.usb_raw_ep_io %zu\n", sizeof(struct usb_raw_ep_io));
	printf("offsetof.usb_raw_ep_io.flags %zu\n", offsetof(struct usb_raw_ep_io, flags));
	printf("offsetof.usb_raw_ep_io.length %zu\n", offsetof(struct usb_raw_ep_io, length));
	printf("USB_RAW_EVENT_CONNECT %d\n", USB_RAW_EVENT_CONNECT);
	printf("USB_RAW_EVENT_CONTROL %d\n", USB_RAW_EVENT_CONTROL);
	printf("sizeof.sigaction %zu\n", sizeof(struct sigaction));
	printf("offsetof.sigaction.sa_handler %zu\n", offsetof(struct sigaction, sa_handler));
	printf("offsetof.sigaction.sa_flags %zu\n", offsetof(struct sigaction, sa_flags));
	return 0;
}
