#ifndef VMSCOPE_USER_SYS_WAIT_H
#define VMSCOPE_USER_SYS_WAIT_H

#include <unistd.h>
#include <uapi/wait.h>
#include <uapi/vmstat.h>

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
/* As waitpid, and *ru = the child's fault counters and exit reason. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
int getrusage(int who, struct rusage *ru);

#endif
