/* The control fifo PERSIST/ctl. One message a line:
     1 HEIGHT WIDTH   resize the container's terminal
     2                reopen the log file */
#ifndef MONITOR_CTL_H
#define MONITOR_CTL_H

int ctl_open(const char *persist_dir);

#endif
