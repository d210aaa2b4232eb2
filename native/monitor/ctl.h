/* The control fifo PERSIST/ctl. One message a line:
     1 HEIGHT WIDTH   resize the container's terminal
     2                reopen the log file
   Attach clients can resize too (attach.h). */
#ifndef MONITOR_CTL_H
#define MONITOR_CTL_H

int ctl_open(const char *persist_dir);
/* Sets the container terminal's size; failures are only logged (the container may have no terminal). */
void ctl_resize(int height, int width);

#endif
