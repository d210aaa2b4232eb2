/* The container log in Podman's k8s-file format, one record a line:
     <RFC3339Nano time with zone offset> <stdout|stderr> <F|P> <content>\n
   P marks a chunk that did not end in a newline: the next record continues the same line. */
#ifndef MONITOR_K8S_LOG_H
#define MONITOR_K8S_LOG_H

#include <stddef.h>

int klog_open(const char *path, long long size_max);
/* stream: STREAM_STDOUT or STREAM_STDERR (ctr_io.h). */
void klog_write(int stream, const char *buf, size_t len);
/* Closes and reopens the file (after an outside rotation, on request through the ctl fifo). */
void klog_reopen(void);
void klog_close(void);

#endif
